"""The summary endpoint: the dashboard's numbers, as of a day, for the list's filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commitments import services
from commitments.choices import Health, Status
from tests.api_support import NOW, TODAY, frozen  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def summary(client, **params):
    return client.get(reverse("api_summary"), params)


def record(commitment, status, day, evidence, **kw):
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False):
        return services.record_status_update(
            commitment=commitment,
            status=status,
            effective_on=day,
            rationale=f"{status} from {day}",
            evidence=[evidence],
            by=None,
            **kw,
        )


@pytest.fixture
def register(make):
    """Two commitments on space, one on trade; the satellite's history moves over 2026."""
    space, trade = make.theme("Space"), make.theme("Trade")
    satellite = make.commitment(
        "Satellite",
        themes=[space],
        deadline=dt.date(2030, 1, 1),
        precision="year",
        announced_on=dt.date(2026, 1, 10),
        announced_precision="day",
    )
    evidence = make.evidence(satellite)
    record(satellite, Status.IN_PROGRESS, dt.date(2026, 3, 1), evidence, progress=40)
    record(satellite, Status.ACHIEVED, dt.date(2026, 10, 1), evidence)
    make.commitment("Station", themes=[space], deadline=TODAY + dt.timedelta(days=30))
    make.commitment("Tariffs", themes=[trade], deadline=TODAY - dt.timedelta(days=1))
    return {"space": space, "trade": trade, "satellite": satellite}


def test_it_gives_todays_numbers_by_default(client, register):
    response = summary(client)

    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == TODAY.isoformat()
    assert body["total"] == 3
    assert body["by_status"] == {
        **dict.fromkeys(Status.values, 0),
        Status.ACHIEVED: 1,
        Status.NOT_RATED: 2,
    }
    assert body["by_health"] == {
        **dict.fromkeys(Health.values, 0),
        Health.CLOSED: 1,
        Health.DUE_SOON: 1,
        Health.OVERDUE: 1,
    }
    assert body["due_within_90_days"] == 1
    # 100% is the mean of the one commitment of three with a figure: a third, not thin.
    assert (body["mean_progress"], body["progress_measured"], body["progress_thin"]) == (
        100.0,
        1,
        False,
    )
    assert sum(body["by_status"].values()) == sum(body["by_health"].values()) == body["total"]


def test_it_breaks_the_numbers_down_as_the_dashboard_does(client, register):
    breakdowns = summary(client).json()["breakdowns"]
    assert [
        (row["slug"], row["total"], row["mean_progress"], row["progress_measured"])
        for row in breakdowns["theme"]
    ] == [("space", 2, 100.0, 1), ("trade", 1, None, 0)]
    assert breakdowns["theme"][0]["by_status"] == {
        **dict.fromkeys(Status.values, 0),
        Status.ACHIEVED: 1,
        Status.NOT_RATED: 1,
    }
    assert breakdowns["party"] == [] and breakdowns["source"] == []
    past = summary(client, as_of="2026-06-30").json()["breakdowns"]["theme"][0]
    assert (past["by_status"][Status.IN_PROGRESS], past["mean_progress"]) == (1, 40.0)


def test_it_reads_status_from_the_history_as_of_a_past_day(client, register):
    body = summary(client, as_of="2026-06-30").json()

    assert body["as_of"] == "2026-06-30"
    assert body["by_status"][Status.IN_PROGRESS] == 1
    assert body["by_status"][Status.ACHIEVED] == 0
    assert body["mean_progress"] == 40.0


def test_it_leaves_out_commitments_announced_after_the_day(client, register):
    body = summary(client, as_of="2026-01-05", theme=register["space"].slug).json()

    assert body["total"] == 1
    assert body["by_status"][Status.NOT_RATED] == 1


def test_it_applies_the_list_filters(client, register):
    space = summary(client, theme=register["space"].slug).json()
    achieved_in_june = summary(client, as_of="2026-06-30", status="achieved").json()
    achieved_now = summary(client, status="achieved").json()

    assert space["total"] == 2
    assert achieved_in_june["total"] == 0
    assert achieved_now["total"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "space", "health": "overdue"},
        {"status": ["not_rated", "achieved"]},
        {"deadline_before": "2029"},
        {"q": "satellite"},
    ],
)
def test_it_agrees_with_the_list_for_today(client, register, params):
    listed = client.get(reverse("api_commitments"), params).json()["count"]

    assert summary(client, **params).json()["total"] == listed


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2026-02-30"}, "as_of"),
        ({"as_of": (TODAY + dt.timedelta(days=1)).isoformat()}, "as_of"),
        ({"as_of": "0001-01-01"}, "as_of"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"health": "green"}, "health"),
    ],
)
def test_it_answers_bad_parameters_with_400_and_field_errors(client, register, params, field):
    response = summary(client, **params)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("n", [1, 8])
def test_it_counts_in_a_constant_number_of_queries(client, make, django_assert_num_queries, n):
    theme = make.theme("Space")
    for _ in range(n):
        make.commitment(themes=[theme])

    # the theme's slug, one aggregate, then one per breakdown (theme, party, source)
    with django_assert_num_queries(5):
        response = summary(client, as_of="2026-06-30", theme=theme.slug)

    assert response.json()["total"] == n
