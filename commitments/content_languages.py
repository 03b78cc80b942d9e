"""The languages a commitment's words are kept in, and which one a reader gets.

A commitment's own `title`, `summary` and `quote` are its original words, in the
language its `language` names (its source's, English unless said otherwise); each
`CommitmentText` row is a translation of them into another of `CONTENT_LANGUAGES`, with
who made it. Pages and the API show the reader's language when a translation exists,
and otherwise the original, saying so.
"""

from __future__ import annotations

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

ORIGINAL_DEFAULT = "en"
# The languages the tracker is read in; translations are kept in these.
CONTENT_LANGUAGES = ("en", "it", "ja")
LANGUAGE_NAMES = {"en": _("English"), "it": _("Italian"), "ja": _("Japanese")}
# The same names inside a sentence ("no Italian translation yet"): Italian writes them
# in lower case there.
IN_A_SENTENCE = {
    "en": pgettext_lazy("language name inside a sentence", "English"),
    "it": pgettext_lazy("language name inside a sentence", "Italian"),
    "ja": pgettext_lazy("language name inside a sentence", "Japanese"),
}
# The texts a translation carries, as import and export columns (`title_it`, …).
TRANSLATED_PARTS = ("title", "summary", "quote", "translated_by")
# How long an Accept-Language header is read (a longer one is cut, never refused).
HEADER_MAX = 500


def normalise(code: str | None) -> str | None:
    """`it`, `IT`, `it-IT` or `it_CH` -> `it`; None when it is not a content language."""
    if not code or not isinstance(code, str):
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in CONTENT_LANGUAGES else None


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def in_a_sentence(code: str) -> str:
    return str(IN_A_SENTENCE.get(code, code))


def reader_language() -> str:
    """The active interface language as a content language (English when none fits)."""
    return normalise(get_language()) or ORIGINAL_DEFAULT


def from_accept_language(header: str) -> str | None:
    """The first content language an Accept-Language header prefers, by its q values."""
    choices = []
    for position, part in enumerate(str(header or "")[:HEADER_MAX].split(",")):
        code, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        language = normalise(code)
        if language and weight > 0:
            choices.append((-weight, position, language))
    return min(choices)[2] if choices else None


def requested_language(request) -> str:
    """The API's language: `?lang=`, else Accept-Language, else English. An unknown code
    falls back the same way, never an error."""
    return (
        normalise(request.GET.get("lang"))
        or from_accept_language(request.headers.get("Accept-Language", ""))
        or ORIGINAL_DEFAULT
    )


def translation_columns() -> list[str]:
    """`title_en`, `summary_en`, `quote_en`, `translated_by_en`, `title_it`, …"""
    return [f"{part}_{code}" for code in CONTENT_LANGUAGES for part in TRANSLATED_PARTS]
