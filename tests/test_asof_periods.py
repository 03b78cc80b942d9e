"""A past day's register read from the status periods: the same statuses, progress and
counts as the history gives, on every day a status changed and the day before."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
import time_machine

from commitments.choices import Status
from commitments.filters import CommitmentFilterSet
from commitments.models import Commitment, StatusUpdate
from commitments.selectors.numbers import dashboard_numbers
from tests.test_status_periods import ANNOUNCED, TODAY, _commitments, _from_history, _random_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(make):
    """Four commitments with random histories, corrections and back-dated entries."""
    commitments = _commitments(make, 4)
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        _random_history(make, random.Random(7), commitments, 40)
    return commitments


def _probe_days() -> list[dt.date]:
    """Every day a status changed, the day before each, and some others."""
    changes = set(StatusUpdate.objects.values_list("effective_on", flat=True))
    days = changes | {day - dt.timedelta(days=1) for day in changes}
    return sorted(days | {ANNOUNCED, dt.date(2025, 1, 1), TODAY - dt.timedelta(days=1)})


def test_it_reads_a_past_day_from_the_periods_as_the_history_has_it(register):
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        for day in _probe_days():
            expected = {c.pk: _from_history(c.pk, day) for c in register}
            read = {
                row[0]: (row[1], row[2])
                for row in Commitment.objects.on(day).values_list(
                    "pk", "status_as_of", "progress_as_of"
                )
            }
            assert read == expected, day

            counts = Counter(status for status, _ in expected.values())
            numbers = dashboard_numbers(Commitment.objects.on(day), day)
            assert numbers["by_status"] == {key: counts[key] for key in Status.values}, day
            for key in counts:
                listed = CommitmentFilterSet({"status": [key]}, day=day).qs
                assert listed.count() == counts[key], (day, key)


def test_it_answers_the_summary_api_as_of_a_day_from_the_periods(client, register):
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        for day in _probe_days()[::3]:
            counts = Counter(_from_history(c.pk, day)[0] for c in register)
            response = client.get("/api/summary/", {"as_of": day.isoformat()})
            assert response.status_code == 200
            assert response.json()["by_status"] == {key: counts[key] for key in Status.values}


def test_it_reads_a_past_days_register_in_one_query(register, django_assert_num_queries):
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        with django_assert_num_queries(1):
            list(Commitment.objects.on(dt.date(2025, 6, 30)).values("status_as_of"))
        with django_assert_num_queries(1):
            dashboard_numbers(Commitment.objects.on(dt.date(2025, 6, 30)), dt.date(2025, 6, 30))


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    ends, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        ends.append(min(dt.date(year, month, 1) - dt.timedelta(days=1), last))
    return ends


@pytest.mark.parametrize("day", [TODAY, dt.date(2025, 3, 31), dt.date(2025, 8, 14)])
def test_it_counts_the_trends_closed_commitments_as_the_history_has_them(register, day):
    from commitments.selectors.trend import trend_points

    closed = set(Status.closed())
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        trend = trend_points(Commitment.objects.on(day), day)
    assert trend.points
    points = {point["month"]: point["closed"] for point in trend.points}
    for end in _month_ends(min(points), day):
        expected = sum(_from_history(c.pk, end)[0] in closed for c in register)
        assert points[end.replace(day=1)] == expected, end


def test_it_breaks_a_past_day_down_alike_for_the_whole_register_and_a_filtered_scope(
    register, make
):
    from commitments.models import Party
    from commitments.selectors.breakdowns import breakdown_rows
    from commitments.selectors.scope import rescoped

    themes, actors, sources = (
        [make.theme() for _ in range(2)],
        [make.actor() for _ in range(2)],
        [make.source() for _ in range(2)],
    )
    for i, commitment in enumerate(register):
        commitment.themes.set(themes[: 1 + i % 2])
        Party.objects.create(commitment=commitment, actor=actors[i % 2], role="lead")
        Commitment.objects.filter(pk=commitment.pk).update(source=sources[i % 2])
    day = dt.date(2025, 8, 14)
    everything = Commitment.objects.values_list("pk", flat=True)
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        whole = Commitment.objects.on(day)
        filtered = Commitment.objects.on(day).filter(pk__in=list(everything))
        # The whole register is read once; a filtered scope through its ids.
        scoped = 'IN (SELECT V0."id" AS "pk" FROM "commitments_commitment"'  # the scope's ids
        assert scoped not in str(rescoped(whole, day).query)
        assert scoped in str(rescoped(filtered, day).query)
        for group in ("theme", "party", "source"):
            rows = breakdown_rows(whole, group, day)
            assert sum(row["total"] for row in rows) >= len(register)
            assert rows == breakdown_rows(filtered, group, day)


def test_it_counts_a_superseded_commitment_closed_in_the_trend_from_that_month(make):
    from commitments.choices import LinkKind
    from commitments.selectors.trend import trend_points
    from commitments.services import link_commitments, record_status_update

    earlier, later = _commitments(make, 2)
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        record_status_update(
            commitment=earlier,
            status=Status.IN_PROGRESS,
            by=None,
            rationale="Started.",
            progress=20,
            effective_on=dt.date(2025, 6, 1),
            evidence=[make.evidence(earlier)],
        )
        link_commitments(
            commitment=earlier,
            kind=LinkKind.SUPERSEDED_BY,
            other=later,
            source=make.source("Second summit", date=dt.date(2026, 2, 1)),
            by=None,
            effective_on=dt.date(2026, 2, 1),
        )

        def closed(day):
            trend = trend_points(Commitment.objects.all(), day)
            return {f"{p['month']:%Y-%m}": p["closed"] for p in trend.points}

        months = closed(TODAY)
        assert months.get("2026-01", 0) == 0
        assert months["2026-02"] == months["2026-06"] == 1
        assert set(closed(dt.date(2026, 1, 31)).values()) <= {0}
