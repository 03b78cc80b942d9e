"""A list's count is kept like the dashboard's numbers: read again while the register is
unchanged (paging, reopening the list), counted afresh after any change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.services.translations import set_translation

pytestmark = pytest.mark.usefixtures("kept_register_cache")


def counted(client, query: str = "") -> tuple[int, bool]:
    """The list's count and whether this visit counted the rows itself."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/commitments/{query}")
    assert response.status_code == 200
    counting = any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    return response.context["page"].paginator.count, counting


def test_it_counts_a_list_once_while_the_register_is_unchanged(client, make):
    for n in range(3):
        make.commitment(title=f"Fighter programme {n}")
    assert counted(client) == (3, True)
    assert counted(client) == (3, False)
    assert counted(client, "?page=1") == (3, False)


def test_it_counts_again_after_a_change(client, make):
    make.commitment(title="Fighter programme")
    assert counted(client) == (1, True)
    make.commitment(title="Second fighter programme")
    assert counted(client) == (2, True)


def test_each_filter_has_its_own_count(client, make):
    make.commitment(title="Fighter programme")
    make.commitment(title="Hydrogen partnership")
    assert counted(client) == (2, True)
    assert counted(client, "?q=hydrogen") == (1, True)
    assert counted(client, "?q=hydrogen&page=1") == (1, False)
    assert counted(client) == (2, False)


def test_a_new_translation_is_found_at_once(client, make, django_capture_on_commit_callbacks):
    commitment = make.commitment(title="Next-generation fighter")
    assert counted(client, "?q=次期戦闘機") == (0, True)
    with django_capture_on_commit_callbacks(execute=True):
        set_translation(
            commitment=commitment,
            language="ja",
            title="次期戦闘機の共同開発",
            translated_by="Project translators",
        )
    assert counted(client, "?q=次期戦闘機") == (1, True)


def test_the_api_list_keeps_its_count_too(client, make):
    make.commitment(title="Fighter programme")

    def api(query: str = "") -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/commitments/{query}")
        assert response.status_code == 200
        return response.json()["count"], any("COUNT(" in q["sql"] for q in ctx.captured_queries)

    assert api() == (1, True)
    assert api() == (1, False)
    assert api("?q=hydrogen") == (0, True)
    make.commitment(title="Hydrogen partnership")
    assert api("?q=hydrogen") == (1, True)
    assert api("?q=hydrogen&page=1") == (1, False)
