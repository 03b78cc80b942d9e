"""The dashboard's short lists: latest updates, next deadlines, next milestones."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import health
from ..choices import Status
from ..models import Milestone, StatusUpdate
from .scope import in_scope

LATEST_UPDATES = 10
NEXT_ITEMS = 10


def _after(ref: str = "") -> Q:
    """Updates of the same commitment that come after the outer one in effective order."""
    return (
        Q(effective_on__gt=OuterRef(f"{ref}effective_on"))
        | Q(
            effective_on=OuterRef(f"{ref}effective_on"),
            recorded_at__gt=OuterRef(f"{ref}recorded_at"),
        )
        | Q(
            effective_on=OuterRef(f"{ref}effective_on"),
            recorded_at=OuterRef(f"{ref}recorded_at"),
            pk__gt=OuterRef(f"{ref}pk"),
        )
    )


def latest_updates(scope: QuerySet, day: dt.date, n: int = LATEST_UPDATES) -> list:
    """The last `n` updates that are in effect on `day`: each the update that set its
    commitment's status then, so no transition shown contradicts the status the tiles
    count. Corrected entries, and entries a later-effective one keeps from being
    current, never show. Each carries `status_before`: the status it moved from, along
    the chain of entries that are not corrected. One query.

    Today: the current updates of the commitments touched last, newest recorded first
    (read through the commitments' last-update index). A past day: the updates in
    effect then, newest effective first (read through the updates' effective index)."""
    if day == timezone.localdate():
        current = (
            StatusUpdate.objects.filter(commitment=OuterRef("pk"))
            .exclude(Exists(_corrections()))
            .newest_first()
            .values("pk")[:1]
        )
        touched = (
            scope.filter(last_update_at__isnull=False)
            .order_by("-last_update_at")
            .annotate(current=Subquery(current))
            .values("current")[:n]
        )
        updates = StatusUpdate.objects.filter(pk__in=touched).order_by("-recorded_at", "-id")
    else:
        in_effect = StatusUpdate.objects.filter(effective_on__lte=day).exclude(
            Exists(_corrections())
        )
        superseded = in_effect.filter(commitment=OuterRef("commitment")).filter(_after())
        updates = (
            in_effect.filter(in_scope(scope))
            .exclude(Exists(superseded))
            .order_by("-effective_on", "-recorded_at", "-id")[:n]
        )
    before = (
        StatusUpdate.objects.filter(commitment=OuterRef("commitment"))
        .exclude(Exists(_corrections()))
        .exclude(pk=OuterRef("pk"))
        .exclude(_after())
        .newest_first()
    )
    return list(
        updates.annotate(
            status_before=Coalesce(
                Subquery(before.values("status")[:1]),
                Value(Status.NOT_RATED.value),
                output_field=CharField(),
            )
        ).select_related("commitment", "recorded_by")
    )


def _corrections() -> QuerySet:
    """The correction of the outer update, if any: as a correlated test, which the
    database checks per row through the unique index on `corrects`."""
    return StatusUpdate.objects.filter(corrects=OuterRef("pk"))


def next_deadlines(scope: QuerySet, day: dt.date, n: int = NEXT_ITEMS) -> list:
    """The next `n` open commitments by deadline from `day`; one query."""
    return list(
        scope.filter(deadline__gte=day)
        .exclude(health.closed(day))
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
