"""The review schedule: when each commitment is looked at next, and by whom.

The policy is `review_policy.next_review_after`; `record_status_update` sets the next
review from it whenever an update is recorded, a review included. "Stale" health keeps
its own meaning (no update for a while); a review is an update.

Its services, keyword-only and atomic, each locking the rows it changes:

- `schedule_review`: another date for one commitment, not in the past;
- `assign_reviews`: an assignee (someone who records updates: an Analyst) and, if given,
  a date, for several commitments at once, all or nothing; `assignee=None` unassigns;
- `mark_reviewed`: "reviewed, no change", a history entry through
  `record_status_update(review=True)` with the status and progress unchanged, a
  rationale (required) and optional evidence (without any, the evidence the current
  status rests on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Commitment, Evidence, StatusUpdate
from .review_policy import next_review_after
from .status import UNCHECKED, latest_update, record_status_update

__all__ = ["next_review_after"]

# Who may be assigned a review: someone who records status updates.
REVIEWER_PERM = "commitments.add_statusupdate"


def check_reviewer(user: AbstractBaseUser | None) -> None:
    """Raise ValidationError (key `assignee`) unless `user` is None or an Analyst."""
    if user is None:
        return
    if not user.is_active or not user.has_perm(REVIEWER_PERM):
        raise ValidationError(
            {
                "assignee": gettext("%(user)s is not an Analyst: only Analysts review.")
                % {"user": user.get_username()}
            }
        )


def check_review_date(day: dt.date | None, *, today: dt.date) -> None:
    if day is not None and day < today:
        raise ValidationError(
            {
                "next_review_on": gettext(
                    "A review date cannot be in the past: choose today or later."
                )
            }
        )


@transaction.atomic
def schedule_review(*, commitment: Commitment, next_review_on: dt.date | None) -> None:
    """Set when `commitment` is next reviewed (None: not scheduled). Not in the past."""
    check_review_date(next_review_on, today=timezone.localdate())
    rows = Commitment.objects.filter(pk=commitment.pk)
    list(rows.select_for_update().values_list("pk", flat=True))
    rows.update(next_review_on=next_review_on)
    commitment.next_review_on = next_review_on


@transaction.atomic
def assign_reviews(
    *,
    commitments: Sequence[Commitment],
    assignee: AbstractBaseUser | None,
    next_review_on: dt.date | None = None,
) -> int:
    """Assign the reviews of `commitments` to `assignee` (None unassigns them) and, when
    `next_review_on` is given, schedule them then. All or nothing; returns how many."""
    check_reviewer(assignee)
    check_review_date(next_review_on, today=timezone.localdate())
    if not commitments:
        raise ValidationError({"commitments": gettext("Select at least one commitment.")})
    rows = Commitment.objects.filter(pk__in=[c.pk for c in commitments]).order_by()
    # Lock them all first, in id order, so two assignments queue up rather than interleave.
    list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
    values: dict = {"review_assignee": assignee}
    if next_review_on is not None:
        values["next_review_on"] = next_review_on
    count = rows.update(**values)
    for commitment in commitments:
        commitment.review_assignee = assignee
        if next_review_on is not None:
            commitment.next_review_on = next_review_on
    return count


def mark_reviewed(
    *,
    commitment: Commitment,
    by: AbstractBaseUser,
    rationale: str,
    evidence: Iterable[Evidence] = (),
    seen_latest_id: int | None | object = UNCHECKED,
) -> StatusUpdate:
    """Record "reviewed, no change": a history entry with the current status and progress,
    the reviewer's rationale (required) and `evidence`, or, without any, the evidence the
    current status already rests on. The status service sets the next review."""
    evidence = list(evidence)
    if not evidence:
        current = latest_update(commitment)
        evidence = list(current.evidence.all()) if current is not None else []
    return record_status_update(
        commitment=commitment,
        status=commitment.status,
        progress=commitment.progress,
        by=by,
        rationale=rationale,
        evidence=evidence,
        review=True,
        seen_latest_id=seen_latest_id,
    )
