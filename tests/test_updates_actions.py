"""The actions an analyst finds on the commitment page and the activity page: correct an
update, complete a milestone. Nobody types an id into a URL, and readers see no actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make):
    """A commitment with a corrected update, its correction, an open and a done milestone."""
    commitment = make.commitment(
        "Deliver a fighter", announced_on=dt.date(2025, 1, 1), announced_precision="day"
    )
    evidence = make.evidence(commitment)
    wrong = services.record_status_update(
        commitment=commitment,
        status="achieved",
        rationale="Too early.",
        evidence=[evidence],
        effective_on=dt.date(2025, 6, 1),
        by=None,
    )
    fix = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        progress=50,
        rationale="Half done.",
        evidence=[evidence],
        effective_on=dt.date(2025, 6, 1),
        corrects=wrong,
        by=None,
    )
    open_one = services.add_milestone(commitment=commitment, title="Prototype flies")
    done = services.add_milestone(commitment=commitment, title="Contract signed")
    services.complete_milestone(
        milestone=done, completed_on=dt.date(2025, 7, 1), evidence=[evidence], by=None
    )
    return {"commitment": commitment, "wrong": wrong, "fix": fix, "open": open_one, "done": done}


def correct_url(update):
    return reverse("update_correct", args=[update.commitment.slug, update.pk])


def complete_url(milestone):
    return reverse("milestone_complete", args=[milestone.commitment.slug, milestone.pk])


def detail(client, commitment) -> str:
    return client.get(commitment.get_absolute_url()).content.decode()


def entry(html: str, element_id: str, end: str = "</li>") -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index(end, start)]


def test_it_offers_to_correct_each_update_that_is_not_corrected(analyst_client, story):
    html = detail(analyst_client, story["commitment"])
    fix_entry = entry(html, f"update-{story['fix'].pk}", end="<li ")
    assert f'href="{correct_url(story["fix"])}"' in fix_entry
    assert "Correct this update" in fix_entry
    assert correct_url(story["wrong"]) not in html


def test_it_offers_to_complete_each_open_milestone(analyst_client, story):
    html = detail(analyst_client, story["commitment"])
    open_entry = entry(html, f"milestone-{story['open'].pk}")
    assert f'href="{complete_url(story["open"])}"' in open_entry
    assert ">Complete<" in open_entry
    assert complete_url(story["done"]) not in html


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editors_and_admins_see_the_actions_too(client, request, story, role):
    client.force_login(request.getfixturevalue(role))
    html = detail(client, story["commitment"])
    assert correct_url(story["fix"]) in html
    assert complete_url(story["open"]) in html


@pytest.mark.parametrize("role", [None, "reader"])
def test_readers_see_no_actions(client, request, story, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    html = detail(client, story["commitment"])
    assert "Correct this update" not in html
    assert ">Complete<" not in html
    activity = client.get(reverse("activity")).content.decode()
    assert "Correct this update" not in activity


def test_the_activity_page_offers_to_correct_each_update_that_is_not_corrected(
    analyst_client, story
):
    html = analyst_client.get(reverse("activity")).content.decode()
    fix_row = html[html.index(f'id="update-{story["fix"].pk}"') :]
    fix_row = fix_row[: fix_row.index("</tr>")]
    assert f'href="{correct_url(story["fix"])}"' in fix_row
    assert correct_url(story["wrong"]) not in html


def test_the_offered_links_open_the_forms(analyst_client, story):
    assert analyst_client.get(correct_url(story["fix"])).status_code == 200
    assert analyst_client.get(complete_url(story["open"])).status_code == 200


def test_the_actions_cost_no_query_per_entry(analyst_client, make, django_assert_num_queries):
    def build(n):
        commitment = make.commitment(announced_on=dt.date(2025, 1, 1), announced_precision="day")
        evidence = make.evidence(commitment)
        for i in range(n):
            services.record_status_update(
                commitment=commitment,
                status="in_progress",
                progress=i,
                rationale=f"Step {i}.",
                evidence=[evidence],
                by=None,
            )
            services.add_milestone(commitment=commitment, title=f"Step {i}")
        return commitment

    small, large = build(2), build(12)
    with CaptureQueriesContext(connection) as queries:
        analyst_client.get(small.get_absolute_url())
    with django_assert_num_queries(len(queries)):
        html = detail(analyst_client, large)
    assert html.count("Correct this update") == 12
    assert html.count(">Complete<") == 12
