"""What changed since a day: status changes and commitments new since then."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ..choices import Status
from ..dates import end_of_day
from ..models import StatusUpdate

SINCE_CAP = 100


def status_changes_since(scope: QuerySet, since: dt.date) -> list:
    """Commitments whose status on the scope's day differs from their status on
    `since`, among those not new since then (see `new_since`); one query. Each row
    carries `status_since` and `status_as_of`."""
    in_effect_then = StatusUpdate.objects.in_effect_on(since).filter(commitment=OuterRef("pk"))
    return list(
        scope.exclude(_new_since(since))
        .annotate(
            status_since=Coalesce(
                Subquery(in_effect_then.values("status")[:1]), Value(Status.NOT_RATED.value)
            )
        )
        .exclude(status_since=F("status_as_of"))
        .order_by("title")[: SINCE_CAP + 1]
    )


def _new_since(since: dt.date) -> Q:
    return Q(announced_on__gt=since) | Q(
        announced_on__isnull=True, created_at__gte=end_of_day(since)
    )


def new_since(scope: QuerySet, since: dt.date) -> list:
    """Commitments announced after `since` or, when the announcement date is unknown,
    added to the tracker after it; one query."""
    return list(
        scope.filter(_new_since(since))
        .select_related("source")
        .order_by(F("announced_on").desc(nulls_last=True), "title")[: SINCE_CAP + 1]
    )
