"""Writes that span several models. Every status change goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import Precision, Status
from .models import Commitment, Evidence, Milestone, StatusUpdate

# Sentinel: the caller does not take part in the lost-update check.
UNCHECKED = object()


class StaleUpdateError(Exception):
    """Another update was recorded after the one the analyst saw."""

    def __init__(self, latest: StatusUpdate | None):
        self.latest = latest
        super().__init__("Another update was recorded while you were editing.")


@dataclass(frozen=True)
class NewEvidence:
    title: str
    url: str = ""
    publisher: str = ""
    published_on: dt.date | None = None
    excerpt: str = ""
    kind: str = "news_report"
    reliability: str = "secondary"


def latest_update(commitment: Commitment) -> StatusUpdate | None:
    """The update that defines the current status: latest by effective date, not corrected."""
    return StatusUpdate.objects.filter(commitment=commitment).not_corrected().newest_first().first()


def latest_recorded_id(commitment: Commitment) -> int | None:
    """The id of the most recently recorded update: what a form carries to detect conflicts."""
    return (
        StatusUpdate.objects.filter(commitment=commitment)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def _status_as_of(commitment: Commitment, effective_on: dt.date) -> str:
    previous = (
        StatusUpdate.objects.filter(commitment=commitment, effective_on__lte=effective_on)
        .not_corrected()
        .newest_first()
        .first()
    )
    return previous.status if previous else Status.NOT_RATED


def _validate(
    *,
    commitment: Commitment,
    status: str,
    progress: int | None,
    effective_on: dt.date,
    rationale: str,
    evidence_count: int,
    today: dt.date,
) -> None:
    errors: dict[str, str] = {}
    if status not in Status.values:
        errors["status"] = f"Unknown status {status!r}."
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = "Progress must be between 0 and 100."
    if effective_on > today:
        errors["effective_on"] = "The effective date cannot be in the future."
    elif commitment.announced_on and effective_on < commitment.announced_on:
        errors["effective_on"] = (
            f"The effective date cannot be before the announcement ({commitment.announced_display})."
        )
    if not rationale.strip():
        errors["rationale"] = "Say why the status is what it is."
    if status != Status.NOT_RATED and evidence_count == 0:
        errors["evidence"] = "A status other than Not yet rated needs at least one evidence item."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_status_update(
    *,
    commitment: Commitment,
    status: str,
    by: AbstractBaseUser | None,
    rationale: str,
    progress: int | None = None,
    effective_on: dt.date | None = None,
    effective_precision: str = Precision.DAY,
    evidence: Iterable[Evidence] = (),
    new_evidence: Iterable[NewEvidence] = (),
    corrects: StatusUpdate | None = None,
    seen_latest_id: int | None | object = UNCHECKED,
) -> StatusUpdate:
    """Record a status update in one transaction: the history row, its evidence, and the
    commitment's current status and progress (unless the update is backdated behind a
    later one, in which case it takes its place in history only).

    `seen_latest_id` is the latest recorded update id the analyst saw; if another update
    was recorded since, StaleUpdateError is raised and nothing is written.
    """
    today = timezone.localdate()
    effective_on = effective_on or today
    # Lock the commitment row so concurrent updates queue up instead of racing.
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)

    if seen_latest_id is not UNCHECKED:
        current_latest_id = latest_recorded_id(locked)
        if current_latest_id != seen_latest_id:
            newest = StatusUpdate.objects.filter(pk=current_latest_id).first()
            raise StaleUpdateError(newest)

    existing = list(evidence)
    new_items = list(new_evidence)
    for item in existing:
        if item.commitment_id != locked.pk:
            raise ValidationError({"evidence": "Evidence must belong to this commitment."})
    if corrects is not None:
        if corrects.commitment_id != locked.pk:
            raise ValidationError(
                {"corrects": "You can only correct an update of this commitment."}
            )
        if StatusUpdate.objects.filter(corrects=corrects).exists():
            raise ValidationError({"corrects": "That update has already been corrected."})
    _validate(
        commitment=locked,
        status=status,
        progress=progress,
        effective_on=effective_on,
        rationale=rationale,
        evidence_count=len(existing) + len(new_items),
        today=today,
    )

    created_evidence = []
    for item in new_items:
        obj = Evidence(commitment=locked, added_by=by, **item.__dict__)
        obj.full_clean()
        obj.save()
        created_evidence.append(obj)

    update = StatusUpdate(
        commitment=locked,
        status=status,
        previous_status=_status_as_of(locked, effective_on),
        progress=progress,
        effective_on=effective_on,
        effective_precision=effective_precision,
        recorded_by=by,
        rationale=rationale.strip(),
        corrects=corrects,
    )
    update.full_clean(exclude=["commitment", "recorded_by", "corrects"])
    update.save()
    update.evidence.set([*existing, *created_evidence])

    _sync_current_status(locked, recorded_at=update.recorded_at)
    commitment.status, commitment.progress = locked.status, locked.progress
    commitment.last_update_at = locked.last_update_at
    return update


def _sync_current_status(commitment: Commitment, *, recorded_at: dt.datetime) -> None:
    """Make the commitment's status and progress equal its latest update by effective date."""
    current = latest_update(commitment)
    commitment.status = current.status if current else Status.NOT_RATED
    commitment.progress = current.progress if current else None
    commitment.last_update_at = max(filter(None, [commitment.last_update_at, recorded_at]))
    Commitment.objects.filter(pk=commitment.pk).update(
        status=commitment.status,
        progress=commitment.progress,
        last_update_at=commitment.last_update_at,
        updated_at=timezone.now(),
    )


@transaction.atomic
def complete_milestone(
    *,
    milestone: Milestone,
    completed_on: dt.date,
    by: AbstractBaseUser | None,
    evidence: Iterable[Evidence] = (),
) -> Milestone:
    """Mark a milestone completed; it then shows in the commitment's timeline."""
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "A completion date cannot be in the future."})
    if milestone.completed_on is not None:
        raise ValidationError({"completed_on": "This milestone is already completed."})
    milestone.completed_on = completed_on
    milestone.completed_by = by
    milestone.save(update_fields=["completed_on", "completed_by"])
    milestone.evidence.set(list(evidence))
    Commitment.objects.filter(pk=milestone.commitment_id).update(
        last_update_at=timezone.now(), updated_at=timezone.now()
    )
    return milestone
