"""The API's views: thin on purpose. Shapes live in serializers, filtering in the one
`CommitmentFilterSet`, writing in `services.record_status_update`."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, F, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from .. import services
from ..caching import CountedPaginator
from ..choices import Status
from ..content_languages import requested_language
from ..filters import CommitmentFilterSet
from ..models import (
    Actor,
    Commitment,
    CommitmentLink,
    CommitmentText,
    DeadlineChange,
    Evidence,
    Milestone,
    Source,
    StatusUpdate,
    Theme,
)
from ..params import parse_as_of
from ..selectors.breakdowns import BREAKDOWNS, breakdown_rows
from ..selectors.numbers import dashboard_numbers
from . import serializers as s
from .permissions import ReadPublicWriteEditor
from .schema import FILTER_PARAMETERS, FilteredSchema, TrackerSchema


class CommitmentFilterBackend(DjangoFilterBackend):
    """Applies `CommitmentFilterSet` for the view's day (`view.today`: one date per
    request, for health and the filters alike); invalid parameters are a 400 with the
    FilterSet's field errors."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "day": view.today}

    def filter_queryset(self, request, queryset, view):
        queryset = super().filter_queryset(request, queryset, view)
        # The FilterSet's sort ends on the title; the id makes pages stable under ties.
        return queryset.order_by(*queryset.query.order_by, "pk")


# Token first, so that a request without credentials is answered 401 with a
# WWW-Authenticate header rather than 403.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]


class NestingJSONParser(JSONParser):
    """JSON, with a body nested deeper than Python's parser can follow (`[` × 5,000)
    refused as a 400 like any other unreadable body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(gettext("JSON parse error - the body is nested too deeply.")) from None


class ApiView(generics.GenericAPIView):
    authentication_classes = AUTHENTICATION
    parser_classes = [NestingJSONParser, FormParser, MultiPartParser]
    schema = TrackerSchema()
    filter_backends: list = []

    @cached_property
    def today(self):
        """One date per request, for health and for the filters alike."""
        return timezone.localdate()


# -- commitments --------------------------------------------------------------------------
LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    description="The language of titles and summaries: en, it or ja (else Accept-Language; "
    "an unknown code gives English). A commitment without a translation into it keeps "
    "its original's.",
)


class CountedPagination(PageNumberPagination):
    """Page numbers, with the count kept per register version as the list page's is
    (`caching.CountedPaginator`): every parameter but the page selects it."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = functools.partial(
            CountedPaginator,
            scope=request.path,
            query=request.query_params,
            day=view.today,
            page=self.page_query_param,
        )
        return super().paginate_queryset(queryset, request, view)


@extend_schema(parameters=[*FILTER_PARAMETERS, LANG_PARAMETER])
class CommitmentList(ApiView, generics.ListAPIView):
    """Commitments, filtered with the same parameters as the list page."""

    pagination_class = CountedPagination
    serializer_class = s.CommitmentSerializer
    filter_backends = [CommitmentFilterBackend]
    filterset_class = CommitmentFilterSet

    def get_queryset(self):
        language = requested_language(self.request)
        return Commitment.objects.for_list(self.today).in_language(language)


@extend_schema(parameters=[LANG_PARAMETER])
class CommitmentDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = s.CommitmentDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        updates = StatusUpdate.objects.select_related("recorded_by", "corrected_by")
        links = CommitmentLink.objects.select_related("other", "commitment", "source")
        language = requested_language(self.request)
        commitments = (
            Commitment.objects.for_list(self.today)
            .select_related("review_assignee")
            .in_language(language)
            .prefetch_related(
                Prefetch("translations", queryset=CommitmentText.objects.order_by("language"))
            )
        )
        return commitments.prefetch_related(
            Prefetch(
                "children", queryset=Commitment.objects.only("pk", "parent", "progress", "weight")
            ),
            Prefetch("milestones", queryset=Milestone.objects.prefetch_related("evidence")),
            Prefetch("deadline_changes", queryset=_deadline_changes()),
            Prefetch("links_out", queryset=links),
            Prefetch("links_in", queryset=links),
            Prefetch("evidence", queryset=Evidence.objects.order_by("-published_on", "-id")),
            Prefetch(
                "updates",
                queryset=updates.newest_first().prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
                ),
            ),
        )


def _deadline_changes():
    return DeadlineChange.objects.select_related("changed_by", "source").order_by(
        "changed_at", "id"
    )


