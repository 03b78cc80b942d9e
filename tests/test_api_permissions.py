"""Who may use each endpoint: reading follows TRACKER_PUBLIC, writing needs an analyst."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments import services
from commitments.choices import Status
from commitments.models import StatusUpdate
from tests.api_support import frozen  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

READ_ENDPOINTS = [
    ("api_commitments", None),
    ("api_commitment", "commitment"),
    ("api_commitment_updates", "commitment"),
    ("api_updates", None),
    ("api_update", "update"),
    ("api_actors", None),
    ("api_actor", "actor"),
    ("api_themes", None),
    ("api_theme", "theme"),
    ("api_sources", None),
    ("api_summary", None),
    ("api_source", "source"),
    ("api_schema", None),
    ("api_docs", None),
]


@pytest.fixture
def data(make):
    actor, theme, source = make.actor(), make.theme(), make.source()
    commitment = make.commitment(parties=[actor], themes=[theme], source=source)
    update = services.record_status_update(
        commitment=commitment, status=Status.NOT_RATED, review=True, rationale="Seen.", by=None
    )
    return {
        "commitment": commitment.slug,
        "update": update.pk,
        "actor": actor.slug,
        "theme": theme.slug,
        "source": source.slug,
    }


def endpoint(data, name: str, arg: str | None) -> str:
    return reverse(name, args=[data[arg]] if arg else [])


@pytest.mark.parametrize(("name", "arg"), READ_ENDPOINTS)
def test_it_lets_anyone_read_when_the_tracker_is_public(settings, data, name, arg):
    settings.TRACKER_PUBLIC = True

    response = APIClient().get(endpoint(data, name, arg))

    assert response.status_code == 200


@pytest.mark.parametrize(("name", "arg"), READ_ENDPOINTS)
def test_it_answers_401_to_anonymous_reads_when_the_tracker_is_private(settings, data, name, arg):
    settings.TRACKER_PUBLIC = False

    response = APIClient().get(endpoint(data, name, arg))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("name", "arg"), READ_ENDPOINTS)
def test_it_lets_a_logged_in_reader_read_when_the_tracker_is_private(
    settings, data, reader, name, arg
):
    settings.TRACKER_PUBLIC = False
    api = APIClient()
    api.force_login(reader)

    response = api.get(endpoint(data, name, arg))

    assert response.status_code == 200


def test_it_lets_a_token_read_when_the_tracker_is_private(settings, data, reader):
    settings.TRACKER_PUBLIC = False
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader).key}")

    response = api.get(reverse("api_commitments"))

    assert response.status_code == 200
    assert response.json()["count"] == 1


# -- writing ------------------------------------------------------------------------------
PAYLOAD = {"status": "not_rated", "review": True, "rationale": "Nothing to report yet."}


def post(api: APIClient, data) -> int:
    url = reverse("api_commitment_updates", args=[data["commitment"]])
    return api.post(url, PAYLOAD, format="json").status_code


def test_it_answers_401_to_an_anonymous_write(data):
    assert post(APIClient(), data) == 401
    assert StatusUpdate.objects.count() == 1


def test_it_answers_403_to_a_reader_write(data, reader):
    api = APIClient()
    api.force_login(reader)

    assert post(api, data) == 403
    assert StatusUpdate.objects.count() == 1


def test_it_answers_403_to_a_reader_token(data, reader):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader).key}")

    assert post(api, data) == 403


@pytest.mark.parametrize("role", ["analyst", "editor", "superuser"])
def test_it_lets_analysts_editors_and_superusers_write(request, data, role):
    api = APIClient()
    api.force_login(request.getfixturevalue(role))

    assert post(api, data) == 201
    assert StatusUpdate.objects.count() == 2


def test_it_lets_an_analyst_write_when_the_tracker_is_private(settings, data, analyst):
    settings.TRACKER_PUBLIC = False
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=analyst).key}")

    assert post(api, data) == 201


@pytest.mark.parametrize(("name", "arg"), [e for e in READ_ENDPOINTS if e[0] != "api_docs"])
def test_it_offers_no_other_writes(data, analyst, name, arg):
    api = APIClient()
    api.force_login(analyst)
    url = endpoint(data, name, arg)

    responses = [api.put(url, {}), api.patch(url, {}), api.delete(url)]
    if name != "api_commitment_updates":
        responses.append(api.post(url, {}))

    assert {r.status_code for r in responses} == {405}
