"""Names close to one already in the register, so an import can say "did you mean …?"
before creating a theme, actor or source: the same words in another case or with other
accents, a plural or another form of a word ("Defence", "defences"), or one name's words
all within the other's ("Defence" and "Defence and security")."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

# Words that say nothing about what a name is about.
STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "with", "&"})
# Endings that make another form of the same word (after the plural is taken off).
ENDINGS = ("ation", "ment", "ing", "ed")
# Names listed for one new name, at most.
SHOWN = 3


def _plain(text: str) -> str:
    """Case and accents left out: "Città" and "citta" are the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A word without its plural and a few common endings: "securities" and "security",
    "agreements" and "agreement", "exercises" and "exercise" meet."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # "exercise(s)" and "box(es)" meet as "exercis" and "box"
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def words(text: str) -> frozenset[str]:
    """The name's meaningful words, each reduced to its stem."""
    return frozenset(
        stem(word) for word in re.findall(r"\w+", _plain(text)) if word not in STOP_WORDS
    )


class Register:
    """The names of one kind already in the register, indexed by their words."""

    def __init__(self, names):
        self.names: list[str] = []
        self.by_word: dict[str, set[int]] = defaultdict(set)
        self.keys: list[frozenset[str]] = []
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        key = words(name)
        if not key:
            return
        index = len(self.names)
        self.names.append(name)
        self.keys.append(key)
        for word in key:
            self.by_word[word].add(index)

    def close_to(self, name: str) -> list[str]:
        """Existing names close to `name` (never `name` itself, in any case)."""
        key = words(name)
        if not key:
            return []
        candidates = set().union(*(self.by_word.get(word, set()) for word in key))
        found = list(
            dict.fromkeys(
                self.names[i]
                for i in sorted(candidates)
                if (key <= self.keys[i] or self.keys[i] <= key)
                and self.names[i].casefold() != name.casefold()
            )
        )
        # The nearest first: the fewest words apart.
        found.sort(key=lambda other: len(words(other) ^ key))
        return found[:SHOWN]
