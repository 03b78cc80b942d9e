"""The dashboard costs a fixed number of queries, whatever the size of the register."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments.choices import Status
from commitments.models import Milestone
from tests.test_dashboard import TODAY, at, build_register, record

# Nine widget queries (numbers, three breakdowns, timeline rows, trend, latest updates,
# next deadlines, next milestones) and the filter form's three choice lists; two more
# for "since"; two more for each theme, party or source named in the URL (the filter's
# lookup and its chip's label). One fewer than before: the timeline's span (its first
# deadlines) is read in the numbers' pass over the register instead of a pass of its own.
QUERIES = {
    "": 12,
    "?as_of=2025-12-31": 12,
    "?theme=defence&party=japan&kind=deliverable&status=in_progress": 16,
    "?since=2025-06-01": 14,
    "?as_of=2026-03-01&since=2025-06-01&source=leaders-statement&health=at_risk": 16,
}


def grow(make, register: dict, n: int) -> None:
    """Add `n` commitments with parties, themes, evidence, milestones and history."""
    themes = [make.theme(f"Extra theme {i}") for i in range(3)]
    actors = [make.actor(f"Extra country {i}") for i in range(3)]
    statuses = [Status.IN_PROGRESS, Status.ACHIEVED, Status.STALLED, Status.BROKEN]
    for i in range(n):
        with at(dt.date(2024, 1, 1)):
            commitment = make.commitment(
                f"Extra {i}",
                themes=[themes[i % 3], register["Fighter"].themes.first()],
                parties=[actors[i % 3], register["Port"].actors.first()],
                source=register["Fighter"].source,
                deadline=dt.date(2026 + i % 8, 1, 1),
                precision="year",
                announced_on=dt.date(2024, 1, 1),
                announced_precision="day",
            )
        for k in range(2):
            make.evidence(commitment)
            record(make, commitment, statuses[(i + k) % 4], dt.date(2024, 3 + k, 1 + i % 20), 25)
        Milestone.objects.create(
            commitment=commitment,
            title=f"Step {i}",
            due_on=dt.date(2026, 1 + i % 12, 1),
            due_precision="month",
        )


@pytest.mark.parametrize("query", list(QUERIES))
def test_it_runs_a_constant_number_of_queries(client, make, django_assert_num_queries, query):
    register = build_register(make)
    with at(TODAY):
        with django_assert_num_queries(QUERIES[query]):
            small = client.get(f"/{query}")
        grow(make, register, 25)
        with django_assert_num_queries(QUERIES[query]):
            large = client.get(f"/{query}")
    assert small.status_code == large.status_code == 200
    assert large.context["numbers"]["total"] > small.context["numbers"]["total"]


def test_it_bounds_the_dashboard_whatever_the_history_holds(
    client, make, django_assert_num_queries
):
    """History written before dates were bounded (or restored from such a backup), reaching
    back to year 1 by its effective dates and to year 2 by its recorded times: the trend
    draws its last `TREND_MONTHS_MAX` months and sums the rest, the timeline keeps its
    axis, and the page stays the size of an ordinary one."""
    from commitments.models import StatusUpdate
    from commitments.selectors.trend import TREND_MONTHS_MAX
    from commitments.services import periods

    register = build_register(make)
    with at(TODAY):
        ordinary = client.get("/")
        old = make.commitment("Ancient", deadline=dt.date(1, 12, 31), precision="year")
        StatusUpdate.objects.bulk_create(
            StatusUpdate(
                commitment=commitment,
                status=status,
                effective_on=dt.date(year, 1, 1),
                recorded_at=dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC),
                previous_status=Status.NOT_RATED,
                rationale="From an old register.",
            )
            for year, commitment, status in [
                (1, old, Status.ACHIEVED),
                (1, register["Fighter"], Status.IN_PROGRESS),
                (2, old, Status.IN_PROGRESS),
                (1000, register["Port"], Status.BROKEN),
            ]
        )
        periods.rebuild()  # history loaded around the services, as a restore does
        with django_assert_num_queries(QUERIES[""]):
            response = client.get("/")

    assert response.status_code == 200
    trend = response.context["trend"]
    assert len(trend["months"]) == TREND_MONTHS_MAX
    assert trend["months"][0]["label"] == "Jul 2016"
    assert "Before Jul 2016: 4 updates recorded, 1 commitment closed by then." in trend["summary"]
    assert trend["summary"] in response.content.decode()
    # About 50 KB without the old history and 80 KB with it (7.7 MB before the bound).
    assert len(ordinary.content) < len(response.content) < 150_000
