"""Lineage across statements: links with their sources, superseding closes the earlier
commitment (and takes it out of every "open" count), and the successor inherits nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commitments import services
from commitments.choices import Health, LinkKind, Status
from commitments.models import Commitment, CommitmentLink, StatusUpdate
from commitments.selectors.lists import next_deadlines
from commitments.selectors.numbers import dashboard_numbers
from commitments.selectors.trend import trend_points

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def pair(make):
    old_source = make.source("First summit", date=dt.date(2025, 1, 10))
    earlier = make.commitment(
        "Build the satellite", source=old_source, deadline=dt.date(2026, 12, 31), precision="year"
    )
    services.record_status_update(
        commitment=earlier,
        status=Status.IN_PROGRESS,
        rationale="Started.",
        evidence=[make.evidence(earlier)],
        effective_on=dt.date(2025, 6, 1),
        by=None,
    )
    later = make.commitment(
        "Build two satellites", deadline=dt.date(2028, 12, 31), precision="year"
    )
    return earlier, later, make.source("Second summit", date=dt.date(2026, 2, 1))


def link(earlier, later, source, kind=LinkKind.SUPERSEDED_BY, **kwargs):
    return services.link_commitments(
        commitment=earlier, kind=kind, other=later, source=source, by=None, **kwargs
    )


def test_it_closes_a_superseded_one_with_the_reason_and_leaves_open_counts(pair):
    earlier, later, source = pair
    before = dashboard_numbers(Commitment.objects.all().on(TODAY), TODAY)

    made = link(earlier, later, source)

    earlier.refresh_from_db()
    assert made.effective_on == dt.date(2026, 2, 1)  # the source's date
    assert earlier.superseded_on == dt.date(2026, 2, 1)
    assert earlier.status == Status.IN_PROGRESS  # the status is kept; the reason is history
    entry = StatusUpdate.objects.filter(commitment=earlier).first()
    assert entry.review and "Superseded by “Build two satellites”" in entry.rationale
    assert [e.title for e in entry.evidence.all()] == ["Second summit"]
    health = Commitment.objects.with_health(TODAY).get(pk=earlier.pk).health
    assert health == Health.CLOSED
    after = dashboard_numbers(Commitment.objects.all().on(TODAY), TODAY)
    assert after["by_health"][Health.CLOSED] == before["by_health"][Health.CLOSED] + 1
    assert earlier.next_review_on is None


def test_it_stays_open_on_the_day_before_it_was_superseded(pair):
    earlier, later, source = pair
    link(earlier, later, source)
    day_before = dt.date(2026, 1, 31)
    health = Commitment.objects.with_health(day_before).get(pk=earlier.pk).health
    assert health != Health.CLOSED


def test_it_gives_the_successor_nothing(pair):
    earlier, later, source = pair
    link(earlier, later, source)
    later.refresh_from_db()
    assert (later.status, later.progress, later.deadline) == (
        Status.NOT_RATED,
        None,
        dt.date(2028, 12, 31),
    )
    assert not later.updates.exists() and not later.evidence.exists()
    assert later.superseded_on is None


@pytest.mark.parametrize("kind", [LinkKind.REAFFIRMED_BY, LinkKind.AMENDED_BY])
def test_it_closes_nothing_for_other_links(pair, kind):
    earlier, later, source = pair
    link(earlier, later, source, kind=kind)
    earlier.refresh_from_db()
    assert earlier.superseded_on is None
    assert StatusUpdate.objects.filter(commitment=earlier).count() == 1


def test_it_refuses_bad_links_clearly_and_writes_nothing(pair):
    earlier, later, source = pair
    cases = [
        ({"other": earlier}, "other", "cannot be linked to itself"),
        ({"source": None}, "source", "Say which source links them."),
        ({"kind": "replaced"}, "kind", "Unknown link"),
        ({"effective_on": TODAY + dt.timedelta(days=1)}, "effective_on", "cannot be in the future"),
    ]
    for changes, key, message in cases:
        arguments = {"commitment": earlier, "kind": LinkKind.SUPERSEDED_BY, "other": later}
        arguments.update({"source": source, "by": None, **changes})
        with pytest.raises(ValidationError) as error:
            services.link_commitments(**arguments)
        assert message in error.value.message_dict[key][0]
    assert not CommitmentLink.objects.exists()
    earlier.refresh_from_db()
    assert earlier.superseded_on is None


def test_it_supersedes_a_commitment_once_and_records_each_link_once(pair, make):
    earlier, later, source = pair
    link(earlier, later, source, kind=LinkKind.AMENDED_BY)
    with pytest.raises(ValidationError) as twice:
        link(earlier, later, source, kind=LinkKind.AMENDED_BY)
    assert "already linked this way" in twice.value.message_dict["other"][0]
    link(earlier, later, source)
    with pytest.raises(ValidationError) as again:
        link(earlier, make.commitment("Third"), source, kind=LinkKind.MERGED_INTO)
    assert "already superseded or merged" in again.value.message_dict["kind"][0]


def test_it_shows_the_chain_from_both_sides(client, pair):
    earlier, later, source = pair
    link(earlier, later, source)

    old_page = client.get(earlier.get_absolute_url()).content.decode()
    new_page = client.get(later.get_absolute_url()).content.decode()

    assert 'Superseded by <a href="/commitments/build-two-satellites/">' in old_page
    assert "Closed: superseded on 1 February 2026." in old_page
    assert 'Supersedes <a href="/commitments/build-the-satellite/">' in new_page
    assert "Second summit" in new_page


def test_it_adds_a_link_in_the_admin_through_the_service(client, superuser, pair):
    earlier, later, source = pair
    client.force_login(superuser)
    url = reverse("admin:commitments_commitmentlink_add")
    data = {
        "commitment": earlier.pk,
        "kind": "superseded_by",
        "other": later.pk,
        "source": source.pk,
    }

    refused = client.post(url, {**data, "other": earlier.pk})
    assert refused.status_code == 200
    assert "cannot be linked to itself" in str(refused.context["adminform"].form.errors)
    saved = client.post(url, data)
    assert saved.status_code == 302
    earlier.refresh_from_db()
    assert earlier.superseded_on == dt.date(2026, 2, 1)
    assert CommitmentLink.objects.get().created_by == superuser


def test_it_closes_a_merged_one_as_a_superseded_one(client, pair):
    earlier, later, source = pair
    link(earlier, later, source, kind=LinkKind.MERGED_INTO)
    earlier.refresh_from_db()
    assert earlier.superseded_on == dt.date(2026, 2, 1)
    entry = StatusUpdate.objects.filter(commitment=earlier).first()
    assert entry.review and "Merged into “Build two satellites”" in entry.rationale
    assert Commitment.objects.with_health(TODAY).get(pk=earlier.pk).health == Health.CLOSED
    page = client.get(earlier.get_absolute_url()).content.decode()
    assert "Closed: merged into a later commitment on 1 February 2026." in page


def closed_by_month(day=TODAY) -> dict[str, int]:
    trend = trend_points(Commitment.objects.all(), day)
    return {f"{p['month']:%Y-%m}": p["closed"] for p in trend.points}


@pytest.mark.parametrize("kind", [LinkKind.SUPERSEDED_BY, LinkKind.MERGED_INTO])
def test_the_trend_counts_it_closed_from_the_month_it_was_superseded_or_merged(pair, kind):
    earlier, later, source = pair
    link(earlier, later, source, kind=kind, effective_on=dt.date(2026, 2, 1))
    months = closed_by_month()
    assert months.get("2026-01", 0) == 0  # open until the day before
    assert months["2026-02"] == months["2026-03"] == 1
    # As of the day before the link, nothing is closed yet.
    assert set(closed_by_month(dt.date(2026, 1, 31)).values()) <= {0}


def test_the_trend_counts_it_once_whatever_its_status_does_afterwards(pair, make):
    earlier, later, source = pair
    link(earlier, later, source, effective_on=dt.date(2026, 2, 1))
    evidence = make.evidence(earlier)
    for status, day in ((Status.ACHIEVED, dt.date(2026, 2, 20)), (Status.IN_PROGRESS, TODAY)):
        services.record_status_update(
            commitment=earlier,
            status=status,
            progress=100 if status == Status.ACHIEVED else 50,
            rationale="Later news.",
            evidence=[evidence],
            effective_on=day,
            by=None,
        )
    months = closed_by_month()
    # Achieved after it was closed adds nothing; reopening its status does not reopen it.
    assert (months["2026-02"], months["2026-03"]) == (1, 1)


def test_the_open_counts_leave_it_out_from_that_day_and_not_before(pair):
    earlier, later, source = pair
    link(earlier, later, source, effective_on=dt.date(2026, 2, 1))
    everything = Commitment.objects.all()
    for day, closed in ((dt.date(2026, 1, 31), 0), (dt.date(2026, 2, 1), 1)):
        numbers = dashboard_numbers(everything.on(day), day)
        assert numbers["by_health"][Health.CLOSED] == closed
        assert sum(numbers["by_health"].values()) == numbers["total"] == 2
        assert (earlier in next_deadlines(everything.on(day), day)) is not bool(closed)
