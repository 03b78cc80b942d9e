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
from django.utils.translation import gettext_lazy as _

from .. import services
from ..choices import Precision, Status, status_label_in_full
from ..models import Commitment, Milestone, Party, StatusUpdate
from ..services import RATIONALE_MAX
from .assessments import PartyRowsMixin
from .errors import ErrorSummaryMixin
from .evidence import (
    DATE_INPUT,
    FIND,
    EvidenceChoiceField,
    EvidenceForm,
    NewEvidenceForm,
    NewEvidenceFormSet,
    evidence_label,
)

__all__ = [
    "COMPLETION_FIELDS",
    "DATE_INPUT",
    "FIND",
    "UPDATE_FIELDS",
    "ActivityFilterForm",
    "CompleteMilestoneForm",
    "EvidenceChoiceField",
    "MilestoneForm",
    "NewEvidenceForm",
    "NewEvidenceFormSet",
    "StatusUpdateForm",
    "UpdateFieldsForm",
    "add_service_errors",
    "evidence_label",
]


def add_service_errors(form: forms.Form, error: ValidationError, fields: dict[str, str]) -> None:
    """Put a service's messages next to the form's fields: `fields` maps the service's
    keys onto the form's field names; any other key becomes a form-wide message."""
    for key, messages in error.message_dict.items():
        target = fields.get(key)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


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


class UpdateFieldsForm(EvidenceForm):
    """What an update says, as typed: for one commitment or for several at once."""

    field_order = [
        "status",
        "progress",
        "achieved_below_full",
        "effective_on",
        "effective_precision",
        "behind_latest",
        "rationale",
        "evidence",
        "cite_source",
        "evidence_query",
        "review",
    ]

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        help_text=_("0 to 100; leave empty when progress cannot be measured."),
    )
    achieved_below_full = forms.BooleanField(
        label=_("Achieved with less than 100% progress"),
        required=False,
        help_text=_("Achieved means 100%. Tick this to record Achieved with the progress above."),
    )
    effective_on = forms.DateField(
        label=_("Effective date"),
        initial=timezone.localdate,
        widget=DATE_INPUT,
        help_text=_("When this became true. Not in the future."),
    )
    effective_precision = forms.ChoiceField(
        label=_("How precise that date is"),
        choices=Precision.choices,
        initial=Precision.DAY,
        required=False,
        help_text=_("“Month” for a source that says “since September 2025”, and so on."),
    )
    rationale = forms.CharField(
        label=_("Why (rationale)"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": RATIONALE_MAX}),
        help_text=_("What happened, and why the status is what it is."),
    )
    review = forms.BooleanField(
        label=_("Record as a review: I checked and nothing changed"),
        required=False,
        help_text=_("Keeps the status and progress as they are, with your rationale and date."),
    )
    behind_latest = forms.BooleanField(
        label=_("Record it in the history only"),
        required=False,
        help_text=_("A later update stays the current status."),
    )

    def update_arguments(self) -> dict:
        """The parsed input, as `services.record_status_update` takes it, but for the
        commitment and what it corrects."""
        data = self.cleaned_data
        return {
            "status": data["status"],
            "progress": data["progress"],
            "achieved_below_full": data["achieved_below_full"],
            "effective_on": data["effective_on"],
            "effective_precision": data["effective_precision"],
            "rationale": data["rationale"],
            **self.evidence_arguments(),
            "review": data["review"],
            "behind_latest": data["behind_latest"],
        }


class StatusUpdateForm(PartyRowsMixin, UpdateFieldsForm):
    """The commitment's status update and, when `parties` are given (a new update, not a
    correction), a row per party: one submit records the overall status, the ticked
    parties' own assessments, or both, with the same date, rationale and evidence."""

    seen_latest_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        commitment: Commitment,
        corrects: StatusUpdate | None = None,
        parties: list[Party] | None = None,
        **kw,
    ):
        super().__init__(*args, **kw)
        self.commitment = commitment
        self.corrects = corrects
        self.fields["status"].choices = [
            (key, status_label_in_full(key, commitment.kind)) for key in Status.values
        ]
        self._init_party_fields(commitment, [] if corrects else list(parties or []))
        if self.parties:
            self.fields["parties_only"] = forms.BooleanField(
                label=_("Record only the ticked parties' assessments"),
                required=False,
                help_text=_("The commitment's overall status above stays as it is."),
            )
        self._init_evidence(commitment.evidence.all(), source=commitment.source)

    def records_overall(self) -> bool:
        """Whether this submit records the commitment's own status update."""
        return not getattr(self, "cleaned_data", {}).get("parties_only")

    def shared_arguments(self) -> dict:
        """What the overall update and each ticked party's assessment share."""
        arguments = self.update_arguments()
        for key in ("status", "progress", "achieved_below_full"):
            arguments.pop(key)
        return arguments

    def overall_arguments(self) -> dict | None:
        """The overall update's own arguments, or None when it is not recorded."""
        if not self.records_overall():
            return None
        data = self.cleaned_data
        return {
            "status": data["status"],
            "progress": data["progress"],
            "achieved_below_full": data["achieved_below_full"],
            "corrects": self.corrects,
        }

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
        return {
            "commitment": self.commitment,
            **self.update_arguments(),
            "corrects": self.corrects,
        }

    def is_stale(self) -> bool:
        """Another update was recorded since the form was opened: saving reports the
        conflict (`services.StaleUpdateError`) before any other rule."""
        seen = self.cleaned_data.get("seen_latest_id")
        return seen != services.latest_recorded_id(self.commitment)

    def clean(self):
        data = super().clean()
        rows_valid = self.new_evidence.is_valid()
        if not self.records_overall() and not self.ticked():
            self.add_error("parties_only", _("Tick at least one party to assess."))
        if not self.errors and rows_valid:
            shared = self.shared_arguments()
            if self.records_overall():
                if self.is_stale():
                    return data  # saving reports the conflict first
                # The service only sees input that parsed, on a fresh form.
                try:
                    services.check_status_update(**self.service_arguments())
                except ValidationError as error:
                    add_service_errors(self, error, UPDATE_FIELDS)
            self.check_parties(shared)
        if rows_valid:
            self.offer_recorded_links()
        return data


