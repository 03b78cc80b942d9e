"""Each party's own status and score: the assessment service and its rules at their edges."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import HistoryIsAppendOnly, Party, PartyAssessment, StatusUpdate
from commitments.services import StaleUpdateError
from commitments.services.assessments import (
    PartyInput,
    check_party_assessment,
    derived_status,
    latest_recorded_assessment_id,
    record_party_assessment,
    record_party_assessments,
)

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def gcap(make):
    italy, japan, uk = make.actor("Italy"), make.actor("Japan"), make.actor("United Kingdom")
    commitment = make.commitment(
        "Deliver GCAP",
        parties=[italy, japan, uk],
        announced_on=dt.date(2025, 1, 1),
        announced_precision="day",
    )
    return commitment, italy, japan, uk


def _assess(commitment, actor, evidence, **kwargs):
    kwargs.setdefault("status", "in_progress")
    kwargs.setdefault("rationale", "Contracts signed.")
    kwargs.setdefault("effective_on", dt.date(2026, 3, 1))
    return record_party_assessment(
        commitment=commitment, actor=actor, by=None, evidence=[evidence], **kwargs
    )


def test_it_writes_the_history_entry_and_the_partys_current_status_and_score(gcap, make):
    commitment, italy, japan, _ = gcap
    evidence = make.evidence(commitment)
    row = _assess(commitment, italy, evidence, status="achieved", score=1)
    italy_party = Party.objects.get(commitment=commitment, actor=italy)
    japan_party = Party.objects.get(commitment=commitment, actor=japan)
    assert (italy_party.status, italy_party.score) == ("achieved", 1)
    assert (japan_party.status, japan_party.score) == ("not_rated", None)
    assert row.previous_status == "not_rated"
    assert list(row.evidence.all()) == [evidence]
    commitment.refresh_from_db()
    assert commitment.status == "not_rated"  # the overall status is the analyst's own
    assert StatusUpdate.objects.count() == 0


@pytest.mark.parametrize("score", [-1, 0, 1])
def test_it_accepts_every_score_from_minus_one_to_one(gcap, make, score):
    commitment, italy, *_ = gcap
    _assess(commitment, italy, make.evidence(commitment), score=score)
    assert Party.objects.get(commitment=commitment, actor=italy).score == score


@pytest.mark.parametrize("score", [-2, 2])
def test_it_refuses_a_score_just_outside_minus_one_to_one(gcap, make, score):
    commitment, italy, *_ = gcap
    with pytest.raises(ValidationError) as error:
        _assess(commitment, italy, make.evidence(commitment), score=score)
    assert "-1, 0 or +1" in error.value.message_dict["score"][0]
    assert PartyAssessment.objects.count() == 0


def test_it_refuses_a_score_without_a_rating(gcap):
    commitment, italy, *_ = gcap
    with pytest.raises(ValidationError) as error:
        check_party_assessment(
            commitment=commitment, actor=italy, status="not_rated", score=0, rationale="x"
        )
    assert "Not yet rated" in error.value.message_dict["score"][0]


def test_it_needs_evidence_for_any_status_but_not_yet_rated(gcap):
    commitment, italy, *_ = gcap
    with pytest.raises(ValidationError) as error:
        record_party_assessment(
            commitment=commitment, actor=italy, status="stalled", rationale="Quiet.", by=None
        )
    assert "evidence" in error.value.message_dict
    # Not yet rated without evidence changes nothing from the start, so it is a review.
    row = record_party_assessment(
        commitment=commitment,
        actor=italy,
        status="not_rated",
        rationale="Not looked at yet.",
        review=True,
        by=None,
    )
    assert row.status == "not_rated"


def test_it_refuses_an_actor_that_is_not_a_party(gcap, make):
    commitment, *_ = gcap
    france = make.actor("France")
    with pytest.raises(ValidationError) as error:
        _assess(commitment, france, make.evidence(commitment))
    assert "France is not a party" in error.value.message_dict["party"][0]
    assert PartyAssessment.objects.count() == 0


def test_it_refuses_a_save_when_another_assessment_of_the_party_came_first(gcap, make):
    commitment, italy, japan, _ = gcap
    evidence = make.evidence(commitment)
    party = Party.objects.get(commitment=commitment, actor=italy)
    seen = latest_recorded_assessment_id(party)
    assert seen is None
    first = _assess(commitment, italy, evidence, seen_latest_id=seen)
    with pytest.raises(StaleUpdateError) as error:
        _assess(commitment, italy, evidence, status="stalled", seen_latest_id=seen)
    assert error.value.latest == first
    # Another party's assessment does not make this one stale.
    _assess(commitment, japan, evidence, seen_latest_id=None)
    assert PartyAssessment.objects.count() == 2


def test_it_corrects_by_a_new_entry_and_never_changes_a_recorded_one(gcap, make):
    commitment, italy, japan, _ = gcap
    evidence = make.evidence(commitment)
    wrong = _assess(commitment, italy, evidence, status="achieved", score=1)
    fix = _assess(commitment, italy, evidence, status="in_progress", score=0, corrects=wrong)
    party = Party.objects.get(commitment=commitment, actor=italy)
    assert (party.status, party.score) == ("in_progress", 0)
    assert PartyAssessment.objects.count() == 2
    with pytest.raises(ValidationError, match="already been corrected"):
        _assess(commitment, italy, evidence, status="stalled", corrects=wrong)
    with pytest.raises(ValidationError, match="assessment of this party"):
        _assess(commitment, japan, evidence, corrects=fix)
    wrong.status = "broken"
    with pytest.raises(HistoryIsAppendOnly, match="record a correction"):
        wrong.save()
    with pytest.raises(HistoryIsAppendOnly):
        fix.delete()


def test_it_takes_an_assessment_that_changes_nothing_only_as_a_review(gcap, make):
    commitment, italy, *_ = gcap
    evidence = make.evidence(commitment)
    _assess(commitment, italy, evidence, score=0)
    with pytest.raises(ValidationError, match="scored 0 partial"):
        _assess(commitment, italy, evidence, score=0, effective_on=dt.date(2026, 3, 5))
    # A different score is a change.
    _assess(commitment, italy, evidence, score=1, effective_on=dt.date(2026, 3, 5))


def test_it_asks_before_recording_an_assessment_a_later_one_hides(gcap, make):
    commitment, italy, *_ = gcap
    evidence = make.evidence(commitment)
    _assess(commitment, italy, evidence, effective_on=dt.date(2026, 3, 5))
    with pytest.raises(ValidationError) as error:
        _assess(
            commitment,
            italy,
            evidence,
            status="stalled",
            effective_on=dt.date(2026, 3, 4),
            behind_latest=False,
        )
    assert "behind_latest" in error.value.message_dict
    _assess(
        commitment,
        italy,
        evidence,
        status="stalled",
        effective_on=dt.date(2026, 3, 4),
        behind_latest=True,
    )
    assert Party.objects.get(commitment=commitment, actor=italy).status == "in_progress"


def test_it_refuses_an_effective_date_one_day_in_the_future(gcap, make):
    commitment, italy, *_ = gcap
    evidence = make.evidence(commitment)
    with pytest.raises(ValidationError) as error:
        _assess(commitment, italy, evidence, effective_on=dt.date(2026, 3, 11))
    assert "future" in error.value.message_dict["effective_on"][0]
    _assess(commitment, italy, evidence, effective_on=dt.date(2026, 3, 10))


def test_it_assesses_several_parties_all_or_nothing(gcap, make):
    commitment, italy, japan, uk = gcap
    evidence = make.evidence(commitment)
    shared = {
        "rationale": "Joint report.",
        "evidence": [evidence],
        "effective_on": dt.date(2026, 3, 1),
    }
    with pytest.raises(ValidationError) as error:
        record_party_assessments(
            commitment=commitment,
            parties=[PartyInput(italy, "achieved", 1), PartyInput(japan, "in_progress", 5)],
            by=None,
            **shared,
        )
    assert error.value.message_dict["score"] == ["Japan: A compliance score is -1, 0 or +1, not 5."]
    assert PartyAssessment.objects.count() == 0
    rows = record_party_assessments(
        commitment=commitment,
        parties=[PartyInput(italy, "achieved", 1), PartyInput(uk, "in_progress", 0)],
        by=None,
        **shared,
    )
    assert [r.party.actor for r in rows] == [italy, uk]


def test_it_refuses_an_empty_batch(gcap):
    commitment, *_ = gcap
    with pytest.raises(ValidationError, match="at least one party"):
        record_party_assessments(commitment=commitment, parties=[], by=None, rationale="x")


def test_the_database_refuses_a_score_out_of_range_or_without_a_rating(gcap):
    commitment, italy, *_ = gcap
    party = Party.objects.get(commitment=commitment, actor=italy)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Party.objects.filter(pk=party.pk).update(status="achieved", score=2)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Party.objects.filter(pk=party.pk).update(status="not_rated", score=1)


def test_a_partys_clean_states_the_score_rules(gcap):
    commitment, italy, *_ = gcap
    party = Party.objects.get(commitment=commitment, actor=italy)
    party.status, party.score = "not_rated", -1
    with pytest.raises(ValidationError, match="Not yet rated"):
        party.clean()
    party.status, party.score = "achieved", 3
    with pytest.raises(ValidationError, match="-1, 0 or \\+1"):
        party.clean()


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], None),
        (["not_rated", "not_rated"], None),
        (["achieved", "achieved", "not_rated"], "achieved"),
        (["achieved", "broken"], "partially_achieved"),
        (["in_progress", "stalled"], "in_progress"),
        (["stalled", "not_started"], "stalled"),
        (["not_started", "broken"], "not_started"),
    ],
)
def test_it_derives_the_overall_status_from_the_parties(statuses, expected):
    assert derived_status(statuses) == expected
