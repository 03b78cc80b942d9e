"""A commitment read in Italian in a real Chromium: its Italian title, and the note
saying a commitment without an Italian translation is shown in the original."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from commitments.services.translations import set_translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # The browser asks for Italian, as an Italian reader's does.
    return {**browser_context_args, "locale": "it-IT"}


@pytest.fixture
def in_italian(settings):
    # Italian is the language pages are read in when the browser's choice is not read
    # from the request.
    settings.LANGUAGE_CODE = "it"


@pytest.fixture
def register(make):
    gcap = make.commitment(
        "Deliver a next-generation fighter by 2035",
        quote="We will deliver a next-generation fighter by 2035.",
        source=make.source(title="Joint statement"),
    )
    set_translation(
        commitment=gcap,
        language="it",
        title="Realizzare entro il 2035 un caccia di nuova generazione",
        quote="Realizzeremo entro il 2035 un caccia di nuova generazione.",
        translated_by="Tracker editors",
    )
    students = make.commitment("Exchange students")
    return gcap, students


def test_it_shows_the_italian_title_and_the_original_quote(page, live_server, register, in_italian):
    gcap, _students = register
    page.goto(f"{live_server.url}{gcap.get_absolute_url()}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Realizzare entro il 2035 un caccia di nuova generazione")
    expect(heading).to_have_attribute("lang", "it")
    expect(page.locator("[data-language-note=translated]")).to_contain_text("Tracker editors")
    expect(page.locator("blockquote[lang=it]")).to_contain_text("Realizzeremo entro il 2035")
    expect(page.locator("blockquote[lang=en]")).to_contain_text(
        "We will deliver a next-generation fighter by 2035."
    )
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_it_notes_a_commitment_shown_in_the_original(page, live_server, register, in_italian):
    _gcap, students = register
    page.goto(f"{live_server.url}/commitments/")
    page.locator("a[lang=en]", has_text="Exchange students").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exchange students")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
    expect(page.locator("[data-language-note=original]")).to_be_visible()
