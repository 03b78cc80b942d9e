import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from commitments import services
from commitments.choices import Health, Precision
from commitments.models import Commitment

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def health_zoo(make):
    """One commitment for each health, and a few edge cases."""
    with time_machine.travel(NOW - dt.timedelta(days=400), tick=False):
        stale = make.commitment("Stale: nothing recorded for over a year")
        closed = make.commitment("Closed although overdue", deadline=dt.date(2020, 1, 1))
        evidence = make.evidence(closed)
    with time_machine.travel(NOW - dt.timedelta(days=300), tick=False):
        services.record_status_update(
            commitment=closed,
            status="achieved",
            by=None,
            rationale="Delivered.",
            evidence=[evidence],
        )
    with time_machine.travel(NOW, tick=False):
        rows = {
            "stale": stale,
            "closed": closed,
            "overdue": make.commitment(
                "Overdue month", deadline=dt.date(2026, 5, 1), precision=Precision.MONTH
            ),
            "due_soon": make.commitment(
                "Due in the period ending within 90 days",
                deadline=dt.date(2026, 5, 1),
                precision=Precision.QUARTER,
            ),
            "year_not_overdue": make.commitment(
                "By 2026 is not overdue in June 2026",
                deadline=dt.date(2026, 1, 1),
                precision=Precision.YEAR,
            ),
            "on_track": make.commitment(
                "Far away", deadline=dt.date(2035, 1, 1), precision=Precision.YEAR
            ),
            "no_deadline": make.commitment("No deadline, recently created"),
        }
    return rows


EXPECTED = {
    "stale": Health.STALE,
    "closed": Health.CLOSED,
    "overdue": Health.OVERDUE,
    "due_soon": Health.DUE_SOON,
    "year_not_overdue": Health.ON_TRACK,
    "on_track": Health.ON_TRACK,
    "no_deadline": Health.ON_TRACK,
}


@time_machine.travel(NOW, tick=False)
def test_it_computes_health_in_python(health_zoo):
    for name, commitment in health_zoo.items():
        commitment.refresh_from_db()
        assert commitment.health_on(TODAY) == EXPECTED[name], name


@time_machine.travel(NOW, tick=False)
def test_it_computes_the_same_health_in_sql(health_zoo):
    annotated = {c.pk: c.health for c in Commitment.objects.with_health(TODAY)}
    for name, commitment in health_zoo.items():
        assert annotated[commitment.pk] == EXPECTED[name], name


@time_machine.travel(NOW, tick=False)
def test_sql_and_python_health_agree_for_every_row(health_zoo):
    for commitment in Commitment.objects.with_health(TODAY):
        assert commitment.health == commitment.health_on(TODAY)


@time_machine.travel(NOW, tick=False)
def test_it_filters_by_health_with_intent_named_methods(health_zoo):
    qs = Commitment.objects
    assert set(qs.overdue(TODAY)) == {health_zoo["overdue"]}
    assert set(qs.due_soon(TODAY)) == {health_zoo["due_soon"]}
    assert set(qs.stale(TODAY)) == {health_zoo["stale"]}
    assert set(qs.closed()) == {health_zoo["closed"]}
    assert set(qs.on_track(TODAY)) == {
        health_zoo["year_not_overdue"],
        health_zoo["on_track"],
        health_zoo["no_deadline"],
    }


@time_machine.travel(NOW, tick=False)
def test_it_counts_health_in_one_query(health_zoo, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = Commitment.objects.health_counts(TODAY)
    assert counts == {
        "closed": 1,
        "overdue": 1,
        "due_soon": 1,
        "stale": 1,
        "on_track": 3,
    }


@time_machine.travel(NOW, tick=False)
def test_it_uses_the_annotated_health_on_list_rows(health_zoo, django_assert_num_queries):
    rows = list(Commitment.objects.for_list(timezone.localdate()))
    with django_assert_num_queries(0):
        assert {row.health_key for row in rows} >= {"closed", "overdue", "stale"}


def test_a_new_update_makes_a_stale_commitment_fresh(make):
    with time_machine.travel(NOW - dt.timedelta(days=200), tick=False):
        commitment = make.commitment("Quiet")
    with time_machine.travel(NOW, tick=False):
        assert commitment.health_on(TODAY) == Health.STALE
        services.record_status_update(
            commitment=commitment, status="not_rated", by=None, rationale="Reviewed, no news."
        )
        fresh = Commitment.objects.with_health(TODAY).get(pk=commitment.pk)
        assert fresh.health == Health.ON_TRACK
