"""The bench's export floor: PostgreSQL's own COPY of the export's rows, to measure the
export against (bench/export_probe.py)."""

import csv
import io

import pytest
from django.db import connection

from bench import dataset
from bench.export_probe import COPY_FLOOR, copy_floor, floor_line
from commitments.exporting import csv_chunks
from commitments.filters import CommitmentFilterSet


def exported() -> list[dict]:
    filterset = CommitmentFilterSet({})
    assert filterset.is_valid()
    return list(csv.DictReader(io.StringIO("".join(csv_chunks(filterset.qs)))))


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="COPY is PostgreSQL's")
def test_it_copies_the_exports_rows_in_its_order_with_themes_and_parties(db):
    dataset.build(40, progress=lambda message: None)
    seconds, rows = copy_floor()
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_FLOOR) as copy:
        copied = b"".join(bytes(data) for data in copy).decode()
    floor = list(csv.reader(io.StringIO(copied)))[1:]
    app = exported()

    assert rows == len(app) == 40 and seconds > 0
    assert [row[0] for row in floor] == [row["slug"] for row in app]
    assert [(row[7], row[8]) for row in floor] == [(row["themes"], row["parties"]) for row in app]


def test_it_says_the_floor_is_postgresql_s_alone_elsewhere(db):
    if connection.vendor == "postgresql":
        assert floor_line({"copy_floor_seconds": 1.5, "over_floor": 1.8}).endswith(
            "export / floor = 1.8 (budget at 100,000: 2)"
        )
    else:
        assert copy_floor() is None
        assert floor_line({"copy_floor_seconds": None}).endswith("PostgreSQL only")
