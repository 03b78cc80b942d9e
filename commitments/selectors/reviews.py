"""The review queue's read queries: the reviews due by a day, most urgent first, and
their counts.

A page of the queue is two queries: the due commitments' ids in queue order, read from
the partial index `commitment_review_due_idx` alone (its key and included columns hold
everything the filter and the order need, so tens of thousands of due reviews are
ordered without reading a table row), then the page's own rows in full. The counts are
one more query over the same index, and give the paginator its count."""

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


QUEUE_ORDER = ("urgency", "next_review_on", "deadline", "title", "id")


def due(day: dt.date, reviewer) -> Q:
    return whose(reviewer) & Q(next_review_on__lte=day)


def due_reviews(day: dt.date, *, reviewer=None) -> QuerySet:
    """The commitments whose review is due on or before `day` (assigned to `reviewer` or
    to nobody; everyone's when None), overdue deadlines first, then those due soon,
    then by how long the review has waited, the deadline and the title."""
    return (
        Commitment.objects.with_health(day)
        .filter(due(day, reviewer))
        .annotate(urgency=urgency(day))
        .select_related("review_assignee")
        .order_by(*QUEUE_ORDER)
    )


def due_review_ids(day: dt.date, *, reviewer=None) -> QuerySet:
    """The ids of `due_reviews`, in its order: what a page of the queue slices."""
    return (
        Commitment.objects.filter(due(day, reviewer))
        .annotate(urgency=urgency(day))
        .order_by(*QUEUE_ORDER)
        .values_list("pk", flat=True)
    )


def reviews_by_ids(day: dt.date, ids: list[int]) -> list[Commitment]:
    """The commitments of `ids` with their health on `day` and their assignee, in the
    order of `ids`; one query."""
    rows = Commitment.objects.with_health(day).filter(pk__in=ids).select_related("review_assignee")
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


def queue_counts(day: dt.date, *, reviewer=None) -> dict[str, int]:
    """How many reviews are due: in all, assigned to `reviewer` (or to anyone when
    None), unassigned, and with an overdue deadline; one query."""
    assigned = (
        Q(review_assignee=reviewer) if reviewer is not None else Q(review_assignee__isnull=False)
    )
    return Commitment.objects.filter(due(day, reviewer)).aggregate(
        due=Count("pk"),
        assigned=Count("pk", filter=assigned),
        unassigned=Count("pk", filter=Q(review_assignee__isnull=True)),
        overdue_deadline=Count("pk", filter=Q(deadline__lt=day)),
    )
