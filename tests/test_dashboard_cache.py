"""The dashboard's cached widgets: served again for the same register, recomputed as
soon as anything on it changes, whichever way the change was written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.choices import Status
from commitments.models import Commitment, Milestone, StatusUpdate
from tests.test_dashboard import TODAY, at, build_register, get, record

# The register's version, and the filter form's three choice lists.
WARM_QUERIES = 4


pytestmark = pytest.mark.usefixtures("kept_register_cache")


@pytest.fixture
def register(make):
    return build_register(make)


def count(context, key: str) -> int:
    return {tile.key: tile.count for tile in context["tiles"]}[key]


def queries_for(client, query: str = "") -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        context = get(client, query)
    return len(ctx.captured_queries), context


def test_a_second_visit_reads_the_widgets_from_the_cache(client, register):
    with at(TODAY):
        cold, first = queries_for(client)
        warm, second = queries_for(client)
    assert warm == WARM_QUERIES < cold
    assert second["numbers"] == first["numbers"]
    assert [t.count for t in second["tiles"]] == [t.count for t in first["tiles"]]


def test_each_filter_and_day_has_its_own_entry(client, register):
    with at(TODAY):
        everything = get(client)["numbers"]["total"]
        defence = get(client, "?theme=defence")["numbers"]["total"]
        past = get(client, "?as_of=2025-01-01")["numbers"]["total"]
        assert get(client)["numbers"]["total"] == everything
    assert defence < everything
    assert past < everything


def test_a_recorded_update_shows_at_once(
    client, make, register, django_capture_on_commit_callbacks
):
    with at(TODAY):
        before = get(client)
        get(client)  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        record(make, register["Grid"], Status.ACHIEVED, TODAY, 100)
    with at(TODAY):
        after = get(client)
    assert count(after, "status-achieved") == count(before, "status-achieved") + 1
    assert after["latest_updates"][0].commitment.title == "Grid"


def test_an_edit_without_new_rows_shows_at_once(
    client, register, django_capture_on_commit_callbacks
):
    milestone = Milestone.objects.create(
        commitment=register["Fighter"],
        title="First prototype",
        due_on=dt.date(2026, 9, 30),
        due_precision="month",
    )

    def upcoming() -> list[str]:
        return [m.title for m in get(client)["next_milestones"]]

    with at(TODAY):
        assert "First prototype" in upcoming()
        get(client)  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        milestone.completed_on = dt.date(2026, 6, 1)
        milestone.save()
    with at(TODAY):
        assert "First prototype" not in upcoming()


def test_a_renamed_theme_shows_at_once(client, register, django_capture_on_commit_callbacks):
    with at(TODAY):
        get(client)
    defence = register["Fighter"].themes.get()
    with django_capture_on_commit_callbacks(execute=True):
        defence.name = "Defence and security"
        defence.save()
    with at(TODAY):
        labels = [bar["label"] for bar in get(client)["breakdowns"][0]["bars"]]
    assert "Defence and security" in labels


def test_bulk_writes_without_signals_show_at_once(client, register):
    """The importer writes with bulk_create and update(), which send no signals."""
    with at(TODAY):
        before = get(client)
        [new] = Commitment.objects.bulk_create([Commitment(title="Bulk", slug="bulk")])
        assert get(client)["numbers"]["total"] == before["numbers"]["total"] + 1
        StatusUpdate.objects.bulk_create(
            [
                StatusUpdate(
                    commitment=new,
                    status=Status.IN_PROGRESS,
                    previous_status=Status.NOT_RATED,
                    review=True,
                    effective_on=TODAY,
                    rationale="Imported",
                )
            ]
        )
        Commitment.objects.filter(pk=new.pk).update(
            status=Status.IN_PROGRESS, updated_at=dt.datetime(2026, 6, 15, 13, tzinfo=dt.UTC)
        )
        after = get(client)
    assert count(after, "status-in_progress") == count(before, "status-in_progress") + 1


def test_the_cache_keeps_to_the_day(client, register):
    with at(TODAY):
        today = get(client)["numbers"]
    with at(TODAY + dt.timedelta(days=400)):
        later = get(client)["numbers"]
    assert later["as_of"] != today["as_of"]
    assert later["by_health"] != today["by_health"]


def test_linking_evidence_to_a_commitment_shows_at_once(
    client, register, make, django_capture_on_commit_callbacks
):
    dialogue = register["Dialogue"]
    evidence = make.evidence(register["Port"], title="Shared report", url="https://e.org/s")
    with at(TODAY):
        before = get(client, "?has_evidence=true")["numbers"]["total"]
    with django_capture_on_commit_callbacks(execute=True):
        evidence.commitments.add(dialogue)
    with at(TODAY):
        after = get(client, "?has_evidence=true")["numbers"]["total"]
    assert after == before + 1
