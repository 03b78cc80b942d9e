"""The dashboard's widgets: each one a function that runs one query (or none).

Every widget reads a *scope*: the commitments selected by the list's FilterSet,
annotated with `status_as_of`, `progress_as_of` and `activity_as_of` for the day the
dashboard is drawn for (see `commitments.asof`). Numbers link to the list with the
same FilterSet parameters, so a number and the list it opens always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lag, TruncDate, TruncMonth

from . import dates
from .asof import commitments_on, end_of_day, is_today, updates_in_effect
from .choices import DUE_SOON_DAYS, STATUS_STYLE, Health, Status, status_label
from .models import Commitment, Milestone, StatusUpdate, Theme

LIST_PATH = "/commitments/"
# Parameters of the list's FilterSet that the dashboard passes on to the list.
FILTER_PARAMS = (
    "q",
    "status",
    "health",
    "theme",
    "party",
    "source",
    "kind",
    "deadline_after",
    "deadline_before",
    "announced_after",
    "announced_before",
    "has_evidence",
)
EARLIEST_YEAR = 1900
TIMELINE_CAP = 40
BREAKDOWN_CAP = 12
SINCE_CAP = 100
LATEST_UPDATES = 10
NEXT_ITEMS = 10

# Statuses in the order the stacked bars draw them: delivered first, unrated last.
STATUS_ORDER = [
    Status.ACHIEVED,
    Status.PARTIALLY_ACHIEVED,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.STALLED,
    Status.BROKEN,
    Status.NOT_RATED,
]


# -- parameters and links -------------------------------------------------------------------
class Params:
    """The active FilterSet parameters, and links to the list with some of them changed.

    Parameters the FilterSet rejected (`invalid`) are left out: the dashboard ignores
    them, so its links must too.
    """

    def __init__(self, data, as_of: dt.date, invalid=()):
        self.values: dict[str, list[str]] = {}
        for name in FILTER_PARAMS:
            if name in invalid:
                continue
            raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            kept = [v for v in raw if v not in (None, "")]
            if kept:
                self.values[name] = kept
        self.as_of = as_of

    def with_(self, **changes: str | list[str] | None) -> dict[str, list[str]]:
        values = dict(self.values)
        for name, value in changes.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value if isinstance(value, list) else [value]
        return values

    def list_url(self, **changes: str | list[str] | None) -> str:
        values = self.with_(**changes)
        if not is_today(self.as_of):
            values["as_of"] = [self.as_of.isoformat()]
        query = urlencode([(k, v) for k, vs in values.items() for v in vs])
        return f"{LIST_PATH}?{query}" if query else LIST_PATH

    def allows_status(self, key: str) -> bool:
        return "status" not in self.values or key in self.values["status"]

    def allows_health(self, key: str) -> bool:
        return "health" not in self.values or self.values["health"] == [key]


def parse_day(raw: str | None, label: str) -> tuple[dt.date | None, str | None]:
    """A YYYY-MM-DD date, or a message saying what is wrong with it."""
    if raw is None or raw.strip() == "":
        return None, None
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None, f"“{raw[:40]}” is not a date for {label}: use YYYY-MM-DD, e.g. 2025-06-30."
    if day.year < EARLIEST_YEAR:
        return None, f"Enter a date from {EARLIEST_YEAR} on for {label}."
    return day, None


def parse_as_of(raw: str | None, today: dt.date) -> tuple[dt.date, str | None]:
    """The day a page is drawn for: `as_of` when it is a usable day up to today, else
    today, with a message saying why the requested day was not used."""
    day, problem = parse_day(raw, "“as of”")
    if problem:
        return today, f"{problem} Showing today instead."
    if day and day > today:
        return today, (
            f"{day:%d %b %Y} is in the future: only earlier days can be shown. "
            "Showing today instead."
        )
    return day or today, None


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# -- headline tiles -------------------------------------------------------------------------
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
    """The headline tiles from `asof.dashboard_numbers`; no query."""

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
            Health.DUE_SOON, f"Due within {DUE_SOON_DAYS} days", "open, deadline coming up"
        ),
        health_tile(Health.STALE, "Stale", "open, no update for 180 days"),
    ]


# -- status breakdowns ----------------------------------------------------------------------
BREAKDOWNS = {
    # group key: (FilterSet parameter, slug path, label path, title)
    "theme": ("theme", "themes__slug", "themes__name", "By theme"),
    "party": ("party", "actors__slug", "actors__name", "By party"),
    "source": ("source", "source__slug", "source__title", "By source"),
}


def in_scope(scope: QuerySet, path: str = "commitment") -> Q:
    """A condition on a related table (updates, milestones) for rows of the scope's
    commitments; none when the scope is the whole register, to spare a join over it."""
    if not scope.query.where:
        return Q()
    return Q(**{f"{path}__in": scope.values("pk")})


def _rescoped(scope: QuerySet, as_of: dt.date) -> QuerySet:
    """The scope's commitments afresh, so grouping by a relation is not narrowed by a
    join the filters already made."""
    return commitments_on(Commitment.objects.filter(in_scope(scope, "pk")), as_of)


def _group_counts(rows, slug_path: str, label_path: str) -> list[dict]:
    """Rows per (group, status) folded into one row per group: its total, a count per
    status and its mean progress, largest group first.

    Grouping by the status, rather than counting each status with a filter, has the
    database work out a past day's status once per row instead of once per status."""
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(
            row[slug_path],
            {
                slug_path: row[slug_path],
                label_path: row[label_path],
                "total": 0,
                "progress_sum": 0,
                "rated": 0,
                **{f"n_{key}": 0 for key in Status.values},
            },
        )
        group["total"] += row["n"]
        group[f"n_{row['status_as_of']}"] += row["n"]
        group["progress_sum"] += row["progress_sum"] or 0
        group["rated"] += row["rated"]
    for group in groups.values():
        group["mean"] = group["progress_sum"] / group["rated"] if group["rated"] else None
    return sorted(groups.values(), key=lambda g: (-g["total"], g[label_path]))


