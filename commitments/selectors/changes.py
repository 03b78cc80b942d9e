"""What changed in the tracker since a day: commitments updated since then, and those
added since. "Since" counts what was recorded on or after that day, whatever date the
change took effect, so a reader who last looked on that day sees everything new to them."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ..choices import Status
from ..dates import end_of_day, start_of_day
from ..models import StatusUpdate

SINCE_CAP = 100


def _recorded_between(since: dt.date, day: dt.date) -> Q:
    return Q(recorded_at__gte=start_of_day(since), recorded_at__lt=end_of_day(day))


def updated_since(scope: QuerySet, since: dt.date, day: dt.date) -> list:
    """Commitments not added since `since` with an update recorded from `since` to the
    end of `day`; one query. Each carries `status_before` (its status by the updates the
    tracker held before `since`), `status_as_of` (on `day`) and `updates_since`."""
    start = start_of_day(since)
    held_before = (
        StatusUpdate.objects.filter(commitment=OuterRef("pk"), recorded_at__lt=start)
        .exclude(corrected_by__recorded_at__lt=start)
        .newest_first()
    )
    recorded = StatusUpdate.objects.filter(commitment=OuterRef("pk")).filter(
        _recorded_between(since, day)
    )
    count = recorded.order_by().values("commitment").annotate(n=Count("pk")).values("n")
    return list(
        scope.filter(created_at__lt=start)
        .filter(Exists(recorded))
        .annotate(
            status_before=Coalesce(
                Subquery(held_before.values("status")[:1]),
                Value(Status.NOT_RATED.value),
                output_field=CharField(),
            ),
            updates_since=Subquery(count),
        )
        .order_by("title")[: SINCE_CAP + 1]
    )


def added_since(scope: QuerySet, since: dt.date, day: dt.date) -> list:
    """Commitments added to the tracker from `since` to the end of `day`; one query."""
    return list(
        scope.filter(created_at__gte=start_of_day(since), created_at__lt=end_of_day(day))
        .select_related("source")
        .order_by("-created_at", "title")[: SINCE_CAP + 1]
    )
