"""Updates recorded per month, kept beside the history (`RecordedMonth`).

The dashboard trend draws, for the whole register, how many updates were recorded in
each month. Counting them from the history read every update on every uncached view;
this table holds the count per month instead:

- `count_update` adds one update to its month's row; `record_status_update` calls it in
  its transaction, after the new history row (every update is recorded there, a
  correction included: it is an update of its own);
- `rebuild` replaces the table with the history's counts, in one grouped statement;
  `rebuild_status_periods` (through `periods.rebuild`), a restore and the benchmark's
  loader run it after loading history around the services; `out_of_step` compares.

A month is the month of the recording instant in the tracker's time zone, as the
trend's `TruncMonth` reads the history.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import RecordedMonth, StatusUpdate


def month_of(recorded_at: dt.datetime) -> dt.date:
    """The first day of the month `recorded_at` falls in, in the tracker's time zone."""
    return timezone.localtime(recorded_at).date().replace(day=1)


def count_update(recorded_at: dt.datetime) -> None:
    """Add one update recorded at `recorded_at`: one statement that creates the month's
    row or adds to it, so two updates recorded at once in a new month both count."""
    table = connection.ops.quote_name(RecordedMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (month, updates) VALUES (%s, 1)"  # noqa: S608
            f" ON CONFLICT (month) DO UPDATE SET updates = {table}.updates + 1",
            [month_of(recorded_at)],
        )


def expected() -> dict[dt.date, int]:
    """The count of every month, read from the history: one grouped query."""
    rows = (
        StatusUpdate.objects.order_by()
        .annotate(month=TruncMonth("recorded_at", output_field=DateField()))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return dict(rows)


def stored() -> dict[dt.date, int]:
    return dict(RecordedMonth.objects.values_list("month", "updates"))


@transaction.atomic
def rebuild() -> int:
    """Replace every month's count with the history's, all or nothing; idempotent.
    Returns the number of months."""
    counts = expected()
    RecordedMonth.objects.all().delete()
    RecordedMonth.objects.bulk_create(
        RecordedMonth(month=month, updates=n) for month, n in sorted(counts.items())
    )
    return len(counts)


def out_of_step() -> list[dt.date]:
    """The months whose stored count differs from the history's; none when in step."""
    counts, kept = expected(), stored()
    return sorted(
        month for month in counts.keys() | kept.keys() if counts.get(month) != kept.get(month)
    )
