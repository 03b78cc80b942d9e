"""Each party's own delivery over a scope of commitments, as the G7 and G20 Research
Groups report it: how many commitments it was assessed on, its mean compliance score
(the plain mean of its -1/0/+1 scores, None when it has none), that mean as a
percentage ((mean + 1) / 2 × 100) and its commitments per own status.

One grouped query over the parties of the scope, whatever its size: the party rows
carry each party's current status and score (kept by `services.assessments`).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from ..choices import Status, compliance_percent
from ..models import Party
from .scope import in_scope

# How a scorecard can be ordered: key → (label, sort key over a row).
ORDERS = {
    "name": _("Party"),
    "assessed": _("Assessed"),
    "mean_score": _("Mean score"),
    "compliance_percent": _("Compliance"),
    "total": _("Commitments"),
}
DEFAULT_ORDER = "name"


def scorecard_rows(scope: QuerySet, *, actor_slug: str | None = None) -> list[dict]:
    """One row per actor that is a party to a commitment of the scope: `slug`, `name`,
    `total`, `assessed`, `scored`, `mean_score`, `compliance_percent` and `by_status`
    (every status key); alphabetical. `actor_slug` keeps one actor's row."""
    parties = Party.objects.filter(in_scope(scope))
    if actor_slug is not None:
        parties = parties.filter(actor__slug=actor_slug)
    rows = (
        parties.values("actor__slug", "actor__name", "status")
        .annotate(
            n=Count("pk"),
            score_sum=Sum("score"),
            scored=Count("score"),
        )
        .order_by()
    )
    actors: dict[str, dict] = {}
    for row in rows:
        actor = actors.setdefault(
            row["actor__slug"],
            {
                "slug": row["actor__slug"],
                "name": row["actor__name"],
                "total": 0,
                "assessed": 0,
                "scored": 0,
                "score_sum": 0,
                "by_status": dict.fromkeys(Status.values, 0),
            },
        )
        actor["total"] += row["n"]
        actor["by_status"][row["status"]] += row["n"]
        if row["status"] != Status.NOT_RATED:
            actor["assessed"] += row["n"]
        actor["scored"] += row["scored"]
        actor["score_sum"] += row["score_sum"] or 0
    result = []
    for actor in actors.values():
        score_sum = actor.pop("score_sum")
        mean = score_sum / actor["scored"] if actor["scored"] else None
        actor["mean_score"] = mean
        actor["compliance_percent"] = compliance_percent(mean)
        result.append(actor)
    return sorted(result, key=lambda row: row["name"].lower())


def ordered(rows: list[dict], order: str) -> list[dict]:
    """The rows in `order` (a key of ORDERS, `-` first for descending); rows without a
    value (no score yet) last either way, then by name."""
    descending = order.startswith("-")
    key = order.lstrip("-")
    if key not in ORDERS:
        key, descending = DEFAULT_ORDER, False
    if key == "name":
        return sorted(rows, key=lambda row: row["name"].lower(), reverse=descending)
    present = [row for row in rows if row[key] is not None]
    missing = [row for row in rows if row[key] is None]
    present.sort(key=lambda row: row["name"].lower())
    present.sort(key=lambda row: row[key], reverse=descending)
    return present + missing


def scored_filter() -> Q:
    """The parties counted in a mean: those with a score."""
    return Q(score__isnull=False)
