"""Filtering the list and opening a commitment, in a real Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from commitments import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    wind = make.commitment(
        "Build offshore wind",
        parties=[(italy, "lead"), japan],
        themes=[make.theme("Energy")],
        deadline=dt.date(2035, 12, 31),
        precision="year",
        source=make.source(title="Joint statement"),
        quote="We will build offshore wind together.",
    )
    services.record_status_update(
        commitment=wind,
        status="in_progress",
        by=None,
        rationale="Tender opened in spring.",
        evidence=[make.evidence(wind, title="Tender notice")],
        progress=40,
        effective_on=dt.date(2026, 3, 1),
    )
    make.commitment("Exchange students", parties=[japan])
    return wind


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


def test_it_filters_with_the_form_and_removes_a_chip(page, live_server, register):
    page.goto(f"{live_server.url}/commitments/")
    expect(page.locator(".result-count")).to_contain_text("2 commitments match")
    page.locator("#id_party").select_option("italy")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".result-count")).to_contain_text("1 commitment matches")
    assert "party=italy" in page.url
    expect(page.locator("#id_party")).to_have_value("italy")
    page.get_by_role("link", name="Remove filter Party: Italy").click()
    expect(page.locator(".result-count")).to_contain_text("2 commitments match")


def test_it_opens_a_commitment_and_reads_its_history(page, live_server, register):
    page.goto(f"{live_server.url}/commitments/")
    page.get_by_role("link", name="Build offshore wind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build offshore wind")
    expect(page.locator("blockquote")).to_contain_text("We will build offshore wind together.")
    expect(page.locator("#history")).to_contain_text("Tender opened in spring.")


def test_it_has_no_serious_accessibility_violations(page, live_server, register):
    page.goto(f"{live_server.url}/commitments/?party=italy")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}{register.get_absolute_url()}")
    assert serious_violations(page) == []
