"""Each rule of a status update is enforced at every entry point: the update form, the
admin, the API, a CSV import and a JSON import. The rules live in the status service;
these tests show that no entry point gets around them, and that each refusal is a
message, not an error page, with nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from commitments import services
from commitments.importing import import_file
from commitments.models import Evidence, StatusUpdate
from tests.test_admin import _change_status

pytestmark = pytest.mark.usefixtures("frozen_clock")
ANNOUNCED = dt.date(2025, 11, 20)


@pytest.fixture
def commitment(make):
    return make.commitment(
        "Deliver a fighter",
        slug="fighter",
        external_id="F1",
        announced_on=ANNOUNCED,
        announced_precision="day",
    )


# (status, progress, effective date, with evidence) and part of the message.
CASES = {
    "evidence_missing": (("in_progress", 40, "2026-03-03", False), "at least one evidence item"),
    "effective_tomorrow": (("in_progress", 40, "2026-03-11", True), "cannot be in the future"),
    "effective_before_announcement": (
        ("in_progress", 40, "2025-11-19", True),
        "cannot be before the announcement",
    ),
    "progress_101": (("in_progress", 101, "2026-03-03", True), "between 0 and 100"),
    "progress_minus_one": (("in_progress", -1, "2026-03-03", True), "between 0 and 100"),
}
# The edges that are allowed, for each rule above.
ALLOWED = {
    "effective_today": ("in_progress", 40, "2026-03-10", True),
    "effective_on_the_announcement": ("in_progress", 40, "2025-11-20", True),
    "progress_100": ("in_progress", 100, "2026-03-03", True),
    "progress_0": ("in_progress", 0, "2026-03-03", True),
}


def through_the_form(client, analyst, commitment, status, progress, effective, evidence):
    client.force_login(analyst)
    data = {
        "status": status,
        "progress": str(progress),
        "effective_on": effective,
        "rationale": "Assessed.",
        "seen_latest_id": services.latest_recorded_id(commitment) or "",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-title": "Ministry note" if evidence else "",
        "new-0-url": "https://gov.example/note" if evidence else "",
        "new-0-kind": "news_report",
        "new-0-reliability": "secondary",
    }
    response = client.post(reverse("commitment_update", args=[commitment.slug]), data)
    if response.status_code == 302:
        return True, ""
    assert response.status_code == 200
    return False, str(response.context["form"].errors)


def through_the_admin(client, superuser, commitment, status, progress, effective, evidence):
    client.force_login(superuser)
    item = Evidence.objects.create(
        title="Ministry note",
        url="https://gov.example/note",
        kind="news_report",
        reliability="secondary",
    )
    item.commitments.add(commitment)
    response = _change_status(
        client,
        commitment,
        change_status=status,
        change_progress=str(progress),
        change_effective_on=effective,
        change_rationale="Assessed.",
        change_evidence=[str(item.pk)] if evidence else [],
    )
    if response.status_code == 302:
        return True, ""
    assert response.status_code == 200  # a form error, never a server error
    return False, str(response.context["adminform"].form.errors)


def through_the_api(client, analyst, commitment, status, progress, effective, evidence):
    api = APIClient()
    api.force_authenticate(analyst)
    body = {"status": status, "progress": progress, "effective_on": effective, "rationale": "x"}
    if evidence:
        body["new_evidence"] = [{"title": "Ministry note", "url": "https://gov.example/note"}]
    response = api.post(
        reverse("api_commitment_updates", args=[commitment.slug]), body, format="json"
    )
    if response.status_code == 201:
        return True, ""
    assert response.status_code == 400
    return False, json.dumps(response.json())


def through_a_csv_import(client, user, commitment, status, progress, effective, evidence):
    source = "Ministry note" if evidence else ""
    content = (
        "external_id,title,status,progress,effective,source\n"
        f"F1,Deliver a fighter,{status},{progress},{effective},{source}\n"
    ).encode()
    result = import_file(content, "ratings.csv", by=user)
    return result.written and not result.rejected, str([r.reason for r in result.rejected])


def through_a_json_import(client, user, commitment, status, progress, effective, evidence):
    record = {
        "external_id": "F1",
        "title": "Deliver a fighter",
        "evidence": [{"title": "Ministry note", "url": "https://gov.example/note"}],
        "history": [
            {
                "status": status,
                "progress": progress,
                "effective_on": effective,
                "rationale": "Assessed.",
                "evidence": [1] if evidence else [],
            }
        ],
    }
    result = import_file(json.dumps([record]).encode(), "history.json", by=user)
    return result.written and not result.rejected, str([r.reason for r in result.rejected])


ENTRY_POINTS = {
    "form": (through_the_form, "analyst"),
    "admin": (through_the_admin, "superuser"),
    "api": (through_the_api, "analyst"),
    "csv_import": (through_a_csv_import, "editor"),
    "json_import": (through_a_json_import, "editor"),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(("case", "message"), CASES.values(), ids=CASES.keys())
def test_every_entry_point_refuses_what_the_service_refuses(
    request, client, commitment, entry, case, message
):
    write, role = ENTRY_POINTS[entry]
    user = request.getfixturevalue(role)
    if entry == "csv_import" and message == "at least one evidence item":
        message = "names no source"  # an import's evidence is its source
    written, errors = write(client, user, commitment, *case)
    assert not written
    assert message in errors, errors
    assert not StatusUpdate.objects.exists()
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("not_rated", None)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("case", ALLOWED.values(), ids=ALLOWED.keys())
def test_every_entry_point_records_an_update_at_the_edge_of_each_rule(
    request, client, commitment, entry, case
):
    write, role = ENTRY_POINTS[entry]
    written, errors = write(client, request.getfixturevalue(role), commitment, *case)
    assert written, errors
    update = StatusUpdate.objects.get()
    assert update.evidence.exists()
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (update.status, update.progress)


@pytest.fixture
def later_update(make, commitment):
    """A stalled update effective 5 March, later than the 1 March each test records."""
    later = make.evidence(commitment, title="Later note", url="https://gov.example/later")
    return services.record_status_update(
        commitment=commitment,
        status="stalled",
        effective_on=dt.date(2026, 3, 5),
        rationale="Paused.",
        evidence=[later],
        by=None,
    )


@pytest.mark.parametrize("entry", ["form", "admin", "api"])
def test_an_update_that_a_later_one_hides_needs_the_analyst_to_say_so(
    request, client, commitment, later_update, entry
):
    write, role = ENTRY_POINTS[entry]
    written, errors = write(
        client, request.getfixturevalue(role), commitment, "in_progress", 40, "2026-03-01", True
    )
    assert not written
    assert "will not change the current status" in errors
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize("entry", ["csv_import", "json_import"])
def test_an_import_dated_before_the_latest_update_goes_into_the_history_only(
    request, client, commitment, later_update, entry
):
    write, role = ENTRY_POINTS[entry]
    written, errors = write(
        client, request.getfixturevalue(role), commitment, "in_progress", 40, "2026-03-01", True
    )
    assert written, errors
    commitment.refresh_from_db()
    assert commitment.status == "stalled"
    assert list(
        StatusUpdate.objects.order_by("effective_on", "recorded_at", "id").values_list(
            "status", "effective_on"
        )
    ) == [("in_progress", dt.date(2026, 3, 1)), ("stalled", dt.date(2026, 3, 5))]


def test_an_analyst_sees_no_rule_twice_in_the_code():
    """The forms, the admin and the API call the service's checks; none of them states
    a date, progress or evidence rule of its own (their messages come from the service)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "commitments"
    for path in ("forms/updates.py", "admin.py", "api/serializers.py", "importing/writing.py"):
        text = (root / path).read_text()
        for phrase in ("cannot be in the future", "before the announcement", "between 0 and 100"):
            assert phrase not in text, (path, phrase)


