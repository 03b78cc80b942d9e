"""Intent-named queries. Health is derived, never stored: computed here in SQL so
lists can filter and count by it, and in `Commitment.health_on()` for one row.
Both read the same thresholds and a test checks they agree."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from .choices import DUE_SOON_DAYS, STALE_DAYS, Health, Status


def _stale_cutoff(today: dt.date) -> dt.datetime:
    from django.utils import timezone

    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return start_of_today - dt.timedelta(days=STALE_DAYS)


def health_conditions(today: dt.date) -> list[tuple[str, Q]]:
    """Each health key with the SQL condition that selects it, in priority order.

    The conditions are exclusive: each one excludes the ones before it.
    """
    closed = Q(status__in=Status.closed())
    overdue = Q(deadline__lt=today)
    due_soon = Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    stale = Q(last_activity_at__lt=_stale_cutoff(today))
    return [
        (Health.CLOSED, closed),
        (Health.OVERDUE, ~closed & overdue),
        (Health.DUE_SOON, ~closed & due_soon),
        (Health.STALE, ~closed & ~Q(deadline__lte=today + dt.timedelta(DUE_SOON_DAYS)) & stale),
    ]


def condition_for(key: str, conditions: list[tuple[str, Q]]) -> Q:
    """The condition of one health key among `conditions`; On track is none of them."""
    for health, condition in conditions:
        if health == key:
            return condition
    if key == Health.ON_TRACK:
        combined = Q()
        for _, condition in conditions:
            combined |= condition
        return ~combined
    raise ValueError(f"Unknown health {key!r}")


def case_of(conditions: list[tuple[str, Q]]) -> Case:
    """Each row's health key: the first of `conditions` it meets, else On track."""
    return Case(
        *[When(condition, then=Value(str(key))) for key, condition in conditions],
        default=Value(str(Health.ON_TRACK)),
        output_field=models.CharField(),
    )


def health_q(key: str, today: dt.date) -> Q:
    return condition_for(key, health_conditions(today))


def health_case(today: dt.date) -> Case:
    return case_of(health_conditions(today))


class CommitmentQuerySet(models.QuerySet):
    def with_last_activity(self):
        return self.annotate(last_activity_at=Coalesce("last_update_at", "created_at"))

    def with_health(self, today: dt.date):
        return self.with_last_activity().annotate(health=health_case(today))

    def with_health_key(self, key: str, today: dt.date):
        return self.with_last_activity().filter(health_q(key, today))

    def closed(self):
        return self.filter(status__in=Status.closed())

    def open(self):
        return self.exclude(status__in=Status.closed())

    def overdue(self, today: dt.date):
        return self.with_health_key(Health.OVERDUE, today)

    def due_soon(self, today: dt.date):
        return self.with_health_key(Health.DUE_SOON, today)

    def due_within(self, days: int, today: dt.date):
        return self.open().filter(
            deadline__gte=today, deadline__lte=today + dt.timedelta(days=days)
        )

    def stale(self, today: dt.date):
        return self.with_health_key(Health.STALE, today)

    def on_track(self, today: dt.date):
        return self.with_health_key(Health.ON_TRACK, today)

    def with_evidence_flag(self):
        from .models import Evidence

        return self.annotate(
            has_evidence=Exists(Evidence.objects.filter(commitment=OuterRef("pk")))
        )

    def for_list(self, today: dt.date):
        """What a row in any list shows: source, parties with actors, themes, health."""
        from .models import Party

        return (
            self.with_health(today)
            .select_related("source", "parent")
            .prefetch_related(
                models.Prefetch("parties", queryset=Party.objects.select_related("actor")),
                "themes",
            )
        )

    def health_counts(self, today: dt.date) -> dict[str, int]:
        """Count of commitments per health key, in one query."""
        aggregates = {str(key): Count("pk", filter=health_q(key, today)) for key in Health.values}
        row = self.with_last_activity().aggregate(**aggregates)
        return {key: row[key] for key in Health.values}

    def status_counts(self) -> dict[str, int]:
        """Count of commitments per status key, in one query."""
        aggregates = {str(key): Count("pk", filter=Q(status=key)) for key in Status.values}
        row = self.aggregate(**aggregates)
        return {key: row[key] for key in Status.values}


class StatusUpdateQuerySet(models.QuerySet):
    def in_effective_order(self):
        return self.order_by("effective_on", "recorded_at", "id")

    def newest_first(self):
        return self.order_by("-effective_on", "-recorded_at", "-id")

    def not_corrected(self):
        return self.filter(corrected_by__isnull=True)

    def recorded_newest_first(self):
        return self.order_by("-recorded_at", "-id")

    def last_recorded_for(self, commitment):
        """A commitment's updates, the one recorded last first (ids grow as they are
        recorded): what an analyst saw, for detecting a conflicting save."""
        return self.filter(commitment=commitment).order_by("-id")
