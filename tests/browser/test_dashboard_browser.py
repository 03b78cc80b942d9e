"""The dashboard in a real Chromium: its charts render, it is accessible, it prints as a
briefing, and a tile leads to a list that shows the same count."""

from __future__ import annotations

import re

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from tests.test_dashboard import TODAY, build_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(make):
    """The hand-built register, seen on 15 June 2026 (the clock keeps ticking)."""
    register = build_register(make)
    with time_machine.travel(TODAY, tick=True):
        yield register


def test_it_renders_its_charts(page, live_server, register):
    page.goto(f"{live_server.url}/")

    for group in ("theme", "party", "source"):
        chart = page.locator(f"#breakdown-{group}")
        assert chart.locator("svg.chart-svg > title").count() >= 1
        assert chart.locator("a.segment rect").count() >= 1
        assert chart.locator(".chart-summary").inner_text()
        box = chart.locator("svg.chart-svg").bounding_box()
        assert box["width"] > 300 and box["height"] > 20

    timeline = page.locator("#timeline")
    assert timeline.locator("a.timeline-bar").count() == 5
    assert timeline.locator("a.timeline-bar.is-overdue").count() == 1
    assert timeline.locator("line.today-line").count() == 1
    assert page.locator("#trend polyline").count() == 1

    # Each chart's numbers are a table behind a toggle.
    table = page.locator("#breakdown-theme details table")
    assert not table.is_visible()
    page.locator("#breakdown-theme details summary").click()
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 2

    # Fills are SVG patterns, so statuses differ in texture as well as colour.
    assert page.locator("svg.svg-defs pattern").count() == 7
    fills = page.locator("#breakdown-theme a.segment rect").evaluate_all(
        "rects => rects.map(r => r.getAttribute('fill'))"
    )
    assert all(fill.startswith("url(#pat-") for fill in fills)


def test_it_has_no_serious_accessibility_violations(page, live_server, register):
    page.goto(f"{live_server.url}/?since=2025-12-31")
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_it_prints_as_a_briefing_with_its_date_and_filters(page, live_server, register):
    page.goto(f"{live_server.url}/?theme=defence&as_of=2025-12-31")
    page.emulate_media(media="print")
    assert not page.locator("form.dashboard-filters").is_visible()
    assert not page.locator(".site-header").is_visible()
    meta = page.locator(".print-meta")
    assert meta.is_visible()
    text = meta.inner_text()
    assert "31 December 2025" in text
    assert "Theme: Defence" in text
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_it_travels_in_time_and_back(page, live_server, register):
    page.goto(f"{live_server.url}/?as_of=2025-12-31&theme=defence")
    banner = page.get_by_test_id("time-travel-banner")
    assert "31 December 2025" in banner.inner_text()
    banner.get_by_role("link", name="Back to today").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("time-travel-banner").count() == 0
    assert re.search(r"theme=defence", page.url)
    assert "as_of" not in page.url


def _list_has_landed() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/commitments/")
    except Resolver404:
        return False
    return True


@pytest.mark.parametrize("tile", ["status-in_progress", "health-overdue", "all"])
def test_it_lands_a_tile_click_on_a_list_with_the_same_count(page, live_server, register, tile):
    if not _list_has_landed():
        pytest.skip("The list at /commitments/ is not in this checkout yet.")
    page.goto(f"{live_server.url}/?party=japan")
    link = page.locator(f'[data-tile="{tile}"] a.tile-link')
    expected = int(link.locator(".tile-count").inner_text())
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(href)
    result_count = page.locator(".result-count")
    where = result_count if result_count.count() else page.locator("main")
    counted = re.search(r"\b(\d+) commitments?\b", where.first.inner_text())
    assert counted, "the list shows how many commitments match"
    assert int(counted.group(1)) == expected
