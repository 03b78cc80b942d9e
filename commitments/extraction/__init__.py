"""Finding the commitments in a statement's text: pure functions, no database.

- `segments`: sentences and list items with their offsets;
- `cues`: which words make a commitment (the G7 Research Group's rule) and which do not;
- `deadlines`: the deadline a sentence names, read with the importer's date reader;
- `parties`: actors named by any of their names, and "the two leaders";
- `topics`: the suggested kind and themes;
- `language`: English or not (extraction is English-only);
- `highlight`: a text cut into highlighted stretches for the pages;
- `candidates`: `extract(text, said_on=, actors=, themes=)`, the whole pass, and
  `describe(text, start, end, ...)` for a span an editor marks.
"""

from .candidates import MIN_SCORE, NO_CANDIDATES, Candidate, Extraction, describe, extract
from .parties import ActorRef
from .topics import ThemeRef

__all__ = [
    "MIN_SCORE",
    "NO_CANDIDATES",
    "ActorRef",
    "Candidate",
    "Extraction",
    "ThemeRef",
    "describe",
    "extract",
]
