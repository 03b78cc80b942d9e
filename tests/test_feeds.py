"""The Atom feed of status updates and the iCalendar feed of deadlines and milestones."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from commitments.feeds import escape_text, fold
from commitments.models import Milestone
from commitments.services import NewEvidence, record_status_update

ATOM = "{http://www.w3.org/2005/Atom}"
USERS = [None, "reader", "analyst", "editor", "superuser"]


def body(response) -> str:
    content = response.streaming_content if response.streaming else [response.content]
    return b"".join(content).decode("utf-8")


def update(commitment, status, by, day=dt.date(2025, 1, 10)):
    return record_status_update(
        commitment=commitment,
        status=status,
        by=by,
        rationale=f"Now {status}.",
        effective_on=day,
        new_evidence=[NewEvidence(title="Report", url="https://example.org/r")],
    )


@pytest.fixture
def world(make, analyst):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    space, energy = make.theme("Space"), make.theme("Energy")
    station = make.commitment(
        "Space station; phase 2, module A",
        slug="station",
        themes=[space],
        parties=[italy],
        deadline=dt.date(2026, 8, 1),
        precision="quarter",
    )
    grid = make.commitment(
        "Grid link",
        slug="grid",
        themes=[energy],
        parties=[japan],
        deadline=dt.date(2030, 1, 1),
        precision="year",
    )
    make.commitment("No deadline", slug="open-ended", themes=[energy])
    update(station, "in_progress", analyst)
    update(grid, "stalled", analyst)
    Milestone.objects.create(
        commitment=station, title="Launch", due_on=dt.date(2025, 11, 3), due_precision="month"
    )
    return {"station": station, "grid": grid, "analyst": analyst, "make": make}


def entries(response):
    root = ET.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
@pytest.mark.parametrize("name", ["updates_feed", "deadlines_ics"])
def test_it_serves_the_feeds_to_everyone_while_reading_is_public(
    client, request, world, user, name
):
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Grid link" in body(response)


def test_it_lists_status_updates_as_atom_newest_first(client, world):
    response = client.get("/feeds/updates/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert entries(response) == [
        "Grid link: Stalled",
        "Space station; phase 2, module A: In progress",
    ]


def test_it_narrows_the_feed_by_theme_and_party(client, world):
    assert entries(client.get("/feeds/updates/?theme=energy")) == ["Grid link: Stalled"]
    assert entries(client.get("/feeds/updates/?party=italy")) == [
        "Space station; phase 2, module A: In progress"
    ]
    assert entries(client.get("/feeds/updates/?theme=energy&party=italy")) == []
    assert entries(client.get("/feeds/updates/?theme=no-such-theme")) == []


def test_it_builds_the_atom_feed_in_a_constant_number_of_queries(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get("/feeds/updates/?theme=energy&party=japan")
    make = world["make"]
    for n in range(6):
        update(
            make.commitment(f"More {n}", themes=[world["grid"].themes.get()]),
            "stalled",
            world["analyst"],
        )
    with django_assert_num_queries(3):
        response = client.get("/feeds/updates/?theme=energy&party=japan")
    assert len(entries(response)) == 1


def test_it_writes_deadlines_and_milestones_as_all_day_events(client, world):
    response = client.get("/deadlines.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = body(response)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert "UID:commitment-station@testserver" in unfolded
    assert "DTSTART;VALUE=DATE:20260930\r\nDTEND;VALUE=DATE:20261001" in unfolded
    assert "DTSTART;VALUE=DATE:20301231" in unfolded
    milestone = Milestone.objects.get()
    assert f"UID:milestone-{milestone.pk}@testserver" in unfolded
    assert "DTSTART;VALUE=DATE:20251130" in unfolded  # November 2025 ends on the 30th
    assert "SUMMARY:Deadline: Space station\\; phase 2\\, module A" in unfolded
    assert "open-ended" not in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 3


def test_it_honours_the_list_filters_in_the_calendar(client, world):
    text = body(client.get("/deadlines.ics?theme=energy")).replace("\r\n ", "")
    assert "UID:commitment-grid@" in text
    assert "station" not in text
    assert client.get("/deadlines.ics?deadline_after=later").status_code == 400


def test_it_builds_the_calendar_in_a_constant_number_of_queries(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(3):
        body(client.get("/deadlines.ics?party=italy"))
    make = world["make"]
    italy = world["station"].actors.get()
    for n in range(5):
        c = make.commitment(f"More {n}", parties=[italy], deadline=dt.date(2031, 1, 1))
        Milestone.objects.create(
            commitment=c, title="Step", due_on=dt.date(2030, 1, 1), due_precision="day"
        )
    with django_assert_num_queries(3):
        text = body(client.get("/deadlines.ics?party=italy"))
    assert text.count("BEGIN:VEVENT") == 12


def test_it_escapes_text_and_folds_long_lines_at_75_octets():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


@time_machine.travel(dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC), tick=False)
def test_it_accepts_search_and_health_filters_in_the_calendar(client, world):
    # On 4 Jan 2027 the station (due Q3 2026) is overdue and the grid (2030) is not.
    text = body(client.get("/deadlines.ics?q=station&health=overdue")).replace("\r\n ", "")
    assert "UID:commitment-station@" in text
    assert "Milestone: Launch" in text
    assert "grid" not in text


def test_it_announces_the_feed_on_every_page(client, db):
    html = client.get("/commitments/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Status updates"'
        ' href="/feeds/updates/">'
    ) in html
