"""The OpenAPI schema, its docs page, and a property-based run of the API against it."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from commitments import services
from commitments.choices import Status
from commitments.filters import CommitmentFilterSet
from tests.api_support import frozen  # noqa: F401

pytestmark = pytest.mark.django_db


def get_schema(client) -> dict:
    response = client.get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_it_serves_a_valid_openapi_schema(client):
    schema = get_schema(client)

    validate_schema(schema)
    assert {
        "/api/commitments/",
        "/api/commitments/{slug}/",
        "/api/commitments/{slug}/updates/",
        "/api/updates/",
        "/api/updates/{id}/",
        "/api/actors/",
        "/api/actors/{slug}/",
        "/api/themes/",
        "/api/themes/{slug}/",
        "/api/sources/",
        "/api/sources/{slug}/",
        "/api/summary/",
    } <= set(schema["paths"])


def test_it_generates_the_schema_without_warnings(db):
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)

    assert not GENERATOR_STATS._warn_cache
    assert not GENERATOR_STATS._error_cache


def test_the_command_and_the_served_schema_name_vocabularies_alike(client, db):
    """One set of enum names, whoever generates the schema."""
    generated = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    served = get_schema(client)["components"]["schemas"]
    assert "CommitmentKindEnum" in generated and "CommitmentKindEnum" in served
    assert {n for n in generated if n.endswith("Enum")} == {n for n in served if n.endswith("Enum")}


@pytest.mark.parametrize("path", ["/api/commitments/", "/api/summary/"])
def test_it_documents_every_list_filter(client, path):
    parameters = get_schema(client)["paths"][path]["get"]["parameters"]

    documented = {p["name"] for p in parameters if p["in"] == "query"}
    assert set(CommitmentFilterSet.base_filters) <= documented


def test_it_documents_slug_filters_as_strings(client):
    parameters = get_schema(client)["paths"]["/api/commitments/"]["get"]["parameters"]
    types = {p["name"]: p["schema"].get("type") for p in parameters}
    deadline = next(p["schema"] for p in parameters if p["name"] == "deadline_after")

    assert (types["party"], types["theme"], types["source"]) == ("string", "string", "string")
    # A number, or empty for "not given", as every query parameter may be.
    assert deadline["anyOf"][0]["type"] == "integer"
    assert deadline["anyOf"][1] == {"type": "string", "maxLength": 0}


def test_it_documents_the_write_and_its_conflict(client):
    operation = get_schema(client)["paths"]["/api/commitments/{slug}/updates/"]["post"]

    assert {"201", "400", "401", "403", "404", "409"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/StatusUpdateInput"}


def test_it_serves_readable_docs_without_a_cdn(client):
    page = client.get(reverse("api_docs"))
    script = client.get(reverse("api_docs"), {"script": ""})

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "unpkg" not in html
    assert "<script>" not in html  # the Content Security Policy allows no inline script
    assert script.status_code == 200
    assert reverse("api_schema") in script.content.decode()


# -- property-based run ---------------------------------------------------------------------
ANALYST_TOKEN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def register(db, make, analyst) -> dict:
    """A small register; path parameters are pointed at its real slugs and ids so the
    generated requests reach the views rather than stop at a 404."""
    actor, theme = make.actor("Italy"), make.theme("Space")
    source = make.source("Tokyo statement")
    commitment = make.commitment("Satellite", parties=[actor], themes=[theme], source=source)
    update = services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        rationale="Started.",
        evidence=[make.evidence(commitment)],
        by=analyst,
    )
    Token.objects.create(user=analyst, key=ANALYST_TOKEN)
    return {
        "commitments": commitment.slug,
        "actors": actor.slug,
        "themes": theme.slug,
        "sources": source.slug,
        "updates": update.pk,
    }


@pytest.fixture
def api_schema(register):
    """The schema as served, run in-process against the WSGI app.

    Like Django's test client, the requests must not close the database connection at
    their end: it holds the test's transaction (this matters on PostgreSQL)."""
    from tracker.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_it_answers_generated_requests_without_server_errors(case, register):
    """Valid and invalid parameters and bodies, as an analyst so the write runs too, with
    every check: no server error, answers that match their documented shapes and codes,
    invalid requests refused, reads open without credentials.

    The one check left out is that every schema-valid request is accepted: whether it is
    depends on the data, which no schema can state (a slug in a filter that names no
    actor; a write's date too far back, an update already corrected, a change that
    changes nothing); those answer a documented 400 naming the refused field."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    if case.path_parameters:
        resource = case.path.split("/")[2]
        name = next(iter(case.path_parameters))
        case.path_parameters[name] = register[resource]
    case.call_and_validate(
        headers={"Authorization": f"Token {ANALYST_TOKEN}"},
        excluded_checks=[positive_data_acceptance],
    )


def test_it_documents_empty_links_and_codes_unknown_recorders_and_every_error(client):
    schema = get_schema(client)
    components = schema["components"]["schemas"]

    assert {"format": "uri"} in components["Source"]["properties"]["url"]["anyOf"]
    assert {"maxLength": 0} in components["Evidence"]["properties"]["url"]["anyOf"]
    assert components["Actor"]["properties"]["country_code"]["pattern"] == "^([A-Z]{2})?$"
    assert components["StatusUpdate"]["properties"]["recorded_by"]["nullable"] is True
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404"} <= set(operation["responses"]), (path, method)
            if method == "get":
                assert {} in operation["security"], path  # reading is open while public
    assert "400" in schema["paths"]["/api/commitments/"]["get"]["responses"]
    assert "400" not in schema["paths"]["/api/commitments/{slug}/"]["get"]["responses"]
