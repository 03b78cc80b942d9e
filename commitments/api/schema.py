"""How the OpenAPI schema is generated: from the serializers and the FilterSet, so the
documented contract and the running code cannot drift apart."""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS

from ..filters import YEAR_MAX, YEAR_MIN

# Every error answer is a JSON object: `{"detail": ...}`, or each refused field with its
# messages.
ERROR_BODY = {
    "type": "object",
    "additionalProperties": {},
    "description": '{"detail": "..."}, or each refused parameter or field with its messages.',
}
ERRORS = {
    "400": "A parameter, filter or body it cannot accept, with the reasons.",
    "401": "The token is not valid, or reading needs a login and none was given.",
    "403": "Logged in without the right to do this.",
    "404": "No such item, or a page beyond the last.",
}


class TrackerSchema(AutoSchema):
    """The contract as the views keep it: reading needs no credentials while the tracker
    is public, and every operation documents the errors it can answer."""

    def get_operation(self, *args, **kwargs):
        """A query parameter may also be empty, which means "not given", as a form sends
        it: the filters, `as_of` and `page` all read it so."""
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter["in"] == "query":
                parameter["schema"] = _or_empty(parameter["schema"])
        return operation

    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and settings.TRACKER_PUBLIC and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code == "400" and self.method in SAFE_METHODS and not self._takes_parameters():
                continue
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_BODY}},
                },
            )
        return responses

    def _takes_parameters(self) -> bool:
        return self._is_list_view() or bool(self.get_filter_backends())


def _or_empty(schema: dict) -> dict:
    if schema.get("type") == "string" and "enum" in schema:
        return {**schema, "enum": [*schema["enum"], ""]} if "" not in schema["enum"] else schema
    if schema.get("type") == "string" and "format" not in schema:
        return schema
    empty = {"type": "string", "maxLength": 0}
    if schema.get("type") == "string":
        rest = {k: v for k, v in schema.items() if k not in ("type", "format")}
        return {"type": "string", "anyOf": [{"format": schema["format"]}, {"maxLength": 0}], **rest}
    return {"anyOf": [schema, empty]}


class FilteredSchema(TrackerSchema):
    """Documents the filter parameters on views that are not plain lists (the summary)."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])


def _slug(name: str, what: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=f"The {what}'s slug.")


def _year(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
        description=description,
    )


# The FilterSet's parameters are documented from the FilterSet itself; these only give
# the slug and year filters their real types (the introspection sees ids and numbers).
FILTER_PARAMETERS = [
    _slug("theme", "theme"),
    _slug("party", "actor"),
    _slug("source", "source"),
    _year("deadline_after", "Deadline in or after this year."),
    _year("deadline_before", "Deadline in or before this year."),
]
