"""Health at its edges, through the public queries: `Commitment.objects.in_health` and
`with_health` (today and a past day), the list's `health` filter and the summary API.

Each boundary is tested on both sides, so moving a threshold by one day fails a test.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commitments import health, services
from commitments.choices import Health, Precision, Status
from commitments.filters import CommitmentFilterSet
from commitments.models import Commitment

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
TODAY = NOW.date()
DAY = dt.timedelta(days=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def health_of(commitment, day=TODAY) -> str:
    """The commitment's health through the filter and the annotation, which must agree."""
    filtered = [
        key
        for key in Health.values
        if Commitment.objects.in_health(key, day).filter(pk=commitment.pk)
    ]
    annotated = Commitment.objects.with_health(day).get(pk=commitment.pk).health
    assert filtered == [annotated], (filtered, annotated)
    return annotated


def rate(commitment, make, status=Status.IN_PROGRESS, **kwargs):
    return services.record_status_update(
        commitment=commitment,
        status=status,
        by=None,
        rationale="Assessed.",
        evidence=[make.evidence(commitment)],
        **kwargs,
    )


# -- overdue: the deadline's period has ended ------------------------------------------------
def test_it_is_not_overdue_on_the_deadline_day_but_is_the_day_after(make, frozen):
    today = make.commitment("Due today", deadline=TODAY)
    yesterday = make.commitment("Due yesterday", deadline=TODAY - DAY)
    assert health_of(today) == Health.DUE_SOON
    assert health_of(yesterday) == Health.OVERDUE


