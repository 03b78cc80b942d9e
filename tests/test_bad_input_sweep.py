"""Bad input on every form, API endpoint and filter: each is refused with a message on the
field (never a 500, nothing written), or stored as given and shown as text.

The importer's share of the sweep is in tests/test_bad_input_import.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from commitments.choices import Status
from commitments.models import (
    Actor,
    Commitment,
    Evidence,
    Milestone,
    Party,
    Source,
    StatusUpdate,
    Theme,
)

HUGE = 10**20  # beyond a 64-bit integer
LONG = "x" * 5001

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def commitment(make):
    commitment = make.commitment(
        "Deliver a fighter",
        deadline=dt.date(2035, 1, 1),
        precision="year",
        announced_on=dt.date(2025, 11, 20),
        announced_precision="day",
    )
    make.evidence(commitment, title="Existing report")
    return commitment


@pytest.fixture
def milestone(commitment):
    return Milestone.objects.create(commitment=commitment, title="First flight")


def snapshot() -> dict:
    """Everything a refused write could touch."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Commitment,
                StatusUpdate,
                Evidence,
                Milestone,
                Party,
                Actor,
                Theme,
                Source,
            )
        },
        "commitments": list(
            Commitment.objects.order_by("pk").values_list(
                "pk", "title", "status", "progress", "last_update_at"
            )
        ),
        "milestones": list(
            Milestone.objects.order_by("pk").values_list("pk", "title", "completed_on", "due_on")
        ),
    }


def page_of(response) -> str:
    return response.content.decode()


# -- payloads -------------------------------------------------------------------------------
TEXTS = {
    "japanese": "日伊首脳会談",
    "accented": "Città, Déjà vu",
    "script": "<script>alert(1)</script>",
    "bold": "<b>x</b>",
    "attribute": '" onmouseover="alert(1)',
}

BAD_URLS = {
    "javascript": "javascript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "file": "file:///etc/passwd",
    "ftp": "ftp://x",
    "spaced_mixed_case": " JavaScript:alert(1)",
    "upper_case": "JAVASCRIPT:alert(1)",
    "tab_inside": "java\tscript:alert(1)",
    "newline_inside": "java\nscript:alert(1)",
    "control_prefix": "\x01javascript:alert(1)",
    "scheme_relative": "//evil.example/x",
    "no_host": "https:alert(1)",
    "too_long": "https://example.org/" + "a" * 500,
}


def assert_shown_as_text(page: str, text: str) -> None:
    assert escape(text) in page
    if "<" in text or '"' in text:
        assert text not in page


# -- the status update form -----------------------------------------------------------------
def update_data(rows=(), **fields):
    """POST data as the update form sends it, with evidence rows."""
    n = max(len(rows), 2)
    data = {
        "status": "in_progress",
        "progress": "40",
        "effective_on": "2026-03-03",
        "rationale": "Contracts signed for the first phase.",
        "seen_latest_id": "",
        "new-TOTAL_FORMS": str(n),
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
    }
    for i in range(n):
        row = rows[i] if i < len(rows) else {}
        data[f"new-{i}-kind"] = row.get("kind", "news_report")
        data[f"new-{i}-reliability"] = row.get("reliability", "secondary")
        for name in ("title", "url", "publisher", "published_on", "excerpt"):
            data[f"new-{i}-{name}"] = row.get(name, "")
    data.update(fields)
    return data


LINK = {"title": "Ministry press release", "url": "https://gov.example/press/1"}


def link(**fields):
    return [{**LINK, **fields}]


