"""Accepting, linking and rejecting a statement's sentences, and quotes kept exact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.choices import DeadlineChangeReason, Decision, Kind, Precision
from commitments.models import (
    CandidateDecision,
    Commitment,
    DeadlineChange,
    SourceQuote,
    StatusUpdate,
)
from commitments.services.sourcing import (
    NewCommitment,
    accept_candidate,
    link_candidate,
    reject_candidate,
)

TEXT = (
    "Joint statement.\n"
    "Italy and Japan will open a consulate in Osaka by 2027.\n"
    "The leaders welcomed the new air route.\n"
)
SENTENCE = "Italy and Japan will open a consulate in Osaka by 2027."
START = TEXT.index(SENTENCE)
END = START + len(SENTENCE)


@pytest.fixture
def source(make):
    return make.source("Tokyo statement", full_text=TEXT, date=dt.date(2026, 3, 1))


def _new(**kwargs):
    kwargs.setdefault("title", "Open a consulate in Osaka")
    kwargs.setdefault("quote", SENTENCE)
    return NewCommitment(**kwargs)


def test_it_accepts_a_sentence_as_a_commitment_with_its_quotes_place(source, make, editor):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    theme = make.theme("Diplomacy")
    commitment = accept_candidate(
        source=source,
        start=START,
        end=END,
        by=editor,
        new=_new(
            kind=Kind.DELIVERABLE,
            deadline=dt.date(2027, 1, 1),
            deadline_precision=Precision.YEAR,
            parties=[italy, japan],
            themes=[theme],
        ),
    )
    assert commitment.source == source and commitment.quote == SENTENCE
    assert (commitment.deadline, commitment.deadline_precision) == (dt.date(2027, 12, 31), "year")
    assert sorted(a.name for a in commitment.actors.all()) == ["Italy", "Japan"]
    assert list(commitment.themes.all()) == [theme]
    assert commitment.announced_on == dt.date(2026, 3, 1)
    place = SourceQuote.objects.get(commitment=commitment)
    assert TEXT[place.start : place.end] == SENTENCE
    decision = CandidateDecision.objects.get(source=source)
    assert (decision.decision, decision.commitment) == (Decision.ACCEPTED, commitment)


def test_it_keeps_a_trimmed_quote_at_its_own_place(source, editor):
    commitment = accept_candidate(
        source=source, start=START, end=END, by=editor, new=_new(quote="open a consulate in Osaka")
    )
    place = SourceQuote.objects.get(commitment=commitment)
    assert TEXT[place.start : place.end] == "open a consulate in Osaka" == commitment.quote
    assert CandidateDecision.objects.get().end == END


def test_it_refuses_a_quote_that_is_not_the_sources_words_and_writes_nothing(source, editor):
    with pytest.raises(ValidationError) as error:
        accept_candidate(
            source=source, start=START, end=END, by=editor, new=_new(quote="open two consulates")
        )
    assert "not in the source's text" in str(error.value.message_dict["quote"])
    assert not Commitment.objects.exists() and not CandidateDecision.objects.exists()


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (10, 10), (0, len(TEXT) + 1)])
def test_it_refuses_a_place_outside_the_text(source, editor, start, end):
    with pytest.raises(ValidationError, match="not a sentence"):
        reject_candidate(source=source, start=start, end=end, by=editor)


def test_it_takes_the_texts_last_character_and_not_one_more(source, editor):
    text = source.full_text
    reject_candidate(source=source, start=len(text) - 5, end=len(text), by=editor)
    with pytest.raises(ValidationError):
        reject_candidate(source=source, start=len(text) - 5, end=len(text) + 1, by=editor)


def test_it_decides_a_sentence_once(source, editor):
    reject_candidate(source=source, start=START, end=END, by=editor)
    with pytest.raises(ValidationError, match="already decided"):
        accept_candidate(source=source, start=START, end=END, by=editor, new=_new())
    assert not Commitment.objects.exists()


def test_it_refuses_a_commitment_the_model_refuses_and_writes_nothing(source, editor):
    with pytest.raises(ValidationError):
        accept_candidate(source=source, start=START, end=END, by=editor, new=_new(title=" "))
    assert not Commitment.objects.exists() and not CandidateDecision.objects.exists()


def test_it_links_a_sentence_and_records_a_deadline_change_in_the_history(
    source, make, editor, frozen_clock
):
    tracked = make.commitment(
        "Open a consulate", deadline=dt.date(2026, 12, 31), precision=Precision.YEAR
    )
    link_candidate(
        source=source,
        start=START,
        end=END,
        commitment=tracked,
        by=editor,
        deadline=dt.date(2027, 1, 1),
        deadline_precision=Precision.YEAR,
    )
    tracked.refresh_from_db()
    assert (tracked.deadline, tracked.deadline_precision) == (dt.date(2027, 12, 31), "year")
    change = DeadlineChange.objects.get(commitment=tracked)
    assert (change.old_display, change.new_display) == ("by 2026", "by 2027")
    assert change.reason == DeadlineChangeReason.RESCHEDULED
    assert change.source == source and SENTENCE in change.note
    assert change.changed_by == editor
    assert SourceQuote.objects.get(commitment=tracked).quote == SENTENCE
    assert CandidateDecision.objects.get().decision == Decision.LINKED


def test_it_links_without_a_history_entry_when_the_deadline_is_the_same(source, make, editor):
    tracked = make.commitment(
        "Open a consulate", deadline=dt.date(2027, 12, 31), precision=Precision.YEAR
    )
    link_candidate(
        source=source,
        start=START,
        end=END,
        commitment=tracked,
        by=editor,
        deadline=dt.date(2027, 6, 1),
        deadline_precision=Precision.YEAR,
    )
    assert not DeadlineChange.objects.exists()
    assert not StatusUpdate.objects.exists()
    link_other = make.commitment("Another")
    with pytest.raises(ValidationError, match="already decided"):
        link_candidate(source=source, start=START, end=END, commitment=link_other, by=editor)


def test_it_keeps_a_rejection_without_a_commitment(source, editor):
    decision = reject_candidate(source=source, start=START, end=END, by=editor)
    assert (decision.decision, decision.commitment) == (Decision.REJECTED, None)


def test_it_verifies_a_commitments_quote_against_its_sources_text(source, make):
    across_bullets = make.source(
        "Bullets", full_text="Cooperation advances on tracks:\n- Regular dialogue.\n"
    )
    ok = Commitment(
        title="Dialogue",
        quote="Cooperation advances on tracks: Regular dialogue.",
        source=across_bullets,
    )
    ok.full_clean(exclude=["slug"])
    wrong = Commitment(title="Consulate", quote="Italy will open two consulates.", source=source)
    with pytest.raises(ValidationError, match="not in the source's stored text"):
        wrong.full_clean(exclude=["slug"])
    no_text = make.source("No text")
    Commitment(title="Free", quote="Anything at all.", source=no_text).full_clean(exclude=["slug"])


def test_it_states_the_span_and_decision_rules_as_constraints(source, make, editor):
    commitment = make.commitment()
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceQuote.objects.create(commitment=commitment, source=source, start=5, end=5, quote="")
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateDecision.objects.create(
            source=source,
            start=1,
            end=4,
            quote="x",
            decision=Decision.REJECTED,
            commitment=commitment,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateDecision.objects.create(
            source=source, start=1, end=4, quote="x", decision=Decision.ACCEPTED
        )
    with pytest.raises(ValidationError, match="not the source's words"):
        SourceQuote(
            commitment=commitment, source=source, start=0, end=5, quote="Italy"
        ).full_clean()
    with pytest.raises(ValidationError, match="names its commitment"):
        CandidateDecision(
            source=source, start=1, end=4, quote="x", decision=Decision.ACCEPTED
        ).full_clean()


def test_it_backs_up_and_restores_quote_places_and_decisions(source, editor):
    import io

    from commitments.backup import restore_backup, write_backup
    from tests.test_backup import wipe

    accept_candidate(source=source, start=START, end=END, by=editor, new=_new())
    forum = "The leaders welcomed the new air route."
    start = TEXT.index(forum)
    reject_candidate(source=source, start=start, end=start + len(forum), by=editor)

    def seen():
        return (
            sorted(SourceQuote.objects.values_list("commitment__slug", "start", "end", "quote")),
            sorted(
                CandidateDecision.objects.values_list(
                    "start", "end", "decision", "commitment__slug"
                )
            ),
        )

    before = seen()
    out = io.StringIO()
    write_backup(out)
    CandidateDecision.objects.all().delete()
    SourceQuote.objects.all().delete()
    wipe()
    restore_backup(io.StringIO(out.getvalue()))
    assert seen() == before


def test_it_keeps_a_text_with_decided_sentences_as_it_is(source, editor):
    source.full_text = TEXT + "An added line.\n"
    source.full_clean()  # nothing decided yet: the text may change
    source.refresh_from_db()
    reject_candidate(source=source, start=START, end=END, by=editor)
    source.title = "Renamed"
    source.full_clean()  # other fields may change
    source.full_text = TEXT + "An added line.\n"
    with pytest.raises(ValidationError, match="its text cannot be changed"):
        source.full_clean()