class CommitmentDeadlineChanges(ApiView, generics.ListCreateAPIView):
    """A commitment's deadline history, oldest first; POST (Editors) moves its deadline."""

    serializer_class = s.DeadlineChangeSerializer
    permission_classes = [ReadPublicWriteEditor]
    pagination_class = None

    def get_commitment(self) -> Commitment:
        return get_object_or_404(Commitment, slug=self.kwargs["slug"])

    def get_queryset(self):
        return _deadline_changes().filter(commitment__slug=self.kwargs["slug"])

    def list(self, request, *args, **kwargs):
        self.get_commitment()
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.DeadlineChangeInputSerializer,
        responses={
            201: s.DeadlineChangeSerializer,
            400: OpenApiResponse(description="Field errors, keyed by field."),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not allowed to edit commitments."),
            404: OpenApiResponse(description="No such commitment."),
        },
        description="Move the deadline with a reason, through the same service as the admin "
        "and the importer; the change joins the deadline history.",
    )
    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        commitment = self.get_commitment()
        form = s.DeadlineChangeInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            change = services.change_deadline(
                commitment=commitment, by=request.user, **form.validated_data
            )
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise ValidationError(detail) from exc
        created = _deadline_changes().get(pk=change.pk)
        return Response(
            s.DeadlineChangeSerializer(created, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _updates():
    return (
        StatusUpdate.objects.select_related("commitment", "recorded_by", "corrected_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-recorded_at", "-id")
    )


class CommitmentUpdates(ApiView, generics.ListCreateAPIView):
    """A commitment's status updates, most recently recorded first; POST records one."""

    serializer_class = s.StatusUpdateSerializer

    def get_commitment(self) -> Commitment:
        return get_object_or_404(Commitment, slug=self.kwargs["slug"])

    def get_queryset(self):
        return _updates().filter(commitment__slug=self.kwargs["slug"])

    def list(self, request, *args, **kwargs):
        self.get_commitment()
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.StatusUpdateInputSerializer,
        responses={
            201: s.StatusUpdateSerializer,
            400: OpenApiResponse(description="Field errors, keyed by field."),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not allowed to record updates."),
            404: OpenApiResponse(description="No such commitment."),
            409: s.ConflictSerializer,
        },
        description="Record a status update, through the same service and rules as the form.",
    )
    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        commitment = self.get_commitment()
        form = s.StatusUpdateInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        seen = data.pop("seen_latest_id", services.UNCHECKED)
        new_evidence = [services.NewEvidence(**item) for item in data.pop("new_evidence")]
        try:
            update = services.record_status_update(
                commitment=commitment,
                by=request.user,
                new_evidence=new_evidence,
                seen_latest_id=seen,
                **data,
            )
        except services.StaleUpdateError as exc:
            body = {
                "detail": str(exc),
                "latest": s.StatusUpdateSerializer(exc.latest, context={"request": request}).data
                if exc.latest
                else None,
                "latest_recorded_id": exc.latest.pk if exc.latest else None,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise ValidationError(detail) from exc
        created = _updates().get(pk=update.pk)
        return Response(
            s.StatusUpdateSerializer(created, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": request.build_absolute_uri(reverse("api_update", args=[update.pk]))
            },
        )


# -- history ------------------------------------------------------------------------------
class UpdateList(ApiView, generics.ListAPIView):
    """Every status update, most recently recorded first."""

    serializer_class = s.StatusUpdateSerializer

    def get_queryset(self):
        return _updates()


class UpdateDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = s.StatusUpdateSerializer

    def get_queryset(self):
        return _updates()


# -- dashboard ----------------------------------------------------------------------------
@extend_schema(
    parameters=[
        OpenApiParameter(
            "as_of",
            OpenApiTypes.DATE,
            description="The day to describe, from the history; today when left out.",
        ),
        *FILTER_PARAMETERS,
    ],
    responses={200: s.SummarySerializer, 400: OpenApiResponse(description="Field errors.")},
)
class Summary(ApiView):
    """The dashboard's numbers, for the commitments the list's filters select, as they
    stood at the end of `as_of` (status and health from the history)."""

    schema = FilteredSchema()
    filter_backends = [CommitmentFilterBackend]
    filterset_class = CommitmentFilterSet
    serializer_class = s.SummarySerializer
    pagination_class = None

    @cached_property
    def today(self):
        """The day the numbers are for: the filters judge status and health on it."""
        day, problem = parse_as_of(self.request.query_params.get("as_of"))
        if problem:
            raise ValidationError({"as_of": problem})
        return day

    def get_queryset(self):
        return Commitment.objects.all()

    def get(self, request, *args, **kwargs):
        as_of = self.today
        scope = self.filter_queryset(self.get_queryset())
        numbers = dashboard_numbers(scope, as_of)
        numbers.update(s.mean_fields(numbers["progress"]))
        numbers["breakdowns"] = {
            group: [
                {
                    "slug": row["slug"],
                    "name": row["label"],
                    "total": row["total"],
                    "by_status": {key: row[f"n_{key}"] for key in Status.values},
                    **s.mean_fields(row["progress"]),
                }
                for row in breakdown_rows(scope, group, as_of)
            ]
            for group in BREAKDOWNS
        }
        return Response(self.get_serializer(numbers).data)


# -- reference data -----------------------------------------------------------------------
def _counted(model, relation: str, *order):
    return model.objects.annotate(commitment_count=Count(relation, distinct=True)).order_by(
        *order, "pk"
    )


class ActorList(ApiView, generics.ListAPIView):
    serializer_class = s.ActorSerializer

    def get_queryset(self):
        return _counted(Actor, "commitments", "name")


class ActorDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = s.ActorSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return _counted(Actor, "commitments", "name")


class ThemeList(ApiView, generics.ListAPIView):
    serializer_class = s.ThemeSerializer

    def get_queryset(self):
        return _counted(Theme, "commitments", "name")


class ThemeDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = s.ThemeSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return _counted(Theme, "commitments", "name")


class SourceList(ApiView, generics.ListAPIView):
    serializer_class = s.SourceSerializer

    def get_queryset(self):
        return _counted(Source, "commitments", F("date").desc(nulls_last=True), "title")


class SourceDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = s.SourceSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return _counted(Source, "commitments", F("date").desc(nulls_last=True), "title")
