"""Status updates: the one way a commitment's status and progress change.

`record_status_update` writes the history row, its evidence and the commitment's
current status and progress in one transaction, with the commitment's row locked.
It also sets the commitment's next review from the review policy
(`review_policy.next_review_after`) and brings its status periods in step with the
history (`periods.refresh_commitment`). Its rules, each with its message keyed by the field
it is about:

- the status is one of ours, and the progress between 0 and 100;
- Achieved means 100%: without a progress it is recorded as 100, and a lower progress
  needs `achieved_below_full=True` (None: the caller does not ask, the value is kept);
- the effective date is a day the commitment allows (`timing.check_day`);
- there is a rationale, and evidence for any status other than Not yet rated;
- an update that changes nothing (the same status and progress as the one it follows,
  the same dataset rating when it gives one, and no evidence that one lacked) is
  recorded only as a review (`review=True`); a dataset's own rating (`source_rating`,
  from the column `source_rating_column`) is kept on the entry, and a change of it is a
  change even where our status stays the same;
- an update that an update with a later effective date would hide is recorded only
  when the caller says so (`behind_latest=True`; None: the caller does not ask), so
  nobody believes they changed the current status when they did not;
- a correction names an update of the same commitment that is not corrected yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import dates
from ..choices import Precision, Status, status_label
from ..models import Commitment, Evidence, StatusUpdate
from ..validators import control_character_problem
from . import evidence as evidence_service
from . import periods, recorded_months
from .evidence import NewEvidence
from .limits import RATIONALE_MAX
from .review_policy import next_review_after
from .timing import check_day, check_recorded_at

SOURCE_RATING_MAX = StatusUpdate._meta.get_field("source_rating").max_length
SOURCE_RATING_COLUMN_MAX = StatusUpdate._meta.get_field("source_rating_column").max_length

# Sentinel: the caller does not take part in the lost-update check.
UNCHECKED = object()


class StaleUpdateError(Exception):
    """Another update was recorded after the one the analyst saw."""

    def __init__(self, latest: StatusUpdate | None):
        self.latest = latest
        super().__init__(gettext("Another update was recorded while you were editing."))


def latest_update(commitment: Commitment) -> StatusUpdate | None:
    """The update that defines the current status: latest by effective date, not corrected."""
    return StatusUpdate.objects.filter(commitment=commitment).not_corrected().newest_first().first()


def latest_recorded_id(commitment: Commitment) -> int | None:
    """The id of the most recently recorded update: what a form carries to detect conflicts."""
    return StatusUpdate.objects.last_recorded_for(commitment).values_list("id", flat=True).first()


@dataclass
class _Update:
    """One update as asked for, with what the rules work out from it."""

    commitment: Commitment
    status: str
    progress: int | None
    effective_on: dt.date
    effective_precision: str
    rationale: str
    evidence: list[Evidence]
    new_evidence: list[NewEvidence]
    corrects: StatusUpdate | None
    achieved_below_full: bool | None
    behind_latest: bool | None
    review: bool
    source_rating: str = ""
    source_rating_column: str = ""

    def history(self) -> StatusUpdate:
        """The non-corrected updates of the commitment, the one being corrected left out
        (none for a commitment not saved yet, whose first status is being checked)."""
        if self.commitment.pk is None:
            return StatusUpdate.objects.none()
        updates = StatusUpdate.objects.filter(commitment=self.commitment).not_corrected()
        if self.corrects is not None:
            updates = updates.exclude(pk=self.corrects.pk)
        return updates

    def follows(self) -> StatusUpdate | None:
        """The update in effect just before this one: the chain skips corrected ones."""
        return self.history().in_effect_on(self.effective_on).first()

    def hidden_by(self) -> StatusUpdate | None:
        """An update with a later effective date, which stays current over this one."""
        return self.history().filter(effective_on__gt=self.effective_on).newest_first().first()

    def values(self) -> tuple:
        return (self.status, self.progress)

    def values_of(self, entry: StatusUpdate | None) -> tuple:
        return (entry.status, entry.progress) if entry else (Status.NOT_RATED, None)

    def describe(self, entry: StatusUpdate | None) -> str:
        status, progress = self.values_of(entry)
        label = status_label(status, self.commitment.kind)
        if progress is None:
            return str(label)
        return gettext("%(status)s at %(progress)s%%") % {"status": label, "progress": progress}

    def no_change_message(self, before: StatusUpdate | None) -> str:
        """Why an update that changes nothing is refused, naming what it compares."""
        return gettext(
            "This changes nothing: the status is already %(current)s and no new evidence is "
            "given. Record it as a review if you checked and found nothing new, or change the "
            "status, the progress or the evidence."
        ) % {"current": self.describe(before)}


def _prepare(
    commitment: Commitment,
    *,
    today: dt.date,
    status: str,
    rationale: str,
    progress: int | None = None,
    effective_on: dt.date | None = None,
    effective_precision: str = Precision.DAY,
    evidence: Iterable[Evidence] = (),
    new_evidence: Iterable[NewEvidence] = (),
    corrects: StatusUpdate | None = None,
    achieved_below_full: bool | None = None,
    behind_latest: bool | None = None,
    review: bool = False,
    source_rating: str = "",
    source_rating_column: str = "",
) -> _Update:
    effective_precision = effective_precision or Precision.DAY
    effective_on = effective_on or today
    if effective_precision in Precision.values:
        effective_on = dates.period_start(effective_on, effective_precision)
    if status == Status.ACHIEVED and progress is None:
        progress = 100
    return _Update(
        commitment=commitment,
        status=status,
        progress=progress,
        effective_on=effective_on,
        effective_precision=effective_precision,
        rationale=(rationale or "").strip(),
        evidence=list(dict.fromkeys(evidence)),
        new_evidence=list(new_evidence),
        corrects=corrects,
        achieved_below_full=achieved_below_full,
        behind_latest=behind_latest,
        review=review,
        source_rating=" ".join((source_rating or "").split())[:SOURCE_RATING_MAX],
        source_rating_column=(source_rating_column or "").strip()[:SOURCE_RATING_COLUMN_MAX],
    )


def same_rating(entry, source_rating: str, source_rating_column: str) -> bool:
    """Whether `entry` (an update, or None) holds this dataset rating, read from this
    column: their words compared without regard to case or spacing."""
    if entry is None:
        return False
    given = (" ".join(source_rating.split()).casefold(), source_rating_column.strip())
    held = getattr(entry, "source_rating", ""), getattr(entry, "source_rating_column", "")
    return given == (" ".join(held[0].split()).casefold(), held[1].strip())


def in_effect_on(commitment: Commitment, day: dt.date) -> StatusUpdate | None:
    """The update that gives the commitment's status on `day`, if any."""
    return StatusUpdate.objects.filter(commitment=commitment).in_effect_on(day).first()


