"""What a slipped deadline is, and how a deadline's history reads.

A change *slips* a deadline when it moves a known deadline to a later day for any reason
but the correction of an error (a corrected typo is not a promise running late). A
commitment has slipped when one of its deadline changes slipped. The list's `slipped`
filter, the dashboard's count, the commitment page and the API read this module; the
changes themselves are written only by `services.change_deadline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext, ngettext

from . import dates
from .choices import DeadlineChangeReason

# One deadline change that slipped, as SQL over `DeadlineChange` rows.
SLIP = Q(
    old_deadline__isnull=False,
    new_deadline__isnull=False,
    new_deadline__gt=F("old_deadline"),
) & ~Q(reason=DeadlineChangeReason.CORRECTION)


def slipped_by(day: dt.date) -> Exists:
    """Whether a commitment's deadline had slipped by the end of `day`, as SQL over its
    changes: the list's `slipped` filter and the dashboard's count both read it."""
    changes = apps.get_model("commitments", "DeadlineChange").objects
    return Exists(
        changes.filter(SLIP, commitment=OuterRef("pk"), changed_at__lt=dates.end_of_day(day))
    )


def slipped_among(day: dt.date) -> Q:
    """`slipped_by` as membership of the set of commitments that had slipped by the end
    of `day`: the set is read once, where `slipped_by` asks once per commitment, so a
    count over the whole register uses this one."""
    changes = apps.get_model("commitments", "DeadlineChange").objects
    slipped = changes.filter(SLIP, changed_at__lt=dates.end_of_day(day)).values("commitment")
    return Q(pk__in=slipped)


def is_slip(change) -> bool:
    """The same rule as `SLIP`, for a change already read."""
    return (
        change.old_deadline is not None
        and change.new_deadline is not None
        and change.new_deadline > change.old_deadline
        and change.reason != DeadlineChangeReason.CORRECTION
    )


def period_text(day, precision: str) -> str:
    """A deadline as the chain shows it: "2026", "Q2 2028", "no deadline"."""
    if day is None:
        return gettext("no deadline")
    return dates.format_period(day, precision)


def chain(changes: Sequence) -> list[str]:
    """Every deadline the commitment has had, oldest first, from its changes in order."""
    if not changes:
        return []
    first = changes[0]
    return [
        period_text(first.old_deadline, first.old_precision),
        *(period_text(c.new_deadline, c.new_precision) for c in changes),
    ]


def summary(changes: Sequence) -> str:
    """One line for the commitment page: "slipped twice: 2026 → 2027 → Q2 2028", or
    "deadline changed once: 2027 → 2026" when no change slipped; "" without changes."""
    if not changes:
        return ""
    slips = sum(1 for change in changes if is_slip(change))
    values = {"chain": " → ".join(chain(changes))}
    if slips:
        values["count"] = slips
        if slips == 1:
            return gettext("slipped once: %(chain)s") % values
        if slips == 2:
            return gettext("slipped twice: %(chain)s") % values
        return (
            ngettext(
                "slipped %(count)s time: %(chain)s", "slipped %(count)s times: %(chain)s", slips
            )
            % values
        )
    values["count"] = len(changes)
    if len(changes) == 1:
        return gettext("deadline changed once: %(chain)s") % values
    if len(changes) == 2:
        return gettext("deadline changed twice: %(chain)s") % values
    return (
        ngettext(
            "deadline changed %(count)s time: %(chain)s",
            "deadline changed %(count)s times: %(chain)s",
            len(changes),
        )
        % values
    )
