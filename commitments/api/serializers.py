"""The API's shapes. Keys are the vocabularies' keys; dates are ISO 8601; a date that
carries a precision is an object `{date, precision, display}` so clients never have to
guess whether "2035-12-31" means a day or "by 2035".

The schema at /api/schema/ is generated from these classes, so they are the contract.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import progress
from ..choices import (
    LINK_INVERSE_LABELS,
    DeadlineChangeReason,
    EvidenceKind,
    Health,
    Kind,
    LinkKind,
    PartyRole,
    Precision,
    Reliability,
    Status,
)
from ..models import (
    Actor,
    Commitment,
    CommitmentLink,
    DeadlineChange,
    Evidence,
    Milestone,
    Source,
    StatusUpdate,
    Theme,
)
from ..services import DEADLINE_NOTE_MAX, EXCERPT_MAX, MAX_ID, NEW_EVIDENCE_MAX, RATIONALE_MAX


@extend_schema_field(
    {
        "type": "string",
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
        "description": "A web address, or empty when none is recorded.",
    }
)
class OptionalLinkField(serializers.CharField):
    """A link that may be missing: an empty text, not a null."""


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([A-Z]{2})?$",
        "description": "A two-letter ISO country code, or empty when not a country.",
    }
)
class CountryCodeField(serializers.CharField):
    """An ISO 3166 code, or empty."""


class PeriodSerializer(serializers.Serializer):
    """A date with its precision. `date` is the last day of the period for deadlines."""

    date = serializers.DateField()
    precision = serializers.ChoiceField(choices=Precision.choices)
    display = serializers.CharField(help_text='As people say it, e.g. "by 2035" or "Q3 2026".')


def period(day, precision: str, display: str) -> dict | None:
    if day is None or not precision:
        return None
    return {"date": day.isoformat(), "precision": precision, "display": display}


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# -- means of progress, always with their base -----------------------------------------
class MeanFields(serializers.Serializer):
    """A mean of progress with its base: never a mean without how many it averages."""

    mean_progress = serializers.FloatField(
        allow_null=True, help_text="Mean progress of those with a progress figure."
    )
    progress_measured = serializers.IntegerField(
        help_text="How many of `total` have a progress figure: the mean's base."
    )
    progress_thin = serializers.BooleanField(
        help_text="The mean covers fewer than a third of `total`: quote it with care."
    )


def mean_fields(mean) -> dict:
    values = mean.as_dict()
    return {
        "mean_progress": values["mean_progress"],
        "progress_measured": values["progress_measured"],
        "progress_thin": values["thin"],
    }


class RollUpSerializer(MeanFields):
    total = serializers.IntegerField(help_text="The framework's commitments.")
    weighted = serializers.BooleanField(help_text="Some commitments have a weight set.")


# -- vocabularies and reference data ------------------------------------------------------
class ActorSerializer(serializers.ModelSerializer):
    country_code = CountryCodeField(read_only=True)
    commitment_count = serializers.IntegerField(read_only=True)
    commitments = serializers.SerializerMethodField(
        help_text="The API list of this actor's commitments."
    )

    class Meta:
        model = Actor
        fields = ["slug", "name", "short_name", "kind", "country_code", "commitment_count"]
        fields += ["commitments"]

    def get_commitments(self, obj: Actor) -> str:
        return absolute(
            self.context.get("request"), f"{reverse('api_commitments')}?party={obj.slug}"
        )


class ThemeSerializer(serializers.ModelSerializer):
    commitment_count = serializers.IntegerField(read_only=True)
    commitments = serializers.SerializerMethodField(
        help_text="The API list of this theme's commitments."
    )

    class Meta:
        model = Theme
        fields = ["slug", "name", "colour", "description", "commitment_count", "commitments"]

    def get_commitments(self, obj: Theme) -> str:
        return absolute(
            self.context.get("request"), f"{reverse('api_commitments')}?theme={obj.slug}"
        )


class SourceSerializer(serializers.ModelSerializer):
    url = OptionalLinkField(read_only=True)
    commitment_count = serializers.IntegerField(read_only=True)
    commitments = serializers.SerializerMethodField(
        help_text="The API list of the commitments made in this source."
    )

    class Meta:
        model = Source
        fields = ["slug", "title", "kind", "date", "url", "publisher", "language"]
        fields += ["commitment_count", "commitments"]

    def get_commitments(self, obj: Source) -> str:
        return absolute(
            self.context.get("request"), f"{reverse('api_commitments')}?source={obj.slug}"
        )


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["slug", "title", "kind", "date"]


class ThemeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "colour"]


class PartySerializer(serializers.Serializer):
    slug = serializers.CharField(source="actor.slug")
    name = serializers.CharField(source="actor.name")
    short_name = serializers.CharField(source="actor.short_name")
    role = serializers.ChoiceField(choices=PartyRole.choices)


class CommitmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["slug", "title"]


class EvidenceBriefSerializer(serializers.ModelSerializer):
    url = OptionalLinkField(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "title", "url"]


class EvidenceSerializer(serializers.ModelSerializer):
    url = OptionalLinkField(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "title", "url", "publisher", "published_on", "excerpt", "kind"]
        fields += ["reliability", "added_at"]


# -- history -------------------------------------------------------------------------------
class StatusUpdateSerializer(serializers.ModelSerializer):
    """One entry of a commitment's history."""

    commitment = CommitmentBriefSerializer(read_only=True)
    status_label = serializers.CharField(read_only=True)
    previous_status_label = serializers.CharField(read_only=True)
    effective = serializers.SerializerMethodField()
    recorded_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Who recorded it; null for an entry whose recorder is not known (the seed).",
    )
    evidence = EvidenceBriefSerializer(many=True, read_only=True)
    corrected_by = serializers.SerializerMethodField(
        help_text="The id of the later update that corrects this one, if any."
    )

    class Meta:
        model = StatusUpdate
        fields = ["id", "commitment", "status", "status_label", "previous_status"]
        fields += ["previous_status_label", "progress", "effective", "rationale", "evidence"]
        fields += ["recorded_at", "recorded_by", "corrects", "corrected_by"]

    @extend_schema_field(PeriodSerializer)
    def get_effective(self, obj: StatusUpdate) -> dict | None:
        return period(obj.effective_on, obj.effective_precision, obj.effective_display)

    def get_corrected_by(self, obj: StatusUpdate) -> int | None:
        correction = getattr(obj, "corrected_by", None)
        return correction.pk if correction is not None else None


