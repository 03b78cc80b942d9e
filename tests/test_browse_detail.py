"""One commitment's page: deadline distance, corrections, frameworks and their children."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commitments.services import record_status_update

pytestmark = pytest.mark.django_db


def page(client, commitment) -> str:
    return client.get(reverse("commitment_detail", args=[commitment.slug])).content.decode()


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_it_says_how_long_a_deadline_is_overdue(client, make):
    late = make.commitment("Late", deadline=dt.date(2024, 5, 31), precision="month")
    assert "2 years overdue" in page(client, late)


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_it_says_how_far_away_a_deadline_is(client, make):
    soon = make.commitment("Soon", deadline=dt.date(2029, 12, 31), precision="year")
    assert "in 3 years" in page(client, soon)


def test_it_marks_corrected_updates_and_names_what_a_correction_corrects(client, make):
    c = make.commitment("Corrected one")
    wrong = record_status_update(
        commitment=c,
        status="achieved",
        by=None,
        rationale="Too early",
        progress=100,
        evidence=[make.evidence(c)],
        effective_on=dt.date(2026, 1, 1),
    )
    record_status_update(
        commitment=c,
        status="in_progress",
        by=None,
        rationale="Not yet done",
        progress=50,
        evidence=[make.evidence(c)],
        effective_on=dt.date(2026, 1, 1),
        corrects=wrong,
    )
    html = page(client, c)
    assert "Corrected</span>" in html
    assert f'Corrects <a href="#update-{wrong.pk}">' in html


def test_it_shows_a_frameworks_rolled_up_progress_beside_its_own(client, make):
    framework = make.commitment("Plan", kind="framework")
    make.commitment("Child A", parent=framework, progress=20)
    make.commitment("Child B", parent=framework, progress=60)
    make.commitment("Child C", parent=framework)
    response = client.get(reverse("commitment_detail", args=[framework.slug]))
    html = response.content.decode()
    rolled = response.context["children"]["progress"]
    assert (rolled.rounded, rolled.measured, rolled.total, rolled.weighted) == (40, 2, 3, False)
    assert "2 of 3 measured" in html and "each commitment counting equally" in html
    assert "The framework&#x27;s own progress" in html or "The framework's own progress" in html
    assert [row["count"] for row in response.context["children"]["breakdown"]] == [3]
    assert "Child A" in html and "Child B" in html


def test_it_weighs_a_frameworks_children_by_the_weights_set(client, make):
    framework = make.commitment("Plan", kind="framework")
    make.commitment("Heavy", parent=framework, progress=20, weight=3)
    make.commitment("Light", parent=framework, progress=60)
    rolled = client.get(framework.get_absolute_url()).context["children"]["progress"]
    assert (rolled.value, rolled.weighted) == (30.0, True)  # (3×20 + 1×60) / 4
    body = client.get(reverse("api_commitment", args=[framework.slug])).json()
    assert body["children_progress"] == {
        "mean_progress": 30.0,
        "progress_measured": 2,
        "progress_thin": False,
        "total": 2,
        "weighted": True,
    }
    assert body["progress"] is None


def test_it_marks_a_roll_up_over_under_a_third_as_thin(client, make):
    framework = make.commitment("Plan", kind="framework")
    make.commitment("Measured", parent=framework, progress=100)
    for n in range(3):
        make.commitment(f"Unmeasured {n}", parent=framework)
    html = client.get(framework.get_absolute_url()).content.decode()
    assert "1 of 4 measured — thin: under a third measured" in html


def test_it_links_a_child_to_its_framework(client, make):
    framework = make.commitment("Plan", kind="framework")
    child = make.commitment("Child", parent=framework)
    assert f'href="{reverse("commitment_detail", args=[framework.slug])}"' in page(client, child)


def test_it_prefilters_theme_and_source_pages(client, make):
    energy, source = make.theme("Energy"), make.source()
    wind = make.commitment("Wind", themes=[energy], source=source)
    make.commitment("Other")
    for obj in (energy, source):
        response = client.get(obj.get_absolute_url())
        assert list(response.context["commitments"]) == [wind]
        assert response.context["chips"] == []


def test_it_shows_the_analysts_notes_under_their_own_heading(client, make):
    noted = make.commitment("Noted", notes="Read as a position.\n\nThe deadline is <not> given.")
    html = page(client, noted)
    assert "How this was recorded</h2>" in html
    assert "<p>Read as a position.</p>" in html
    assert "The deadline is &lt;not&gt; given." in html


def test_it_leaves_the_notes_section_out_when_there_are_no_notes(client, make):
    assert "How this was recorded" not in page(client, make.commitment("Plain"))
