"""Reading through the API: shapes, filters, pagination, ordering and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commitments import services
from commitments.choices import Health, Status
from commitments.filters import CommitmentFilterSet
from commitments.models import Commitment, Milestone
from tests.api_support import TODAY, frozen  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def test_it_lists_commitments_with_their_shape(client, make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    space = make.theme("Space")
    source = make.source("Tokyo statement", date=dt.date(2026, 1, 16))
    commitment = make.commitment(
        "Launch a joint satellite",
        themes=[space],
        parties=[(italy, "lead"), japan],
        deadline=dt.date(2030, 5, 1),
        precision="year",
        source=source,
        announced_on=dt.date(2026, 1, 16),
        announced_precision="day",
    )

    response = client.get(reverse("api_commitments"))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    row = body["results"][0]
    assert row["slug"] == commitment.slug
    assert row["title"] == "Launch a joint satellite"
    assert row["status"] == Status.NOT_RATED
    assert row["status_label"] == "Not yet rated"
    assert row["progress"] is None
    assert row["health"] == Health.UNASSESSED
    assert row["kind"] == "deliverable"
    assert row["deadline"] == {"date": "2030-12-31", "precision": "year", "display": "by 2030"}
    assert row["announced"] == {"date": "2026-01-16", "precision": "day", "display": "16 Jan 2026"}
    assert {(p["slug"], p["name"], p["role"]) for p in row["parties"]} == {
        (italy.slug, "Italy", "lead"),
        (japan.slug, "Japan", "partner"),
    }
    assert row["themes"] == [{"slug": space.slug, "name": "Space", "colour": space.colour}]
    assert row["source"] == {
        "slug": source.slug,
        "title": "Tokyo statement",
        "kind": "joint_statement",
        "date": "2026-01-16",
    }
    assert row["url"] == f"http://testserver{commitment.get_absolute_url()}"
    assert row["api_url"] == f"http://testserver/api/commitments/{commitment.slug}/"


def test_it_gives_null_for_a_missing_deadline_and_source(client, make):
    make.commitment("Keep talking")

    row = client.get(reverse("api_commitments")).json()["results"][0]

    assert row["deadline"] is None
    assert row["source"] is None
    assert row["parent"] is None


def test_it_shows_the_health_on_today(client, make):
    make.commitment("Late", deadline=TODAY - dt.timedelta(days=1))
    make.commitment("Soon", deadline=TODAY + dt.timedelta(days=10))

    rows = client.get(reverse("api_commitments")).json()["results"]

    assert {row["title"]: row["health"] for row in rows} == {
        "Late": Health.OVERDUE,
        "Soon": Health.DUE_SOON,
    }


def test_it_filters_exactly_like_the_filterset(client, seeded):
    params = {"status": ["in_progress", "achieved"], "party": "japan", "sort": "-deadline"}

    response = client.get(reverse("api_commitments"), params)

    expected = CommitmentFilterSet(
        {"status": ["in_progress", "achieved"], "party": "japan", "sort": "-deadline"},
        queryset=Commitment.objects.all(),
        day=TODAY,
    ).qs
    assert response.status_code == 200
    assert expected.exists()
    assert slugs(response) == [c.slug for c in expected]


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "no-such-theme"},
        {"status": "finished"},
        {"health": "green"},
        {"deadline_after": "soon"},
        {"announced_before": "2026-13-01"},
        {"sort": "random"},
    ],
)
def test_it_answers_bad_filters_with_400_and_field_errors(client, make, params):
    make.commitment()

    response = client.get(reverse("api_commitments"), params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_it_filters_by_health_and_evidence(client, make):
    late = make.commitment("Late", deadline=TODAY - dt.timedelta(days=3))
    make.commitment("Open", deadline=dt.date(2035, 1, 1))
    make.evidence(late)

    overdue = client.get(reverse("api_commitments"), {"health": "overdue"})
    with_evidence = client.get(reverse("api_commitments"), {"has_evidence": "true"})

    assert slugs(overdue) == [late.slug]
    assert slugs(with_evidence) == [late.slug]


def test_it_paginates_with_next_and_previous(client, make):
    for n in range(53):
        make.commitment(f"Commitment {n:02d}")

    first = client.get(reverse("api_commitments"), {"sort": "title"}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 53
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert len(second["results"]) == 3
    assert second["next"] is None
    assert second["previous"] is not None
    assert [r["title"] for r in first["results"] + second["results"]] == [
        f"Commitment {n:02d}" for n in range(53)
    ]


def test_it_orders_ties_stably_by_id(client, make):
    same_day = dt.date(2030, 6, 30)
    created = [make.commitment("Same title", deadline=same_day) for _ in range(4)]

    response = client.get(reverse("api_commitments"))

    assert slugs(response) == [c.slug for c in sorted(created, key=lambda c: c.pk)]


def test_it_shows_a_commitment_in_detail(client, make, analyst):
    commitment = make.commitment(
        "Joint exercise", quote="We will hold a joint exercise.", quote_location="p. 2"
    )
    evidence = make.evidence(commitment, title="Ministry note", published_on=dt.date(2026, 2, 1))
    Milestone.objects.create(
        commitment=commitment,
        title="Plan agreed",
        due_on=dt.date(2026, 6, 1),
        due_precision="month",
    )
    update = services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        progress=20,
        effective_on=dt.date(2026, 2, 1),
        rationale="The ministries agreed a plan.",
        evidence=[evidence],
        by=analyst,
    )

    response = client.get(reverse("api_commitment", args=[commitment.slug]))

    assert response.status_code == 200
    body = response.json()
    assert body["quote"] == "We will hold a joint exercise."
    assert body["quote_location"] == "p. 2"
    assert body["status"] == Status.IN_PROGRESS
    assert body["progress"] == 20
    assert body["milestones"] == [
        {
            "id": commitment.milestones.get().pk,
            "title": "Plan agreed",
            "due": {"date": "2026-06-30", "precision": "month", "display": "by Jun 2026"},
            "completed_on": None,
            "order": 0,
            "evidence": [],
        }
    ]
    assert [e["title"] for e in body["evidence"]] == ["Ministry note"]
    assert body["evidence"][0]["published_on"] == "2026-02-01"
    [entry] = body["history"]
    assert entry["id"] == update.pk
    assert entry["status"] == Status.IN_PROGRESS
    assert entry["status_label"] == "In progress"
    assert entry["previous_status"] == Status.NOT_RATED
    assert entry["progress"] == 20
    assert entry["effective"] == {"date": "2026-02-01", "precision": "day", "display": "1 Feb 2026"}
    assert entry["rationale"] == "The ministries agreed a plan."
    assert entry["evidence"] == [
        {"id": evidence.pk, "title": "Ministry note", "url": "https://example.org/report"}
    ]
    assert entry["recorded_by"] == analyst.username
    assert entry["recorded_at"].startswith("2026-12-01T12:00:00")
    assert body["latest_recorded_id"] == update.pk


def test_it_answers_404_for_an_unknown_commitment(client, db):
    response = client.get(reverse("api_commitment", args=["nothing-here"]))

    assert response.status_code == 404


def test_it_lists_history_newest_first_and_flags_corrections(client, make, analyst):
    commitment = make.commitment()
    evidence = make.evidence(commitment)

    def record(status, day, **kw):
        return services.record_status_update(
            commitment=commitment,
            status=status,
            effective_on=day,
            rationale=f"{status} on {day}",
            evidence=[evidence],
            by=analyst,
            **kw,
        )

    first = record(Status.NOT_STARTED, dt.date(2026, 1, 5))
    second = record(Status.IN_PROGRESS, dt.date(2026, 2, 5))
    fix = record(Status.STALLED, dt.date(2026, 2, 5), corrects=second)

    history = client.get(reverse("api_commitment", args=[commitment.slug])).json()["history"]
    by_id = {entry["id"]: entry for entry in history}

    assert [entry["id"] for entry in history] == [fix.pk, second.pk, first.pk]
    assert by_id[second.pk]["corrected_by"] == fix.pk
    assert by_id[fix.pk]["corrects"] == second.pk
    assert by_id[first.pk]["corrected_by"] is None


def test_it_lists_status_updates_most_recent_first(client, make, analyst):
    commitment = make.commitment("Cable link")
    evidence = make.evidence(commitment)
    older = services.record_status_update(
        commitment=commitment,
        status=Status.NOT_STARTED,
        rationale="a",
        evidence=[evidence],
        by=None,
    )
    with time_machine.travel(dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC), tick=False):
        newer = services.record_status_update(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            rationale="b",
            evidence=[evidence],
            by=analyst,
        )

    everything = client.get(reverse("api_updates")).json()
    for_commitment = client.get(reverse("api_commitment_updates", args=[commitment.slug])).json()
    one = client.get(reverse("api_update", args=[older.pk])).json()

    assert [u["id"] for u in everything["results"]] == [newer.pk, older.pk]
    assert [u["id"] for u in for_commitment["results"]] == [newer.pk, older.pk]
    assert everything["results"][0]["commitment"] == {
        "slug": commitment.slug,
        "title": "Cable link",
    }
    assert one["recorded_by"] is None
    assert one["effective"]["date"] == "2026-12-01"


def test_it_lists_actors_themes_and_sources_with_counts(client, make):
    italy = make.actor("Italy", short_name="IT gov", country_code="IT")
    make.actor("Japan")
    space = make.theme("Space")
    source = make.source("Tokyo statement", date=dt.date(2026, 1, 16), url="https://example.org")
    make.commitment(themes=[space], parties=[italy], source=source)
    make.commitment(themes=[space], parties=[italy])

    actors = client.get(reverse("api_actors")).json()["results"]
    themes = client.get(reverse("api_themes")).json()["results"]
    sources = client.get(reverse("api_sources")).json()["results"]

    assert [(a["name"], a["commitment_count"]) for a in actors] == [("Italy", 2), ("Japan", 0)]
    assert actors[0] == {
        "slug": italy.slug,
        "name": "Italy",
        "short_name": "IT gov",
        "kind": "government",
        "country_code": "IT",
        "commitment_count": 2,
        "commitments": f"http://testserver/api/commitments/?party={italy.slug}",
    }
    assert [(t["slug"], t["commitment_count"]) for t in themes] == [(space.slug, 2)]
    assert sources[0]["date"] == "2026-01-16"
    assert sources[0]["url"] == "https://example.org"
    assert sources[0]["commitment_count"] == 1


def test_it_shows_an_actor_a_theme_and_a_source_by_slug(client, make):
    actor, theme, source = make.actor("Italy"), make.theme("Space"), make.source("Joint text")

    assert client.get(reverse("api_actor", args=[actor.slug])).json()["name"] == "Italy"
    assert client.get(reverse("api_theme", args=[theme.slug])).json()["name"] == "Space"
    assert client.get(reverse("api_source", args=[source.slug])).json()["title"] == "Joint text"
    assert client.get(reverse("api_actor", args=["atlantis"])).status_code == 404


def test_it_follows_a_commitments_link_from_an_actor(client, make):
    italy = make.actor("Italy")
    mine = make.commitment("Italian", parties=[italy])
    make.commitment("Someone else's")

    link = client.get(reverse("api_actor", args=[italy.slug])).json()["commitments"]

    assert slugs(client.get(link)) == [mine.slug]


# -- query counts ---------------------------------------------------------------------------
def _commitments(make, n: int):
    actors = [make.actor(), make.actor()]
    themes = [make.theme(), make.theme()]
    source = make.source()
    for _ in range(n):
        make.commitment(themes=themes, parties=actors, source=source, deadline=dt.date(2031, 1, 1))


@pytest.mark.parametrize("n", [2, 12])
def test_it_lists_in_a_constant_number_of_queries(client, make, django_assert_num_queries, n):
    _commitments(make, n)

    # count, page, parties with actors, themes
    with django_assert_num_queries(4):
        response = client.get(reverse("api_commitments"), {"has_evidence": "false"})

    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [1, 6])
def test_it_shows_a_detail_in_a_constant_number_of_queries(
    client, make, analyst, django_assert_num_queries, n
):
    commitment = make.commitment(parties=[make.actor(), make.actor()], themes=[make.theme()])
    evidence = [make.evidence(commitment) for _ in range(n)]
    for i in range(n):
        Milestone.objects.create(commitment=commitment, title=f"Step {i}")
        services.record_status_update(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            progress=10 * i,
            rationale=f"Step {i}",
            evidence=evidence,
            by=analyst,
        )
        services.change_deadline(
            commitment=commitment,
            deadline=dt.date(2030 + i, 12, 31),
            precision="year",
            reason="funding",
            by=analyst,
        )

    # commitment, parties, themes, translations, children, milestones, their evidence,
    # evidence, deadline history, lineage (links out, links in), history, its evidence
    with django_assert_num_queries(13):
        response = client.get(reverse("api_commitment", args=[commitment.slug]))

    assert len(response.json()["history"]) == n
    assert len(response.json()["deadline_history"]) == n


@pytest.mark.parametrize("n", [1, 5])
def test_it_lists_updates_in_a_constant_number_of_queries(
    client, make, analyst, django_assert_num_queries, n
):
    for _ in range(n):
        commitment = make.commitment()
        services.record_status_update(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            rationale="Started",
            evidence=[make.evidence(commitment)],
            by=analyst,
        )

    # count, page with commitment, user and correction, evidence
    with django_assert_num_queries(3):
        response = client.get(reverse("api_updates"))

    assert response.json()["count"] == n
