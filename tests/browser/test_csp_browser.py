"""Every main page keeps to the Content Security Policy in a real Chromium: no inline
style or script is refused (the policy allows neither)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from commitments.models import Commitment, Milestone, Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSALS = (
    "Content Security Policy",
    "Refused to apply inline style",
    "Refused to execute inline script",
)

# Chromium also reports each refusal as a DOM event; record those too, with what was refused.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} refused ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


@pytest.fixture
def refusals(page):
    """Console messages and violation events that name the policy, page by page."""
    seen: dict[str, list[str]] = {}
    page.add_init_script(LISTEN)

    def on_console(message):
        if any(words in message.text for words in REFUSALS):
            seen.setdefault(page.url, []).append(message.text)

    page.on("console", on_console)
    return seen


def record_events(page, refusals) -> None:
    events = page.evaluate("window.__cspViolations")
    if events:
        refusals.setdefault(page.url, []).extend(events)


def visit(page, refusals, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    assert "content-security-policy" in response.headers
    page.wait_for_load_state("networkidle")
    record_events(page, refusals)


@pytest.fixture
def commitment(seeded):
    """A seeded commitment with a history, a progress bar and a milestone to show."""
    commitment = (
        Commitment.objects.exclude(progress=None).filter(updates__isnull=False).distinct().first()
    )
    Milestone.objects.create(
        commitment=commitment,
        title="First review",
        due_on=dt.date(2027, 3, 31),
        due_precision="month",
    )
    return commitment


def test_it_shows_the_public_pages_without_refusing_anything(
    page, live_server, refusals, commitment
):
    paths = [
        "/",
        "/?since=2025-01-01",
        "/commitments/",
        commitment.get_absolute_url(),
        "/activity/",
        "/actors/",
        "/themes/",
        "/sources/",
        "/api/docs/",
        reverse("login"),
    ]
    for path in paths:
        visit(page, refusals, f"{live_server.url}{path}")
    assert refusals == {}


def test_it_shows_an_analysts_update_form_without_refusing_anything(
    page, live_server, browser_login, refusals, analyst, commitment
):
    update = reverse("commitment_update", args=[commitment.slug])
    browser_login(analyst, update)
    visit(page, refusals, f"{live_server.url}{update}")
    assert page.get_by_role("heading", level=1).inner_text() == "Record a status update"
    assert refusals == {}


def test_it_shows_the_admin_without_refusing_anything(
    page, live_server, browser_login, refusals, superuser, commitment
):
    browser_login(superuser, "/")
    for path in [
        reverse("admin:index"),
        reverse("admin:commitments_commitment_changelist"),
        reverse("admin:commitments_commitment_change", args=[commitment.pk]),
        reverse("admin:commitments_commitment_add"),
        reverse("admin:commitments_theme_changelist"),
        reverse("admin:commitments_theme_change", args=[Theme.objects.first().pk]),
    ]:
        visit(page, refusals, f"{live_server.url}{path}")
    # The change form's scripts at work: an autocomplete opens, an inline row is added.
    page.goto(
        f"{live_server.url}{reverse('admin:commitments_commitment_change', args=[commitment.pk])}"
    )
    page.locator(".field-themes .select2-selection").click()
    page.locator(".select2-results__option").first.wait_for()
    page.keyboard.press("Escape")
    rows = page.locator("#parties-group tbody tr.form-row").count()
    page.get_by_role("button", name="Add another Party").click()
    assert page.locator("#parties-group tbody tr.form-row").count() == rows + 1
    record_events(page, refusals)
    assert refusals == {}