# (form data, the field refused, part of its message); "new-0-x" is a new evidence row.
UPDATE_FORM_CASES = {
    "status_empty": (update_data(link(), status=""), "status", "This field is required."),
    "status_bogus": (update_data(link(), status="bogus"), "status", "Select a valid choice."),
    "progress_minus_one": (update_data(link(), progress="-1"), "progress", "between 0 and 100"),
    "progress_101": (update_data(link(), progress="101"), "progress", "between 0 and 100"),
    "progress_abc": (update_data(link(), progress="abc"), "progress", "Enter a whole number."),
    "progress_1e3": (update_data(link(), progress="1e3"), "progress", "Enter a whole number."),
    "progress_fraction": (update_data(link(), progress="40.5"), "progress", "whole number"),
    "progress_huge": (update_data(link(), progress=str(HUGE)), "progress", "between 0 and 100"),
    "achieved_below_full": (
        update_data(link(), status="achieved", progress="60"),
        "progress",
        "Achieved means 100% done",
    ),
    "date_feb_30": (update_data(link(), effective_on="2026-02-30"), "effective_on", "valid date"),
    "date_month_13": (update_data(link(), effective_on="2026-13-01"), "effective_on", "valid date"),
    "date_abc": (update_data(link(), effective_on="abc"), "effective_on", "valid date"),
    "date_empty": (update_data(link(), effective_on=""), "effective_on", "required"),
    "date_year_10000": (
        update_data(link(), effective_on="10000-01-01"),
        "effective_on",
        "valid date",
    ),
    "date_tomorrow": (
        update_data(link(), effective_on="2026-03-11"),
        "effective_on",
        "cannot be in the future",
    ),
    "date_far_future": (
        update_data(link(), effective_on="9999-12-31"),
        "effective_on",
        "cannot be in the future",
    ),
    "date_before_announcement": (
        update_data(link(), effective_on="2025-11-19"),
        "effective_on",
        "cannot be before the announcement",
    ),
    "date_year_one": (
        update_data(link(), effective_on="0001-01-01"),
        "effective_on",
        "cannot be before the announcement",
    ),
    "rationale_empty": (update_data(link(), rationale=""), "rationale", "required"),
    "rationale_whitespace": (update_data(link(), rationale=" \n\t "), "rationale", "required"),
    "rationale_too_long": (update_data(link(), rationale=LONG), "rationale", "under 5000"),
    "rationale_nul": (update_data(link(), rationale="a\x00b"), "rationale", "Null characters"),
    "rationale_vertical_tab": (
        update_data(link(), rationale="a\x0bb"),
        "rationale",
        "contains a control character (U+000B) at position 2",
    ),
    "new_title_form_feed": (
        update_data(link(title="Rep\x0cort")),
        "evidence",
        "title contains a control character (U+000C)",
    ),
    "new_excerpt_escape": (
        update_data(link(excerpt="\x1b[31m")),
        "evidence",
        "excerpt contains a control character (U+001B)",
    ),
    "no_evidence": (update_data(), "evidence", "needs at least one evidence item"),
    "evidence_abc": (update_data(evidence=["abc"]), "evidence", "not a valid value"),
    "evidence_unknown": (update_data(evidence=["99999"]), "evidence", "Select a valid choice"),
    "evidence_huge": (update_data(evidence=[str(HUGE)]), "evidence", "Select a valid choice"),
    "evidence_beyond_int64": (
        update_data(evidence=[str(2**63)]),
        "evidence",
        "Select a valid choice",
    ),
    "evidence_negative": (update_data(evidence=["-1"]), "evidence", "Select a valid choice"),
    "seen_latest_abc": (
        update_data(link(), seen_latest_id="abc"),
        "seen_latest_id",
        "Enter a whole number.",
    ),
    "new_title_empty": (update_data(link(title="")), "evidence", "needs a title"),
    "new_title_whitespace": (update_data(link(title="   ")), "evidence", "needs a title"),
    "new_title_too_long": (update_data(link(title="t" * 301)), "evidence", "at most 300"),
    "new_publisher_too_long": (
        update_data(link(publisher="p" * 201)),
        "evidence",
        "at most 200",
    ),
    "new_excerpt_too_long": (update_data(link(excerpt=LONG)), "evidence", "under 5000"),
    "new_published_feb_30": (
        update_data(link(published_on="2026-02-30")),
        "new-0-published_on",
        "valid date",
    ),
    "new_published_future": (
        update_data(link(published_on="2030-01-01")),
        "evidence",
        "cannot be in the future",
    ),
    "new_kind_bogus": (update_data(link(kind="bogus")), "new-0-kind", "Select a valid choice"),
    **{
        f"new_url_{name}": (
            update_data(link(url=url)),
            "evidence",
            "at most 500" if name == "too_long" else "http",
        )
        for name, url in BAD_URLS.items()
    },
}


def field_errors(form, field: str) -> list[str]:
    if field.startswith("new-"):
        _, index, name = field.split("-", 2)
        return form.new_evidence.forms[int(index)].errors.get(name, [])
    return form.errors.get(field, [])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    UPDATE_FORM_CASES.values(),
    ids=UPDATE_FORM_CASES.keys(),
)
def test_it_refuses_bad_input_on_the_update_form_with_a_message_and_writes_nothing(
    analyst_client, commitment, data, field, message
):
    before = snapshot()

    response = analyst_client.post(reverse("commitment_update", args=[commitment.slug]), data)

    assert response.status_code == 200
    errors = field_errors(response.context["form"], field)
    assert any(message in error for error in errors), errors
    assert escape(errors[0]) in page_of(response)
    assert snapshot() == before


def test_it_refuses_too_many_evidence_rows_on_the_update_form(analyst_client, commitment):
    before = snapshot()
    rows = [{"title": f"Report {n}", "url": f"https://example.org/{n}"} for n in range(11)]

    response = analyst_client.post(
        reverse("commitment_update", args=[commitment.slug]), update_data(rows)
    )

    assert response.status_code == 200
    assert "Please submit at most 10 forms." in page_of(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("abc", "ManagementForm data is missing or has been tampered with"),
        ("", "ManagementForm data is missing or has been tampered with"),
        ("-1", "needs at least one evidence item"),
    ],
)
def test_it_survives_a_tampered_evidence_row_count_on_the_update_form(
    analyst_client, commitment, total, message
):
    before = snapshot()
    data = update_data(link())
    data["new-TOTAL_FORMS"] = total

    response = analyst_client.post(reverse("commitment_update", args=[commitment.slug]), data)

    assert response.status_code == 200
    assert escape(message) in page_of(response)
    assert snapshot() == before


