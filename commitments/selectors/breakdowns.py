"""Commitments per status for each theme, party or source of the scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet, Sum

from .. import progress
from ..choices import Status
from .scope import rescoped

BREAKDOWNS = {
    # group key: (FilterSet parameter, slug path, label path, title)
    "theme": ("theme", "themes__slug", "themes__name", "By theme"),
    "party": ("party", "actors__slug", "actors__name", "By party"),
    "source": ("source", "source__slug", "source__title", "By source"),
}


def breakdown_rows(scope: QuerySet, group: str, day: dt.date) -> list[dict]:
    """One row per theme, party or source of the scope: `slug`, `label`, `total`,
    `n_<status>` for every status and `progress` (a `progress.Mean` with its base),
    largest first; one query.

    Grouping by the status, rather than counting each status with a filter, has the
    database work out a past day's status once per row instead of once per status."""
    _, slug_path, label_path, _ = BREAKDOWNS[group]
    rows = (
        rescoped(scope, day)
        .filter(**{f"{slug_path}__isnull": False})
        .values(slug_path, label_path, "status_as_of")
        .annotate(n=Count("pk"), progress_sum=Sum("progress_as_of"), rated=Count("progress_as_of"))
        .order_by()
    )
    groups: dict[str, dict] = {}
    for row in rows:
        group_row = groups.setdefault(
            row[slug_path],
            {
                "slug": row[slug_path],
                "label": row[label_path],
                "total": 0,
                "progress_sum": 0,
                "rated": 0,
                **{f"n_{key}": 0 for key in Status.values},
            },
        )
        group_row["total"] += row["n"]
        group_row[f"n_{row['status_as_of']}"] += row["n"]
        group_row["progress_sum"] += row["progress_sum"] or 0
        group_row["rated"] += row["rated"]
    for group_row in groups.values():
        group_row["progress"] = progress.mean(
            group_row.pop("progress_sum"), group_row.pop("rated"), group_row["total"]
        )
    return sorted(groups.values(), key=lambda g: (-g["total"], g["label"]))
