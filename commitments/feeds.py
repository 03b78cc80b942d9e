"""Feeds an analyst can subscribe to: status updates as Atom, deadlines as iCalendar.

Both carry text only: the Atom summaries are `type="text"`, so a rationale's
`<script>` reaches a feed reader as the characters typed, never as markup; and neither
emits a character XML or iCalendar cannot carry (`validators.without_control_characters`),
whatever was stored before input refused them.

The iCalendar file is built with the icalendar package, which escapes text and folds
long lines as RFC 5545 says; events are serialised one at a time so the file streams.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from icalendar import TRANSP, Calendar, Event

from .dates import format_deadline
from .models import Actor, Commitment, Milestone, StatusUpdate, Theme
from .validators import without_control_characters as shown

FEED_SIZE = 50
# What a slug can be; anything else (a NUL, which PostgreSQL cannot even compare) names nothing.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


def detail_path(slug: str) -> str:
    try:
        return reverse("commitment_detail", args=[slug])
    except NoReverseMatch:
        return f"/commitments/{slug}/"


class TextAtom1Feed(Atom1Feed):
    """Atom whose summaries are plain text (`type="text"`), escaped once as XML text, so
    that what a reader's feed program decodes is the text itself, never markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def _named(model, slug: str):
    return model.objects.filter(slug=slug).first() if SLUG.match(slug) else None


class UpdatesFeed(Feed):
    """The latest status updates, optionally for one theme and/or one party (by slug)."""

    feed_type = TextAtom1Feed
    description_template = None

    def get_object(self, request, *args, **kwargs):
        theme_slug = request.GET.get("theme", "").strip()
        party_slug = request.GET.get("party", "").strip()
        theme = _named(Theme, theme_slug) if theme_slug else None
        party = _named(Actor, party_slug) if party_slug else None
        # An unknown slug narrows to nothing rather than silently showing everything.
        unknown = bool(theme_slug and theme is None) or bool(party_slug and party is None)
        return {"theme": theme, "party": party, "unknown": unknown}

    def title(self, obj) -> str:
        parts = [str(obj[key]) for key in ("theme", "party") if obj[key]]
        if not parts:
            return gettext("Commitment tracker status updates")
        return shown(
            gettext("Commitment tracker status updates: %(narrowed_to)s")
            % {"narrowed_to": " · ".join(parts)}
        )

    def subtitle(self, obj) -> str:
        return gettext("The latest status updates recorded on commitments, newest first.")

    def link(self, obj) -> str:
        return "/activity/"

    def items(self, obj) -> QuerySet | list:
        if obj["unknown"]:
            return []
        updates = StatusUpdate.objects.select_related("commitment", "recorded_by")
        if obj["theme"]:
            updates = updates.filter(commitment__themes=obj["theme"])
        if obj["party"]:
            updates = updates.filter(commitment__parties__actor=obj["party"])
        return updates.recorded_newest_first()[:FEED_SIZE]

    def item_title(self, item: StatusUpdate) -> str:
        return shown(f"{item.commitment.title}: {item.status_label}")

    def item_description(self, item: StatusUpdate) -> str:
        progress = f" ({item.progress}%)" if item.progress is not None else ""
        change = gettext("%(previous)s → %(status)s%(progress)s, effective %(effective)s.") % {
            "previous": item.previous_status_label,
            "status": item.status_label,
            "progress": progress,
            "effective": item.effective_display,
        }
        return shown(f"{change} {item.rationale}")

    def item_link(self, item: StatusUpdate) -> str:
        return f"{detail_path(item.commitment.slug)}#update-{item.pk}"

    def item_guid(self, item: StatusUpdate) -> str:
        return f"status-update-{item.pk}"

    def item_guid_is_permalink(self, item) -> bool:
        return False

    def item_pubdate(self, item: StatusUpdate) -> dt.datetime:
        return item.recorded_at

    def item_updateddate(self, item: StatusUpdate) -> dt.datetime:
        return item.recorded_at

    def item_author_name(self, item: StatusUpdate) -> str | None:
        return shown(item.recorded_by.get_username()) if item.recorded_by else None


