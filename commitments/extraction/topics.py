"""The suggested kind of a commitment and its themes, by keyword."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..choices import Kind

_RECURRING = re.compile(
    r"\b(?:every\s+(?:year|two\s+years|month|quarter)|each\s+year|annual(?:ly)?|yearly|"
    r"regular(?:ly)?|periodic(?:ally)?|biennial(?:ly)?|twice\s+a\s+year)\b",
    re.IGNORECASE,
)
_STANDING = re.compile(
    r"\b(?:continue\s+to|continuing\s+to|uphold|maintain|remain\s+committed|oppose|"
    r"continuously|keep\s+(?:on|up))\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]{4,}")
# Words too common in statements to tell one theme from another.
_COMMON = frozenset(
    [
        "about",
        "also",
        "among",
        "and",
        "areas",
        "both",
        "cooperation",
        "countries",
        "development",
        "field",
        "fields",
        "from",
        "including",
        "into",
        "joint",
        "mutual",
        "other",
        "partnership",
        "programmes",
        "relations",
        "their",
        "these",
        "this",
        "through",
        "under",
        "with",
        "within",
        "work",
        "between",
        "international",
        "global",
        "national",
    ]
)
# Words a theme name implies: a theme named "Defence ..." also covers "military".
_RELATED = {
    "defen": ("military", "fighter", "exercise", "armed", "gcap"),
    "secur": ("security",),
    "energ": ("hydrogen", "renewable", "nuclear", "climate", "decarbon"),
    "digit": ("semiconductor", "artificial intelligence", "cyber", "quantum"),
    "space": ("satellite", "jaxa", "orbit", "lunar", "launcher"),
    "techn": ("semiconductor", "artificial intelligence", "robotics", "innovation", "research"),
    "econo": ("trade", "investment", "supply chain", "export", "business", "companies"),
    "marit": ("sea", "seas", "navy", "naval", "law of the sea", "indo-pacific"),
    "cultur": ("anniversary", "exchange", "tourism", "students", "youth"),
    "diplom": ("anniversary", "dialogue", "summit", "visit"),
    "healt": ("pandemic", "vaccine", "medical"),
    "clima": ("emissions", "climate", "net zero", "adaptation"),
}


@dataclass(frozen=True)
class ThemeRef:
    key: str | int
    name: str
    description: str = ""


def kind(sentence: str) -> str:
    if _RECURRING.search(sentence):
        return Kind.RECURRING
    if _STANDING.search(sentence):
        return Kind.STANDING
    return Kind.DELIVERABLE


class ThemeMatcher:
    def __init__(self, themes: list[ThemeRef]):
        self._themes = []
        for theme in themes:
            stems = {w[:5] for w in _WORD.findall(theme.name.lower()) if w not in _COMMON}
            words = {w for w in _WORD.findall(theme.description.lower()) if w not in _COMMON}
            phrases = sorted(
                {
                    p
                    for stem in stems
                    for key, ps in _RELATED.items()
                    if stem.startswith(key[:4])
                    for p in ps
                }
            )
            pattern = (
                re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")
                if phrases
                else None
            )
            self._themes.append((theme, stems, words, pattern))

    def match(self, sentence: str, limit: int = 3) -> list[ThemeRef]:
        lowered = sentence.lower()
        words = set(_WORD.findall(lowered))
        stems = {w[:5] for w in words}
        scored = []
        for order, (theme, theme_stems, theme_words, pattern) in enumerate(self._themes):
            hits = 2 * len(stems & theme_stems) + len(words & theme_words)
            if pattern is not None:
                hits += len(set(pattern.findall(lowered)))
            if hits:
                scored.append((-hits, order, theme))
        return [theme for _, _, theme in sorted(scored)[:limit]]
