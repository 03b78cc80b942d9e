"""The parties of a commitment: actors of the register named in the sentence (by name,
short name or alias), or the statement's own parties when the sentence speaks of "the
two leaders", "both sides" or "we"."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActorRef:
    """An actor as extraction sees it: a key (its slug), a display name and every name
    it goes by."""

    key: str | int
    name: str
    names: tuple[str, ...] = field(default=())


_COLLECTIVE = re.compile(
    r"\b(?:(?:the\s+)?(?:two|both)\s+(?:leaders|sides|countries|governments|parties|nations|"
    r"prime\s+ministers|presidents|ministers)|we|our|us)\b",
    re.IGNORECASE,
)
_OPENING = 600  # characters of the statement read for its parties


class Matcher:
    """Finds actors by any of their names, longest name first, whole words only."""

    def __init__(self, actors: list[ActorRef]):
        by_name: dict[str, ActorRef] = {}
        for actor in actors:
            for name in (actor.name, *actor.names):
                if name and len(name) > 1:
                    by_name.setdefault(name.casefold(), actor)
        self._by_name = by_name
        self._pattern = None
        if by_name:
            alternatives = sorted(by_name, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w])(?:" + "|".join(re.escape(n) for n in alternatives) + r")(?![\w])",
                re.IGNORECASE,
            )

    def named(self, text: str) -> list[ActorRef]:
        """Actors named in `text`, in order of first mention, each once."""
        if self._pattern is None:
            return []
        found = [self._by_name[m[0].casefold()] for m in self._pattern.finditer(text)]
        return list(dict.fromkeys(found))

    def statement_parties(self, text: str) -> list[ActorRef]:
        """Who the statement speaks for: the actors named in its opening, or else the two
        named most often."""
        opening = self.named(text[:_OPENING])
        if len(opening) >= 2:
            return opening
        if self._pattern is None:
            return []
        counts = Counter(self._by_name[m[0].casefold()] for m in self._pattern.finditer(text))
        return [actor for actor, _ in counts.most_common(2)]


def collective(sentence: str) -> str | None:
    """The words that name the statement's parties together ("both leaders"), if any."""
    match = _COLLECTIVE.search(sentence)
    return match[0] if match else None
