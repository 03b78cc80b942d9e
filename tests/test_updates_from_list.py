"""Working through a list: checkboxes to update several commitments at once, and the
update form opened from a row, which names the next commitment of the same list."""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import services
from commitments.views.worklist import list_param
from tests.test_updates_record import NEW_LINK, form_data

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def register(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    rows = {
        title: make.commitment(title, parties=[italy], deadline=dt.date(year, 1, 1))
        for title, year in (("Alpha", 2030), ("Bravo", 2031), ("Charlie", 2032))
    }
    rows["Japan only"] = make.commitment("Japan only", parties=[japan])
    return rows


def update_path(commitment, query=None):
    path = reverse("commitment_update", args=[commitment.slug])
    return path if query is None else f"{path}?{list_param(query)}"


def save_from_list(client, commitment, query):
    """Open the form from a list row and save it, as the browser does."""
    form = client.get(update_path(commitment, query)).context["form"]
    data = {
        **form_data(seen=form["seen_latest_id"].value(), rows=[NEW_LINK]),
        "list": query,
    }
    return client.post(update_path(commitment, query), data)


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# -- the list's checkboxes ---------------------------------------------------------------------
def test_the_list_offers_a_checkbox_per_row_and_the_button_to_analysts(analyst_client, register):
    html = analyst_client.get("/commitments/?party=italy").content.decode()
    form = html[html.index('<form method="get" action="/commitments/update-several/"') :]
    form = form[: form.index("</form>")]
    assert form.count('type="checkbox" name="c"') == 3
    assert 'value="alpha"' in form
    assert '<input type="hidden" name="back" value="/commitments/?party=italy">' in form
    assert "Record an update for the selected" in form
    assert '<label for="select-alpha" class="visually-hidden">Select “Alpha”</label>' in form


@pytest.mark.parametrize("role", [None, "reader"])
def test_readers_get_no_checkboxes(client, request, register, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    html = client.get("/commitments/").content.decode()
    assert 'name="c"' not in html
    assert "update-several" not in html
    assert "Record an update" not in html


@pytest.mark.parametrize("path", ["/actors/italy/?sort=-title", "/themes/energy/", "/sources/s/"])
def test_the_actor_theme_and_source_pages_offer_them_too(analyst_client, make, path):
    energy = make.theme("Energy")
    source = make.source("S")
    make.commitment("Wind", parties=[make.actor("Italy")], themes=[energy], source=source)
    html = analyst_client.get(path).content.decode()
    assert 'name="c" value="wind"' in html
    assert f'<input type="hidden" name="back" value="{path.replace("&", "&amp;")}">' in html


def test_the_checked_rows_lead_to_the_page_for_several(analyst_client, register):
    # What the browser sends for the GET form with two rows ticked.
    query = urlencode([("back", "/commitments/?party=italy"), ("c", "alpha"), ("c", "charlie")])
    response = analyst_client.get(f"{reverse('update_several')}?{query}")
    assert [c.title for c in response.context["form"].commitments] == ["Alpha", "Charlie"]


def test_the_list_with_checkboxes_costs_the_same_for_3_or_30_rows(
    analyst_client, make, django_assert_num_queries
):
    def build(n):
        italy = make.actor(f"Italy {n}")
        for i in range(n):
            commitment = make.commitment(
                f"Row {n}-{i}", parties=[italy, make.actor()], themes=[make.theme()]
            )
            services.record_status_update(
                commitment=commitment,
                status="in_progress",
                rationale="Going.",
                evidence=[make.evidence(commitment)],
                by=None,
            )
        return italy

    small, large = build(3), build(30)
    # session, user, the user's and the groups' permissions, the party (for the filter
    # and for its chip), the count, the filters' menus (themes, parties, sources), the
    # page, its parties and its themes
    with django_assert_num_queries(13):
        html = analyst_client.get(f"/commitments/?party={small.slug}").content.decode()
    assert html.count('name="c"') == 3
    with django_assert_num_queries(13):
        html = analyst_client.get(f"/commitments/?party={large.slug}").content.decode()
    assert html.count('name="c"') == 30


# -- the next commitment in the list --------------------------------------------------------------
def test_a_row_opens_the_update_form_with_the_lists_query(analyst_client, register):
    html = analyst_client.get("/commitments/?party=italy&sort=-title").content.decode()
    link = re.search(r'href="(/commitments/bravo/update/\?[^"]+)"', html)[1]
    assert parse_qs(urlsplit(unescape(link)).query) == {"list": ["party=italy&sort=-title"]}


def test_an_actor_pages_row_carries_the_actor_in_the_list(analyst_client, register):
    html = analyst_client.get("/actors/italy/").content.decode()
    link = re.search(r'href="(/commitments/alpha/update/\?[^"]+)"', html)[1]
    assert parse_qs(urlsplit(unescape(link)).query) == {"list": ["party=italy"]}


def test_the_form_keeps_the_list_in_a_hidden_field(analyst_client, register):
    html = analyst_client.get(update_path(register["Alpha"], "party=italy")).content.decode()
    assert '<input type="hidden" name="list" value="party=italy">' in html
    assert '<a href="/commitments/?party=italy">Back to the list</a>' in html


def test_after_saving_it_links_to_the_next_in_the_list(analyst_client, register):
    response = save_from_list(analyst_client, register["Alpha"], "party=italy")
    assert response.status_code == 302
    assert message(response).endswith(
        f'Next in this list: <a href="{update_path(register["Bravo"], "party=italy")}">Bravo</a>.'
    )
    page = analyst_client.get(response["Location"]).content.decode()
    assert '<a href="/commitments/bravo/update/?list=party%3Ditaly">Bravo</a>' in page


def test_the_next_one_follows_the_lists_sort(analyst_client, register):
    response = save_from_list(analyst_client, register["Charlie"], "party=italy&sort=-title")
    assert "Next in this list" in message(response)
    assert ">Bravo</a>" in message(response)


def test_it_says_when_it_was_the_last(analyst_client, register):
    response = save_from_list(analyst_client, register["Charlie"], "party=italy")
    assert message(response).endswith(
        'That was the last in <a href="/commitments/?party=italy">this list</a>.'
    )


def test_the_next_one_is_found_even_when_the_update_takes_it_out_of_the_list(
    analyst_client, register
):
    # A list of the commitments not rated yet: recording one takes it out of the list.
    query = "party=italy&status=not_rated"
    response = save_from_list(analyst_client, register["Alpha"], query)
    assert ">Bravo</a>" in message(response)
    response = save_from_list(analyst_client, register["Bravo"], query)
    assert ">Charlie</a>" in message(response)


def test_the_whole_register_is_a_list_too(analyst_client, register):
    response = save_from_list(analyst_client, register["Alpha"], "")
    assert ">Bravo</a>" in message(response)


def test_it_says_so_when_the_commitment_is_not_in_that_list(analyst_client, register):
    response = save_from_list(analyst_client, register["Japan only"], "party=italy")
    assert "It is no longer in" in message(response)
    response = save_from_list(analyst_client, register["Alpha"], "status=nonsense")
    assert "It is no longer in" in message(response)


def test_without_a_list_it_names_no_next_one(analyst_client, register):
    form = analyst_client.get(update_path(register["Alpha"])).context["form"]
    html = analyst_client.get(update_path(register["Alpha"])).content.decode()
    assert 'name="list"' not in html
    data = form_data(seen=form["seen_latest_id"].value(), rows=[NEW_LINK])
    response = analyst_client.post(update_path(register["Alpha"]), data)
    assert "Next in this list" not in message(response)


def test_a_title_in_the_next_link_is_escaped(analyst_client, make):
    first = make.commitment("A first", deadline=dt.date(2030, 1, 1))
    make.commitment("<b>Bold</b> second", deadline=dt.date(2031, 1, 1))
    response = save_from_list(analyst_client, first, "")
    assert "&lt;b&gt;Bold&lt;/b&gt; second</a>" in message(response)


# On PostgreSQL the ids are read through a server-side cursor (DECLARE ... FOR SELECT).
IDS_ONLY = re.compile(
    r'^(?:DECLARE "\w+" NO SCROLL CURSOR (?:WITH HOLD )?FOR )?'
    r'SELECT "commitments_commitment"\."id"(?: AS "\w+")? FROM '
)


def test_finding_the_next_one_reads_ids_only(analyst_client, register):
    form = analyst_client.get(update_path(register["Alpha"], "party=italy")).context["form"]
    data = {
        **form_data(seen=form["seen_latest_id"].value(), rows=[NEW_LINK]),
        "list": "party=italy",
    }
    with CaptureQueriesContext(connection) as queries:
        response = analyst_client.post(update_path(register["Alpha"], "party=italy"), data)
    assert "Next in this list" in message(response)
    listing = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "commitments_commitment"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    # The list's order is read as ids alone (whether or not the column is aliased).
    assert listing
    assert all(IDS_ONLY.match(q) for q in listing), listing


def test_the_next_one_follows_a_past_days_sort_by_progress(make):
    from commitments.views.worklist import next_in_list

    rows = []
    for progress in (10, 70, 40):
        commitment = make.commitment(f"At {progress}%")
        services.record_status_update(
            commitment=commitment,
            status="in_progress",
            progress=progress,
            effective_on=dt.date(2026, 1, 5),
            rationale="Going.",
            evidence=[make.evidence(commitment)],
            by=None,
        )
        rows.append(commitment)
    at_10, at_70, at_40 = rows
    query = "as_of=2026-02-01&sort=-progress"
    assert next_in_list(query, at_70).next == at_40
    assert next_in_list(query, at_40).next == at_10
    assert next_in_list(query, at_10).is_last
