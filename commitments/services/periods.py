"""Status periods: for every commitment, the stretches of days during which each status
and progress held, read from its history.

The status in effect on a day is that of the latest non-corrected update effective on
or before it (latest by effective date, then by when it was recorded, then by id:
`HistoryQuerySet.newest_first`). So each distinct effective date of a commitment's
non-corrected updates opens a period holding its winning update's status and progress,
which lasts until the next such date (`valid_to`, not included) or, for the last one,
until further notice (`valid_to` empty). Before its first period a commitment is Not
yet rated.

Two ways to the same table, kept apart on purpose so each checks the other:

- `refresh_commitment` works one commitment's periods out in Python and writes only the
  rows that differ; `record_status_update` calls it in its transaction, after the new
  history row (a plain update, a correction, a back-dated entry, an import's entry);
- `rebuild` works every period out in one set-based SQL statement (window functions,
  on PostgreSQL and SQLite alike) and replaces the table; `out_of_step` compares the
  table with that statement and names the commitments that differ. The
  `rebuild_status_periods` command, the system check, the migration that created the
  table and a restore use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection, transaction

from ..models import Commitment, StatusPeriod, StatusUpdate
from . import recorded_months


class Period(NamedTuple):
    valid_from: dt.date
    valid_to: dt.date | None
    status: str
    progress: int | None


def periods_of(entries: Iterable[tuple]) -> list[Period]:
    """The periods made by a commitment's non-corrected updates, given as
    `(effective_on, recorded_at, id, status, progress)` tuples in any order."""
    winners: dict[dt.date, tuple] = {}
    for entry in sorted(entries, key=lambda e: (e[0], e[1], e[2])):
        winners[entry[0]] = entry  # the last recorded of a day wins
    days = sorted(winners)
    return [
        Period(day, days[i + 1] if i + 1 < len(days) else None, *winners[day][3:5])
        for i, day in enumerate(days)
    ]


def refresh_commitment(commitment_id: int) -> None:
    """Bring one commitment's periods in step with its history, writing only the rows
    that changed (usually the last period's end and one new period)."""
    entries = (
        StatusUpdate.objects.filter(commitment_id=commitment_id)
        .not_corrected()
        .order_by()
        .values_list("effective_on", "recorded_at", "id", "status", "progress")
    )
    wanted = set(periods_of(entries))
    stored = {
        Period(row[1], row[2], row[3], row[4]): row[0]
        for row in StatusPeriod.objects.filter(commitment_id=commitment_id).values_list(
            "pk", "valid_from", "valid_to", "status", "progress"
        )
    }
    stale = [pk for period, pk in stored.items() if period not in wanted]
    if stale:
        StatusPeriod.objects.filter(pk__in=stale).delete()
    missing = wanted.difference(stored)
    if missing:
        StatusPeriod.objects.bulk_create(
            StatusPeriod(commitment_id=commitment_id, **period._asdict())
            for period in sorted(missing)
        )


def expected_sql(update_table: str) -> str:
    """One SELECT of every period the history `update_table` makes: columns
    `commitment_id, status, progress, valid_from, valid_to`. (Table names only, from
    the models: nothing of a request reaches this SQL.)"""
    return f"""
        SELECT commitment_id, status, progress, effective_on AS valid_from,
               LEAD(effective_on) OVER (PARTITION BY commitment_id ORDER BY effective_on)
                   AS valid_to
          FROM (SELECT u.commitment_id, u.status, u.progress, u.effective_on,
                       ROW_NUMBER() OVER (
                           PARTITION BY u.commitment_id, u.effective_on
                           ORDER BY u.recorded_at DESC, u.id DESC
                       ) AS place
                  FROM {update_table} u
                 WHERE NOT EXISTS (SELECT 1 FROM {update_table} c WHERE c.corrects_id = u.id)
               ) ranked
         WHERE place = 1"""  # noqa: S608


def rebuild_tables(cursor, *, update_table: str, period_table: str) -> int:
    """Replace every period with those the history makes; the number of periods. Takes
    table names so the migration that creates the table runs the same statement."""
    cursor.execute(f"DELETE FROM {period_table}")  # noqa: S608
    cursor.execute(
        f"INSERT INTO {period_table} (commitment_id, status, progress, valid_from, valid_to)"
        f" {expected_sql(update_table)}"
    )
    cursor.execute(f"SELECT COUNT(*) FROM {period_table}")  # noqa: S608
    return cursor.fetchone()[0]


def _tables() -> dict[str, str]:
    return {
        "update_table": connection.ops.quote_name(StatusUpdate._meta.db_table),
        "period_table": connection.ops.quote_name(StatusPeriod._meta.db_table),
    }


@transaction.atomic
def rebuild() -> int:
    """Rebuild the whole table from the history, all or nothing; idempotent. Returns
    the number of periods. Commitments' rows are locked first (in id order, as the
    status service locks one), so no update is recorded meanwhile. The monthly counts
    of updates recorded (`recorded_months`), the other table read from the history,
    are rebuilt with it."""
    list(Commitment.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        total = rebuild_tables(cursor, **_tables())
    recorded_months.rebuild()
    return total


def out_of_step(limit: int = 20) -> tuple[int, list[int]]:
    """How many commitments have periods that differ from their history, and the ids of
    the first `limit` of them; (0, []) when the table is in step. One query."""
    tables = _tables()
    columns = "commitment_id, status, progress, valid_from, valid_to"
    stored = f"SELECT {columns} FROM {tables['period_table']}"  # noqa: S608
    expected = expected_sql(tables["update_table"])
    sql = f"""
        SELECT DISTINCT commitment_id FROM (
            SELECT * FROM (SELECT {columns} FROM ({expected}) e1
                           EXCEPT SELECT {columns} FROM ({stored}) s1) missing
            UNION ALL
            SELECT * FROM (SELECT {columns} FROM ({stored}) s2
                           EXCEPT SELECT {columns} FROM ({expected}) e2) extra
        ) differing ORDER BY commitment_id"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        ids = [row[0] for row in cursor.fetchall()]
    return len(ids), ids[:limit]


def describe_out_of_step(count: int, first: list[int]) -> str:
    """What `out_of_step` found, in words, for the command and the system check."""
    ids = ", ".join(str(pk) for pk in first) + (", …" if count > len(first) else "")
    return (
        f"The status periods of {count} commitments differ from their history (ids {ids}): "
        "run `python manage.py rebuild_status_periods`."
    )
