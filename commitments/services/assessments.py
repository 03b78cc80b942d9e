"""Per-party assessments: the one way a party's own status and compliance score change.

A joint commitment has one overall status (`status.record_status_update`) and, for each
party, its own: the party's status in the same vocabulary and, optionally, its
compliance score as the G7 and G20 Research Groups give it (-1 failed, 0 partial or
work in progress, +1 full compliance). `record_party_assessment` writes the party's
history entry, its evidence and the party's current status and score in one
transaction, with the commitment's row locked, under the rules of the commitment's
updates, checked by the same functions (`status.field_errors`, `status.check_history`):

- the status is one of ours, the effective date a day the commitment allows, there is
  a rationale, and evidence for any status other than Not yet rated;
- an assessment that changes nothing (the same status and score and no new evidence)
  is recorded only as a review; one that a later assessment would hide only when the
  caller says so (`behind_latest=True`);
- a correction names an assessment of the same party that is not corrected yet;
- `seen_latest_id`: the latest assessment of the party the analyst saw; if another was
  recorded since, `StaleUpdateError` is raised and nothing is written.

Its own rules: the actor is a party to the commitment, and a score is -1, 0 or +1 and
comes with a status other than Not yet rated.

`derived_status` is the overall status the parties' own statuses suggest; the
commitment's status stays the analyst's to set (it is shown as derived when it equals
that suggestion).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from ..choices import Compliance, Precision, Status, status_label
from ..models import Actor, Commitment, Evidence, Party, PartyAssessment, StatusUpdate
from . import evidence as evidence_service
from .evidence import NewEvidence
from .status import (
    UNCHECKED,
    StaleUpdateError,
    _prepare,
    _Update,
    check_history,
    field_errors,
    record_status_update,
)


@dataclass
class _Assessment(_Update):
    """A party's assessment as asked for: the commitment's update rules, run over the
    party's own history and comparing its status and score."""

    party: Party | None = None
    score: int | None = None

    def no_change_message(self, before: PartyAssessment | None) -> str:
        return gettext(
            "This changes nothing: the status is already %(current)s and no new evidence is "
            "given. Record it as a review if you checked and found nothing new, or change the "
            "status, the score or the evidence."
        ) % {"current": self.describe(before)}

    def history(self):
        entries = PartyAssessment.objects.filter(party=self.party).not_corrected()
        if self.corrects is not None:
            entries = entries.exclude(pk=self.corrects.pk)
        return entries

    def values(self) -> tuple:
        return (self.status, self.score)

    def values_of(self, entry: PartyAssessment | None) -> tuple:
        return (entry.status, entry.score) if entry else (Status.NOT_RATED, None)

    def describe(self, entry: PartyAssessment | None) -> str:
        status, score = self.values_of(entry)
        label = status_label(status, self.commitment.kind)
        if score is None:
            return str(label)
        return gettext("%(status)s, scored %(score)s") % {
            "status": label,
            "score": Compliance(score).label,
        }


def latest_assessment(party: Party) -> PartyAssessment | None:
    """The assessment that defines the party's current status: latest by effective date."""
    return PartyAssessment.objects.filter(party=party).not_corrected().newest_first().first()


def latest_recorded_assessment_id(party: Party) -> int | None:
    """The id of the party's most recently recorded assessment: what a form carries."""
    return PartyAssessment.objects.last_recorded_for(party).values_list("id", flat=True).first()


def find_party(commitment: Commitment, actor: Actor | Party) -> Party:
    """The commitment's party for `actor`; a ValidationError keyed `party` if the actor
    is not a party to it."""
    if isinstance(actor, Party):
        actor = actor.actor
    party = Party.objects.filter(commitment=commitment, actor=actor).first()
    if party is None:
        raise ValidationError(
            {
                "party": gettext(
                    "%(actor)s is not a party to this commitment: add it as a party first."
                )
                % {"actor": actor}
            }
        )
    party.commitment = commitment
    return party


def _build(
    commitment: Commitment,
    party: Party,
    *,
    today: dt.date,
    score: int | None,
    corrects: PartyAssessment | None,
    **fields,
) -> _Assessment:
    update = _prepare(commitment, today=today, **fields)
    values = {name: getattr(update, name) for name in update.__dataclass_fields__}
    values.update(party=party, score=score, corrects=corrects, progress=None)
    return _Assessment(**values)


