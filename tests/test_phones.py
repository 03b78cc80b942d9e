"""The timeline's starts and titles, the list's filters folded for phones, menus that
read "Any", and icons drawn in CSS rather than with symbol glyphs."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from commitments import charts, services
from commitments.choices import HEALTH_STYLE, STATUS_STYLE, Health, Status
from commitments.filters import CommitmentFilterSet
from commitments.params import Params
from commitments.selectors.timeline import timeline_rows

pytestmark = pytest.mark.django_db


def drawn(day: dt.date) -> dict:
    scope = CommitmentFilterSet({}, day=day).qs
    data = charts.timeline_chart(timeline_rows(scope, day), Params({}, day), day)
    return {row["title"]: row for row in data["rows"] if "group" not in row}


# -- timeline ---------------------------------------------------------------------------
def test_it_starts_a_bar_at_the_source_date_when_no_announcement_is_recorded(make, frozen_clock):
    source = make.source("Old statement", date=dt.date(2020, 5, 1))
    make.commitment("From source", source=source, deadline=dt.date(2030, 1, 1), precision="year")

    row = drawn(frozen_clock.date())["From source"]

    assert row["start"] == dt.date(2020, 5, 1)
    assert row["open_start"] is False


def test_it_draws_an_open_start_never_today_without_a_start_date(make, frozen_clock, client):
    make.commitment("Undated", deadline=dt.date(2030, 12, 31), precision="year")
    today = frozen_clock.date()

    row = drawn(today)["Undated"]

    assert row["start"] is None
    assert row["open_start"] is True
    assert row["width"] == charts.OPEN_START_WIDTH
    assert row["x"] == row["end_x"] - charts.OPEN_START_WIDTH
    html = client.get("/").content.decode()
    assert "timeline-bar is-open-start" in html
    assert "no announcement or source date recorded" in html
    assert "<td>Not recorded</td>" in html
    assert today.strftime("%-d %b %Y") not in html.split("<caption>Commitments by deadline")[1]


def test_it_shows_the_full_title_on_hover_focus_and_in_the_table(make, frozen_clock, client):
    long = "Establish a joint working group on the resilience of semiconductor supply chains"
    make.commitment(long, deadline=dt.date(2030, 12, 31), precision="year")

    row = drawn(frozen_clock.date())[long]
    html = client.get("/").content.decode()

    assert len(row["short_title"]) <= charts.TITLE_CHARS
    assert row["short_title"].endswith("…")
    assert (
        f'<text x="14" y="{row["text_y"]}" class="timeline-label full-title">{long}</text>' in html
    )
    assert f"<title>{long}: " in html
    assert (
        f'<th scope="row"><a href="/commitments/{row["url"].split("/")[2]}/">{long}</a></th>'
        in html
    )


def test_it_keeps_a_title_that_fits_as_it_is(make, frozen_clock):
    make.commitment("x" * charts.TITLE_CHARS, deadline=dt.date(2030, 12, 31), precision="year")

    row = drawn(frozen_clock.date())["x" * charts.TITLE_CHARS]

    assert row["short_title"] == row["title"]


def test_it_scales_no_chart_below_12px_on_a_phone():
    with open("static/css/dashboard.css", encoding="utf-8") as file:
        css = file.read()
    phone = css[css.index("@media (max-width: 600px)") :]
    assert ".chart-scroll .chart-svg { width: 1000px; max-width: none; }" in phone
    # Drawn at its own width, a chart's text is its font size: none below 12px there.
    sizes = [float(n) for n in re.findall(r"font-size:\s*([\d.]+)px", phone.split("}\n}")[0])]
    assert sizes and min(sizes) >= 12
    with open("templates/commitments/dashboard/_breakdown.html", encoding="utf-8") as file:
        assert 'viewBox="0 0 1000 ' in file.read()
    assert charts.TIMELINE_WIDTH == charts.TREND_WIDTH == 1000


# -- the list's filters -----------------------------------------------------------------
def test_it_folds_the_filters_into_a_closed_details_above_the_results(client, make):
    make.commitment("One")

    html = client.get("/commitments/?kind=deliverable").content.decode()

    fold = html.index('<details class="filter-fold">')
    assert fold < html.index('<form method="get" class="form filters"') < html.index("result-count")
    assert 'Filter and sort <span class="muted">(1 active)</span></summary>' in html
    assert '<script src="/static/js/filters.js" defer></script>' in html


def test_it_opens_the_filters_when_one_needs_correcting(client, db):
    html = client.get("/commitments/?deadline_after=soon").content.decode()

    assert '<details class="filter-fold" open>' in html


def test_it_reads_any_in_every_empty_menu(client, make):
    make.commitment("One", themes=[make.theme()], parties=[make.actor()], source=make.source())

    html = client.get("/commitments/").content.decode()

    for name in ("health", "theme", "party", "source", "kind", "has_evidence"):
        menu = html[html.index(f'name="{name}"') :].split("</select>")[0]
        assert '<option value="" selected>Any</option>' in menu, name
    assert "---------" not in html
    assert "Either" not in html


# -- icons ------------------------------------------------------------------------------
GLYPHS = {s["icon"] for s in [*STATUS_STYLE.values(), *HEALTH_STYLE.values()]} | {"×"}
SYMBOLS = [g for g in GLYPHS if not g.isascii()]


def test_it_has_a_css_icon_for_every_status_and_health(db):
    with open("static/css/icons.css", encoding="utf-8") as file:
        css = file.read()

    for key in Status.values:
        assert f".icon-status-{key}" in css, key
    for key in Health.values:
        assert f".icon-health-{key}" in css, key
    assert not [g for g in SYMBOLS if g in css]


# Arrows, shapes, dingbats and emoji: what a missing font turns into boxes.
SYMBOL_BLOCKS = re.compile("[\u2190-\u2bff\U0001f300-\U0001faff\u00d7]")


def test_it_draws_icons_arrows_and_boxes_without_symbol_glyphs(client, make, frozen_clock):
    late = make.commitment(
        "Late", deadline=dt.date(2026, 1, 1), themes=[make.theme()], parties=[make.actor()]
    )
    services.add_milestone(
        commitment=late, title="Draft", due_on=dt.date(2025, 12, 31), due_precision="year"
    )
    first = services.record_status_update(
        commitment=late,
        status=Status.IN_PROGRESS,
        by=None,
        rationale="Begun.",
        evidence=[make.evidence(late)],
        effective_on=dt.date(2025, 6, 1),
    )
    services.record_status_update(
        commitment=late,
        status=Status.STALLED,
        by=None,
        rationale="Stopped.",
        evidence=[first.evidence.get()],
        effective_on=dt.date(2025, 7, 1),
    )
    pages = ("/", "/commitments/?kind=deliverable", "/actors/", "/about/", "/activity/")

    for path in (*pages, late.get_absolute_url()):
        html = client.get(path).content.decode()
        assert 'class="icon icon-' in html, path
        assert SYMBOL_BLOCKS.findall(html) == [], path
        assert [g for g in SYMBOLS if g in html] == [], path
    assert 'class="icon icon-box"' in client.get(late.get_absolute_url()).content.decode()