# -- commitments --------------------------------------------------------------------------
class CommitmentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(
        source="shown_title",
        read_only=True,
        help_text="In the language asked for (`?lang=` or Accept-Language) where a "
        "translation is recorded, else the original's.",
    )
    summary = serializers.CharField(source="shown_summary", read_only=True)
    language = serializers.CharField(
        source="shown_language", read_only=True, help_text="The language of `title`."
    )
    original_language = serializers.CharField(
        source="language", read_only=True, help_text="The language of the original's words."
    )
    status_label = serializers.CharField(read_only=True)
    health = serializers.ChoiceField(choices=Health.choices, read_only=True)
    health_label = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    announced = serializers.SerializerMethodField()
    parties = PartySerializer(many=True, read_only=True)
    themes = ThemeBriefSerializer(many=True, read_only=True)
    source = SourceBriefSerializer(read_only=True, allow_null=True)
    parent = CommitmentBriefSerializer(
        read_only=True, allow_null=True, help_text="The framework it belongs to."
    )
    url = serializers.SerializerMethodField(help_text="The commitment's page on the tracker.")
    api_url = serializers.SerializerMethodField(help_text="This commitment in the API.")

    class Meta:
        model = Commitment
        fields = ["slug", "title", "summary", "language", "original_language", "kind"]
        fields += ["status", "status_label", "progress"]
        fields += ["health", "health_label", "deadline", "announced", "parties", "themes"]
        fields += ["source", "parent", "last_update_at", "url", "api_url"]

    @extend_schema_field(PeriodSerializer(allow_null=True))
    def get_deadline(self, obj: Commitment) -> dict | None:
        return period(obj.deadline, obj.deadline_precision, obj.deadline_display)

    @extend_schema_field(PeriodSerializer(allow_null=True))
    def get_announced(self, obj: Commitment) -> dict | None:
        return period(obj.announced_on, obj.announced_precision, obj.announced_display)

    def get_health_label(self, obj: Commitment) -> str:
        return str(Health(obj.health).label)

    def get_url(self, obj: Commitment) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())

    def get_api_url(self, obj: Commitment) -> str:
        return absolute(self.context.get("request"), reverse("api_commitment", args=[obj.slug]))