def breakdown_rows(scope: QuerySet, group: str, as_of: dt.date) -> list[dict]:
    """One row per theme, party or source of the scope: its slug and label (keyed by
    their paths in BREAKDOWNS), `total`, `n_<status>` for every status and `mean`
    progress, largest first; one query. The dashboard's bars and the API's summary."""
    _, slug_path, label_path, _ = BREAKDOWNS[group]
    return _group_counts(
        _rescoped(scope, as_of)
        .filter(**{f"{slug_path}__isnull": False})
        .values(slug_path, label_path, "status_as_of")
        .annotate(n=Count("pk"), progress_sum=Sum("progress_as_of"), rated=Count("progress_as_of"))
        .order_by(),
        slug_path,
        label_path,
    )


def status_breakdown(
    scope: QuerySet, group: str, params: Params, as_of: dt.date, cap: int = BREAKDOWN_CAP
) -> dict:
    """Commitments per status for each theme, party or source, with mean progress; one
    query. The `cap` largest groups are drawn; the table lists them all."""
    param, slug_path, label_path, title = BREAKDOWNS[group]
    rows = breakdown_rows(scope, group, as_of)
    active = params.values.get(param)
    bars = []
    for row in rows:
        slug = row[slug_path]
        if active and slug not in active:
            continue  # the list can only show the one chosen here
        segments = []
        offset = 0.0
        for key in STATUS_ORDER:
            count = row[f"n_{key}"]
            if not count:
                continue
            width = 100.0 * count / row["total"]
            segments.append(
                {
                    "key": key,
                    "label": Status(key).label,
                    "count": count,
                    "offset": round(offset, 3),
                    "width": round(width, 3),
                    "style": STATUS_STYLE[key],
                    "url": params.list_url(**{param: slug, "status": key}),
                    "params": params.with_(**{param: slug, "status": key}),
                }
            )
            offset += width
        mean = row["mean"]
        bars.append(
            {
                "slug": slug,
                "label": row[label_path],
                "total": row["total"],
                "mean": round(float(mean)) if mean is not None else None,
                "url": params.list_url(**{param: slug}),
                "params": params.with_(**{param: slug}),
                "segments": segments,
                "counts": [row[f"n_{key}"] for key in STATUS_ORDER],
            }
        )
    drawn = bars[:cap]
    return {
        "key": group,
        "title": title,
        "bars": bars,
        "drawn": drawn,
        "more": len(bars) - len(drawn),
        "statuses": [{"key": k, "label": Status(k).label} for k in STATUS_ORDER],
        "summary": _breakdown_summary(bars, title),
        "svg": _breakdown_geometry(drawn),
    }