@pytest.mark.parametrize("seen", [str(HUGE), "-1", "0"])
def test_it_treats_an_unknown_seen_update_id_as_a_conflict(analyst_client, commitment, seen):
    before = snapshot()

    response = analyst_client.post(
        reverse("commitment_update", args=[commitment.slug]),
        update_data(link(), seen_latest_id=seen),
    )

    assert response.status_code == 409
    assert snapshot() == before


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_it_stores_update_text_as_given_and_shows_it_escaped(analyst_client, commitment, text):
    rows = [{**LINK, "title": text, "publisher": text, "excerpt": text}]
    response = analyst_client.post(
        reverse("commitment_update", args=[commitment.slug]),
        update_data(rows, rationale=f"Because {text}"),
    )
    assert response.status_code == 302

    update = StatusUpdate.objects.get()
    assert update.rationale == f"Because {text}"
    evidence = update.evidence.get()
    assert (evidence.title, evidence.publisher, evidence.excerpt) == (text, text, text)
    for path in (
        commitment.get_absolute_url(),
        reverse("activity"),
        reverse("commitment_update", args=[commitment.slug]),
        reverse("update_correct", args=[commitment.slug, update.pk]),
    ):
        page = page_of(analyst_client.get(path))
        assert_shown_as_text(page, text)