def _check(assessment: _Assessment, *, today: dt.date) -> None:
    errors = field_errors(assessment, today=today)
    score = assessment.score
    if score is not None:
        if score not in Compliance.values:
            errors["score"] = gettext("A compliance score is -1, 0 or +1, not %(score)s.") % {
                "score": repr(score)
            }
        elif assessment.status == Status.NOT_RATED:
            errors["score"] = gettext("A scored party needs a status other than Not yet rated.")
    corrects = assessment.corrects
    if corrects is not None:
        if corrects.party_id != assessment.party.pk:
            errors["corrects"] = gettext("You can only correct an assessment of this party.")
        elif PartyAssessment.objects.filter(corrects=corrects).exists():
            errors["corrects"] = gettext("That assessment has already been corrected.")
    if errors:
        raise ValidationError(errors)
    check_history(assessment)


def check_party_assessment(
    *,
    commitment: Commitment,
    actor: Actor | Party,
    score: int | None = None,
    corrects: PartyAssessment | None = None,
    **fields,
) -> None:
    """The rules of `record_party_assessment`, without writing anything. Takes the same
    keyword arguments but `by`, `seen_latest_id` and `recorded_at`."""
    today = timezone.localdate()
    party = find_party(commitment, actor)
    assessment = _build(commitment, party, today=today, score=score, corrects=corrects, **fields)
    _check(assessment, today=today)


@transaction.atomic
def record_party_assessment(
    *,
    commitment: Commitment,
    actor: Actor | Party,
    status: str,
    by: AbstractBaseUser | None,
    rationale: str,
    score: int | None = None,
    effective_on: dt.date | None = None,
    effective_precision: str = Precision.DAY,
    evidence: Iterable[Evidence] = (),
    new_evidence: Iterable[NewEvidence] = (),
    corrects: PartyAssessment | None = None,
    seen_latest_id: int | None | object = UNCHECKED,
    behind_latest: bool | None = None,
    review: bool = False,
    recorded_at: dt.datetime | None = None,
) -> PartyAssessment:
    """Record one party's assessment: its history entry, its evidence, and the party's
    current status and score, which always equal its latest non-corrected assessment by
    effective date. Raises ValidationError (keyed by field) or StaleUpdateError, and
    then writes nothing."""
    today = timezone.localdate()
    now = timezone.now()
    if recorded_at is not None and recorded_at > now:
        raise ValidationError(
            {"recorded_at": gettext("An assessment cannot be recorded in the future.")}
        )
    # The commitment's row is the lock every write about the commitment queues on.
    locked = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("source")
        .get(pk=commitment.pk)
    )
    party = find_party(locked, actor)
    if seen_latest_id is not UNCHECKED:
        current_latest_id = latest_recorded_assessment_id(party)
        if current_latest_id != seen_latest_id:
            raise StaleUpdateError(PartyAssessment.objects.filter(pk=current_latest_id).first())

    assessment = _build(
        locked,
        party,
        today=today,
        score=score,
        corrects=corrects,
        status=status,
        rationale=rationale,
        effective_on=effective_on,
        effective_precision=effective_precision,
        evidence=evidence,
        new_evidence=new_evidence,
        behind_latest=behind_latest,
        review=review,
    )
    _check(assessment, today=today)
    before = assessment.follows()
    items = [*assessment.evidence, *evidence_service.resolve(assessment.new_evidence, by=by)]
    evidence_service.link(items, locked)

    row = PartyAssessment(
        party=party,
        status=assessment.status,
        previous_status=before.status if before else Status.NOT_RATED,
        score=assessment.score,
        effective_on=assessment.effective_on,
        effective_precision=assessment.effective_precision,
        recorded_by=by,
        recorded_at=recorded_at or now,
        rationale=assessment.rationale,
        corrects=assessment.corrects,
        review=assessment.review,
    )
    row.full_clean(exclude=["party", "recorded_by", "corrects"])
    row.save()
    row.evidence.set(items)
    _sync_party(party, recorded_at=row.recorded_at)
    Commitment.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return row


