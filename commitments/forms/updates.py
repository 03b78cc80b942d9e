"""Forms for recording status updates, evidence and milestones.

Every rule shows its message next to the field it is about; the service
(`commitments.services`) checks the same rules again before writing.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..choices import EvidenceKind, Precision, Reliability, Status, status_label
from ..models import PROGRESS_VALIDATORS, Commitment, Evidence, Milestone, StatusUpdate
from ..services import EXCERPT_MAX, MAX_ID, NEW_EVIDENCE_MAX, RATIONALE_MAX, NewEvidence
from ..validators import http_url_validator, is_http_url

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEW_EVIDENCE_ROWS = 2


def validate_web_link(value: str) -> None:
    """Only http and https links: javascript:, data: and file: links are refused."""
    if not is_http_url(value):
        raise ValidationError(
            "Links must start with http:// or https:// (javascript:, data: and file: "
            "links are not allowed).",
            code="scheme",
        )
    http_url_validator(value)


def _not_in_future(value, message: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message)


def _not_before_announcement(value, commitment: Commitment, what: str) -> None:
    if value and commitment.announced_on and value < commitment.announced_on:
        raise ValidationError(
            f"{what} cannot be before the announcement ({commitment.announced_display})."
        )


def evidence_label(evidence: Evidence) -> str:
    details = [evidence.publisher, evidence.published_on and evidence.published_on.isoformat()]
    extra = " · ".join(str(d) for d in details if d)
    return f"{evidence.title} ({extra})" if extra else evidence.title


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Evidence) -> str:
        return evidence_label(obj)

    def _check_values(self, value):
        # An id beyond the database's integer range cannot be looked up (SQLite raises
        # OverflowError): it is simply not one of the choices.
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent says it is not a valid value
            if not 1 <= number <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class NewEvidenceForm(forms.ModelForm):
    """One evidence item typed in next to the update; an empty row is ignored."""

    url = forms.CharField(
        label="URL",
        max_length=500,
        required=False,
        validators=[validate_web_link],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text="http:// or https:// only.",
    )

    class Meta:
        model = Evidence
        fields = ["title", "url", "publisher", "published_on", "excerpt", "kind", "reliability"]
        widgets = {
            "published_on": DATE_INPUT,
            "excerpt": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"published_on": "Date published"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excerpt"].max_length = EXCERPT_MAX
        self.fields["kind"].initial = EvidenceKind.NEWS_REPORT
        self.fields["reliability"].initial = Reliability.SECONDARY
        # Only the title is needed once a row is used; the choices have defaults.
        self.fields["kind"].choices = EvidenceKind.choices
        self.fields["reliability"].choices = Reliability.choices

    def clean_url(self) -> str:
        return self.cleaned_data["url"].strip()

    def clean_published_on(self):
        value = self.cleaned_data["published_on"]
        _not_in_future(value, "A publication date cannot be in the future.")
        return value

    def to_new_evidence(self) -> NewEvidence:
        return NewEvidence(**{name: self.cleaned_data[name] for name in self.Meta.fields})


NewEvidenceFormSet = forms.formset_factory(
    NewEvidenceForm,
    extra=NEW_EVIDENCE_ROWS,
    max_num=NEW_EVIDENCE_MAX,
    validate_max=True,
)


class EvidenceMixin:
    """Pick this commitment's evidence and/or type new items in rows below."""

    evidence_required_message = "Pick or add at least one evidence item."

    def _init_evidence(self, commitment: Commitment) -> None:
        self.fields["evidence"].queryset = commitment.evidence.all()
        self.new_evidence = NewEvidenceFormSet(self.data if self.is_bound else None, prefix="new")

    def used_evidence_rows(self) -> list[NewEvidenceForm]:
        return [form for form in self.new_evidence.forms if form.has_changed()]

    def new_evidence_items(self) -> list[NewEvidence]:
        return [form.to_new_evidence() for form in self.used_evidence_rows()]

    def evidence_given(self) -> bool:
        return bool(self.cleaned_data.get("evidence")) or bool(self.used_evidence_rows())

    def is_valid(self) -> bool:
        # Validate both so every error shows at once.
        form_valid = super().is_valid()
        rows_valid = self.new_evidence.is_valid()
        return form_valid and rows_valid


def _below_full(status: str, progress: int | None) -> bool:
    return status == Status.ACHIEVED and progress is not None and progress < 100