BAR_LEFT = 260
BAR_WIDTH = 600
BAR_ROW = 28


def _breakdown_geometry(bars: list[dict]) -> dict:
    """SVG coordinates for the stacked bars: one row each, segments as shares of it."""
    for i, bar in enumerate(bars):
        bar["y"] = i * BAR_ROW + 4
        bar["text_y"] = i * BAR_ROW + 19
        for segment in bar["segments"]:
            segment["x"] = round(BAR_LEFT + BAR_WIDTH * segment["offset"] / 100, 2)
            segment["w"] = round(BAR_WIDTH * segment["width"] / 100, 2)
            segment["text_x"] = round(segment["x"] + segment["w"] / 2, 2)
            segment["show_count"] = segment["w"] >= 22
    return {
        "height": len(bars) * BAR_ROW + 8,
        "label_x": BAR_LEFT - 8,
        "total_x": BAR_LEFT + BAR_WIDTH + 8,
    }


def pattern_styles() -> list[dict[str, str]]:
    """One SVG pattern per status: its colour with its texture in its text colour."""
    return [{"key": key, "label": Status(key).label, **STATUS_STYLE[key]} for key in STATUS_ORDER]


def _breakdown_summary(bars: list[dict], title: str) -> str:
    if not bars:
        return "No commitments to break down."
    top = bars[0]
    achieved = sum(s["count"] for s in top["segments"] if s["key"] == Status.ACHIEVED)
    return (
        f"{_plural(len(bars), 'group')}. The largest, {top['label']}, has "
        f"{_plural(top['total'], 'commitment')}, {achieved} achieved"
        + (f", mean progress {top['mean']}%." if top["mean"] is not None else ".")
    )


# -- deadline timeline ----------------------------------------------------------------------
TIMELINE_WIDTH = 1000
TIMELINE_LABEL = 300
TIMELINE_ROW = 20
TIMELINE_HEAD = 28


def _start_date():
    return Coalesce(
        "announced_on", "source__date", TruncDate("created_at"), output_field=DateField()
    )


def _first_theme():
    names = Theme.objects.filter(commitments=OuterRef("pk")).order_by("name")
    return Subquery(names.values("name")[:1])


def timeline(scope: QuerySet, params: Params, as_of: dt.date, cap: int = TIMELINE_CAP) -> dict:
    """Bars from announcement to deadline for the `cap` commitments due first from the
    earliest open deadline on (overdue ones, then the next ones), grouped by theme; two
    queries (the span, then the rows with the count of all due from then on).

    The rows are chosen by deadline, which an index serves at any size, and only those
    few are looked up for their first theme and put in theme order."""
    with_deadline = scope.filter(deadline__isnull=False)
    span = with_deadline.aggregate(
        first_open=Min("deadline", filter=~Q(status_as_of__in=Status.closed())),
        first_any=Min("deadline"),
    )
    first = span["first_open"] or span["first_any"]
    if first is None:
        return {"rows": [], "shown": 0, "total": 0, "more": 0, "summary": "No deadlines."}
    due_from_first = with_deadline.filter(deadline__gte=first)
    chosen = due_from_first.order_by("deadline", "title", "pk").values("pk")[:cap]
    drawn_total = due_from_first.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    rows = list(
        with_deadline.filter(pk__in=chosen)
        .annotate(
            start=_start_date(),
            first_theme=Coalesce(_first_theme(), Value("No theme")),
            drawn_total=Subquery(drawn_total.order_by()),
        )
        .order_by(F("first_theme").asc(), "deadline", "title")
        .values(
            "slug",
            "title",
            "kind",
            "deadline",
            "deadline_precision",
            "status_as_of",
            "start",
            "first_theme",
            "drawn_total",
        )
    )
    total = rows[0]["drawn_total"] if rows else 0
    return _timeline_geometry(rows, total, params, as_of, first)


