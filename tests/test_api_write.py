"""Recording status updates through the API: the service's rules, errors and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.crypto import get_random_string
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments import services
from commitments.choices import Status
from commitments.models import Commitment, Evidence, StatusUpdate
from tests.api_support import frozen  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_analyst(api, analyst):
    api.force_authenticate(analyst)
    return api


@pytest.fixture
def commitment(make):
    return make.commitment(
        "Joint satellite", announced_on=dt.date(2026, 1, 16), announced_precision="day"
    )


def url(commitment: Commitment) -> str:
    return reverse("api_commitment_updates", args=[commitment.slug])


def test_it_records_an_update_with_existing_evidence(as_analyst, analyst, commitment, make):
    evidence = make.evidence(commitment)

    response = as_analyst.post(
        url(commitment),
        {
            "status": "in_progress",
            "progress": 30,
            "effective_on": "2026-11-02",
            "rationale": "Contracts were signed.",
            "evidence": [evidence.pk],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    update = StatusUpdate.objects.get()
    assert body["id"] == update.pk
    assert body["status"] == "in_progress"
    assert body["progress"] == 30
    assert body["effective"]["date"] == "2026-11-02"
    assert body["recorded_by"] == analyst.username
    assert [e["id"] for e in body["evidence"]] == [evidence.pk]
    assert response["Location"] == f"http://testserver/api/updates/{update.pk}/"
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (Status.IN_PROGRESS, 30)
    assert update.recorded_by == analyst


def test_it_creates_new_evidence_inline(as_analyst, commitment):
    response = as_analyst.post(
        url(commitment),
        {
            "status": "achieved",
            "rationale": "Launched.",
            "new_evidence": [
                {
                    "title": "Launch report",
                    "url": "https://example.org/launch",
                    "published_on": "2026-11-20",
                    "kind": "official_text",
                    "reliability": "primary",
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    evidence = Evidence.objects.get()
    assert list(evidence.commitments.all()) == [commitment]
    assert (evidence.title, evidence.kind, evidence.reliability) == (
        "Launch report",
        "official_text",
        "primary",
    )
    assert evidence.published_on == dt.date(2026, 11, 20)
    assert response.json()["evidence"] == [
        {"id": evidence.pk, "title": "Launch report", "url": "https://example.org/launch"}
    ]
    assert response.json()["effective"]["date"] == "2026-12-01"


def test_it_allows_not_yet_rated_without_evidence(as_analyst, commitment):
    response = as_analyst.post(
        url(commitment),
        {"status": "not_rated", "review": True, "rationale": "Too early to say."},
        format="json",
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"rationale": "x"}, "status"),
        ({"status": "done", "rationale": "x"}, "status"),
        ({"status": "not_rated"}, "rationale"),
        ({"status": "not_rated", "review": True, "rationale": "   "}, "rationale"),
        ({"status": "not_rated", "review": True, "rationale": "x", "progress": 101}, "progress"),
        (
            {"status": "not_rated", "review": True, "rationale": "x", "effective_on": "2026-12-02"},
            "effective_on",
        ),
        (
            {"status": "not_rated", "review": True, "rationale": "x", "effective_on": "2025-01-01"},
            "effective_on",
        ),
        (
            {"status": "not_rated", "review": True, "rationale": "x", "effective_on": "yesterday"},
            "effective_on",
        ),
        ({"status": "in_progress", "rationale": "No evidence given."}, "evidence"),
        ({"status": "in_progress", "rationale": "x", "evidence": [999999]}, "evidence"),
        ({"status": "not_rated", "review": True, "rationale": "x", "corrects": 999999}, "corrects"),
        (
            {
                "status": "in_progress",
                "rationale": "x",
                "new_evidence": [{"title": "Bad link", "url": "javascript:alert(1)"}],
            },
            "new_evidence",
        ),
    ],
)
def test_it_answers_bad_input_with_400_and_field_errors(as_analyst, commitment, payload, field):
    response = as_analyst.post(url(commitment), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not StatusUpdate.objects.exists()


def test_it_accepts_new_evidence_with_only_a_title(as_analyst, commitment):
    response = as_analyst.post(
        url(commitment),
        {"status": "in_progress", "rationale": "x", "new_evidence": [{"title": "Phone call"}]},
        format="json",
    )

    assert response.status_code == 201
    assert Evidence.objects.get().url == ""


def test_it_records_achieved_as_full_progress(as_analyst, commitment, make):
    evidence = make.evidence(commitment)

    response = as_analyst.post(
        url(commitment),
        {"status": "achieved", "rationale": "Done.", "evidence": [evidence.pk]},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["progress"] == 100


def test_it_asks_to_confirm_achieved_below_full_progress(as_analyst, commitment, make):
    evidence = make.evidence(commitment)
    payload = {
        "status": "achieved",
        "progress": 80,
        "rationale": "Mostly.",
        "evidence": [evidence.pk],
    }

    unconfirmed = as_analyst.post(url(commitment), payload, format="json")
    confirmed = as_analyst.post(
        url(commitment), {**payload, "achieved_below_full": True}, format="json"
    )

    assert unconfirmed.status_code == 400
    assert "progress" in unconfirmed.json()
    assert confirmed.status_code == 201
    assert confirmed.json()["progress"] == 80


def test_it_accepts_evidence_recorded_for_another_commitment(as_analyst, commitment, make):
    other = make.evidence(make.commitment("Another"))

    response = as_analyst.post(
        url(commitment),
        {"status": "in_progress", "rationale": "x", "evidence": [other.pk]},
        format="json",
    )

    assert response.status_code == 201
    assert commitment in other.commitments.all()


def test_it_refuses_an_update_that_changes_nothing_unless_it_is_a_review(as_analyst, commitment):
    body = {"status": "not_rated", "rationale": "Checked, nothing new."}

    refused = as_analyst.post(url(commitment), body, format="json")
    reviewed = as_analyst.post(url(commitment), {**body, "review": True}, format="json")

    assert refused.status_code == 400
    assert "changes nothing" in refused.json()["review"][0]
    assert reviewed.status_code == 201
    assert StatusUpdate.objects.get().review is True


def test_it_refuses_to_correct_an_update_of_another_commitment(as_analyst, commitment, make):
    other = make.commitment("Another")
    foreign = services.record_status_update(
        commitment=other, status=Status.NOT_RATED, review=True, rationale="x", by=None
    )

    response = as_analyst.post(
        url(commitment),
        {"status": "not_rated", "review": True, "rationale": "x", "corrects": foreign.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "corrects" in response.json()


def test_it_records_a_correction(as_analyst, commitment, make):
    evidence = make.evidence(commitment)
    wrong = services.record_status_update(
        commitment=commitment,
        status=Status.ACHIEVED,
        rationale="Misread.",
        evidence=[evidence],
        by=None,
    )

    response = as_analyst.post(
        url(commitment),
        {
            "status": "in_progress",
            "rationale": "Not finished yet.",
            "evidence": [evidence.pk],
            "corrects": wrong.pk,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["corrects"] == wrong.pk
    commitment.refresh_from_db()
    assert commitment.status == Status.IN_PROGRESS


def test_it_answers_409_with_the_newer_update_when_someone_else_recorded_one(
    as_analyst, commitment, make, editor
):
    evidence = make.evidence(commitment)
    seen = services.record_status_update(
        commitment=commitment,
        status=Status.NOT_STARTED,
        rationale="a",
        evidence=[evidence],
        by=None,
    )
    newer = services.record_status_update(
        commitment=commitment,
        status=Status.STALLED,
        rationale="Work stopped.",
        evidence=[evidence],
        by=editor,
    )

    response = as_analyst.post(
        url(commitment),
        {
            "status": "in_progress",
            "rationale": "x",
            "evidence": [evidence.pk],
            "seen_latest_id": seen.pk,
        },
        format="json",
    )

    assert response.status_code == 409
    body = response.json()
    assert body["latest_recorded_id"] == newer.pk
    assert body["latest"]["id"] == newer.pk
    assert body["latest"]["status"] == "stalled"
    assert body["latest"]["rationale"] == "Work stopped."
    assert body["latest"]["recorded_by"] == editor.username
    assert StatusUpdate.objects.count() == 2


def test_it_answers_409_when_the_first_update_arrived_meanwhile(as_analyst, commitment):
    newer = services.record_status_update(
        commitment=commitment, status=Status.NOT_RATED, review=True, rationale="First.", by=None
    )

    response = as_analyst.post(
        url(commitment),
        {"status": "not_rated", "review": True, "rationale": "Also first.", "seen_latest_id": None},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["latest"]["id"] == newer.pk


def test_it_records_when_the_seen_update_is_still_the_latest(as_analyst, commitment, client):
    detail = client.get(reverse("api_commitment", args=[commitment.slug])).json()

    response = as_analyst.post(
        url(commitment),
        {
            "status": "not_rated",
            "review": True,
            "rationale": "Checked.",
            "seen_latest_id": detail["latest_recorded_id"],
        },
        format="json",
    )

    assert detail["latest_recorded_id"] is None
    assert response.status_code == 201


def test_it_answers_404_for_an_unknown_commitment(as_analyst, db):
    response = as_analyst.post(
        reverse("api_commitment_updates", args=["nowhere"]),
        {"status": "not_rated", "review": True, "rationale": "x"},
        format="json",
    )

    assert response.status_code == 404


def test_it_accepts_a_token(api, analyst, commitment):
    token = Token.objects.create(user=analyst)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.post(
        url(commitment),
        {"status": "not_rated", "review": True, "rationale": "By token."},
        format="json",
    )

    assert response.status_code == 201
    assert StatusUpdate.objects.get().recorded_by == analyst


def test_it_accepts_a_session_with_a_csrf_token(analyst, commitment):
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(analyst)
    payload = {"status": "not_rated", "review": True, "rationale": "By session."}

    without_token = session.post(url(commitment), payload, format="json")
    csrf = get_random_string(32)
    session.cookies["csrftoken"] = csrf
    with_token = session.post(url(commitment), payload, format="json", HTTP_X_CSRFTOKEN=csrf)

    assert without_token.status_code == 403
    assert with_token.status_code == 201
    assert StatusUpdate.objects.get().rationale == "By session."


def test_it_rejects_a_wrong_token_with_401(api, commitment):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.post(
        url(commitment), {"status": "not_rated", "review": True, "rationale": "x"}, format="json"
    )

    assert response.status_code == 401
    assert not StatusUpdate.objects.exists()