class MilestoneSerializer(serializers.ModelSerializer):
    due = serializers.SerializerMethodField()
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due", "completed_on", "order", "evidence"]

    @extend_schema_field(PeriodSerializer(allow_null=True))
    def get_due(self, obj: Milestone) -> dict | None:
        return period(obj.due_on, obj.due_precision, obj.due_display)


class DeadlineChangeSerializer(serializers.ModelSerializer):
    old = serializers.SerializerMethodField(help_text="The deadline before; null if none.")
    new = serializers.SerializerMethodField(help_text="The deadline after; null if removed.")
    reason_label = serializers.SerializerMethodField()
    slipped = serializers.BooleanField(
        read_only=True,
        help_text="A known deadline moved later, for a reason other than a correction.",
    )
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    source = SourceBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DeadlineChange
        fields = ["id", "old", "new", "reason", "reason_label", "note", "slipped"]
        fields += ["source", "changed_by", "changed_at"]

    @extend_schema_field(PeriodSerializer(allow_null=True))
    def get_old(self, obj: DeadlineChange) -> dict | None:
        return period(obj.old_deadline, obj.old_precision, obj.old_display)

    @extend_schema_field(PeriodSerializer(allow_null=True))
    def get_new(self, obj: DeadlineChange) -> dict | None:
        return period(obj.new_deadline, obj.new_precision, obj.new_display)

    def get_reason_label(self, obj: DeadlineChange) -> str:
        return str(obj.reason_label)


class DeadlineChangeInputSerializer(serializers.Serializer):
    """What an Editor sends to move a deadline. The rules are the service's."""

    deadline = serializers.DateField(
        allow_null=True, help_text="Any day of the new period; null removes the deadline."
    )
    precision = serializers.ChoiceField(
        choices=Precision.choices, allow_blank=True, required=False, default=""
    )
    reason = serializers.ChoiceField(
        choices=DeadlineChangeReason.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text="Why it moves; needed whenever the commitment had a deadline.",
    )
    note = serializers.CharField(
        max_length=DEADLINE_NOTE_MAX, required=False, default="", allow_blank=True
    )
    source = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Source.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The slug of the source that announced the new deadline.",
    )


class LineageLinkSerializer(serializers.Serializer):
    """A link between this commitment and an earlier or later one, read from this
    commitment's side, with the source that says so."""

    kind = serializers.ChoiceField(
        choices=LinkKind.choices,
        help_text="The link as recorded, from the earlier commitment to the later one.",
    )
    label = serializers.CharField(
        help_text="The link read from this commitment: “Superseded by”, or “Supersedes” "
        "when this is the later one."
    )
    other_is = serializers.ChoiceField(
        choices=[("later", "later"), ("earlier", "earlier")],
        help_text="Whether the other commitment is the later one (this one was reaffirmed, "
        "amended, superseded by or merged into it) or the earlier one.",
    )
    other = CommitmentBriefSerializer()
    source = SourceBriefSerializer()
    effective_on = serializers.DateField(help_text="The day the link took effect.")
    note = serializers.CharField(allow_blank=True)

    @staticmethod
    def rows(commitment: Commitment) -> list[dict]:
        """Both directions, in date order, from the prefetched `links_out` and `links_in`."""

        def row(link: CommitmentLink, *, later: bool) -> dict:
            return {
                "kind": link.kind,
                "label": link.get_kind_display() if later else LINK_INVERSE_LABELS[link.kind],
                "other_is": "later" if later else "earlier",
                "other": link.other if later else link.commitment,
                "source": link.source,
                "effective_on": link.effective_on,
                "note": link.note,
            }

        links = [(link, True) for link in commitment.links_out.all()]
        links += [(link, False) for link in commitment.links_in.all()]
        links.sort(key=lambda pair: (pair[0].effective_on, pair[0].pk))
        return [row(link, later=later) for link, later in links]


