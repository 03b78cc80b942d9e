"""Dates that carry their precision: "by 2035" is a year, not a day.

A deadline is stored as the LAST day of its period (so "overdue" is simply
`deadline < today` in SQL) together with its precision. A date that says since
when something holds ("in force since Sep 2025") is stored as the FIRST day of
its period. Either way, the display depends only on the period and precision.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

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


def format_period(day: dt.date, precision: str) -> str:
    """The period as people say it: "2035", "Q3 2026", "Sep 2025", "12 Mar 2026"."""
    if precision == Precision.YEAR:
        return str(day.year)
    if precision == Precision.QUARTER:
        return f"Q{quarter_of(day)} {day.year}"
    if precision == Precision.MONTH:
        return day.strftime("%b %Y")
    return f"{day.day} {day.strftime('%b %Y')}"


def format_deadline(day: dt.date | None, precision: str | None) -> str:
    if day is None or not precision:
        return "No deadline"
    return f"by {format_period(day, precision)}"


def describe_distance(deadline_end: dt.date | None, today: dt.date) -> str:
    """How far away a deadline is, or how long overdue: "in 3 years", "2 months overdue"."""
    if deadline_end is None:
        return ""
    days = (deadline_end - today).days
    if days == 0:
        return "due today"
    amount = _humanize_days(abs(days))
    return f"in {amount}" if days > 0 else f"{amount} overdue"


def _humanize_days(days: int) -> str:
    if days >= 365:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    if days >= 60:
        months = days // 30
        return f"{months} months"
    return f"{days} day{'s' if days != 1 else ''}"
