"""Values as people write them in spreadsheets: dates with their precision, statuses by
label or key, kinds and party roles. Each parser returns a clean value or raises
`ValueError` with a reason that can be shown next to the cell."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from ..choices import Kind, PartyRole, Precision, Status
from ..dates import period_end, period_start

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS.update({"sept": 9})

# Words around a date that do not change its meaning: "by 2035", "end of 2026".
_LEAD_IN = re.compile(
    r"^(?:by\s+(?:the\s+)?(?:end\s+of\s+)?|(?:the\s+)?end\s+of\s+|before\s+the\s+end\s+of\s+|in\s+)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE)
_QUARTER_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s*(\d{4})$", re.IGNORECASE)

# Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999 ("31.12.40" is 2040).
TWO_DIGIT_PIVOT = 70

DATE_HELP = (
    'write it as 2035, "by 2035", "end of 2026", "September 2025", "Q3 2026", '
    '"2027-03-31" or "31/03/2027"'
)


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < TWO_DIGIT_PIVOT else 1900
    return year


def _month(name: str) -> int:
    number = MONTHS.get(name.lower().rstrip("."))
    if number is None:
        raise ValueError(f"{name!r} is not a month")
    return number


def _day(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{day:02d}/{month:02d}/{year} is not a real date") from exc


def parse_period(text: str) -> tuple[dt.date, str]:
    """A date as written, with its precision: ("2035" -> 1 Jan 2035, "year")."""
    raw = " ".join(str(text).replace("\u00a0", " ").split())
    value = _LEAD_IN.sub("", raw).strip().rstrip(".")
    try:
        if match := _YEAR.match(value):
            return dt.date(int(match[1]), 1, 1), Precision.YEAR
        if match := _QUARTER.match(value):
            return dt.date(int(match[2]), 3 * int(match[1]) - 2, 1), Precision.QUARTER
        if match := _QUARTER_YEAR_FIRST.match(value):
            return dt.date(int(match[1]), 3 * int(match[2]) - 2, 1), Precision.QUARTER
        if match := _ISO_DAY.match(value):
            return _day(int(match[1]), int(match[2]), int(match[3])), Precision.DAY
        if match := _ISO_MONTH.match(value):
            return _day(int(match[1]), int(match[2]), 1), Precision.MONTH
        if match := _DMY.match(value):
            return _day(_full_year(match[3]), int(match[2]), int(match[1])), Precision.DAY
        if match := _DAY_MONTH_YEAR.match(value):
            return _day(int(match[3]), _month(match[2]), int(match[1])), Precision.DAY
        if match := _MONTH_DAY_YEAR.match(value):
            return _day(int(match[3]), _month(match[1]), int(match[2])), Precision.DAY
        if match := _MONTH_YEAR.match(value):
            return _day(int(match[2]), _month(match[1]), 1), Precision.MONTH
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a date: {exc}") from exc
    shown = raw if len(raw) <= 60 else raw[:57] + "…"
    raise ValueError(f"{shown!r} is not a date; {DATE_HELP}")


def parse_deadline(text: str) -> tuple[dt.date, str]:
    """A deadline is stored as the last day of its period."""
    day, precision = parse_period(text)
    return period_end(day, precision), precision


def parse_since(text: str) -> tuple[dt.date, str]:
    """An announcement date is stored as the first day of its period."""
    day, precision = parse_period(text)
    return period_start(day, precision), precision


def parse_day(text: str) -> dt.date:
    day, precision = parse_period(text)
    if precision != Precision.DAY:
        raise ValueError(f"{text!r} is not a single day; write it as 2025-09-30")
    return day


def _normal(text: str) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").split()).casefold()


@functools.cache
def _table(choices_class) -> tuple[dict[str, str], str]:
    table = {}
    for key, label in choices_class.choices:
        table[_normal(key)] = key
        table[_normal(label)] = key
    return table, ", ".join(choices_class.values)


def _lookup(choices_class, text: str, what: str) -> str:
    table, keys = _table(choices_class)
    found = table.get(_normal(text))
    if found is None:
        raise ValueError(f"{text!r} is not a {what}; use one of {keys}")
    return found


def parse_status(text: str) -> str:
    """A status by key or label, in any case: "In progress", "in_progress", "ACHIEVED"."""
    return _lookup(Status, text, "status")


def parse_kind(text: str) -> str:
    return _lookup(Kind, text, "kind")


def parse_role(text: str) -> str:
    return _lookup(PartyRole, text, "party role")


def parse_progress(text: str) -> int:
    """A whole number, with or without a % sign; whether it is a progress the status
    service accepts (0 to 100) is the service's rule."""
    value = str(text).strip().rstrip("%").strip()
    try:
        number = float(value)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a number") from exc
    if not number.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    return int(number)


