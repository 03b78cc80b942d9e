"""The analyst's path in a real Chromium: correct an update and complete a milestone from
the commitment page, record one update for several commitments from the list, reuse
recorded evidence, and find the problems of a failed form from its error summary."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from commitments import services
from commitments.models import Evidence, Milestone, StatusUpdate
from tests.browser.test_csp_browser import LISTEN, REFUSALS, record_events, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNOUNCED = dt.date(2025, 11, 20)
RECORDED_URL = "https://www.mod.example/press/gcap-contract"


@pytest.fixture
def register(make, editor):
    """Three commitments of one statement; the fighter has a history, a milestone and
    evidence; a commitment of another statement has an item worth reusing."""
    italy = make.actor("Italy")
    statement = make.source(
        "Italy–Japan joint statement",
        url="https://gov.example/tokyo-statement",
        publisher="Prime Minister's Office",
        date=ANNOUNCED,
    )
    fighter, wind, students = (
        make.commitment(
            title,
            parties=[italy],
            source=statement,
            announced_on=ANNOUNCED,
            announced_precision="day",
            deadline=dt.date(2030 + n, 1, 1),
        )
        for n, title in enumerate(
            ["Deliver a next-generation fighter", "Build offshore wind", "Exchange students"]
        )
    )
    briefing = make.evidence(fighter, title="January briefing")
    first = services.record_status_update(
        commitment=fighter,
        status="achieved",
        progress=100,
        effective_on=dt.date(2026, 1, 10),
        rationale="Read as delivered too early.",
        evidence=[briefing],
        by=editor,
    )
    milestone = services.add_milestone(commitment=fighter, title="Development contract signed")
    elsewhere = make.commitment("Open a hydrogen corridor")
    contract = make.evidence(
        elsewhere,
        title="GCAP development contract awarded",
        url=RECORDED_URL,
        publisher="Ministry of Defence",
    )
    return {
        "fighter": fighter,
        "wind": wind,
        "students": students,
        "first": first,
        "milestone": milestone,
        "contract": contract,
    }


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def csp_refusals(page):
    """What the Content Security Policy refused, page by page (as in test_csp_browser)."""
    seen: dict[str, list[str]] = {}
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            seen.setdefault(page.url, []).append(message.text)
            if any(words in message.text for words in REFUSALS)
            else None
        ),
    )
    return seen


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


# -- from the commitment page ---------------------------------------------------------------------
def test_an_analyst_corrects_an_update_from_the_commitment_page(
    page, live_server, browser_login, analyst, register
):
    fighter = register["fighter"]
    browser_login(analyst, fighter.get_absolute_url())
    entry = page.locator(f"#update-{register['first'].pk}")
    entry.get_by_role("link", name="Correct this update").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Correct an update")
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("60")
    page.get_by_label("Why (rationale)").fill("Prototype built; delivery still ahead.")
    page.get_by_role("button", name="Record the correction").click()

    expect(page).to_have_url(f"{live_server.url}{fighter.get_absolute_url()}")
    expect(page.get_by_text("Your correction was recorded")).to_be_visible()
    expect(page.locator(f"#update-{register['first'].pk}")).to_contain_text("Corrected")
    expect(
        page.locator(f"#update-{register['first'].pk}").get_by_role("link", name="Correct this")
    ).to_have_count(0)
    correction = StatusUpdate.objects.get(corrects=register["first"])
    assert (correction.status, correction.progress) == ("in_progress", 60)


def test_an_analyst_completes_a_milestone_from_the_commitment_page(
    page, live_server, browser_login, analyst, register
):
    fighter = register["fighter"]
    browser_login(analyst, fighter.get_absolute_url())
    page.get_by_role("link", name="Complete “Development contract signed”").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mark “Development contract signed” completed"
    )
    page.get_by_label("Completed on").fill("2026-03-02")
    page.get_by_label("January briefing").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Mark completed").click()

    expect(page).to_have_url(f"{live_server.url}{fighter.get_absolute_url()}")
    expect(page.get_by_text("Milestone completed: Development contract signed.")).to_be_visible()
    expect(page.locator(f"#milestone-{register['milestone'].pk}")).to_contain_text("completed")
    expect(page.get_by_role("link", name=re.compile("^Complete"))).to_have_count(0)
    assert Milestone.objects.get().completed_on == dt.date(2026, 3, 2)


def test_a_reader_sees_no_actions(page, live_server, register):
    page.goto(f"{live_server.url}{register['fighter'].get_absolute_url()}")
    expect(page.get_by_role("link", name="Correct this update")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Complete"))).to_have_count(0)
    page.goto(f"{live_server.url}/commitments/")
    expect(page.locator('input[name="c"]')).to_have_count(0)


# -- several at once, from the list ----------------------------------------------------------------
def test_an_analyst_records_one_update_for_several_from_the_list(
    page, live_server, browser_login, analyst, register
):
    browser_login(analyst, "/commitments/?party=italy")
    page.get_by_label("Select “Build offshore wind”").check()
    page.get_by_label("Select “Exchange students”").check()
    page.get_by_role("button", name="Record an update for the selected").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record an update for 2 commitments")
    assert serious_violations(page) == []
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("20")
    page.get_by_label("Effective date").fill("2026-03-03")
    page.get_by_label("Why (rationale)").fill("The joint working group met and set a plan.")
    page.get_by_label("Cite their shared source").check()
    page.get_by_role("button", name="Record the update for 2 commitments").click()

    expect(page).to_have_url(f"{live_server.url}/commitments/?party=italy")
    expect(
        page.get_by_text("Recorded In progress at 20%, effective 3 Mar 2026, for 2")
    ).to_be_visible()
    updates = StatusUpdate.objects.filter(rationale__startswith="The joint working group")
    assert sorted(u.commitment.title for u in updates) == [
        "Build offshore wind",
        "Exchange students",
    ]
    cited = Evidence.objects.get(title="Italy–Japan joint statement")
    assert cited.status_updates.count() == 2


def test_a_refused_commitment_is_named_and_nothing_is_saved(
    page, live_server, browser_login, analyst, register, make
):
    make.commitment(
        "Announced in March",
        parties=[register["fighter"].parties.get().actor],
        announced_on=dt.date(2026, 3, 20),
        announced_precision="day",
    )
    browser_login(analyst, "/commitments/?party=italy")
    page.get_by_label("Select “Build offshore wind”").check()
    page.get_by_label("Select “Announced in March”").check()
    page.get_by_role("button", name="Record an update for the selected").click()
    page.get_by_label("Status", exact=True).select_option(label="Not started")
    page.get_by_label("Effective date").fill("2026-03-03")
    page.get_by_label("Why (rationale)").fill("Nothing yet.")
    page.locator("#id_new-0-title").fill("Working group minutes")
    page.get_by_role("button", name="Record the update for 2 commitments").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("“Announced in March”: The effective date cannot be")
    expect(page.locator("#selected-announced-in-march")).to_contain_text("Not recorded")
    assert not StatusUpdate.objects.filter(rationale="Nothing yet.").exists()
    assert not Evidence.objects.filter(title="Working group minutes").exists()


def test_an_analyst_goes_on_to_the_next_commitment_of_the_list(
    page, live_server, browser_login, analyst, register
):
    browser_login(analyst, "/commitments/?party=italy")
    page.get_by_role("link", name="Record an update for “Build offshore wind”").click()
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Why (rationale)").fill("Tender opened.")
    page.get_by_label("Cite this commitment's source").check()
    page.get_by_role("button", name="Record the update").click()

    expect(page.get_by_text("Next in this list:")).to_be_visible()
    page.get_by_role("link", name="Exchange students").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a status update")
    expect(page.get_by_role("link", name="Exchange students", exact=True)).to_be_visible()
    page.get_by_label("Status", exact=True).select_option(label="Not started")
    page.get_by_label("Why (rationale)").fill("Nothing yet.")
    page.get_by_label("Cite this commitment's source").check()
    page.get_by_role("button", name="Record the update").click()
    expect(page.get_by_text("That was the last in")).to_be_visible()


# -- evidence once, used many times --------------------------------------------------------------
def test_an_analyst_finds_and_picks_evidence_of_another_commitment(
    page, live_server, browser_login, analyst, register
):
    fighter = register["fighter"]
    path = reverse("commitment_update", args=[fighter.slug])
    browser_login(analyst, path)
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_label("Why (rationale)").fill("The development contract was awarded.")
    page.get_by_label("Find recorded evidence").fill("gcap contract")
    page.get_by_role("button", name="Find evidence").click()

    # The same form, everything kept, the match offered, no messages and nothing saved.
    expect(page.get_by_role("status")).to_contain_text("1 recorded item of other commitments")
    expect(page.get_by_label("Why (rationale)")).to_have_value(
        "The development contract was awarded."
    )
    expect(page.get_by_label("Progress (%)")).to_have_value("40")
    expect(page.locator("#error-summary")).to_have_count(0)
    assert StatusUpdate.objects.count() == 1
    assert serious_violations(page) == []

    page.get_by_label(re.compile("^GCAP development contract awarded")).check()
    page.get_by_role("button", name="Record the update").click()

    expect(page).to_have_url(f"{live_server.url}{fighter.get_absolute_url()}")
    update = StatusUpdate.objects.latest("id")
    assert list(update.evidence.all()) == [register["contract"]]
    expect(page.locator("#evidence-heading + table")).to_contain_text(
        "GCAP development contract awarded"
    )


def test_a_link_already_recorded_is_offered_instead_of_a_second_copy(
    page, live_server, browser_login, analyst, register
):
    fighter = register["fighter"]
    browser_login(analyst, reverse("commitment_update", args=[fighter.slug]))
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Why (rationale)").fill("Contract awarded.")
    page.locator("#id_new-0-title").fill("Contract awarded to the consortium")
    page.locator("#id_new-0-url").fill(RECORDED_URL)
    page.get_by_role("button", name="Record the update").click()

    expect(page.locator("#evidence")).to_contain_text(
        "This link is already recorded as “GCAP development contract awarded”: it is ticked "
        "below; clear the new row to use it, or change the link."
    )
    expect(page.get_by_label(re.compile("^GCAP development contract awarded"))).to_be_checked()
    page.locator("#id_new-0-title").fill("")
    page.locator("#id_new-0-url").fill("")
    page.get_by_role("button", name="Record the update").click()

    expect(page).to_have_url(f"{live_server.url}{fighter.get_absolute_url()}")
    assert Evidence.objects.filter(url=RECORDED_URL).count() == 1
    assert list(StatusUpdate.objects.latest("id").evidence.all()) == [register["contract"]]


# -- errors a keyboard user finds --------------------------------------------------------------------
def test_the_error_summary_takes_the_focus_and_its_links_move_to_the_fields(
    page, live_server, browser_login, analyst, register
):
    fighter = register["fighter"]
    browser_login(analyst, reverse("commitment_update", args=[fighter.slug]))
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("150")
    page.get_by_label("Why (rationale)").fill("")
    page.get_by_role("button", name="Record the update").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    assert page.title().startswith("Error: ")
    assert serious_violations(page) == []

    summary.get_by_role("link", name="This field is required.").click()
    assert focused_id(page) == "id_rationale"
    page.get_by_label("Why (rationale)").fill("Contract signed.")
    page.get_by_role("button", name="Record the update").click()

    # Now the service's rules: the progress, and evidence, which links to its fieldset.
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Progress must be between 0 and 100.").click()
    assert focused_id(page) == "id_progress"
    summary.get_by_role("link", name=re.compile("needs at least one evidence item")).click()
    assert page.url.endswith("#evidence")
    expect(page.locator("#evidence")).to_be_in_viewport()
    # Each message also stays next to its field.
    expect(page.locator("#id_progress_error")).to_have_text("Progress must be between 0 and 100.")
    expect(page.locator("#evidence .field-error")).to_contain_text("needs at least one evidence")


def test_the_completion_and_milestone_forms_focus_their_summaries(
    page, live_server, browser_login, analyst, register
):
    fighter = register["fighter"]
    complete = reverse("milestone_complete", args=[fighter.slug, register["milestone"].pk])
    browser_login(analyst, complete)
    page.get_by_label("Completed on").fill("2026-03-02")
    page.get_by_role("button", name="Mark completed").click()
    expect(page.locator("#error-summary")).to_be_focused()
    page.locator("#error-summary").get_by_role("link").click()
    assert page.url.endswith("#evidence")

    page.goto(f"{live_server.url}{reverse('milestone_add', args=[fighter.slug])}")
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.locator("#error-summary")).to_be_focused()
    page.locator("#error-summary").get_by_role("link", name="This field is required.").click()
    assert focused_id(page) == "id_title"
    assert serious_violations(page) == []


def test_the_new_pages_have_no_serious_accessibility_violations(
    page, live_server, browser_login, analyst, register
):
    fighter = register["fighter"]
    browser_login(analyst, "/commitments/?party=italy")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}{fighter.get_absolute_url()}")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/activity/")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}{reverse('update_several')}")
    assert serious_violations(page) == []


def test_the_new_pages_keep_to_the_content_security_policy(
    page, live_server, browser_login, csp_refusals, analyst, register
):
    refusals = csp_refusals
    fighter = register["fighter"]
    browser_login(analyst, "/")
    several = reverse("update_several") + f"?c={fighter.slug}&c={register['wind'].slug}"
    for path in ["/commitments/", fighter.get_absolute_url(), several]:
        visit(page, refusals, f"{live_server.url}{path}")
    # A search, then a failed save: the results, the summary and its focus.
    visit(page, refusals, f"{live_server.url}{reverse('commitment_update', args=[fighter.slug])}")
    page.get_by_label("Find recorded evidence").fill("contract")
    page.get_by_role("button", name="Find evidence").click()
    page.get_by_label("Why (rationale)").fill("")
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator("#error-summary")).to_be_focused()
    record_events(page, refusals)
    assert refusals == {}
