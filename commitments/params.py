"""Request parameters shared by the pages and the API: the day a page is drawn for
(`as_of`), the "changed since" day, and the list's filter parameters that numbers
pass on to the list they link to.

One parser per parameter and one message per problem, whichever page or endpoint
reads it: a page shows the message and falls back to today, the API answers 400
with it.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext

from . import dates

LIST_PATH = "/commitments/"
# Parameters of the list's FilterSet that the dashboard passes on to the list.
FILTER_PARAMS = (
    "q",
    "status",
    "health",
    "theme",
    "party",
    "source",
    "kind",
    "deadline_after",
    "deadline_before",
    "announced_after",
    "announced_before",
    "has_evidence",
    "party_status",
    "counted_status",
    "slipped",
)
EARLIEST_YEAR = 1900


def parse_day(raw: str | None, label: str) -> tuple[dt.date | None, str | None]:
    """A YYYY-MM-DD date from `EARLIEST_YEAR` on, or a message saying what is wrong."""
    if raw is None or raw.strip() == "":
        return None, None
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None, gettext(
            "“%(value)s” is not a date for %(label)s: use YYYY-MM-DD, e.g. 2025-06-30."
        ) % {"value": raw[:40], "label": label}
    if day.year < EARLIEST_YEAR:
        return None, gettext("Enter a date from %(year)s on for %(label)s.") % {
            "year": EARLIEST_YEAR,
            "label": label,
        }
    return day, None


def parse_as_of(raw: str | None) -> tuple[dt.date, str | None]:
    """The day a page is drawn for: `as_of` when it is a usable day up to today, else
    today, with a message saying why the requested day was not used."""
    today = timezone.localdate()
    day, problem = parse_day(raw, gettext("“as of”"))
    if problem:
        return today, problem
    if day and day > today:
        return today, gettext("%(day)s is in the future: only earlier days can be shown.") % {
            "day": dates.format_period(day, "day")
        }
    return day or today, None


def parse_since(raw: str | None, as_of: dt.date) -> tuple[dt.date | None, str | None]:
    """The "changed since" day: before `as_of`, or None with a message."""
    since, problem = parse_day(raw, gettext("“changed since”"))
    if problem:
        return None, problem
    if since and since >= as_of:
        return None, gettext(
            "“Changed since” must be before %(as_of)s; %(since)s is not, so changes are not shown."
        ) % {"as_of": dates.format_period(as_of, "day"), "since": dates.format_period(since, "day")}
    return since, None


class Params:
    """The active filter parameters, and links to the list with some of them changed.

    Parameters the FilterSet rejected (`invalid`) are left out: the dashboard ignores
    them, so its links must too.
    """

    def __init__(self, data, as_of: dt.date, invalid=()):
        self.values: dict[str, list[str]] = {}
        for name in FILTER_PARAMS:
            if name in invalid:
                continue
            raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            kept = [v for v in raw if v not in (None, "")]
            if kept:
                self.values[name] = kept
        self.as_of = as_of

    @property
    def is_today(self) -> bool:
        return self.as_of == timezone.localdate()

    def pairs(self) -> list[tuple[str, str]]:
        return [(key, value) for key, values in self.values.items() for value in values]

    def with_(self, **changes: str | list[str] | None) -> dict[str, list[str]]:
        values = dict(self.values)
        for name, value in changes.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value if isinstance(value, list) else [value]
        return values

    def list_url(self, **changes: str | list[str] | None) -> str:
        values = self.with_(**changes)
        if not self.is_today:
            values["as_of"] = [self.as_of.isoformat()]
        query = urlencode([(k, v) for k, vs in values.items() for v in vs])
        return f"{LIST_PATH}?{query}" if query else LIST_PATH

    def allows_status(self, key: str) -> bool:
        return "status" not in self.values or key in self.values["status"]

    def allows_health(self, key: str) -> bool:
        return "health" not in self.values or self.values["health"] == [key]
