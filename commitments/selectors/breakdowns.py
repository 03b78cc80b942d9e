"""Commitments per status for each theme, party or source of the scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, F, Min, Q, QuerySet, Sum, When
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
# The column each group is counted by: its id, a number the database groups in memory,
# where grouping by the slug and label text sorted every row of the register.
GROUP_IDS = {"theme": "themes", "party": "parties__actor", "source": "source"}


def breakdown_rows(scope: QuerySet, group: str, day: dt.date) -> list[dict]:
    """One row per theme, party or source of the scope: `slug`, `label`, `total`,
    `n_<status>` for every status and `progress` (a `progress.Mean` with its base),
    largest first; one query.

    Each group is one row of the grouped query, its statuses counted with a filter: a
    past day's status is a column of the day's status period, so counting it seven
    times costs little, and grouping by the group's id alone lets the database keep the
    few groups in memory instead of sorting every row of the register.

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
    counts = {f"n_{key}": Count("pk", filter=Q(status_counted=key)) for key in Status.values}
    rows = (
        rescoped(scope, day)
        .filter(**{f"{slug_path}__isnull": False})
        .annotate(status_counted=status)
        .values(GROUP_IDS[group])
        .annotate(
            # One slug and label per id: read once per group, not grouped by.
            group_slug=Min(slug_path),
            group_label=Min(label_path),
            total=Count("pk"),
            **counts,
            progress_sum=Sum("progress_as_of"),
            rated=Count("progress_as_of"),
        )
        .order_by()
    )
    groups = [
        {
            "slug": row["group_slug"],
            "label": row["group_label"],
            "total": row["total"],
            **{name: row[name] for name in counts},
            "progress": progress.mean(row["progress_sum"] or 0, row["rated"], row["total"]),
        }
        for row in rows
    ]
    return sorted(groups, key=lambda g: (-g["total"], g["label"]))
