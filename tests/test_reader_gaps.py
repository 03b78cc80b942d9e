"""Small gaps readers hit: the API's root, the printed dashboard's wording, and a
calendar (to download or subscribe to) and a feed per commitment, actor and theme."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import get_resolver
from icalendar import Calendar
from rest_framework.test import APIClient

from commitments import services
from commitments.api.root import DESCRIPTIONS
from commitments.choices import Status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def followed(make):
    italy, energy = make.actor("Italy"), make.theme("Energy")
    wind = make.commitment(
        "Build offshore wind",
        parties=[italy],
        themes=[energy],
        deadline=dt.date(2030, 12, 31),
        precision="year",
    )
    other = make.commitment("Exchange students", deadline=dt.date(2029, 6, 30))
    for commitment in (wind, other):
        services.record_status_update(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            by=None,
            rationale=f"Started: {commitment.title}.",
            evidence=[make.evidence(commitment)],
            effective_on=dt.date(2025, 1, 1),
        )
    return wind


# -- /api/ ------------------------------------------------------------------------------
def api_names() -> set[str]:
    resolver = get_resolver()
    return {
        p.name
        for r in resolver.url_patterns
        if getattr(r, "pattern", None) and str(r.pattern) == "api/"
        for p in r.url_patterns
    }


def test_it_lists_every_api_endpoint_at_the_root(db):
    response = APIClient().get("/api/")

    assert response.status_code == 200
    listed = {row["name"]: row for row in response.json()["endpoints"]}
    assert set(listed) == api_names() - {"api_root"}
    assert listed["api_commitments"]["url"] == "http://testserver/api/commitments/"
    assert listed["api_commitment"]["path"] == "/api/commitments/{slug}/"
    assert listed["api_commitment"]["url"] is None
    assert listed["api_update"]["path"] == "/api/updates/{id}/"
    assert listed["api_commitment_updates"]["methods"] == ["GET", "POST"]
    assert response.json()["docs"] == "http://testserver/api/docs/"


def test_it_describes_every_api_endpoint(db):
    assert api_names() - {"api_root"} <= set(DESCRIPTIONS)
    assert all(text.endswith(".") for text in DESCRIPTIONS.values())


def test_it_follows_the_api_reading_rule_at_the_root(db, settings, reader):
    settings.TRACKER_PUBLIC = False
    client = APIClient()

    assert client.get("/api/").status_code == 401
    client.force_authenticate(reader)
    assert client.get("/api/").status_code == 200
    assert client.post("/api/").status_code == 403  # writing needs an Analyst, as elsewhere


# -- printed dashboard ------------------------------------------------------------------
def test_it_keeps_the_click_hint_off_the_printed_dashboard(client):
    html = client.get("/").content.decode()

    assert '<span class="no-print">Click a segment for its list.</span>' in html
    with open("static/css/print.css", encoding="utf-8") as css:
        hidden = re.search(r"^([^{]*)\{\s*display:\s*none", css.read(), re.M).group(1)
    assert ".no-print" in hidden


# -- calendars and feeds ----------------------------------------------------------------
def calendar_summaries(response) -> list[str]:
    content = b"".join(response.streaming_content)
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(content).walk("VEVENT"))


def test_it_serves_one_commitments_calendar(client, followed, make):
    from commitments.services import add_milestone

    add_milestone(
        commitment=followed, title="Tender", due_on=dt.date(2027, 12, 31), due_precision="year"
    )

    response = client.get(f"/commitments/{followed.slug}/deadlines.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="deadlines-build-offshore-wind.ics"' in response["Content-Disposition"]
    assert calendar_summaries(response) == ["Deadline: Build offshore wind", "Milestone: Tender"]


def test_it_serves_one_commitments_feed(client, followed):
    response = client.get(f"/commitments/{followed.slug}/feed/")

    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title").endswith(": Build offshore wind")
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Build offshore wind: In progress"]


def test_it_answers_404_for_an_unknown_commitments_calendar_and_feed(client, db):
    assert client.get("/commitments/nothing/deadlines.ics").status_code == 404
    assert client.get("/commitments/nothing/feed/").status_code == 404


def test_it_links_a_commitments_calendar_subscription_and_feed(client, followed):
    html = client.get(followed.get_absolute_url()).content.decode()

    assert f'href="webcal://testserver/commitments/{followed.slug}/deadlines.ics"' in html
    assert f'href="/commitments/{followed.slug}/deadlines.ics"' in html
    assert f'href="/commitments/{followed.slug}/feed/"' in html


@pytest.mark.parametrize(
    ("page", "param"), [("/actors/italy/", "party"), ("/themes/energy/", "theme")]
)
def test_it_links_an_actors_and_a_themes_calendar_subscription_and_feed(
    client, followed, page, param
):
    slug = page.split("/")[2]
    html = client.get(page).content.decode()

    assert f'href="webcal://testserver/deadlines.ics?{param}={slug}"' in html
    assert f'href="/feeds/updates/?{param}={slug}"' in html
    narrowed = client.get(f"/deadlines.ics?{param}={slug}")
    assert calendar_summaries(narrowed) == ["Deadline: Build offshore wind"]


def test_it_offers_the_list_calendar_as_a_subscription(client, followed):
    html = client.get("/commitments/?kind=deliverable").content.decode()

    assert 'href="webcal://testserver/deadlines.ics?kind=deliverable"' in html


def test_it_keeps_the_commitment_calendar_to_four_queries(
    client, followed, django_assert_num_queries
):
    # The commitment, the database asked before the first byte, its deadline, its milestones.
    with django_assert_num_queries(4):
        b"".join(client.get(f"/commitments/{followed.slug}/deadlines.ics").streaming_content)
