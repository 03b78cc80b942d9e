"""The dashboard's headline tiles: each a number from `dashboard_numbers`, what it
counts, and a link to the list that shows exactly those commitments. No queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import health
from .choices import STATUS_STYLE, Health, Status
from .params import Params


@dataclass
class Tile:
    key: str
    label: str
    count: int
    url: str | None
    note: str = ""
    style: dict[str, str] = field(default_factory=dict)
    params: dict[str, list[str]] | None = None


def tiles(numbers: dict[str, Any], params: Params) -> list[Tile]:
    def status_tile(key: str) -> Tile:
        allowed = params.allows_status(key)
        changes = {"status": key}
        return Tile(
            key=f"status-{key}",
            label=Status(key).label,
            count=numbers["by_status"][key],
            url=params.list_url(**changes) if allowed else None,
            style=STATUS_STYLE[key],
            params=params.with_(**changes) if allowed else None,
        )

    def health_tile(key: str, label: str, note: str) -> Tile:
        allowed = params.allows_health(key)
        changes = {"health": key}
        return Tile(
            key=f"health-{key}",
            label=label,
            count=numbers["by_health"][key],
            url=params.list_url(**changes) if allowed else None,
            note=note,
            params=params.with_(**changes) if allowed else None,
        )

    return [
        Tile(
            key="all",
            label="All commitments",
            count=numbers["total"],
            url=params.list_url(),
            note=(
                f"mean progress {numbers['mean_progress']:g}%"
                if numbers["mean_progress"] is not None
                else "no progress recorded"
            ),
            params=params.with_(),
        ),
        status_tile(Status.ACHIEVED),
        status_tile(Status.IN_PROGRESS),
        status_tile(Status.STALLED),
        status_tile(Status.BROKEN),
        status_tile(Status.NOT_RATED),
        health_tile(Health.OVERDUE, "Overdue", "open, deadline passed"),
        health_tile(
            Health.DUE_SOON,
            f"Due within {health.DUE_SOON_DAYS} days",
            "open, deadline coming up",
        ),
        health_tile(Health.STALE, "Stale", f"open, no update for {health.STALE_DAYS} days"),
    ]
