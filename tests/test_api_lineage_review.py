"""The API's commitment detail carries its lineage (each link with its kind, the other
commitment and the source), when it is next reviewed and by whom; the list stays flat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from commitments import services
from commitments.choices import LinkKind, Status
from commitments.services.reviews import assign_reviews
from tests.api_support import TODAY, frozen  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def chain(make, analyst):
    first = make.source("First summit", date=dt.date(2024, 6, 1), url="https://example.org/1")
    second = make.source("Second summit", date=dt.date(2025, 6, 1))
    third = make.source("Third summit", date=dt.date(2026, 6, 1))
    earliest = make.commitment("Build the satellite", source=first)
    middle = make.commitment("Build two satellites", source=second)
    latest = make.commitment("Build a constellation", source=third)
    services.record_status_update(
        commitment=middle,
        status=Status.IN_PROGRESS,
        rationale="Started.",
        evidence=[make.evidence(middle)],
        effective_on=dt.date(2025, 7, 1),
        by=analyst,
    )
    services.link_commitments(
        commitment=earliest, kind=LinkKind.SUPERSEDED_BY, other=middle, source=second, by=None
    )
    services.link_commitments(
        commitment=middle, kind=LinkKind.AMENDED_BY, other=latest, source=third, by=None
    )
    return earliest, middle, latest


def detail(client, commitment) -> dict:
    response = client.get(reverse("api_commitment", args=[commitment.slug]))
    assert response.status_code == 200
    return response.json()


def test_it_gives_the_lineage_from_both_sides_with_kind_other_and_source(client, chain):
    earliest, middle, latest = chain
    assert detail(client, middle)["lineage"] == [
        {
            "kind": "superseded_by",
            "label": "Supersedes",
            "other_is": "earlier",
            "other": {"slug": earliest.slug, "title": "Build the satellite"},
            "source": {
                "slug": middle.source.slug,
                "title": "Second summit",
                "kind": "joint_statement",
                "date": "2025-06-01",
            },
            "effective_on": "2025-06-01",
            "note": "",
        },
        {
            "kind": "amended_by",
            "label": "Amended by",
            "other_is": "later",
            "other": {"slug": latest.slug, "title": "Build a constellation"},
            "source": {
                "slug": latest.source.slug,
                "title": "Third summit",
                "kind": "joint_statement",
                "date": "2026-06-01",
            },
            "effective_on": "2026-06-01",
            "note": "",
        },
    ]
    old = detail(client, earliest)
    assert [(r["label"], r["other"]["slug"]) for r in old["lineage"]] == [
        ("Superseded by", middle.slug)
    ]
    assert old["superseded_on"] == "2025-06-01"
    assert detail(client, latest)["superseded_on"] is None


def test_it_gives_an_empty_lineage_and_no_review_for_a_lone_commitment(client, make):
    body = detail(client, make.commitment())
    assert body["lineage"] == []
    assert (body["next_review_on"], body["assignee"]) == (None, None)


def test_it_gives_the_next_review_and_the_assignee(client, chain, analyst):
    _, middle, _ = chain
    day = TODAY + dt.timedelta(days=14)
    assign_reviews(commitments=[middle], assignee=analyst, next_review_on=day)
    body = detail(client, middle)
    assert body["next_review_on"] == day.isoformat()
    assert body["assignee"] == analyst.username


def test_the_detail_reads_both_directions_of_links_in_two_queries(
    client, chain, make, django_assert_num_queries
):
    _, middle, _ = chain
    # commitment with its assignee, parties, themes, translations, children, milestones
    # (none, so not their evidence), deadline history, links out, links in, evidence,
    # history, its evidence
    with django_assert_num_queries(12):
        detail(client, middle)
    for i in range(4):
        later = make.commitment(f"Later {i}")
        services.link_commitments(
            commitment=middle,
            kind=LinkKind.REAFFIRMED_BY,
            other=later,
            source=make.source(f"Summit {i}", date=dt.date(2026, 7, 1 + i)),
            by=None,
        )
    with django_assert_num_queries(12):
        assert len(detail(client, middle)["lineage"]) == 6


@pytest.mark.parametrize("n", [2, 10])
def test_the_list_stays_flat_with_links_and_assignees(
    client, make, analyst, django_assert_num_queries, n
):
    source = make.source("Summit", date=dt.date(2025, 6, 1))
    commitments = [make.commitment(f"Row {i}", source=source) for i in range(n)]
    for earlier, later in zip(commitments, commitments[1:], strict=False):
        services.link_commitments(
            commitment=earlier, kind=LinkKind.AMENDED_BY, other=later, source=source, by=None
        )
    assign_reviews(commitments=commitments, assignee=analyst, next_review_on=TODAY)
    # count, page, parties with actors, themes: as without links or assignees
    with django_assert_num_queries(4):
        response = client.get(reverse("api_commitments"))
    assert response.json()["count"] == n


def test_the_schema_documents_the_lineage_the_review_and_the_assignee(client):
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    detail_fields = components["CommitmentDetail"]["properties"]
    assert {"lineage", "superseded_on", "next_review_on", "assignee"} <= set(detail_fields)
    assert detail_fields["lineage"]["items"]["$ref"] == "#/components/schemas/LineageLink"
    for name in ("assignee", "next_review_on", "superseded_on"):
        assert detail_fields[name]["nullable"] is True
    link = components["LineageLink"]["properties"]
    assert {"kind", "label", "other_is", "other", "source", "effective_on", "note"} <= set(link)
    assert components["LinkKindEnum"]["enum"] == [k.value for k in LinkKind]
