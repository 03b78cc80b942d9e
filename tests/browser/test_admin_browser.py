"""The admin's commitment forms in a real Chromium: no accessibility violation that
our own templates or widgets cause, and the party picker takes the exact name on Enter."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's own tabular-inline template heads two columns with nothing: the row's name
# and, where rows cannot be deleted, "Delete?". We do not override Django's templates.
DJANGOS_EMPTY_HEADERS = {'<th class="original"></th>', "<th></th>"}


def our_violations(page) -> list[str]:
    found = []
    for violation in Axe().run(page).response["violations"]:
        nodes = [
            node["html"]
            for node in violation["nodes"]
            if not (
                violation["id"] == "empty-table-header" and node["html"] in DJANGOS_EMPTY_HEADERS
            )
        ]
        found += [f"{violation['id']} ({violation['impact']}): {html}" for html in nodes]
    return found


@pytest.fixture
def register(make):
    make.actor("Italy–Japan Business Group", kind="business_group")
    make.actor("Japan")
    make.theme("Defence")
    make.source("Tokyo joint statement")


def test_the_add_commitment_form_has_no_violations_of_our_own(
    page, live_server, browser_login, superuser, register
):
    browser_login(superuser, "/")
    page.goto(f"{live_server.url}{reverse('admin:commitments_commitment_add')}")
    page.wait_for_load_state("networkidle")
    assert our_violations(page) == []
    expect(page.get_by_role("combobox", name="Source")).to_be_visible()

    # With a second party row and values picked, the pickers keep their names.
    page.get_by_role("button", name="Add another Party").click()
    page.get_by_role("combobox", name="Source").click()
    page.locator(".select2-results__option", has_text="Tokyo joint statement").click()
    page.locator(".field-themes .select2-selection").click()
    page.locator(".select2-results__option", has_text="Defence").click()
    page.get_by_role("heading", level=1).click()
    expect(page.locator(".select2-container--open")).to_have_count(0)
    assert our_violations(page) == []
    picked = page.get_by_role("combobox", name=re.compile(r"^Source:? .*Tokyo joint statement"))
    expect(picked).to_be_visible()


def test_the_party_picker_takes_the_exact_name_on_enter(
    page, live_server, browser_login, superuser, register
):
    browser_login(superuser, "/")
    page.goto(f"{live_server.url}{reverse('admin:commitments_commitment_add')}")
    page.locator(".field-actor .select2-selection").first.click()
    with page.expect_response(lambda response: "term=Japan" in response.url):
        page.keyboard.type("Japan")
    page.locator(".select2-results__option", has_text="Italy–Japan Business Group").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#select2-id_parties-0-actor-container")).to_have_text("Japan")


def test_the_change_form_has_no_violations_of_our_own(
    page, live_server, browser_login, superuser, seeded
):
    from commitments.models import Commitment

    commitment = Commitment.objects.get(slug="gcap-next-generation-fighter")
    assert commitment.parties.exists() and commitment.evidence.exists()
    browser_login(superuser, "/")
    page.goto(
        f"{live_server.url}{reverse('admin:commitments_commitment_change', args=[commitment.pk])}"
    )
    page.wait_for_load_state("networkidle")
    assert our_violations(page) == []