# -- which days an update may be dated, when the announcement is not known ------------------
def _rate(commitment, make, day):
    return services.record_status_update(
        commitment=commitment,
        status="in_progress",
        effective_on=day,
        rationale="Assessed.",
        evidence=[make.evidence(commitment)],
        by=None,
    )


def test_it_refuses_a_date_more_than_ten_years_back_but_not_ten_years_to_the_day(make):
    commitment = make.commitment("Undated")
    with pytest.raises(ValidationError) as error:
        _rate(commitment, make, dt.date(2016, 3, 9))
    assert "more than 10 years back" in str(error.value)
    assert _rate(commitment, make, dt.date(2016, 3, 10)).effective_on == dt.date(2016, 3, 10)


def test_it_refuses_a_date_before_the_source_when_the_announcement_is_unknown(make):
    source = make.source("Joint statement", date=dt.date(2024, 2, 5))
    commitment = make.commitment("From a statement", source=source)
    with pytest.raises(ValidationError) as error:
        _rate(commitment, make, dt.date(2024, 2, 4))
    assert "before the source's date (5 Feb 2024)" in str(error.value)
    assert _rate(commitment, make, dt.date(2024, 2, 5)).effective_on == dt.date(2024, 2, 5)


def test_a_month_counts_from_its_first_day_and_may_not_start_in_the_future(make):
    commitment = make.commitment(
        "Monthly", announced_on=dt.date(2026, 2, 10), announced_precision="day"
    )
    february = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        effective_on=dt.date(2026, 2, 20),
        effective_precision="month",
        rationale="Since February.",
        evidence=[make.evidence(commitment)],
        by=None,
    )
    assert (february.effective_on, february.effective_display) == (dt.date(2026, 2, 1), "Feb 2026")
    with pytest.raises(ValidationError) as error:
        services.record_status_update(
            commitment=commitment,
            status="stalled",
            effective_on=dt.date(2026, 4, 1),
            effective_precision="month",
            rationale="Next month.",
            evidence=[make.evidence(commitment)],
            by=None,
        )
    assert "cannot be in the future" in str(error.value)


def test_it_allows_a_date_decades_back_from_a_known_announcement_but_not_a_day_before(make):
    commitment = make.commitment(
        "Houston summit", announced_on=dt.date(1990, 1, 1), announced_precision="year"
    )
    with pytest.raises(ValidationError) as error:
        _rate(commitment, make, dt.date(1989, 12, 31))
    assert "before the announcement (1990)" in str(error.value)
    assert _rate(commitment, make, dt.date(1990, 1, 1)).effective_on == dt.date(1990, 1, 1)
