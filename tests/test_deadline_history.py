"""Deadline changes are history: one service, its reasons, and every path through it
(admin, API, import), the commitment page, the `slipped` filter and the dashboard."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from commitments import deadlines, services
from commitments.choices import DeadlineChangeReason, Precision
from commitments.importing import import_file
from commitments.models import Commitment, DeadlineChange, HistoryIsAppendOnly
from commitments.selectors.numbers import dashboard_numbers
from commitments.services import DEADLINE_NOTE_MAX

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

Y2026 = dt.date(2026, 12, 31)


@pytest.fixture
def promise(make):
    return make.commitment(
        "Joint satellite",
        slug="joint-satellite",
        deadline=Y2026,
        precision=Precision.YEAR,
        announced_on=dt.date(2026, 1, 16),
        announced_precision="day",
    )


def move(commitment, day, precision, reason="funding", **kwargs):
    kwargs.setdefault("by", None)
    return services.change_deadline(
        commitment=commitment, deadline=day, precision=precision, reason=reason, **kwargs
    )


# -- the service ----------------------------------------------------------------------------
def test_it_records_the_old_and_new_deadline_who_when_and_why(promise, editor, frozen_clock):
    change = move(promise, dt.date(2027, 3, 1), Precision.YEAR, note="Budget cut.", by=editor)

    promise.refresh_from_db()
    assert (promise.deadline, promise.deadline_precision) == (dt.date(2027, 12, 31), "year")
    assert (change.old_deadline, change.old_precision) == (Y2026, "year")
    assert (change.new_deadline, change.new_precision) == (dt.date(2027, 12, 31), "year")
    assert (change.reason, change.note, change.changed_by) == ("funding", "Budget cut.", editor)
    assert change.changed_at == frozen_clock
    assert change.slipped


def test_it_refuses_a_change_without_a_reason_and_writes_nothing(promise):
    with pytest.raises(ValidationError) as error:
        move(promise, dt.date(2027, 12, 31), Precision.YEAR, reason="")

    assert "Say why the deadline changes" in error.value.message_dict["reason"][0]
    promise.refresh_from_db()
    assert promise.deadline == Y2026
    assert not DeadlineChange.objects.exists()


def test_it_refuses_an_unknown_reason_naming_the_known_ones(promise):
    with pytest.raises(ValidationError) as error:
        move(promise, dt.date(2027, 12, 31), Precision.YEAR, reason="weather")

    assert "use one of funding, political" in error.value.message_dict["reason"][0]


def test_it_refuses_the_deadline_it_already_has_but_takes_a_precision_change(promise):
    with pytest.raises(ValidationError) as error:
        move(promise, dt.date(2026, 6, 1), Precision.YEAR)
    assert error.value.message_dict["deadline"] == ["The deadline is already by 2026."]

    # Same last day, a finer precision: a change, and no slip.
    change = move(promise, dt.date(2026, 12, 31), Precision.QUARTER, reason="correction")
    assert (change.new_deadline, change.new_precision) == (Y2026, "quarter")
    assert not change.slipped


@pytest.mark.parametrize(
    ("length", "accepted"), [(DEADLINE_NOTE_MAX, True), (DEADLINE_NOTE_MAX + 1, False)]
)
def test_it_takes_a_note_up_to_its_limit(promise, length, accepted):
    if accepted:
        move(promise, dt.date(2027, 1, 1), Precision.YEAR, note="x" * length)
        assert DeadlineChange.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as error:
            move(promise, dt.date(2027, 1, 1), Precision.YEAR, note="x" * length)
        assert "note" in error.value.message_dict
        assert not DeadlineChange.objects.exists()


@pytest.mark.parametrize(
    ("day", "accepted"), [(dt.date(2026, 1, 15), False), (dt.date(2026, 1, 16), True)]
)
def test_it_refuses_a_deadline_before_the_announcement(promise, day, accepted):
    if accepted:
        assert move(promise, day, Precision.DAY, reason="correction").new_deadline == day
    else:
        with pytest.raises(ValidationError) as error:
            move(promise, day, Precision.DAY, reason="correction")
        assert error.value.message_dict["deadline"] == ["The deadline is before the announcement."]


def test_it_needs_a_precision_with_a_date_and_removes_a_deadline_with_neither(promise):
    with pytest.raises(ValidationError) as error:
        move(promise, dt.date(2027, 1, 1), "")
    assert error.value.message_dict["precision"] == ["Say how precise the deadline is."]

    change = move(promise, None, "", reason="merged")
    assert (change.new_deadline, change.new_precision) == (None, "")
    assert change.new_display == "No deadline"
    assert not change.slipped


def test_it_never_edits_or_deletes_a_recorded_change(promise):
    change = move(promise, dt.date(2027, 1, 1), Precision.YEAR)
    change.note = "rewritten"
    with pytest.raises(HistoryIsAppendOnly):
        change.save()
    with pytest.raises(HistoryIsAppendOnly):
        change.delete()


# -- what a slip is, and how the history reads ---------------------------------------------
def test_it_reads_slipped_twice_with_the_chain_of_deadlines(promise):
    move(promise, dt.date(2027, 12, 31), Precision.YEAR)
    move(promise, dt.date(2028, 6, 30), Precision.QUARTER, reason="political")

    changes = list(promise.deadline_changes.all())
    assert deadlines.summary(changes) == "slipped twice: 2026 → 2027 → Q2 2028"


@pytest.mark.parametrize(
    ("new", "reason", "slipped"),
    [
        (dt.date(2027, 1, 1), "funding", True),  # one day after the old deadline
        (dt.date(2027, 1, 1), "correction", False),  # a corrected error is not a slip
        (dt.date(2026, 12, 30), "funding", False),  # one day earlier: brought forward
    ],
)
def test_it_counts_a_slip_only_when_a_known_deadline_moves_later(promise, new, reason, slipped):
    change = move(promise, new, Precision.DAY, reason=reason)
    assert change.slipped is slipped
    summary = deadlines.summary([change])
    assert summary.startswith("slipped once" if slipped else "deadline changed once")


# -- the list's filter and the dashboard -------------------------------------------------------
def test_it_filters_the_list_by_slipped_and_counts_them_on_the_dashboard(client, make, promise):
    other = make.commitment("Kept on time", deadline=Y2026, precision="year")
    corrected = make.commitment("Typo fixed", deadline=Y2026, precision="year")
    move(promise, dt.date(2027, 12, 31), Precision.YEAR)
    move(corrected, dt.date(2027, 12, 31), Precision.YEAR, reason="correction")

    slipped = client.get("/commitments/", {"slipped": "true"})
    assert [c.slug for c in slipped.context["commitments"]] == ["joint-satellite"]
    not_slipped = client.get("/commitments/", {"slipped": "false"})
    assert {c.pk for c in not_slipped.context["commitments"]} == {other.pk, corrected.pk}

    numbers = dashboard_numbers(
        Commitment.objects.all().on(dt.date(2026, 3, 10)), dt.date(2026, 3, 10)
    )
    assert numbers["slipped"] == 1
    dashboard = client.get("/")
    assert dashboard.context["slipped_tile"].count == 1
    assert dashboard.context["slipped_tile"].url == "/commitments/?slipped=true"


def test_it_counts_no_slip_on_a_day_before_the_change(client, promise, frozen_clock):
    move(promise, dt.date(2027, 12, 31), Precision.YEAR)
    day_before = (frozen_clock - dt.timedelta(days=1)).date()

    response = client.get("/commitments/", {"slipped": "true", "as_of": day_before.isoformat()})

    assert list(response.context["commitments"]) == []
    numbers = dashboard_numbers(Commitment.objects.all().on(day_before), day_before)
    assert numbers["slipped"] == 0


def test_it_says_what_is_wrong_with_a_slipped_value_that_is_not_true_or_false(client, promise):
    response = client.get("/commitments/", {"slipped": "maybe"})
    assert response.status_code == 200
    assert "Choose true or false." in response.content.decode()


# -- the commitment page ---------------------------------------------------------------------
def test_it_shows_the_slips_and_each_change_on_the_commitment_page(client, promise, editor):
    move(promise, dt.date(2027, 12, 31), Precision.YEAR, note="Launch moved.", by=editor)
    move(promise, dt.date(2028, 6, 30), Precision.QUARTER, reason="political")

    page = client.get(promise.get_absolute_url()).content.decode()

    assert "Slipped twice: 2026 → 2027 → Q2 2028" in page
    assert "Funding. Launch moved." in page
    assert "by 2027 → by Q2 2028" in page


def test_it_shows_no_deadline_history_for_a_commitment_never_moved(client, promise):
    page = client.get(promise.get_absolute_url()).content.decode()
    assert "Deadline history" not in page


# -- the API ----------------------------------------------------------------------------------
def test_it_exposes_the_deadline_history_in_the_api_oldest_first(promise):
    move(promise, dt.date(2027, 12, 31), Precision.YEAR)
    move(promise, dt.date(2028, 6, 30), Precision.QUARTER, reason="political")

    body = APIClient().get(reverse("api_commitment", args=[promise.slug])).json()

    history = body["deadline_history"]
    assert [(h["old"]["display"], h["new"]["display"]) for h in history] == [
        ("by 2026", "by 2027"),
        ("by 2027", "by Q2 2028"),
    ]
    assert history[1]["reason"] == "political" and history[1]["slipped"] is True


def test_it_lets_an_editor_move_a_deadline_through_the_api(promise, editor, make):
    source = make.source("Second summit")
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post(
        reverse("api_commitment_deadline_changes", args=[promise.slug]),
        {
            "deadline": "2028-04-01",
            "precision": "quarter",
            "reason": "rescheduled",
            "source": source.slug,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["new"]["display"] == "by Q2 2028"
    assert response.json()["source"]["slug"] == source.slug
    change = DeadlineChange.objects.get()
    assert (change.changed_by, change.source) == (editor, source)


def test_it_refuses_an_api_deadline_change_without_a_reason(promise, editor):
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post(
        reverse("api_commitment_deadline_changes", args=[promise.slug]),
        {"deadline": "2028-04-01", "precision": "quarter"},
        format="json",
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not DeadlineChange.objects.exists()


def test_it_maps_the_services_message_to_its_api_field(promise, editor):
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post(
        reverse("api_commitment_deadline_changes", args=[promise.slug]),
        {"deadline": "2026-02-01", "precision": "year", "reason": "funding"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"deadline": ["The deadline is already by 2026."]}


@pytest.mark.parametrize(("role", "code"), [(None, 401), ("analyst", 403), ("editor", 201)])
def test_it_lets_only_editors_move_deadlines_through_the_api(request, promise, role, code):
    api = APIClient()
    if role:
        api.force_authenticate(request.getfixturevalue(role))
    response = api.post(
        reverse("api_commitment_deadline_changes", args=[promise.slug]),
        {"deadline": "2027-01-01", "precision": "year", "reason": "funding"},
        format="json",
    )
    assert response.status_code == code
    assert DeadlineChange.objects.exists() is (code == 201)
    listing = APIClient().get(reverse("api_commitment_deadline_changes", args=[promise.slug]))
    assert listing.status_code == 200


# -- the importer -----------------------------------------------------------------------------
def test_it_refuses_an_import_row_moving_a_deadline_without_a_reason_naming_the_column(promise):
    result = import_file(b"slug,deadline\njoint-satellite,2027\n", "rows.csv")

    assert [(r.column, r.line) for r in result.rejected] == [("deadline_change_reason", 2)]
    assert "moves the deadline from by 2026 to by 2027" in result.rejected[0].reason
    promise.refresh_from_db()
    assert promise.deadline == Y2026
    assert not DeadlineChange.objects.exists()


def test_it_moves_a_deadline_from_an_import_row_with_its_reason_and_note(promise):
    content = (
        b"slug,deadline,deadline_change_reason,deadline_change_note\n"
        b"joint-satellite,Q2 2028,Rescheduled by the parties,Agreed at the second summit\n"
    )
    result = import_file(content, "rows.csv")

    assert not result.rejected, result.rejected
    change = DeadlineChange.objects.get()
    assert (change.new_deadline, change.new_precision) == (dt.date(2028, 6, 30), "quarter")
    assert (change.reason, change.note) == ("rescheduled", "Agreed at the second summit")
    # Importing the same file again changes nothing.
    import_file(content, "rows.csv")
    assert DeadlineChange.objects.count() == 1


def test_it_needs_no_reason_for_an_import_row_keeping_the_deadline(promise):
    result = import_file(b"slug,deadline\njoint-satellite,2026\n", "rows.csv")
    assert not result.rejected
    assert not DeadlineChange.objects.exists()


def test_it_refuses_an_unknown_reason_in_an_import(promise):
    result = import_file(
        b"slug,deadline,deadline_change_reason\njoint-satellite,2027,weather\n", "rows.csv"
    )
    assert [r.column for r in result.rejected] == ["deadline_change_reason"]
    assert not DeadlineChange.objects.exists()


def test_it_moves_a_deadline_from_a_json_import_with_its_reason(promise):
    records = [{"slug": "joint-satellite", "deadline": "2027", "deadline_change_reason": "funding"}]
    result = import_file(json.dumps(records).encode(), "rows.json")
    assert not result.rejected
    assert DeadlineChange.objects.get().reason == DeadlineChangeReason.FUNDING


# -- the admin --------------------------------------------------------------------------------
def _admin_post(client, commitment, **changes):
    from tests.test_admin import _form_data

    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    data = _form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_it_asks_in_the_admin_why_a_deadline_changes_and_records_it(client, superuser, promise):
    client.force_login(superuser)

    refused = _admin_post(client, promise, deadline="2027-12-31")
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "Say why the deadline changes" in str(errors["deadline_change_reason"])
    promise.refresh_from_db()
    assert promise.deadline == Y2026

    saved = _admin_post(
        client,
        promise,
        deadline="2027-12-31",
        deadline_change_reason="capacity",
        deadline_change_note="Not enough engineers.",
    )
    assert saved.status_code == 302
    promise.refresh_from_db()
    assert promise.deadline == dt.date(2027, 12, 31)
    change = DeadlineChange.objects.get()
    assert (change.reason, change.changed_by, change.old_deadline) == ("capacity", superuser, Y2026)


def test_it_saves_other_admin_fields_without_asking_for_a_reason(client, superuser, promise):
    client.force_login(superuser)
    response = _admin_post(client, promise, title="Joint satellite, renamed")
    assert response.status_code == 302
    assert not DeadlineChange.objects.exists()


def test_it_records_a_first_deadline_without_a_reason(make):
    undated = make.commitment("Undated")

    change = move(undated, dt.date(2030, 1, 1), Precision.YEAR, reason="")

    assert (change.old_deadline, change.new_deadline, change.reason) == (
        None,
        dt.date(2030, 12, 31),
        "",
    )
    assert change.reason_label == "First deadline set"
    assert deadlines.summary([change]) == "deadline changed once: no deadline → 2030"
    # Once it has one, moving it needs a reason again.
    with pytest.raises(ValidationError):
        move(undated, dt.date(2031, 1, 1), Precision.YEAR, reason="")


def test_it_names_every_reason_and_what_a_slip_is_on_the_methodology_page(client):
    page = client.get("/about/").content.decode()
    for label in DeadlineChangeReason.labels:
        assert label.lower() in page
    assert "<strong>slipped</strong> when a known deadline moved later" in page


def test_it_filters_the_api_list_by_slipped(promise, make):
    make.commitment("On time", deadline=Y2026, precision="year")
    move(promise, dt.date(2027, 12, 31), Precision.YEAR)
    body = APIClient().get("/api/commitments/", {"slipped": "true"}).json()
    assert [row["slug"] for row in body["results"]] == ["joint-satellite"]


def test_it_moves_a_seeded_deadline_on_reload_only_through_the_service_and_keeps_a_moved_one(
    seeded, editor
):
    from commitments.seed import load_seed

    commitment = Commitment.objects.exclude(deadline=None).order_by("slug").first()
    seed_deadline = commitment.deadline
    # An earlier load with another deadline, written before deadlines had a history.
    Commitment.objects.filter(pk=commitment.pk).update(deadline=dt.date(2040, 12, 31))
    load_seed()
    commitment.refresh_from_db()
    assert commitment.deadline == seed_deadline
    assert commitment.deadline_changes.get().reason == "correction"

    # Someone moves it: the seed leaves their deadline alone.
    move(commitment, dt.date(2041, 12, 31), Precision.YEAR, by=editor)
    load_seed()
    commitment.refresh_from_db()
    assert commitment.deadline == dt.date(2041, 12, 31)
