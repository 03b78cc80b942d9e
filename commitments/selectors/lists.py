"""The dashboard's short lists: latest updates, next deadlines, next milestones."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from ..choices import Status
from ..dates import end_of_day
from ..models import Milestone, StatusUpdate
from .scope import in_scope

LATEST_UPDATES = 10
NEXT_ITEMS = 10


def latest_updates(scope: QuerySet, day: dt.date, n: int = LATEST_UPDATES) -> list:
    """The last `n` updates recorded by the end of `day`; one query."""
    return list(
        StatusUpdate.objects.filter(in_scope(scope), recorded_at__lt=end_of_day(day))
        .select_related("commitment", "recorded_by", "corrected_by")
        .order_by("-recorded_at", "-id")[:n]
    )


def next_deadlines(scope: QuerySet, day: dt.date, n: int = NEXT_ITEMS) -> list:
    """The next `n` open commitments by deadline from `day`; one query."""
    return list(
        scope.filter(deadline__gte=day)
        .exclude(status_as_of__in=Status.closed())
        .order_by("deadline", "title")[:n]
    )


def next_milestones(scope: QuerySet, day: dt.date, n: int = NEXT_ITEMS) -> list:
    """The next `n` milestones not completed by `day`; one query."""
    return list(
        Milestone.objects.filter(in_scope(scope), due_on__gte=day)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=day))
        .select_related("commitment")
        .order_by("due_on", "order", "id")[:n]
    )