class StatusUpdateForm(EvidenceMixin, forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    progress = forms.IntegerField(
        label="Progress (%)",
        required=False,
        validators=PROGRESS_VALIDATORS,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        help_text="0 to 100; leave empty when progress cannot be measured.",
    )
    achieved_below_full = forms.BooleanField(
        label="Achieved with less than 100% progress",
        required=False,
        help_text="Achieved means 100%. Tick this to record Achieved with the progress above.",
    )
    effective_on = forms.DateField(
        label="Effective date",
        initial=timezone.localdate,
        widget=DATE_INPUT,
        help_text="When this became true. Not in the future.",
    )
    rationale = forms.CharField(
        label="Why (rationale)",
        max_length=RATIONALE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened, and why the status is what it is.",
    )
    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label="This commitment's evidence",
        widget=forms.CheckboxSelectMultiple,
    )
    seen_latest_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        self.fields["status"].choices = [
            (key, status_label(key, commitment.kind)) for key in Status.values
        ]
        self._init_evidence(commitment)

    @classmethod
    def initial_now(cls, commitment: Commitment) -> dict:
        """What a new update starts from: the commitment's current status and progress,
        so an analyst changes only what changed."""
        return {
            "status": commitment.status,
            "progress": commitment.progress,
            "achieved_below_full": _below_full(commitment.status, commitment.progress),
        }

    @classmethod
    def initial_from(cls, update: StatusUpdate) -> dict:
        """What a correction starts from: the corrected update's values."""
        return {
            "status": update.status,
            "progress": update.progress,
            "achieved_below_full": _below_full(update.status, update.progress),
            "effective_on": update.effective_on,
            "rationale": update.rationale,
            "evidence": [e.pk for e in update.evidence.all()],
        }

    def clean_effective_on(self):
        value = self.cleaned_data["effective_on"]
        _not_in_future(value, "The effective date cannot be in the future.")
        _not_before_announcement(value, self.commitment, "The effective date")
        return value

    def clean_rationale(self) -> str:
        value = self.cleaned_data["rationale"].strip()
        if not value:
            raise ValidationError("Say why the status is what it is.")
        return value

    def clean(self):
        data = super().clean()
        status = data.get("status")
        progress = data.get("progress")
        if status == Status.ACHIEVED:
            if progress is None and "progress" not in self.errors:
                data["progress"] = 100
            elif progress is not None and progress < 100 and not data.get("achieved_below_full"):
                self.add_error(
                    "progress",
                    f"Achieved means 100% done. Enter 100, or tick “Achieved with less than "
                    f"100% progress” to keep {progress}%.",
                )
        if status and status != Status.NOT_RATED and not self.evidence_given():
            self.add_error(
                "evidence",
                "A status other than Not yet rated needs at least one evidence item: "
                "pick one or add a new one below.",
            )
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "due_precision"]
        widgets = {"due_on": DATE_INPUT}
        labels = {"due_on": "Due by", "due_precision": "How precise is the due date"}
        help_texts = {
            "due_on": "Optional. Any day in the period, e.g. 1 Jan 2027 for “by 2027”.",
        }

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commitment = commitment
        self.fields["due_precision"].choices = [("", "—"), *Precision.choices]

    def clean_title(self) -> str:
        value = self.cleaned_data["title"].strip()
        if not value:
            raise ValidationError("Give the milestone a title.")
        return value


class CompleteMilestoneForm(EvidenceMixin, forms.Form):
    completed_on = forms.DateField(
        label="Completed on",
        initial=timezone.localdate,
        widget=DATE_INPUT,
        help_text="Not in the future.",
    )
    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label="This commitment's evidence",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, milestone: Milestone, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self._init_evidence(milestone.commitment)

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        _not_in_future(value, "A completion date cannot be in the future.")
        _not_before_announcement(value, self.milestone.commitment, "A completion date")
        return value

    def clean(self):
        data = super().clean()
        if not self.evidence_given():
            self.add_error("evidence", "Show at least one evidence item for the completion.")
        return data


class ActivityFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="username",
        empty_label="Anyone",
        label="Recorded by",
    )
    theme = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="All themes",
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from ..models import Theme

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(status_updates__isnull=False)
            .distinct()
            .order_by("username")
        )
        self.fields["theme"].queryset = Theme.objects.order_by("name")

    def filter(self, updates):
        if not self.is_valid():
            return updates
        if self.cleaned_data["user"]:
            updates = updates.filter(recorded_by=self.cleaned_data["user"])
        if self.cleaned_data["theme"]:
            updates = updates.filter(commitment__themes=self.cleaned_data["theme"])
        return updates
