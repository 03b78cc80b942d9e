"""Recording status updates as a person would, in a real Chromium."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commitments import services
from commitments.models import StatusUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


OLDER_RATIONALE = "Talks opened in January."


@pytest.fixture
def commitment(make, editor):
    commitment = make.commitment(
        "Deliver a next-generation fighter",
        announced_on=dt.date(2025, 11, 20),
        announced_precision="day",
    )
    services.record_status_update(
        commitment=commitment,
        status="not_started",
        effective_on=dt.date(2026, 1, 10),
        rationale=OLDER_RATIONALE,
        evidence=[make.evidence(commitment, title="January briefing")],
        by=editor,
    )
    return commitment


def update_path(commitment):
    return reverse("commitment_update", args=[commitment.slug])


def fill_update(page, *, rationale, evidence_title="Defence ministry press release"):
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_label("Effective date").fill("2026-03-03")
    page.get_by_label("Why (rationale)").fill(rationale)
    page.locator("#id_new-0-title").fill(evidence_title)
    page.locator("#id_new-0-url").fill("https://www.mod.example/press/gcap-contract")
    page.locator("#id_new-0-publisher").fill("Ministry of Defence")


def test_an_analyst_records_an_update_and_finds_it_at_the_top_of_the_history(
    page, live_server, browser_login, analyst, commitment
):
    browser_login(analyst, commitment.get_absolute_url())
    page.locator(f'a[href="{update_path(commitment)}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a status update")

    rationale = "In progress because the development contract was signed on 3 March."
    fill_update(page, rationale=rationale)
    page.get_by_role("button", name="Record the update").click()

    expect(page).to_have_url(f"{live_server.url}{commitment.get_absolute_url()}")
    expect(page.get_by_text("Your status update was recorded")).to_be_visible()
    history = page.locator("#history")
    expect(history).to_contain_text(rationale)
    text = history.inner_text()
    assert text.index(rationale) < text.index(OLDER_RATIONALE)
    assert StatusUpdate.objects.latest("id").evidence.get().url == (
        "https://www.mod.example/press/gcap-contract"
    )


def test_an_anonymous_visitor_is_sent_to_login_and_comes_back(
    page, live_server, analyst, commitment
):
    page.goto(f"{live_server.url}{update_path(commitment)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert page.url.startswith(f"{live_server.url}{reverse('login')}?next=")

    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}{update_path(commitment)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a status update")


def test_a_stale_form_shows_the_newer_update_and_keeps_the_input(
    page, live_server, browser_login, analyst, editor, commitment, make
):
    browser_login(analyst, update_path(commitment))
    rationale = "My reading of the March contract."
    fill_update(page, rationale=rationale, evidence_title="My press release")

    services.record_status_update(
        commitment=commitment,
        status="stalled",
        effective_on=dt.date(2026, 3, 4),
        rationale="Parliament froze the budget line.",
        evidence=[make.evidence(commitment)],
        by=editor,
    )
    page.get_by_role("button", name="Record the update").click()

    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Someone else recorded an update while you were editing")
    expect(conflict).to_contain_text("Parliament froze the budget line.")
    expect(conflict).to_contain_text("eddie")
    expect(page.get_by_label("Why (rationale)")).to_have_value(rationale)
    expect(page.get_by_label("Progress (%)")).to_have_value("40")
    expect(page.get_by_label("Effective date")).to_have_value("2026-03-03")
    expect(page.locator("#id_new-0-title")).to_have_value("My press release")
    assert StatusUpdate.objects.count() == 2

    # The newer update is effective later, so saving again says this one will not be
    # current, and records it in the history only once the analyst confirms.
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator("#id_behind_latest_error")).to_contain_text(
        "An update effective 4 Mar 2026 (Stalled) is later than this one"
    )
    assert StatusUpdate.objects.count() == 2
    page.get_by_label("Record it in the history only").check()
    page.get_by_role("button", name="Record the update").click()
    expect(page).to_have_url(f"{live_server.url}{commitment.get_absolute_url()}")
    expect(page.get_by_text("The current status stays Stalled")).to_be_visible()
    assert StatusUpdate.objects.count() == 3


def test_a_script_in_a_rationale_shows_as_text(
    page, live_server, browser_login, analyst, commitment
):
    script = "<script>window.injected = true</script>"
    browser_login(analyst, update_path(commitment))
    fill_update(page, rationale=f"Signed. {script}")
    page.get_by_role("button", name="Record the update").click()

    expect(page.locator("#history")).to_contain_text(script)
    assert page.evaluate("window.injected === undefined")

    page.goto(f"{live_server.url}{reverse('activity')}")
    expect(page.locator("#activity")).to_contain_text(script)
    assert page.evaluate("window.injected === undefined")
