"""The deadline a sentence names, read with the importer's date reader
(`importing.fuzzy.parse_statement_period`) and kept at the precision the words give."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..dates import format_deadline, period_end
from ..importing.fuzzy import parse_statement_period

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d\d"
_WHEN = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+{_YEAR}|\d{{1,2}}\s+{_MONTH}\s+{_YEAR}|{_MONTH}\s+{_YEAR}"
    rf"|q[1-4]\s+{_YEAR}|(?:the\s+)?(?:first|second|1st|2nd)\s+half\s+of\s+{_YEAR}"
    rf"|(?:this|next|the\s+following|the\s+current)\s+year|the\s+year|{_YEAR}(?![-–—/]\d))"
)
_PHRASE = re.compile(
    r"\b(?:(?:by|before|until|till|no\s+later\s+than|throughout|during|within|in)\s+)"
    rf"(?:the\s+(?:end|close)\s+of\s+)?{_WHEN}"
    rf"|\b(?:next|this)\s+year\b|\b{_YEAR}\s*[-–—]\s*(?:{_YEAR}|\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Deadline:
    date: dt.date  # the last day of its period, as stored
    precision: str
    phrase: str
    start: int  # offsets of `phrase` in the sentence
    end: int

    @property
    def display(self) -> str:
        return format_deadline(self.date, self.precision)

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "precision": str(self.precision),
            "display": self.display,
        }


def find(sentence: str, *, said_on: dt.date | None = None) -> Deadline | None:
    """The first deadline in `sentence` that reads as one and is not before the statement."""
    for match in _PHRASE.finditer(sentence):
        try:
            day, precision = parse_statement_period(match[0], said_on=said_on)
        except ValueError:
            continue
        end = period_end(day, precision)
        if said_on is not None and end < said_on:
            continue
        return Deadline(end, precision, match[0], match.start(), match.end())
    return None
