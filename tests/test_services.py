import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from commitments import services
from commitments.models import HistoryIsAppendOnly, StatusUpdate

NOW = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)


@pytest.fixture
def commitment(make):
    return make.commitment("Deliver a fighter", deadline=dt.date(2035, 1, 1), precision="year")


@time_machine.travel(NOW, tick=False)
def test_it_writes_history_and_current_status_together(commitment, make):
    evidence = make.evidence(commitment)
    update = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        progress=40,
        effective_on=dt.date(2026, 3, 3),
        rationale="Contracts signed.",
        evidence=[evidence],
        by=None,
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 40)
    assert update.previous_status == "not_rated"
    assert list(update.evidence.all()) == [evidence]
    assert commitment.last_update_at == NOW


@time_machine.travel(NOW, tick=False)
def test_it_never_changes_or_deletes_a_recorded_update(commitment, make):
    update = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        progress=40,
        effective_on=dt.date(2026, 3, 3),
        rationale="Contracts signed.",
        evidence=[make.evidence(commitment)],
        by=None,
    )
    update.status = "achieved"
    with pytest.raises(HistoryIsAppendOnly, match="record a correction"):
        update.save()
    with pytest.raises(HistoryIsAppendOnly):
        update.delete()
    update.refresh_from_db()
    assert update.status == "in_progress"
    assert StatusUpdate.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_backdated_update_does_not_overwrite_the_current_status(commitment, make):
    evidence = make.evidence(commitment)
    services.record_status_update(
        commitment=commitment,
        status="stalled",
        effective_on=dt.date(2026, 3, 1),
        rationale="Funding paused.",
        evidence=[evidence],
        by=None,
    )
    older = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        progress=20,
        effective_on=dt.date(2026, 1, 15),
        rationale="Work had started.",
        evidence=[evidence],
        by=None,
    )
    commitment.refresh_from_db()
    assert commitment.status == "stalled"
    history = list(StatusUpdate.objects.filter(commitment=commitment).newest_first())
    assert history[-1] == older


@time_machine.travel(NOW, tick=False)
def test_it_needs_evidence_for_a_rated_status(commitment):
    with pytest.raises(ValidationError) as error:
        services.record_status_update(
            commitment=commitment, status="achieved", rationale="Done.", by=None
        )
    assert "evidence" in error.value.message_dict
    assert not StatusUpdate.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_future_effective_date(commitment):
    with pytest.raises(ValidationError) as error:
        services.record_status_update(
            commitment=commitment,
            status="not_rated",
            review=True,
            rationale="Soon.",
            effective_on=dt.date(2026, 3, 11),
            by=None,
        )
    assert "effective_on" in error.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_stale_form_and_writes_nothing(commitment, make):
    evidence = make.evidence(commitment)
    seen = services.latest_recorded_id(commitment)
    newer = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        rationale="First.",
        evidence=[evidence],
        by=None,
    )
    with pytest.raises(services.StaleUpdateError) as error:
        services.record_status_update(
            commitment=commitment,
            status="stalled",
            rationale="Second.",
            evidence=[evidence],
            by=None,
            seen_latest_id=seen,
        )
    assert error.value.latest == newer
    assert StatusUpdate.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_correction_replaces_the_corrected_update_as_current(commitment, make):
    evidence = make.evidence(commitment)
    wrong = services.record_status_update(
        commitment=commitment,
        status="achieved",
        progress=100,
        rationale="Misread.",
        evidence=[evidence],
        by=None,
    )
    services.record_status_update(
        commitment=commitment,
        status="in_progress",
        progress=60,
        rationale="Not yet delivered.",
        evidence=[evidence],
        by=None,
        corrects=wrong,
    )
    commitment.refresh_from_db()
    wrong.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 60)
    assert wrong.is_corrected
    assert StatusUpdate.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_it_creates_new_evidence_inline(commitment):
    update = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        rationale="Reported.",
        by=None,
        new_evidence=[services.NewEvidence(title="Ministry note", url="https://gov.example/n")],
    )
    assert update.evidence.get().title == "Ministry note"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("recorded_at", "message"),
    [
        (dt.datetime(2016, 3, 9, 23, 59, tzinfo=dt.UTC), "more than 10 years back"),
        (dt.datetime(2016, 3, 10, 0, 0, tzinfo=dt.UTC), None),
        (NOW, None),
        (NOW + dt.timedelta(seconds=1), "in the future"),
        (dt.datetime(2, 1, 1, tzinfo=dt.UTC), "more than 10 years back"),
        (dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))), "10 years back"),
        (dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=1))), "future"),
    ],
    ids=[
        "ten_years_and_a_day",
        "ten_years",
        "now",
        "a_second_ahead",
        "year_two",
        "year_one_ahead_of_utc",
        "year_9999_behind_utc",
    ],
)
def test_it_bounds_when_an_imported_entry_says_it_was_recorded(commitment, recorded_at, message):
    def record():
        return services.record_status_update(
            commitment=commitment,
            status="not_rated",
            review=True,
            rationale="From the old register.",
            effective_on=dt.date(2016, 3, 10),
            recorded_at=recorded_at,
            by=None,
        )

    if message is None:
        assert record().recorded_at == recorded_at
        return
    with pytest.raises(ValidationError) as error:
        record()
    assert message in " ".join(error.value.message_dict["recorded_at"])
    assert not StatusUpdate.objects.exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("added_at", "message"),
    [
        (dt.datetime(2016, 3, 9, 23, 59, tzinfo=dt.UTC), "more than 10 years back"),
        (dt.datetime(2016, 3, 10, 0, 0, tzinfo=dt.UTC), None),
        (NOW + dt.timedelta(seconds=1), "in the future"),
    ],
    ids=["ten_years_and_a_day", "ten_years", "a_second_ahead"],
)
def test_it_bounds_when_an_imported_evidence_item_says_it_was_added(commitment, added_at, message):
    from commitments.models import Evidence

    def record():
        return services.record_evidence(
            item=services.NewEvidence(title="Report", url="https://example.org/r"),
            by=None,
            commitment=commitment,
            added_at=added_at,
        )

    if message is None:
        assert record().added_at == added_at
        return
    with pytest.raises(ValidationError) as error:
        record()
    assert f"An evidence item cannot be recorded {message}" in str(error.value)
    assert not Evidence.objects.exists()
