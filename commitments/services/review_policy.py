"""The review policy: when an open commitment is next looked at.

An open commitment whose deadline's period has ended or ends within health's due-soon
window (`health.due_soon_until`) is reviewed every `settings.REVIEW_URGENT_DAYS` days
(30 by default), any other open one every `settings.REVIEW_OPEN_DAYS` days (90), a
closed or superseded one never. `record_status_update` applies it after every recorded update; the
review services (`reviews`) change the date or the assignee by hand.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .. import health
from ..choices import Status
from ..models import Commitment


def next_review_after(commitment: Commitment, day: dt.date) -> dt.date | None:
    """The policy: the day after `day` on which `commitment` is next reviewed, or None
    when it is closed."""
    if commitment.status in Status.closed() or commitment.superseded_on is not None:
        return None
    urgent = commitment.deadline is not None and commitment.deadline <= health.due_soon_until(day)
    days = settings.REVIEW_URGENT_DAYS if urgent else settings.REVIEW_OPEN_DAYS
    return day + dt.timedelta(days=days)
