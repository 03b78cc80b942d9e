"""The API records a party's assessment through the service: 201, or 400 with the
service's message, or 409 when another analyst assessed the party first."""

import datetime as dt

import pytest
from django.urls import reverse

from commitments.models import Party, PartyAssessment
from commitments.services.assessments import record_party_assessment

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def gcap(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    make.actor("France")
    commitment = make.commitment("GCAP", slug="gcap", parties=[italy, japan])
    evidence = make.evidence(commitment)
    return commitment, italy, evidence


def url(actor="italy"):
    return reverse("api_party_assessments", args=["gcap", actor])


def payload(item, **extra):
    return {
        "status": "achieved",
        "score": 1,
        "rationale": "Delivered.",
        "effective_on": "2026-03-01",
        "evidence": [item.pk],
        **extra,
    }


def test_it_records_an_assessment_for_an_analyst(analyst_client, gcap):
    _, italy, evidence = gcap
    response = analyst_client.post(url(), payload(evidence), content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["party"], response.json()["score"]) == ("italy", 1)
    party = Party.objects.get(commitment__slug="gcap", actor=italy)
    assert (party.status, party.score) == ("achieved", 1)
    listed = analyst_client.get(url()).json()
    assert [row["id"] for row in listed["results"]] == [response.json()["id"]]


def test_it_refuses_anonymous_writes_and_readers(client, reader, gcap):
    _, _, evidence = gcap
    assert client.post(url(), payload(evidence), content_type="application/json").status_code == 401
    client.force_login(reader)
    assert client.post(url(), payload(evidence), content_type="application/json").status_code == 403
    assert client.get(url()).status_code == 200


@pytest.mark.parametrize(
    ("actor", "extra", "key", "message"),
    [
        ("italy", {"score": 2}, "score", "A compliance score is -1, 0 or +1, not 2."),
        ("italy", {"score": -2}, "score", "A compliance score is -1, 0 or +1, not -2."),
        ("france", {}, "party", "France is not a party to this commitment"),
        (
            "italy",
            {"evidence": [], "status": "stalled", "score": None},
            "evidence",
            "needs at least",
        ),
    ],
)
def test_it_answers_bad_input_with_400_and_writes_nothing(
    analyst_client, gcap, actor, extra, key, message
):
    _, _, evidence = gcap
    response = analyst_client.post(
        url(actor), payload(evidence, **extra), content_type="application/json"
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()[key])
    assert PartyAssessment.objects.count() == 0


def test_it_answers_404_for_an_unknown_actor(analyst_client, gcap):
    _, _, evidence = gcap
    response = analyst_client.post(
        url("atlantis"), payload(evidence), content_type="application/json"
    )
    assert response.status_code == 404


def test_it_answers_409_when_another_assessment_came_first(analyst_client, gcap):
    commitment, italy, evidence = gcap
    first = record_party_assessment(
        commitment=commitment,
        actor=italy,
        status="stalled",
        rationale="Other analyst.",
        evidence=[evidence],
        effective_on=dt.date(2026, 2, 1),
        by=None,
    )
    response = analyst_client.post(
        url(), payload(evidence, seen_latest_id=None), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["latest_recorded_id"] == first.pk
    assert PartyAssessment.objects.count() == 1
