"""Commitments closed and updates recorded per month, from the scope's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import DateField, F, IntegerField, QuerySet, Value
from django.db.models.functions import TruncMonth

from ..choices import Status
from ..dates import end_of_day, start_of_day
from ..models import RecordedMonth, StatusPeriod, StatusUpdate
from .scope import in_scope_on, is_register_on

Month = tuple[int, int]

# The trend draws at most this many months, ending with `day`'s; anything older is
# summed into the first drawn month's starting figures, however far back history goes.
TREND_MONTHS_MAX = 120


@dataclass
class Trend:
    points: list[dict] = field(default_factory=list)
    # Before the first drawn month (`since`): updates recorded, commitments closed by then.
    earlier_recorded: int = 0
    earlier_closed: int = 0
    since: dt.date | None = None


def trend_points(scope: QuerySet, day: dt.date) -> Trend:
    """One point per month from the first update to `day`, at most `TREND_MONTHS_MAX`
    of them: `month` (its first day), `closed` (commitments closed at its end, from the
    history) and `recorded` (updates recorded in it); one query, summed up in the
    database. Months before the first drawn one are summarised: their closings carry
    into its count, their recorded updates are `earlier_recorded`.

    A commitment counts as closed from the effective date of a non-corrected update
    that closes it until one that reopens it (its status periods), and from the day a
    later commitment superseded it (or it was merged into one) for good; updates
    effective after `day` do not count yet. Closed counts follow the register as the tiles read
    it on `day`; the updates recorded are those recorded by its end."""
    recorded_sql, recorded_params = _recorded_per_month(scope, day)
    closing_sql, closing_params = _closing_changes(scope, day)
    # Both inner queries are compiled by Django; their values travel as parameters.
    sql = " ".join(
        [
            recorded_sql,
            "UNION ALL SELECT 1, effective_month, SUM(change) FROM (",
            closing_sql,
            ") AS changes GROUP BY effective_month",
        ]
    )
    recorded: dict[Month, int] = {}
    closed_delta: dict[Month, int] = {}
    with connections[scope.db].cursor() as cursor:
        cursor.execute(sql, [*recorded_params, *closing_params])
        for kind, month, n in cursor.fetchall():
            counts = closed_delta if kind else recorded
            counts[_month(_as_date(month))] = counts.get(_month(_as_date(month)), 0) + int(n)
    if not recorded and not closed_delta:
        return Trend()
    first = max(min([*recorded, *closed_delta]), _months_before(_month(day), TREND_MONTHS_MAX - 1))
    earlier_closed = sum(n for month, n in closed_delta.items() if month < first)
    earlier = sum(n for month, n in recorded.items() if month < first)
    running = earlier_closed
    points = []
    for year, month in _months(first, _month(day)):
        running += closed_delta.get((year, month), 0)
        points.append(
            {
                "month": dt.date(year, month, 1),
                "closed": running,
                "recorded": recorded.get((year, month), 0),
            }
        )
    return Trend(
        points=points,
        earlier_recorded=earlier,
        earlier_closed=earlier_closed,
        since=dt.date(*first, 1) if earlier or earlier_closed else None,
    )


def _scope_history(scope: QuerySet, day: dt.date) -> QuerySet:
    return StatusUpdate.objects.filter(
        in_scope_on(scope, day), recorded_at__lt=end_of_day(day)
    ).order_by()


def _recorded_per_month(scope: QuerySet, day: dt.date) -> tuple[str, tuple]:
    """Updates of the scope recorded per month by the end of `day` (columns `kind` 0,
    `recorded_month` and the count; a month may come in several rows, to be summed).
    For the whole register, the months before `day`'s are read from their kept counts
    (`RecordedMonth`) and only `day`'s own month from the history, by its recording-time
    index; on a past day, less the updates recorded in those months for commitments
    announced after it (few, and found from the same index). A narrower scope counts
    its history."""
    if not scope.query.where or is_register_on(scope, day):
        month = day.replace(day=1)
        ops = connections[scope.db].ops
        table = ops.quote_name(RecordedMonth._meta.db_table)
        kept = f"SELECT 0, month, updates FROM {table} WHERE month < %s AND updates > 0"  # noqa: S608
        updates = StatusUpdate.objects.order_by()
        this_month = updates.filter(
            recorded_at__gte=start_of_day(month), recorded_at__lt=end_of_day(day)
        )
        parts = [(kept, (ops.adapt_datefield_value(month),)), _per_month(this_month, "COUNT(*)")]
        if scope.query.where:
            later = updates.filter(
                commitment__announced_on__gt=day, recorded_at__lt=end_of_day(day)
            )
            parts.append(_per_month(later, "-COUNT(*)"))
    else:
        parts = [_per_month(_scope_history(scope, day), "COUNT(*)")]
    return (
        " UNION ALL ".join(sql for sql, _params in parts),
        tuple(param for _sql, params in parts for param in params),
    )


def _per_month(updates: QuerySet, count: str) -> tuple[str, tuple]:
    rows = updates.annotate(
        recorded_month=TruncMonth("recorded_at", output_field=DateField())
    ).values("recorded_month")
    rows_sql, rows_params = rows.query.sql_with_params()
    # `count` is one of two constants and `rows_sql` Django's; the values stay parameters.
    sql = f"SELECT 0, recorded_month, {count} FROM ({rows_sql}) AS recorded GROUP BY recorded_month"  # noqa: S608
    return sql, rows_params


def _closing_changes(scope: QuerySet, day: dt.date) -> tuple[str, tuple]:
    """Each closing or reopening by `day`, from the scope's status periods (a column
    `effective_month` and a column `change`, +1 or -1): a period with a closing status,
    or begun once a later commitment had superseded its commitment (or it was merged
    into one: health.py's rule, whatever the status), closes its commitment in the
    month it begins and reopens it in the month it ends, if it ended by then. Summed per month this is each month's change in commitments
    closed, as the non-corrected history gives it (the last entry of a day counts), with
    one read of the periods instead of a window over the history."""
    periods = StatusPeriod.objects.filter(in_scope_on(scope, day)).order_by()
    # Two disjoint sets, so that neither reads the whole commitments table: periods with
    # a closing status, and the few others begun once their commitment was superseded
    # (found from the superseded commitments' index).
    closing = [
        periods.filter(status__in=Status.closed()),
        periods.exclude(status__in=Status.closed()).filter(
            commitment__superseded_on__isnull=False,
            commitment__superseded_on__lte=F("valid_from"),
        ),
    ]
    begun = [
        rows.filter(valid_from__lte=day)
        .annotate(
            effective_month=TruncMonth("valid_from", output_field=DateField()),
            change=Value(1, output_field=IntegerField()),
        )
        .values("effective_month", "change")
        for rows in closing
    ]
    ended = [
        rows.filter(valid_to__lte=day)
        .annotate(
            effective_month=TruncMonth("valid_to", output_field=DateField()),
            change=Value(-1, output_field=IntegerField()),
        )
        .values("effective_month", "change")
        for rows in closing
    ]
    first, *others = [*begun, *ended]
    return first.union(*others, all=True).query.sql_with_params()


def _month(day: dt.date) -> Month:
    return (day.year, day.month)


def _months_before(month: Month, n: int) -> Month:
    index = month[0] * 12 + month[1] - 1 - n
    return max((index // 12, index % 12 + 1), (dt.MINYEAR, 1))


def _months(first: Month, last: Month) -> list[Month]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _as_date(value) -> dt.date:
    """A month from the database: a date, a datetime, or text on SQLite."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
