"""Which language a text is in, from its most common words and its script: enough to
tell English from the languages the tracker meets (Italian, Japanese, French...), with
no model and no network."""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NAMES = {
    "en": _("English"),
    "it": _("Italian"),
    "ja": _("Japanese"),
    "fr": _("French"),
    "de": _("German"),
    "es": _("Spanish"),
    "zh": _("Chinese"),
}
_STOPWORDS = {
    "en": [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "for",
        "with",
        "will",
        "we",
        "on",
        "are",
        "be",
        "by",
        "as",
        "this",
        "our",
        "their",
    ],
    "it": [
        "il",
        "lo",
        "la",
        "gli",
        "le",
        "di",
        "che",
        "e",
        "è",
        "per",
        "del",
        "della",
        "dei",
        "delle",
        "con",
        "una",
        "un",
        "sono",
        "non",
        "nel",
        "alla",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "des",
        "et",
        "est",
        "que",
        "pour",
        "dans",
        "une",
        "un",
        "du",
        "sur",
        "avec",
        "nous",
        "sont",
        "pas",
        "au",
    ],
    "de": [
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "den",
        "dem",
        "ein",
        "eine",
        "wir",
        "zu",
        "von",
        "für",
        "auf",
        "sich",
    ],
    "es": [
        "el",
        "la",
        "los",
        "las",
        "de",
        "que",
        "y",
        "en",
        "por",
        "con",
        "una",
        "un",
        "para",
        "del",
        "se",
        "sus",
        "es",
        "al",
    ],
}
_SETS = {code: frozenset(words) for code, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def detect(text: str) -> str:
    """A two-letter code ("en", "it", "ja"...), or "" when the text has too few words."""
    sample = text[:20000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters == 0:
        return ""
    kana, han = len(_KANA.findall(sample)), len(_HAN.findall(sample))
    if (kana + han) / letters > 0.3:
        return "ja" if kana else "zh"
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 3:
        return ""
    scores = {code: sum(1 for w in words if w in stop) for code, stop in _SETS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else ""


def name(code: str) -> str:
    return str(NAMES.get(code, code or gettext("an unknown language")))
