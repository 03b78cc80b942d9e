"""The commitments the deadline timeline draws."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    DateField,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .. import health
from ..models import Theme

TIMELINE_CAP = 40
NO_THEME = "No theme"


@dataclass
class TimelineRows:
    rows: list[dict] = field(default_factory=list)
    total: int = 0  # commitments due from `first` on, drawn or not
    first: dt.date | None = None  # the earliest open deadline (or any, when all are closed)


def _start_date():
    """When the bar starts: the announcement, else the source's date; none when neither
    is recorded (the day a row was typed in says nothing about the commitment)."""
    return Coalesce("announced_on", "source__date", output_field=DateField())


def _first_theme():
    names = Theme.objects.filter(commitments=OuterRef("pk")).order_by("name")
    return Subquery(names.values("name")[:1])


def timeline_rows(
    scope: QuerySet,
    day: dt.date,
    cap: int = TIMELINE_CAP,
    *,
    span: tuple[dt.date | None, dt.date | None] | None = None,
) -> TimelineRows:
    """The `cap` commitments due first from the earliest open deadline on (overdue
    ones, then the next ones), in theme order, each with its start, first theme and
    health on `day`; two queries (the span, then the rows with the count of all due
    from then on), or one when the span is given: (the earliest open deadline, the
    earliest deadline), as `dashboard_numbers` reads them.

    The rows are chosen by deadline, which an index serves at any size, and only those
    few are looked up for their first theme and put in theme order."""
    with_deadline = scope.filter(deadline__isnull=False)
    if span is None:
        read = with_deadline.aggregate(
            first_open=Min("deadline", filter=health.is_open(day)),
            first_any=Min("deadline"),
        )
        span = (read["first_open"], read["first_any"])
    first_open, first_any = span
    first = first_open or first_any
    if first is None:
        return TimelineRows()
    due_from_first = with_deadline.filter(deadline__gte=first)
    chosen = due_from_first.order_by("deadline", "title", "pk").values("pk")[:cap]
    # COUNT(1), not of a column: the deadline index alone can answer it.
    drawn_total = due_from_first.annotate(
        n=Func(Value(1), function="COUNT", output_field=IntegerField())
    ).values("n")
    rows = list(
        with_deadline.filter(pk__in=chosen)
        .annotate(
            start=_start_date(),
            first_theme=Coalesce(_first_theme(), Value(NO_THEME)),
            drawn_total=Subquery(drawn_total.order_by()),
            health=health.case(day),
        )
        .order_by(F("first_theme").asc(), "deadline", "title")
        .values(
            "slug",
            "title",
            "kind",
            "deadline",
            "deadline_precision",
            "status_as_of",
            "health",
            "start",
            "first_theme",
            "drawn_total",
        )
    )
    return TimelineRows(rows=rows, total=rows[0]["drawn_total"] if rows else 0, first=first)
