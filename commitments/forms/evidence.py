"""Evidence on the update, correction, completion and several-commitments forms.

An evidence item is recorded once and used many times, so the forms offer every way to
reach one already recorded before typing it in again:

- the commitment's own evidence, as checkboxes;
- a search of the whole register (every word in the title or the link), whose matches
  are offered next to the commitment's own: the search button (`FIND`) shows the same
  form again with everything typed kept, no messages and nothing saved;
- "cite this commitment's source": the item made from the source, reused if recorded;
- a new row whose link is already recorded under another title is refused, naming the
  recorded item and ticking it, so clearing the row is all it takes to use it (a link
  and title already recorded are reused without a word: the service does that).

The field accepts any recorded item the form offered: the commitment's own, the
matches and whatever is ticked. Whatever is picked becomes part of the commitment's
evidence (the service links it).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import SOURCE_EVIDENCE, EvidenceKind, Reliability
from ..models import Evidence, Source
from ..services import EXCERPT_MAX, MAX_ID, NEW_EVIDENCE_MAX, NewEvidence
from .errors import ErrorSummaryMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEW_EVIDENCE_ROWS = 2
# The name of the search button: a submit that only searches.
FIND = "find_evidence"
# Most matches a search offers, newest first, and most words it looks for.
FOUND_MAX = 20
SEARCH_WORDS_MAX = 10


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


class QuietMixin:
    """While the analyst only searches, a form shows what was typed and no messages."""

    quiet = False

    @property
    def errors(self):
        if self.quiet:
            return ErrorDict(renderer=self.renderer)
        return super().errors


class NewEvidenceForm(QuietMixin, forms.Form):
    """One evidence item typed in next to the update; an empty row is ignored."""

    title = forms.CharField(
        label=_("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": 300})
    )
    url = forms.CharField(
        label=_("URL"),
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://", "maxlength": 500}),
        help_text=_("http:// or https:// only."),
    )
    publisher = forms.CharField(
        label=_("Publisher"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    published_on = forms.DateField(label=_("Date published"), required=False, widget=DATE_INPUT)
    excerpt = forms.CharField(
        label=_("Excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": EXCERPT_MAX}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=EvidenceKind.choices, initial=EvidenceKind.NEWS_REPORT
    )
    reliability = forms.ChoiceField(
        label=_("Reliability"),
        choices=Reliability.choices,
        initial=Reliability.SECONDARY,
    )

    def to_new_evidence(self) -> NewEvidence:
        return NewEvidence(**{name: self.cleaned_data[name] for name in self.fields})


class NewEvidenceRows(forms.BaseFormSet):
    quiet = False

    def non_form_errors(self):
        if self.quiet:
            return ErrorList()
        return super().non_form_errors()


NewEvidenceFormSet = forms.formset_factory(
    NewEvidenceForm,
    formset=NewEvidenceRows,
    extra=NEW_EVIDENCE_ROWS,
    max_num=NEW_EVIDENCE_MAX,
    validate_max=True,
)


def search_words(text: str) -> list[str]:
    return text.split()[:SEARCH_WORDS_MAX]


def find_evidence(words: list[str]) -> QuerySet[Evidence]:
    """Recorded evidence whose title or link contains every word, newest first."""
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(url__icontains=word)
    return Evidence.objects.filter(condition).order_by("-added_at", "-id")


def source_evidence(source: Source) -> NewEvidence:
    """The evidence item a source makes: its title, link, publisher and date, of the kind
    and reliability its kind implies (`choices.SOURCE_EVIDENCE`)."""
    kind, reliability = SOURCE_EVIDENCE[source.kind]
    return NewEvidence(
        title=source.title,
        url=source.url,
        publisher=source.publisher,
        published_on=source.date,
        kind=kind,
        reliability=reliability,
    )


def recorded_source_evidence(source: Source) -> Evidence | None:
    """The item already recorded from this source (same title, link, publisher and date),
    so citing the source twice, or from two commitments, records it once."""
    return (
        Evidence.objects.filter(
            title=source.title.strip(),
            url=source.url.strip(),
            publisher=source.publisher.strip(),
            published_on=source.date,
        )
        .order_by("pk")
        .first()
    )


def recorded_link_message(evidence: Evidence) -> str:
    return gettext(
        "This link is already recorded as “%(title)s”: it is ticked below; clear the "
        "new row to use it, or change the link."
    ) % {"title": evidence.title}


class EvidenceForm(ErrorSummaryMixin, QuietMixin, forms.Form):
    """The evidence fieldset's fields. A subclass calls `_init_evidence` with the evidence
    that is its own (a commitment's, or the selected commitments') and the source it may
    cite, and passes `evidence_arguments()` to its service."""

    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label=_("This commitment's evidence"),
        widget=forms.CheckboxSelectMultiple,
    )
    cite_source = forms.BooleanField(label=_("Cite this commitment's source"), required=False)
    evidence_query = forms.CharField(
        label=_("Find recorded evidence"),
        required=False,
        max_length=200,
        help_text=_("Words from its title or link. Evidence of any commitment can be used."),
    )

    def _init_evidence(self, own: QuerySet[Evidence], *, source: Source | None) -> None:
        self.new_evidence = NewEvidenceFormSet(self.data if self.is_bound else None, prefix="new")
        # Only searching: show the form again, as typed, without a word of complaint.
        self.finding = self.is_bound and FIND in self.data
        self.quiet = self.new_evidence.quiet = self.finding
        for row in self.new_evidence.forms:
            row.quiet = self.finding
        self.source = source
        if source is None:
            del self.fields["cite_source"]
        else:
            self.fields["cite_source"].label = gettext(
                "Cite this commitment's source: “%(title)s”"
            ) % {"title": source.title}
        self._own = own
        self.search: dict | None = None
        self._found: list[int] = []
        self.fields["evidence"].queryset = self._choices()

    # -- what is offered ----------------------------------------------------------------------
    def _ticked_ids(self) -> list[int]:
        ids = []
        for raw in self.data.getlist("evidence") if hasattr(self.data, "getlist") else []:
            try:
                number = int(raw)
            except (TypeError, ValueError):
                continue
            if 1 <= number <= MAX_ID:
                ids.append(number)
        return ids

    def _choices(self) -> QuerySet[Evidence]:
        """The own evidence, the search's matches (not already own) and the ticked items."""
        if not self.is_bound:
            return self._own
        words = search_words(str(self.data.get("evidence_query", ""))[:200])
        ticked = self._ticked_ids()
        if words:
            found = list(
                find_evidence(words)
                .exclude(pk__in=self._own.values("pk"))
                .values_list("pk", flat=True)[: FOUND_MAX + 1]
            )
            self._found = found[:FOUND_MAX]
            self.search = {"words": " ".join(words), "more": len(found) > FOUND_MAX}
        if not (self._found or ticked):
            return self._own
        return Evidence.objects.filter(
            Q(pk__in=self._own.values("pk")) | Q(pk__in=[*self._found, *ticked])
        ).annotate(is_own=Exists(self._own.filter(pk=OuterRef("pk"))))

    @property
    def found_count(self) -> int:
        return len(self._found)

    def evidence_groups(self) -> list[dict]:
        """The checkboxes in groups: the own evidence, the search's matches (newest
        first) and items of other commitments ticked earlier. Empty groups are left out,
        but for the own one."""
        own, found, picked = [], [], []
        rank = {pk: n for n, pk in enumerate(self._found)}
        for choice in self["evidence"]:
            item = choice.data["value"].instance
            if getattr(item, "is_own", True):
                own.append(choice)
            elif item.pk in rank:
                found.append(choice)
            else:
                picked.append(choice)
        found.sort(key=lambda choice: rank[choice.data["value"].instance.pk])
        groups = [{"key": "own", "label": self.fields["evidence"].label, "choices": own}]
        if picked:
            groups.append(
                {
                    "key": "picked",
                    "label": gettext("Picked from other commitments"),
                    "choices": picked,
                }
            )
        if found:
            label = gettext("Found in the register for “%(words)s”") % {
                "words": self.search["words"]
            }
            groups.append({"key": "found", "label": label, "choices": found})
        return groups

    # -- what was given -------------------------------------------------------------------------
    def used_evidence_rows(self) -> list[NewEvidenceForm]:
        return [form for form in self.new_evidence.forms if form.has_changed()]

    def new_evidence_items(self) -> list[NewEvidence]:
        return [
            form.to_new_evidence()
            for form in self.used_evidence_rows()
            if hasattr(form, "cleaned_data")
        ]

    def evidence_arguments(self) -> dict:
        """`evidence` and `new_evidence` as the services take them, the source included."""
        evidence = list(self.cleaned_data["evidence"])
        new_evidence = self.new_evidence_items()
        if self.cleaned_data.get("cite_source"):
            recorded = recorded_source_evidence(self.source)
            if recorded is not None:
                evidence.append(recorded)
            else:
                new_evidence.append(source_evidence(self.source))
        return {"evidence": evidence, "new_evidence": new_evidence}

    def is_valid(self) -> bool:
        if self.finding:
            return False  # a search saves nothing
        # The rows are parsed first, so the form's check sees the items typed in.
        rows_valid = self.new_evidence.is_valid()
        form_valid = super().is_valid()
        return form_valid and rows_valid

    def offer_recorded_links(self) -> None:
        """A new row whose link is recorded under another title is refused: the message
        names the recorded item, which is ticked, so the analyst only clears the row."""
        for row in self.used_evidence_rows():
            data = getattr(row, "cleaned_data", {})
            url, title = data.get("url", "").strip(), data.get("title", "").strip()
            if not url:
                continue
            recorded = Evidence.objects.filter(url=url)
            if recorded.filter(title=title).exists():
                continue  # the same link and title: the service reuses it
            other = recorded.order_by("-added_at", "-id").first()
            if other is None:
                continue
            self.add_error("evidence", recorded_link_message(other))
            self._tick(other)

    def _tick(self, evidence: Evidence) -> None:
        self.data = self.data.copy()
        if str(evidence.pk) not in self.data.getlist("evidence"):
            self.data.appendlist("evidence", str(evidence.pk))
        self.fields["evidence"].queryset = self._choices()

    # -- the summary --------------------------------------------------------------------------
    def _evidence_messages(self) -> list[str]:
        messages = super()._evidence_messages()
        messages += list(self.new_evidence.non_form_errors())
        for number, row in enumerate(self.new_evidence.forms, start=1):
            for name, errors in row.errors.items():
                label = row[name].label if name in row.fields else ""
                if label:
                    prefix = gettext("New evidence item %(number)s, %(field)s") % {
                        "number": number,
                        "field": label.lower(),
                    }
                else:
                    prefix = gettext("New evidence item %(number)s") % {"number": number}
                messages += [
                    gettext("%(item)s: %(message)s") % {"item": prefix, "message": message}
                    for message in errors
                ]
        return messages