def _sync_party(party: Party, *, recorded_at: dt.datetime) -> None:
    """Make the party's status and score equal its latest assessment by effective date."""
    current = latest_assessment(party)
    party.status = current.status if current else Status.NOT_RATED
    party.score = current.score if current else None
    party.last_assessed_at = max(filter(None, [party.last_assessed_at, recorded_at]))
    Party.objects.filter(pk=party.pk).update(
        status=party.status, score=party.score, last_assessed_at=party.last_assessed_at
    )


@dataclass
class PartyInput:
    """One party's assessment in a batch (`record_party_assessments`)."""

    actor: Actor | Party
    status: str
    score: int | None = None
    seen_latest_id: int | None | object = UNCHECKED
    extra: dict = field(default_factory=dict)


@transaction.atomic
def record_party_assessments(
    *, commitment: Commitment, parties: Sequence[PartyInput], by: AbstractBaseUser | None, **shared
) -> list[PartyAssessment]:
    """Assess several parties of one commitment at once with the same rationale, date
    and evidence: each its own history entry, all or nothing. A problem is raised as a
    ValidationError whose keys name the party (`"Italy: evidence"`)."""
    if not parties:
        raise ValidationError({"party": gettext("Choose at least one party to assess.")})
    rows: list[PartyAssessment] = []
    errors: dict[str, list[str]] = {}
    shared = dict(shared)
    for item in parties:
        name = str(item.actor.actor if isinstance(item.actor, Party) else item.actor)
        try:
            with transaction.atomic():
                rows.append(
                    record_party_assessment(
                        commitment=commitment,
                        actor=item.actor,
                        status=item.status,
                        score=item.score,
                        seen_latest_id=item.seen_latest_id,
                        by=by,
                        **{**shared, **item.extra},
                    )
                )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(f"{name}: {m}" for m in messages)
        else:
            # The evidence is stored once: the next parties cite what the first one
            # recorded (a new item without a link would otherwise be stored twice).
            shared.update(evidence=list(rows[-1].evidence.all()), new_evidence=())
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def record_update_and_assessments(
    *,
    commitment: Commitment,
    update: dict | None,
    parties: Sequence[PartyInput],
    by: AbstractBaseUser | None,
    seen_latest_id: int | None | object = UNCHECKED,
    **shared,
) -> tuple[StatusUpdate | None, list[PartyAssessment]]:
    """One analyst's submit: the commitment's status update (`update`: its own
    arguments, status and progress, or None for none) and the assessments of the
    parties in `parties`, sharing the date, rationale and evidence in `shared`, all or
    nothing. The update is recorded first (`status.record_status_update`) and the
    parties cite its evidence (`record_party_assessments`); a ValidationError or
    StaleUpdateError from either leaves nothing written."""
    if update is None and not parties:
        raise ValidationError({"party": _("Record the overall status, assess a party, or both.")})
    recorded = None
    if update is not None:
        recorded = record_status_update(
            commitment=commitment, by=by, seen_latest_id=seen_latest_id, **update, **shared
        )
        shared = {**shared, "evidence": list(recorded.evidence.all()), "new_evidence": ()}
    rows = (
        record_party_assessments(commitment=commitment, parties=parties, by=by, **shared)
        if parties
        else []
    )
    return recorded, rows


def derived_status(statuses: Iterable[str]) -> str | None:
    """The overall status the parties' own statuses suggest, or None when no party is
    assessed: their common status when they agree; otherwise Partially achieved once
    any has achieved something, else In progress once any is under way, else Stalled
    once any has stalled, else the least advanced of the rest."""
    rated = [s for s in statuses if s != Status.NOT_RATED]
    if not rated:
        return None
    if len(set(rated)) == 1:
        return rated[0]
    if any(s in (Status.ACHIEVED, Status.PARTIALLY_ACHIEVED) for s in rated):
        return Status.PARTIALLY_ACHIEVED
    for status in (Status.IN_PROGRESS, Status.STALLED, Status.NOT_STARTED):
        if status in rated:
            return status
    return Status.BROKEN
