"""The review queue's read queries: the reviews due by a day, most urgent first, and
their counts, one query each."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from .. import health
from ..models import Commitment

# Urgency, most urgent first: the deadline's period has ended, it ends within the
# due-soon window, or neither.
OVERDUE, DUE_SOON, LATER = 0, 1, 2


def urgency(day: dt.date) -> Case:
    return Case(
        When(deadline__lt=day, then=Value(OVERDUE)),
        When(deadline__lte=health.due_soon_until(day), then=Value(DUE_SOON)),
        default=Value(LATER),
        output_field=IntegerField(),
    )


def whose(reviewer) -> Q:
    """The reviews `reviewer` should do: assigned to them or to nobody. None: everyone's."""
    if reviewer is None:
        return Q()
    return Q(review_assignee=reviewer) | Q(review_assignee__isnull=True)


def due_reviews(day: dt.date, *, reviewer=None) -> QuerySet:
    """The commitments whose review is due on or before `day` (assigned to `reviewer` or
    to nobody; everyone's when None), overdue deadlines first, then those due soon,
    then by how long the review has waited, the deadline and the title."""
    return (
        Commitment.objects.with_health(day)
        .filter(whose(reviewer), next_review_on__lte=day)
        .annotate(urgency=urgency(day))
        .select_related("review_assignee")
        .order_by("urgency", "next_review_on", "deadline", "title", "id")
    )


def queue_counts(day: dt.date, *, reviewer=None) -> dict[str, int]:
    """How many reviews are due: in all, assigned to `reviewer` (or to anyone when
    None), unassigned, and with an overdue deadline; one query."""
    assigned = (
        Q(review_assignee=reviewer) if reviewer is not None else Q(review_assignee__isnull=False)
    )
    return Commitment.objects.filter(whose(reviewer), next_review_on__lte=day).aggregate(
        due=Count("pk"),
        assigned=Count("pk", filter=assigned),
        unassigned=Count("pk", filter=Q(review_assignee__isnull=True)),
        overdue_deadline=Count("pk", filter=Q(deadline__lt=day)),
    )
