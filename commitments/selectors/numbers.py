"""The dashboard's headline numbers, and the summary API's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q, QuerySet, Sum

from .. import deadlines, health, progress
from ..choices import Health, Status
from .scope import as_derived_table


def dashboard_numbers(scope: QuerySet, day: dt.date) -> dict[str, Any]:
    """The headline numbers of the scope on `day`, in one query::

        {"as_of": date, "total": int,
         "by_status": {status key: int}, "by_health": {health key: int},
         "due_within_90_days": int, "slipped": int, "progress": progress.Mean,
         "first_open_deadline": date | None, "first_deadline": date | None}

    Every status and health key is present, zero included, so each set adds up to the
    total; the mean progress carries its base (how many are measured); `slipped` counts
    those whose deadline had slipped by then (`deadlines.slipped_among`); the earliest
    deadline of an open commitment and the earliest of all are the timeline's span, so
    the timeline does not read the register again for them.
    """
    aggregates: dict[str, Any] = {
        "total": Count("pk"),
        "progress_sum": Sum("progress_as_of"),
        "measured": Count("progress_as_of"),
    }
    for key in Status.values:
        aggregates[f"status_{key}"] = Count("pk", filter=Q(status_as_of=key))
    for key in Health.values:
        aggregates[f"health_{key}"] = Count("pk", filter=health.condition(key, day))
    aggregates["due_within"] = Count("pk", filter=health.deadline_within_window(day))
    aggregates["slipped"] = Count("pk", filter=Q(has_slipped=True))
    # The timeline's span, read in the same pass (`timeline_rows`' `span`).
    aggregates["first_open_deadline"] = Min("deadline", filter=health.is_open(day))
    aggregates["first_deadline"] = Min("deadline")
    scope = scope.order_by().annotate(
        has_slipped=ExpressionWrapper(deadlines.slipped_among(day), output_field=BooleanField())
    )
    row = as_derived_table(scope, day).aggregate(**aggregates)
    return {
        "as_of": day,
        "total": row["total"],
        "by_status": {key: row[f"status_{key}"] for key in Status.values},
        "by_health": {key: row[f"health_{key}"] for key in Health.values},
        "due_within_90_days": row["due_within"],
        "slipped": row["slipped"],
        "progress": progress.mean(row["progress_sum"], row["measured"], row["total"]),
        "first_open_deadline": row["first_open_deadline"],
        "first_deadline": row["first_deadline"],
    }
