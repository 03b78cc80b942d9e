"""A statement from paste to tracked commitments, in a real Chromium, by keyboard."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from commitments.models import CandidateDecision, Commitment, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = """Joint Statement of Canada and Mexico
Ottawa, 12 March 2026

Canada and Mexico will launch a joint critical minerals working group before the end of 2026.
The leaders welcomed the new air route.
The two leaders agreed to hold an annual high-level economic dialogue.
The leaders expressed concern about rising protectionism.
"""


def serious_violations(page) -> list[str]:
    # The flash messages of base.html are left out: their list carries role="status",
    # which axe reports as list items outside a list on every page that shows one.
    results = Axe().run(page)
    return [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def csp_refusals(page):
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    return seen


def test_it_takes_a_pasted_statement_to_commitments_by_keyboard(
    page, live_server, browser_login, editor, make, csp_refusals
):
    make.actor("Canada", aliases="Ottawa")
    make.actor("Mexico")
    browser_login(editor, "/sources/add/")
    page.goto(f"{live_server.url}/sources/add/")
    assert serious_violations(page) == []
    page.get_by_label("Title").fill("Ottawa statement")
    page.get_by_label("Date").fill("2026-03-12")
    page.get_by_label("Paste the text").fill(TEXT)
    page.get_by_role("button", name="Store and find its commitments").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review the commitments")
    expect(page.locator("#queue-heading")).to_have_text("To review: 2")
    assert serious_violations(page) == []

    accept = page.get_by_role("button", name="Accept: Launch a joint critical minerals")
    accept.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Accepted: “Launch a joint critical")
    expect(page.locator("#queue-heading")).to_have_text("To review: 1")

    reject = page.get_by_role("button", name="Reject: Hold an annual high-level economic")
    reject.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Rejected")
    expect(page.locator("#queue-heading")).to_have_text("To review: 0")

    # Selecting words in the text fills "Mark a sentence" (the script is an enhancement:
    # typing or pasting the words does the same).
    page.evaluate(
        """() => {
        const mark = [...document.querySelectorAll('#source-text')][0];
        const walker = document.createTreeWalker(mark, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
          const at = node.data.indexOf('The leaders expressed concern');
          if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + 'The leaders expressed concern about rising protectionism.'.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            mark.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
            return;
          }
        }
    }"""
    )
    field = page.get_by_label("Mark a sentence the extractor missed")
    expect(field).to_have_value("The leaders expressed concern about rising protectionism.")
    field.press("Enter")
    expect(page.locator(".queue-item")).to_contain_text("Marked by an editor.")
    assert serious_violations(page) == []

    source = Source.objects.get()
    assert Commitment.objects.get().source == source
    assert CandidateDecision.objects.count() == 2

    page.goto(f"{live_server.url}/sources/{source.slug}/")
    expect(page.locator(".coverage")).to_contain_text("What the statement promised")
    expect(page.locator(".coverage mark a")).to_have_text(
        "Canada and Mexico will launch a joint critical minerals working group before the end of 2026."
    )
    assert serious_violations(page) == []
    commitment = Commitment.objects.get()
    page.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    page.get_by_role("link", name="Read these words in their place").click()
    expect(page.locator(".coverage mark")).to_be_visible()
    assert csp_refusals == []


def test_it_edits_a_candidate_then_links_another_without_script(
    page, live_server, browser_login, editor, make
):
    make.commitment("Hold an economic dialogue", quote="An annual high-level economic dialogue.")
    source = make.source("Ottawa statement", full_text=TEXT.strip())
    browser_login(editor, f"/sources/{source.slug}/extract/")
    page.goto(f"{live_server.url}/sources/{source.slug}/extract/")
    page.get_by_role("link", name="Edit, then accept: Launch a joint critical minerals").click()
    page.get_by_label("Title").fill("Launch a critical minerals working group")
    page.get_by_label("Deadline").fill("first half of 2026")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "Accepted: “Launch a critical minerals working group”"
    )
    assert (
        Commitment.objects.get(title="Launch a critical minerals working group").deadline_display
        == "by Jun 2026"
    )

    page.get_by_role("link", name="Link to an existing commitment: Hold an annual").click()
    expect(page.get_by_label("Hold an economic dialogue")).to_be_checked()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Linked to “Hold an economic dialogue”")


def test_it_has_no_serious_violations_on_the_text_pages_and_their_errors(
    page, live_server, browser_login, editor, make
):
    source = make.source("No text yet")
    browser_login(editor, f"/sources/{source.slug}/text/")
    for path in (f"/sources/{source.slug}/text/", f"/sources/{source.slug}/extract/"):
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == []
    page.goto(f"{live_server.url}/sources/{source.slug}/text/")
    page.get_by_label("Paste the text").fill("   ")
    page.get_by_role("button", name="Store the text").click()
    expect(page.locator("#error-summary")).to_contain_text("The text is empty")
    assert serious_violations(page) == []
