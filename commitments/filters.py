"""One FilterSet for every list of commitments: the HTML list, the exports, the API and
the dashboard tiles all use it, so a tile's number and the list it links to agree.

The query parameters are a public contract: q, status (repeatable), health, theme,
party, source, kind, deadline_after, deadline_before (years), announced_after,
announced_before (dates), has_evidence (true/false), sort.
"""

from __future__ import annotations

import datetime as dt

import django_filters as filters
from django import forms
from django.db import connection
from django.db.models import Exists, F, OuterRef

from .choices import Health, Kind, Status
from .models import Actor, Commitment, Evidence, Source, Theme
from .querysets import health_q
from .widgets import QuickSelect

SORTS = {
    "deadline": [F("deadline").asc(nulls_last=True), "title"],
    "-deadline": [F("deadline").desc(nulls_last=True), "title"],
    "updated": [F("last_update_at").asc(nulls_first=True), "title"],
    "-updated": [F("last_update_at").desc(nulls_last=True), "title"],
    "title": ["title", "id"],
    "-title": ["-title", "id"],
    "progress": [F("progress").asc(nulls_first=True), "title"],
    "-progress": [F("progress").desc(nulls_last=True), "title"],
}
SORT_CHOICES = [
    ("deadline", "Deadline, soonest first"),
    ("-deadline", "Deadline, latest first"),
    ("-updated", "Last update, newest first"),
    ("updated", "Last update, oldest first"),
    ("title", "Title, A–Z"),
    ("-title", "Title, Z–A"),
    ("-progress", "Progress, highest first"),
    ("progress", "Progress, lowest first"),
]
DEFAULT_SORT = "deadline"

YEAR_MIN, YEAR_MAX = 1900, 2200


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Enter a year such as 2030.",
                "min_value": "Enter a year after 1900.",
                "max_value": "Enter a year before 2200.",
            },
        )
        super().__init__(**kwargs)


class YearFilter(filters.NumberFilter):
    field_class = YearField


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or empty); anything else is an error rather than silently ignored."""

    widget = forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")])
    ACCEPTED = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        key = str(value).strip().lower()
        if key not in self.ACCEPTED:
            raise forms.ValidationError("Choose true or false.", code="invalid")
        return self.ACCEPTED[key]


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


class CommitmentFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Search", max_length=200)
    # A plain column: no duplicate rows to remove, so no DISTINCT over the whole list.
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, widget=forms.CheckboxSelectMultiple, label="Status", distinct=False
    )
    health = filters.ChoiceFilter(choices=Health.choices, method="filter_health", label="Health")
    theme = filters.ModelChoiceFilter(
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        label="Theme",
        widget=QuickSelect,
    )
    party = filters.ModelChoiceFilter(
        field_name="actors",
        to_field_name="slug",
        queryset=Actor.objects.all(),
        label="Party",
        widget=QuickSelect,
    )
    source = filters.ModelChoiceFilter(
        field_name="source",
        to_field_name="slug",
        queryset=Source.objects.all(),
        label="Source",
        widget=QuickSelect,
    )
    kind = filters.ChoiceFilter(choices=Kind.choices, label="Kind")
    deadline_after = YearFilter(method="filter_deadline_after", label="Deadline from (year)")
    deadline_before = YearFilter(method="filter_deadline_before", label="Deadline until (year)")
    announced_after = filters.DateFilter(
        field_name="announced_on", lookup_expr="gte", label="Announced from"
    )
    announced_before = filters.DateFilter(
        field_name="announced_on", lookup_expr="lte", label="Announced until"
    )
    has_evidence = StrictBooleanFilter(method="filter_has_evidence", label="Has evidence")
    sort = filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label="Sort by", empty_label=None
    )

    class Meta:
        model = Commitment
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, today=None):
        self.today: dt.date = today or _today()
        if queryset is None:
            queryset = Commitment.objects.all()
        super().__init__(data=data, queryset=queryset, request=request, prefix=prefix)
        self.form.fields["deadline_after"].widget.attrs.update(placeholder="e.g. 2025")
        self.form.fields["deadline_before"].widget.attrs.update(placeholder="e.g. 2035")

    # -- filter methods -------------------------------------------------------------------
    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if is_postgres():
            from django.contrib.postgres.search import SearchQuery, SearchRank

            # Every word must occur, as on SQLite; "quoted phrases", `or` and `-word`
            # work as in a web search engine. The stored document (title weighted
            # above summary and quote, migration 0004) is GIN-indexed for the match
            # and read, not recomputed, for the rank.
            query = SearchQuery(value, search_type="websearch", config="english")
            return queryset.filter(search_document=query).annotate(
                search_rank=SearchRank(F("search_document"), query)
            )
        from django.db.models import Q

        condition = Q()
        for word in value.split():
            condition &= (
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(quote__icontains=word)
            )
        return queryset.filter(condition)

    def filter_health(self, queryset, name, value):
        return queryset.with_last_activity().filter(health_q(value, self.today))

    def filter_deadline_after(self, queryset, name, value):
        return queryset.filter(deadline__gte=dt.date(int(value), 1, 1))

    def filter_deadline_before(self, queryset, name, value):
        return queryset.filter(deadline__lte=dt.date(int(value), 12, 31))

    def filter_has_evidence(self, queryset, name, value):
        has = Exists(Evidence.objects.filter(commitment=OuterRef("pk")))
        return queryset.filter(has) if value else queryset.exclude(has)

    def filter_sort(self, queryset, name, value):
        # Ordering is applied in `filter_queryset` so it also has a default.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.ordering())

    def ordering(self) -> list:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        sort = data.get("sort") or ""
        if not sort and data.get("q") and is_postgres():
            return ["-search_rank", "title", "id"]
        return SORTS.get(sort or DEFAULT_SORT)

    # -- for templates --------------------------------------------------------------------
    def active_filters(self) -> list[dict[str, str]]:
        """Each active filter value as a chip: label, value label and the URL without it."""
        from django.http import QueryDict

        if not self.is_bound:
            return []
        data = (
            self.form.cleaned_data
            if self.form.is_valid() or hasattr(self.form, "cleaned_data")
            else {}
        )
        chips = []
        for name, field in self.form.fields.items():
            if name == "sort":
                continue
            raw_values = (
                self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            )
            for raw in [v for v in raw_values if v not in (None, "")]:
                remaining = QueryDict(mutable=True)
                for key in self.data:
                    values = (
                        self.data.getlist(key)
                        if hasattr(self.data, "getlist")
                        else [self.data[key]]
                    )
                    for v in values:
                        if key == "page" or v == "" or (key == name and v == raw):
                            continue
                        remaining.appendlist(key, v)
                chips.append(
                    {
                        "name": name,
                        "label": field.label,
                        "value": _value_label(field, raw, data.get(name)),
                        "remove_query": remaining.urlencode(),
                    }
                )
        return chips


def _value_label(field, raw: str, cleaned) -> str:
    choices = dict(getattr(field, "choices", []) or [])
    if raw in choices:
        return str(choices[raw])
    if cleaned is not None and hasattr(cleaned, "__str__") and not isinstance(cleaned, list | bool):
        return str(cleaned)
    if isinstance(cleaned, bool):
        return "Yes" if cleaned else "No"
    return raw


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
