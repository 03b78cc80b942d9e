"""Time travel: status, progress and health as they stood at the end of a day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from commitments import health
from commitments.choices import Health, Status
from commitments.filters import CommitmentFilterSet
from commitments.models import Commitment, StatusUpdate
from commitments.selectors.numbers import dashboard_numbers
from commitments.services import record_status_update

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _update(commitment, status, on, progress=None, corrects=None, make=None):
    evidence = [make.evidence(commitment)] if status != Status.NOT_RATED else []
    with time_machine.travel(dt.datetime(on.year, on.month, on.day, 12), tick=False):
        return record_status_update(
            commitment=commitment,
            status=status,
            by=None,
            rationale=f"{status} on {on}",
            evidence=evidence,
            progress=progress,
            effective_on=on,
            corrects=corrects,
        )


@pytest.fixture
def history(make):
    """Three commitments with histories, one announced later than the others."""
    with time_machine.travel(dt.datetime(2024, 1, 1, 9), tick=False):
        road = make.commitment(
            "Road",
            deadline=dt.date(2025, 12, 31),
            precision="year",
            announced_on=dt.date(2024, 1, 1),
            announced_precision="day",
        )
        port = make.commitment(
            "Port",
            deadline=dt.date(2030, 12, 31),
            precision="year",
            announced_on=dt.date(2024, 1, 1),
            announced_precision="day",
        )
        late = make.commitment(
            "Late",
            deadline=dt.date(2027, 12, 31),
            precision="year",
            announced_on=dt.date(2025, 6, 1),
            announced_precision="day",
        )
    _update(road, Status.IN_PROGRESS, dt.date(2024, 3, 1), 20, make=make)
    _update(road, Status.ACHIEVED, dt.date(2025, 3, 1), 100, make=make)
    wrong = _update(port, Status.BROKEN, dt.date(2024, 5, 1), 0, make=make)
    _update(port, Status.STALLED, dt.date(2024, 5, 1), 10, corrects=wrong, make=make)
    _update(late, Status.IN_PROGRESS, dt.date(2025, 7, 1), 40, make=make)
    return {"road": road, "port": port, "late": late}


def _as_of(day):
    return {c.title: c for c in Commitment.objects.on(day)}


def test_it_takes_status_and_progress_from_the_latest_update_in_effect(history):
    before_any = _as_of(dt.date(2024, 2, 1))
    assert before_any["Road"].status_as_of == Status.NOT_RATED
    assert before_any["Road"].progress_as_of is None

    mid = _as_of(dt.date(2024, 12, 31))
    assert (mid["Road"].status_as_of, mid["Road"].progress_as_of) == (Status.IN_PROGRESS, 20)

    later = _as_of(dt.date(2025, 3, 1))
    assert (later["Road"].status_as_of, later["Road"].progress_as_of) == (Status.ACHIEVED, 100)


def test_it_ignores_corrected_updates(history):
    port = _as_of(dt.date(2024, 6, 1))["Port"]
    assert (port.status_as_of, port.progress_as_of) == (Status.STALLED, 10)


def test_it_leaves_out_commitments_announced_later(history):
    assert set(_as_of(dt.date(2025, 5, 31))) == {"Road", "Port"}
    assert set(_as_of(dt.date(2025, 6, 1))) == {"Road", "Port", "Late"}


def test_it_judges_health_against_the_as_of_day(history):
    def health_of(day):
        rows = Commitment.objects.on(day)
        return {
            c.title: key for key in Health.values for c in rows.filter(health.condition(key, day))
        }

    # Road was in progress, recently updated, then went 180 days without an update ...
    assert health_of(dt.date(2024, 6, 1))["Road"] == Health.ON_TRACK
    assert health_of(dt.date(2025, 1, 10))["Road"] == Health.STALE
    # ... and was achieved before its deadline passed.
    assert health_of(dt.date(2026, 1, 5))["Road"] == Health.CLOSED
    # Port stalled in May 2024, so it is at risk from then on, whatever its last update.
    assert health_of(dt.date(2024, 4, 30))["Port"] == Health.UNASSESSED
    assert health_of(dt.date(2024, 6, 1))["Port"] == Health.AT_RISK
    assert health_of(dt.date(2025, 1, 1))["Port"] == Health.AT_RISK
    # Late is due within 90 days of its deadline.
    assert health_of(dt.date(2027, 11, 1))["Late"] == Health.DUE_SOON
    assert health_of(dt.date(2028, 1, 1))["Late"] == Health.OVERDUE


def test_it_sums_the_headline_numbers_as_of_a_day(history):
    numbers = dashboard_numbers(Commitment.objects.on(dt.date(2024, 12, 31)), dt.date(2024, 12, 31))
    assert numbers["as_of"] == dt.date(2024, 12, 31)
    assert numbers["total"] == 2
    assert numbers["by_status"][Status.IN_PROGRESS] == 1
    assert numbers["by_status"][Status.STALLED] == 1
    assert sum(numbers["by_status"].values()) == 2
    assert numbers["by_health"][Health.DUE_SOON] == 0
    assert sum(numbers["by_health"].values()) == 2
    assert str(numbers["progress"]) == "15% · 2 of 2 measured"


def test_it_agrees_with_the_list_filterset_for_today(history):
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        for key in Health.values:
            params = {"health": key}
            numbers = dashboard_numbers(CommitmentFilterSet(params, day=TODAY).qs, TODAY)
            listed = Commitment.objects.in_health(key, TODAY).count()
            assert numbers["total"] == listed, key
        numbers = dashboard_numbers(CommitmentFilterSet({}).qs, TODAY)
        assert numbers["by_status"] == Commitment.objects.status_counts()
        assert numbers["by_health"] == {
            key: Commitment.objects.in_health(key, TODAY).count() for key in Health.values
        }


def test_it_filters_status_and_health_as_of_the_day(history):
    day = dt.date(2024, 12, 31)
    in_progress = CommitmentFilterSet({"status": [Status.IN_PROGRESS]}, day=day).qs
    assert [c.title for c in in_progress] == ["Road"]
    stale = CommitmentFilterSet({"health": Health.STALE}, day=day).qs
    assert sorted(c.title for c in stale) == ["Road"]
    stalled_and_at_risk = CommitmentFilterSet(
        {"health": Health.AT_RISK, "status": [Status.STALLED]}, day=day
    ).qs
    assert [c.title for c in stalled_and_at_risk] == ["Port"]


def test_it_counts_in_one_query(history, django_assert_num_queries):
    with django_assert_num_queries(1):
        dashboard_numbers(Commitment.objects.on(dt.date(2025, 1, 1)), dt.date(2025, 1, 1))
    assert StatusUpdate.objects.count() == 5
