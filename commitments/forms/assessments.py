"""Assessing a commitment's parties, one or several at once, with one rationale, date
and evidence: each ticked party gets its own history entry (`services.assessments`).

The form parses what was typed; the rules and their messages are the service's. A
message about one party (its status, its score) sits next to that party's fields and
names it; a message about what the parties share (the rationale, the date, the
evidence) is shown once.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import Compliance, Precision, Status, status_label_in_full
from ..models import Commitment, Party, PartyAssessment
from ..services import RATIONALE_MAX
from ..services.assessments import PartyInput, check_party_assessment
from .evidence import DATE_INPUT, EvidenceForm

# The service's keys shared by every party, and the fields that show their messages.
SHARED_FIELDS = {
    "effective_on": "effective_on",
    "effective_precision": "effective_precision",
    "rationale": "rationale",
    "evidence": "evidence",
    "new_evidence": "evidence",
}
# The service's keys about one party, and the prefix of that party's field.
PARTY_FIELDS = {"status": "status", "score": "score", "party": "assess"}
# Keys shown on the form's own checkbox, named for the party they came from.
CONFIRM_FIELDS = ("review", "behind_latest")


def seen_ids(commitment: Commitment) -> dict[int, int]:
    """Each party's most recently recorded assessment id, in one query."""
    rows = (
        PartyAssessment.objects.filter(party__commitment=commitment)
        .values("party")
        .annotate(latest=Max("id"))
        .values_list("party", "latest")
    )
    return dict(rows)


