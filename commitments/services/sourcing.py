"""From a stored statement to tracked commitments: accept a sentence as a new
commitment, link it to one already tracked, or reject it.

Each service locks the source row, so two editors deciding on the same sentence queue up
and the second is told it is decided; each decision is kept (`CandidateDecision`), so a
rejected sentence is not proposed again. Rules, each with its message keyed by field:

- the sentence is the source's exact words at its place (`quotes.span_problem`), and the
  quote an editor keeps is found in the source's text (it may be trimmed);
- a sentence is decided once;
- a commitment keeps the quote's place as a `SourceQuote`;
- linking changes the deadline only when the statement gives another one, and then
  through `change_deadline`, so the commitment's deadline history keeps the old and new
  deadline, the statement as its source and its words as the note ("rescheduled by the
  parties"; a first deadline needs no reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .. import dates, quotes
from ..choices import DeadlineChangeReason, Decision, Kind, PartyRole
from ..models import (
    Actor,
    CandidateDecision,
    Commitment,
    Party,
    Source,
    SourceQuote,
    Theme,
    unique_slug,
)
from .deadlines import change_deadline
from .limits import DEADLINE_NOTE_MAX


@dataclass
class NewCommitment:
    """A candidate as the editor saves it."""

    title: str
    quote: str
    kind: str = Kind.DELIVERABLE
    deadline: dt.date | None = None
    deadline_precision: str = ""
    parties: list[Actor] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    summary: str = ""


def _locked_source(source: Source) -> Source:
    return Source.objects.select_for_update().get(pk=source.pk)


def check_sentence(source: Source, *, start: int, end: int) -> str:
    """The source's words at `start`–`end`, or ValidationError (key `sentence`)."""
    text = source.full_text
    if not 0 <= start < end <= len(text) or not text[start:end].strip():
        raise ValidationError(
            {
                "sentence": gettext(
                    "The place %(start)s–%(end)s is not a sentence of this source's text."
                )
                % {"start": start, "end": end}
            }
        )
    return text[start:end]


def _check_undecided(source: Source, start: int, end: int) -> None:
    decided = CandidateDecision.objects.filter(source=source, start=start, end=end).first()
    if decided is not None:
        raise ValidationError(
            {
                "sentence": gettext("This sentence is already decided (%(decision)s).")
                % {"decision": decided.get_decision_display()}
            }
        )


def _quote_place(source: Source, quote: str, start: int, end: int) -> tuple[int, int]:
    """Where the kept quote stands: the sentence itself, or words of the text near it."""
    quote = quote.strip()
    if source.full_text[start:end] == quote:
        return start, end
    place = quotes.locate(source.full_text, quote, near=start)
    if place is None:
        raise ValidationError(
            {
                "quote": gettext(
                    "These words are not in the source's text: a quote is its exact words."
                )
            }
        )
    return place


@transaction.atomic
def accept_candidate(
    *,
    source: Source,
    start: int,
    end: int,
    new: NewCommitment,
    by: AbstractBaseUser | None,
) -> Commitment:
    """Create the commitment a sentence holds, with its quote's place, parties and themes."""
    source = _locked_source(source)
    sentence = check_sentence(source, start=start, end=end)
    _check_undecided(source, start, end)
    quote_start, quote_end = _quote_place(source, new.quote or sentence, start, end)
    commitment = Commitment(
        title=new.title.strip(),
        slug=unique_slug(Commitment, new.title),
        summary=new.summary,
        quote=source.full_text[quote_start:quote_end],
        source=source,
        kind=new.kind,
        deadline=new.deadline,
        deadline_precision=new.deadline_precision if new.deadline else "",
        announced_on=source.date,
        announced_precision="day" if source.date else "",
    )
    commitment.full_clean(exclude=["slug"])
    commitment.save()
    Party.objects.bulk_create(
        [Party(commitment=commitment, actor=actor, role=PartyRole.LEAD) for actor in new.parties]
    )
    commitment.themes.set(new.themes)
    _keep_quote(commitment, source, quote_start, quote_end, by)
    _decide(source, start, end, sentence, Decision.ACCEPTED, commitment, by)
    return commitment


@transaction.atomic
def link_candidate(
    *,
    source: Source,
    start: int,
    end: int,
    commitment: Commitment,
    by: AbstractBaseUser | None,
    deadline: dt.date | None = None,
    deadline_precision: str = "",
) -> Commitment:
    """Record that a sentence reaffirms or amends `commitment`: its quote's place and, when
    it gives another deadline, the new deadline with a history entry saying so."""
    source = _locked_source(source)
    sentence = check_sentence(source, start=start, end=end)
    _check_undecided(source, start, end)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _keep_quote(locked, source, start, end, by)
    if deadline is not None:
        deadline = dates.period_end(deadline, deadline_precision)
        if (deadline, deadline_precision) != (locked.deadline, locked.deadline_precision):
            _change_deadline(locked, source, sentence, deadline, deadline_precision, by)
    _decide(source, start, end, sentence, Decision.LINKED, locked, by)
    return locked


@transaction.atomic
def reject_candidate(
    *, source: Source, start: int, end: int, by: AbstractBaseUser | None
) -> CandidateDecision:
    """Keep a sentence as not a commitment, so it is not proposed again."""
    source = _locked_source(source)
    sentence = check_sentence(source, start=start, end=end)
    _check_undecided(source, start, end)
    return _decide(source, start, end, sentence, Decision.REJECTED, None, by)


def _keep_quote(commitment, source, start, end, by) -> SourceQuote:
    row = SourceQuote(
        commitment=commitment,
        source=source,
        start=start,
        end=end,
        quote=source.full_text[start:end],
        recorded_by=by,
    )
    row.full_clean(exclude=["commitment", "source", "recorded_by"])
    if SourceQuote.objects.filter(
        commitment=commitment, source=source, start=start, end=end
    ).exists():
        return row
    row.save()
    return row


def _decide(source, start, end, sentence, decision, commitment, by) -> CandidateDecision:
    row = CandidateDecision(
        source=source,
        start=start,
        end=end,
        quote=sentence,
        decision=decision,
        commitment=commitment,
        decided_by=by,
    )
    row.full_clean(exclude=["source", "commitment", "decided_by"])
    row.save()
    return row


def _change_deadline(commitment, source, sentence, deadline, precision, by) -> None:
    # A statement that moves a tracked deadline is the parties rescheduling it; a first
    # deadline moves nothing, so it needs no reason.
    reason = DeadlineChangeReason.RESCHEDULED if commitment.deadline else ""
    note = f"“{source.title}” says “{sentence}”."
    if len(note) > DEADLINE_NOTE_MAX:
        note = note[: DEADLINE_NOTE_MAX - 2] + "…”"
    change_deadline(
        commitment=commitment,
        deadline=deadline,
        precision=precision,
        reason=reason,
        note=note,
        by=by,
        source=source,
    )


def decided_spans(source: Source) -> Iterable[tuple[int, int]]:
    return CandidateDecision.objects.filter(source=source).values_list("start", "end")
