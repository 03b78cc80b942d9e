"""Dates that carry their precision: "by 2035" is a year, not a day.

A deadline is stored as the LAST day of its period (so "overdue" is simply
`deadline < today` in SQL) together with its precision. A date that says since
when something holds ("in force since Sep 2025") is stored as the FIRST day of
its period. Either way, the display depends only on the period and precision.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext, pgettext_lazy

from .choices import Precision


def start_of_day(day: dt.date) -> dt.datetime:
    """The first instant of `day` in the tracker's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the tracker's time zone."""
    return start_of_day(day + dt.timedelta(days=1))


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def period_start(day: dt.date, precision: str) -> dt.date:
    if precision == Precision.YEAR:
        return dt.date(day.year, 1, 1)
    if precision == Precision.QUARTER:
        return dt.date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)
    if precision == Precision.MONTH:
        return dt.date(day.year, day.month, 1)
    return day


def period_end(day: dt.date, precision: str) -> dt.date:
    if precision == Precision.YEAR:
        return dt.date(day.year, 12, 31)
    if precision == Precision.QUARTER:
        last_month = 3 * quarter_of(day)
        return dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    if precision == Precision.MONTH:
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


# Django's own month names, restated so that our catalogues decide how a full date reads:
# Italian writes months in lower case ("28 novembre 2026"), which Django's catalogue does not.
DATE_MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)

# A month as a period names it, in each language: "Sep 2025", "settembre 2025", "2025年9月".
MONTHS = {
    1: pgettext_lazy("month of a period", "Jan"),
    2: pgettext_lazy("month of a period", "Feb"),
    3: pgettext_lazy("month of a period", "Mar"),
    4: pgettext_lazy("month of a period", "Apr"),
    5: pgettext_lazy("month of a period", "May"),
    6: pgettext_lazy("month of a period", "Jun"),
    7: pgettext_lazy("month of a period", "Jul"),
    8: pgettext_lazy("month of a period", "Aug"),
    9: pgettext_lazy("month of a period", "Sep"),
    10: pgettext_lazy("month of a period", "Oct"),
    11: pgettext_lazy("month of a period", "Nov"),
    12: pgettext_lazy("month of a period", "Dec"),
}


def format_period(day: dt.date, precision: str) -> str:
    """The period as the reader's language says it: "2035", "Q3 2026", "Sep 2025",
    "12 Mar 2026" (Italian "T3 2026", "settembre 2025"; Japanese "2026年第3四半期")."""
    values = {"year": day.year, "quarter": quarter_of(day), "month": MONTHS[day.month]}
    if precision == Precision.YEAR:
        return pgettext("period", "%(year)s") % values
    if precision == Precision.QUARTER:
        return pgettext("period", "Q%(quarter)s %(year)s") % values
    if precision == Precision.MONTH:
        return pgettext("period", "%(month)s %(year)s") % values
    return pgettext("period", "%(day)s %(month)s %(year)s") % {**values, "day": day.day}


def plain_period(day: dt.date, precision: str) -> str:
    """The period in the words the date reader reads back ("2035", "Q3 2026", "Sep 2025",
    "12 Mar 2026"), whatever the reader's language: for boxes that are typed in."""
    with translation.override("en"):
        return format_period(day, precision)


def format_deadline(day: dt.date | None, precision: str | None) -> str:
    """A deadline with its precision: "by 2035", "entro il 2035", "2035年まで"."""
    if day is None or not precision:
        return gettext("No deadline")
    period = format_period(day, precision)
    if precision == Precision.YEAR:
        return pgettext("deadline in a year", "by %(period)s") % {"period": period}
    if precision == Precision.QUARTER:
        return pgettext("deadline in a quarter", "by %(period)s") % {"period": period}
    if precision == Precision.MONTH:
        return pgettext("deadline in a month", "by %(period)s") % {"period": period}
    return pgettext("deadline on a day", "by %(period)s") % {"period": period}


def describe_distance(deadline_end: dt.date | None, today: dt.date) -> str:
    """How far away a deadline is, or how long overdue: "in 3 years", "2 months overdue"
    ("tra 3 anni", "3年後")."""
    if deadline_end is None:
        return ""
    days = (deadline_end - today).days
    if days == 0:
        return gettext("due today")
    ahead = days > 0
    days = abs(days)
    if days >= 365:
        count = days // 365
        if ahead:
            text = ngettext("in %(count)s year", "in %(count)s years", count)
        else:
            text = ngettext("%(count)s year overdue", "%(count)s years overdue", count)
    elif days >= 60:
        count = days // 30
        if ahead:
            text = ngettext("in %(count)s month", "in %(count)s months", count)
        else:
            text = ngettext("%(count)s month overdue", "%(count)s months overdue", count)
    else:
        count = days
        if ahead:
            text = ngettext("in %(count)s day", "in %(count)s days", count)
        else:
            text = ngettext("%(count)s day overdue", "%(count)s days overdue", count)
    return text % {"count": count}
