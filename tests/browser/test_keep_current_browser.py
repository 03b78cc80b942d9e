"""The review queue and the watching page in a real Chromium: an analyst marks a review
from the queue, an Editor assigns reviews from the list, a reader follows a theme and
sets the digest; each page passes axe (no serious or critical violations) and keeps to
the Content Security Policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commitments import services
from commitments.models import Commitment, DigestSubscription, StatusUpdate, Watch
from tests.browser.test_analyst_browser import serious_violations
from tests.browser.test_csp_browser import LISTEN, REFUSALS, record_events

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def refusals(page):
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


@pytest.fixture
def due_reviews(make):
    today = timezone.localdate()
    defence = make.theme("Defence")
    late = make.commitment(
        "Deliver a next-generation fighter", themes=[defence], deadline=today - dt.timedelta(days=5)
    )
    services.record_status_update(
        commitment=late,
        status="in_progress",
        rationale="Contract signed.",
        evidence=[make.evidence(late, title="Contract notice")],
        by=None,
        effective_on=today - dt.timedelta(days=60),
    )
    calm = make.commitment("Exchange students", deadline=today + dt.timedelta(days=400))
    Commitment.objects.update(next_review_on=today)
    return {"late": late, "calm": calm, "defence": defence}


def test_it_lets_an_analyst_mark_a_review_from_the_queue(
    page, live_server, browser_login, analyst, due_reviews, refusals
):
    browser_login(analyst, "/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My review queue")
    rows = page.locator("table.review-table tbody tr")
    expect(rows.first).to_contain_text("Deliver a next-generation fighter")  # overdue first
    assert serious_violations(page) == []

    first = page.locator(f"#review-{due_reviews['late'].slug}")
    first.get_by_label("What you checked").fill("Read the ministry's report: nothing new.")
    first.get_by_role("button", name="Mark reviewed, no change").click()

    expect(
        page.get_by_text("Recorded a review of “Deliver a next-generation fighter”")
    ).to_be_visible()
    expect(page.locator(f"#review-{due_reviews['late'].slug}")).to_have_count(0)
    entry = StatusUpdate.objects.filter(commitment=due_reviews["late"]).first()
    assert entry.review and entry.recorded_by == analyst
    assert serious_violations(page) == []
    record_events(page, refusals)
    assert refusals == {}


def test_it_lets_an_editor_assign_reviews_from_the_list(
    page, live_server, browser_login, editor, analyst, due_reviews, refusals
):
    browser_login(editor, "/commitments/")
    page.get_by_label("Select “Exchange students”").check()
    page.get_by_role("button", name="Assign the selected for review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Assign reviews")
    assert serious_violations(page) == []
    page.get_by_label("Assign to").select_option(label=analyst.get_username())
    page.get_by_role("button", name="Assign").click()

    expect(page.get_by_text(f"Assigned 1 review to {analyst.get_username()}.")).to_be_visible()
    assert Commitment.objects.get(pk=due_reviews["calm"].pk).review_assignee == analyst
    record_events(page, refusals)
    assert refusals == {}


def test_it_lets_a_reader_follow_a_theme_and_set_the_digest(
    page, live_server, browser_login, reader, due_reviews, refusals
):
    browser_login(reader, f"/themes/{due_reviews['defence'].slug}/")
    page.get_by_role("button", name="Follow this theme").click()

    expect(page.get_by_text("Followed.")).to_be_visible()
    page.goto(f"{live_server.url}/watching/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Watching")
    expect(page.get_by_role("link", name="Defence")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your digest settings are saved.")).to_be_visible()
    assert DigestSubscription.objects.get(user=reader).frequency == "weekly"
    assert Watch.objects.get(user=reader).theme == due_reviews["defence"]
    assert serious_violations(page) == []
    record_events(page, refusals)
    assert refusals == {}
