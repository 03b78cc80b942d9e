"""Forms for recording status updates, evidence and milestones.

They parse what was typed (a number, a date, a choice) and nothing more: the rules
are the services' (`commitments.services`). Each form's `clean()` runs the service's
check, and `add_service_errors` puts its messages next to the fields they are about,
so a rule shows its message before anything is saved and is stated in one place.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .. import services
from ..choices import EvidenceKind, Precision, Reliability, Status, status_label
from ..models import Commitment, Evidence, Milestone, StatusUpdate
from ..services import EXCERPT_MAX, MAX_ID, NEW_EVIDENCE_MAX, RATIONALE_MAX, NewEvidence

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEW_EVIDENCE_ROWS = 2


def add_service_errors(form: forms.Form, error: ValidationError, fields: dict[str, str]) -> None:
    """Put a service's messages next to the form's fields: `fields` maps the service's
    keys onto the form's field names; any other key becomes a form-wide message."""
    for key, messages in error.message_dict.items():
        target = fields.get(key)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


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


class NewEvidenceForm(forms.Form):
    """One evidence item typed in next to the update; an empty row is ignored."""

    title = forms.CharField(required=False, widget=forms.TextInput(attrs={"maxlength": 300}))
    url = forms.CharField(
        label="URL",
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://", "maxlength": 500}),
        help_text="http:// or https:// only.",
    )
    publisher = forms.CharField(required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    published_on = forms.DateField(label="Date published", required=False, widget=DATE_INPUT)
    excerpt = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "maxlength": EXCERPT_MAX})
    )
    kind = forms.ChoiceField(choices=EvidenceKind.choices, initial=EvidenceKind.NEWS_REPORT)
    reliability = forms.ChoiceField(choices=Reliability.choices, initial=Reliability.SECONDARY)

    def to_new_evidence(self) -> NewEvidence:
        return NewEvidence(**{name: self.cleaned_data[name] for name in self.fields})


NewEvidenceFormSet = forms.formset_factory(
    NewEvidenceForm,
    extra=NEW_EVIDENCE_ROWS,
    max_num=NEW_EVIDENCE_MAX,
    validate_max=True,
)


class EvidenceMixin:
    """Pick this commitment's evidence and/or type new items in rows below."""

    def _init_evidence(self, commitment: Commitment) -> None:
        self.fields["evidence"].queryset = commitment.evidence.all()
        self.new_evidence = NewEvidenceFormSet(self.data if self.is_bound else None, prefix="new")

    def used_evidence_rows(self) -> list[NewEvidenceForm]:
        return [form for form in self.new_evidence.forms if form.has_changed()]

    def new_evidence_items(self) -> list[NewEvidence]:
        return [
            form.to_new_evidence()
            for form in self.used_evidence_rows()
            if hasattr(form, "cleaned_data")
        ]

    def is_valid(self) -> bool:
        # The rows are parsed first, so the form's check sees the items typed in.
        rows_valid = self.new_evidence.is_valid()
        form_valid = super().is_valid()
        return form_valid and rows_valid


def _below_full(status: str, progress: int | None) -> bool:
    return status == Status.ACHIEVED and progress is not None and progress < 100


# The service's keys, and the fields of StatusUpdateForm that show their messages.
UPDATE_FIELDS = {
    "status": "status",
    "progress": "progress",
    "effective_on": "effective_on",
    "effective_precision": "effective_precision",
    "rationale": "rationale",
    "evidence": "evidence",
    "new_evidence": "evidence",
    "review": "review",
    "behind_latest": "behind_latest",
}


class StatusUpdateForm(EvidenceMixin, forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    progress = forms.IntegerField(
        label="Progress (%)",
        required=False,
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
    effective_precision = forms.ChoiceField(
        label="How precise that date is",
        choices=Precision.choices,
        initial=Precision.DAY,
        required=False,
        help_text="“Month” for a source that says “since September 2025”, and so on.",
    )
    rationale = forms.CharField(
        label="Why (rationale)",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": RATIONALE_MAX}),
        help_text="What happened, and why the status is what it is.",
    )
    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label="This commitment's evidence",
        widget=forms.CheckboxSelectMultiple,
    )
    review = forms.BooleanField(
        label="Record as a review: I checked and nothing changed",
        required=False,
        help_text="Keeps the status and progress as they are, with your rationale and date.",
    )
    behind_latest = forms.BooleanField(
        label="Record it in the history only",
        required=False,
        help_text="A later update stays the current status.",
    )
    seen_latest_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, commitment: Commitment, corrects: StatusUpdate | None = None, **kw):
        super().__init__(*args, **kw)
        self.commitment = commitment
        self.corrects = corrects
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
            "effective_precision": update.effective_precision,
            "rationale": update.rationale,
            "evidence": [e.pk for e in update.evidence.all()],
        }

    def service_arguments(self) -> dict:
        """The parsed input, as `services.record_status_update` takes it."""
        data = self.cleaned_data
        return {
            "commitment": self.commitment,
            "status": data["status"],
            "progress": data["progress"],
            "achieved_below_full": data["achieved_below_full"],
            "effective_on": data["effective_on"],
            "effective_precision": data["effective_precision"],
            "rationale": data["rationale"],
            "evidence": list(data["evidence"]),
            "new_evidence": self.new_evidence_items(),
            "corrects": self.corrects,
            "review": data["review"],
            "behind_latest": data["behind_latest"],
        }

    def is_stale(self) -> bool:
        """Another update was recorded since the form was opened: saving reports the
        conflict (`services.StaleUpdateError`) before any other rule."""
        seen = self.cleaned_data.get("seen_latest_id")
        return seen != services.latest_recorded_id(self.commitment)

    def clean(self):
        data = super().clean()
        if self.errors or not self.new_evidence.is_valid() or self.is_stale():
            return data  # the service only sees input that parsed, on a fresh form
        try:
            services.check_status_update(**self.service_arguments())
        except ValidationError as error:
            add_service_errors(self, error, UPDATE_FIELDS)
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


COMPLETION_FIELDS = {"completed_on": "completed_on", "evidence": "evidence"}
COMPLETION_FIELDS["new_evidence"] = "evidence"


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

    def service_arguments(self) -> dict:
        return {
            "milestone": self.milestone,
            "completed_on": self.cleaned_data["completed_on"],
            "evidence": list(self.cleaned_data["evidence"]),
            "new_evidence": self.new_evidence_items(),
        }

    def clean(self):
        data = super().clean()
        if self.errors or not self.new_evidence.is_valid():
            return data
        try:
            services.check_completion(**self.service_arguments())
        except ValidationError as error:
            add_service_errors(self, error, COMPLETION_FIELDS)
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
