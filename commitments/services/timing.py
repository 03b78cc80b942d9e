"""Which days an update or a milestone's completion may be dated, and when an imported
history entry may say it was recorded: the one window every date entering the history
passes through, whichever form, API, import or admin brings it.

Not in the future; not before the commitment was announced or, when that is unknown,
before its source's date (nothing can have happened to a promise before it was made);
and, when neither is known, not more than `EFFECTIVE_YEARS_BACK` years back, which is
then always a typo.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from .. import dates
from ..models import Commitment
from .limits import EFFECTIVE_YEARS_BACK


def earliest_allowed(commitment: Commitment, today: dt.date) -> tuple[dt.date, str]:
    """The first day an event of this commitment may be dated, and why.

    A known announcement (or, when that is unknown, the source's date) is the bound, as
    far back as it lies: a summit of 1989 was scored in 1990. The years-back guard
    against typos holds only when neither is known."""
    if commitment.announced_on:
        return (
            commitment.announced_on,
            gettext("before the announcement (%(day)s)") % {"day": commitment.announced_display},
        )
    if commitment.source_id and commitment.source.date:
        return commitment.source.date, gettext(
            "before the source's date (%(day)s), since the announcement date is not known"
        ) % {"day": dates.format_period(commitment.source.date, "day")}
    floor = _years_before(today, EFFECTIVE_YEARS_BACK)
    return floor, gettext("more than %(years)s years back") % {"years": EFFECTIVE_YEARS_BACK}


def check_day(
    commitment: Commitment, day: dt.date, *, what: str, today: dt.date, precision: str = "day"
) -> str | None:
    """What is wrong with dating an event of `commitment` on `day`, or None.

    A day with a coarser precision stands for its whole period: "Sep 2025" is not in
    the future in the middle of September, and not before an announcement on 10 Sep."""
    start = dates.period_start(day, precision or "day")
    end = dates.period_end(day, precision or "day")
    if start > today:
        return gettext("%(what)s cannot be in the future.") % {"what": what}
    earliest, reason = earliest_allowed(commitment, today)
    if end < earliest:
        return gettext("%(what)s cannot be %(reason)s.") % {"what": what, "reason": reason}
    return None


def check_recorded_at(
    recorded_at: dt.datetime, *, now: dt.datetime, what: str | None = None
) -> str | None:
    """What is wrong with a history entry (or an evidence item) saying it was recorded
    at `recorded_at`, or None."""
    # The dates first: comparing instants at the calendar's very edge (year 1, 9999)
    # would overflow when their offsets are applied.
    what = what or gettext("An update")
    day = recorded_at.date()
    if day < _years_before(now.date(), EFFECTIVE_YEARS_BACK):
        return gettext("%(what)s cannot be recorded more than %(years)s years back.") % {
            "what": what,
            "years": EFFECTIVE_YEARS_BACK,
        }
    if day > now.date() or recorded_at > now:
        return gettext("%(what)s cannot be recorded in the future.") % {"what": what}
    return None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
