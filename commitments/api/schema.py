"""How the OpenAPI schema is generated: from the serializers and the FilterSet, so the
documented contract and the running code cannot drift apart."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from ..filters import YEAR_MAX, YEAR_MIN


class FilteredSchema(AutoSchema):
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
