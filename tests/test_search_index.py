"""Full-text search on PostgreSQL reads the stored, GIN-indexed search document that a
trigger keeps equal to the title, summary and quote (migration 0004)."""

from __future__ import annotations

import pytest
from django.db import connection

from commitments.filters import CommitmentFilterSet
from commitments.models import Commitment

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="tsvector and GIN indexes are PostgreSQL's"
)


def titles(q: str) -> list[str]:
    return [c.title for c in CommitmentFilterSet({"q": q}).qs]


def test_it_answers_the_search_from_the_gin_index(make):
    make.commitment("Hydrogen ports for semiconductor supply")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = CommitmentFilterSet({"q": "semiconductor hydrogen"}).qs.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert "commitment_document_idx" in plan
    assert "to_tsvector" not in plan  # read from the column, never recomputed
    assert titles("semiconductor hydrogen") == ["Hydrogen ports for semiconductor supply"]


def test_it_keeps_the_document_in_step_with_every_kind_of_write(make):
    one = make.commitment("Hydrogen ports", summary="Semiconductor supply")
    Commitment.objects.bulk_create([Commitment(title="Bulk lithium", slug="bulk-lithium")])
    assert titles("semiconductor") == ["Hydrogen ports"]
    assert titles("lithium") == ["Bulk lithium"]

    one.summary = "Rare earths"
    one.save()
    Commitment.objects.filter(slug="bulk-lithium").update(quote="Cobalt refining")
    assert titles("semiconductor") == []
    assert titles("earths") == ["Hydrogen ports"]
    assert titles("cobalt") == ["Bulk lithium"]


def test_it_requires_every_word_and_ranks_a_title_match_first(make):
    make.commitment("Ports", summary="Hydrogen corridors")
    make.commitment("Hydrogen corridors")
    make.commitment("Hydrogen valleys")
    assert titles("hydrogen corridors") == ["Hydrogen corridors", "Ports"]
    assert set(titles('"hydrogen valleys" or ports')) == {"Hydrogen valleys", "Ports"}
    assert titles("hydrogen -corridors") == ["Hydrogen valleys"]