class PartyRowsMixin:
    """A row per party of the commitment (tick it to assess it, its status, score and
    the latest assessment the analyst saw), checked and recorded by the assessment
    service with what the form's other fields share. Used by this module's form and
    by the commitment's status update form (`forms.updates.StatusUpdateForm`)."""

    parties: list[Party]
    corrects: PartyAssessment | None = None

    def _init_party_fields(self, commitment: Commitment, parties: list[Party]) -> None:
        self.parties = parties
        statuses = [(key, status_label_in_full(key, commitment.kind)) for key in Status.values]
        scores = [("", gettext("Not scored")), *Compliance.choices]
        for party in self.parties:
            name = party.actor.name
            self.fields[f"assess_{party.pk}"] = forms.BooleanField(
                label=gettext("Assess %(name)s") % {"name": name}, required=False
            )
            self.fields[f"status_{party.pk}"] = forms.ChoiceField(
                label=gettext("%(name)s's status") % {"name": name},
                choices=statuses,
                initial=party.status,
                required=False,  # asked for only when the party is ticked
            )
            self.fields[f"score_{party.pk}"] = forms.TypedChoiceField(
                label=gettext("%(name)s's compliance score") % {"name": name},
                choices=scores,
                coerce=int,
                empty_value=None,
                required=False,
                initial=party.score,
            )
            self.fields[f"seen_{party.pk}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )

    @staticmethod
    def party_initial(commitment: Commitment, parties: list[Party], ticked: list[str]) -> dict:
        """Each party's latest assessment the analyst sees, and the parties named in
        `ticked` (actor slugs) ticked."""
        seen = seen_ids(commitment)
        initial: dict = {}
        for party in parties:
            initial[f"seen_{party.pk}"] = seen.get(party.pk)
            initial[f"assess_{party.pk}"] = party.actor.slug in ticked
        return initial

    def party_rows(self) -> list[dict]:
        """The table's rows: each party with its bound fields."""
        return [
            {
                "party": party,
                "assess": self[f"assess_{party.pk}"],
                "status": self[f"status_{party.pk}"],
                "score": self[f"score_{party.pk}"],
                "seen": self[f"seen_{party.pk}"],
            }
            for party in self.parties
        ]

    def ticked(self) -> list[Party]:
        data = getattr(self, "cleaned_data", {})
        return [party for party in self.parties if data.get(f"assess_{party.pk}")]

    def party_inputs(self) -> list[PartyInput]:
        data = self.cleaned_data
        extra = {"corrects": self.corrects} if self.corrects is not None else {}
        return [
            PartyInput(
                actor=party,
                status=data[f"status_{party.pk}"],
                score=data[f"score_{party.pk}"],
                seen_latest_id=data[f"seen_{party.pk}"],
                extra=extra,
            )
            for party in self.ticked()
        ]

    def add_party_errors(self, party: Party | None, error: ValidationError) -> None:
        """Put a service's messages next to the fields they are about: a party's own
        next to its row, named; the shared ones once."""
        for key, messages in error.message_dict.items():
            for message in messages:
                if key in SHARED_FIELDS:
                    target = SHARED_FIELDS[key]
                    if message not in self.errors.get(target, []):
                        self.add_error(target, message)
                elif party is not None and key in PARTY_FIELDS:
                    self.add_error(f"{PARTY_FIELDS[key]}_{party.pk}", message)
                elif key in CONFIRM_FIELDS:
                    named = (
                        gettext("%(name)s: %(message)s")
                        % {"name": party.actor.name, "message": message}
                        if party is not None
                        else message
                    )
                    self.add_error(key, named)
                else:
                    self.add_error(None, message)

    def check_parties(self, shared: dict) -> None:
        """Run the assessment service's rules over each ticked party, without writing."""
        for item in self.party_inputs():
            if not item.status:
                self.add_error(f"status_{item.actor.pk}", _("Choose this party's status."))
                continue
            try:
                check_party_assessment(
                    commitment=self.commitment,
                    actor=item.actor,
                    status=item.status,
                    score=item.score,
                    **shared,
                    **item.extra,
                )
            except ValidationError as error:
                self.add_party_errors(item.actor, error)


class PartyAssessmentForm(PartyRowsMixin, EvidenceForm):
    field_order = [
        "effective_on",
        "effective_precision",
        "behind_latest",
        "rationale",
        "evidence",
        "cite_source",
        "evidence_query",
        "review",
    ]

    effective_on = forms.DateField(
        label=_("Effective date"),
        initial=timezone.localdate,
        widget=DATE_INPUT,
        help_text=_("When this became true for the parties you tick. Not in the future."),
    )
    effective_precision = forms.ChoiceField(
        label=_("How precise that date is"),
        choices=Precision.choices,
        initial=Precision.DAY,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Why (rationale)"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": RATIONALE_MAX}),
        help_text=_("What each party did, and why its status and score are what they are."),
    )
    review = forms.BooleanField(
        label=_("Record as a review: I checked and nothing changed"),
        required=False,
        help_text=_("Keeps each ticked party's status and score, with your rationale and date."),
    )
    behind_latest = forms.BooleanField(
        label=_("Record it in the history only"),
        required=False,
        help_text=_("A later assessment stays the party's current status."),
    )

    def __init__(
        self,
        *args,
        commitment: Commitment,
        parties: list[Party],
        corrects: PartyAssessment | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        self.corrects = corrects
        # A correction is about the party of the assessment it corrects, and only it.
        self._init_party_fields(
            commitment, [p for p in parties if corrects is None or p.pk == corrects.party_id]
        )
        self._init_evidence(commitment.evidence.all(), source=commitment.source)

    @classmethod
    def initial_from(cls, entry: PartyAssessment) -> dict:
        """What a correction starts from: the corrected assessment's values."""
        pk = entry.party_id
        return {
            f"assess_{pk}": True,
            f"status_{pk}": entry.status,
            f"score_{pk}": entry.score,
            "effective_on": entry.effective_on,
            "effective_precision": entry.effective_precision,
            "rationale": entry.rationale,
            "evidence": [e.pk for e in entry.evidence.all()],
        }

    def shared_arguments(self) -> dict:
        """What every ticked party's assessment shares, as the service takes it."""
        data = self.cleaned_data
        return {
            "effective_on": data["effective_on"],
            "effective_precision": data["effective_precision"],
            "rationale": data["rationale"],
            **self.evidence_arguments(),
            "review": data["review"],
            "behind_latest": data["behind_latest"],
        }

    def add_service_errors(self, party: Party | None, error: ValidationError) -> None:
        self.add_party_errors(party, error)

    def clean(self):
        data = super().clean()
        rows_valid = self.new_evidence.is_valid()
        if not self.ticked():
            self.add_error(None, gettext("Tick at least one party to assess."))
        if not self.errors and rows_valid:
            self.check_parties(self.shared_arguments())
        if rows_valid:
            self.offer_recorded_links()
        return data