def _timeline_geometry(rows, total, params, as_of, first) -> dict:
    if not rows:
        return {"rows": [], "shown": 0, "total": total, "more": total, "summary": "No deadlines."}
    start_year = min([r["start"].year for r in rows if r["start"]] + [as_of.year, first.year])
    end_year = max(r["deadline"].year for r in rows)
    axis_start = dt.date(start_year, 1, 1)
    axis_end = dt.date(end_year + 1, 1, 1)
    span_days = (axis_end - axis_start).days
    plot = TIMELINE_WIDTH - TIMELINE_LABEL - 10

    def x(day: dt.date) -> float:
        day = min(max(day, axis_start), axis_end)
        return round(TIMELINE_LABEL + plot * (day - axis_start).days / span_days, 2)

    drawn_rows = []
    y = TIMELINE_HEAD
    current_group = None
    overdue = 0
    for r in rows:
        if r["first_theme"] != current_group:
            current_group = r["first_theme"]
            drawn_rows.append({"group": current_group, "y": y + 14})
            y += TIMELINE_ROW
        status = r["status_as_of"]
        is_overdue = status not in Status.closed() and r["deadline"] < as_of
        overdue += is_overdue
        start = r["start"] or r["deadline"]
        x0, x1 = x(start), x(r["deadline"])
        drawn_rows.append(
            {
                "title": r["title"],
                "url": f"/commitments/{r['slug']}/",
                "y": y + 4,
                "text_y": y + 15,
                "x": x0,
                "width": max(round(x1 - x0, 2), 3),
                "end_x": x1,
                "status": status,
                "status_label": status_label(status, r["kind"]),
                "style": STATUS_STYLE[status],
                "start": start,
                "deadline": dates.format_deadline(r["deadline"], r["deadline_precision"]),
                "overdue": is_overdue,
                "theme": r["first_theme"],
            }
        )
        y += TIMELINE_ROW
    ticks = []
    step = 1 if end_year - start_year <= 12 else 2 if end_year - start_year <= 24 else 5
    for year in range(start_year, end_year + 1, step):
        ticks.append({"year": year, "x": x(dt.date(year, 1, 1))})
    shown = sum(1 for r in drawn_rows if "group" not in r)
    more = max(total - shown, 0)
    return {
        "rows": drawn_rows,
        "ticks": ticks,
        "today_x": x(as_of),
        "height": y + 10,
        "plot_top": TIMELINE_HEAD - 6,
        "width": TIMELINE_WIDTH,
        "shown": shown,
        "total": total,
        "more": more,
        "more_url": params.list_url(sort="deadline"),
        "first": first,
        "summary": (
            f"{shown} of {_plural(total, 'commitment')} with a deadline from {first:%b %Y} to "
            f"{max(r['deadline'] for r in rows):%b %Y}; {overdue} of those shown are overdue."
        ),
    }


