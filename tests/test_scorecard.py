"""Scorecards: each party's assessed commitments, mean score, compliance and own
statuses, on /scorecard/, the actor pages and /api/scorecard/, under the list's filters."""

import datetime as dt

import pytest
from django.urls import reverse

from commitments.models import Commitment
from commitments.selectors.scorecard import ordered, scorecard_rows
from commitments.services.assessments import record_party_assessment

pytestmark = pytest.mark.usefixtures("frozen_clock")

SCORE_STATUS = {1: "achieved", 0: "partially_achieved", -1: "broken"}


@pytest.fixture
def world(make):
    italy, japan, uk = make.actor("Italy"), make.actor("Japan"), make.actor("United Kingdom")
    defence, climate = make.theme("Defence"), make.theme("Climate")
    built = {"italy": italy, "japan": japan, "uk": uk, "defence": defence, "climate": climate}

    def commitment(title, theme, scores):
        c = make.commitment(title, themes=[theme], parties=[italy, japan, uk])
        evidence = make.evidence(c)
        for actor, score in scores.items():
            record_party_assessment(
                commitment=c,
                actor=built[actor],
                status=SCORE_STATUS[score],
                score=score,
                rationale="Research Group report.",
                evidence=[evidence],
                effective_on=dt.date(2026, 3, 1),
                by=None,
            )
        return c

    commitment("Fighter", defence, {"italy": 1, "japan": 1})
    commitment("Radar", defence, {"italy": -1, "japan": 0})
    commitment("Emissions", climate, {"italy": 1})
    return built


def _row(rows, slug):
    return next(row for row in rows if row["slug"] == slug)


def test_it_computes_the_mean_and_percentage_of_each_partys_scores(world):
    rows = scorecard_rows(Commitment.objects.all())
    italy, japan, uk = (_row(rows, s) for s in ("italy", "japan", "united-kingdom"))
    assert (italy["assessed"], italy["scored"], italy["mean_score"]) == (3, 3, 1 / 3)
    assert italy["compliance_percent"] == pytest.approx(66.666, abs=0.01)
    assert (japan["mean_score"], japan["compliance_percent"]) == (0.5, 75.0)
    assert (uk["assessed"], uk["mean_score"], uk["compliance_percent"]) == (0, None, None)
    assert italy["by_status"] == {
        "not_rated": 0,
        "not_started": 0,
        "in_progress": 0,
        "stalled": 0,
        "partially_achieved": 0,
        "achieved": 2,
        "broken": 1,
    }
    assert uk["by_status"]["not_rated"] == 3


def test_it_reaches_0_and_100_percent_at_the_ends_of_the_scale(world):
    defence_fighter = Commitment.objects.filter(title="Fighter")
    japan = _row(scorecard_rows(defence_fighter), "japan")
    assert (japan["mean_score"], japan["compliance_percent"]) == (1.0, 100.0)
    radar = Commitment.objects.filter(title="Radar")
    italy = _row(scorecard_rows(radar), "italy")
    assert (italy["mean_score"], italy["compliance_percent"]) == (-1.0, 0.0)


def test_it_orders_by_a_figure_with_the_unscored_last_either_way(world):
    rows = scorecard_rows(Commitment.objects.all())
    assert [r["slug"] for r in ordered(rows, "-mean_score")] == ["japan", "italy", "united-kingdom"]
    assert [r["slug"] for r in ordered(rows, "mean_score")] == ["italy", "japan", "united-kingdom"]
    assert [r["slug"] for r in ordered(rows, "-name")][0] == "united-kingdom"


def test_the_api_answers_the_documented_shape_under_the_lists_filters(client, world):
    response = client.get(reverse("api_scorecard"), {"theme": "climate"})
    assert response.status_code == 200
    parties = response.json()["parties"]
    assert set(response.json()) == {"parties"}
    assert set(parties[0]) == {
        "slug",
        "name",
        "assessed",
        "mean_score",
        "compliance_percent",
        "by_status",
    }
    italy = _row(parties, "italy")
    assert (italy["assessed"], italy["mean_score"], italy["compliance_percent"]) == (1, 1.0, 100.0)
    assert _row(parties, "japan")["mean_score"] is None


def test_the_api_refuses_a_bad_filter_with_400(client, world):
    response = client.get(reverse("api_scorecard"), {"theme": "no-such-theme"})
    assert response.status_code == 400
    assert "theme" in response.json()


def test_the_page_shows_the_table_and_chart_with_links_to_the_lists_behind(client, world):
    response = client.get(
        reverse("scorecard"), {"theme": "defence", "order": "-compliance_percent"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(">Japan</a>") < html.index(">Italy</a>")
    assert 'aria-sort="descending"' in html
    assert "/commitments/?theme=defence&amp;party=japan&amp;party_status=scored" in html
    assert 'role="group"' in html and "Japan 75% (2 scored)" in html


def test_the_list_behind_a_figure_has_those_commitments(client, world):
    response = client.get("/commitments/", {"party": "italy", "party_status": "broken"})
    assert [c.title for c in response.context["commitments"]] == ["Radar"]
    response = client.get("/commitments/", {"party": "japan", "party_status": "scored"})
    assert sorted(c.title for c in response.context["commitments"]) == ["Fighter", "Radar"]


def test_the_page_says_so_when_the_order_is_unknown(client, world):
    response = client.get(reverse("scorecard"), {"order": "shoe-size"})
    assert response.status_code == 200
    assert "is not a way to order the scorecard" in response.content.decode()


def test_the_actor_page_shows_its_scorecard_under_the_lists_filters(client, world):
    html = client.get("/actors/italy/", {"theme": "defence"}).content.decode()
    assert "Scorecard: its own delivery" in html
    assert "0.00" in html and "50.0%" in html  # +1 and -1 on the defence commitments
    html = client.get("/actors/united-kingdom/").content.decode()
    assert "No score yet" in html


@pytest.mark.parametrize(("name", "queries"), [("scorecard", 6), ("api_scorecard", 2)])
def test_it_keeps_the_query_count_flat_as_commitments_grow(
    client, world, make, django_assert_num_queries, name, queries
):
    with django_assert_num_queries(queries):
        client.get(reverse(name), {"theme": "defence"})
    for n in range(5):
        make.commitment(f"More {n}", themes=[world["defence"]], parties=[make.actor()])
    with django_assert_num_queries(queries):
        client.get(reverse(name), {"theme": "defence"})


def test_the_scorecards_need_no_symbol_font(client, world):
    from tests.test_phones import SYMBOL_BLOCKS

    for path in ("/scorecard/?order=-mean_score", "/actors/italy/"):
        assert SYMBOL_BLOCKS.findall(client.get(path).content.decode()) == [], path


def test_the_methodology_page_explains_the_scores_and_the_percentage(client, db):
    html = client.get("/about/").content.decode()
    assert 'id="score--1">-1 failed' in html
    assert "a mean of 0.5 is 75%" in html and "a mean of -1 is 0%" in html