def split_list(text: str, separator: str = ";") -> list[str]:
    return [item.strip() for item in str(text).split(separator) if item.strip()]


def parse_parties(text: str, default_role: str = PartyRole.PARTNER) -> list[tuple[str, str]]:
    """ "Italy:lead; Japan:partner" -> [("Italy", "lead"), ("Japan", "partner")].

    A name may itself contain a colon ("Ministry: Defence"); a single word written
    straight after the last colon ("Italy:boss") is read as a role and must be one.
    """
    parties: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in split_list(text):
        name, role = item, default_role
        head, sep, tail = item.rpartition(":")
        if sep:
            try:
                role = parse_role(tail)
                name = head.strip()
            except ValueError:
                if re.fullmatch(r"[^\W\d_]+", tail):
                    raise ValueError(
                        f"{tail!r} in {item!r} is not a party role: use lead, partner or "
                        "participant"
                    ) from None
                name = item
        if not name:
            raise ValueError(f"{item!r} has no actor name")
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        parties.append((name, role))
    return parties


# -- dates as statements write them -------------------------------------------------------------
# "in the first half of 2026", "throughout 2026", "by the end of the year", "next year": the
# forms a joint statement uses. Relative forms need the statement's date, and without one
# they are not read (a date is never guessed).
_STATEMENT_LEAD_IN = re.compile(
    r"^(?:(?:by|before|until|till|through|throughout|during|within|in|no\s+later\s+than)\s+)?"
    r"(?:the\s+)?(?:(?:end|close)\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
_HALF = re.compile(r"^(first|1st|second|2nd)\s+half\s+(?:of\s+)?(\d{4})$", re.IGNORECASE)
_RELATIVE_YEAR = re.compile(
    r"^(?:(this|current|next|following)\s+)?(?:calendar\s+)?year$", re.IGNORECASE
)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})$")


def parse_statement_period(text: str, *, said_on: dt.date | None = None) -> tuple[dt.date, str]:
    """A date as a statement writes it, with its precision, as `parse_period` returns it.

    Adds to `parse_period`: halves ("first half of 2026" ends on 30 June, a month; the
    second half ends with the year), year ranges ("2024–2027" runs to 2027), and "this
    year", "the end of the year", "next year", read from `said_on`, the statement's date.
    """
    raw = " ".join(str(text).replace("\u00a0", " ").split()).rstrip(".")
    value = _STATEMENT_LEAD_IN.sub("", raw, count=1).strip()
    if match := _HALF.match(value):
        year = int(match[2])
        if match[1].lower() in {"first", "1st"}:
            return dt.date(year, 6, 1), Precision.MONTH
        return dt.date(year, 1, 1), Precision.YEAR
    if match := _YEAR_RANGE.match(value):
        first, last = int(match[1]), match[2]
        last_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        if last_year < first:
            raise ValueError(f"{raw!r} is not a period: it ends before it starts")
        return dt.date(last_year, 1, 1), Precision.YEAR
    if match := _RELATIVE_YEAR.match(value):
        if said_on is None:
            raise ValueError(f"{raw!r} depends on the statement's date, which is not known")
        offset = 1 if (match[1] or "").lower() in {"next", "following"} else 0
        return dt.date(said_on.year + offset, 1, 1), Precision.YEAR
    return parse_period(value or raw)