# -- iCalendar ------------------------------------------------------------------------------
CALENDAR_END = b"END:VCALENDAR\r\n"


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.prodid = "-//Commitment tracker//Deadlines//EN"
    calendar.version = "2.0"
    calendar.calscale = "GREGORIAN"
    calendar.method = "PUBLISH"
    calendar.calendar_name = gettext("Commitment deadlines")  # NAME and X-WR-CALNAME
    return calendar


def _event(
    uid: str, day: dt.date, summary: str, description: str, url: str, stamp: dt.datetime
) -> Event:
    """An all-day event on `day`: it ends the next day, except on the last representable
    day, where it has no DTEND, which RFC 5545 reads as one day too."""
    return Event.new(
        uid=uid,
        stamp=stamp,
        start=day,
        end=day + dt.timedelta(days=1) if day < dt.date.max else None,
        summary=shown(summary),
        description=shown(description),
        url=url,
        transparency=TRANSP.TRANSPARENT,
    )


def calendar_events(
    commitments: Iterable[Commitment],
    milestones: Iterable[Milestone],
    *,
    host: str,
    base_url: str,
    stamp: dt.datetime,
) -> Iterator[Event]:
    """Deadlines (on the last day of their period), then milestones, as all-day events."""
    for commitment in commitments:
        url = base_url + detail_path(commitment.slug)
        yield _event(
            f"commitment-{commitment.slug}@{host}",
            commitment.deadline,
            gettext("Deadline: %(title)s") % {"title": commitment.title},
            f"{commitment.deadline_display} ({commitment.get_status_display()}). {url}",
            url,
            stamp,
        )
    for milestone in milestones:
        commitment = milestone.commitment
        url = base_url + detail_path(commitment.slug)
        if milestone.completed_on:
            state = gettext("%(commitment)s: completed %(due)s.")
        else:
            state = gettext("%(commitment)s: due %(due)s.")
        due = format_deadline(milestone.due_on, milestone.due_precision)
        yield _event(
            f"milestone-{milestone.pk}@{host}",
            milestone.due_on,
            gettext("Milestone: %(title)s") % {"title": milestone.title},
            state % {"commitment": commitment.title, "due": due} + f" {url}",
            url,
            stamp,
        )


def calendar_chunks(
    commitments: Iterable[Commitment],
    milestones: Iterable[Milestone],
    *,
    host: str,
    base_url: str,
    now: dt.datetime | None = None,
) -> Iterator[bytes]:
    """The VCALENDAR as bytes, streamed: its own properties, each event as it is read
    from the database, then its end. Never the whole calendar in memory at once.

    Written in the language active when it is asked for, even though the response
    streams after the request's own code has returned."""
    return _chunks(
        commitments,
        milestones,
        host=host,
        base_url=base_url,
        stamp=(now or timezone.now()).astimezone(dt.UTC),
        language=translation.get_language(),
    )


def _chunks(
    commitments: Iterable[Commitment],
    milestones: Iterable[Milestone],
    *,
    host: str,
    base_url: str,
    stamp: dt.datetime,
    language: str | None,
) -> Iterator[bytes]:
    with translation.override(language):
        yield from _calendar_bytes(
            commitments, milestones, host=host, base_url=base_url, stamp=stamp
        )


def _calendar_bytes(
    commitments: Iterable[Commitment],
    milestones: Iterable[Milestone],
    *,
    host: str,
    base_url: str,
    stamp: dt.datetime,
) -> Iterator[bytes]:
    # A calendar without events serialises as its properties and then CALENDAR_END; the
    # events go between the two (tests/test_feeds.py reads the result back with icalendar).
    yield _calendar().to_ical().removesuffix(CALENDAR_END)
    for event in calendar_events(
        commitments, milestones, host=host, base_url=base_url, stamp=stamp
    ):
        yield event.to_ical()
    yield CALENDAR_END
