"""Working through a list: checkboxes to update several commitments at once."""

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from commitments import services

NOW = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def register(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    rows = {
        title: make.commitment(title, parties=[italy], deadline=dt.date(year, 1, 1))
        for title, year in (("Alpha", 2030), ("Bravo", 2031), ("Charlie", 2032))
    }
    rows["Japan only"] = make.commitment("Japan only", parties=[japan])
    return rows


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
