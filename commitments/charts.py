"""The dashboard's charts drawn from the selectors' plain values: SVG coordinates and
the one-line summary each chart carries for screen readers and print. No queries."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from . import dates
from .choices import STATUS_STYLE, Health, Status, status_label_in_full
from .params import Params
from .selectors.breakdowns import BREAKDOWNS
from .selectors.timeline import NO_THEME, TimelineRows
from .selectors.trend import Trend

BREAKDOWN_CAP = 12

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


def pattern_styles() -> list[dict[str, str]]:
    """One SVG pattern per status: its colour with its texture in its text colour."""
    return [{"key": key, "label": Status(key).label, **STATUS_STYLE[key]} for key in STATUS_ORDER]


# -- status breakdowns ----------------------------------------------------------------------
# Each breakdown's heading and the name of its rows' column.
BREAKDOWN_HEADINGS = {
    "theme": (gettext_lazy("Status by theme"), gettext_lazy("Theme")),
    "party": (gettext_lazy("Status by party"), gettext_lazy("Party")),
    "source": (gettext_lazy("Status by source"), gettext_lazy("Source")),
}
BAR_LEFT = 260
BAR_WIDTH = 520
BAR_ROW = 28


def breakdown_chart(rows: list[dict], group: str, params: Params, cap: int = BREAKDOWN_CAP) -> dict:
    """Stacked bars of commitments per status for each row of `breakdown_rows`; the
    `cap` largest groups are drawn, the table lists them all."""
    param, _, _, title = BREAKDOWNS[group]
    active = params.values.get(param)
    # Today a party's bar counts its own status where recorded: its list says the same.
    status_param = "counted_status" if group == "party" and params.is_today else "status"
    bars = []
    for row in rows:
        slug = row["slug"]
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
                    "url": params.list_url(**{param: slug, status_param: key}),
                    "params": params.with_(**{param: slug, status_param: key}),
                }
            )
            offset += width
        bars.append(
            {
                "slug": slug,
                "label": row["label"],
                "total": row["total"],
                "progress": row["progress"],
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
        "heading": BREAKDOWN_HEADINGS[group][0],
        "column": BREAKDOWN_HEADINGS[group][1],
        "bars": bars,
        "drawn": drawn,
        "more": len(bars) - len(drawn),
        "statuses": [{"key": k, "label": Status(k).label} for k in STATUS_ORDER],
        "summary": _breakdown_summary(bars),
        "svg": _breakdown_geometry(drawn),
    }


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


def _breakdown_summary(bars: list[dict]) -> str:
    if not bars:
        return gettext("No commitments to break down.")
    top = bars[0]
    achieved = sum(s["count"] for s in top["segments"] if s["key"] == Status.ACHIEVED)
    mean = top["progress"]
    values = {
        "groups": len(bars),
        "label": top["label"],
        "total": top["total"],
        "achieved": achieved,
        "mean": mean,
        "base": mean.base,
    }
    groups = ngettext("%(groups)s group.", "%(groups)s groups.", len(bars)) % values
    if mean.value is not None:
        largest = ngettext(
            "The largest, %(label)s, has %(total)s commitment, %(achieved)s achieved, "
            "mean progress %(mean)s.",
            "The largest, %(label)s, has %(total)s commitments, %(achieved)s achieved, "
            "mean progress %(mean)s.",
            top["total"],
        )
    else:
        largest = ngettext(
            "The largest, %(label)s, has %(total)s commitment, %(achieved)s achieved; %(base)s.",
            "The largest, %(label)s, has %(total)s commitments, %(achieved)s achieved; %(base)s.",
            top["total"],
        )
    return f"{groups} {largest % values}"


# -- deadline timeline ----------------------------------------------------------------------
TIMELINE_WIDTH = 1000
TIMELINE_LABEL = 300
TIMELINE_ROW = 20
TIMELINE_HEAD = 28
# A bar whose start is not recorded: a stub this wide before its deadline, drawn open.
OPEN_START_WIDTH = 36
TITLE_CHARS = 40
# The axis spans at most this many years, from a few before today or the first deadline;
# a bar reaching beyond it (a "9999" placeholder deadline, an announcement in year 1) is
# drawn to the axis's edge, its real dates in its label and the table.
TIMELINE_YEARS_MAX = 40
TIMELINE_YEARS_BEFORE = 10


def timeline_chart(timeline: TimelineRows, params: Params, day: dt.date) -> dict:
    """Bars from announcement (or the source's date) to deadline, grouped by theme,
    against `day`; a commitment with neither date gets a short open-start stub."""
    rows, total, first = timeline.rows, timeline.total, timeline.first
    if not rows:
        return {
            "rows": [],
            "shown": 0,
            "total": total,
            "more": total,
            "summary": gettext("No deadlines."),
        }
    start_year, end_year = _timeline_years(rows, day, first)
    axis_start = dt.date(start_year, 1, 1)
    axis_end = dt.date(end_year + 1, 1, 1)
    span_days = (axis_end - axis_start).days
    plot = TIMELINE_WIDTH - TIMELINE_LABEL - 10

    def x(when: dt.date) -> float:
        when = min(max(when, axis_start), axis_end)
        return round(TIMELINE_LABEL + plot * (when - axis_start).days / span_days, 2)

    drawn_rows = []
    y = TIMELINE_HEAD
    current_group = None
    overdue = 0
    for r in rows:
        # The rows without a theme are grouped under a sentinel; readers see it in their words.
        theme = gettext("No theme") if r["first_theme"] == NO_THEME else r["first_theme"]
        if r["first_theme"] != current_group:
            current_group = r["first_theme"]
            drawn_rows.append({"group": theme, "y": y + 14})
            y += TIMELINE_ROW
        status = r["status_as_of"]
        is_overdue = r["health"] == Health.OVERDUE
        overdue += is_overdue
        start = r["start"]
        x1 = x(r["deadline"])
        x0 = x(start) if start else max(x1 - OPEN_START_WIDTH, TIMELINE_LABEL)
        drawn_rows.append(
            {
                "title": r["title"],
                "short_title": _shorten(r["title"]),
                "open_start": start is None,
                "url": f"/commitments/{r['slug']}/",
                "y": y + 4,
                "text_y": y + 15,
                "x": x0,
                "width": max(round(x1 - x0, 2), 3),
                "end_x": x1,
                "status": status,
                "status_label": status_label_in_full(status, r["kind"]),
                "style": STATUS_STYLE[status],
                "start": start,
                "deadline": dates.format_deadline(r["deadline"], r["deadline_precision"]),
                "overdue": is_overdue,
                "theme": theme,
            }
        )
        y += TIMELINE_ROW
    step = 1 if end_year - start_year <= 12 else 2 if end_year - start_year <= 24 else 5
    ticks = [
        {"year": year, "x": x(dt.date(year, 1, 1))}
        for year in range(start_year, end_year + 1, step)
    ]
    shown = sum(1 for r in drawn_rows if "group" not in r)
    return {
        "rows": drawn_rows,
        "ticks": ticks,
        "today_x": x(day),
        "height": y + 10,
        "plot_top": TIMELINE_HEAD - 6,
        "width": TIMELINE_WIDTH,
        "shown": shown,
        "total": total,
        "more": max(total - shown, 0),
        "more_url": params.list_url(sort="deadline"),
        "first": first,
        "summary": ngettext(
            "%(shown)s of %(total)s commitment with a deadline from %(first)s to %(last)s; "
            "%(overdue)s of those shown are overdue.",
            "%(shown)s of %(total)s commitments with a deadline from %(first)s to %(last)s; "
            "%(overdue)s of those shown are overdue.",
            total,
        )
        % {
            "shown": shown,
            "total": total,
            "first": month_label(first),
            "last": month_label(max(r["deadline"] for r in rows)),
            "overdue": overdue,
        },
    }


def month_label(day: dt.date) -> str:
    """A month as the reader's language writes it: "Sep 2025", "settembre 2025", "2025年9月"."""
    return date_format(day, "YEAR_MONTH_FORMAT")


def _shorten(title: str) -> str:
    """The label that fits beside the bars; the full title shows on hover and focus."""
    if len(title) <= TITLE_CHARS:
        return title
    return title[: TITLE_CHARS - 1].rstrip() + "…"


def _timeline_years(rows: list[dict], day: dt.date, first: dt.date) -> tuple[int, int]:
    """The first and last year the axis draws: every bar's span, within
    `TIMELINE_YEARS_MAX` years that take in today and the first deadline."""
    start_year = min([r["start"].year for r in rows if r["start"]] + [day.year, first.year])
    end_year = max(r["deadline"].year for r in rows)
    start_year = max(start_year, min(day.year, first.year) - TIMELINE_YEARS_BEFORE, dt.MINYEAR)
    end_year = min(end_year, start_year + TIMELINE_YEARS_MAX - 1, dt.MAXYEAR - 1)
    return start_year, max(end_year, start_year)


# -- trend ----------------------------------------------------------------------------------
TREND_WIDTH = 1000
TREND_HEIGHT = 220
TREND_LEFT = 40
TREND_BOTTOM = 190
TREND_TOP = 20


def trend_chart(trend: Trend) -> dict:
    """Bars of updates recorded per month and a line of commitments closed; history
    before the first drawn month is one sentence."""
    points = trend.points
    if not points:
        return {"months": [], "summary": gettext("No updates recorded yet.")}
    months = [{**p, "label": month_label(p["month"])} for p in points]
    n = len(months)
    plot = TREND_WIDTH - TREND_LEFT - 10
    step = plot / n
    top_closed = max(p["closed"] for p in months) or 1
    top_recorded = max(p["recorded"] for p in months) or 1
    height = TREND_BOTTOM - TREND_TOP
    label_every = max(1, -(-n // 10))
    line = []
    for i, p in enumerate(months):
        p["x"] = round(TREND_LEFT + i * step, 2)
        p["bar_width"] = round(max(step - 2, 1), 2)
        p["bar_height"] = round(height * p["recorded"] / top_recorded, 2)
        p["bar_y"] = round(TREND_BOTTOM - p["bar_height"], 2)
        p["cx"] = round(p["x"] + step / 2, 2)
        p["cy"] = round(TREND_BOTTOM - height * p["closed"] / top_closed, 2)
        p["show_label"] = i % label_every == 0
        line.append(f"{p['cx']},{p['cy']}")
    total_recorded = sum(p["recorded"] for p in months) + trend.earlier_recorded
    earlier = ""
    if trend.since:
        earlier = (
            " "
            + (
                gettext("Before %(month)s: %(updates)s recorded,")
                % {
                    "month": months[0]["label"],
                    "updates": ngettext("%(n)s update", "%(n)s updates", trend.earlier_recorded)
                    % {"n": trend.earlier_recorded},
                }
            )
            + " "
            + (
                ngettext(
                    "%(n)s commitment closed by then.",
                    "%(n)s commitments closed by then.",
                    trend.earlier_closed,
                )
                % {"n": trend.earlier_closed}
            )
        )
    return {
        "months": months,
        "line": " ".join(line),
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "bottom": TREND_BOTTOM,
        "top": TREND_TOP,
        "left": TREND_LEFT,
        "top_closed": top_closed,
        "top_recorded": top_recorded,
        "summary": (
            gettext("From %(first)s to %(last)s:")
            % {"first": months[0]["label"], "last": months[-1]["label"]}
            + " "
            + ngettext(
                "%(n)s commitment closed by the end,",
                "%(n)s commitments closed by the end,",
                months[-1]["closed"],
            )
            % {"n": months[-1]["closed"]}
            + " "
            + ngettext(
                "%(n)s update recorded in all,",
                "%(n)s updates recorded in all,",
                total_recorded,
            )
            % {"n": total_recorded}
            + " "
            + gettext("at most %(n)s in one month.") % {"n": top_recorded}
            + earlier
        ),
    }
