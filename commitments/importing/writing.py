"""Writing the planned rows: commitments with their parties and themes, and every
status, milestone, evidence item and history entry through the services.

A row that sets or changes a status records a status update through
`services.record_status_update`, so the same rules hold as for an analyst: it is
dated from the data (the row's `effective` column, `--effective`, the mapping's
default, or else its source's date; never the day of the import) and backed by an
evidence item that names where it came from: the source's title and link, the file
and line, and the dataset's own words for the rating. A row with no source cannot
say where its status came from, and is refused.

The dataset's own rating (the words the mapping's `status` turned into ours, and the
column they came from) is kept on the entry; a row whose rating, status and progress are
those already in effect on its date adds no entry, so a series imported year after year
has one entry per rating change, and importing a year again changes nothing.

A row whose data is older than the data the commitment's fields come from
(`Commitment.data_as_of`, from the rows' effective dates) adds to the history only: its
rating lands in the past, and its title, deadline, parties and the rest stay as the newer
data gives them. A mapping's `series` is kept on each commitment, with every title it is
imported under (`SeriesTitle`), for matching the series' next files.

Each row is written in its own savepoint, so a row the services refuse leaves
nothing behind; rows without a status or nested lists are created in bulk.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from .. import dates, services
from ..choices import ActorKind, Compliance, DeadlineChangeReason, SourceKind, Status, status_label
from ..dates import period_start
from ..models import (
    Actor,
    Commitment,
    Evidence,
    Party,
    SeriesTitle,
    Source,
    StatusUpdate,
    Theme,
)
from ..services import EXCERPT_MAX, NewEvidence
from ..services.assessments import record_party_assessment
from ..services.status import in_effect_on, same_rating
from ..services.timing import earliest_allowed
from .mapping import Mapping
from .report import CloseName, ImportResult, Outcome
from .rows import RowPlan, SourceRef
from .similar import Register
from .slugs import Slugs

logger = logging.getLogger(__name__)

CHUNK = 500
# The deadline fields a row's deadline column sets; they move only through the service.
DEADLINE = ("deadline", "deadline_precision")
# The deadline service's keys, and the columns a rejection names.
DEADLINE_COLUMN_OF = {"reason": "deadline_change_reason", "note": "deadline_change_note"}
TITLE_MAX = Evidence._meta.get_field("title").max_length

# The service's keys, and the columns a rejection names.
COLUMN_OF = {
    "status": "status",
    "progress": "progress",
    "effective_on": "effective",
    "effective_precision": "effective",
    "evidence": "source",
    "new_evidence": "source",
    "rationale": "status",
    "claimed_at": "recorded_at",
}


DATABASE_REFUSED = gettext_lazy(
    "the database refused a value of this row that the import's checks let through; "
    "nothing of it was written (the details are in the log)"
)


class RowRejected(Exception):
    """The services refused part of a row: its savepoint is rolled back."""


class Writer:
    def __init__(
        self,
        *,
        result: ImportResult,
        mapping: Mapping,
        by,
        now: dt.datetime,
        place: str,
    ):
        self.result = result
        self.mapping = mapping
        self.by = by
        self.now = now
        self.today = timezone.localdate()
        self.place = place  # "line" for CSV, "record" for JSON, "column" if transposed
        self.written: dict[int, int] = {}  # id(plan) -> its commitment's pk

    # -- entry point --------------------------------------------------------------------------
    def write(self, plans: list[RowPlan], bar) -> None:
        """Write one chunk of valid rows, and link those whose parent is known."""
        if not hasattr(self, "actors"):
            self._load_lookups()
        self.written = {}
        in_bulk = [p for p in plans if p.existing is None and not self._has_events(p)]
        self._create_in_bulk(in_bulk, bar)
        bulk_ids = {id(p) for p in in_bulk}
        for plan in plans:
            if id(plan) in bulk_ids:
                continue
            self._write_row(plan)
            bar.update(1)
        self.link_parents(plans)
        self._keep_series_titles(plans)

    def _keep_series_titles(self, plans: list[RowPlan]) -> None:
        """Every title the series' commitments are imported under, for its next files."""
        series = self.mapping.series
        if not series:
            return
        titles = {}
        for plan in plans:
            pk = self.written.get(id(plan))
            if pk is not None:
                for key in filter(None, plan.series_keys):
                    titles.setdefault(key, pk)
        SeriesTitle.objects.bulk_create(
            [SeriesTitle(series=series, key=key, commitment_id=pk) for key, pk in titles.items()],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )

    def _has_events(self, plan: RowPlan) -> bool:
        """Whether the row writes anything through the services."""
        if plan.party_assessments:
            return True
        if plan.milestones or plan.evidence or plan.history:
            return True
        if plan.history is not None:
            return False
        status = plan.status or Status.NOT_RATED
        progress = plan.progress if plan.progress_given else None
        return status != Status.NOT_RATED or progress is not None

    # -- lookups ------------------------------------------------------------------------------
    def _load_lookups(self) -> None:
        self.actors: dict[str, Actor] = {}
        actors = list(Actor.objects.all())
        for actor in actors:
            for key in (actor.name, actor.short_name, actor.slug):
                if key:
                    self.actors.setdefault(key.casefold(), actor)
        for actor in actors:  # an alias names an actor when no actor has it as its name
            for key in actor.alias_list:
                self.actors.setdefault(key.casefold(), actor)
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            self.themes.setdefault(theme.name.casefold(), theme)
            self.themes.setdefault(theme.slug, theme)
        self.sources: dict[tuple[str, str], Source] = {}
        self.source_slugs = Slugs(Source)
        for source in Source.objects.all():
            self.sources.setdefault((source.title.casefold(), source.url), source)
            self.sources.setdefault((source.title.casefold(), ""), source)
        # What exists before the import, to name the close ones before creating another.
        self.registers = {
            "parties": Register(
                name for actor in dict.fromkeys(self.actors.values()) for name in actor.all_names
            ),
            "themes": Register(t.name for t in dict.fromkeys(self.themes.values())),
            "source": Register(s.title for s in dict.fromkeys(self.sources.values())),
        }

    def _actor(self, name: str) -> Actor:
        actor = self.actors.get(name.casefold())
        if actor is None:
            actor = Actor.objects.create(name=name, kind=ActorKind.GOVERNMENT)
            self.actors[name.casefold()] = actor
            self.result.new_actors.append(name)
            self._close("parties", name)
        return actor

    def _theme(self, name: str) -> Theme:
        theme = self.themes.get(name.casefold())
        if theme is None:
            theme = Theme.objects.create(name=name)
            self.themes[name.casefold()] = theme
            self.result.new_themes.append(name)
            self._close("themes", name)
        return theme

    def _source(self, ref: SourceRef) -> Source:
        source = self.sources.get(ref.key)
        if source is None:
            source = Source.objects.create(
                title=ref.title,
                date=ref.date,
                url=ref.url,
                # The row's or the mapping's kind; a free slug without a query per candidate.
                kind=ref.kind or SourceKind.JOINT_STATEMENT,
                publisher=ref.publisher,
                slug=self.source_slugs.free(ref.title),
            )
            self.sources[ref.key] = source
            self.sources.setdefault((ref.title.casefold(), ""), source)
            self.result.new_sources.append(ref.title)
            self._close("source", ref.title)
        return source

    def _close(self, column: str, name: str) -> None:
        close = self.registers[column].close_to(name)
        if close:
            self.result.close_names.append(CloseName(column, name, close))

    def _resolve_references(self, plan: RowPlan) -> None:
        """Actors, themes and the source, outside the row's savepoint: they stay known to
        later rows whatever happens to this one."""
        for name, _role in plan.parties or []:
            self._actor(name)
        for name in plan.themes or []:
            self._theme(name)
        if plan.source:
            self._source(plan.source)

    # -- commitments --------------------------------------------------------------------------
    def _create_in_bulk(self, plans: list[RowPlan], bar) -> None:
        """New commitments without a status or nested lists: a few queries for all."""
        for plan in plans:
            self._resolve_references(plan)
        objects = [(plan, self._new_commitment(plan)) for plan in plans]
        Commitment.objects.bulk_create([c for _key, c in objects], batch_size=CHUNK)
        parties, theme_links = [], []
        through = Commitment.themes.through
        for plan, commitment in objects:
            parties.extend(self._parties(plan, commitment))
            for theme_id in {self._theme(name).pk for name in plan.themes or []}:
                theme_links.append(through(commitment_id=commitment.pk, theme_id=theme_id))
            plan.outcome = Outcome(plan.line, commitment.slug, commitment.title)
            self.written[id(plan)] = commitment.pk
            self.result.created.append(plan.outcome)
            bar.update(1)
        Party.objects.bulk_create(parties, batch_size=CHUNK)
        through.objects.bulk_create(theme_links, batch_size=CHUNK)

    def _new_commitment(self, plan: RowPlan) -> Commitment:
        commitment = Commitment(
            slug=plan.slug,
            external_id=plan.external_id,
            created_at=self.now,
            notes="\n".join(plan.notes),
            series=self.mapping.series,
            data_as_of=self._data_date(plan),
            **plan.fields,
        )
        if plan.source:
            commitment.source_id = self._source(plan.source).pk
        return commitment

    def _parties(self, plan: RowPlan, commitment: Commitment) -> list[Party]:
        return [
            Party(commitment_id=commitment.pk, actor_id=self._actor(name).pk, role=role)
            for name, role in plan.parties or []
        ]

    def _write_row(self, plan: RowPlan) -> None:
        self._resolve_references(plan)
        try:
            with transaction.atomic():
                if plan.existing is None:
                    outcome, created = self._create(plan), True
                else:
                    outcome, created = self._update(plan), False
        except RowRejected:
            self.written.pop(id(plan), None)  # nothing of it stays, its title neither
            for column, reason in plan.errors:
                self.result.reject(plan.line, column, reason, plan.title)
            return
        except (IntegrityError, DataError):
            # The row's checks are the models' own, so this is a gap in them: the row is
            # refused, the rest of the file goes on, and the details go to the log.
            logger.exception("%s: the database refused row %s", self.result.name, plan.line)
            self.written.pop(id(plan), None)
            self.result.reject(plan.line, "", str(DATABASE_REFUSED), plan.title)
            return
        plan.outcome = outcome
        if created:
            self.result.created.append(outcome)
        else:
            (self.result.updated if outcome.changes else self.result.unchanged).append(outcome)

    def _create(self, plan: RowPlan) -> Outcome:
        commitment = self._new_commitment(plan)
        commitment.save()
        Party.objects.bulk_create(self._parties(plan, commitment))
        commitment.themes.set({self._theme(name).pk for name in plan.themes or []})
        self._status(plan, commitment, created=True)
        self._party_assessments(plan, commitment)
        self._nested(plan, commitment)
        self.written[id(plan)] = commitment.pk
        return Outcome(plan.line, commitment.slug, commitment.title)

    @staticmethod
    def _data_date(plan: RowPlan) -> dt.date | None:
        """The date of the row's data: the first day of its effective period."""
        if plan.effective is None:
            return None
        day, precision = plan.effective
        return period_start(day, precision or "day")

    def _older(self, plan: RowPlan, commitment: Commitment) -> bool:
        """Whether the row's data is older than the data the commitment's fields hold."""
        day = self._data_date(plan)
        return (
            day is not None and commitment.data_as_of is not None and (day < commitment.data_as_of)
        )

    def _update(self, plan: RowPlan) -> Outcome:
        commitment = plan.existing
        self.written[id(plan)] = commitment.pk
        if self._older(plan, commitment):
            return self._add_past(plan, commitment)
        changes = []
        day = self._data_date(plan)
        if day is not None and commitment.data_as_of != day:
            commitment.data_as_of = day
            changes.append("data_as_of")
        if self.mapping.series and commitment.series != self.mapping.series:
            commitment.series = self.mapping.series
            changes.append("series")
        for name, value in plan.fields.items():
            if name in DEADLINE and name != "deadline":
                continue
            if name == "deadline":
                changes.extend(self._deadline(plan, commitment))
            elif getattr(commitment, name) != value:
                setattr(commitment, name, value)
                changes.append(name)
        if plan.external_id and commitment.external_id != plan.external_id:
            commitment.external_id = plan.external_id
            changes.append("external_id")
        if plan.slug and commitment.slug != plan.slug:
            commitment.slug = plan.slug
            changes.append("slug")
        missing = [line for line in plan.notes if line not in commitment.notes.splitlines()]
        if missing:
            commitment.notes = "\n".join(filter(None, [commitment.notes, *missing]))
            changes.append("notes")
        # A series' commitment keeps the file that first brought it as its source.
        if plan.source_given and not (self.mapping.series and commitment.source_id):
            source = self._source(plan.source) if plan.source else None
            if commitment.source_id != (source.pk if source else None):
                commitment.source = source
                changes.append("source")
        if changes:
            commitment.save(update_fields=[*changes, "updated_at"])
        if plan.themes is not None:
            wanted = {self._theme(name).pk for name in plan.themes}
            if wanted != {t.pk for t in commitment.themes.all()}:
                commitment.themes.set(wanted)
                changes.append("themes")
        if plan.parties is not None:
            wanted = {self._actor(name).pk: role for name, role in plan.parties}
            current = {p.actor_id: p.role for p in commitment.parties.all()}
            if wanted != current:
                Party.objects.filter(commitment=commitment).exclude(actor_id__in=wanted).delete()
                for actor_id, role in wanted.items():
                    Party.objects.update_or_create(
                        commitment=commitment, actor_id=actor_id, defaults={"role": role}
                    )
                changes.append("parties")
        if self._status(plan, commitment, created=False):
            changes.append("status")
        if self._party_assessments(plan, commitment):
            changes.append("party_assessments")
        changes.extend(self._nested(plan, commitment))
        if changes:
            Commitment.objects.filter(pk=commitment.pk).update(updated_at=self.now)
        # Where the data moves on, that is not a change of the commitment to report.
        changes = [name for name in changes if name != "data_as_of"]
        return Outcome(plan.line, commitment.slug, commitment.title, changes)

    def _add_past(self, plan: RowPlan, commitment: Commitment) -> Outcome:
        """A row of older data: its rating joins the commitment's past (dated by the data),
        and it gives only what the newer data left without a value (an id, an announcement,
        a deadline withheld since), so the years in any order end the same."""
        changes = []
        if plan.external_id and not commitment.external_id:
            commitment.external_id = plan.external_id
            changes.append("external_id")
        if commitment.announced_on is None and plan.fields.get("announced_on"):
            for name in ("announced_on", "announced_precision"):
                setattr(commitment, name, plan.fields.get(name))
                changes.append(name)
        source = self._source(plan.source) if plan.source else None
        earlier = source is not None and (
            commitment.source is None
            or bool(source.date and commitment.source.date and source.date < commitment.source.date)
        )
        if self.mapping.series and earlier:
            # The series' earlier file is where the commitment comes from.
            commitment.source = source
            changes.append("source")
        if changes:
            commitment.save(update_fields=[*changes, "updated_at"])
        if commitment.deadline is None and plan.fields.get("deadline"):
            changes.extend(self._deadline(plan, commitment))
        if self._status(plan, commitment, created=False):
            changes.append("status")
        if changes:
            Commitment.objects.filter(pk=commitment.pk).update(updated_at=self.now)
        return Outcome(plan.line, commitment.slug, commitment.title, changes)

    def _deadline(self, plan: RowPlan, commitment: Commitment) -> list[str]:
        """Move the deadline through the deadline service when the row moves it (it
        needs the row's `deadline_change_reason` when there was one); the fields it
        changed."""
        deadline = plan.fields.get("deadline")
        precision = plan.fields.get("deadline_precision") or ""
        before = (commitment.deadline, commitment.deadline_precision or "")
        changed = [
            name
            for name, old, new in zip(DEADLINE, before, (deadline, precision), strict=True)
            if old != new
        ]
        if not changed:
            return []
        if commitment.deadline is not None and not plan.deadline_change_reason:
            self._refuse(
                plan,
                "deadline_change_reason",
                _(
                    "is needed: this row moves the deadline from %(before)s to %(after)s; "
                    "give a reason key (%(keys)s)"
                )
                % {
                    "before": commitment.deadline_display,
                    "after": dates.format_deadline(deadline, precision),
                    "keys": ", ".join(DeadlineChangeReason.values),
                },
            )
        try:
            services.change_deadline(
                commitment=commitment,
                deadline=deadline,
                precision=precision,
                reason=plan.deadline_change_reason,
                note=plan.deadline_change_note,
                by=self.by,
            )
        except ValidationError as error:
            for key, messages in _messages(error):
                for message in messages:
                    plan.error(DEADLINE_COLUMN_OF.get(key, "deadline"), message)
            raise RowRejected from error
        return changed

    def link_parents(self, plans: Iterable[RowPlan]) -> None:
        plans = [p for p in plans if p.parent is not None and p.outcome is not None]
        wanted = {p.parent for p in plans if p.parent}
        ids = dict(Commitment.objects.filter(slug__in=wanted).values_list("slug", "pk"))
        new_children: dict[int, list[str]] = {}
        for plan in plans:
            parent_id = ids.get(plan.parent) if plan.parent else None
            if plan.existing is None:
                if parent_id is not None:
                    new_children.setdefault(parent_id, []).append(plan.slug)
                continue
            if plan.existing.parent_id == parent_id:
                continue
            Commitment.objects.filter(pk=plan.existing.pk).update(
                parent_id=parent_id, updated_at=self.now
            )
            if not plan.outcome.changes:
                self.result.unchanged.discard(plan.outcome)
                self.result.updated.append(plan.outcome)
            plan.outcome.changes.append("parent")
        for parent_id, slugs in new_children.items():
            for start in range(0, len(slugs), CHUNK):
                Commitment.objects.filter(slug__in=slugs[start : start + CHUNK]).update(
                    parent_id=parent_id
                )

    # -- the row's status, through the service ------------------------------------------------
    def _status(self, plan: RowPlan, commitment: Commitment, *, created: bool) -> bool:
        """Record the row's status and progress as an evidenced update; True when one
        was recorded, False when the row changes nothing."""
        if plan.history is not None or (plan.status is None and plan.progress is None):
            # Empty status and progress cells say nothing about the status: an empty
            # progress clears the progress only on a row that gives a status.
            return False
        status = plan.status or commitment.status
        if plan.progress_given:
            progress = plan.progress
        else:
            progress = None if created else commitment.progress
        rating_column, rating = plan.rating or ("", "")
        dated = self._data_date(plan)
        unrated = status == Status.NOT_RATED and progress is None
        if unrated and (created or commitment.status == Status.NOT_RATED):
            return False  # nothing to say and nothing to evidence
        if plan.rating and dated is not None and not created:
            # A dataset's rating is compared with what held on its date, not today: an
            # older row joins the past.
            held = in_effect_on(commitment, dated)
            same = held is not None and (held.status, held.progress) == (status, progress)
            if same and same_rating(held, rating, rating_column):
                return False  # the rating in effect then, already recorded
        source = plan.source
        if source is None:
            self._refuse(
                plan,
                "source",
                _(
                    "sets a status but names no source, so its evidence could not say where it "
                    "came from: add a source column, or a default source in the mapping"
                ),
            )
        if plan.effective is not None:
            day, precision = plan.effective
        elif source.date is not None:
            day, precision = source.date, source.precision or "day"
            day = period_start(day, precision)
        else:
            self._refuse(
                plan,
                "effective",
                _(
                    "sets a status but gives no date for it: add an effective column, give the "
                    "file's date with --effective or in the mapping's defaults, or give the "
                    "source a date"
                ),
            )
        try:
            services.record_status_update(
                commitment=commitment,
                status=status,
                progress=progress,
                effective_on=day,
                effective_precision=precision,
                rationale=self._rationale(plan, source, status, commitment),
                new_evidence=[self._evidence(plan, source)],
                by=self.by,
                behind_latest=True,
                source_rating=rating,
                source_rating_column=rating_column,
            )
        except ValidationError as error:
            if _only_no_change(error):
                return False
            self._name_the_announcement(plan, commitment, error, day, precision)
            self._refuse_all(plan, error)
        self.result.statuses += 1
        return True

    def _name_the_announcement(self, plan, commitment, error, day, precision) -> None:
        """A status the service refused for preceding the announcement: the row's dates
        contradict each other, so the announcement is named too, with the file's column."""
        messages = getattr(error, "error_dict", {}) and error.message_dict.get("effective_on", [])
        if not commitment.announced_on or not messages:
            return
        _, reason = earliest_allowed(commitment, self.today)
        if any(reason in message for message in messages):
            plan.error(
                "announced",
                gettext(
                    "is %(announced)s, after the date of the row's status (%(day)s): a "
                    "commitment cannot have a status before it was announced, so one of the "
                    "two dates is wrong"
                )
                % {
                    "announced": commitment.announced_display,
                    "day": dates.format_period(day, precision or "day"),
                },
            )

    # -- each party's own status and score, through the service -----------------------------
    def _party_assessments(self, plan: RowPlan, commitment: Commitment) -> bool:
        """Record each party's status and score the row gives as an evidenced assessment
        (`services.assessments`), dated and sourced as the row's status is; True when one
        was recorded, False when every party already stands so."""
        if not plan.party_assessments:
            return False
        parties = {
            party.actor_id: party
            for party in Party.objects.filter(commitment=commitment).select_related("actor")
        }
        recorded = False
        for name, (status, score, since) in plan.party_assessments.items():
            actor = self.actors.get(name.casefold())
            party = parties.get(actor.pk) if actor is not None else None
            if party is None:
                self._refuse(
                    plan,
                    "party_statuses",
                    _("%(name)s is not a party of this commitment") % {"name": name},
                )
            if (party.status, party.score) == (status, score):
                continue
            source, day, precision = self._party_dating(plan, since)
            where = self._where(plan)
            score_text = f", score {Compliance(score).label}" if score is not None else ""
            evidence = self._evidence(plan, source)
            if not evidence.excerpt:
                evidence = replace(evidence, excerpt=self._party_words(plan)[:EXCERPT_MAX])
            try:
                record_party_assessment(
                    commitment=commitment,
                    actor=party,
                    status=status,
                    score=score,
                    effective_on=day,
                    effective_precision=precision,
                    rationale=(
                        f"{name}: {_stored_label(status, commitment.kind)}{score_text}, as given "
                        f"in {source.title} ({where})."
                    ),
                    new_evidence=[evidence],
                    by=self.by,
                    behind_latest=True,
                )
            except ValidationError as error:
                if _only_no_change(error):
                    continue
                self._refuse_all(plan, error, prefix="party_scores")
            recorded = True
        return recorded

    def _party_dating(self, plan: RowPlan, since) -> tuple[SourceRef, dt.date, str]:
        """The source and the date of a party's assessment: the date its status gives
        (`since`), else as for the row's status."""
        source = plan.source
        if source is None:
            self._refuse(
                plan,
                "party_scores",
                _(
                    "assesses parties but names no source, so the evidence could not say where "
                    "it came from: add a source column, or a default source in the mapping"
                ),
            )
        if since is not None:
            return source, *since
        if plan.effective is not None:
            return source, *plan.effective
        if source.date is not None:
            precision = source.precision or "day"
            return source, period_start(source.date, precision), precision
        self._refuse(
            plan,
            "effective",
            _(
                "assesses parties but gives no date for it: add an effective column, give the "
                "file's date with --effective or in the mapping's defaults, or give the source "
                "a date"
            ),
        )

    @staticmethod
    def _party_words(plan: RowPlan) -> str:
        """The file's words for each party, quoted in the evidence."""
        parts = []
        for name, (status, score, _since) in plan.party_assessments.items():
            score_text = "" if score is None else f", score {score:+d}" if score else ", score 0"
            parts.append(f"{name}: {status}{score_text}")
        return "; ".join(parts)

    def _where(self, plan: RowPlan) -> str:
        return f"{self.result.name}, {self.place} {plan.line}"

    def _rationale(self, plan, source: SourceRef, status: str, commitment) -> str:
        return (
            f"{_stored_label(status, commitment.kind)} as given in {source.title} "
            f"({self._where(plan)})."
        )

    def _evidence(self, plan: RowPlan, source: SourceRef) -> NewEvidence:
        where = f" ({self._where(plan)})"
        title = source.title[: TITLE_MAX - len(where)] + where
        published = source.date if source.date and source.date <= self.today else None
        return NewEvidence(
            title=title,
            url=source.url,
            published_on=published,
            excerpt=plan.quoted[:EXCERPT_MAX],
            kind=self.mapping.evidence_kind,
            reliability=self.mapping.evidence_reliability,
        )

    def _refuse(self, plan: RowPlan, column: str, reason: str):
        plan.error(column, reason)
        raise RowRejected

    def _refuse_all(self, plan: RowPlan, error: ValidationError, prefix: str = ""):
        for key, messages in _messages(error):
            column = prefix or COLUMN_OF.get(key, key)
            for message in messages:
                plan.error(column, message)
        raise RowRejected

    # -- milestones, evidence and history (JSON) -----------------------------------------------
    def _nested(self, plan: RowPlan, commitment: Commitment) -> list[str]:
        if not (plan.milestones or plan.evidence or plan.history):
            return []
        changes: list[str] = []
        evidence = self._nested_evidence(plan, commitment, changes)
        self._nested_milestones(plan, commitment, evidence, changes)
        if plan.history:
            changes.extend(self._history(plan, commitment, evidence))
        return sorted(set(changes), key=changes.index)

    def _nested_evidence(self, plan, commitment, changes: list[str]) -> list[Evidence]:
        known = list(commitment.evidence.all()) if plan.existing else []
        result = []
        for n, item in enumerate(plan.evidence or [], start=1):
            title, url = item["title"].strip(), (item.get("url") or "").strip()
            match = next((e for e in known if e.title == title and e.url == url), None)
            if match is None:
                try:
                    match = services.record_evidence(
                        item=NewEvidence(
                            title=title,
                            url=url,
                            publisher=item.get("publisher") or "",
                            published_on=item["published_on"],
                            excerpt=item.get("excerpt") or "",
                            kind=item["kind"],
                            reliability=item["reliability"],
                        ),
                        commitment=commitment,
                        by=self.by,
                        added_at=_when(item.get("added_at")),
                    )
                except ValidationError as error:
                    self._refuse_all(plan, error, prefix=f"evidence[{n}]")
                known.append(match)
                if "evidence" not in changes:
                    changes.append("evidence")
            result.append(match)
        return result

    def _nested_milestones(self, plan, commitment, evidence: list[Evidence], changes) -> None:
        known = list(commitment.milestones.all()) if plan.existing else []
        for n, item in enumerate(plan.milestones or [], start=1):
            column = f"milestones[{n}]"
            title = item["title"].strip()
            order = item["order"] if item["order"] is not None else n - 1
            values = {"due_on": item["due_on"], "due_precision": item["due_precision"]}
            match = next((m for m in known if m.title == title), None)
            try:
                if match is None:
                    match = services.add_milestone(
                        commitment=commitment, title=title, order=order, **values
                    )
                    changes.append("milestones")
                elif any(getattr(match, k) != v for k, v in values.items()) or (
                    match.order != order
                ):
                    match = services.change_milestone(
                        milestone=match, title=title, order=order, **values
                    )
                    changes.append("milestones")
                if item["completed_on"] and match.completed_on is None:
                    services.complete_milestone(
                        milestone=match,
                        completed_on=item["completed_on"],
                        evidence=[evidence[r - 1] for r in item["evidence"]],
                        by=self.by,
                    )
                    changes.append("milestones")
            except ValidationError as error:
                self._refuse_all(plan, error, prefix=column)

    def _history(self, plan: RowPlan, commitment: Commitment, evidence: list[Evidence]):
        known = list(commitment.updates.all()) if plan.existing else []

        def key(status, effective_on, progress, rationale):
            return (status, effective_on, progress, rationale.strip())

        entries: dict[int, StatusUpdate] = {}
        by_key = {key(u.status, u.effective_on, u.progress, u.rationale): u for u in known}
        recorded = False
        for n, item in enumerate(plan.history, start=1):
            item_key = key(
                item["status"], item["effective_on"], item["progress"], item["rationale"]
            )
            if item_key in by_key:
                entries[n] = by_key[item_key]
                continue
            arguments = {
                "commitment": commitment,
                "status": item["status"],
                "progress": item["progress"],
                "effective_on": item["effective_on"],
                "effective_precision": item["effective_precision"],
                "rationale": item["rationale"],
                "evidence": [evidence[r - 1] for r in item["evidence"]],
                "corrects": entries.get(item["corrects"]) if item.get("corrects") else None,
                "by": self.by,
                "claimed_by": item["claimed_by"],
                "claimed_at": item["claimed_at"],
                "behind_latest": True,
                "review": item["review"],
                "source_rating": str(item.get("source_rating") or ""),
                "source_rating_column": str(item.get("source_rating_column") or ""),
            }
            try:
                try:
                    update = services.record_status_update(**arguments)
                except ValidationError as error:
                    if not _only_no_change(error):
                        raise
                    # An entry that changed nothing is what a review is.
                    update = services.record_status_update(**{**arguments, "review": True})
            except ValidationError as error:
                self._refuse_all(plan, error, prefix=f"history[{n}]")
            entries[n] = by_key[item_key] = update
            recorded = True
        return ["history"] if recorded else []


def _messages(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return list(error.message_dict.items())
    return [("", error.messages)]


def _only_no_change(error: ValidationError) -> bool:
    errors = getattr(error, "error_dict", {})
    return list(errors) == ["review"] and all(e.code == "no_change" for e in errors["review"])


def _when(value) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _stored_label(status: str, kind: str) -> str:
    """A status's label inside a rationale the import stores: in the site's language, as
    the rest of that sentence is, whatever language the person importing reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return status_label(status, kind)
