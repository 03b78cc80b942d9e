"""One FilterSet for every list of commitments: the HTML list, the exports, the API and
the dashboard tiles all use it, so a tile's number and the list it links to agree.

It selects from the register as it stood on a day (`day`, today by default; see
`CommitmentQuerySet.on`): status, health and the sorts by progress and last update read
that day's values, so a past day's dashboard and the list it links to agree too. It
only filters; how the filters look on a page is `forms.filtering`'s business.

The query parameters are a public contract: q, status (repeatable), health, theme,
party, source, kind, deadline_after, deadline_before (years), announced_after,
announced_before (dates), has_evidence (true/false), party_status (a party's own status,
or `assessed`, or `scored`: of the `party` given, or of any party), counted_status (with
`party`: its own status where one is recorded, else the commitment's, as the dashboard's
"by party" bars count), slipped (true/false: a deadline that moved later, see `deadlines`),
sort.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce

import django_filters as filters
from django import forms
from django.db import connection, models
from django.db.models import Exists, F, FloatField, Lookup, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import deadlines, health
from .choices import Health, Kind, Status
from .models import Actor, Commitment, CommitmentText, Evidence, Party, Source, Theme

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
# A past day's sorts read that day's values.
PAST_DAY_SORTS = {
    **SORTS,
    "updated": [F("activity_as_of").asc(nulls_first=True), "title"],
    "-updated": [F("activity_as_of").desc(nulls_last=True), "title"],
    "progress": [F("progress_as_of").asc(nulls_first=True), "title"],
    "-progress": [F("progress_as_of").desc(nulls_last=True), "title"],
}
SORT_CHOICES = [
    ("deadline", _("Deadline, soonest first")),
    ("-deadline", _("Deadline, latest first")),
    ("-updated", _("Last update, newest first")),
    ("updated", _("Last update, oldest first")),
    ("title", _("Title, A–Z")),
    ("-title", _("Title, Z–A")),
    ("-progress", _("Progress, highest first")),
    ("progress", _("Progress, lowest first")),
]
DEFAULT_SORT = "deadline"
PARTY_STATUS_CHOICES = [
    ("assessed", _("Assessed (any but Not yet rated)")),
    ("scored", _("Given a compliance score")),
    *Status.choices,
]

YEAR_MIN, YEAR_MAX = 1900, 2200


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter a year such as 2030."),
                "min_value": _("Enter a year after 1900."),
                "max_value": _("Enter a year before 2200."),
            },
        )
        super().__init__(**kwargs)


class YearFilter(filters.NumberFilter):
    field_class = YearField


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or empty); anything else is an error rather than silently ignored.
    A plain select hands the raw value over (NullBooleanField's own widget would read
    "maybe" as empty)."""

    widget = forms.Select

    ACCEPTED = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        key = str(value).strip().lower()
        if key not in self.ACCEPTED:
            raise forms.ValidationError(_("Choose true or false."), code="invalid")
        return self.ACCEPTED[key]


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# Shorter texts must be a whole name or short name ("UK"), not a part of one ("it").
NAME_PART_MIN = 3


def actors_named(text: str) -> list[int]:
    """The actors a search text names: its whole name or short name, or (from
    `NAME_PART_MIN` characters) a part of its name or of one of its aliases. Read first,
    in one query on the small actors table, so a search naming nobody stays a plain
    text search that the index serves."""
    named = Q(name__iexact=text) | Q(short_name__iexact=text)
    if len(text) >= NAME_PART_MIN:
        named |= Q(name__icontains=text) | Q(aliases__icontains=text)
    return list(Actor.objects.filter(named).values_list("pk", flat=True))


# Up to this many commitments found in other languages are read as a list of ids (on
# PostgreSQL one array parameter, `AnyOf`), so the count and the page look them up by
# primary key instead of matching the text again; beyond it, as a subquery.
OTHER_LANGUAGE_IDS_MAX = 5000
OTHER_LANGUAGE_IDS_MAX_POSTGRES = 50_000


@dataclass(frozen=True)
class Ids:
    """Ids for `pk__any_of`, as PostgreSQL's array text ("{1,2,3}"), written once: a list
    would be walked by Django for expressions and by psycopg for types, item by item, on
    each query that reads it (the count and the page)."""

    array: str

    @classmethod
    def of(cls, ids) -> Ids:
        return cls("{" + ",".join(str(int(pk)) for pk in ids) + "}")


