"""The dashboard's "by party" breakdown counts each party's own status where one is
recorded, and the commitment's status otherwise."""

import datetime as dt

import pytest

from commitments.models import Commitment
from commitments.selectors.breakdowns import breakdown_rows
from commitments.services import record_status_update
from commitments.services.assessments import record_party_assessment

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def gcap(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    commitment = make.commitment("GCAP", parties=[italy, japan])
    evidence = make.evidence(commitment)
    record_status_update(
        commitment=commitment,
        status="in_progress",
        rationale="Under way.",
        evidence=[evidence],
        effective_on=dt.date(2026, 1, 5),
        by=None,
    )
    record_party_assessment(
        commitment=commitment,
        actor=italy,
        status="achieved",
        score=1,
        rationale="Delivered its part.",
        evidence=[evidence],
        effective_on=dt.date(2026, 3, 1),
        by=None,
    )
    return commitment


def _rows(day):
    return {row["slug"]: row for row in breakdown_rows(Commitment.objects.all(), "party", day)}


def test_it_counts_a_partys_own_status_where_recorded_and_the_commitments_otherwise(gcap):
    rows = _rows(dt.date(2026, 3, 10))
    assert (rows["italy"]["total"], rows["italy"]["n_achieved"]) == (1, 1)
    assert rows["italy"]["n_in_progress"] == 0
    assert (rows["japan"]["total"], rows["japan"]["n_in_progress"]) == (1, 1)


def test_a_past_day_counts_the_commitments_status_of_that_day(gcap):
    rows = _rows(dt.date(2026, 2, 1))
    assert (rows["italy"]["n_in_progress"], rows["italy"]["n_achieved"]) == (1, 0)


def test_each_party_segment_links_to_the_list_of_what_it_counts(client, gcap, make):
    other = make.commitment("Radar", parties=[gcap.parties.get(actor__name="Italy").actor])
    assert other.status == "not_rated"
    html = client.get("/").content.decode()
    assert "/commitments/?party=italy&amp;counted_status=achieved" in html
    listed = client.get("/commitments/", {"party": "italy", "counted_status": "achieved"})
    assert [c.title for c in listed.context["commitments"]] == ["GCAP"]
    listed = client.get("/commitments/", {"party": "japan", "counted_status": "in_progress"})
    assert [c.title for c in listed.context["commitments"]] == ["GCAP"]
    listed = client.get("/commitments/", {"party": "italy", "counted_status": "in_progress"})
    assert list(listed.context["commitments"]) == []


def test_an_assessment_shows_at_once_on_a_cached_dashboard(
    client, make, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    italy = make.actor("Italy")
    commitment = make.commitment("GCAP", parties=[italy])
    evidence = make.evidence(commitment)

    def italy_achieved():
        bars = client.get("/").context["breakdowns"]
        party = next(b for b in bars if b["key"] == "party")
        bar = next(b for b in party["bars"] if b["slug"] == "italy")
        return bar["counts"][0]  # achieved is drawn first

    assert italy_achieved() == 0
    with django_capture_on_commit_callbacks(execute=True):
        record_party_assessment(
            commitment=commitment,
            actor=italy,
            status="achieved",
            rationale="Delivered.",
            evidence=[evidence],
            effective_on=dt.date(2026, 3, 1),
            by=None,
        )
    assert italy_achieved() == 1
    cache.clear()