class HistoryEntrySerializer(StatusUpdateSerializer):
    class Meta(StatusUpdateSerializer.Meta):
        fields = [f for f in StatusUpdateSerializer.Meta.fields if f != "commitment"]


class TextVersionSerializer(serializers.Serializer):
    language = serializers.CharField()
    original = serializers.BooleanField(help_text="The source's own words; else a translation.")
    title = serializers.CharField()
    summary = serializers.CharField()
    quote = serializers.CharField()
    translated_by = serializers.CharField(allow_null=True, help_text="Null for the original.")


def text_versions(commitment: Commitment) -> list[dict]:
    """The original first, then each translation (prefetched `translations`)."""
    return [
        {
            "language": commitment.language,
            "original": True,
            "title": commitment.title,
            "summary": commitment.summary,
            "quote": commitment.quote,
            "translated_by": None,
        },
        *(
            {
                "language": text.language,
                "original": False,
                "title": text.title,
                "summary": text.summary,
                "quote": text.quote,
                "translated_by": text.translated_by,
            }
            for text in commitment.translations.all()
        ),
    ]


class CommitmentDetailSerializer(CommitmentSerializer):
    quote = serializers.CharField(
        read_only=True, help_text="The source's exact words, in the original's language."
    )
    versions = serializers.SerializerMethodField(
        help_text="Its words in every language recorded: the original, then translations."
    )
    milestones = MilestoneSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    history = HistoryEntrySerializer(
        many=True, read_only=True, source="updates", help_text="Newest first, by effective date."
    )
    deadline_history = DeadlineChangeSerializer(
        many=True, read_only=True, source="deadline_changes", help_text="Oldest first."
    )
    latest_recorded_id = serializers.SerializerMethodField(
        help_text="The most recently recorded update's id: send it back as `seen_latest_id` "
        "when posting an update to be told (409) if someone else recorded one meanwhile."
    )
    children_progress = serializers.SerializerMethodField(
        help_text="A framework's progress rolled up from its commitments, beside its own "
        "`progress`: the mean of those measured, each counting by its weight (1 unless "
        "set), with its base. Null for other kinds."
    )
    lineage = serializers.SerializerMethodField(
        help_text="Its links to earlier and later commitments (reaffirmed, amended, "
        "superseded by, merged into), each with its source, oldest first."
    )
    superseded_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The day a later commitment superseded it or it was merged into one: closed "
        "from then on, whatever its status. Null otherwise.",
    )
    next_review_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="When an analyst should next review it, set by the review policy whenever "
        "an update is recorded; null for a closed one.",
    )
    assignee = serializers.SlugRelatedField(
        source="review_assignee",
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="The analyst assigned to review it; null when it is in everyone's queue.",
    )

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "quote", "quote_location", "notes"]
        fields += ["milestones", "evidence", "history", "latest_recorded_id", "children_progress"]
        fields += ["deadline_history", "lineage", "superseded_on", "next_review_on", "assignee"]
        fields += ["versions"]

    @extend_schema_field(LineageLinkSerializer(many=True))
    def get_lineage(self, obj: Commitment) -> list[dict]:
        rows = LineageLinkSerializer.rows(obj)
        return LineageLinkSerializer(rows, many=True).data

    @extend_schema_field(TextVersionSerializer(many=True))
    def get_versions(self, obj: Commitment) -> list[dict]:
        return text_versions(obj)

    @extend_schema_field(RollUpSerializer(allow_null=True))
    def get_children_progress(self, obj: Commitment) -> dict | None:
        if obj.kind != Kind.FRAMEWORK:
            return None
        mean = progress.rolled_up((c.progress, c.weight) for c in obj.children.all())
        return {**mean_fields(mean), "total": mean.total, "weighted": mean.weighted}

    def get_latest_recorded_id(self, obj: Commitment) -> int | None:
        return max((update.pk for update in obj.updates.all()), default=None)


