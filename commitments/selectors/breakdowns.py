"""Commitments per status for each theme, party or source of the scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, F, QuerySet, Sum, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import progress
from ..choices import Status
from .scope import rescoped

BREAKDOWNS = {
    # group key: (FilterSet parameter, slug path, label path, title)
    "theme": ("theme", "themes__slug", "themes__name", _("By theme")),
    "party": ("party", "parties__actor__slug", "parties__actor__name", _("By party")),
    "source": ("source", "source__slug", "source__title", _("By source")),
}


def breakdown_rows(scope: QuerySet, group: str, day: dt.date) -> list[dict]:
    """One row per theme, party or source of the scope: `slug`, `label`, `total`,
    `n_<status>` for every status and `progress` (a `progress.Mean` with its base),
    largest first; one query.

    Grouping by the status, rather than counting each status with a filter, has the
    database work out a past day's status once per row instead of once per status.

    By party, today, each party counts with its own status where one is recorded (an
    assessment of that party), and with the commitment's otherwise; a past day counts
    the commitment's status of that day."""
    _, slug_path, label_path, _ = BREAKDOWNS[group]
    status = F("status_as_of")
    if group == "party" and day == timezone.localdate():
        status = Case(
            When(parties__last_assessed_at__isnull=False, then=F("parties__status")),
            default=F("status_as_of"),
            output_field=CharField(),
        )
    rows = (
        rescoped(scope, day)
        .filter(**{f"{slug_path}__isnull": False})
        .annotate(status_counted=status)
        .values(slug_path, label_path, "status_counted")
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
        group_row[f"n_{row['status_counted']}"] += row["n"]
        group_row["progress_sum"] += row["progress_sum"] or 0
        group_row["rated"] += row["rated"]
    for group_row in groups.values():
        group_row["progress"] = progress.mean(
            group_row.pop("progress_sum"), group_row.pop("rated"), group_row["total"]
        )
    return sorted(groups.values(), key=lambda g: (-g["total"], g["label"]))
