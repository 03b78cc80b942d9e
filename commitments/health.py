"""Health: how a commitment stands on a given day. Derived, never stored.

This module is the only place that says what "overdue", "at risk", "due soon", "not yet
assessed", "stale" and "on track" mean. On track is what is left: rated, open, not late
and not at risk; a commitment nobody has rated yet is never called on track.
Each rule is an SQL condition over the names that the register on a day carries (see
`CommitmentQuerySet.on`):

- `status_as_of`: the status on that day (today: the stored status);
- `stale_as_of`: the latest update was recorded (or, without one, the commitment was
  created) before `stale_before(day)`;
- `deadline`: the last day of the deadline's period;
- `has_late_milestone`: a milestone was due before that day and not completed by then.

So the same condition serves today's list, a past day's dashboard, the API, the
exports and the admin. The rules are tried in order and the first that holds names a
commitment's health; a commitment that meets none is on track. `condition()` states
each key's rule exclusively (it excludes the keys before it), so filtering by every
key in turn partitions the register, and `case()` gives each row its one key.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.apps import apps
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import get_language, gettext, pgettext

from .choices import Health, Status
from .dates import start_of_day

# A deadline whose period ends within this many days (today included) is due soon.
DUE_SOON_DAYS = 90
# An open commitment with no update recorded for this many days is stale.
STALE_DAYS = 180


def describe() -> dict[str, str]:
    """What each health value means, in the order the rules are tried, with the
    thresholds above: the methodology page and every health badge's tooltip read it.
    Worked out once per language and thresholds (a list shows a badge on most rows)."""
    return dict(_described(get_language(), DUE_SOON_DAYS, STALE_DAYS))


@functools.lru_cache(maxsize=32)
def _described(language: str | None, due_soon_days: int, stale_days: int) -> dict[str, str]:
    labels = [str(Status(key).label) for key in Status.closed()]
    closed = {"statuses": pgettext("list separator", ", ").join(labels[:-1]), "last": labels[-1]}
    due_soon, stale = {"days": due_soon_days}, {"days": stale_days}
    return {
        Health.CLOSED: gettext(
            "Its status is %(statuses)s or %(last)s, or a later commitment superseded it (or "
            "it was merged into one): nothing is due any more."
        )
        % closed,
        Health.OVERDUE: gettext(
            "Open, and its deadline's period has ended (a deadline of 2027 is overdue "
            "from 1 January 2028)."
        ),
        Health.AT_RISK: gettext(
            "Open and not overdue, but stalled; or not started with the deadline "
            "within %(days)s days; or a milestone's due period has ended without it "
            "being completed."
        )
        % due_soon,
        Health.DUE_SOON: gettext(
            "Open, not at risk, and its deadline's period ends within "
            "%(days)s days (today included)."
        )
        % due_soon,
        Health.UNASSESSED: gettext(
            "Nobody has rated it yet (%(not_rated)s), and nothing above applies."
        )
        % {"not_rated": Status.NOT_RATED.label},
        Health.STALE: gettext("Rated and open, but no update has been recorded for %(days)s days.")
        % stale,
        Health.ON_TRACK: gettext(
            "Rated, open, not late, not at risk and updated within "
            "%(days)s days: what is left when no rule above holds."
        )
        % stale,
    }


def due_soon_until(day: dt.date) -> dt.date:
    """The last deadline that is still "due soon" on `day`."""
    return day + dt.timedelta(days=DUE_SOON_DAYS)


def stale_before(day: dt.date) -> dt.datetime:
    """Activity before this instant leaves an open commitment stale on `day`."""
    return start_of_day(day) - dt.timedelta(days=STALE_DAYS)


def closed(day: dt.date) -> Q:
    """Closed on `day`: a closing status, or superseded by a later commitment by then."""
    return Q(status_as_of__in=Status.closed()) | Q(superseded_on__lte=day)


def is_open(day: dt.date) -> Q:
    return ~closed(day)


def deadline_within_window(day: dt.date) -> Q:
    """Open, with a deadline from `day` to `DUE_SOON_DAYS` later: the due-soon window,
    whatever else the commitment's health is (the summary's "due within 90 days")."""
    return is_open(day) & Q(deadline__gte=day, deadline__lte=due_soon_until(day))


def late_milestone_today(day: dt.date) -> Case:
    """Today's late milestone, from the commitment's `next_milestone_due` (the earliest
    open milestone's due date, kept by the milestone services): a column, not a
    subquery, so every list can show health at no cost."""
    return Case(
        When(next_milestone_due__lt=day, then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )


def late_milestone(day: dt.date) -> Exists:
    """Whether the commitment had a milestone whose due period ended before `day` and
    that was not completed by then, for a past day: from the milestones themselves.
    `CommitmentQuerySet.on` annotates either as `has_late_milestone`. (The milestone
    model is looked up by name: this module sits below the models.)"""
    milestones = apps.get_model("commitments", "Milestone").objects
    return Exists(
        milestones.filter(commitment=OuterRef("pk"), due_on__lt=day).filter(
            Q(completed_on__isnull=True) | Q(completed_on__gt=day)
        )
    )


def at_risk(day: dt.date) -> Q:
    """Stalled; or not started with the deadline within the due-soon window; or with a
    late milestone. (Closed and overdue commitments are counted as such first.)"""
    not_started_late = Q(status_as_of=Status.NOT_STARTED, deadline__lte=due_soon_until(day))
    return Q(status_as_of=Status.STALLED) | not_started_late | Q(has_late_milestone=True)


def rules(day: dt.date) -> list[tuple[str, Q]]:
    """Each health key with the condition that selects it, in priority order; each one
    applies only to rows that none of the earlier ones selected."""
    return [
        (Health.CLOSED, closed(day)),
        (Health.OVERDUE, Q(deadline__lt=day)),
        (Health.AT_RISK, at_risk(day)),
        (Health.DUE_SOON, Q(deadline__lte=due_soon_until(day))),
        (Health.UNASSESSED, Q(status_as_of=Status.NOT_RATED)),
        (Health.STALE, Q(stale_as_of=True)),
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
