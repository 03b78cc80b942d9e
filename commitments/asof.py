"""The register as it stood at the end of a given day.

Every commitment gets three annotations that the dashboard, its tiles and the
summary API read instead of the stored fields:

- `status_as_of`: the status of its latest non-corrected update effective on or
  before that day (Not yet rated without one);
- `progress_as_of`: that update's progress;
- `activity_as_of`: when its latest update was recorded by the end of that day, or
  when it was created; health calls a commitment stale from this.

For today the stored fields already hold the answer (the status service keeps them
equal to the latest update), so `commitments_on` annotates the same names from them
and the numbers agree with the list at /commitments/. For a past day they come from
the history, deadlines are judged against that day, and commitments announced later
are left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import DUE_SOON_DAYS, Health, Status
from .filters import CommitmentFilterSet
from .models import Commitment, StatusUpdate
from .querysets import case_of, condition_for, health_conditions

# Field names in `health_conditions` and the as-of annotations that replace them.
AS_OF_FIELDS = {"status": "status_as_of", "last_activity_at": "activity_as_of"}
# A slice no register reaches (see `dashboard_numbers`).
WHOLE_REGISTER = 2**62

# The list's sorts that read a value which changes over time, read as of the day.
AS_OF_SORTS = {
    "updated": [F("activity_as_of").asc(nulls_first=True), "title"],
    "-updated": [F("activity_as_of").desc(nulls_last=True), "title"],
    "progress": [F("progress_as_of").asc(nulls_first=True), "title"],
    "-progress": [F("progress_as_of").desc(nulls_last=True), "title"],
}


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the tracker's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def is_today(day: dt.date) -> bool:
    return day == timezone.localdate()


def updates_in_effect(as_of: dt.date) -> QuerySet:
    """A commitment's non-corrected updates effective by `as_of`, latest first."""
    return (
        StatusUpdate.objects.filter(commitment=OuterRef("pk"), effective_on__lte=as_of)
        .filter(corrected_by__isnull=True)
        .order_by("-effective_on", "-recorded_at", "-id")
    )


def commitments_as_of(queryset: QuerySet, as_of: dt.date) -> QuerySet:
    """Annotate status, progress and last activity from the history as of the end of
    `as_of`, and leave out commitments announced after it."""
    in_effect = updates_in_effect(as_of)
    recorded_by_then = (
        StatusUpdate.objects.filter(commitment=OuterRef("pk"), recorded_at__lt=end_of_day(as_of))
        .order_by()
        .values("commitment")
        .annotate(latest=Max("recorded_at"))
        .values("latest")
    )
    return queryset.exclude(announced_on__gt=as_of).annotate(
        status_as_of=Coalesce(
            Subquery(in_effect.values("status")[:1]),
            Value(Status.NOT_RATED.value),
            output_field=CharField(),
        ),
        progress_as_of=Subquery(in_effect.values("progress")[:1], output_field=IntegerField()),
        activity_as_of=Coalesce(
            Subquery(recorded_by_then, output_field=DateTimeField()),
            F("created_at"),
            output_field=DateTimeField(),
        ),
    )


def commitments_now(queryset: QuerySet) -> QuerySet:
    """The same annotations as `commitments_as_of`, read from the stored current fields."""
    return queryset.annotate(
        status_as_of=F("status"),
        progress_as_of=F("progress"),
        activity_as_of=Coalesce("last_update_at", "created_at", output_field=DateTimeField()),
    )


def commitments_on(queryset: QuerySet, day: dt.date) -> QuerySet:
    """Today from the stored fields; any other day from the history."""
    if is_today(day):
        return commitments_now(queryset)
    return commitments_as_of(queryset, day)


def _renamed(condition: Q, names: dict[str, str]) -> Q:
    """A copy of `condition` with its field names replaced (lookups kept)."""
    children = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(_renamed(child, names))
            continue
        lookup, value = child
        field, sep, rest = lookup.partition("__")
        children.append((f"{names.get(field, field)}{sep}{rest}", value))
    copy = Q(*children, _connector=condition.connector, _negated=condition.negated)
    return copy


