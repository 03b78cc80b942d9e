"""Intent-named queries over the register.

`CommitmentQuerySet.on(day)` is the register as it stood at the end of a day. Every
commitment gets three annotations that lists, dashboards, the API and exports read
instead of the stored fields:

- `status_as_of`: the status of its latest non-corrected update effective on or
  before that day (Not yet rated without one);
- `progress_as_of`: that update's progress;
- `activity_as_of`: when its latest update was recorded by the end of that day, or
  when it was created (the list's sort by last update reads it);
- `stale_as_of`: that activity came before health's stale window (`health.stale_before`);
- `has_late_milestone`: a milestone was due before that day and not done by then.

For today the stored fields already hold the answer (the status service keeps them
equal to the latest update), so the same names are read from them and cost nothing.
For a past day, status and progress come from the status periods (`StatusPeriod`, kept
by the status service from the history: one join on the period covering that day, so
the history is not scanned), the last activity from the history, and commitments
announced later are left out. Whether a past day's activity was stale is asked without
reading each commitment's latest update: it was unless an update was recorded within the
window, and either the commitment was created before the window or it had an update
earlier, which `activity_as_of < window` comes to, row for row. Health (`commitments.health`) is stated over these
names, so one condition serves today and any past day.

The querysets reach related models through their own relations, so this module
imports no model and `models.py` can import it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import health
from .choices import Status
from .dates import end_of_day

# The annotations `on()` adds; their presence tells that a queryset already has them.
AS_OF_NAMES = ("status_as_of", "progress_as_of", "activity_as_of")


def _related(queryset: models.QuerySet, name: str):
    """The model at the other end of one of the queryset model's relations."""
    return queryset.model._meta.get_field(name).related_model


def _recorded_by(queryset: models.QuerySet, day: dt.date) -> models.QuerySet:
    """When each commitment's latest update was recorded by the end of `day`."""
    return (
        _related(queryset, "updates")
        .objects.filter(commitment=OuterRef("pk"), recorded_at__lt=end_of_day(day))
        .order_by()
        .values("commitment")
        .annotate(latest=Max("recorded_at"))
        .values("latest")
    )


class CommitmentQuerySet(models.QuerySet):
    def on(self, day: dt.date) -> CommitmentQuerySet:
        """The register at the end of `day`: see the module's description."""
        if "status_as_of" in self.query.annotations:
            return self
        window = health.stale_before(day)
        if day == timezone.localdate():
            return self.annotate(
                status_as_of=F("status"),
                progress_as_of=F("progress"),
                activity_as_of=Coalesce(
                    "last_update_at", "created_at", output_field=DateTimeField()
                ),
                stale_as_of=ExpressionWrapper(
                    Q(activity_as_of__lt=window), output_field=BooleanField()
                ),
                has_late_milestone=health.late_milestone_today(day),
            )
        # EXISTS, not IN: the database hashes the ids when they fit in its memory and
        # otherwise looks each commitment up in the history's index, where a NOT IN
        # would scan the whole set once per commitment.
        updates = _related(self, "updates").objects.filter(commitment=OuterRef("pk"))
        recent = updates.filter(recorded_at__gte=window, recorded_at__lt=end_of_day(day))
        earlier = updates.filter(recorded_at__lt=window)
        return self.announced_by(day).annotate(
            period_on_day=FilteredRelation(
                "status_periods",
                condition=Q(status_periods__valid_from__lte=day)
                & (Q(status_periods__valid_to__gt=day) | Q(status_periods__valid_to__isnull=True)),
            ),
            status_as_of=Coalesce(
                F("period_on_day__status"),
                Value(Status.NOT_RATED.value),
                output_field=CharField(),
            ),
            progress_as_of=F("period_on_day__progress"),
            activity_as_of=Coalesce(
                Subquery(_recorded_by(self, day), output_field=DateTimeField()),
                F("created_at"),
                output_field=DateTimeField(),
            ),
            stale_as_of=ExpressionWrapper(
                ~Exists(recent) & (Q(created_at__lt=window) | Exists(earlier)),
                output_field=BooleanField(),
            ),
            has_late_milestone=health.late_milestone(day),
        )

    def announced_by(self, day: dt.date) -> CommitmentQuerySet:
        """The commitments on the register at the end of a past `day` (`on`'s rows,
        without their status of the day)."""
        return self.exclude(announced_on__gt=day)

    def with_health(self, day: dt.date) -> CommitmentQuerySet:
        """`on(day)` with each row's `health` key on that day."""
        return self.on(day).annotate(health=health.case(day))

    def in_health(self, key: str, day: dt.date) -> CommitmentQuerySet:
        """The commitments whose health on `day` is `key`."""
        return self.on(day).filter(health.condition(key, day))

    def for_list(self, day: dt.date) -> CommitmentQuerySet:
        """What a row in any list shows: source, parties with actors, themes, and
        status, progress, health and last update (`last_update_as_of`) on `day`."""
        party = _related(self, "parties")
        if day == timezone.localdate():
            last_update = F("last_update_at")
        else:
            last_update = Subquery(_recorded_by(self, day), output_field=DateTimeField())
        return (
            self.with_health(day)
            .annotate(last_update_as_of=last_update)
            .select_related("source", "parent")
            .prefetch_related(
                Prefetch("parties", queryset=party.objects.select_related("actor")),
                "themes",
            )
        )

    def in_language(
        self, language: str, parts: tuple[str, ...] = ("title", "summary")
    ) -> CommitmentQuerySet:
        """Each row's translation into `language`, if one is recorded, as `text_<part>`
        for each of `parts` (title, summary, quote, translated_by; `text_language` says
        which was asked for): read in the same query, through the translations' unique
        index, so a list costs no query more. `Commitment.shown_title` and its siblings
        read them."""
        texts = _related(self, "translations").objects.filter(
            commitment=OuterRef("pk"), language=language
        )
        return self.annotate(
            text_language=Value(language, output_field=CharField()),
            **{
                f"text_{name}": Subquery(texts.values(name)[:1], output_field=CharField())
                for name in parts
            },
        )

    def status_counts(self) -> dict[str, int]:
        """Count of commitments per current status, every key present; one query."""
        aggregates = {str(key): Count("pk", filter=Q(status=key)) for key in Status.values}
        row = self.aggregate(**aggregates)
        return {key: row[key] for key in Status.values}


class HistoryQuerySet(models.QuerySet):
    """What every append-only history (a commitment's updates, a party's assessments)
    is asked: newest first, corrected entries left out, the entry in effect on a day."""

    def newest_first(self):
        return self.order_by("-effective_on", "-recorded_at", "-id")

    def not_corrected(self):
        return self.filter(corrected_by__isnull=True)

    def in_effect_on(self, day: dt.date):
        """The non-corrected updates effective by `day`, the one in effect first."""
        return self.filter(effective_on__lte=day).not_corrected().newest_first()

    def recorded_newest_first(self):
        return self.order_by("-recorded_at", "-id")


class StatusUpdateQuerySet(HistoryQuerySet):
    def last_recorded_for(self, commitment):
        """A commitment's updates, the one recorded last first (ids grow as they are
        recorded): what an analyst saw, for detecting a conflicting save."""
        return self.filter(commitment=commitment).order_by("-id")


class PartyAssessmentQuerySet(HistoryQuerySet):
    def last_recorded_for(self, party):
        """A party's assessments, the one recorded last first: what an analyst saw."""
        return self.filter(party=party).order_by("-id")