@models.BigAutoField.register_lookup
class AnyOf(Lookup):
    """`pk__any_of=Ids.of([...])`: `id = ANY(%s)`, the ids as one array parameter
    (PostgreSQL), so thousands of them cost neither thousands of placeholders nor their
    planning."""

    lookup_name = "any_of"
    prepare_rhs = False  # the array, passed whole

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs.array]


def any_row(queryset) -> bool:
    """`queryset.exists()`, planned to read the rows (PostgreSQL): a `LIMIT 1` makes the
    planner bet on a sequential scan meeting a match early, which reads every row when
    there is none (a Japanese word in the English full-text index); a materialised CTE is
    planned for all its rows (the GIN index) and still stops at the first."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            # Django's own compiled SQL, its values still separate parameters.
            f"WITH found AS MATERIALIZED ({sql}) SELECT EXISTS (SELECT 1 FROM found)",  # noqa: S608
            params,
        )
        return cursor.fetchone()[0]


def _every_word(text: str) -> Q:
    condition = Q()
    for word in text.split():
        condition &= Q(title__icontains=word) | Q(summary__icontains=word)
    return condition


def other_language_matches(text: str):
    """The ids of commitments holding every word of `text`, anywhere, in one translation's
    title or summary, or in their own when their original is not English (English words
    are the full-text search's): Japanese has no spaces, so "次期戦闘機" is found inside a
    longer title. On PostgreSQL GIN trigram indexes answer each `UPPER(…) LIKE '%WORD%'`
    (migration 0015: the translations', and the originals' not in English; a word of one
    or two characters has no trigram and is checked against every row: slower, the same
    answer); SQLite reads them with LIKE."""
    condition = _every_word(text)
    translations = CommitmentText.objects.order_by().filter(condition)
    originals = Commitment.objects.order_by().exclude(language="en").filter(condition)
    return translations.values_list("commitment_id", flat=True).union(
        originals.values_list("pk", flat=True)
    )


def found_in_other_languages(text: str) -> Q:
    """The commitments `other_language_matches` finds, as a condition: their ids, read
    first in one query, or, when there are more than `OTHER_LANGUAGE_IDS_MAX`, a subquery.
    Empty (Q()) when none is found, so an English search stays the plain full-text search
    its index serves."""
    matches = other_language_matches(text)
    most = OTHER_LANGUAGE_IDS_MAX_POSTGRES if is_postgres() else OTHER_LANGUAGE_IDS_MAX
    ids = set(matches[: most + 1])
    if len(ids) > most:
        return Q(pk__in=matches)
    if not ids:
        return Q()
    return Q(pk__any_of=Ids.of(sorted(ids))) if is_postgres() else Q(pk__in=sorted(ids))


class CommitmentFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    # A plain column today: no duplicate rows to remove, so no DISTINCT over the list.
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, label=_("Status"), method="filter_status", distinct=False
    )
    health = filters.ChoiceFilter(choices=Health.choices, method="filter_health", label=_("Health"))
    theme = filters.ModelChoiceFilter(
        field_name="themes", to_field_name="slug", queryset=Theme.objects.all(), label=_("Theme")
    )
    party = filters.ModelChoiceFilter(
        field_name="actors", to_field_name="slug", queryset=Actor.objects.all(), label=_("Party")
    )
    source = filters.ModelChoiceFilter(
        field_name="source", to_field_name="slug", queryset=Source.objects.all(), label=_("Source")
    )
    kind = filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    deadline_after = YearFilter(method="filter_deadline_after", label=_("Deadline from (year)"))
    deadline_before = YearFilter(method="filter_deadline_before", label=_("Deadline until (year)"))
    announced_after = filters.DateFilter(
        field_name="announced_on", lookup_expr="gte", label=_("Announced from")
    )
    announced_before = filters.DateFilter(
        field_name="announced_on", lookup_expr="lte", label=_("Announced until")
    )
    has_evidence = StrictBooleanFilter(method="filter_has_evidence", label=_("Has evidence"))
    party_status = filters.ChoiceFilter(
        choices=PARTY_STATUS_CHOICES, method="filter_party_status", label=_("Party's own status")
    )
    counted_status = filters.ChoiceFilter(
        choices=Status.choices,
        method="filter_counted_status",
        label=_("Status counted for the party"),
    )
    slipped = StrictBooleanFilter(method="filter_slipped", label=_("Deadline slipped"))
    sort = filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Commitment
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, day=None):
        self.day: dt.date = day or timezone.localdate()
        self.is_today = self.day == timezone.localdate()
        if queryset is None:
            queryset = Commitment.objects.all()
        super().__init__(data=data, queryset=queryset.on(self.day), request=request, prefix=prefix)

    # -- filter methods -------------------------------------------------------------------
    def filter_q(self, queryset, name, value):
        """Every word in the title, summary or quote; or every word in one translation's
        title or summary, or in a non-English original's (`found_in_other_languages`); or
        the whole text naming a party
        (`actors_named`): "Japan" or its alias "Nippon" finds Japan's commitments."""
        value = value.strip()
        if not value:
            return queryset
        translated = found_in_other_languages(value)
        also = translated
        actors = actors_named(value)
        if actors:
            also |= Q(pk__in=Party.objects.filter(actor_id__in=actors).values("commitment_id"))
        if is_postgres():
            from django.contrib.postgres.search import SearchQuery, SearchRank

            # Every word must occur, as on SQLite; "quoted phrases", `or` and `-word`
            # work as in a web search engine. The stored document (title weighted
            # above summary and quote, migration 0004) is GIN-indexed for the match
            # and read, not recomputed, for the rank; a commitment found only by a
            # translation ranks after those found by their own words.
            query = SearchQuery(value, search_type="websearch", config="english")
            matched = Q(search_document=query)
            if translated and not any_row(Commitment.objects.filter(matched)):
                # Found by translations only ("次期戦闘機"): read by id, with nothing to
                # rank, rather than testing every commitment's document for no match.
                return queryset.filter(also).annotate(
                    search_rank=Value(0.0, output_field=FloatField())
                )
            return queryset.filter(matched | also if also else matched).annotate(
                search_rank=SearchRank(F("search_document"), query)
            )
        condition = Q()
        for word in value.split():
            condition &= (
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(quote__icontains=word)
            )
        return queryset.filter(condition | also if also else condition)

    def filter_status(self, queryset, name, value):
        # One equality per status, ORed, as django-filter writes a multiple choice:
        # PostgreSQL combines the status index's bitmaps for them, where for an IN list
        # it read the whole table once updates had left free space in it (status+theme
        # at N=100,000: 25 ms against 91 ms).
        if not value:
            return queryset
        return queryset.filter(reduce(operator.or_, (Q(status_as_of=key) for key in value)))

    def filter_health(self, queryset, name, value):
        return queryset.filter(health.condition(value, self.day))

    def filter_deadline_after(self, queryset, name, value):
        return queryset.filter(deadline__gte=dt.date(int(value), 1, 1))

    def filter_deadline_before(self, queryset, name, value):
        return queryset.filter(deadline__lte=dt.date(int(value), 12, 31))

    def filter_has_evidence(self, queryset, name, value):
        has = Exists(Evidence.commitments.through.objects.filter(commitment=OuterRef("pk")))
        return queryset.filter(has) if value else queryset.exclude(has)

    def filter_party_status(self, queryset, name, value):
        """Commitments on which the party (`party`, or any party) has its own status
        `value`; `assessed`: any but Not yet rated; `scored`: a compliance score."""
        parties = Party.objects.all()
        actor = self.form.cleaned_data.get("party")
        if actor is not None:
            parties = parties.filter(actor=actor)
        if value == "assessed":
            parties = parties.exclude(status=Status.NOT_RATED)
        elif value == "scored":
            parties = parties.filter(score__isnull=False)
        else:
            parties = parties.filter(status=value)
        return queryset.filter(pk__in=parties.values("commitment_id"))

    def filter_counted_status(self, queryset, name, value):
        """With `party`: commitments on which that party's own status is `value`, or,
        where it has none recorded, the commitment's status is. Without: the status."""
        actor = self.form.cleaned_data.get("party")
        if actor is None:
            return queryset.filter(status_as_of=value)
        assessed = Party.objects.filter(actor=actor, last_assessed_at__isnull=False)
        return queryset.filter(
            Q(pk__in=assessed.filter(status=value).values("commitment_id"))
            | (Q(status_as_of=value) & ~Q(pk__in=assessed.values("commitment_id")))
        )

    def filter_slipped(self, queryset, name, value):
        """Whose deadline slipped (`deadlines.SLIP`) by the end of the day shown."""
        slipped = deadlines.slipped_by(self.day)
        return queryset.filter(slipped) if value else queryset.exclude(slipped)

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
        sorts = SORTS if self.is_today else PAST_DAY_SORTS
        return sorts[sort or DEFAULT_SORT]