def _check(update: _Update, *, today: dt.date) -> None:
    """Every rule of the module's description; raises one ValidationError with all the
    problems, keyed by field."""
    errors = field_errors(update, today=today)
    if update.corrects is not None:
        if update.corrects.commitment_id != update.commitment.pk:
            errors["corrects"] = gettext("You can only correct an update of this commitment.")
        elif StatusUpdate.objects.filter(corrects=update.corrects).exists():
            errors["corrects"] = gettext("That update has already been corrected.")
    if errors:
        raise ValidationError(errors)
    check_history(update)


def field_errors(update: _Update, *, today: dt.date) -> dict[str, str]:
    """The rules on the update's own values (status, progress, date, rationale,
    evidence), keyed by field; shared with a party's assessments."""
    errors: dict[str, str] = {}
    commitment = update.commitment
    if update.status not in Status.values:
        errors["status"] = gettext("Unknown status %(status)s.") % {"status": repr(update.status)}
    if update.progress is not None and not 0 <= update.progress <= 100:
        errors["progress"] = gettext("Progress must be between 0 and 100.")
    elif (
        update.status == Status.ACHIEVED
        and update.progress is not None
        and update.progress < 100
        and update.achieved_below_full is False
    ):
        errors["progress"] = gettext(
            "Achieved means 100%% done. Enter 100, or confirm that it is achieved at "
            "%(progress)s%%."
        ) % {"progress": update.progress}
    if update.effective_precision not in Precision.values:
        errors["effective_precision"] = gettext("Unknown precision %(precision)s.") % {
            "precision": repr(update.effective_precision)
        }
    else:
        problem = check_day(
            commitment,
            update.effective_on,
            what=gettext("The effective date"),
            today=today,
            precision=update.effective_precision,
        )
        if problem:
            errors["effective_on"] = problem
    if not update.rationale:
        errors["rationale"] = gettext("Say why the status is what it is.")
    elif len(update.rationale) > RATIONALE_MAX:
        errors["rationale"] = gettext("Keep the rationale under %(max)s characters.") % {
            "max": RATIONALE_MAX
        }
    elif problem := control_character_problem(update.rationale):
        errors["rationale"] = gettext("The rationale %(problem)s.") % {"problem": problem}
    if update.status != Status.NOT_RATED and not (update.evidence or update.new_evidence):
        errors["evidence"] = gettext(
            "A status other than Not yet rated needs at least one evidence item."
        )
    try:
        evidence_service.check_new_evidence(update.new_evidence, today=today)
    except ValidationError as error:
        errors.update({key: " ".join(messages) for key, messages in error.message_dict.items()})
    return errors


def check_history(update: _Update) -> None:
    """The rules against the history the update joins: it changes something (or is a
    review) and it becomes current (or the caller confirms it will not)."""
    _check_it_changes_something(update)
    _check_it_becomes_current(update)


def _check_it_changes_something(update: _Update) -> None:
    if update.review or update.corrects is not None:
        return
    before = update.follows()
    if update.values() != update.values_of(before):
        return
    rating = update.source_rating, update.source_rating_column
    if update.source_rating and not same_rating(before, *rating):
        return
    shown = {e.pk for e in before.evidence.all()} if before else set()
    given = [e.pk for e in update.evidence]
    for item in update.new_evidence:
        match = evidence_service.existing_match(item)
        if match is None:
            return
        given.append(match.pk)
    if set(given) - shown:
        return
    message = update.no_change_message(before)
    raise ValidationError({"review": ValidationError(message, code="no_change")})