@pytest.mark.parametrize(
    ("precision", "deadline", "last_day_not_overdue"),
    [
        (Precision.YEAR, dt.date(2035, 12, 31), dt.date(2035, 12, 31)),
        (Precision.QUARTER, dt.date(2026, 9, 30), dt.date(2026, 9, 30)),
        (Precision.MONTH, dt.date(2025, 9, 30), dt.date(2025, 9, 30)),
        (Precision.DAY, dt.date(2026, 3, 12), dt.date(2026, 3, 12)),
    ],
)
def test_it_is_overdue_only_after_the_end_of_the_period(
    make, precision, deadline, last_day_not_overdue
):
    # "By 2035" is stored as 31 Dec 2035 whatever day of the year was entered.
    with time_machine.travel(dt.datetime(2020, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        entered = deadline if precision == Precision.DAY else deadline.replace(day=1)
        commitment = make.commitment("Deliver", deadline=entered, precision=precision)
    commitment.refresh_from_db()
    assert commitment.deadline == deadline
    with time_machine.travel(dt.datetime.combine(last_day_not_overdue, dt.time(12), dt.UTC)):
        assert health_of(commitment, last_day_not_overdue) != Health.OVERDUE
    first_day_overdue = last_day_not_overdue + DAY
    with time_machine.travel(dt.datetime.combine(first_day_overdue, dt.time(12), dt.UTC)):
        assert health_of(commitment, first_day_overdue) == Health.OVERDUE


def test_it_never_calls_a_closed_commitment_overdue(make):
    with time_machine.travel(NOW - 10 * DAY, tick=False):
        commitment = make.commitment("Done late", deadline=TODAY - 5 * DAY)
        rate(commitment, make, Status.ACHIEVED)
    with time_machine.travel(NOW, tick=False):
        assert health_of(commitment) == Health.CLOSED


# -- due soon: the deadline falls within 90 days ---------------------------------------------
def test_it_is_due_soon_90_days_ahead_but_not_91(make, frozen):
    within = make.commitment("In 90 days", deadline=TODAY + health.DUE_SOON_DAYS * DAY)
    beyond = make.commitment("In 91 days", deadline=TODAY + (health.DUE_SOON_DAYS + 1) * DAY)
    rate(within, make)
    rate(beyond, make)
    assert health.DUE_SOON_DAYS == 90
    assert health_of(within) == Health.DUE_SOON
    assert health_of(beyond) == Health.ON_TRACK


def test_it_counts_the_summary_due_window_at_90_days_not_91(client, make, frozen):
    make.commitment("In 90 days", deadline=TODAY + 90 * DAY)
    make.commitment("In 91 days", deadline=TODAY + 91 * DAY)
    make.commitment("Overdue", deadline=TODAY - DAY)
    body = client.get(reverse("api_summary")).json()
    assert body["due_within_90_days"] == 1


# -- stale: no update recorded for 180 days --------------------------------------------------
@pytest.mark.parametrize(("days", "expected"), [(180, Health.ON_TRACK), (181, Health.STALE)])
def test_it_is_stale_after_180_days_without_an_update(make, days, expected):
    with time_machine.travel(NOW - days * DAY, tick=False):
        commitment = make.commitment("Quiet", deadline=dt.date(2035, 12, 31))
        rate(commitment, make)
    with time_machine.travel(NOW, tick=False):
        assert health.STALE_DAYS == 180
        assert health_of(commitment) == expected


def test_a_new_update_makes_a_stale_commitment_fresh(make):
    with time_machine.travel(NOW - 200 * DAY, tick=False):
        commitment = make.commitment("Quiet")
        rate(commitment, make)
    with time_machine.travel(NOW, tick=False):
        assert health_of(commitment) == Health.STALE
        rate(commitment, make)
        assert health_of(commitment) == Health.ON_TRACK


# -- a past day ------------------------------------------------------------------------------
def test_it_judges_a_past_day_with_the_same_edges(make, frozen):
    past = dt.date(2025, 6, 30)
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        on_the_day = make.commitment("Due that day", deadline=past)
        day_before = make.commitment("Due the day before", deadline=past - DAY)
        in_90 = make.commitment("Due 90 days later", deadline=past + 90 * DAY)
        in_91 = make.commitment("Due 91 days later", deadline=past + 91 * DAY)
        for commitment in (on_the_day, day_before, in_90, in_91):
            rate(commitment, make)
    assert health_of(on_the_day, past) == Health.DUE_SOON
    assert health_of(day_before, past) == Health.OVERDUE
    assert health_of(in_90, past) == Health.DUE_SOON
    assert health_of(in_91, past) == Health.ON_TRACK


def test_it_judges_staleness_on_a_past_day_from_what_was_recorded_by_then(make, frozen):
    past = dt.date(2025, 6, 30)
    with time_machine.travel(dt.datetime(2024, 12, 31, 12, tzinfo=dt.UTC), tick=False):
        fresh = make.commitment("Updated 181 days before", deadline=dt.date(2035, 1, 1))
        rate(fresh, make)
    with time_machine.travel(dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        recent = make.commitment("Updated 180 days before", deadline=dt.date(2035, 1, 1))
        rate(recent, make)
    assert (past - dt.date(2024, 12, 31)).days == 181
    assert health_of(fresh, past) == Health.STALE
    assert health_of(recent, past) == Health.ON_TRACK
    # Today both are stale: nothing was recorded since.
    assert health_of(recent) == Health.STALE


def test_a_past_days_staleness_counts_recording_not_effect_at_the_window_edge(make, frozen):
    """Rated on the day by entries recorded later (back-dated): nothing was recorded by
    then, so its activity is its creation, judged at the window's first instant; and a
    history recorded before the window (a restored register) counts though the
    commitment itself was created inside it."""
    past = dt.date(2025, 6, 30)
    window = health.stale_before(past)
    assert window == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with time_machine.travel(window, tick=False):
        at_edge = make.commitment("Created at the window's start", deadline=dt.date(2035, 1, 1))
    with time_machine.travel(window - dt.timedelta(microseconds=1), tick=False):
        before = make.commitment("Created just before it", deadline=dt.date(2035, 1, 1))
    with time_machine.travel(dt.datetime(2025, 8, 1, 12, tzinfo=dt.UTC), tick=False):
        for commitment in (at_edge, before):
            rate(commitment, make, effective_on=dt.date(2025, 3, 1))
    assert health_of(at_edge, past) == Health.ON_TRACK
    assert health_of(before, past) == Health.STALE
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        restored = make.commitment("Created inside the window", deadline=dt.date(2035, 1, 1))
    rate(restored, make, effective_on=dt.date(2024, 12, 1), recorded_at=window - DAY)
    assert health_of(restored, past) == Health.STALE


# -- one key per commitment ------------------------------------------------------------------
def test_every_commitment_has_exactly_one_health(make, frozen):
    make.commitment("No deadline")
    make.commitment("Far", deadline=dt.date(2035, 1, 1), precision=Precision.YEAR)
    make.commitment("Late", deadline=TODAY - DAY)
    done = make.commitment("Done", deadline=TODAY - DAY)
    rate(done, make, Status.BROKEN)
    for day in (TODAY, TODAY - 30 * DAY):
        counts = {key: Commitment.objects.in_health(key, day).count() for key in Health.values}
        assert sum(counts.values()) == Commitment.objects.on(day).count()
        for commitment in Commitment.objects.all():
            health_of(commitment, day)


def test_the_list_filter_reads_the_same_rule(make, frozen):
    late = make.commitment("Late", deadline=TODAY - DAY)
    make.commitment("Today", deadline=TODAY)
    filterset = CommitmentFilterSet({"health": Health.OVERDUE})
    assert list(filterset.qs) == [late]


def test_it_annotates_health_on_list_rows_without_more_queries(
    make, frozen, django_assert_num_queries
):
    make.commitment("Late", deadline=TODAY - DAY)
    rows = list(Commitment.objects.for_list(TODAY))
    with django_assert_num_queries(0):
        assert [row.health for row in rows] == [Health.OVERDUE]


def test_it_counts_180_days_from_the_start_of_the_day(make):
    """Activity at midnight 180 days ago is within the window; a second before is not."""
    midnight = dt.datetime.combine(TODAY - 180 * DAY, dt.time.min, dt.UTC)
    for when, expected in (
        (midnight, Health.ON_TRACK),
        (midnight - dt.timedelta(seconds=1), Health.STALE),
    ):
        with time_machine.travel(when, tick=False):
            commitment = make.commitment(
                f"Updated at {when:%H:%M:%S}", deadline=dt.date(2035, 1, 1)
            )
            rate(commitment, make)
        with time_machine.travel(NOW, tick=False):
            assert health_of(commitment) == expected, when


# -- unassessed: open and never rated ---------------------------------------------------------
def test_it_calls_an_unrated_commitment_unassessed_not_on_track(make, frozen):
    unrated = make.commitment("Never rated", deadline=dt.date(2035, 1, 1))
    rated = make.commitment("Rated", deadline=dt.date(2035, 1, 1))
    rate(rated, make)
    assert health_of(unrated) == Health.UNASSESSED
    assert health_of(rated) == Health.ON_TRACK
    # Lateness comes first: an unrated commitment past its deadline is overdue.
    late = make.commitment("Never rated, late", deadline=TODAY - DAY)
    assert health_of(late) == Health.OVERDUE


# -- at risk: stalled, not started close to the deadline, or a milestone late ----------------
def test_it_calls_a_stalled_commitment_at_risk(make, frozen):
    commitment = make.commitment("Paused", deadline=dt.date(2035, 1, 1))
    rate(commitment, make, Status.STALLED)
    assert health_of(commitment) == Health.AT_RISK


@pytest.mark.parametrize(("days", "expected"), [(90, Health.AT_RISK), (91, Health.ON_TRACK)])
def test_it_calls_not_started_at_risk_within_the_due_soon_window(make, frozen, days, expected):
    commitment = make.commitment("Not begun", deadline=TODAY + days * DAY)
    rate(commitment, make, Status.NOT_STARTED)
    assert health_of(commitment) == expected


@pytest.mark.parametrize(
    ("due", "completed", "expected"),
    [
        (TODAY - DAY, None, Health.AT_RISK),  # due yesterday, open
        (TODAY, None, Health.ON_TRACK),  # due today is not late yet
        (TODAY - DAY, TODAY - DAY, Health.ON_TRACK),  # done in time
        (TODAY - 2 * DAY, TODAY - DAY, Health.ON_TRACK),  # done late, but done
    ],
)
def test_it_calls_a_commitment_with_a_late_milestone_at_risk(
    make, frozen, due, completed, expected
):
    commitment = make.commitment("With a milestone", deadline=dt.date(2035, 1, 1))
    rate(commitment, make)
    milestone = services.add_milestone(
        commitment=commitment, title="Step", due_on=due, due_precision=Precision.DAY
    )
    if completed:
        services.complete_milestone(
            milestone=milestone,
            completed_on=completed,
            evidence=[make.evidence(commitment)],
            by=None,
        )
    assert health_of(commitment) == expected


def test_it_judges_a_milestone_late_on_a_past_day_by_what_was_done_by_then(make, frozen):
    with time_machine.travel(dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        commitment = make.commitment("Earlier", deadline=dt.date(2035, 1, 1))
        rate(commitment, make)
        services.add_milestone(
            commitment=commitment, title="Step", due_on=dt.date(2025, 3, 1), due_precision="day"
        )
    milestone = commitment.milestones.get()
    services.complete_milestone(
        milestone=milestone,
        completed_on=dt.date(2025, 5, 1),
        evidence=[make.evidence(commitment)],
        by=None,
    )
    assert health_of(commitment, dt.date(2025, 3, 1)) == Health.ON_TRACK
    assert health_of(commitment, dt.date(2025, 3, 2)) == Health.AT_RISK
    assert health_of(commitment, dt.date(2025, 5, 1)) == Health.ON_TRACK


def test_todays_late_milestone_column_follows_every_milestone_service(make, frozen):
    """Today's rule reads next_milestone_due; it must say what the milestones say."""
    commitment = make.commitment("Steps", deadline=dt.date(2035, 1, 1))
    rate(commitment, make)

    def agree():
        commitment.refresh_from_db()
        open_due = commitment.milestones.filter(completed_on__isnull=True).order_by("due_on")
        assert commitment.next_milestone_due == (open_due.values_list("due_on", flat=True).first())
        from_milestones = (
            Commitment.objects.filter(pk=commitment.pk)
            .annotate(late=health.late_milestone(TODAY))
            .values_list("late", flat=True)
            .get()
        )
        today = Commitment.objects.on(TODAY).values_list("has_late_milestone", flat=True)
        assert today.get(pk=commitment.pk) == from_milestones
        return from_milestones

    late = services.add_milestone(
        commitment=commitment, title="Late", due_on=TODAY - DAY, due_precision="day"
    )
    later = services.add_milestone(
        commitment=commitment, title="Later", due_on=TODAY + 30 * DAY, due_precision="day"
    )
    assert agree() is True
    services.change_milestone(
        milestone=late, title="Late", due_on=TODAY + 10 * DAY, due_precision="day"
    )
    assert agree() is False
    services.change_milestone(
        milestone=late, title="Late", due_on=TODAY - 5 * DAY, due_precision="day"
    )
    assert agree() is True
    services.complete_milestone(
        milestone=late, completed_on=TODAY, evidence=[make.evidence(commitment)], by=None
    )
    assert agree() is False
    services.remove_milestone(milestone=later)
    assert agree() is False
    assert commitment.next_milestone_due is None
