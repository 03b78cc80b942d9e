"""Updates recorded per month: counted by the status service as it records each update,
rebuilt from the history with the status periods, and read by the dashboard trend."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from commitments.choices import Status
from commitments.models import Commitment, RecordedMonth, StatusUpdate
from commitments.selectors.trend import trend_points
from commitments.services import record_status_update, recorded_months
from tests.test_status_periods import _commitments, _random_history

pytestmark = pytest.mark.django_db


def _record(make, commitment, status, at: dt.datetime, **extra) -> None:
    with time_machine.travel(at, tick=False):
        record_status_update(
            commitment=commitment,
            status=status,
            by=None,
            rationale=f"{status} at {at}",
            evidence=[make.evidence(commitment)],
            effective_on=at.date(),
            **extra,
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_keeps_the_monthly_counts_equal_to_a_rebuild_through_any_sequence_of_updates(make, seed):
    commitments = _commitments(make, 4)
    recorded = _random_history(make, random.Random(seed), commitments, 40)
    # Months apart, corrections included (each is an update of its own).
    for i, commitment in enumerate(commitments):
        _record(
            make,
            commitment,
            Status.IN_PROGRESS,
            dt.datetime(2025, 1 + i * 3, 28, 23, 30, tzinfo=dt.UTC),
        )
    kept = recorded_months.stored()
    assert sum(kept.values()) == recorded + len(commitments) == StatusUpdate.objects.count()
    assert recorded_months.out_of_step() == []
    recorded_months.rebuild()
    assert recorded_months.stored() == kept


def test_it_counts_a_month_in_the_trackers_time_zone(make):
    [commitment] = _commitments(make, 1)
    with override_settings(TIME_ZONE="Asia/Tokyo"):
        # 31 January, 20:00 UTC is 1 February, 05:00 in Tokyo.
        _record(make, commitment, Status.IN_PROGRESS, dt.datetime(2025, 1, 31, 20, tzinfo=dt.UTC))
        assert recorded_months.stored() == {dt.date(2025, 2, 1): 1}
        assert recorded_months.out_of_step() == []


def test_it_finds_counts_out_of_step_and_rebuilds_them_with_the_periods(make):
    [commitment] = _commitments(make, 1)
    _record(make, commitment, Status.IN_PROGRESS, dt.datetime(2025, 3, 2, 9, tzinfo=dt.UTC))
    _record(make, commitment, Status.STALLED, dt.datetime(2025, 5, 2, 9, tzinfo=dt.UTC))
    RecordedMonth.objects.filter(month=dt.date(2025, 3, 1)).update(updates=7)
    RecordedMonth.objects.create(month=dt.date(2020, 1, 1), updates=2)
    assert recorded_months.out_of_step() == [dt.date(2020, 1, 1), dt.date(2025, 3, 1)]

    with pytest.raises(CommandError, match="updates recorded in 2 months differ"):
        call_command("rebuild_status_periods", "--check", stdout=StringIO())

    call_command("rebuild_status_periods", stdout=StringIO())
    assert recorded_months.out_of_step() == []
    assert recorded_months.stored() == {dt.date(2025, 3, 1): 1, dt.date(2025, 5, 1): 1}
    call_command("rebuild_status_periods", stdout=StringIO())  # idempotent
    assert recorded_months.stored() == {dt.date(2025, 3, 1): 1, dt.date(2025, 5, 1): 1}


def test_it_draws_the_whole_registers_recorded_updates_from_the_kept_counts(make):
    """The months before the day's come from the kept counts, the day's own month from
    the history (so today's updates show at once): the same figures as a narrower
    scope that covers every commitment counts from the history."""
    commitments = _commitments(make, 2)
    _record(make, commitments[0], Status.IN_PROGRESS, dt.datetime(2025, 3, 2, 9, tzinfo=dt.UTC))
    _record(make, commitments[1], Status.IN_PROGRESS, dt.datetime(2025, 3, 9, 9, tzinfo=dt.UTC))
    _record(make, commitments[0], Status.STALLED, dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC))
    day = dt.date(2025, 6, 15)
    with time_machine.travel(dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        whole = trend_points(Commitment.objects.all(), day)
        narrowed = trend_points(Commitment.objects.filter(pk__in=[c.pk for c in commitments]), day)
    recorded = {f"{p['month']:%Y-%m}": p["recorded"] for p in whole.points}
    assert recorded["2025-03"] == 2 and recorded["2025-06"] == 1
    assert whole == narrowed
    # A count kept for an earlier month is what the whole register's trend shows.
    RecordedMonth.objects.filter(month=dt.date(2025, 3, 1)).update(updates=5)
    with time_machine.travel(dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        kept = trend_points(Commitment.objects.all(), day)
    assert {f"{p['month']:%Y-%m}": p["recorded"] for p in kept.points}["2025-03"] == 5


def test_a_past_days_trend_counts_the_kept_months_less_commitments_announced_after_it(make):
    """On a past day the register is the commitments announced by then: the kept counts
    hold every update, so the updates of a commitment announced later (recorded before
    the day, as a back-dated announcement leaves them) are taken off; the figures equal
    those a scope of the same commitments counts from the history."""
    early, late = _commitments(make, 2)
    _record(make, early, Status.IN_PROGRESS, dt.datetime(2025, 3, 2, 9, tzinfo=dt.UTC))
    _record(make, late, Status.IN_PROGRESS, dt.datetime(2025, 3, 9, 9, tzinfo=dt.UTC))
    _record(make, late, Status.STALLED, dt.datetime(2025, 5, 9, 9, tzinfo=dt.UTC))
    _record(make, early, Status.STALLED, dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC))
    _record(make, late, Status.IN_PROGRESS, dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC))
    # Its announcement corrected afterwards to a later day (the history stays).
    Commitment.objects.filter(pk=late.pk).update(announced_on=dt.date(2025, 7, 1))
    day = dt.date(2025, 6, 30)  # the day before `late` was announced
    with time_machine.travel(dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC), tick=False):
        whole = trend_points(Commitment.objects.on(day), day)
        narrowed = trend_points(Commitment.objects.on(day).filter(pk__in=[early.pk]), day)
    recorded = {f"{p['month']:%Y-%m}": p["recorded"] for p in whole.points}
    assert (recorded["2025-03"], recorded.get("2025-05", 0), recorded["2025-06"]) == (1, 0, 1)
    assert whole == narrowed
    # Announced on the day itself, it counts.
    Commitment.objects.filter(pk=late.pk).update(announced_on=day)
    with time_machine.travel(dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC), tick=False):
        counted = trend_points(Commitment.objects.on(day), day)
    recorded = {f"{p['month']:%Y-%m}": p["recorded"] for p in counted.points}
    assert (recorded["2025-03"], recorded["2025-05"], recorded["2025-06"]) == (2, 1, 2)
