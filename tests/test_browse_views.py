"""The list, one commitment's page, and the pages per actor, theme and source."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commitments.services import record_status_update

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def world(make):
    italy = make.actor("Italy")
    japan = make.actor("Japan")
    energy = make.theme("Energy")
    source = make.source()
    wind = make.commitment(
        "Build offshore wind",
        themes=[energy],
        parties=[(italy, "lead"), japan],
        deadline=dt.date(2035, 12, 31),
        precision="year",
        source=source,
        quote="We will build offshore wind together.",
    )
    other = make.commitment("Exchange students", parties=[japan], deadline=dt.date(2026, 12, 31))
    return {
        "italy": italy,
        "japan": japan,
        "energy": energy,
        "source": source,
        "wind": wind,
        "other": other,
    }


def _urls(world):
    return [
        reverse("commitment_list"),
        reverse("commitment_detail", args=[world["wind"].slug]),
        reverse("actor_index"),
        reverse("theme_index"),
        reverse("source_index"),
        world["italy"].get_absolute_url(),
        world["energy"].get_absolute_url(),
        world["source"].get_absolute_url(),
    ]


def test_it_lets_anonymous_readers_see_every_page(client, world):
    for url in _urls(world):
        assert client.get(url).status_code == 200, url


def test_it_sends_anonymous_visitors_to_login_when_not_public(client, world, settings):
    settings.TRACKER_PUBLIC = False
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("login") in response["Location"]


def test_it_lets_a_logged_in_reader_in_when_not_public(client, world, settings, reader):
    settings.TRACKER_PUBLIC = False
    client.force_login(reader)
    for url in _urls(world):
        assert client.get(url).status_code == 200, url


def test_it_lists_rows_with_parties_themes_and_deadline(client, world):
    html = client.get(reverse("commitment_list")).content.decode()
    assert "Build offshore wind" in html
    assert "Exchange students" in html
    assert "Italy" in html and "Energy" in html
    assert "by 2035" in html
    assert "2 commitments match" in html


def test_it_filters_by_the_query_string_and_shows_chips(client, world):
    response = client.get(reverse("commitment_list"), {"party": "italy"})
    html = response.content.decode()
    assert list(response.context["commitments"]) == [world["wind"]]
    assert "1 commitment matches" in html
    assert "Party: Italy" in html


def test_it_says_so_when_nothing_matches_and_offers_to_clear(client, world):
    html = client.get(reverse("commitment_list"), {"q": "zebra"}).content.decode()
    assert "No commitments match these filters." in html
    assert "Clear the filters" in html


def test_it_explains_bad_filter_values_instead_of_failing(client, world):
    response = client.get(reverse("commitment_list"), {"deadline_after": "soon", "status": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a year such as 2030." in html
    assert "Some filters could not be used" in html


@pytest.mark.parametrize("page", ["abc", "0", "99"])
def test_it_explains_a_bad_page_instead_of_failing(client, world, page):
    response = client.get(reverse("commitment_list"), {"page": page})
    assert response.status_code == 200
    assert "page" in response.context["errors"][0]
    assert len(response.context["commitments"]) == 2


def test_it_links_to_the_exports_of_the_current_filters(client, world):
    html = client.get(reverse("commitment_list"), {"party": "italy", "page": "1"}).content.decode()
    assert 'href="/commitments/export.csv?party=italy"' in html
    assert 'href="/commitments/export.json?party=italy"' in html
    assert 'href="/deadlines.ics?party=italy"' in html
    assert 'href="/feeds/updates/?party=italy"' in html


def test_it_says_the_feed_cannot_narrow_by_other_filters(client, world):
    html = client.get(reverse("commitment_list"), {"kind": "deliverable"}).content.decode()
    assert 'href="/deadlines.ics?kind=deliverable"' in html
    assert 'href="/feeds/updates/"' in html
    assert "the feed narrows by theme and party only" in html


def test_it_pages_by_fifty(client, make):
    for n in range(51):
        make.commitment(f"Commitment {n:02d}")
    first = client.get(reverse("commitment_list"))
    second = client.get(reverse("commitment_list"), {"page": "2"})
    assert len(first.context["commitments"]) == 50
    assert len(second.context["commitments"]) == 1


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_it_shows_the_whole_story_of_a_commitment(client, world, make):
    wind = world["wind"]
    ev = make.evidence(wind, title="Joint statement on wind")
    first = record_status_update(
        commitment=wind,
        status="in_progress",
        by=None,
        rationale="Tender opened",
        evidence=[ev],
        progress=40,
        effective_on=dt.date(2026, 3, 1),
    )
    html = client.get(reverse("commitment_detail", args=[wind.slug])).content.decode()
    assert "We will build offshore wind together." in html
    assert 'id="history"' in html
    assert "Tender opened" in html
    assert "Joint statement on wind" in html
    assert "(lead)" in html
    assert f'id="update-{first.pk}"' in html


def test_it_shows_update_links_only_to_those_who_may_record(client, world, analyst, reader):
    url = reverse("commitment_detail", args=[world["wind"].slug])
    assert "Record a status update" not in client.get(url).content.decode()
    client.force_login(reader)
    assert "Record a status update" not in client.get(url).content.decode()
    client.force_login(analyst)
    html = client.get(url).content.decode()
    assert f"/commitments/{world['wind'].slug}/update/" in html
    assert f"/commitments/{world['wind'].slug}/milestones/add/" in html


def test_it_returns_404_for_an_unknown_commitment(client, db):
    assert client.get(reverse("commitment_detail", args=["nothing"])).status_code == 404


def test_it_prefilters_the_actor_page(client, world):
    response = client.get(world["italy"].get_absolute_url())
    assert list(response.context["commitments"]) == [world["wind"]]


def test_it_counts_commitments_on_the_index_pages(client, world):
    response = client.get(reverse("actor_index"))
    counts = {row.slug: row.count for row in response.context["rows"]}
    assert counts == {"italy": 1, "japan": 2}
