"""Full-text search on PostgreSQL is answered by the GIN index of migration 0003, so the
index must keep matching the expression `filters.search_vector()` builds."""

from __future__ import annotations

import pytest
from django.db import connection

from commitments.filters import CommitmentFilterSet

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's"
)


def test_the_search_uses_the_gin_index(make):
    make.commitment("Hydrogen ports for semiconductor supply")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        filterset = CommitmentFilterSet({"q": "semiconductor hydrogen"})
        plan = filterset.qs.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert "commitment_search_idx" in plan
    assert [c.title for c in filterset.qs] == ["Hydrogen ports for semiconductor supply"]
