"""`/api/`: every endpoint of the API, read from its URLconf, so the list is never out
of date. Each entry has its path (with `{slug}` or `{id}` where a value goes), a link
when it needs no value, its methods and what it serves (`DESCRIPTIONS`, by URL name;
tests/test_reader_gaps.py fails when an endpoint has none)."""

from __future__ import annotations

import re
from importlib import import_module

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .permissions import ReadPublicWriteAnalyst
from .schema import TrackerSchema
from .views import AUTHENTICATION

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
PLACEHOLDERS = {"pk": "id"}


DESCRIPTIONS = {
    "api_commitments": "Commitments, filtered and sorted with the list page's parameters "
    "(q, status, health, theme, party, source, kind, deadline_after, deadline_before, "
    "announced_after, announced_before, has_evidence, slipped, sort, as_of).",
    "api_commitment": "One commitment with its parties, themes, source, milestones, evidence, "
    "history and deadline history.",
    "api_commitment_updates": "A commitment's status updates, most recently recorded first; "
    "POST records one (Analysts).",
    "api_party_assessments": "A party's own assessments (status, compliance score, evidence) "
    "on a commitment, most recently recorded first; POST records one (Analysts).",
    "api_commitment_deadline_changes": "A commitment's deadline history, oldest first; POST "
    "moves its deadline with a reason (Editors).",
    "api_updates": "Every status update, most recently recorded first.",
    "api_update": "One status update with its evidence.",
    "api_actors": "Actors (governments, agencies, companies, groups) with their commitment counts.",
    "api_actor": "One actor and a link to its commitments.",
    "api_themes": "Themes with their commitment counts.",
    "api_theme": "One theme and a link to its commitments.",
    "api_sources": "Sources (statements, speeches, agreements) with their commitment counts.",
    "api_source": "One source and a link to its commitments.",
    "api_summary": "The dashboard's numbers for the commitments the list's filters select.",
    "api_scorecard": "Each party's assessed commitments, mean compliance score (-1 to +1), "
    "compliance percentage and own statuses, for the commitments the list's filters select.",
    "api_schema": "The OpenAPI schema of this API.",
    "api_docs": "Readable documentation of this API, from its schema.",
}


def _methods(view_class) -> list[str]:
    names = ("get", "post", "put", "patch", "delete")
    return [name.upper() for name in names if hasattr(view_class, name)]


def endpoints(request) -> list[dict]:
    """The API's endpoints in the order the URLconf lists them, this one left out."""
    rows = []
    for pattern in import_module("commitments.api.urls").urlpatterns:
        if pattern.name == "api_root":
            continue
        route = str(pattern.pattern)
        path = "/api/" + CONVERTER.sub(
            lambda m: "{" + PLACEHOLDERS.get(m.group(1), m.group(1)) + "}", route
        )
        view_class = pattern.callback.view_class
        rows.append(
            {
                "name": pattern.name,
                "path": path,
                "url": None if "{" in path else request.build_absolute_uri(path),
                "methods": _methods(view_class),
                "description": DESCRIPTIONS.get(pattern.name, ""),
            }
        )
    return rows


class ApiRoot(APIView):
    """Every endpoint of the API, with where its documentation is."""

    authentication_classes = AUTHENTICATION
    permission_classes = [ReadPublicWriteAnalyst]
    schema = TrackerSchema()

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="List the API's endpoints",
        description="Each endpoint's path, link, methods and what it serves.",
    )
    def get(self, request):
        return Response(
            {
                "docs": request.build_absolute_uri("/api/docs/"),
                "schema": request.build_absolute_uri("/api/schema/"),
                "endpoints": endpoints(request),
            }
        )
