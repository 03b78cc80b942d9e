"""`/api/scorecard/`: each party's own delivery over the commitments the list's filters
select, the numbers of the `/scorecard/` page (`selectors.scorecard`)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from ..filters import CommitmentFilterSet
from ..models import Commitment
from ..selectors.scorecard import scorecard_rows
from .schema import FilteredSchema
from .serializers import StatusCountsSerializer
from .views import ApiView, CommitmentFilterBackend


class ScorecardRowSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    assessed = serializers.IntegerField(
        help_text="Commitments on which the party has its own status other than Not yet rated."
    )
    mean_score = serializers.FloatField(
        allow_null=True,
        help_text="The plain mean of its compliance scores (-1, 0, +1); null when it has none.",
    )
    compliance_percent = serializers.FloatField(
        allow_null=True, help_text="(mean_score + 1) / 2 × 100; null when it has no score."
    )
    by_status = StatusCountsSerializer(
        help_text="Its commitments per its own status, every key, zero included."
    )


class ScorecardSerializer(serializers.Serializer):
    parties = ScorecardRowSerializer(many=True, help_text="Every party, alphabetical.")


class Scorecard(ApiView):
    """Each party's assessed commitments, mean compliance score, compliance percentage and
    own statuses, for the commitments the list's filters select (today's statuses)."""

    schema = FilteredSchema()
    filter_backends = [CommitmentFilterBackend]
    filterset_class = CommitmentFilterSet
    serializer_class = ScorecardSerializer
    pagination_class = None

    def get_queryset(self):
        return Commitment.objects.all()

    def get(self, request, *args, **kwargs):
        scope = self.filter_queryset(self.get_queryset())
        return Response(self.get_serializer({"parties": scorecard_rows(scope)}).data)
