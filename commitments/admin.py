from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.db.models.functions import Concat, Replace
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from . import dates, deadlines, services
from .changelog import describe_changes
from .choices import (
    HEALTH_STYLE,
    STATUS_STYLE,
    DeadlineChangeReason,
    EvidenceKind,
    Health,
    Precision,
    Reliability,
    Status,
    status_label,
)
from .forms.dates import DayField, DayInput, PeriodField, PeriodFormMixin
from .forms.evidence import recorded_source_evidence, source_evidence
from .forms.updates import add_service_errors
from .models import (
    CITED_EVIDENCE_FIELDS,
    CITED_EVIDENCE_MESSAGE,
    Actor,
    Commitment,
    CommitmentLink,
    CommitmentText,
    DeadlineChange,
    Evidence,
    Milestone,
    Party,
    Source,
    StatusUpdate,
    Theme,
    original_language_message,
)
from .services.evidence import check_unlink
from .services.milestones import check_removal as check_milestone_removal
from .services.translations import check_translation, remove_translation, set_translation

VOCABULARY_STYLES = {"status": STATUS_STYLE, "health": HEALTH_STYLE}

# The admin's badges take their colours from the same classes as the site's
# (static/css/vocabulary.css): no style attribute, so the Content Security Policy holds.
TRACKER_ADMIN_CSS = {"all": ["css/vocabulary.css", "css/admin.css"]}


# Every day in the admin is typed and shown one way (2027-03-31), without the calendar
# widget, which writes the locale's format, or the browser's date picker.
DAY_FIELDS = {models.DateField: {"form_class": DayField, "widget": DayInput}}


class TrackerAdmin(admin.ModelAdmin):
    formfield_overrides = DAY_FIELDS

    class Media:
        js = ["js/admin_labels.js"]

    def construct_change_message(self, request, form, formsets, add=False):
        """Sentences, stored as the log entry's text (see `commitments.changelog`)."""
        sentences = [*describe_changes(form, formsets, add=add), *self.done_besides(form)]
        return " ".join(sentences) or gettext("No fields changed.")

    def done_besides(self, form) -> list[str]:
        """Sentences for what the save did besides saving the form, such as a status."""
        return []


def badge(label: str, vocabulary: str, key: str) -> str:
    """A status or health badge: `vocabulary` is "status" or "health"."""
    icon = VOCABULARY_STYLES[vocabulary][key].get("icon", "")
    return format_html(
        '<span class="tracker-badge {}-{}">{} {}</span>', vocabulary, key, icon, label
    )