def _check_it_becomes_current(update: _Update) -> None:
    if update.behind_latest is not False or update.corrects is not None:
        return
    later = update.hidden_by()
    if later is None:
        return
    message = gettext(
        "An update effective %(effective)s (%(status)s) is later than this one, so this one "
        "will not change the current status. Confirm that it belongs in the history only, or "
        "give a later effective date."
    ) % {
        "effective": later.effective_display,
        "status": status_label(later.status, update.commitment.kind),
    }
    raise ValidationError({"behind_latest": ValidationError(message, code="behind_latest")})


def check_status_update(*, commitment: Commitment, **fields) -> None:
    """The rules of `record_status_update`, without writing anything: for a form that
    shows the problems before saving. Takes the same keyword arguments but `by`,
    `seen_latest_id` and `recorded_at`; raises ValidationError keyed by field."""
    today = timezone.localdate()
    _check(_prepare(commitment, today=today, **fields), today=today)


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
    behind_latest: bool | None = None,
    review: bool = False,
    recorded_at: dt.datetime | None = None,
    claimed_by: str = "",
    claimed_at: dt.datetime | None = None,
    source_rating: str = "",
    source_rating_column: str = "",
) -> StatusUpdate:
    """Record a status update in one transaction: the history row, its evidence, and
    the commitment's current status and progress, which always equal those of its
    latest non-corrected update by effective date.

    `seen_latest_id` is the latest recorded update id the analyst saw; if another
    update was recorded since, StaleUpdateError is raised and nothing is written.
    `recorded_at` is when the entry is recorded, now unless given (never later). `claimed_by` and
    `claimed_at` keep who and when an imported file says recorded the entry: data of the
    entry, shown as the file's claim, while `by` and the time of the import record it.
    `source_rating` and `source_rating_column` keep a dataset's own words for the rating
    and the column they came from.
    """
    today = timezone.localdate()
    now = timezone.now()
    problem = recorded_at and check_recorded_at(recorded_at, now=now)
    if problem:
        raise ValidationError({"recorded_at": problem})
    problem = claimed_at and check_recorded_at(
        claimed_at, now=now, what=gettext("An imported entry")
    )
    if problem:
        raise ValidationError({"claimed_at": problem})
    # Lock the commitment row so concurrent updates queue up instead of racing.
    locked = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("source")
        .get(pk=commitment.pk)
    )

    if seen_latest_id is not UNCHECKED:
        current_latest_id = latest_recorded_id(locked)
        if current_latest_id != seen_latest_id:
            newest = StatusUpdate.objects.filter(pk=current_latest_id).first()
            raise StaleUpdateError(newest)

    update = _prepare(
        locked,
        status=status,
        rationale=rationale,
        progress=progress,
        effective_on=effective_on,
        effective_precision=effective_precision,
        evidence=evidence,
        new_evidence=new_evidence,
        corrects=corrects,
        achieved_below_full=achieved_below_full,
        behind_latest=behind_latest,
        review=review,
        source_rating=source_rating,
        source_rating_column=source_rating_column,
        today=today,
    )
    _check(update, today=today)
    before = update.follows()
    items = [*update.evidence, *evidence_service.resolve(update.new_evidence, by=by)]
    evidence_service.link(items, locked)

    row = StatusUpdate(
        commitment=locked,
        status=update.status,
        previous_status=before.status if before else Status.NOT_RATED,
        progress=update.progress,
        effective_on=update.effective_on,
        effective_precision=update.effective_precision,
        recorded_by=by,
        recorded_at=recorded_at or now,
        rationale=update.rationale,
        corrects=update.corrects,
        review=update.review,
        claimed_by=claimed_by,
        claimed_at=claimed_at,
        source_rating=update.source_rating,
        source_rating_column=update.source_rating_column,
    )
    row.full_clean(exclude=["commitment", "recorded_by", "corrects"])
    row.save()
    row.evidence.set(items)

    periods.refresh_commitment(locked.pk)
    recorded_months.count_update(row.recorded_at)
    _sync_current_status(locked, recorded_at=row.recorded_at)
    commitment.status, commitment.progress = locked.status, locked.progress
    commitment.last_update_at = locked.last_update_at
    commitment.next_review_on = locked.next_review_on
    return row


def _sync_current_status(commitment: Commitment, *, recorded_at: dt.datetime) -> None:
    """Make the commitment's status and progress equal its latest update by effective date."""
    current = latest_update(commitment)
    commitment.status = current.status if current else Status.NOT_RATED
    commitment.progress = current.progress if current else None
    commitment.last_update_at = max(filter(None, [commitment.last_update_at, recorded_at]))
    # Someone just looked at it: its next review follows the policy from today.
    commitment.next_review_on = next_review_after(commitment, timezone.localdate())
    Commitment.objects.filter(pk=commitment.pk).update(
        status=commitment.status,
        progress=commitment.progress,
        last_update_at=commitment.last_update_at,
        next_review_on=commitment.next_review_on,
        updated_at=timezone.now(),
    )