# -- writing -------------------------------------------------------------------------------
class NewEvidenceSerializer(serializers.Serializer):
    """An evidence item given with the update; one already recorded with the same link
    and title is reused rather than stored twice. The rules are the service's."""

    title = serializers.CharField(max_length=300)
    url = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    publisher = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    excerpt = serializers.CharField(
        max_length=EXCERPT_MAX, required=False, default="", allow_blank=True
    )
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, default=EvidenceKind.NEWS_REPORT)
    reliability = serializers.ChoiceField(
        choices=Reliability.choices, default=Reliability.SECONDARY
    )


class StatusUpdateInputSerializer(serializers.Serializer):
    """What an analyst sends to record a status update. The rules are the service's."""

    status = serializers.ChoiceField(choices=Status.choices)
    rationale = serializers.CharField(
        max_length=RATIONALE_MAX, help_text="Why the status is what it is."
    )
    progress = serializers.IntegerField(required=False, allow_null=True)
    effective_on = serializers.DateField(
        required=False, help_text="The date this became true; today when left out."
    )
    effective_precision = serializers.ChoiceField(choices=Precision.choices, default=Precision.DAY)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of evidence already recorded, for this or any other commitment.",
    )
    new_evidence = NewEvidenceSerializer(
        many=True,
        required=False,
        default=list,
        max_length=NEW_EVIDENCE_MAX,
        help_text="Evidence items to add with it.",
    )
    corrects = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="The id of an update this corrects.",
    )
    achieved_below_full = serializers.BooleanField(
        default=False,
        help_text="Achieved means 100%: set this to record Achieved with a lower progress.",
    )
    behind_latest = serializers.BooleanField(
        default=False,
        help_text="Set this to record an update that a later one (by effective date) keeps "
        "from becoming the current status; without it such an update is refused (400).",
    )
    review = serializers.BooleanField(
        default=False,
        help_text="Record a review: the status and progress stay as they are. An update "
        "that changes nothing is refused (400) unless it is a review.",
    )
    seen_latest_id = serializers.IntegerField(
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="The latest recorded update id you saw (null if there was none). "
        "Leave it out to skip the conflict check.",
    )

    def validate_evidence(self, value: list[int]) -> list[Evidence]:
        ids = list(dict.fromkeys(value))
        found = {item.pk: item for item in Evidence.objects.filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                gettext("Unknown evidence id(s): %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return [found[pk] for pk in ids]

    def validate_corrects(self, value: int | None) -> StatusUpdate | None:
        if value is None:
            return None
        update = StatusUpdate.objects.filter(pk=value).first()
        if update is None:
            raise serializers.ValidationError(gettext("Unknown update id %(id)s.") % {"id": value})
        return update


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    latest = StatusUpdateSerializer(allow_null=True, help_text="The update recorded meanwhile.")
    latest_recorded_id = serializers.IntegerField(allow_null=True)


# -- summary -------------------------------------------------------------------------------
def _counts(keys) -> dict:
    return {str(key): serializers.IntegerField() for key in keys}


StatusCountsSerializer = type(
    "StatusCountsSerializer", (serializers.Serializer,), _counts(Status.values)
)
HealthCountsSerializer = type(
    "HealthCountsSerializer", (serializers.Serializer,), _counts(Health.values)
)


class BreakdownRowSerializer(MeanFields):
    slug = serializers.SlugField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    by_status = StatusCountsSerializer(help_text="Every status key, zero included.")


class BreakdownsSerializer(serializers.Serializer):
    theme = BreakdownRowSerializer(many=True)
    party = BreakdownRowSerializer(many=True)
    source = BreakdownRowSerializer(many=True)


class SummarySerializer(MeanFields):
    """The dashboard's numbers for the commitments the filters select, as of a day."""

    as_of = serializers.DateField(help_text="The day the numbers describe.")
    total = serializers.IntegerField()
    by_status = StatusCountsSerializer(
        help_text="Every status key, zero included: they add up to `total`."
    )
    by_health = HealthCountsSerializer(
        help_text="Every health key, zero included: they add up to `total`."
    )
    due_within_90_days = serializers.IntegerField(help_text="Open, with a deadline in 90 days.")
    breakdowns = BreakdownsSerializer(
        help_text="Per theme, party and source, as the dashboard's bars: largest first."
    )
