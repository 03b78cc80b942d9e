"""Each party's own delivery in a real Chromium: an analyst assesses two parties at once,
the commitment page shows their rows and histories, and the scorecard compares them;
every page free of serious accessibility violations."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from commitments.models import Party
from commitments.services.assessments import record_party_assessment
from tests.browser.test_readers_browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gcap(make):
    italy, japan, uk = make.actor("Italy"), make.actor("Japan"), make.actor("United Kingdom")
    defence = make.theme("Defence")
    commitment = make.commitment(
        "Deliver GCAP", parties=[italy, japan, uk], themes=[defence], slug="gcap"
    )
    evidence = make.evidence(commitment, title="Defence white paper")
    radar = make.commitment("Radar", parties=[italy, japan], themes=[defence])
    for actor, score in ((italy, 1), (japan, -1)):
        record_party_assessment(
            commitment=radar,
            actor=actor,
            status="achieved" if score == 1 else "broken",
            score=score,
            rationale="Research Group report.",
            evidence=[make.evidence(radar, url=f"https://example.org/{actor.slug}")],
            effective_on=dt.date(2025, 6, 1),
            by=None,
        )
    return {"gcap": commitment, "evidence": evidence}


def test_an_analyst_assesses_two_parties_at_once(page, live_server, browser_login, analyst, gcap):
    commitment = gcap["gcap"]
    browser_login(analyst, commitment.get_absolute_url())
    page.get_by_role("link", name="Assess the parties").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess the parties")
    assert serious_violations(page) == []

    page.get_by_label("Assess Italy").check()
    page.get_by_label("Italy's status").select_option(label="Achieved")
    page.get_by_label("Italy's compliance score").select_option(label="+1 full compliance")
    page.get_by_label("Assess Japan").check()
    page.get_by_label("Japan's status").select_option(label="In progress")
    page.get_by_label("Japan's compliance score").select_option(
        label="0 partial or work in progress"
    )
    page.get_by_label("Effective date").fill("2025-09-01")
    page.get_by_label("Why (rationale)").fill("Both delivered their parts of the first phase.")
    page.get_by_label("Defence white paper").check()
    page.get_by_role("button", name="Record the assessment").click()

    expect(page).to_have_url(f"{live_server.url}{commitment.get_absolute_url()}")
    expect(page.get_by_text("Your assessment was recorded")).to_be_visible()
    expect(page.locator("#party-italy")).to_contain_text("+1 full compliance")
    expect(page.locator("#party-italy")).to_contain_text("Defence white paper")
    page.get_by_text("Japan: its history (1 entry)").click()
    expect(page.locator("#party-history-japan")).to_contain_text("Both delivered")
    assert serious_violations(page) == []
    italy = Party.objects.get(commitment=commitment, actor__slug="italy")
    assert (italy.status, italy.score) == ("achieved", 1)


def test_a_form_without_evidence_names_the_problem_and_saves_nothing(
    page, live_server, browser_login, analyst, gcap
):
    commitment = gcap["gcap"]
    browser_login(analyst, f"/commitments/{commitment.slug}/parties/assess/?party=italy")
    page.get_by_label("Italy's status").select_option(label="Stalled")
    page.get_by_label("Why (rationale)").fill("Quiet for a year.")
    page.get_by_role("button", name="Record the assessment").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("needs at least one evidence item")
    assert serious_violations(page) == []
    assert Party.objects.get(commitment=commitment, actor__slug="italy").status == "not_rated"


def test_the_scorecard_compares_the_parties_and_sorts(page, live_server, gcap):
    page.goto(f"{live_server.url}/scorecard/?theme=defence")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scorecard")
    expect(
        page.get_by_role("group", name="Compliance by party, in the table's order")
    ).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Compliance", exact=True).click()
    rows = page.locator("table.scorecard tbody th")
    expect(rows.first).to_have_text("Japan")
    page.get_by_role("link", name="Compliance (ascending)").click()
    expect(rows.first).to_have_text("Italy")
    page.locator("table.scorecard tbody tr").first.get_by_role(
        "link", name="1", exact=True
    ).first.click()
    expect(page).to_have_url(
        f"{live_server.url}/commitments/?theme=defence&party=italy&party_status=assessed"
    )
    expect(page.get_by_role("status")).to_contain_text("1 commitment matches")


def test_an_actor_page_shows_its_scorecard(page, live_server, gcap):
    page.goto(f"{live_server.url}/actors/japan/")
    section = page.get_by_role("region", name="Scorecard: its own delivery")
    expect(section).to_contain_text("-1.00")
    expect(section).to_contain_text("0.0%")
    assert serious_violations(page) == []