class MilestoneForm(ErrorSummaryMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "due_precision"]
        widgets = {"due_on": DATE_INPUT}
        labels = {"due_on": _("Due by"), "due_precision": _("How precise is the due date")}
        help_texts = {
            "due_on": _("Optional. Any day in the period, e.g. 1 Jan 2027 for “by 2027”."),
        }

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commitment = commitment
        self.fields["due_precision"].choices = [("", "—"), *Precision.choices]


COMPLETION_FIELDS = {"completed_on": "completed_on", "evidence": "evidence"}
COMPLETION_FIELDS["new_evidence"] = "evidence"


class CompleteMilestoneForm(EvidenceForm):
    field_order = ["completed_on", "evidence", "cite_source", "evidence_query"]

    completed_on = forms.DateField(
        label=_("Completed on"),
        initial=timezone.localdate,
        widget=DATE_INPUT,
        help_text=_("Not in the future."),
    )

    def __init__(self, *args, milestone: Milestone, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        commitment = milestone.commitment
        self._init_evidence(commitment.evidence.all(), source=commitment.source)

    def service_arguments(self) -> dict:
        return {
            "milestone": self.milestone,
            "completed_on": self.cleaned_data["completed_on"],
            **self.evidence_arguments(),
        }

    def clean(self):
        data = super().clean()
        rows_valid = self.new_evidence.is_valid()
        if not self.errors and rows_valid:
            try:
                services.check_completion(**self.service_arguments())
            except ValidationError as error:
                add_service_errors(self, error, COMPLETION_FIELDS)
        if rows_valid:
            self.offer_recorded_links()
        return data


class ActivityFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="username",
        empty_label=_("Anyone"),
        label=_("Recorded by"),
    )
    theme = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All themes"),
        label=_("Theme"),
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
