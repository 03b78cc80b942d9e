"""The Atom feed of status updates and the iCalendar feed of deadlines and milestones."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

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


def events(text: str) -> dict[str, dict]:
    """The calendar as a calendar reader sees it: each VEVENT by UID."""
    calendar = Calendar.from_ical(text)
    return {
        str(event["UID"]): {
            "start": event.start,
            "end": event.get("DTEND") and event["DTEND"].dt,
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "url": str(event["URL"]),
        }
        for event in calendar.events
    }


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


@pytest.mark.parametrize("query", ["theme=%00", "party=%00", "theme=a%00b&party=italy"])
def test_it_narrows_the_feed_to_nothing_for_a_slug_no_database_can_hold(client, world, query):
    response = client.get(f"/feeds/updates/?{query}")
    assert response.status_code == 200
    assert entries(response) == []


MARKUP = '<script>alert(1)</script><img src=x onerror="alert(2)"> &amp; <b>bold</b>'


def test_it_sends_a_rationale_as_plain_text_that_a_feed_reader_never_reads_as_markup(
    client, world, analyst
):
    record_status_update(
        commitment=world["grid"],
        status="in_progress",
        by=analyst,
        rationale=MARKUP,
        effective_on=dt.date(2025, 2, 1),
        new_evidence=[NewEvidence(title="Report", url="https://example.org/r")],
    )

    root = ET.fromstring(client.get("/feeds/updates/").content)
    summary = root.find(f"{ATOM}entry").find(f"{ATOM}summary")

    # Atom: a "text" summary is shown as the characters it decodes to; "html" would be
    # parsed as markup. Decoded once, it holds the typed text and no element.
    assert summary.get("type") == "text"
    assert len(summary) == 0
    assert summary.text.endswith(f"effective 1 Feb 2025. {MARKUP}")


def test_it_leaves_characters_xml_cannot_carry_out_of_the_feed_and_calendar(client, world):
    """Stored before input refused them: the feed still parses, the calendar still reads."""
    from commitments.models import Commitment, StatusUpdate

    grid = world["grid"]
    Commitment.objects.filter(pk=grid.pk).update(title="Grid\x0b link\x0c")
    StatusUpdate.objects.create(
        commitment=grid,
        status="stalled",
        previous_status="stalled",
        rationale="Bell\x07 and form feed\x0c.",
        effective_on=dt.date(2025, 3, 1),
    )

    feed = client.get("/feeds/updates/")
    root = ET.fromstring(feed.content)
    newest = root.find(f"{ATOM}entry")
    assert newest.find(f"{ATOM}title").text == "Grid link: Stalled"
    assert newest.find(f"{ATOM}summary").text.endswith("Bell and form feed.")
    calendar = events(body(client.get("/deadlines.ics")))
    assert calendar["commitment-grid@testserver"]["summary"] == "Deadline: Grid link"


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
    assert response.streaming  # event by event, never the whole calendar in memory
    text = body(response)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT") == 3
    unfolded = text.replace("\r\n ", "")
    assert "X-WR-CALNAME:Commitment deadlines\r\n" in unfolded
    assert "DTSTART;VALUE=DATE:20260930\r\n" in unfolded  # all-day: a DATE, not a DATE-TIME
    assert "SUMMARY:Deadline: Space station\\; phase 2\\, module A\r\n" in unfolded

    milestone = Milestone.objects.get()
    url = "http://testserver/commitments/station/"
    assert events(text) == {
        "commitment-station@testserver": {
            # Q3 2026 ends on 30 September; an all-day event ends the next day.
            "start": dt.date(2026, 9, 30),
            "end": dt.date(2026, 10, 1),
            "summary": "Deadline: Space station; phase 2, module A",
            "description": f"by Q3 2026 (In progress). {url}",
            "url": url,
        },
        "commitment-grid@testserver": {
            "start": dt.date(2030, 12, 31),
            "end": dt.date(2031, 1, 1),
            "summary": "Deadline: Grid link",
            "description": "by 2030 (Stalled). http://testserver/commitments/grid/",
            "url": "http://testserver/commitments/grid/",
        },
        f"milestone-{milestone.pk}@testserver": {
            "start": dt.date(2025, 11, 30),  # November 2025 ends on the 30th
            "end": dt.date(2025, 12, 1),
            "summary": "Milestone: Launch",
            "description": f"Space station; phase 2, module A: due by Nov 2025. {url}",
            "url": url,
        },
    }


def test_it_round_trips_punctuation_newlines_and_japanese_through_a_calendar_reader(client, make):
    title = "Summit, Tokyo; phase 2\\3\nSecond line: 日本とイタリアの次世代戦闘機を共同開発する" * 2
    make.commitment(title, slug="summit", deadline=dt.date(2027, 3, 31))
    text = body(client.get("/deadlines.ics"))
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)  # folded at 75 octets
    assert any(line.startswith(" ") for line in lines)
    assert events(text)["commitment-summit@testserver"]["summary"] == f"Deadline: {title}"


def test_it_ends_no_event_after_the_last_representable_day(client, make):
    make.commitment("Forever", slug="forever", deadline=dt.date.max)
    text = body(client.get("/deadlines.ics"))
    event = events(text)["commitment-forever@testserver"]
    assert (event["start"], event["end"]) == (dt.date(9999, 12, 31), None)
    assert "DTEND" not in text


def test_it_honours_the_list_filters_in_the_calendar(client, world):
    text = body(client.get("/deadlines.ics?theme=energy")).replace("\r\n ", "")
    assert "UID:commitment-grid@" in text
    assert "station" not in text
    assert client.get("/deadlines.ics?deadline_after=later").status_code == 400


def test_it_builds_the_calendar_in_a_constant_number_of_queries(
    client, world, django_assert_num_queries
):
    # The party's lookup, the database check before the first byte, deadlines, milestones.
    with django_assert_num_queries(4):
        body(client.get("/deadlines.ics?party=italy"))
    make = world["make"]
    italy = world["station"].actors.get()
    for n in range(5):
        c = make.commitment(f"More {n}", parties=[italy], deadline=dt.date(2031, 1, 1))
        Milestone.objects.create(
            commitment=c, title="Step", due_on=dt.date(2030, 1, 1), due_precision="day"
        )
    with django_assert_num_queries(4):
        text = body(client.get("/deadlines.ics?party=italy"))
    assert text.count("BEGIN:VEVENT") == 12


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


def test_it_streams_the_calendar_in_the_language_it_was_asked_for_in(world, monkeypatch):
    # The response streams after the view returns; the events keep the request's language.
    from django.utils import translation

    from commitments import feeds

    languages = []
    calendar = feeds._calendar
    monkeypatch.setattr(
        feeds, "_calendar", lambda: languages.append(translation.get_language()) or calendar()
    )
    with translation.override("it"):
        chunks = feeds.calendar_chunks([], [], host="tracker.test", base_url="https://tracker.test")
    with translation.override("en"):
        body = b"".join(chunks)

    assert languages == ["it"]
    assert body.endswith(feeds.CALENDAR_END)
