"""CommitmentFilterSet: one test per public parameter, asserting what it returns."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection  # noqa: F401 (used by skipif)
from django.http import QueryDict

from commitments.filters import CommitmentFilterSet
from commitments.forms import filtering
from commitments.services import record_status_update

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def titles(query: str) -> list[str]:
    filterset = CommitmentFilterSet(QueryDict(query), day=TODAY)
    assert filterset.is_valid(), filterset.errors
    return [c.title for c in filterset.qs]


@pytest.fixture
def world(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    energy, space = make.theme("Energy"), make.theme("Space")
    summit = make.source(title="Summit statement")
    wind = make.commitment(
        "Offshore wind",
        themes=[energy],
        parties=[italy],
        deadline=dt.date(2035, 12, 31),
        precision="year",
        summary="Turbines in the Adriatic",
        source=summit,
        announced_on=dt.date(2024, 3, 1),
        announced_precision="day",
        progress=10,
    )
    rocket = make.commitment(
        "Joint rocket launch",
        themes=[space],
        parties=[japan],
        deadline=dt.date(2026, 6, 20),
        quote="We shall launch a satellite together.",
        announced_on=dt.date(2025, 7, 1),
        announced_precision="day",
        kind="framework",
        progress=60,
    )
    late = make.commitment(
        "Trade dialogue",
        parties=[italy, japan],
        deadline=dt.date(2025, 12, 31),
        precision="year",
        kind="recurring",
    )
    return {"wind": wind, "rocket": rocket, "late": late, "summit": summit}


def test_it_returns_everything_sorted_by_deadline_without_parameters(world):
    assert titles("") == ["Trade dialogue", "Joint rocket launch", "Offshore wind"]


def test_it_searches_title_summary_and_quote(world):
    assert titles("q=rocket") == ["Joint rocket launch"]
    assert titles("q=turbines") == ["Offshore wind"]
    assert titles("q=satellite") == ["Joint rocket launch"]


def test_it_filters_several_statuses_at_once(world, make):
    ev = make.evidence(world["wind"])
    record_status_update(
        commitment=world["wind"],
        status="in_progress",
        by=None,
        rationale="Started",
        evidence=[ev],
        progress=20,
        effective_on=dt.date(2026, 1, 1),
    )
    assert titles("status=in_progress") == ["Offshore wind"]
    assert titles("status=in_progress&status=not_rated") == [
        "Trade dialogue",
        "Joint rocket launch",
        "Offshore wind",
    ]


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_it_filters_by_health(world):
    assert titles("health=overdue") == ["Trade dialogue"]
    assert titles("health=due_soon") == ["Joint rocket launch"]


def test_it_filters_by_theme_party_and_source_slugs(world):
    assert titles("theme=space") == ["Joint rocket launch"]
    assert titles("party=italy") == ["Trade dialogue", "Offshore wind"]
    assert titles(f"source={world['summit'].slug}") == ["Offshore wind"]


def test_it_filters_by_kind(world):
    assert titles("kind=recurring") == ["Trade dialogue"]


def test_it_filters_deadlines_between_two_years(world):
    assert titles("deadline_after=2026") == ["Joint rocket launch", "Offshore wind"]
    assert titles("deadline_before=2026") == ["Trade dialogue", "Joint rocket launch"]
    assert titles("deadline_after=2026&deadline_before=2026") == ["Joint rocket launch"]


def test_it_filters_announcements_between_two_dates(world):
    assert titles("announced_after=2025-01-01") == ["Joint rocket launch"]
    assert titles("announced_before=2025-01-01") == ["Offshore wind"]


def test_it_filters_on_having_evidence_or_not(world, make):
    make.evidence(world["late"])
    assert titles("has_evidence=true") == ["Trade dialogue"]
    assert titles("has_evidence=false") == ["Joint rocket launch", "Offshore wind"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("deadline", ["Trade dialogue", "Joint rocket launch", "Offshore wind"]),
        ("-deadline", ["Offshore wind", "Joint rocket launch", "Trade dialogue"]),
        ("title", ["Joint rocket launch", "Offshore wind", "Trade dialogue"]),
        ("-title", ["Trade dialogue", "Offshore wind", "Joint rocket launch"]),
        ("progress", ["Trade dialogue", "Offshore wind", "Joint rocket launch"]),
        ("-progress", ["Joint rocket launch", "Offshore wind", "Trade dialogue"]),
    ],
)
def test_it_sorts(world, sort, expected):
    assert titles(f"sort={sort}") == expected


def test_it_sorts_by_last_update(world, make):
    for when, c in [(dt.date(2026, 1, 1), world["rocket"]), (dt.date(2026, 2, 1), world["wind"])]:
        with time_machine.travel(dt.datetime.combine(when, dt.time(12), tzinfo=dt.UTC)):
            record_status_update(
                commitment=c,
                status="in_progress",
                by=None,
                rationale="Moving",
                evidence=[make.evidence(c)],
                progress=30,
                effective_on=when,
            )
    assert titles("sort=-updated") == ["Offshore wind", "Joint rocket launch", "Trade dialogue"]
    assert titles("sort=updated") == ["Trade dialogue", "Joint rocket launch", "Offshore wind"]


@pytest.mark.parametrize(
    "query",
    [
        "deadline_after=soon",
        "status=nonsense",
        "party=nobody",
        "announced_after=yesterday",
        "has_evidence=maybe",
        "sort=random",
        "kind=other",
    ],
)
def test_it_rejects_bad_values_with_a_message(world, query):
    filterset = CommitmentFilterSet(QueryDict(query), day=TODAY)
    assert not filterset.is_valid()
    name = query.split("=")[0]
    assert filterset.errors[name]


def test_it_builds_chips_that_remove_themselves(world):
    filterset = CommitmentFilterSet(QueryDict("party=italy&kind=recurring&page=2"), day=TODAY)
    filterset.is_valid()
    chips = {chip["name"]: chip for chip in filtering.chips(filterset)}
    assert chips["party"]["value"] == "Italy"
    assert chips["party"]["remove_query"] == "kind=recurring"
    assert chips["kind"]["value"] == "Recurring"
    assert chips["kind"]["remove_query"] == "party=italy"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="full-text ranking")
def test_it_ranks_title_matches_first_on_postgresql(make):
    make.commitment("Aaa cooperation", summary="Hydrogen pipelines across the region")
    make.commitment("Zzz hydrogen partnership", deadline=dt.date(2040, 1, 1))
    assert titles("q=hydrogen") == ["Zzz hydrogen partnership", "Aaa cooperation"]
