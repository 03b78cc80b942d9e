"""The dashboard's headline tiles: each a number from `dashboard_numbers`, what it
counts, and a link to the list that shows exactly those commitments. No queries.

There is a tile for every status and for every health value, so each set of tiles adds
up to "All commitments" and a reader can answer "which are on track?" from the
dashboard itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from . import health
from .choices import HEALTH_STYLE, STATUS_STYLE, Health, Status
from .params import Params

# What each health tile counts, in a few words (health.py has the rules); `%(days)s` is
# the rule's number of days (`health_note`).
HEALTH_NOTES = {
    Health.CLOSED: pgettext_lazy("health tile", "achieved, partly achieved or broken"),
    Health.OVERDUE: pgettext_lazy("health tile", "open, deadline passed"),
    Health.AT_RISK: pgettext_lazy(
        "health tile",
        "stalled, not started %(days)s days from the deadline, or a milestone late",
    ),
    Health.DUE_SOON: pgettext_lazy("health tile", "open, deadline within %(days)s days"),
    Health.UNASSESSED: pgettext_lazy("health tile", "open, never rated"),
    Health.STALE: pgettext_lazy("health tile", "rated, no update for %(days)s days"),
    Health.ON_TRACK: pgettext_lazy("health tile", "rated, open, not late and not at risk"),
}


def health_note(key: str) -> str:
    """What a health tile counts, in the reader's language, with the rule's days."""
    days = health.STALE_DAYS if key == Health.STALE else health.DUE_SOON_DAYS
    return str(HEALTH_NOTES[key]) % {"days": days}


@dataclass
class Tile:
    key: str
    label: str
    count: int
    url: str | None
    note: str = ""
    style: dict[str, str] = field(default_factory=dict)
    params: dict[str, list[str]] | None = None
    vocabulary: str = ""  # the CSS class of its colour: status-<key> or health-<key>
    thin: bool = False


@dataclass
class TileGroup:
    title: str
    tiles: list[Tile]

    @property
    def total(self) -> int:
        return sum(tile.count for tile in self.tiles)


def headline(numbers: dict[str, Any], params: Params) -> Tile:
    """All commitments, with their mean progress and what it averages."""
    mean = numbers["progress"]
    return Tile(
        key="all",
        label=gettext("All commitments"),
        count=numbers["total"],
        url=params.list_url(),
        note=(
            gettext("mean progress %(mean)s") % {"mean": mean}
            if mean.value is not None
            else gettext("no progress %(base)s") % {"base": mean.base}
        ),
        params=params.with_(),
        thin=mean.thin,
    )


def slipped(numbers: dict[str, Any], params: Params) -> Tile:
    """Commitments whose deadline moved later (see `deadlines`), linked to their list."""
    return Tile(
        key="slipped",
        label=gettext("Deadline slipped"),
        count=numbers["slipped"],
        url=params.list_url(slipped="true"),
        note=gettext("moved later at least once; corrections left out"),
        params=params.with_(slipped="true"),
    )


def _group(title: str, vocabulary: str, keys, numbers, params: Params) -> TileGroup:
    """A tile per key of a vocabulary ("status" or "health"), linked to its list unless
    the filters already exclude it."""
    counts = numbers[f"by_{vocabulary}"]
    style = STATUS_STYLE if vocabulary == "status" else HEALTH_STYLE
    label = Status if vocabulary == "status" else Health
    allows = params.allows_status if vocabulary == "status" else params.allows_health
    tiles = []
    for key in keys:
        allowed = allows(key)
        tiles.append(
            Tile(
                key=f"{vocabulary}-{key}",
                label=label(key).label,
                count=counts[key],
                url=params.list_url(**{vocabulary: key}) if allowed else None,
                note=health_note(key) if vocabulary == "health" else "",
                style=style[key],
                params=params.with_(**{vocabulary: key}) if allowed else None,
                vocabulary=f"{vocabulary}-{key}",
            )
        )
    return TileGroup(title, tiles)


def by_status(numbers: dict[str, Any], params: Params) -> TileGroup:
    return _group(gettext_lazy("By status"), "status", Status.values, numbers, params)


def by_health(numbers: dict[str, Any], params: Params) -> TileGroup:
    return _group(gettext_lazy("By health"), "health", Health.values, numbers, params)


def tiles(numbers: dict[str, Any], params: Params) -> list[Tile]:
    """Every tile: all commitments, then one per status, then one per health value."""
    return [
        headline(numbers, params),
        *by_status(numbers, params).tiles,
        *by_health(numbers, params).tiles,
    ]
