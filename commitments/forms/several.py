"""One update for several commitments: the same status, progress, effective date,
rationale, review flag and evidence, recorded for each as its own history entry.

The form parses once and asks the service about each commitment
(`services.check_status_update`). A message that holds for every selected commitment
is shown as it is; one that holds for some names them, next to the field it is about,
and `failures` keeps each commitment's messages for the list of the selection.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext

from .. import services
from ..models import Commitment, Evidence, StatusUpdate
from .updates import UPDATE_FIELDS, UpdateFieldsForm

# Most commitments updated at once: a page of the list.
SEVERAL_MAX = 50
NAMES_SHOWN = 3


def names(commitments: list[Commitment]) -> str:
    """“A”, “B” and “C”, or “A”, “B”, “C” and 4 more."""
    quoted = [f"“{c.title}”" for c in commitments[:NAMES_SHOWN]]
    rest = len(commitments) - len(quoted)
    if rest:
        return gettext("%(names)s and %(count)s more") % {"names": ", ".join(quoted), "count": rest}
    if len(quoted) == 1:
        return quoted[0]
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(quoted[:-1]), "last": quoted[-1]}


def serialize_seen(latest: dict[int, int | None]) -> str:
    """The latest recorded update of each commitment, as the form carries it."""
    return ",".join(f"{pk}:{latest[pk] or ''}" for pk in sorted(latest))


def latest_recorded_ids(commitments: list[Commitment]) -> dict[int, int | None]:
    """`services.latest_recorded_id` of each commitment, in one query."""
    rows = (
        StatusUpdate.objects.filter(commitment__in=commitments)
        .order_by()
        .values("commitment")
        .annotate(latest=Max("id"))
        .values_list("commitment", "latest")
    )
    latest = dict.fromkeys((c.pk for c in commitments), None)
    latest.update(dict(rows))
    return latest


class SeveralUpdateForm(UpdateFieldsForm):
    several = True
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, commitments: list[Commitment], **kwargs):
        super().__init__(*args, **kwargs)
        self.commitments = commitments
        self.failures: dict[int, list[str]] = {}
        through = Evidence.commitments.through
        own = Evidence.objects.filter(
            pk__in=through.objects.filter(commitment__in=commitments).values("evidence_id")
        )
        self.fields["evidence"].label = gettext("The selected commitments' evidence")
        sources = {c.source_id for c in commitments}
        shared = commitments[0].source if len(sources) == 1 and None not in sources else None
        self._init_evidence(own, source=shared)
        if shared is not None:
            self.fields["cite_source"].label = gettext("Cite their shared source: “%(title)s”") % {
                "title": shared.title
            }

    def clean_seen(self) -> dict[int, int | None]:
        """What the analyst saw; a form without it sees no history (so any is news)."""
        raw = self.cleaned_data["seen"].strip()
        seen: dict[int, int | None] = {}
        try:
            for pair in filter(None, raw.split(",")):
                pk, _, latest = pair.partition(":")
                seen[int(pk)] = int(latest) if latest else None
        except ValueError:
            raise ValidationError(
                gettext("The form was damaged. Reload the page and try again."), code="damaged"
            ) from None
        return seen

    def selection(self) -> list[dict]:
        """The selected commitments, each with the messages that stopped it."""
        return [
            {"commitment": c, "failures": self.failures.get(c.pk, [])} for c in self.commitments
        ]

    def seen_latest_id(self, commitment: Commitment) -> int | None:
        return self.cleaned_data["seen"].get(commitment.pk)

    def is_stale(self) -> bool:
        """Another update was recorded for one of them since the form was opened."""
        seen = self.cleaned_data["seen"]
        latest = latest_recorded_ids(self.commitments)
        return any(seen.get(pk) != recorded for pk, recorded in latest.items())

    def clean(self):
        data = super().clean()
        rows_valid = self.new_evidence.is_valid()
        if not self.errors and rows_valid:
            if self.is_stale():
                return data  # saving reports the conflict first
            arguments = self.update_arguments()
            problems = []
            for commitment in self.commitments:
                try:
                    services.check_status_update(commitment=commitment, **arguments)
                except ValidationError as error:
                    problems.append((commitment, error))
            self.add_failures(problems)
        if rows_valid:
            self.offer_recorded_links()
        return data

    def add_failures(self, problems: list[tuple[Commitment, ValidationError]]) -> None:
        """Each message next to its field, naming the commitments it holds for unless it
        holds for all of them; and each commitment's messages in `failures`."""
        grouped: dict[tuple[str | None, str], list[Commitment]] = {}
        for commitment, error in problems:
            for key, messages in error.message_dict.items():
                field = UPDATE_FIELDS.get(key)
                for message in messages:
                    grouped.setdefault((field, message), []).append(commitment)
                    self.failures.setdefault(commitment.pk, []).append(message)
        for (field, message), failing in grouped.items():
            everyone = len(failing) == len(self.commitments)
            text = (
                message
                if everyone
                else gettext("%(names)s: %(message)s")
                % {"names": names(failing), "message": message}
            )
            self.add_error(field if field in self.fields else None, text)
