"""An import reads a CSV file as a stream, a chunk of rows at a time: its memory does not
grow with the file (issue: a 200,000-row dry run peaked near 1 GB). `python -m
bench.import_probe 200000` measures a large file; this pins the shape with tracemalloc."""

import tracemalloc
from unittest import mock

import pytest

from bench.import_probe import generated_csv
from commitments.importing import import_file
from commitments.importing.report import KEPT
from commitments.models import Commitment


def traced_peak_mb(path) -> tuple[float, object]:
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            result = import_file(stream, path.name, dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20, result


@pytest.fixture
def files(tmp_path):
    def write(rows: int):
        path = tmp_path / f"rows-{rows}.csv"
        # Without statuses: the rows are written in bulk, so the test stays quick.
        path.write_bytes(generated_csv(rows, rated_every=0))
        return path

    return write


def test_it_imports_four_times_the_rows_in_about_the_same_memory(db, files):
    small_peak, small = traced_peak_mb(files(1_000))
    large_peak, large = traced_peak_mb(files(4_000))

    assert (small.rows, large.rows) == (1_000, 4_000)
    assert len(large.created) == 4_000 and not large.rejected
    # Before streaming the peak grew by about 5 kB a row (+15 MB here).
    assert large_peak < small_peak + 3, (small_peak, large_peak)
    assert large_peak < 12, large_peak


def test_it_counts_every_outcome_and_lists_only_the_first_ones(db, files):
    _, result = traced_peak_mb(files(KEPT + 1))

    assert len(result.created) == KEPT + 1
    assert result.created.unlisted == 1
    assert [o.line for o in result.created][:2] == [2, 3]
    assert f"{KEPT + 1} created" in result.summary()


@pytest.fixture
def small_chunks():
    with mock.patch("commitments.importing.importer.CHUNK", 2):
        yield


def test_it_links_a_child_to_a_framework_further_down_the_file(db, small_chunks):
    content = (
        b"slug,title,kind,parent\n"
        b"child,Child,deliverable,plan\n"
        b"other,Other,deliverable,\n"
        b"third,Third,deliverable,\n"
        b"plan,Plan,framework,\n"
    )

    result = import_file(content, "x.csv")

    assert result.written, result.rejected
    assert Commitment.objects.get(slug="child").parent.slug == "plan"
    assert [o.line for o in result.created] == [3, 4, 5, 2]


def test_it_refuses_a_parent_that_never_comes_or_is_not_a_framework(db, small_chunks):
    content = (
        b"slug,title,kind,parent\n"
        b"child,Child,deliverable,nowhere\n"
        b"other,Other,deliverable,\n"
        b"second,Second,deliverable,other\n"
        b"late,Late,deliverable,latest\n"
        b"latest,Latest,deliverable,\n"
    )

    result = import_file(content, "x.csv", skip_invalid=True)

    assert sorted((r.line, r.column) for r in result.rejected) == [
        (2, "parent"),
        (4, "parent"),
        (5, "parent"),
    ]
    assert set(Commitment.objects.values_list("slug", flat=True)) == {"other", "latest"}


def test_it_refuses_a_slug_or_id_an_earlier_chunk_claimed(db, small_chunks):
    content = (
        b"slug,title,external_id\n"
        b"a,First,x-1\n"
        b",Second,x-2\n"
        b"b,Third,x-1\n"
        b"a,Fourth,x-4\n"
        b",Second,x-5\n"
    )

    result = import_file(content, "x.csv", skip_invalid=True)

    assert [(r.line, r.column) for r in result.rejected] == [
        (4, "external_id"),
        (5, "slug"),
    ]
    assert sorted(Commitment.objects.values_list("slug", flat=True)) == [
        "a",
        "second",
        "second-2",
    ]


def test_it_moves_a_row_whose_parent_changes_from_unchanged_to_updated(make, small_chunks):
    plan = make.commitment("Plan", slug="plan", kind="framework")
    make.commitment("Child", slug="child")
    content = b"slug,title,parent\nchild,Child,plan\n"

    result = import_file(content, "x.csv")

    assert (len(result.updated), len(result.unchanged)) == (1, 0)
    assert result.updated[0].changes == ["parent"]
    assert Commitment.objects.get(slug="child").parent == plan


def test_it_writes_nothing_when_a_later_chunk_cannot_be_read(db, small_chunks):
    content = b"title\nFirst\nSecond\nThird\nFourth\nFifth \xff\n"

    result = import_file(content, "x.csv", skip_invalid=True)

    assert "not valid utf-8" in result.file_error
    assert (result.rows, len(result.created), result.written) == (0, 0, False)
    assert not Commitment.objects.exists()
