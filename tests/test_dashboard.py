"""Every number on the dashboard, against a register built by hand.

The register (today is 15 June 2026):

=========  ===============  ============  ==========  ===========================
title      themes           parties       deadline    history -> today
=========  ===============  ============  ==========  ===========================
Fighter    Defence          UK, Japan     2035        in progress 40% (May 2026)
Port       Economy          Japan         31 Mar 26   stalled 10% (Jan 2025)
Treaty     Defence, Econ.   Italy, UK     31 Dec 25   in progress 50% -> achieved
Dialogue   Defence          Italy         none        no update since Jan 2024
Summit     Economy          Japan         31 Aug 26   broken 0% (1 Jun 2026)
Grid       none             UK            31 Jul 26   in progress 30% (10 Jun 2026)
Future     Defence          (none)        2027        announced Feb 2026, no update
=========  ===============  ============  ==========  ===========================
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import QueryDict

from commitments import charts, services
from commitments.choices import Health, Status
from commitments.filters import CommitmentFilterSet
from commitments.models import Commitment, Milestone
from commitments.params import Params
from commitments.selectors.breakdowns import breakdown_rows
from commitments.selectors.timeline import timeline_rows
from commitments.services import record_status_update

TODAY = dt.date(2026, 6, 15)


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 12), tick=False)


def record(make, commitment, status, on, progress):
    with at(on):
        record_status_update(
            commitment=commitment,
            status=status,
            by=None,
            rationale=f"{status} as of {on}",
            evidence=[make.evidence(commitment)],
            progress=progress,
            effective_on=on,
        )


def build_register(make) -> dict:
    with at(dt.date(2024, 1, 1)):
        defence, economy = make.theme("Defence"), make.theme("Economy")
        uk, japan, italy = make.actor("United Kingdom"), make.actor("Japan"), make.actor("Italy")
        s1 = make.source("Leaders' statement", date=dt.date(2023, 12, 9))
        s2 = make.source("Action plan", date=dt.date(2024, 2, 1))

        def commitment(title, themes, parties, source, deadline, precision, announced):
            return make.commitment(
                title,
                themes=themes,
                parties=parties,
                source=source,
                deadline=deadline,
                precision=precision,
                announced_on=announced,
                announced_precision="day",
            )

        c = {
            "Fighter": commitment(
                "Fighter",
                [defence],
                [uk, japan],
                s1,
                dt.date(2035, 1, 1),
                "year",
                dt.date(2023, 12, 9),
            ),
            "Port": commitment(
                "Port", [economy], [japan], s1, dt.date(2026, 3, 31), "day", dt.date(2024, 1, 1)
            ),
            "Treaty": commitment(
                "Treaty",
                [defence, economy],
                [italy, uk],
                s2,
                dt.date(2025, 12, 31),
                "day",
                dt.date(2024, 2, 1),
            ),
            "Dialogue": commitment(
                "Dialogue", [defence], [italy], s2, None, "", dt.date(2024, 1, 1)
            ),
            "Summit": commitment(
                "Summit", [economy], [japan], None, dt.date(2026, 8, 31), "day", dt.date(2024, 1, 1)
            ),
            "Grid": commitment(
                "Grid", [], [uk], s1, dt.date(2026, 7, 31), "day", dt.date(2025, 1, 1)
            ),
        }
    with at(dt.date(2026, 2, 1)):
        c["Future"] = commitment(
            "Future", [defence], [], None, dt.date(2027, 6, 1), "year", dt.date(2026, 2, 1)
        )
    record(make, c["Fighter"], Status.IN_PROGRESS, dt.date(2026, 5, 1), 40)
    record(make, c["Port"], Status.STALLED, dt.date(2025, 1, 10), 10)
    record(make, c["Treaty"], Status.IN_PROGRESS, dt.date(2024, 6, 1), 50)
    record(make, c["Treaty"], Status.ACHIEVED, dt.date(2025, 11, 1), 100)
    record(make, c["Summit"], Status.BROKEN, dt.date(2026, 6, 1), 0)
    record(make, c["Grid"], Status.IN_PROGRESS, dt.date(2026, 6, 10), 30)
    Milestone.objects.create(
        commitment=c["Fighter"], title="Design", due_on=dt.date(2026, 9, 30), due_precision="day"
    )
    Milestone.objects.create(
        commitment=c["Fighter"],
        title="Prototype",
        due_on=dt.date(2026, 7, 1),
        due_precision="day",
        completed_on=dt.date(2026, 6, 1),
    )
    return c


@pytest.fixture
def register(make):
    return build_register(make)


@pytest.fixture
def today():
    with at(TODAY):
        yield TODAY


def get(client, query: str = ""):
    response = client.get(f"/{query}")
    assert response.status_code == 200
    return response.context


def tile_counts(context) -> dict[str, int]:
    return {tile.key: tile.count for tile in context["tiles"]}


def titles(rows) -> list[str]:
    return [row.title for row in rows]


# -- access ---------------------------------------------------------------------------------
def test_it_is_public_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Execution dashboard" in response.content


def test_it_sends_anonymous_visitors_to_login_when_private(client, db, settings):
    settings.TRACKER_PUBLIC = False
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_it_shows_a_private_dashboard_to_a_reader(client, reader, settings):
    settings.TRACKER_PUBLIC = False
    client.force_login(reader)
    assert client.get("/").status_code == 200


# -- headline tiles -------------------------------------------------------------------------
def test_it_counts_each_tile(client, register, today):
    assert tile_counts(get(client)) == {
        "all": 7,
        "status-not_rated": 2,
        "status-not_started": 0,
        "status-in_progress": 2,
        "status-stalled": 1,
        "status-partially_achieved": 0,
        "status-achieved": 1,
        "status-broken": 1,
        "health-closed": 2,
        "health-overdue": 1,
        "health-at_risk": 0,
        "health-due_soon": 1,
        "health-unassessed": 2,
        "health-stale": 0,
        "health-on_track": 1,
    }


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?theme=defence",
        "?party=japan&status=in_progress",
        "?as_of=2025-06-30",
        "?health=closed",
    ],
)
def test_it_shows_tiles_for_every_status_and_health_that_add_up_to_all(
    client, register, today, query
):
    context = get(client, query)
    total = context["headline_tile"].count
    status, health = context["tile_groups"]
    assert [t.key for t in status.tiles] == [f"status-{key}" for key in Status.values]
    assert [t.key for t in health.tiles] == [f"health-{key}" for key in Health.values]
    assert status.total == health.total == total
    html = client.get(f"/{query}").content.decode()
    assert html.count(f'data-sum="{total}"') == 2


def test_it_never_calls_an_unrated_commitment_on_track(client, register, today):
    on_track = CommitmentFilterSet({"health": "on_track"}, day=TODAY).qs
    assert titles(on_track) == ["Fighter"]
    assert all(c.status_as_of != Status.NOT_RATED for c in on_track)


def test_it_shows_mean_progress_with_its_base(client, register, today):
    context = get(client)
    # Fighter 40, Port 10, Treaty 100, Summit 0, Grid 30: 5 of the 7 have a figure.
    mean = context["numbers"]["progress"]
    assert (round(mean.value, 1), mean.measured, mean.total, mean.thin) == (36.0, 5, 7, False)
    assert context["headline_tile"].note == "mean progress 36% · 5 of 7 measured"


def test_it_marks_a_mean_over_under_a_third_as_thin(client, register, today, make):
    # 5 of 7 are measured; unrated additions bring it to exactly a third, then below.
    with at(TODAY):
        for n in range(8):
            make.commitment(f"Unrated {n}")
    third = get(client)["headline_tile"]
    assert (third.note, third.thin) == ("mean progress 36% · 5 of 15 measured", False)
    with at(TODAY):
        make.commitment("One more unrated")
    below = get(client)["headline_tile"]
    assert below.thin
    assert below.note == "mean progress 36% · 5 of 16 measured (thin: under a third measured)"
    assert 'class="tile tile-all is-thin"' in client.get("/").content.decode()


def test_it_links_the_downloads_and_feeds_of_its_filters(client, register, today):
    html = client.get("/?theme=defence&kind=deliverable&as_of=2025-12-31").content.decode()
    query = "theme=defence&amp;kind=deliverable"
    for path in ("/commitments/export.csv", "/commitments/export.json", "/deadlines.ics"):
        assert f'href="{path}?{query}"' in html
    assert 'href="/feeds/updates/?theme=defence"' in html
    assert "Download these commitments as they are today" in html
    plain = client.get("/").content.decode()
    assert 'href="/commitments/export.csv"' in plain and 'href="/feeds/updates/"' in plain


def test_it_does_not_link_a_tile_the_filters_rule_out(client, register, today):
    tiles = {tile.key: tile for tile in get(client, "?status=stalled")["tiles"]}
    assert tiles["status-stalled"].url is not None
    assert tiles["status-achieved"].url is None
    assert tiles["status-achieved"].count == 0


# -- breakdowns -----------------------------------------------------------------------------
def breakdown(context, group):
    return next(b for b in context["breakdowns"] if b["key"] == group)


def bar_counts(context, group) -> dict[str, tuple]:
    return {
        bar["label"]: (
            bar["total"],
            (bar["progress"].rounded, bar["progress"].measured),
            {s["key"]: s["count"] for s in bar["segments"]},
        )
        for bar in breakdown(context, group)["bars"]
    }


def test_it_breaks_statuses_down_by_theme(client, register, today):
    assert bar_counts(get(client), "theme") == {
        "Defence": (4, (70, 2), {"achieved": 1, "in_progress": 1, "not_rated": 2}),
        "Economy": (3, (37, 3), {"achieved": 1, "stalled": 1, "broken": 1}),
    }


def test_it_breaks_statuses_down_by_party(client, register, today):
    assert bar_counts(get(client), "party") == {
        "Japan": (3, (17, 3), {"in_progress": 1, "stalled": 1, "broken": 1}),
        "United Kingdom": (3, (57, 3), {"achieved": 1, "in_progress": 2}),
        "Italy": (2, (100, 1), {"achieved": 1, "not_rated": 1}),
    }


def test_it_breaks_statuses_down_by_source(client, register, today):
    assert bar_counts(get(client), "source") == {
        "Leaders' statement": (3, (27, 3), {"in_progress": 2, "stalled": 1}),
        "Action plan": (2, (100, 1), {"achieved": 1, "not_rated": 1}),
    }


@pytest.mark.parametrize("query", ["", "?theme=defence", "?party=japan&status=broken"])
def test_it_links_each_segment_to_a_list_with_the_same_count(client, register, today, query):
    context = get(client, query)
    segments = [
        (bar, segment)
        for group in ("theme", "party", "source")
        for bar in breakdown(context, group)["bars"]
        for segment in bar["segments"]
    ]
    assert segments
    for bar, segment in segments:
        params = QueryDict(segment["url"].partition("?")[2])
        assert CommitmentFilterSet(params, day=TODAY).qs.count() == segment["count"]
        bar_params = QueryDict(bar["url"].partition("?")[2])
        assert CommitmentFilterSet(bar_params, day=TODAY).qs.count() == bar["total"]


def test_it_draws_each_bar_as_the_whole_width(client, register, today):
    for group in ("theme", "party", "source"):
        for bar in breakdown(get(client), group)["bars"]:
            assert sum(s["width"] for s in bar["segments"]) == pytest.approx(100, abs=0.01)


def test_it_draws_the_largest_groups_and_says_how_many_more(client, register, today):
    scope = CommitmentFilterSet({}, day=TODAY).qs
    rows = breakdown_rows(scope, "party", TODAY)
    data = charts.breakdown_chart(rows, "party", Params({}, TODAY), cap=2)
    assert [bar["label"] for bar in data["drawn"]] == ["Japan", "United Kingdom"]
    assert data["more"] == 1


# -- filters --------------------------------------------------------------------------------
def test_it_narrows_the_whole_dashboard_to_a_theme(client, register, today):
    context = get(client, "?theme=defence")
    assert tile_counts(context)["all"] == 4
    assert tile_counts(context)["status-not_rated"] == 2
    assert list(bar_counts(context, "theme")) == ["Defence"]
    # One entry per commitment: the update behind its current status.
    assert titles(u.commitment for u in context["latest_updates"]) == ["Fighter", "Treaty"]
    assert [c.title for c in context["next_deadlines"]] == ["Future", "Fighter"]


def test_it_narrows_the_whole_dashboard_to_a_party(client, register, today):
    context = get(client, "?party=united-kingdom")
    assert tile_counts(context)["all"] == 3
    assert tile_counts(context)["health-due_soon"] == 1
    assert bar_counts(context, "theme") == {
        "Defence": (2, (70, 2), {"achieved": 1, "in_progress": 1}),
        "Economy": (1, (100, 1), {"achieved": 1}),
    }


def test_it_shows_the_filter_form_and_the_active_filters(client, register, today):
    response = client.get("/?theme=defence&kind=deliverable")
    html = response.content.decode()
    for name in ("theme", "party", "source", "kind", "status", "as_of", "since"):
        assert f'name="{name}"' in html
    chips = {(c["label"], c["value"]) for c in response.context["active_filters"]}
    assert chips == {("Theme", "Defence"), ("Kind", "Deliverable")}
    assert "Showing only:" in html


def test_it_explains_a_bad_filter_instead_of_failing(client, register, today):
    response = client.get("/?theme=no-such-theme&kind=deliverable")
    assert response.status_code == 200
    theme = next(f for f in response.context["filter_fields"] if f.name == "theme")
    assert theme.errors
    # The unknown theme is ignored, here and in the links; the valid kind is kept.
    assert response.context["numbers"]["total"] == 7
    for tile in response.context["tiles"]:
        assert "no-such-theme" not in tile.url
        assert "kind=deliverable" in tile.url
    assert "Select a valid choice" in response.content.decode()


# -- timeline -------------------------------------------------------------------------------
def drawn(data) -> list[str]:
    return [row["title"] for row in data["rows"] if "group" not in row]


def test_it_draws_the_timeline_from_the_earliest_open_deadline(client, register, today):
    data = get(client)["timeline"]
    # Port (31 Mar 2026) is the earliest open deadline; Treaty (2025) is left off.
    assert data["first"] == dt.date(2026, 3, 31)
    assert drawn(data) == ["Future", "Fighter", "Port", "Summit", "Grid"]
    assert [row["group"] for row in data["rows"] if "group" in row] == [
        "Defence",
        "Economy",
        "No theme",
    ]
    assert [row["title"] for row in data["rows"] if row.get("overdue")] == ["Port"]
    assert [tick["year"] for tick in data["ticks"]][0] == 2023
    assert [tick["year"] for tick in data["ticks"]][-1] == 2035


def test_it_never_marks_a_closed_commitment_overdue_on_the_timeline(make, today):
    with at(dt.date(2026, 1, 1)):
        late = make.commitment("Still open", deadline=dt.date(2026, 3, 1))
        done = make.commitment("Delivered late", deadline=dt.date(2026, 4, 1))
    record(make, done, Status.ACHIEVED, dt.date(2026, 5, 1), 100)
    scope = CommitmentFilterSet({}, day=TODAY).qs
    data = charts.timeline_chart(timeline_rows(scope, TODAY), Params({}, TODAY), TODAY)
    overdue = {row["title"]: row["overdue"] for row in data["rows"] if "group" not in row}
    assert overdue == {late.title: True, done.title: False}
    assert "1 of those shown are overdue" in data["summary"]


def test_it_starts_each_bar_at_the_announcement_or_the_source_date(make, today):
    source = make.source("Old statement", date=dt.date(2020, 5, 1))
    make.commitment("From source", source=source, deadline=dt.date(2030, 1, 1), precision="year")
    make.commitment(
        "Announced",
        source=source,
        deadline=dt.date(2030, 1, 1),
        precision="year",
        announced_on=dt.date(2021, 3, 1),
        announced_precision="month",
    )
    scope = CommitmentFilterSet({}, day=TODAY).qs
    data = charts.timeline_chart(timeline_rows(scope, TODAY), Params({}, TODAY), TODAY)
    starts = {row["title"]: row["start"] for row in data["rows"] if "group" not in row}
    assert starts == {"From source": dt.date(2020, 5, 1), "Announced": dt.date(2021, 3, 1)}


def test_it_caps_the_timeline_and_says_how_many_more(client, register, today):
    scope = CommitmentFilterSet({}, day=TODAY).qs
    data = charts.timeline_chart(timeline_rows(scope, TODAY, cap=2), Params({}, TODAY), TODAY)
    assert (data["shown"], data["total"], data["more"]) == (2, 5, 3)
    assert data["more_url"].startswith("/commitments/?")


# -- trend ----------------------------------------------------------------------------------
def test_it_counts_closed_commitments_and_updates_per_month(client, register, today):
    months = {m["label"]: m for m in get(client)["trend"]["months"]}
    assert list(months)[0] == "Jun 2024"
    assert list(months)[-1] == "Jun 2026"
    assert months["Oct 2025"]["closed"] == 0
    assert months["Nov 2025"]["closed"] == 1
    assert months["Jun 2026"]["closed"] == 2
    assert months["Jun 2026"]["recorded"] == 2
    assert months["Jan 2025"]["recorded"] == 1
    assert sum(m["recorded"] for m in months.values()) == 6


def test_it_leaves_corrected_updates_out_of_the_closed_trend(client, make, register, today):
    treaty = register["Treaty"]
    achieved = treaty.updates.get(status=Status.ACHIEVED)
    record_status_update(
        commitment=treaty,
        status=Status.IN_PROGRESS,
        by=None,
        rationale="Not achieved after all",
        evidence=[make.evidence(treaty)],
        progress=90,
        effective_on=dt.date(2025, 11, 1),
        corrects=achieved,
    )
    months = {m["label"]: m for m in get(client)["trend"]["months"]}
    assert months["Nov 2025"]["closed"] == 0
    assert months["Jun 2026"]["closed"] == 1  # Summit only
    assert months["Jun 2026"]["recorded"] == 3  # the correction is an update too


# -- lists ----------------------------------------------------------------------------------
def test_it_lists_the_update_behind_each_current_status_newest_first(client, register, today):
    updates = get(client)["latest_updates"]
    # Treaty's first update (in progress) is superseded by its achievement.
    assert titles(u.commitment for u in updates) == ["Grid", "Summit", "Fighter", "Treaty", "Port"]
    assert [(u.status_before, u.status) for u in updates][3] == ("in_progress", "achieved")
    for update in updates:
        assert update.status == update.commitment.status


def test_it_never_lists_a_transition_the_current_status_contradicts(client, register, today, make):
    fighter = register["Fighter"]
    with at(TODAY):
        backdated = services.record_status_update(
            commitment=fighter,
            status=Status.STALLED,
            effective_on=dt.date(2026, 4, 1),
            rationale="Paused in April, as we learn only now.",
            evidence=[make.evidence(fighter)],
            behind_latest=True,
            by=None,
        )
        wrong = services.record_status_update(
            commitment=register["Grid"],
            status=Status.BROKEN,
            rationale="Misread.",
            evidence=[make.evidence(register["Grid"])],
            by=None,
        )
        correction = services.record_status_update(
            commitment=register["Grid"],
            status=Status.IN_PROGRESS,
            progress=35,
            rationale="Still going.",
            evidence=[make.evidence(register["Grid"])],
            corrects=wrong,
            by=None,
        )
    context = get(client)
    shown = {u.pk for u in context["latest_updates"]}
    assert backdated.pk not in shown and wrong.pk not in shown
    assert correction.pk in shown
    html = client.get("/").content.decode()
    assert "(a correction)" in html
    for update in context["latest_updates"]:
        update.commitment.refresh_from_db()
        assert update.status == update.commitment.status


def test_it_lists_the_next_open_deadlines_and_milestones(client, register, today):
    context = get(client)
    assert [c.title for c in context["next_deadlines"]] == [
        "Grid",
        "Future",
        "Fighter",
    ]
    assert [m.title for m in context["next_milestones"]] == ["Design"]


# -- time travel ----------------------------------------------------------------------------
def test_it_shows_the_dashboard_as_it_stood_on_a_past_day(client, register, today):
    context = get(client, "?as_of=2025-12-31")
    assert context["time_travel"] is True
    assert tile_counts(context) == {
        "all": 6,  # Future was announced in February 2026
        "status-not_rated": 4,
        "status-not_started": 0,
        "status-in_progress": 0,
        "status-stalled": 1,
        "status-partially_achieved": 0,
        "status-achieved": 1,
        "status-broken": 0,
        "health-closed": 1,
        "health-overdue": 0,
        "health-at_risk": 1,  # Port, stalled (and due 31 Mar 2026)
        "health-due_soon": 0,
        "health-unassessed": 4,
        "health-stale": 0,
        "health-on_track": 0,
    }
    assert str(context["numbers"]["progress"]) == "55% · 2 of 6 measured"
    assert [c.title for c in context["next_deadlines"]] == [
        "Port",
        "Grid",
        "Summit",
        "Fighter",
    ]
    assert [m.title for m in context["next_milestones"]] == ["Prototype", "Design"]
    # The updates in effect that day, as the tiles count them.
    assert titles(u.commitment for u in context["latest_updates"]) == ["Treaty", "Port"]
    assert list(context["trend"]["months"])[-1]["label"] == "Dec 2025"


def test_it_says_it_is_time_travelling_and_links_back_to_today(client, register, today):
    html = client.get("/?as_of=2025-12-31&theme=defence").content.decode()
    assert "as it stood at the end of 31 December 2025" in html
    assert 'href="?theme=defence">Back to today</a>' in html


def test_it_links_past_tiles_with_the_day_and_they_agree(client, register, today):
    as_of = dt.date(2025, 12, 31)
    for tile in get(client, "?as_of=2025-12-31&party=japan")["tiles"]:
        params = QueryDict(tile.url.partition("?")[2])
        assert params["as_of"] == "2025-12-31"
        assert CommitmentFilterSet(params, day=as_of).qs.count() == tile.count, tile.key


@pytest.mark.parametrize("query", ["?as_of=2025-12-31", "?as_of=2025-06-30&theme=defence"])
def test_it_opens_past_tiles_on_a_list_that_shows_the_same_number(client, register, today, query):
    for tile in get(client, query)["tiles"]:
        if not tile.url:
            continue
        listed = client.get(tile.url)
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == tile.count, tile.url
        assert listed.context["as_of"] == dt.date.fromisoformat(query[7:17])


def test_it_shows_a_past_day_on_the_list_rows(client, register, today):
    response = client.get("/commitments/?as_of=2025-06-30&q=treaty")
    (row,) = response.context["commitments"]
    assert (row.status_as_of, row.progress_as_of) == (Status.IN_PROGRESS, 50)
    html = response.content.decode()
    assert "As they stood at the end of <strong>30 June 2025</strong>" in html
    assert 'href="?q=treaty">Show them as they are today</a>' in html
    assert '<input type="hidden" name="as_of" value="2025-06-30">' in html
    today_row = client.get("/commitments/?q=treaty").context["commitments"][0]
    assert today_row.status_as_of == Status.ACHIEVED


@pytest.mark.parametrize(
    ("as_of", "message"),
    [("2025-02-30", "is not a date"), ("2027-01-01", "is in the future")],
)
def test_it_shows_today_on_the_list_when_the_day_is_unusable(
    client, register, today, as_of, message
):
    response = client.get(f"/commitments/?as_of={as_of}")
    assert response.status_code == 200
    assert response.context["as_of"] is None
    assert message in response.content.decode()
    assert response.context["page"].paginator.count == Commitment.objects.count()


def test_it_counts_a_past_status_by_the_history(client, register, today):
    context = get(client, "?as_of=2025-06-30&status=in_progress")
    assert tile_counts(context)["all"] == 1  # Treaty, achieved only in November
    assert bar_counts(context, "theme") == {
        "Defence": (1, (50, 1), {"in_progress": 1}),
        "Economy": (1, (50, 1), {"in_progress": 1}),
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?as_of=2025-13-45", "is not a date"),
        ("?as_of=yesterday", "is not a date"),
        ("?as_of=2027-01-01", "is in the future"),
        ("?as_of=0001-01-01", "from 1900 on"),
        ("?as_of=2025-06-01&since=0001-01-01", "from 1900 on"),
        ("?since=31/12/2025", "is not a date"),
        ("?since=2026-07-01", "must be before"),
        ("?as_of=2025-01-01&since=2025-06-01", "must be before"),
    ],
)
def test_it_explains_a_bad_date(client, register, today, query, message):
    response = client.get(f"/{query}")
    assert response.status_code == 200
    assert any(message in problem for problem in response.context["problems"])
    assert message in response.content.decode()


def test_it_shows_today_after_a_bad_as_of(client, register, today):
    context = get(client, "?as_of=2025-02-30")
    assert context["as_of"] == TODAY
    assert tile_counts(context)["all"] == 7


# -- what changed since ---------------------------------------------------------------------
def test_it_lists_what_changed_since_a_day(client, register, today):
    context = get(client, "?since=2025-12-31")
    changes = {c.title: (c.status_before, c.status_as_of) for c in context["changes"]}
    assert changes == {
        "Fighter": (Status.NOT_RATED, Status.IN_PROGRESS),
        "Summit": (Status.NOT_RATED, Status.BROKEN),
        "Grid": (Status.NOT_RATED, Status.IN_PROGRESS),
    }
    assert titles(context["new"]) == ["Future"]
    html = client.get("/?since=2025-12-31").content.decode()
    assert "What changed in the tracker since 31 December 2025" in html
    assert "whatever date it took effect" in html


def test_it_counts_as_changed_what_was_recorded_since_whatever_its_effective_date(
    client, register, today, make
):
    with at(TODAY):
        services.record_status_update(
            commitment=register["Dialogue"],
            status=Status.IN_PROGRESS,
            effective_on=dt.date(2024, 3, 1),
            rationale="Held regularly since March 2024, as we learn only now.",
            evidence=[make.evidence(register["Dialogue"])],
            by=None,
        )
        added = make.commitment(
            "Added today", announced_on=dt.date(2020, 1, 1), announced_precision="year"
        )
    context = get(client, f"?since={(TODAY - dt.timedelta(days=1)).isoformat()}")
    changes = {
        c.title: (c.status_before, c.status_as_of, c.updates_since) for c in context["changes"]
    }
    assert changes == {"Dialogue": (Status.NOT_RATED, Status.IN_PROGRESS, 1)}
    assert titles(context["new"]) == [added.title]


def test_it_lists_what_changed_between_two_past_days(client, register, today):
    context = get(client, "?as_of=2026-03-01&since=2025-06-01")
    changes = {c.title: (c.status_before, c.status_as_of) for c in context["changes"]}
    assert changes == {"Treaty": (Status.IN_PROGRESS, Status.ACHIEVED)}
    assert titles(context["new"]) == ["Future"]


def test_it_lists_changes_only_within_the_filters(client, register, today):
    context = get(client, "?since=2025-12-31&party=japan")
    assert {c.title for c in context["changes"]} == {"Fighter", "Summit"}
    assert context["new"] == []


def test_it_counts_health_with_the_same_rules_as_the_list(client, register, today):
    numbers = get(client)["numbers"]
    assert numbers["by_health"] == {
        key: Commitment.objects.in_health(key, TODAY).count() for key in Health.values
    }
    assert numbers["by_health"][Health.ON_TRACK] == 1
