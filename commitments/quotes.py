"""Whether a quote is a source's words: the one rule for quotes kept with a stored text.

A quote taken at a place (`start`, `end`) must be exactly `text[start:end]`. A
commitment's quote must be found in its source's text, where spaces, line breaks and the
bullets of a list may differ (a quote that runs over two bullets joins them with a space).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

_BULLET_START = re.compile(r"(?m)^[ \t]*(?:[-–—•*·▪●◦]|\(?\d{1,2}[.)]|\(?[a-z]\))[ \t]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", _BULLET_START.sub("", text)).strip()


def found_in(quote: str, text: str) -> bool:
    """Whether `quote` is in `text`, spaces and list bullets aside."""
    return normalise(quote) in normalise(text)


def span_problem(text: str, start: int, end: int, quote: str) -> str | None:
    """Why `quote` is not `text[start:end]`, or None."""
    if not 0 <= start < end <= len(text):
        return gettext(
            "The place %(start)s–%(end)s is outside the source's text (%(length)s characters)."
        ) % {"start": start, "end": end, "length": len(text)}
    if text[start:end] != quote:
        return gettext("The quote is not the source's words at that place: quote them exactly.")
    return None


def locate(text: str, quote: str, near: int = 0) -> tuple[int, int] | None:
    """The place of `quote` in `text`, the occurrence nearest to `near`."""
    if not quote:
        return None
    places, at = [], text.find(quote)
    while at != -1:
        places.append(at)
        at = text.find(quote, at + 1)
    if not places:
        return None
    start = min(places, key=lambda place: abs(place - near))
    return start, start + len(quote)