# -- trend ----------------------------------------------------------------------------------
def _month(day: dt.date) -> tuple[int, int]:
    return (day.year, day.month)


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend(scope: QuerySet, as_of: dt.date) -> dict:
    """Commitments closed (cumulative, from history) and updates recorded, per month;
    one query over the scope's history, summed up in the database.

    A commitment counts as closed from the effective date of a non-corrected update
    that closes it until one that reopens it; updates effective after `as_of` do not
    count yet."""
    recorded_sql, recorded_params = _recorded_per_month(scope, as_of)
    closing_sql, closing_params = _closing_changes(scope, as_of)
    # Both inner queries are compiled by Django; their values travel as parameters.
    sql = " ".join(
        [
            "SELECT 0, recorded_month, COUNT(*) FROM (",
            recorded_sql,
            ") AS recorded GROUP BY recorded_month UNION ALL",
            "SELECT 1, effective_month, SUM(closed - closed_before) FROM (",
            closing_sql,
            ") AS changes WHERE closed <> closed_before GROUP BY effective_month",
        ]
    )
    recorded: dict[tuple[int, int], int] = {}
    closed_delta: dict[tuple[int, int], int] = {}
    with connections[scope.db].cursor() as cursor:
        cursor.execute(sql, [*recorded_params, *closing_params])
        for kind, month, n in cursor.fetchall():
            (closed_delta if kind else recorded)[_month(_as_date(month))] = int(n)
    if not recorded and not closed_delta:
        return {"months": [], "summary": "No updates recorded yet."}
    first = min([*recorded, *closed_delta])
    months = _months(first, _month(as_of))
    running = 0
    points = []
    for ym in months:
        running += closed_delta.get(ym, 0)
        points.append(
            {
                "label": dt.date(ym[0], ym[1], 1).strftime("%b %Y"),
                "closed": running,
                "recorded": recorded.get(ym, 0),
            }
        )
    return _trend_geometry(points)


def _scope_history(scope: QuerySet, as_of: dt.date) -> QuerySet:
    return StatusUpdate.objects.filter(
        in_scope(scope), recorded_at__lt=end_of_day(as_of)
    ).order_by()


def _recorded_per_month(scope: QuerySet, as_of: dt.date) -> tuple[str, tuple]:
    """The month each update of the scope was recorded in, by the end of `as_of`."""
    rows = (
        _scope_history(scope, as_of)
        .annotate(recorded_month=TruncMonth("recorded_at", output_field=DateField()))
        .values("recorded_month")
    )
    return rows.query.sql_with_params()


