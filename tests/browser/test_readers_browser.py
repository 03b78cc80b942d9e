"""What readers see in a real Chromium: the methodology page, the indexes, the list and
dashboard on a phone, the printed dashboard, the timeline's titles and the API docs,
each free of serious accessibility violations."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from commitments import services
from commitments.choices import Kind, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
LONG = "Establish a joint working group on the resilience of semiconductor supply chains"


@pytest.fixture
def register(make):
    italy, japan = make.actor("Italy", aliases="Nippon's partner"), make.actor("Japan")
    energy = make.theme("Energy")
    source = make.source(title="Joint statement", date=dt.date(2025, 1, 10))
    wind = make.commitment(
        LONG,
        parties=[(italy, "lead"), japan],
        themes=[energy],
        deadline=dt.date(2030, 12, 31),
        precision="year",
        source=source,
    )
    standing = make.commitment(
        "Uphold the rule of law", kind=Kind.STANDING, parties=[japan], themes=[energy]
    )
    first = services.record_status_update(
        commitment=standing,
        status=Status.IN_PROGRESS,
        by=None,
        rationale="Started.",
        evidence=[make.evidence(standing)],
        effective_on=dt.date(2025, 9, 1),
    )
    services.record_status_update(
        commitment=standing,
        status=Status.ACHIEVED,
        by=None,
        rationale="Reaffirmed.",
        evidence=[make.evidence(standing, url="https://example.org/2")],
        effective_on=dt.date(2025, 9, 1),
        corrects=first,
    )
    make.commitment("Undated promise", parties=[italy], deadline=dt.date(2031, 6, 30))
    return {"wind": wind, "standing": standing}


def serious_violations(page, theirs=()) -> list[str]:
    """Serious and critical axe findings, less `theirs`: (rule, selector part) pairs of
    markup a library draws (Swagger UI's), which our templates cannot change."""
    results = Axe().run(page)
    found = []
    for v in results.response["violations"]:
        if v["impact"] not in ("serious", "critical"):
            continue
        targets = [str(n["target"]) for n in v["nodes"]]
        ours = [t for t in targets if not any(v["id"] == r and p in t for r, p in theirs)]
        if ours:
            found.append(f"{v['id']}: {ours[:3]}")
    return found


# Swagger UI puts a copy button inside each operation's summary button.
SWAGGER_UI_MARKUP = [("nested-interactive", ".opblock-summary-control")]


def test_it_reaches_the_methodology_page_from_the_footer(page, live_server, register):
    page.goto(f"{live_server.url}/commitments/")
    page.get_by_role("link", name="How the tracker works").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("How the tracker works")
    expect(page.locator("#kind-standing + dd")).to_contain_text(
        "“In force / upheld” counts as Achieved"
    )
    assert serious_violations(page) == []


def test_it_shows_the_indexes_from_the_menu_without_violations(page, live_server, register):
    page.goto(f"{live_server.url}/")
    for name, heading in (("Actors", "Actors"), ("Themes", "Themes"), ("Sources", "Sources")):
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert serious_violations(page) == [], name
    page.goto(f"{live_server.url}/actors/")
    page.locator('a[href="/commitments/?party=italy&status=not_rated"]').click()
    expect(page.locator(".result-count")).to_contain_text("2 commitments match")


def test_it_folds_the_filters_on_a_phone_and_opens_them_on_a_wide_screen(
    page, live_server, register
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/commitments/")
    fold = page.locator("details.filter-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(page.locator("#id_party")).to_be_hidden()
    page.locator("details.filter-fold > summary").click()
    page.locator("#id_party").select_option("italy")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".result-count")).to_contain_text("2 commitments match")
    assert serious_violations(page) == []

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/commitments/")
    expect(page.locator("#id_party")).to_be_visible()
    expect(page.locator("#id_party option:checked")).to_have_text("Any")


def test_it_draws_chart_labels_of_12px_or_more_on_a_phone(page, live_server, register):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")

    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.chart-svg')].flatMap((svg) => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')]
              .filter((t) => t.getBoundingClientRect().width > 0)
              .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        })"""
    )
    assert sizes and min(sizes) >= 12
    assert serious_violations(page) == []


def test_it_shows_a_full_timeline_title_on_focus_and_an_open_start(page, live_server, register):
    page.goto(f"{live_server.url}/")
    bar = page.locator(f'.timeline-bar[href="{register["wind"].get_absolute_url()}"]')
    full = bar.locator(".full-title")
    expect(full).to_be_hidden()
    bar.focus()
    expect(full).to_be_visible()
    expect(full).to_have_text(LONG)
    expect(page.locator(".timeline-bar.is-open-start")).to_have_count(1)


def test_it_prints_the_dashboard_without_the_click_hint(page, live_server, register):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Click a segment for its list.")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.get_by_text("Click a segment for its list.")).to_be_hidden()


def test_it_draws_icons_that_take_up_room_without_a_font(page, live_server, register):
    page.goto(f"{live_server.url}/commitments/")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.badge .icon')].map((i) => {
            const r = i.getBoundingClientRect(); return [r.width, r.height, i.textContent];
        })"""
    )
    assert boxes and all(w > 0 and h > 0 and text == "" for w, h, text in boxes)


def test_it_shows_the_corrected_badge_without_violations(page, live_server, register):
    page.goto(f"{live_server.url}{register['standing'].get_absolute_url()}")

    expect(page.locator(".badge-corrected")).to_have_text("Corrected")
    expect(page.locator(".badge-status").first).to_contain_text("In force / upheld · Achieved")
    assert serious_violations(page) == []


def test_it_serves_the_api_docs_without_violations_from_our_templates(page, live_server, db):
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    page.wait_for_selector(".opblock-summary-control")

    assert page.locator("html").get_attribute("lang") == "en"
    assert serious_violations(page, theirs=SWAGGER_UI_MARKUP) == []
