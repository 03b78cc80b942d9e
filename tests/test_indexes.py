"""Actors, themes and sources: in the main menu, their indexes with each one's status
and health counts, and the list's search finding commitments by a party's names."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments import services
from commitments.choices import Status
from commitments.filters import CommitmentFilterSet

pytestmark = pytest.mark.django_db


def rate(make, commitment, status):
    services.record_status_update(
        commitment=commitment,
        status=status,
        by=None,
        rationale="Rated.",
        evidence=[make.evidence(commitment)],
        effective_on=dt.date(2026, 1, 5),
    )


@pytest.fixture
def register(make, frozen_clock):
    italy = make.actor("Italy", aliases="Italian Republic\nRoma")
    japan = make.actor("Japan", aliases="Nippon")
    uk = make.actor("United Kingdom", short_name="UK")
    energy = make.theme("Energy")
    statement = make.source(title="Joint statement")
    # 10 March 2026 is today: a deadline on 1 April is due soon.
    soon = make.commitment(
        "Build offshore wind",
        parties=[italy, japan],
        themes=[energy],
        source=statement,
        deadline=dt.date(2026, 4, 1),
    )
    rate(make, soon, Status.IN_PROGRESS)
    make.commitment("Exchange students", parties=[italy], themes=[energy], source=statement)
    broken = make.commitment("Open a consulate", parties=[uk])
    rate(make, broken, Status.BROKEN)
    return {"italy": italy, "japan": japan, "uk": uk}


@pytest.mark.parametrize(
    ("path", "param", "slug"),
    [
        ("/actors/", "party", "italy"),
        ("/themes/", "theme", "energy"),
        ("/sources/", "source", None),
    ],
)
def test_it_shows_each_ones_status_and_health_counts_linking_to_the_list(
    client, register, path, param, slug
):
    from commitments.models import Source

    slug = slug or Source.objects.get().slug
    html = client.get(path).content.decode()

    row = html[html.index(f'href="/{path.strip("/")}/{slug}/"') :].split("</tr>")[0]
    assert '<td data-label="Commitments">2</td>' in row
    status_link = f'href="/commitments/?{param}={slug}&amp;status='
    assert f"{status_link}in_progress" in row and f"{status_link}not_rated" in row
    assert f"{status_link}broken" not in row
    health_link = f'href="/commitments/?{param}={slug}&amp;health='
    assert f"{health_link}due_soon" in row and f"{health_link}unassessed" in row
    assert "Due soon</span> 1</a>" in row


def test_it_counts_what_the_list_it_links_to_shows(client, register):
    html = client.get("/actors/").content.decode()
    row = html[html.index('href="/actors/uk/"') :].split("</tr>")[0]

    assert "Broken</span> 1</a>" in row and "Closed</span> 1</a>" in row
    listed = client.get("/commitments/?party=uk&health=closed").content.decode()
    assert "1 commitment matches" in listed


def test_it_shows_an_actor_without_commitments(client, register, make):
    make.actor("Canada")

    html = client.get("/actors/").content.decode()

    row = html[html.index('href="/actors/canada/"') :].split("</tr>")[0]
    assert '<td data-label="Commitments">0</td>' in row


@pytest.mark.parametrize("path", ["/actors/", "/themes/", "/sources/"])
def test_it_reads_an_index_in_two_queries(client, register, django_assert_num_queries, path):
    # The actors, themes or sources; then the commitments grouped by one, status and health.
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


def test_it_puts_actors_themes_and_sources_in_the_main_menu(client, register):
    html = client.get("/actors/italy/").content.decode()
    menu = html[html.index('aria-label="Main"') : html.index("</nav>")]

    assert '<a href="/actors/" aria-current="page">Actors</a>' in menu
    assert '<a href="/themes/" >Themes</a>' in menu
    assert '<a href="/sources/" >Sources</a>' in menu


def titles(q: str) -> set[str]:
    return {c.title for c in CommitmentFilterSet({"q": q}).qs}


def test_it_finds_a_partys_commitments_by_its_name_short_name_or_alias(register):
    assert titles("Japan") == {"Build offshore wind"}
    assert titles("nippon") == {"Build offshore wind"}
    assert titles("Italian Republic") == {"Build offshore wind", "Exchange students"}
    assert titles("UK") == {"Open a consulate"}
    assert titles("wind") == {"Build offshore wind"}


def test_it_needs_three_letters_to_match_part_of_a_name(register):
    assert titles("it") == set()
    assert titles("ita") == {"Build offshore wind", "Exchange students"}


def test_it_finds_by_party_names_from_the_list_page(client, register):
    html = client.get("/commitments/?q=Nippon").content.decode()

    assert "1 commitment matches" in html
    assert "Build offshore wind" in html
