"""A statement's coverage on its source page, and a quote linked to its place."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.services.sourcing import NewCommitment, accept_candidate, reject_candidate

TEXT = (
    "Joint statement.\n"
    "Italy and Japan will open a consulate in Osaka by 2027.\n"
    "The two sides will hold a forum every year.\n"
)
CONSULATE = "Italy and Japan will open a consulate in Osaka by 2027."
FORUM = "The two sides will hold a forum every year."


def _span(words):
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.fixture
def covered(make, editor):
    source = make.source("Tokyo statement", full_text=TEXT, date=dt.date(2026, 3, 1))
    start, end = _span(CONSULATE)
    commitment = accept_candidate(
        source=source,
        start=start,
        end=end,
        by=editor,
        new=NewCommitment(title="Open a consulate in Osaka", quote=CONSULATE),
    )
    reject_candidate(source=source, start=_span(FORUM)[0], end=_span(FORUM)[1], by=editor)
    return source, commitment


def test_it_shows_the_sentences_that_became_commitments_linked_with_their_status(client, covered):
    source, commitment = covered
    page = client.get(f"/sources/{source.slug}/").content.decode()
    start, end = _span(CONSULATE)
    assert f'id="q-{start}-{end}"' in page
    assert f'<a href="/commitments/{commitment.slug}/">{CONSULATE}</a>' in page
    assert "Not yet rated" in page
    assert "What the statement promised" in page
    assert f'id="q-{_span(FORUM)[0]}' not in page  # a rejected sentence is plain text
    assert FORUM in page


def test_it_links_a_commitments_quote_to_its_place_in_the_source(client, covered):
    source, commitment = covered
    page = client.get(f"/commitments/{commitment.slug}/").content.decode()
    start, end = _span(CONSULATE)
    assert f'href="/sources/{source.slug}/#q-{start}-{end}"' in page


def test_it_adds_no_query_for_a_source_without_text(client, make):
    source = make.source("No text")
    commitment = make.commitment(source=source)
    with CaptureQueriesContext(connection) as context:
        client.get(f"/commitments/{commitment.slug}/")
    assert not [q for q in context.captured_queries if "sourcequote" in q["sql"]]
    with CaptureQueriesContext(connection) as context:
        client.get(f"/sources/{source.slug}/")
    assert not [q for q in context.captured_queries if "sourcequote" in q["sql"]]


def test_it_reads_the_coverage_in_one_query(client, covered):
    source, _ = covered
    with CaptureQueriesContext(connection) as context:
        client.get(f"/sources/{source.slug}/")
    assert len([q for q in context.captured_queries if "sourcequote" in q["sql"]]) == 1


def test_it_offers_the_review_to_editors_only(client, covered, editor, reader):
    source, _ = covered
    client.force_login(reader)
    assert (
        f"/sources/{source.slug}/extract/"
        not in client.get(f"/sources/{source.slug}/").content.decode()
    )
    client.force_login(editor)
    assert (
        f"/sources/{source.slug}/extract/"
        in client.get(f"/sources/{source.slug}/").content.decode()
    )
