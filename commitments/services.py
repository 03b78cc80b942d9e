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
from .validators import is_http_url

# Sentinel: the caller does not take part in the lost-update check.
UNCHECKED = object()

# Longest texts accepted; the same limits are on the model fields and the forms.
RATIONALE_MAX = 5000
EXCERPT_MAX = 5000
# Most evidence items typed in with one update or completion (the form's rows).
NEW_EVIDENCE_MAX = 10
# Ids are 64-bit; a larger number names nothing and cannot even be looked up.
MAX_ID = 2**63 - 1


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
    return StatusUpdate.objects.last_recorded_for(commitment).values_list("id", flat=True).first()


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
    achieved_below_full: bool | None = None,
) -> None:
    errors: dict[str, str] = {}
    if status not in Status.values:
        errors["status"] = f"Unknown status {status!r}."
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = "Progress must be between 0 and 100."
    elif (
        status == Status.ACHIEVED
        and progress is not None
        and progress < 100
        and achieved_below_full is False
    ):
        errors["progress"] = (
            f"Achieved means 100% done. Enter 100, or confirm that it is achieved at {progress}%."
        )
    if effective_on > today:
        errors["effective_on"] = "The effective date cannot be in the future."
    elif commitment.announced_on and effective_on < commitment.announced_on:
        errors["effective_on"] = (
            f"The effective date cannot be before the announcement ({commitment.announced_display})."
        )
    if not rationale.strip():
        errors["rationale"] = "Say why the status is what it is."
    elif len(rationale.strip()) > RATIONALE_MAX:
        errors["rationale"] = f"Keep the rationale under {RATIONALE_MAX} characters."
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
    achieved_below_full: bool | None = None,
) -> StatusUpdate:
    """Record a status update in one transaction: the history row, its evidence, and the
    commitment's current status and progress (unless the update is backdated behind a
    later one, in which case it takes its place in history only).

    `seen_latest_id` is the latest recorded update id the analyst saw; if another update
    was recorded since, StaleUpdateError is raised and nothing is written.

    Achieved means 100%: without a progress it is recorded as 100. A lower progress
    needs `achieved_below_full=True` from a caller that asks the analyst (the form);
    None means the caller does not ask (the seed, the importer) and the value is kept.
    """
    today = timezone.localdate()
    effective_on = effective_on or today
    if status == Status.ACHIEVED and progress is None:
        progress = 100
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
        achieved_below_full=achieved_below_full,
    )
    _validate_new_evidence(new_items, today=today)

    created_evidence = _create_evidence(locked, new_items, by=by)

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


def _validate_new_evidence(items: list[NewEvidence], *, today: dt.date) -> None:
    if len(items) > NEW_EVIDENCE_MAX:
        raise ValidationError(
            {"new_evidence": f"Add at most {NEW_EVIDENCE_MAX} new evidence items at a time."}
        )
    for item in items:
        if item.url and not is_http_url(item.url):
            raise ValidationError(
                {"new_evidence": "Evidence links must start with http:// or https://."}
            )
        if len(item.excerpt) > EXCERPT_MAX:
            raise ValidationError(
                {"new_evidence": f"Keep excerpts under {EXCERPT_MAX} characters."}
            )
        if item.published_on and item.published_on > today:
            raise ValidationError({"new_evidence": "A publication date cannot be in the future."})


def _create_evidence(
    commitment: Commitment, items: list[NewEvidence], *, by: AbstractBaseUser | None
) -> list[Evidence]:
    created = []
    for item in items:
        obj = Evidence(commitment=commitment, added_by=by, **item.__dict__)
        obj.full_clean()
        obj.save()
        created.append(obj)
    return created


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
def add_milestone(
    *,
    commitment: Commitment,
    title: str,
    due_on: dt.date | None = None,
    due_precision: str = "",
) -> Milestone:
    """Add a milestone at the end of the commitment's list."""
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    milestone = Milestone(
        commitment=locked,
        title=title.strip(),
        due_on=due_on,
        due_precision=due_precision,
        order=locked.milestones.count(),
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def complete_milestone(
    *,
    milestone: Milestone,
    completed_on: dt.date,
    by: AbstractBaseUser | None,
    evidence: Iterable[Evidence] = (),
    new_evidence: Iterable[NewEvidence] = (),
) -> Milestone:
    """Mark a milestone completed, with the evidence that shows it; it then shows in the
    commitment's timeline. The row is locked so two analysts cannot both complete it."""
    today = timezone.localdate()
    locked = Milestone.objects.select_for_update().select_related("commitment").get(pk=milestone.pk)
    existing = list(evidence)
    new_items = list(new_evidence)
    if locked.completed_on is not None:
        raise ValidationError({"completed_on": "This milestone is already completed."})
    if completed_on > today:
        raise ValidationError({"completed_on": "A completion date cannot be in the future."})
    commitment = locked.commitment
    if commitment.announced_on and completed_on < commitment.announced_on:
        raise ValidationError(
            {
                "completed_on": "A completion date cannot be before the announcement "
                f"({commitment.announced_display})."
            }
        )
    if any(item.commitment_id != commitment.pk for item in existing):
        raise ValidationError({"evidence": "Evidence must belong to this commitment."})
    if not existing and not new_items:
        raise ValidationError({"evidence": "Show at least one evidence item for the completion."})
    _validate_new_evidence(new_items, today=today)

    created = _create_evidence(commitment, new_items, by=by)
    locked.completed_on = completed_on
    locked.completed_by = by
    locked.save(update_fields=["completed_on", "completed_by"])
    locked.evidence.set([*existing, *created])
    Commitment.objects.filter(pk=commitment.pk).update(
        last_update_at=timezone.now(), updated_at=timezone.now()
    )
    milestone.completed_on, milestone.completed_by = locked.completed_on, locked.completed_by
    return locked
