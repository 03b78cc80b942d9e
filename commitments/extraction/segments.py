"""A statement cut into sentences and list items, each with its exact place in the text.

Every segment keeps `start` and `end` offsets into the original text, so
`text[start:end]` is its words exactly, spaces and punctuation as written. A line that
starts with a bullet ("-", "•", "*", "(a)", "1.", "i)") is a list item; a sentence or line
that ends with a colon is a lead-in, and the items that follow it are its list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(
    r"[ \t]*(?:(?P<symbol>[-–—•*·▪●◦])|(?P<number>\(?\d{1,2}[.)])|(?P<letter>\(?[a-z]\))"
    r"|(?P<roman>\(?[ivx]{1,4}\)))[ \t]+"
)
_LINE = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (and any closing quote or bracket) before a space and a capital,
# a digit or an opening quote.
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]]*(?=\s+[“‘\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "art",
        "para",
        "paras",
        "vol",
        "fig",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "approx",
        "dept",
        "gov",
        "govt",
        "jr",
        "sr",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "h.e",
        "h.m",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


@dataclass(frozen=True)
class Segment:
    """A sentence or a list item. `lead_in` is the index of the segment introducing the
    list an item belongs to, or None."""

    index: int
    start: int
    end: int
    text: str
    is_item: bool = False
    lead_in: int | None = None

    @property
    def is_lead_in(self) -> bool:
        return self.text.rstrip().endswith(":")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().lstrip("(“\"'")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, begin = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        spans.append(_trimmed(text, begin, match.end()))
        begin = match.end()
    spans.append(_trimmed(text, begin, end))
    return [(s, e) for s, e in spans if e > s]


def split(text: str) -> list[Segment]:
    """Sentences and list items of `text`, in order."""
    segments: list[Segment] = []
    lead_in: int | None = None
    # An item that ends with a colon ("4. To that end, we will:") leads the items that
    # follow it with another kind of bullet, until an item with its own kind of bullet.
    item_lead_in: tuple[int, str] | None = None
    for line in _LINE.finditer(text):
        start, end = line.start(), line.end()
        bullet = _BULLET.match(text, start, end)
        if bullet and bullet.end() < end:
            marker = bullet.lastgroup or ""
            if item_lead_in and item_lead_in[1] == marker:
                item_lead_in = None
            parent = item_lead_in[0] if item_lead_in else lead_in
            start, end = _trimmed(text, bullet.end(), end)
            for s, e in _sentences(text, start, end):
                segments.append(Segment(len(segments), s, e, text[s:e], True, parent))
            if item_lead_in is None and segments[-1].is_lead_in:
                item_lead_in = (segments[-1].index, marker)
            continue
        item_lead_in = None
        spans = _sentences(text, start, end)
        if not spans:
            lead_in = None
            continue
        for s, e in spans:
            segments.append(Segment(len(segments), s, e, text[s:e]))
        last = segments[-1]
        lead_in = last.index if last.is_lead_in else None
    return segments
