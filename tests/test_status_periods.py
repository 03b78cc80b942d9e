"""Status periods: kept in step with the history by the status service, rebuilt and
checked as a whole, and read by every past day's page instead of the history."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.choices import Status
from commitments.models import Commitment, StatusPeriod, StatusUpdate
from commitments.services import periods, record_status_update

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
ANNOUNCED = dt.date(2024, 1, 1)
STATUSES = [s for s in Status.values if s != Status.NOT_RATED] + [Status.NOT_RATED]


def _stored() -> set[tuple]:
    return set(
        StatusPeriod.objects.values_list(
            "commitment_id", "valid_from", "valid_to", "status", "progress"
        )
    )


def _commitments(make, n: int) -> list[Commitment]:
    with time_machine.travel(dt.datetime(2024, 1, 1, 9), tick=False):
        return [
            make.commitment(
                f"Commitment {i}",
                deadline=dt.date(2030, 12, 31),
                precision="year",
                announced_on=ANNOUNCED,
                announced_precision="day",
            )
            for i in range(n)
        ]


def _random_history(make, rng: random.Random, commitments: list[Commitment], steps: int) -> int:
    """Record `steps` random updates: plain, back-dated, several on one day, corrections
    of any entry not corrected yet; some share their recorded time. Returns how many the
    service accepted (it refuses, say, an update that changes nothing)."""
    recorded = 0
    start = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC)
    for step in range(steps):
        commitment = rng.choice(commitments)
        open_entries = list(
            StatusUpdate.objects.filter(commitment=commitment).not_corrected().order_by("id")
        )
        corrects = rng.choice(open_entries) if open_entries and rng.random() < 0.3 else None
        days = [e.effective_on for e in open_entries]
        if days and rng.random() < 0.3:
            effective_on = rng.choice(days)  # another entry on a day already taken
        else:
            effective_on = ANNOUNCED + dt.timedelta(days=rng.randrange((TODAY - ANNOUNCED).days))
        status = rng.choice(STATUSES)
        progress = None if status == Status.NOT_RATED else rng.choice([None, 0, 20, 55, 100])
        evidence = [make.evidence(commitment)] if status != Status.NOT_RATED else []
        # Pairs of steps share a recorded time, so the id breaks the tie.
        with time_machine.travel(start + dt.timedelta(minutes=step // 2), tick=False):
            try:
                record_status_update(
                    commitment=commitment,
                    status=status,
                    by=None,
                    rationale=f"Step {step}",
                    progress=progress,
                    effective_on=effective_on,
                    evidence=evidence,
                    corrects=corrects,
                    achieved_below_full=True,
                    behind_latest=True,
                )
            except ValidationError:
                continue
        recorded += 1
    return recorded


def _from_history(commitment_id: int, day: dt.date) -> tuple[str, int | None]:
    """The status and progress on `day` as the history says: its latest non-corrected
    update effective by then."""
    entry = StatusUpdate.objects.filter(commitment_id=commitment_id).in_effect_on(day).first()
    return (entry.status, entry.progress) if entry else (Status.NOT_RATED.value, None)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_it_keeps_the_periods_equal_to_a_rebuild_through_any_sequence_of_updates(make, seed):
    rng = random.Random(seed)
    commitments = _commitments(make, 3)
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        recorded = _random_history(make, rng, commitments, 40)
        assert recorded >= 20
        assert StatusUpdate.objects.filter(corrects__isnull=False).exists()

        kept = _stored()
        assert periods.out_of_step() == (0, [])
        periods.rebuild()

    assert _stored() == kept
    # And they say what the history says, on each day a period starts and the day before.
    for pk, valid_from, *_ in kept:
        for day in (valid_from - dt.timedelta(days=1), valid_from):
            assert _period_on(kept, pk, day) == _from_history(pk, day)


def _period_on(stored: set[tuple], pk: int, day: dt.date) -> tuple[str, int | None]:
    covering = [
        (status, progress)
        for commitment_id, start, end, status, progress in stored
        if commitment_id == pk and start <= day and (end is None or day < end)
    ]
    assert len(covering) <= 1
    return covering[0] if covering else (Status.NOT_RATED.value, None)


def test_it_writes_a_period_per_effective_day_the_last_recorded_winning(make):
    [commitment] = _commitments(make, 1)
    with time_machine.travel(dt.datetime(2026, 6, 15, 12), tick=False):
        first = record_status_update(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            by=None,
            rationale="Started",
            progress=10,
            effective_on=dt.date(2025, 1, 10),
            evidence=[make.evidence(commitment)],
        )
        record_status_update(
            commitment=commitment,
            status=Status.STALLED,
            by=None,
            rationale="Stalled",
            progress=10,
            effective_on=dt.date(2025, 6, 1),
            evidence=[make.evidence(commitment)],
        )
        # Back-dated, before both.
        record_status_update(
            commitment=commitment,
            status=Status.NOT_STARTED,
            by=None,
            rationale="Planned",
            progress=0,
            effective_on=dt.date(2024, 6, 1),
            evidence=[make.evidence(commitment)],
            behind_latest=True,
        )
        # A correction of the first, to another day.
        record_status_update(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            by=None,
            rationale="Started later than we wrote",
            progress=15,
            effective_on=dt.date(2025, 2, 1),
            evidence=[make.evidence(commitment)],
            corrects=first,
            behind_latest=True,
        )

    assert list(
        StatusPeriod.objects.filter(commitment=commitment)
        .order_by("valid_from")
        .values_list("valid_from", "valid_to", "status", "progress")
    ) == [
        (dt.date(2024, 6, 1), dt.date(2025, 2, 1), Status.NOT_STARTED, 0),
        (dt.date(2025, 2, 1), dt.date(2025, 6, 1), Status.IN_PROGRESS, 15),
        (dt.date(2025, 6, 1), None, Status.STALLED, 10),
    ]


def _history_bypassing_the_services(commitment: Commitment) -> None:
    StatusUpdate.objects.bulk_create(
        [
            StatusUpdate(
                commitment=commitment,
                status=Status.IN_PROGRESS,
                previous_status=Status.NOT_RATED,
                progress=30,
                effective_on=dt.date(2025, 3, 1),
                rationale="Loaded straight into the database.",
            )
        ]
    )


def test_it_finds_periods_out_of_step_and_rebuilds_them_idempotently(make):
    loaded, untouched = _commitments(make, 2)
    _history_bypassing_the_services(loaded)

    with pytest.raises(CommandError, match=rf"of 1 commitments differ .*ids {loaded.pk}\)"):
        call_command("rebuild_status_periods", "--check")
    errors = checks.run_checks(databases=["default"])
    assert [e.id for e in errors if e.id == "commitments.E003"] == ["commitments.E003"]

    call_command("rebuild_status_periods")
    once = _stored()
    call_command("rebuild_status_periods")

    assert _stored() == once == {(loaded.pk, dt.date(2025, 3, 1), None, "in_progress", 30)}
    call_command("rebuild_status_periods", "--check")
    assert not [e for e in checks.run_checks(databases=["default"]) if e.id == "commitments.E003"]


def test_it_finds_a_period_the_history_does_not_make(make):
    [commitment] = _commitments(make, 1)
    StatusPeriod.objects.create(
        commitment=commitment, status=Status.ACHIEVED, progress=100, valid_from=TODAY
    )

    assert periods.out_of_step() == (1, [commitment.pk])