def health_conditions_as_of(as_of: dt.date) -> list[tuple[str, Q]]:
    """`querysets.health_conditions` over the as-of annotations, judged against `as_of`."""
    return [(key, _renamed(q, AS_OF_FIELDS)) for key, q in health_conditions(as_of)]


def health_case_as_of(as_of: dt.date) -> Case:
    """`querysets.health_case` over the as-of annotations: each row's health on `as_of`."""
    return case_of(health_conditions_as_of(as_of))


def health_q_as_of(key: str, as_of: dt.date) -> Q:
    return condition_for(key, health_conditions_as_of(as_of))


class AsOfFilterSet(CommitmentFilterSet):
    """The list's FilterSet, with status and health read as of `today`.

    For today it selects exactly what `CommitmentFilterSet` selects (the same
    parameters, the stored status); for a past day, status and health come from the
    history, so a dashboard of a past day and its tiles agree.
    """

    status = filters.MultipleChoiceFilter(
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Status",
        method="filter_status",
        distinct=False,
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, today=None):
        today = today or timezone.localdate()
        if queryset is None:
            queryset = Commitment.objects.all()
        queryset = commitments_on(queryset, today)
        super().__init__(data=data, queryset=queryset, request=request, prefix=prefix, today=today)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_as_of__in=value) if value else queryset

    def ordering(self) -> list:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return AS_OF_SORTS.get(data.get("sort") or "") or super().ordering()

    def filter_health(self, queryset, name, value):
        return queryset.filter(health_q_as_of(value, self.today))


def _scope(source: CommitmentFilterSet | QuerySet, as_of: dt.date) -> QuerySet:
    queryset = source.qs if isinstance(source, CommitmentFilterSet) else source
    if "status_as_of" not in queryset.query.annotations:
        queryset = commitments_on(queryset, as_of)
    return queryset.order_by()


def dashboard_numbers(
    source: CommitmentFilterSet | QuerySet, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The headline numbers in one query.

    `source` is a FilterSet (its filtered queryset is used) or a queryset of
    commitments; `as_of` defaults to today. For a past day pass an `AsOfFilterSet`
    built with `today=as_of`, so its status and health filters read the history too.
    Returns::

        {"as_of": date, "total": int,
         "by_status": {status key: int}, "by_health": {health key: int},
         "due_within_90_days": int, "mean_progress": float | None}

    Every status and health key is present, zero included.
    """
    as_of = as_of or timezone.localdate()
    scope = _scope(source, as_of)
    aggregates: dict[str, Any] = {"total": Count("pk"), "mean_progress": Avg("progress_as_of")}
    for key in Status.values:
        aggregates[f"status_{key}"] = Count("pk", filter=Q(status_as_of=key))
    for key in Health.values:
        aggregates[f"health_{key}"] = Count("pk", filter=health_q_as_of(key, as_of))
    aggregates["due_within"] = Count(
        "pk",
        filter=~Q(status_as_of__in=Status.closed())
        & Q(deadline__gte=as_of, deadline__lte=as_of + dt.timedelta(days=DUE_SOON_DAYS)),
    )
    if not is_today(as_of):
        # A past day's status comes from a subquery per commitment. Sliced, the scope
        # stays a derived table that works it out once per row; unsliced, the database
        # would copy the subquery into each of the counts above and run it for each.
        scope = scope[:WHOLE_REGISTER]
    row = scope.aggregate(**aggregates)
    mean = row["mean_progress"]
    return {
        "as_of": as_of,
        "total": row["total"],
        "by_status": {key: row[f"status_{key}"] for key in Status.values},
        "by_health": {key: row[f"health_{key}"] for key in Health.values},
        "due_within_90_days": row["due_within"],
        "mean_progress": round(float(mean), 1) if mean is not None else None,
    }
