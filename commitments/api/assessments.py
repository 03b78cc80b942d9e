"""`/api/commitments/<slug>/parties/<actor>/assessments/`: a party's own history on a
commitment; POST records an assessment through `services.assessments`, under the same
rules as the form (400 with the service's messages, 409 when another was recorded first)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .. import services
from ..models import Actor, Commitment, PartyAssessment
from ..services import MAX_ID
from ..services.assessments import record_party_assessment
from .serializers import StatusUpdateInputSerializer
from .views import ApiView


class PartyAssessmentSerializer(serializers.ModelSerializer):
    party = serializers.SlugRelatedField(source="party.actor", slug_field="slug", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    corrected_by = serializers.SerializerMethodField()

    class Meta:
        model = PartyAssessment
        fields = [
            "id",
            "party",
            "status",
            "previous_status",
            "score",
            "effective_on",
            "effective_precision",
            "rationale",
            "review",
            "recorded_at",
            "recorded_by",
            "evidence",
            "corrects",
            "corrected_by",
        ]

    def get_corrected_by(self, entry: PartyAssessment) -> int | None:
        return entry.corrected_by.pk if entry.is_corrected else None


class PartyAssessmentInputSerializer(StatusUpdateInputSerializer):
    """What an analyst sends to assess one party. The rules are the service's: a score
    outside -1, 0, +1 is a 400 with its message."""

    progress = None
    achieved_below_full = None
    score = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The party's compliance score: -1 failed, 0 partial, +1 full compliance.",
    )
    corrects = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="The id of an assessment of this party that this one corrects.",
    )
    seen_latest_id = serializers.IntegerField(
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="The party's latest recorded assessment id you saw (null if none). "
        "Leave it out to skip the conflict check.",
    )

    def validate_corrects(self, value: int | None) -> PartyAssessment | None:
        if value is None:
            return None
        entry = PartyAssessment.objects.filter(pk=value).first()
        if entry is None:
            raise serializers.ValidationError(
                gettext("Unknown assessment id %(id)s.") % {"id": value}
            )
        return entry


class PartyConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    latest = PartyAssessmentSerializer(allow_null=True)
    latest_recorded_id = serializers.IntegerField(allow_null=True)


def _history():
    return PartyAssessment.objects.select_related(
        "party__actor", "recorded_by", "corrected_by"
    ).prefetch_related("evidence")


class PartyAssessments(ApiView, generics.ListCreateAPIView):
    """A party's own assessments on a commitment, most recently recorded first; POST
    records one."""

    serializer_class = PartyAssessmentSerializer

    def get_queryset(self):
        return (
            _history()
            .filter(
                party__commitment__slug=self.kwargs["slug"],
                party__actor__slug=self.kwargs["actor"],
            )
            .recorded_newest_first()
        )

    def list(self, request, *args, **kwargs):
        get_object_or_404(Commitment, slug=self.kwargs["slug"])
        get_object_or_404(Actor, slug=self.kwargs["actor"])
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=PartyAssessmentInputSerializer,
        responses={
            201: PartyAssessmentSerializer,
            400: OpenApiResponse(description="Field errors, keyed by field."),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not allowed to record assessments."),
            404: OpenApiResponse(description="No such commitment or actor."),
            409: PartyConflictSerializer,
        },
        description="Assess one party, through the same service and rules as the form.",
    )
    def post(self, request, *args, **kwargs):
        commitment = get_object_or_404(Commitment, slug=self.kwargs["slug"])
        actor = get_object_or_404(Actor, slug=self.kwargs["actor"])
        form = PartyAssessmentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        seen = data.pop("seen_latest_id", services.UNCHECKED)
        new_evidence = [services.NewEvidence(**item) for item in data.pop("new_evidence")]
        try:
            entry = record_party_assessment(
                commitment=commitment,
                actor=actor,
                by=request.user,
                new_evidence=new_evidence,
                seen_latest_id=seen,
                **data,
            )
        except services.StaleUpdateError as exc:
            latest = exc.latest
            body = {
                "detail": gettext(
                    "Another assessment of this party was recorded while you were editing."
                ),
                "latest": PartyAssessmentSerializer(latest).data if latest else None,
                "latest_recorded_id": latest.pk if latest else None,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise ValidationError(detail) from exc
        return Response(
            PartyAssessmentSerializer(_history().get(pk=entry.pk)).data,
            status=status.HTTP_201_CREATED,
        )
