"""Recording a commitment's status and its parties' own assessments in one submit, in a
real Chromium."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from commitments.models import Party, PartyAssessment, StatusUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gcap(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    commitment = make.commitment(
        "Deliver GCAP",
        parties=[italy, japan],
        announced_on=dt.date(2025, 11, 20),
        announced_precision="day",
    )
    make.evidence(commitment, title="Defence white paper")
    return commitment


def serious_violations(page) -> list[str]:
    return [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fill_shared(page, rationale):
    page.get_by_label("Effective date").fill("2026-03-03")
    page.get_by_label("Why (rationale)").fill(rationale)
    page.get_by_label("Defence white paper").check()


def test_an_analyst_records_the_status_and_two_parties_in_one_submit(
    page, live_server, browser_login, analyst, gcap
):
    browser_login(analyst, reverse("commitment_update", args=[gcap.slug]))
    assert serious_violations(page) == []
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_label("Assess Italy").check()
    page.get_by_label("Italy's status").select_option(label="Achieved")
    page.get_by_label("Italy's compliance score").select_option(label="+1 full compliance")
    page.get_by_label("Assess Japan").check()
    page.get_by_label("Japan's status").select_option(label="In progress")
    page.get_by_label("Japan's compliance score").select_option(
        label="0 partial or work in progress"
    )
    fill_shared(page, "Contracts signed in Rome; Tokyo's budget line still pending.")
    page.get_by_role("button", name="Record the update").click()

    expect(page).to_have_url(f"{live_server.url}{gcap.get_absolute_url()}")
    expect(page.get_by_text("Your status update was recorded")).to_be_visible()
    expect(page.get_by_text("The parties' assessments were recorded")).to_be_visible()
    expect(page.locator("#parties")).to_contain_text("+1")
    assert StatusUpdate.objects.count() == 1
    assert sorted(Party.objects.values_list("status", "score")) == [
        ("achieved", 1),
        ("in_progress", 0),
    ]


def test_a_refused_party_row_keeps_the_input_and_records_nothing(
    page, live_server, browser_login, analyst, gcap
):
    browser_login(analyst, reverse("commitment_update", args=[gcap.slug]))
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Assess Italy").check()
    page.get_by_label("Italy's status").select_option(label="Achieved")
    page.get_by_label("Assess Japan").check()
    page.get_by_label("Japan's status").select_option(label="Not yet rated")
    page.get_by_label("Japan's compliance score").select_option(label="-1 failed")
    fill_shared(page, "Rome delivered.")
    page.get_by_role("button", name="Record the update").click()

    row = page.locator("table.parties-assess tr.has-error")
    expect(row).to_contain_text("Japan")
    expect(row).to_contain_text("A scored party needs a status other than Not yet rated.")
    expect(page.get_by_label("Assess Italy")).to_be_checked()
    expect(page.get_by_label("Why (rationale)")).to_have_value("Rome delivered.")
    assert serious_violations(page) == []
    assert StatusUpdate.objects.count() == PartyAssessment.objects.count() == 0


def test_an_analyst_records_one_party_only(page, live_server, browser_login, analyst, gcap):
    browser_login(analyst, reverse("commitment_update", args=[gcap.slug]) + "?party=japan")
    expect(page.get_by_label("Assess Japan")).to_be_checked()
    page.get_by_label("Japan's status").select_option(label="Stalled")
    page.get_by_label("Record only the ticked parties' assessments").check()
    fill_shared(page, "Tokyo paused its budget line.")
    page.get_by_role("button", name="Record the update").click()

    expect(page.get_by_text("The party's assessment was recorded: Japan Stalled.")).to_be_visible()
    assert StatusUpdate.objects.count() == 0
    assert Party.objects.get(actor__name="Japan").status == "stalled"