def _closing_changes(scope: QuerySet, as_of: dt.date) -> tuple[str, tuple]:
    """Each non-corrected update in effect by `as_of`, with whether it leaves its
    commitment closed and whether the one before it (in effective order) did."""
    closed = Case(
        When(status__in=Status.closed(), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        _scope_history(scope, as_of)
        .filter(effective_on__lte=as_of, corrected_by__isnull=True)
        .annotate(
            closed=closed,
            closed_before=Window(
                Lag(closed, default=Value(0)),
                partition_by=[F("commitment_id")],
                order_by=[F("effective_on").asc(), F("recorded_at").asc(), F("id").asc()],
            ),
            effective_month=TruncMonth("effective_on", output_field=DateField()),
        )
        .values("effective_month", "closed", "closed_before")
    )
    return rows.query.sql_with_params()


def _as_date(value) -> dt.date:
    """A month from the database: a date, a datetime, or text on SQLite."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


TREND_WIDTH = 1000
TREND_HEIGHT = 220
TREND_LEFT = 40
TREND_BOTTOM = 190
TREND_TOP = 20


def _trend_geometry(points: list[dict]) -> dict:
    n = len(points)
    plot = TREND_WIDTH - TREND_LEFT - 10
    step = plot / n
    top_closed = max(p["closed"] for p in points) or 1
    top_recorded = max(p["recorded"] for p in points) or 1
    height = TREND_BOTTOM - TREND_TOP
    line = []
    for i, p in enumerate(points):
        p["x"] = round(TREND_LEFT + i * step, 2)
        p["bar_width"] = round(max(step - 2, 1), 2)
        p["bar_height"] = round(height * p["recorded"] / top_recorded, 2)
        p["bar_y"] = round(TREND_BOTTOM - p["bar_height"], 2)
        p["cx"] = round(p["x"] + step / 2, 2)
        p["cy"] = round(TREND_BOTTOM - height * p["closed"] / top_closed, 2)
        line.append(f"{p['cx']},{p['cy']}")
    label_every = max(1, -(-n // 10))
    for i, p in enumerate(points):
        p["show_label"] = i % label_every == 0
    total_recorded = sum(p["recorded"] for p in points)
    return {
        "months": points,
        "line": " ".join(line),
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "bottom": TREND_BOTTOM,
        "top": TREND_TOP,
        "left": TREND_LEFT,
        "top_closed": top_closed,
        "top_recorded": top_recorded,
        "summary": (
            f"From {points[0]['label']} to {points[-1]['label']}: "
            f"{_plural(points[-1]['closed'], 'commitment')} closed by the end, "
            f"{_plural(total_recorded, 'update')} recorded in all, "
            f"at most {top_recorded} in one month."
        ),
    }


# -- lists ----------------------------------------------------------------------------------
def latest_updates(scope: QuerySet, as_of: dt.date, n: int = LATEST_UPDATES) -> list:
    """The last `n` updates recorded by the end of `as_of`; one query."""
    return list(
        StatusUpdate.objects.filter(in_scope(scope), recorded_at__lt=end_of_day(as_of))
        .select_related("commitment", "recorded_by", "corrected_by")
        .order_by("-recorded_at", "-id")[:n]
    )


def next_deadlines(scope: QuerySet, as_of: dt.date, n: int = NEXT_ITEMS) -> list[dict]:
    """The next `n` open commitments by deadline from `as_of`; one query."""
    rows = (
        scope.filter(deadline__gte=as_of)
        .exclude(status_as_of__in=Status.closed())
        .order_by("deadline", "title")[:n]
    )
    return [
        {
            "commitment": c,
            "status": c.status_as_of,
            "deadline": c.deadline_display,
            "distance": dates.describe_distance(c.deadline, as_of),
        }
        for c in rows
    ]


def next_milestones(scope: QuerySet, as_of: dt.date, n: int = NEXT_ITEMS) -> list[dict]:
    """The next `n` milestones not completed by `as_of`; one query."""
    rows = (
        Milestone.objects.filter(in_scope(scope), due_on__gte=as_of)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=as_of))
        .select_related("commitment")
        .order_by("due_on", "order", "id")[:n]
    )
    return [
        {
            "milestone": m,
            "due": m.due_display,
            "distance": dates.describe_distance(m.due_on, as_of),
        }
        for m in rows
    ]


# -- what changed since ---------------------------------------------------------------------
def status_changes_since(scope: QuerySet, since: dt.date, as_of: dt.date) -> list[dict]:
    """Commitments whose status on `as_of` differs from their status on `since`, among
    not new since then (see `new_since`); one query."""
    rows = (
        scope.exclude(_new_since(since))
        .annotate(
            status_since=Coalesce(
                Subquery(updates_in_effect(since).values("status")[:1]),
                Value(Status.NOT_RATED.value),
            )
        )
        .exclude(status_since=F("status_as_of"))
        .order_by("title")[: SINCE_CAP + 1]
    )
    return [
        {
            "commitment": c,
            "from": c.status_since,
            "from_label": status_label(c.status_since, c.kind),
            "to": c.status_as_of,
            "to_label": status_label(c.status_as_of, c.kind),
        }
        for c in rows
    ]


def _new_since(since: dt.date) -> Q:
    return Q(announced_on__gt=since) | Q(
        announced_on__isnull=True, created_at__gte=end_of_day(since)
    )


def new_since(scope: QuerySet, since: dt.date) -> list:
    """Commitments announced after `since` or, when the announcement date is unknown,
    added to the tracker after it; one query."""
    return list(
        scope.filter(_new_since(since))
        .select_related("source")
        .order_by(F("announced_on").desc(nulls_last=True), "title")[: SINCE_CAP + 1]
    )
