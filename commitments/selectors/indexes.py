"""The actor, theme and source indexes: for each one, its commitments per status and
per health today, in one grouped query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from ..choices import Health, Status
from ..models import Commitment

# The relation each index groups commitments by: the group's id on a commitment row.
GROUP_PATHS = {"party": "actors__id", "theme": "themes__id", "source": "source_id"}


def index_counts(group: str, day: dt.date) -> dict[int, dict]:
    """For each actor, theme or source with commitments: `total`, `status` and `health`
    (key -> count, every key present); one query, grouped by group, status and health."""
    path = GROUP_PATHS[group]
    rows = (
        Commitment.objects.with_health(day)
        .filter(**{f"{path}__isnull": False})
        .values(path, "status_as_of", "health")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict] = {}
    for row in rows:
        entry = counts.setdefault(
            row[path],
            {
                "total": 0,
                "status": dict.fromkeys(Status.values, 0),
                "health": dict.fromkeys(Health.values, 0),
            },
        )
        entry["total"] += row["n"]
        entry["status"][row["status_as_of"]] += row["n"]
        entry["health"][row["health"]] += row["n"]
    return counts


def with_counts(objects: QuerySet, group: str, day: dt.date) -> list:
    """The index's objects (one query), each with `count`, and `status` and `health` as
    lists of (key, count) for the keys it has, in the vocabulary's order."""
    counts = index_counts(group, day)
    rows = list(objects)
    for obj in rows:
        entry = counts.get(obj.pk)
        obj.count = entry["total"] if entry else 0
        obj.status_counts = [(k, n) for k, n in entry["status"].items() if n] if entry else []
        obj.health_counts = [(k, n) for k, n in entry["health"].items() if n] if entry else []
    return rows