@pytest.mark.parametrize(
    ("progress", "expected"),
    [("", 100), (" 100 ", 100), ("100", 100)],
    ids=["empty", "padded", "plain"],
)
def test_it_records_achieved_as_100_when_progress_is_empty_or_padded(
    analyst_client, commitment, progress, expected
):
    response = analyst_client.post(
        reverse("commitment_update", args=[commitment.slug]),
        update_data(link(), status="achieved", progress=progress),
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (Status.ACHIEVED, expected)


def test_it_trims_the_spaces_around_an_accepted_link(analyst_client, commitment):
    response = analyst_client.post(
        reverse("commitment_update", args=[commitment.slug]),
        update_data(link(url="  https://gov.example/press/1  ")),
    )
    assert response.status_code == 302
    assert Evidence.objects.get(title=LINK["title"]).url == LINK["url"]


# -- milestones -----------------------------------------------------------------------------
def milestone_data(**fields):
    return {"title": "Prototype rolled out", "due_on": "", "due_precision": "", **fields}


MILESTONE_CASES = {
    "title_empty": (milestone_data(title=""), "title", "required"),
    "title_whitespace": (milestone_data(title="   "), "title", "required"),
    "title_too_long": (milestone_data(title="t" * 301), "title", "at most 300"),
    "title_nul": (milestone_data(title="a\x00b"), "title", "Null characters"),
    "title_vertical_tab": (milestone_data(title="a\x0bb"), "title", "control character (U+000B)"),
    "due_feb_30": (milestone_data(due_on="2026-02-30", due_precision="day"), "due_on", "valid"),
    "due_month_13": (milestone_data(due_on="2026-13-01", due_precision="day"), "due_on", "valid"),
    "due_abc": (milestone_data(due_on="abc", due_precision="day"), "due_on", "valid date"),
    "due_year_10000": (
        milestone_data(due_on="10000-01-01", due_precision="day"),
        "due_on",
        "valid date",
    ),
    "due_without_precision": (
        milestone_data(due_on="2027-01-01"),
        "due_precision",
        "Say how precise",
    ),
    "precision_without_due": (
        milestone_data(due_precision="year"),
        "due_on",
        "Give a date for this precision",
    ),
    "precision_bogus": (
        milestone_data(due_on="2027-01-01", due_precision="bogus"),
        "due_precision",
        "Select a valid choice",
    ),
}


@pytest.mark.parametrize(
    ("data", "field", "message"), MILESTONE_CASES.values(), ids=MILESTONE_CASES.keys()
)
def test_it_refuses_bad_input_on_the_milestone_form_and_writes_nothing(
    analyst_client, commitment, data, field, message
):
    before = snapshot()

    response = analyst_client.post(reverse("milestone_add", args=[commitment.slug]), data)

    assert response.status_code == 200
    errors = response.context["form"].errors.get(field, [])
    assert any(message in error for error in errors), response.context["form"].errors
    assert escape(errors[0]) in page_of(response)
    assert snapshot() == before


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_it_stores_a_milestone_title_as_given_and_shows_it_escaped(
    analyst_client, commitment, text
):
    response = analyst_client.post(
        reverse("milestone_add", args=[commitment.slug]), milestone_data(title=text)
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.title == text
    for path in (
        commitment.get_absolute_url(),
        reverse("milestone_complete", args=[commitment.slug, milestone.pk]),
    ):
        assert_shown_as_text(page_of(analyst_client.get(path)), text)


def test_it_accepts_a_far_future_due_date_and_every_page_still_draws(analyst_client, commitment):
    response = analyst_client.post(
        reverse("milestone_add", args=[commitment.slug]),
        milestone_data(due_on="9999-12-31", due_precision="month"),
    )
    assert response.status_code == 302
    assert Milestone.objects.get().due_on == dt.date(9999, 12, 31)
    for path in (
        commitment.get_absolute_url(),
        reverse("dashboard"),
        reverse("commitment_list"),
        reverse("commitment_export_csv"),
        reverse("commitment_export_json"),
        reverse("deadlines_ics"),
        reverse("api_commitment", args=[commitment.slug]),
    ):
        response = analyst_client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body


def complete_data(rows=(), **fields):
    data = update_data(rows)
    for name in ("status", "progress", "effective_on", "rationale", "seen_latest_id"):
        data.pop(name)
    return {"completed_on": "2026-03-01", **data, **fields}


COMPLETE_CASES = {
    "date_feb_30": (complete_data(link(), completed_on="2026-02-30"), "completed_on", "valid"),
    "date_month_13": (complete_data(link(), completed_on="2026-13-01"), "completed_on", "valid"),
    "date_abc": (complete_data(link(), completed_on="abc"), "completed_on", "valid date"),
    "date_empty": (complete_data(link(), completed_on=""), "completed_on", "required"),
    "date_future": (
        complete_data(link(), completed_on="9999-12-31"),
        "completed_on",
        "cannot be in the future",
    ),
    "date_before_announcement": (
        complete_data(link(), completed_on="2025-01-01"),
        "completed_on",
        "cannot be before the announcement",
    ),
    "no_evidence": (complete_data(), "evidence", "at least one evidence item"),
    "evidence_huge": (complete_data(evidence=[str(HUGE)]), "evidence", "Select a valid choice"),
    "new_title_too_long": (complete_data(link(title="t" * 301)), "evidence", "at most 300"),
    **{
        f"new_url_{name}": (
            complete_data(link(url=url)),
            "evidence",
            "at most 500" if name == "too_long" else "http",
        )
        for name, url in BAD_URLS.items()
    },
}


@pytest.mark.parametrize(
    ("data", "field", "message"), COMPLETE_CASES.values(), ids=COMPLETE_CASES.keys()
)
def test_it_refuses_bad_input_when_completing_a_milestone_and_writes_nothing(
    analyst_client, milestone, data, field, message
):
    before = snapshot()

    response = analyst_client.post(
        reverse("milestone_complete", args=[milestone.commitment.slug, milestone.pk]), data
    )

    assert response.status_code == 200
    errors = field_errors(response.context["form"], field)
    assert any(message in error for error in errors), errors
    assert escape(errors[0]) in page_of(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "name",
    ["update_correct", "milestone_complete"],
)
def test_it_answers_404_for_an_id_beyond_the_database_range(analyst_client, commitment, name):
    response = analyst_client.get(reverse(name, args=[commitment.slug, HUGE]))
    assert response.status_code == 404


# -- the write API --------------------------------------------------------------------------
@pytest.fixture
def api(analyst):
    client = APIClient()
    client.force_authenticate(analyst)
    return client


def api_body(**fields):
    body = {
        "status": "in_progress",
        "progress": 40,
        "effective_on": "2026-03-03",
        "rationale": "Contracts signed.",
        "new_evidence": [dict(LINK)],
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not OMIT}


OMIT = object()


def new(**fields):
    return [{**LINK, **fields}]


API_CASES = {
    "status_missing": (api_body(status=OMIT), "status", "required"),
    "status_bogus": (api_body(status="bogus"), "status", "not a valid choice"),
    "status_null": (api_body(status=None), "status", "may not be null"),
    "rationale_missing": (api_body(rationale=OMIT), "rationale", "required"),
    "rationale_empty": (api_body(rationale=""), "rationale", "may not be blank"),
    "rationale_whitespace": (api_body(rationale="  \n "), "rationale", "may not be blank"),
    "rationale_too_long": (api_body(rationale=LONG), "rationale", "no more than 5000"),
    "rationale_nul": (api_body(rationale="a\x00b"), "rationale", "Null characters"),
    "rationale_form_feed": (api_body(rationale="a\x0cb"), "rationale", "(U+000C)"),
    "rationale_unicode_noncharacter": (api_body(rationale="a\uffff"), "rationale", "(U+FFFF)"),
    "new_title_bell": (api_body(new_evidence=new(title="a\x07")), "new_evidence", "(U+0007)"),
    "rationale_number": (api_body(rationale=["a"]), "rationale", "Not a valid string"),
    "progress_minus_one": (api_body(progress=-1), "progress", "between 0 and 100"),
    "progress_101": (api_body(progress=101), "progress", "between 0 and 100"),
    "progress_abc": (api_body(progress="abc"), "progress", "valid integer"),
    "progress_1e3": (api_body(progress=1e3), "progress", "between 0 and 100"),
    "progress_1e3_text": (api_body(progress="1e3"), "progress", "valid integer"),
    "progress_fraction": (api_body(progress=40.5), "progress", "valid integer"),
    "progress_empty": (api_body(progress=""), "progress", "valid integer"),
    "progress_huge": (api_body(progress=HUGE), "progress", "between 0 and 100"),
    "progress_bool": (api_body(progress=True), "progress", "valid integer"),
    "achieved_below_full": (
        api_body(status="achieved", progress=60),
        "progress",
        "Achieved means 100% done",
    ),
    "date_feb_30": (api_body(effective_on="2026-02-30"), "effective_on", "wrong format"),
    "date_month_13": (api_body(effective_on="2026-13-01"), "effective_on", "wrong format"),
    "date_abc": (api_body(effective_on="abc"), "effective_on", "wrong format"),
    "date_empty": (api_body(effective_on=""), "effective_on", "wrong format"),
    "date_number": (api_body(effective_on=20260303), "effective_on", "wrong format"),
    "date_far_future": (
        api_body(effective_on="9999-12-31"),
        "effective_on",
        "cannot be in the future",
    ),
    "date_before_announcement": (
        api_body(effective_on="2025-11-19"),
        "effective_on",
        "cannot be before the announcement",
    ),
    "precision_bogus": (api_body(effective_precision="week"), "effective_precision", "valid"),
    "evidence_none": (api_body(new_evidence=[]), "evidence", "needs at least one evidence"),
    "evidence_abc": (api_body(evidence=["abc"]), "evidence", "valid integer"),
    "evidence_zero": (api_body(evidence=[0]), "evidence", "greater than or equal to 1"),
    "evidence_unknown": (api_body(evidence=[99999]), "evidence", "Unknown evidence id"),
    "evidence_huge": (api_body(evidence=[HUGE]), "evidence", "less than or equal to"),
    "evidence_int64_max": (api_body(evidence=[2**63 - 1]), "evidence", "Unknown evidence id"),
    "evidence_beyond_int64": (api_body(evidence=[2**63]), "evidence", "less than or equal to"),
    "evidence_not_a_list": (api_body(evidence="1"), "evidence", "Expected a list"),
    "evidence_too_many": (api_body(evidence=list(range(1, 102))), "evidence", "no more than 100"),
    "corrects_abc": (api_body(corrects="abc"), "corrects", "valid integer"),
    "corrects_unknown": (api_body(corrects=99999), "corrects", "Unknown update id"),
    "corrects_huge": (api_body(corrects=HUGE), "corrects", "less than or equal to"),
    "seen_latest_abc": (api_body(seen_latest_id="abc"), "seen_latest_id", "valid integer"),
    "seen_latest_huge": (api_body(seen_latest_id=HUGE), "seen_latest_id", "less than or equal"),
    "new_not_a_list": (api_body(new_evidence={"title": "x"}), "new_evidence", "Expected a list"),
    "new_too_many": (
        api_body(new_evidence=[dict(LINK, title=f"R{n}") for n in range(11)]),
        "new_evidence",
        "no more than 10",
    ),
    "new_title_missing": (api_body(new_evidence=[{"url": LINK["url"]}]), "new_evidence", "title"),
    "new_title_whitespace": (api_body(new_evidence=new(title="  ")), "new_evidence", "blank"),
    "new_title_too_long": (api_body(new_evidence=new(title="t" * 301)), "new_evidence", "300"),
    "new_excerpt_too_long": (api_body(new_evidence=new(excerpt=LONG)), "new_evidence", "5000"),
    "new_published_feb_30": (
        api_body(new_evidence=new(published_on="2026-02-30")),
        "new_evidence",
        "wrong format",
    ),
    "new_published_future": (
        api_body(new_evidence=new(published_on="2030-01-01")),
        "new_evidence",
        "cannot be in the future",
    ),
    "new_kind_bogus": (api_body(new_evidence=new(kind="bogus")), "new_evidence", "valid choice"),
    **{
        f"new_url_{name}": (
            api_body(new_evidence=new(url=url)),
            "new_evidence",
            "500" if name == "too_long" else "http",
        )
        for name, url in BAD_URLS.items()
    },
}


@pytest.mark.parametrize(("body", "field", "message"), API_CASES.values(), ids=API_CASES.keys())
def test_it_refuses_bad_input_on_the_api_with_a_field_error_and_writes_nothing(
    api, commitment, body, field, message
):
    before = snapshot()

    response = api.post(
        reverse("api_commitment_updates", args=[commitment.slug]), body, format="json"
    )

    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert message in str(errors[field]), errors
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{", "application/json"),
        ("[]", "application/json"),
        ('"text"', "application/json"),
        ("null", "application/json"),
        ("\xff\xfe", "application/json"),
        ("status=achieved", "text/plain"),
    ],
    ids=["truncated", "list", "string", "null", "not_utf8", "unsupported_type"],
)
def test_it_refuses_a_body_it_cannot_read_on_the_api(api, commitment, body, content_type):
    before = snapshot()

    response = api.generic(
        "POST",
        reverse("api_commitment_updates", args=[commitment.slug]),
        body.encode("latin-1"),
        content_type=content_type,
    )

    assert 400 <= response.status_code < 500
    assert "detail" in response.json() or "non_field_errors" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        "[" * 5000,
        "{" * 5000,
        "[" * 5000 + "]" * 5000,
        '{"rationale": ' + "[" * 5000 + "]" * 5000 + "}",
    ],
    ids=["open_lists", "open_objects", "closed_lists", "nested_field"],
)
def test_it_refuses_a_deeply_nested_json_body_on_the_api(api, commitment, body):
    before = snapshot()

    response = api.generic(
        "POST",
        reverse("api_commitment_updates", args=[commitment.slug]),
        body,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert snapshot() == before


def test_it_accepts_evidence_recorded_for_another_commitment_on_the_api(api, commitment, make):
    other = make.evidence(make.commitment("Another"))

    response = api.post(
        reverse("api_commitment_updates", args=[commitment.slug]),
        api_body(new_evidence=[], evidence=[other.pk]),
        format="json",
    )

    assert response.status_code == 201
    assert set(other.commitments.values_list("slug", flat=True)) == {"another", commitment.slug}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_it_stores_api_text_as_given_and_shows_it_escaped(api, analyst_client, commitment, text):
    response = api.post(
        reverse("api_commitment_updates", args=[commitment.slug]),
        api_body(rationale=text, new_evidence=new(title=text, publisher=text, excerpt=text)),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rationale"] == text
    update = StatusUpdate.objects.get()
    evidence = update.evidence.get()
    assert (update.rationale, evidence.title, evidence.publisher) == (text, text, text)
    assert_shown_as_text(page_of(analyst_client.get(commitment.get_absolute_url())), text)


@pytest.mark.parametrize(
    "path",
    [f"/api/updates/{HUGE}/", "/api/updates/0/", "/api/commitments/no-such-thing/"],
    ids=["huge_id", "zero_id", "unknown_slug"],
)
def test_it_answers_404_for_unknown_things_on_the_api(api, path):
    assert api.get(path).status_code == 404


def test_it_answers_404_when_posting_to_an_unknown_commitment(api):
    response = api.post("/api/commitments/no-such-thing/updates/", api_body(), format="json")
    assert response.status_code == 404
    assert StatusUpdate.objects.count() == 0


# -- list filters, exports, the dashboard and the summary ---------------------------------
FILTER_CASES = {
    "deadline_after_abc": ("deadline_after=abc", "Enter a year such as 2030."),
    "deadline_after_huge": (f"deadline_after={HUGE}", "Enter a year before 2200."),
    "deadline_before_negative": ("deadline_before=-5", "Enter a year after 1900."),
    "announced_after_feb_30": ("announced_after=2026-02-30", "Enter a valid date."),
    "announced_before_abc": ("announced_before=abc", "Enter a valid date."),
    "announced_after_year_10000": ("announced_after=10000-01-01", "Enter a valid date."),
    "status_bogus": ("status=bogus", "Select a valid choice."),
    "health_bogus": ("health=bogus", "Select a valid choice."),
    "kind_bogus": ("kind=bogus", "Select a valid choice."),
    "theme_unknown": ("theme=no-such-theme", "Select a valid choice."),
    "party_script": ("party=%3Cscript%3E", "Select a valid choice."),
    "has_evidence_maybe": ("has_evidence=maybe", "Choose true or false."),
    "sort_x": ("sort=x", "Select a valid choice."),
    "q_too_long": ("q=" + "q" * 201, "at most 200 characters"),
    "q_nul": ("q=a%00b", "Null characters are not allowed."),
}


@pytest.mark.parametrize(("query", "message"), FILTER_CASES.values(), ids=FILTER_CASES.keys())
def test_it_explains_a_bad_filter_on_the_list_and_refuses_it_on_exports(
    client, api, commitment, query, message
):
    page = client.get(f"{reverse('commitment_list')}?{query}")
    assert page.status_code == 200
    assert escape(message) in page_of(page)

    for name in ("commitment_export_csv", "commitment_export_json", "deadlines_ics"):
        response = client.get(f"{reverse(name)}?{query}")
        assert response.status_code == 400, name
        assert message in page_of(response)

    response = api.get(f"{reverse('api_commitments')}?{query}")
    assert response.status_code == 400
    assert message in str(response.json())

    dashboard = client.get(f"{reverse('dashboard')}?{query}")
    assert dashboard.status_code == 200


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("-1", "Page numbers start at 1"),
        ("0", "Page numbers start at 1"),
        ("abc", "is not a page number"),
        (str(HUGE), "There is no page"),
        ("1.5", "is not a page number"),
    ],
)
def test_it_explains_a_bad_page_number_on_the_list(client, commitment, page, message):
    response = client.get(reverse("commitment_list"), {"page": page})
    assert response.status_code == 200
    assert escape(message) in page_of(response)
    assert commitment.title in page_of(response)