# Task results are the queue's bookkeeping, read with `db_worker`'s log, not edited here.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Actor)
class ActorAdmin(TrackerAdmin):
    list_display = ["name", "short_name", "kind", "country_code"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        """Matches by any name, the one named exactly what was typed first: a party
        picker's Enter takes the top match, so "Japan" picks Japan, not "Italy–Japan
        Business Group". Then an alias typed in full, then names that start with it."""
        search_term = search_term.replace("\x00", "")
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term:
            return queryset, may_have_duplicates
        text = models.TextField()
        lines = Concat(
            Value("\n", output_field=text),
            Replace("aliases", Value("\r", output_field=text), Value("", output_field=text)),
            Value("\n", output_field=text),
            output_field=text,
        )
        ranked = queryset.annotate(
            alias_lines=lines,
            match_rank=Case(
                When(Q(name__iexact=term) | Q(short_name__iexact=term), then=0),
                When(alias_lines__icontains=f"\n{term}\n", then=1),
                When(Q(name__istartswith=term) | Q(short_name__istartswith=term), then=2),
                default=3,
            ),
        )
        return ranked.order_by("match_rank", "name", "pk"), may_have_duplicates


@admin.register(Theme)
class ThemeAdmin(TrackerAdmin):
    list_display = ["name", "colour_swatch", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        css = TRACKER_ADMIN_CSS

    @admin.display(description=_("Colour"))
    def colour_swatch(self, obj):
        # The colour is data (#rrggbb), so it goes in an SVG fill attribute, not a style.
        return format_html(
            '<svg class="theme-swatch" width="14" height="14" aria-hidden="true">'
            '<rect width="14" height="14" fill="{}"/></svg> {}',
            obj.colour,
            obj.colour,
        )


@admin.register(Source)
class SourceAdmin(TrackerAdmin):
    list_display = ["title", "kind", "date", "publisher"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher"]
    prepopulated_fields = {"slug": ["title"]}


class HealthFilter(admin.SimpleListFilter):
    title = _("health")
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return Health.choices

    def queryset(self, request, queryset):
        if self.value() in Health.values:
            return queryset.in_health(self.value(), timezone.localdate())
        return queryset


class RowsFormSet(BaseInlineFormSet):
    """Rows of a table, whose "Delete?" boxes have no label of their own."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = gettext("Delete this row")


class TabularInline(admin.TabularInline):
    """A table of rows whose cells have no label of their own: each field is named by
    its column's heading, as a screen reader needs."""

    formset = RowsFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for name, field in formset.form.base_fields.items():
            # Lazy, so each page names it in its reader's language: a declared field's
            # widget is shared by every form class the admin makes for the inline.
            field.widget.attrs.setdefault("aria-label", field.label or name)
        return formset


class PartyInline(TabularInline):
    model = Party
    extra = 1
    autocomplete_fields = ["actor"]


class TranslationFormSet(RowsFormSet):
    """Each row checked by the translation service's rules against the commitment's
    original language as the form above sets it."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not form.has_changed():
                continue
            errors = check_translation(
                commitment=self.instance if self.instance.pk else None,
                language=data.get("language") or "",
                title=data.get("title") or "",
                summary=data.get("summary") or "",
                quote=data.get("quote") or "",
                translated_by=data.get("translated_by") or "",
            )
            if self.instance.pk is None and self.instance.language == data.get("language"):
                errors["language"] = original_language_message(self.instance)
            errors.pop("commitment", None)  # a new commitment is its own original
            for field, message in errors.items():
                form.add_error(field if field in form.fields else None, message)


class TranslationInline(admin.StackedInline):
    model = CommitmentText
    formset = TranslationFormSet
    extra = 0
    fields = ["language", "title", "summary", "quote", "translated_by"]
    verbose_name = _("translation")
    verbose_name_plural = _("translations (the title, summary and quote above are the original)")


class MilestoneFormSet(RowsFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk:
                try:
                    check_milestone_removal(form.instance)
                except ValidationError as error:
                    raise ValidationError(error.messages) from error


class MilestoneForm(PeriodFormMixin, forms.ModelForm):
    due_on = PeriodField(end=True, label=_("Due"))
    periods = {"due_on": "due_precision"}

    class Meta:
        model = Milestone
        fields = ["commitment", "title", "due_on", "order"]


class MilestoneInline(TabularInline):
    """Milestones are added and corrected here; completing one needs evidence and is
    done on the commitment's page (“Complete”)."""

    model = Milestone
    form = MilestoneForm
    formset = MilestoneFormSet
    extra = 0
    fields = ["order", "title", "due_on", "completed_on"]
    readonly_fields = ["completed_on"]


class EvidenceLinkFormSet(RowsFormSet):
    """An item the commitment's history cites is neither unlinked nor swapped."""

    def clean(self):
        super().clean()
        problems = []
        for form in self.forms:
            link = form.instance
            if link.pk is None or not (form in self.deleted_forms or form.has_changed()):
                continue
            stored = type(link).objects.select_related("evidence", "commitment").get(pk=link.pk)
            try:
                check_unlink(evidence=stored.evidence, commitment=stored.commitment)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)


# django-axes ships no Italian or Japanese: the names of its models in the admin's sidebar
# are translated in our catalogues, which Django reads for every app.
AXES_MODEL_NAMES = (
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)


class EvidenceLinkForm(forms.ModelForm):
    class Meta:
        # The link table is Django's own: its column would be named "Evidence" in English.
        labels = {"evidence": _("Evidence")}


def _evidence_link_text(link) -> str:
    return str(link.evidence)


# Each link row is captioned with its evidence item, not "Evidence_commitments object (17)".
Evidence.commitments.through.__str__ = _evidence_link_text


class EvidenceInline(TabularInline):
    """The commitment's evidence: link items recorded in Evidence, or unlink them."""

    model = Evidence.commitments.through
    form = EvidenceLinkForm
    formset = EvidenceLinkFormSet
    extra = 0
    autocomplete_fields = ["evidence"]
    verbose_name = _("evidence item")
    verbose_name_plural = _("evidence (add new items under Evidence, then link them here)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evidence")


class StatusUpdateInline(TabularInline):
    """History, read-only: updates are recorded through the status fields above."""

    model = StatusUpdate
    fk_name = "commitment"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "effective_on",
        "status",
        "previous_status",
        "progress",
        "recorded_by",
        "recorded_at",
        "rationale",
    ]
    readonly_fields = fields
    verbose_name = _("status update (history)")
    verbose_name_plural = _("history (read-only; change the status above to add an entry)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by").newest_first()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The status service's keys, and the admin form's fields that show their messages.
STATUS_FIELDS = {
    "status": "change_status",
    "progress": "change_progress",
    "effective_on": "change_effective_on",
    "effective_precision": "change_effective_precision",
    "rationale": "change_rationale",
    "evidence": "change_evidence",
    "new_evidence": "change_new_title",
    "behind_latest": "change_behind_latest",
    "review": "change_status",
}


# The deadline service's keys, and the admin form's fields that show their messages.
DEADLINE_FIELDS = {
    "deadline": "deadline",
    "precision": "deadline",
    "reason": "deadline_change_reason",
    "note": "deadline_change_note",
}


class CommitmentAdminForm(PeriodFormMixin, forms.ModelForm):
    """Status and progress are changed here like any field, but recorded through the
    status service, so every change writes a history row under the same rules as
    everywhere else; the service's messages show next to these fields. The announcement
    and the deadline are typed as people write them, their precision following the text."""

    announced_on = PeriodField(end=False, label=_("Announced"))
    deadline = PeriodField(end=True, label=_("Deadline"))
    periods = {"announced_on": "announced_precision", "deadline": "deadline_precision"}

    deadline_change_reason = forms.ChoiceField(
        label=_("Why the deadline changes"),
        choices=[("", "---------"), *DeadlineChangeReason.choices],
        required=False,
        help_text=_("Needed when you move or remove the deadline of a saved commitment."),
    )
    deadline_change_note = forms.CharField(
        label=_("Note on the deadline change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    change_status = forms.ChoiceField(choices=Status.choices, label=_("Status"), required=False)
    change_progress = forms.IntegerField(label=_("Progress (%)"), required=False)
    change_effective_on = DayField(
        label=_("Effective date"),
        required=False,
        help_text=_("When the new status became true, written 2027-03-31. Defaults to today."),
    )
    change_effective_precision = forms.ChoiceField(
        label=_("Precision of the effective date"),
        choices=Precision.choices,
        initial=Precision.DAY,
        required=False,
    )
    change_rationale = forms.CharField(
        label=_("Why (rationale)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    change_achieved_below_full = forms.BooleanField(
        # xgettext:no-python-format
        label=_("Achieved below 100% on purpose"),
        required=False,
        help_text=_("Tick to record Achieved with a progress under 100%."),
    )
    change_behind_latest = forms.BooleanField(
        label=_("Record in the history only"),
        required=False,
        help_text=_("Tick when a later update should stay the current status."),
    )
    change_evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label=_("Evidence for the change"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "This commitment's recorded evidence; or cite its source, or describe a new item below."
        ),
    )
    change_cite_source = forms.BooleanField(
        label=_("Cite the commitment's source"),
        required=False,
        help_text=_("Its title, link, publisher and date become the evidence item."),
    )
    change_new_title = forms.CharField(
        label=_("New evidence: title"), required=False, max_length=300
    )
    change_new_url = forms.CharField(
        label=_("New evidence: link"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    change_new_kind = forms.ChoiceField(
        label=_("New evidence: kind"),
        choices=EvidenceKind.choices,
        initial=EvidenceKind.NEWS_REPORT,
        required=False,
    )
    change_new_reliability = forms.ChoiceField(
        label=_("New evidence: reliability"),
        choices=Reliability.choices,
        initial=Reliability.SECONDARY,
        required=False,
    )

    class Meta:
        model = Commitment
        # Status and progress are not edited directly: see the change_* fields.
        fields = [
            "title",
            "slug",
            "kind",
            "parent",
            "summary",
            "source",
            "language",
            "quote",
            "quote_location",
            "announced_on",
            "deadline",
            "themes",
            "external_id",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        # As saved: the date box's text sets the instance's precision while cleaning.
        self.saved_deadline = (instance.deadline, instance.deadline_precision or "")
        self.fields["change_status"].initial = instance.status if instance.pk else Status.NOT_RATED
        self.fields["change_progress"].initial = instance.progress
        if instance.pk:
            self.fields["change_evidence"].queryset = instance.evidence.all()

    def status_changed(self) -> bool:
        data = self.cleaned_data
        status = data.get("change_status") or self.instance.status
        return (
            status != self.instance.status or data.get("change_progress") != self.instance.progress
        )

    def status_update(self, by) -> dict:
        """The status change as `services.record_status_update` takes it."""
        data = self.cleaned_data
        return {
            "commitment": self.instance,
            "status": data.get("change_status") or self.instance.status,
            "progress": data.get("change_progress"),
            "effective_on": data.get("change_effective_on") or timezone.localdate(),
            "effective_precision": data.get("change_effective_precision") or Precision.DAY,
            "rationale": data.get("change_rationale") or "",
            **self.evidence_given(),
            "achieved_below_full": bool(data.get("change_achieved_below_full")),
            "behind_latest": bool(data.get("change_behind_latest")),
        }

    def evidence_given(self) -> dict:
        """The ticked items, the source cited (recorded once) and a new item typed in."""
        data = self.cleaned_data
        evidence, new_evidence = list(data.get("change_evidence") or []), []
        source = self.instance.source
        if data.get("change_cite_source") and source is not None:
            recorded = recorded_source_evidence(source)
            if recorded is not None:
                evidence.append(recorded)
            else:
                new_evidence.append(source_evidence(source))
        if (data.get("change_new_title") or "").strip() or data.get("change_new_url"):
            new_evidence.append(
                services.NewEvidence(
                    title=data.get("change_new_title") or "",
                    url=data.get("change_new_url") or "",
                    kind=data.get("change_new_kind") or EvidenceKind.NEWS_REPORT,
                    reliability=data.get("change_new_reliability") or Reliability.SECONDARY,
                )
            )
        return {"evidence": evidence, "new_evidence": new_evidence}

    def deadline_changed(self) -> bool:
        """Whether a saved commitment's deadline or its precision is being changed."""
        data = self.cleaned_data
        if self.instance.pk is None or "deadline" not in data:
            return False
        deadline, precision = data.get("deadline"), self.instance.deadline_precision or ""
        if deadline and precision in Precision.values:
            deadline = dates.period_end(deadline, precision)
        return (deadline, precision) != self.saved_deadline

    def deadline_change(self, typed: tuple) -> dict:
        """The deadline change to `typed` (day, precision) as `services.change_deadline`
        takes it."""
        data = self.cleaned_data
        return {
            "commitment": self.instance,
            "deadline": typed[0],
            "precision": typed[1] or "",
            "reason": data.get("deadline_change_reason") or "",
            "note": data.get("deadline_change_note") or "",
        }

    def clean(self):
        data = super().clean()
        if data.get("change_cite_source") and data.get("source") is None:
            self.add_error(
                "change_cite_source", gettext("Choose the commitment's source to cite it.")
            )
        self.moves_deadline = False
        if self.instance.pk is not None and not self.errors and self.deadline_changed():
            self.moves_deadline = True
            # The service checks against the deadline as saved, not as this form set it.
            typed = (data.get("deadline"), self.instance.deadline_precision or "")
            self.instance.deadline_precision = self.saved_deadline[1]
            try:
                services.check_deadline_change(**self.deadline_change(typed))
            except ValidationError as error:
                add_service_errors(self, error, DEADLINE_FIELDS)
            finally:
                self.instance.deadline_precision = typed[1]
        return data

    def _post_clean(self):
        # The status rules read the commitment as this form saves it (its announcement,
        # its source), so they run once the form has built it, a new one included.
        super()._post_clean()
        if not self.errors and self.status_changed():
            try:
                services.check_status_update(**self.status_update(by=None))
            except ValidationError as error:
                add_service_errors(self, error, STATUS_FIELDS)


@admin.register(Commitment)
class CommitmentAdmin(TrackerAdmin):
    form = CommitmentAdminForm
    list_display = ["title", "status_badge", "deadline_column", "health_badge", "party_list"]
    list_filter = ["status", "kind", "themes", "actors", "source", HealthFilter]
    # A commitment is found by its translations' words as well as its own.
    search_fields = [
        "title",
        "summary",
        "quote",
        "translations__title",
        "translations__summary",
        "translations__quote",
    ]
    autocomplete_fields = ["themes", "source", "parent"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        PartyInline,
        MilestoneInline,
        EvidenceInline,
        StatusUpdateInline,
        TranslationInline,
    ]
    readonly_fields = [
        "current_status",
        "deadline_history",
        "next_review_on",
        "review_assignee",
        "last_update_at",
        "created_at",
        "updated_at",
    ]
    list_per_page = 50

    class Media:
        css = TRACKER_ADMIN_CSS

    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "parent", "summary"]}),
        (_("Source"), {"fields": ["source", "language", "quote", "quote_location"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "announced_on",
                    "deadline",
                    "deadline_change_reason",
                    "deadline_change_note",
                    "deadline_history",
                ]
            },
        ),
        (_("Classification"), {"fields": ["themes", "external_id"]}),
        (
            _("Review"),
            {
                "description": _(
                    "Set by the review policy when an update is recorded; "
                    "changed on the review queue (/review/) and by assigning from the list."
                ),
                "fields": [("next_review_on", "review_assignee")],
            },
        ),
        (_("Analyst's notes"), {"fields": ["notes"]}),
        (
            _("Status"),
            {
                "description": _(
                    "A change here, or a new commitment's first status, is "
                    "recorded in the history with its rationale and evidence."
                ),
                "fields": [
                    "current_status",
                    ("change_status", "change_progress"),
                    ("change_effective_on", "change_effective_precision"),
                    ("change_achieved_below_full", "change_behind_latest"),
                    "change_rationale",
                    "change_evidence",
                    "change_cite_source",
                    ("change_new_title", "change_new_url"),
                    ("change_new_kind", "change_new_reliability"),
                ],
            },
        ),
        (
            pgettext_lazy("admin section: when a row was made and changed", "Record"),
            {"fields": ["last_update_at", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_health(timezone.localdate())
            .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("actor")))
        )

    @admin.display(description=_("Status"), ordering="status")
    def status_badge(self, obj):
        return badge(status_label(obj.status, obj.kind), "status", obj.status)

    @admin.display(description=_("Current status"))
    def current_status(self, obj):
        if not obj.pk:
            return Status.NOT_RATED.label
        progress = f" · {obj.progress}%" if obj.progress is not None else ""
        return format_html("{}{}", badge(obj.status_label, "status", obj.status), progress)

    @admin.display(description=_("Deadline"), ordering="deadline")
    def deadline_column(self, obj):
        return obj.deadline_display

    @admin.display(description=_("Health"), ordering="health")
    def health_badge(self, obj):
        return badge(Health(obj.health).label, "health", obj.health)

    @admin.display(description=_("Parties"))
    def party_list(self, obj):
        return format_html_join(
            ", ",
            "{} ({})",
            ((p.actor.display_name, p.get_role_display()) for p in obj.parties.all()),
        )

    def has_delete_permission(self, request, obj=None):
        """History is append-only: a commitment with recorded updates is never deleted,
        because deleting it would delete its history."""
        if obj is not None and obj.updates.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("Deadline history"))
    def deadline_history(self, obj):
        if not obj.pk:
            return pgettext("deadline history", "None")
        changes = list(obj.deadline_changes.all())
        return deadlines.summary(changes) or gettext("Never changed")

    def save_model(self, request, obj, form, change):
        moved = change and getattr(form, "moves_deadline", False)
        if moved:
            # The deadline moves only through the service, which records the change.
            typed = (obj.deadline, obj.deadline_precision)
            obj.deadline, obj.deadline_precision = form.saved_deadline
        super().save_model(request, obj, form, change)
        if moved:
            services.change_deadline(**form.deadline_change(typed), by=request.user)
            messages.info(
                request, gettext("The deadline change was recorded in the deadline history.")
            )
        form.recorded_update = None
        if form.status_changed():
            try:
                form.recorded_update = services.record_status_update(
                    **form.status_update(by=request.user), by=request.user
                )
            except ValidationError as error:
                # The form checked the same rules; only a change made meanwhile gets here.
                messages.error(
                    request,
                    gettext("The status change was not recorded: %(problems)s")
                    % {"problems": " ".join(error.messages)},
                )
            else:
                messages.info(request, gettext("The status change was recorded in the history."))

    def done_besides(self, form) -> list[str]:
        update = getattr(form, "recorded_update", None)
        if update is None:
            return []
        count = update.evidence.count()
        values = {
            "status": update.status_label,
            "progress": update.progress,
            "effective": update.effective_display,
            "count": count,
        }
        if update.progress is None:
            sentence = ngettext(
                "Recorded status %(status)s, effective %(effective)s, with %(count)s evidence "
                "item.",
                "Recorded status %(status)s, effective %(effective)s, with %(count)s evidence "
                "items.",
                count,
            )
        else:
            sentence = ngettext(
                "Recorded status %(status)s at %(progress)s%%, effective %(effective)s, with "
                "%(count)s evidence item.",
                "Recorded status %(status)s at %(progress)s%%, effective %(effective)s, with "
                "%(count)s evidence items.",
                count,
            )
        return [sentence % values]

    def save_formset(self, request, form, formset, change):
        if formset.model is CommitmentText:
            return self.save_translations(request, form, formset)
        if formset.model is not Milestone:
            return super().save_formset(request, form, formset, change)
        for milestone in formset.save(commit=False):
            values = {
                "title": milestone.title,
                "due_on": milestone.due_on,
                "due_precision": milestone.due_precision,
                "order": milestone.order,
            }
            if milestone.pk is None:
                services.add_milestone(commitment=form.instance, **values)
            else:
                services.change_milestone(milestone=milestone, **values)
        for milestone in formset.deleted_objects:
            services.remove_milestone(milestone=milestone)
        formset.save_m2m()

    def save_translations(self, request, form, formset) -> None:
        """Through the translation service, which the formset's checks already ran."""
        for text in formset.save(commit=False):
            set_translation(
                commitment=form.instance,
                language=text.language,
                title=text.title,
                summary=text.summary,
                quote=text.quote,
                translated_by=text.translated_by,
                by=request.user,
            )
        for text in formset.deleted_objects:
            remove_translation(commitment=form.instance, language=text.language)


class ReadOnlyAdmin(TrackerAdmin):
    """A record nobody adds, changes or deletes here: only viewed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    """History is append-only: visible here, never edited or deleted."""

    list_display = [
        "commitment",
        "status",
        "previous_status",
        "progress",
        "effective_on",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["status"]
    search_fields = ["commitment__title", "rationale"]
    list_select_related = ["commitment", "recorded_by"]
    date_hierarchy = "effective_on"


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(ReadOnlyAdmin):
    """Deadline history is append-only: a change is made on the commitment's page,
    where the reason is asked for, and is visible here, never edited or deleted."""

    list_display = [
        "commitment",
        "old_display",
        "new_display",
        "reason",
        "changed_by",
        "changed_at",
    ]
    list_filter = ["reason"]
    search_fields = ["commitment__title", "note"]
    list_select_related = ["commitment", "changed_by"]
    date_hierarchy = "changed_at"


class CommitmentLinkForm(forms.ModelForm):
    """A new link, checked by the lineage service's rules before saving."""

    class Meta:
        model = CommitmentLink
        fields = ["commitment", "kind", "other", "source", "effective_on", "note"]
        help_texts = {
            "commitment": _("The earlier commitment."),
            "other": _("The later commitment."),
            "effective_on": _("Leave empty for the source's date (or today if it has none)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "effective_on" in self.fields:  # not on the read-only view of a saved link
            self.fields["effective_on"].required = False

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_link(**self.link())
            except ValidationError as error:
                add_service_errors(
                    self, error, {key: key for key in ("kind", "other", "source", "effective_on")}
                )
        return data

    def link(self) -> dict:
        data = self.cleaned_data
        return {
            "commitment": data["commitment"],
            "kind": data["kind"],
            "other": data.get("other"),
            "source": data.get("source"),
            "effective_on": data.get("effective_on"),
        }

    def validate_unique(self):
        """The service states the uniqueness rules, with their own messages."""


@admin.register(CommitmentLink)
class CommitmentLinkAdmin(TrackerAdmin):
    """Links are added here through the lineage service (superseding closes the earlier
    commitment, with the reason in its history) and never changed or deleted."""

    form = CommitmentLinkForm
    list_display = ["commitment", "kind", "other", "source", "effective_on", "created_by"]
    list_filter = ["kind"]
    search_fields = ["commitment__title", "other__title", "note"]
    autocomplete_fields = ["commitment", "other", "source"]
    list_select_related = ["commitment", "other", "source", "created_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        link = services.link_commitments(
            **form.link(), note=form.cleaned_data.get("note") or "", by=request.user
        )
        obj.pk = link.pk
        obj._state.adding = False


def without_bulk_delete(actions: dict) -> dict:
    """Rows that may be part of the history are deleted one at a time, where the admin
    checks each (has_delete_permission), never in bulk."""
    actions.pop("delete_selected", None)
    return actions


EVIDENCE_FIELDS = CITED_EVIDENCE_FIELDS


class EvidenceAdminForm(forms.ModelForm):
    """A new item, or the details of one nothing recorded cites yet; a cited item shows
    its details read-only and only its commitments can be added to."""

    class Meta:
        model = Evidence
        fields = [*EVIDENCE_FIELDS, "commitments"]

    def is_details_form(self) -> bool:
        return set(EVIDENCE_FIELDS) <= set(self.fields)

    def item(self) -> services.NewEvidence:
        return services.NewEvidence(**{name: self.cleaned_data[name] for name in EVIDENCE_FIELDS})

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # Changing a cited item's details is refused by the model's clean().
        if self.is_details_form():
            try:
                services.check_new_evidence([self.item()])
            except ValidationError as error:
                add_service_errors(self, error, {})
        if self.instance.pk is not None and "commitments" in data:
            kept = set(data["commitments"])
            for commitment in self.instance.commitments.all():
                if commitment not in kept:
                    try:
                        check_unlink(evidence=self.instance, commitment=commitment)
                    except ValidationError as error:
                        self.add_error("commitments", error)
        return data


@admin.register(Evidence)
class EvidenceAdmin(TrackerAdmin):
    """Evidence is recorded once and linked to every commitment it is about. Once a
    recorded update or a completed milestone cites an item, its details are read-only
    for everyone and it is never deleted: a correction adds new evidence through a
    correcting update."""

    form = EvidenceAdminForm
    list_display = ["title", "url", "kind", "reliability", "published_on", "commitment_count"]
    list_filter = ["kind", "reliability"]
    search_fields = ["title", "url", "publisher", "commitments__title"]
    autocomplete_fields = ["commitments"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_commitments=Count("commitments"))

    @admin.display(description=_("Commitments"), ordering="n_commitments")
    def commitment_count(self, obj):
        return obj.n_commitments

    @admin.display(description=_("Read-only"))
    def cited_notice(self, obj):
        return CITED_EVIDENCE_MESSAGE

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_cited():
            return ["cited_notice", *EVIDENCE_FIELDS]
        return []

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_cited():
            return ["cited_notice", *EVIDENCE_FIELDS, "commitments"]
        return [*EVIDENCE_FIELDS, "commitments"]

    def save_model(self, request, obj, form, change):
        if change and not form.is_details_form():
            return  # a cited item: only its commitments change, in save_related
        if change:
            services.change_evidence(evidence=obj, item=form.item())
            return
        recorded = services.record_evidence(item=form.item(), by=request.user)
        obj.pk, obj.added_by, obj.added_at = recorded.pk, recorded.added_by, recorded.added_at
        form.instance = obj

    def has_delete_permission(self, request, obj=None):
        """Evidence that backs recorded updates or milestones stays in the history."""
        if obj is not None and obj.is_cited():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return without_bulk_delete(super().get_actions(request))


@admin.register(Milestone)
class MilestoneAdmin(TrackerAdmin):
    """Milestones are added and corrected here; completing one needs evidence and is
    done on the commitment's page."""

    form = MilestoneForm
    list_display = ["title", "commitment", "due_display", "completed_on"]
    search_fields = ["title", "commitment__title"]
    list_select_related = ["commitment"]
    autocomplete_fields = ["commitment"]

    def get_readonly_fields(self, request, obj=None):
        """A completion is recorded history, and a milestone stays with its commitment
        (the services change neither)."""
        if obj is None:
            return ["completed_on", "completed_by"]
        return ["commitment", "completed_on", "completed_by"]

    def save_model(self, request, obj, form, change):
        values = {
            "title": obj.title,
            "due_on": obj.due_on,
            "due_precision": obj.due_precision,
            "order": obj.order,
        }
        saved = (
            services.change_milestone(milestone=obj, **values)
            if change
            else services.add_milestone(commitment=obj.commitment, **values)
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_milestone(milestone=obj)

    def has_delete_permission(self, request, obj=None):
        """A completed milestone is part of the history."""
        if obj is not None and obj.completed_on is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return without_bulk_delete(super().get_actions(request))


@admin.register(Party)
class PartyAdmin(TrackerAdmin):
    list_display = ["commitment", "actor", "role", "status", "score"]
    list_filter = ["role", "status", "score"]
    list_select_related = ["commitment", "actor"]
    autocomplete_fields = ["commitment", "actor"]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    """Who changed what in the admin, and when: visible to admins, never editable."""

    list_display = [
        "action_time",
        "user",
        "content_type",
        "object_repr",
        "action_flag",
        "what_changed",
    ]
    fields = ["action_time", "user", "content_type", "object_id", "object_repr"]
    fields += ["action_flag", "what_changed"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    list_select_related = ["user", "content_type"]
    date_hierarchy = "action_time"

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("What changed"))
    def what_changed(self, obj):
        """The entry as sentences: older entries' JSON is read out by Django."""
        return obj.get_change_message()
