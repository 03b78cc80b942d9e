"""Health: how an open commitment stands on a given day. Derived, never stored.

This module is the only place that says what "overdue", "due soon" and "stale" mean.
Each rule is an SQL condition over the names that the register on a day carries (see
`CommitmentQuerySet.on`):

- `status_as_of`: the status on that day (today: the stored status);
- `activity_as_of`: when the latest update was recorded by then, or when the
  commitment was created;
- `deadline`: the last day of the deadline's period.

So the same condition serves today's list, a past day's dashboard, the API, the
exports and the admin. The rules are tried in order and the first that holds names a
commitment's health; a commitment that meets none is on track. `condition()` states
each key's rule exclusively (it excludes the keys before it), so filtering by every
key in turn partitions the register, and `case()` gives each row its one key.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Q, Value, When

from .choices import Health, Status
from .dates import start_of_day

# A deadline whose period ends within this many days (today included) is due soon.
DUE_SOON_DAYS = 90
# An open commitment with no update recorded for this many days is stale.
STALE_DAYS = 180


def due_soon_until(day: dt.date) -> dt.date:
    """The last deadline that is still "due soon" on `day`."""
    return day + dt.timedelta(days=DUE_SOON_DAYS)


def stale_before(day: dt.date) -> dt.datetime:
    """Activity before this instant leaves an open commitment stale on `day`."""
    return start_of_day(day) - dt.timedelta(days=STALE_DAYS)


def is_open() -> Q:
    return ~Q(status_as_of__in=Status.closed())


def deadline_within_window(day: dt.date) -> Q:
    """Open, with a deadline from `day` to `DUE_SOON_DAYS` later: the due-soon window,
    whatever else the commitment's health is (the summary's "due within 90 days")."""
    return is_open() & Q(deadline__gte=day, deadline__lte=due_soon_until(day))


def rules(day: dt.date) -> list[tuple[str, Q]]:
    """Each health key with the condition that selects it, in priority order; each one
    applies only to rows that none of the earlier ones selected."""
    return [
        (Health.CLOSED, Q(status_as_of__in=Status.closed())),
        (Health.OVERDUE, Q(deadline__lt=day)),
        (Health.DUE_SOON, Q(deadline__lte=due_soon_until(day))),
        (Health.STALE, Q(activity_as_of__lt=stale_before(day))),
    ]


def condition(key: str, day: dt.date) -> Q:
    """The rows whose health on `day` is `key`: its rule, and none of the earlier ones."""
    earlier: Q | None = None
    for health, rule in rules(day):
        if health == key:
            return rule if earlier is None else rule & ~earlier
        earlier = rule if earlier is None else earlier | rule
    if key == Health.ON_TRACK:
        return ~earlier
    raise ValueError(f"Unknown health {key!r}")


def case(day: dt.date) -> Case:
    """Each row's health key on `day`: the first rule it meets, else on track."""
    return Case(
        *[When(rule, then=Value(str(key))) for key, rule in rules(day)],
        default=Value(str(Health.ON_TRACK)),
        output_field=models.CharField(),
    )
