"""Where a page's commitments go next: downloads, a calendar and a feed, with its filters."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

# The Atom feed of updates narrows by these only; the exports and the calendar take
# every filter of the list.
FEED_PARAMS = ("theme", "party")
NOT_FILTERS = ("page", "as_of", "since")


def data_links(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Query strings for the exports and calendar (`export_query`) and the feed
    (`feed_query`) of the commitments shown, from the page's (name, value) filters."""
    kept = [(name, value) for name, value in pairs if name not in NOT_FILTERS and value != ""]
    return {
        "export_query": urlencode(kept),
        "feed_query": urlencode([(name, value) for name, value in kept if name in FEED_PARAMS]),
    }