@pytest.mark.parametrize("page", ["-1", "abc", str(HUGE)])
def test_it_shows_a_page_of_activity_whatever_the_page_number(client, page, db):
    response = client.get(reverse("activity"), {"page": page, "user": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in page_of(response).split("</header>", 1)[-1]


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_it_shows_a_search_and_titles_escaped_on_the_list(client, make, text):
    make.commitment(f"Plan {text}")
    response = client.get(reverse("commitment_list"), {"q": text})
    assert response.status_code == 200
    assert_shown_as_text(page_of(response), text)
    # PostgreSQL's full-text parser drops markup from the title but not from a query,
    # so the title is found by its words.
    titles = page_of(client.get(reverse("commitment_list"), {"q": "plan"}))
    assert_shown_as_text(titles, f"Plan {text}")
    assert_shown_as_text(page_of(client.get(reverse("dashboard"), {"q": text})), text)


AS_OF_CASES = {
    "abc": ("abc", "is not a date"),
    "feb_30": ("2026-02-30", "is not a date"),
    "month_13": ("2026-13-01", "is not a date"),
    "far_future": ("9999-12-31", "is in the future"),
    "tomorrow": ("2026-03-11", "is in the future"),
    "year_one": ("0001-01-01", "Enter a date from"),
    "year_10000": ("10000-01-01", "is not a date"),
    "script": ("<script>alert(1)</script>", "is not a date"),
}


@pytest.mark.parametrize(("value", "message"), AS_OF_CASES.values(), ids=AS_OF_CASES.keys())
def test_it_explains_a_bad_as_of_day_on_the_dashboard_and_the_summary(
    client, api, commitment, value, message
):
    response = client.get(reverse("dashboard"), {"as_of": value, "since": value})
    assert response.status_code == 200
    page = page_of(response)
    assert escape(message) in page
    assert "<script>alert(1)" not in page

    summary = api.get(reverse("api_summary"), {"as_of": value})
    assert summary.status_code == 400
    assert "as_of" in summary.json()


# -- dates at the edges of the calendar -----------------------------------------------------
EDGE_DAYS = {"year_one": dt.date(1, 1, 1), "year_9999": dt.date(9999, 12, 31)}


def walked_paths(commitment, update) -> list[str]:
    """Every page, feed, calendar, export and API answer a reader or analyst can ask for."""
    actor = commitment.parties.get().actor
    theme = commitment.themes.get()
    return [
        reverse("dashboard"),
        reverse("dashboard") + "?as_of=2026-03-01&since=2025-01-01",
        reverse("dashboard") + f"?theme={theme.slug}&party={actor.slug}",
        reverse("commitment_list"),
        reverse("commitment_list") + "?sort=deadline",
        reverse("commitment_list") + "?sort=-deadline&deadline_after=2020",
        reverse("commitment_list") + "?as_of=2026-03-01",
        commitment.get_absolute_url(),
        reverse("actor_index"),
        reverse("actor_detail", args=[actor.slug]),
        reverse("theme_index"),
        reverse("theme_detail", args=[theme.slug]),
        reverse("source_index"),
        reverse("source_detail", args=[commitment.source.slug]),
        reverse("activity"),
        reverse("commitment_update", args=[commitment.slug]),
        reverse("update_correct", args=[commitment.slug, update.pk]),
        reverse("commitment_export_csv"),
        reverse("commitment_export_json"),
        reverse("deadlines_ics"),
        reverse("updates_feed"),
        reverse("api_commitments"),
        reverse("api_commitment", args=[commitment.slug]),
        reverse("api_commitment_updates", args=[commitment.slug]),
        reverse("api_updates"),
        reverse("api_update", args=[update.pk]),
        reverse("api_actor", args=[actor.slug]),
        reverse("api_source", args=[commitment.source.slug]),
        reverse("api_summary"),
        reverse("api_summary") + "?as_of=2026-03-01",
    ]


@pytest.mark.parametrize("edge", EDGE_DAYS.values(), ids=EDGE_DAYS.keys())
def test_it_draws_every_page_feed_calendar_and_export_with_a_date_at_the_calendar_edge(
    analyst_client, make, analyst, superuser, edge
):
    """A deadline, milestone and evidence date on the first or last day a date can hold
    (and the announcement and source date on the first): stored as given, drawn everywhere."""
    from commitments import services

    past = edge if edge.year == 1 else None  # a future source or announcement dates nothing
    source = make.source("Placeholder dates", date=past)
    commitment = make.commitment(
        "No end date",
        themes=[make.theme("Space")],
        parties=[make.actor("Italy")],
        source=source,
        deadline=edge,
        precision="day",
        announced_on=past,
        announced_precision="day" if past else "",
    )
    Milestone.objects.create(
        commitment=commitment, title="Launch", due_on=edge, due_precision="day"
    )
    make.commitment("Ordinary", deadline=dt.date(2027, 6, 30), precision="month")
    update = services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        rationale="Begun.",
        evidence=[make.evidence(commitment, published_on=edge)],
        by=analyst,
    )

    for path in walked_paths(commitment, update):
        response = analyst_client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, path
    from commitments.charts import TIMELINE_YEARS_MAX

    timeline = analyst_client.get(reverse("dashboard")).context["timeline"]
    assert 1 <= len(timeline["ticks"]) <= TIMELINE_YEARS_MAX
    assert "No end date" in [row.get("title") for row in timeline["rows"]]
    analyst_client.force_login(superuser)
    for path in (
        reverse("admin:commitments_commitment_changelist"),
        reverse("admin:commitments_commitment_change", args=[commitment.pk]),
        reverse("admin:commitments_milestone_changelist"),
    ):
        assert analyst_client.get(path).status_code == 200, path


# -- characters no text may hold, and NUL in the admin's searches ----------------------------
def test_it_refuses_a_control_character_in_the_admin_with_a_message_on_the_field(client, superuser):
    client.force_login(superuser)
    before = snapshot()

    response = client.post(
        reverse("admin:commitments_actor_add"),
        {"name": "Ita\x0bly", "slug": "italy", "kind": "government"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["name"]
    assert errors == [
        "This text contains a control character (U+000B) at position 4, which cannot be "
        "stored or shown in a feed: remove it."
    ]
    assert snapshot() == before


def test_it_refuses_an_imported_row_with_a_control_character_by_the_same_rule():
    from commitments.importing.rows import plan_row

    plan = plan_row(2, {"title": "A plan", "summary": "Bell\x07", "themes": ["Space", "x\x0c"]})

    assert plan.errors == [
        (
            "summary",
            "contains a control character (U+0007) at position 5, which cannot be "
            "stored or shown in a feed: remove it",
        ),
        (
            "themes[2]",
            "contains a control character (U+000C) at position 2, which cannot be "
            "stored or shown in a feed: remove it",
        ),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/autocomplete/?app_label=commitments&model_name=commitment&field_name=parent"
        "&term=%00",
        "/admin/autocomplete/?app_label=commitments&model_name=party&field_name=actor&term=a%00",
        "/admin/commitments/commitment/?q=%00",
        "/admin/commitments/evidence/?q=x%00y",
    ],
    ids=["autocomplete", "autocomplete_actor", "changelist", "evidence_changelist"],
)
def test_it_searches_the_admin_for_a_nul_without_failing(client, superuser, commitment, path):
    client.force_login(superuser)
    response = client.get(path)
    assert response.status_code == 200


# -- every method on every API address ------------------------------------------------------
API_PATHS = [
    "/api/docs/",
    "/api/docs/?script=",
    "/api/schema/",
    "/api/commitments/",
    "/api/commitments/deliver-a-fighter/",
    "/api/commitments/deliver-a-fighter/updates/",
    "/api/updates/",
    "/api/summary/",
    "/api/actors/",
    "/api/themes/",
    "/api/sources/",
]


@pytest.mark.parametrize("method", ["options", "head", "post", "put", "patch", "delete"])
@pytest.mark.parametrize("as_analyst", [False, True], ids=["anonymous", "analyst"])
def test_it_answers_any_method_on_any_api_address_without_a_server_error(
    client, analyst, commitment, method, as_analyst
):
    if as_analyst:
        client.force_login(analyst)
    for path in API_PATHS:
        response = getattr(client, method)(path)
        assert response.status_code < 500, (path, response.status_code)
    assert client.options("/api/docs/").status_code == 405


def test_it_refuses_a_lone_surrogate_in_an_api_body_with_a_field_error(api, commitment):
    """JSON can spell a half of a UTF-16 pair (\\ud800) that no stored text can hold."""
    before = snapshot()
    body = (
        '{"status": "in_progress", "effective_on": "2026-03-03", "rationale": "a\\ud800b", '
        '"new_evidence": [{"title": "Ministry press release", "url": "https://gov.example/p"}]}'
    )

    response = api.generic(
        "POST",
        reverse("api_commitment_updates", args=[commitment.slug]),
        body,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "U+D800" in str(response.json()["rationale"])
    assert snapshot() == before


@pytest.mark.parametrize("query", ["theme=%00", "party=%00", "source=%00", "q=%00", "sort=%00"])
def test_it_never_fails_on_a_nul_in_a_filter_anywhere(client, api, commitment, query):
    for path in (
        reverse("dashboard"),
        reverse("commitment_list"),
        reverse("commitment_export_csv"),
        reverse("commitment_export_json"),
        reverse("deadlines_ics"),
        reverse("updates_feed"),
        reverse("activity"),
    ):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (path, response.status_code)
    for name in ("api_commitments", "api_summary", "api_updates"):
        assert api.get(f"{reverse(name)}?{query}").status_code in (200, 400), name


@pytest.mark.parametrize(
    ("recorded_at", "reason"),
    [
        ("0002-01-01T00:00:00", "cannot be recorded more than 10 years back"),
        ("2016-03-09T23:59:00", "cannot be recorded more than 10 years back"),
        ("2026-03-10T09:00:01", "cannot be recorded in the future"),
        ("9999-12-31T23:59:59", "cannot be recorded in the future"),
    ],
    ids=["year_two", "ten_years_and_a_day", "a_second_ahead", "year_9999"],
)
def test_it_refuses_an_imported_history_entry_recorded_outside_the_window(
    commitment, recorded_at, reason
):
    import json

    from commitments.importing import import_file

    before = snapshot()
    record = {
        "title": "Old register",
        "evidence": [{"title": "E", "url": "https://example.org/e"}],
        "history": [
            {
                "status": "in_progress",
                "effective_on": "2026-01-05",
                "rationale": "r",
                "evidence": [1],
                "recorded_at": recorded_at,
            }
        ],
    }

    result = import_file(json.dumps([record]).encode(), "x.json")

    assert not result.written
    assert any(reason in r.reason for r in result.rejected), result.rejected
    assert snapshot() == before
