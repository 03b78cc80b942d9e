"""The importer: read, map and validate every row, then create or update commitments in
one transaction. Invalid rows stop the whole import unless `skip_invalid`; a dry run does
the same work and rolls it back, so it reports exactly what a real run would do."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from ..choices import ActorKind, Kind, SourceKind, Status
from ..models import Actor, Commitment, Evidence, Milestone, Party, Source, StatusUpdate, Theme
from .mapping import IDENTITY, Mapping
from .reading import FileError, read_records
from .rows import RowPlan, SourceRef, plan_row

CHUNK = 500


@dataclass
class Outcome:
    line: int
    slug: str
    title: str
    changes: list[str] = field(default_factory=list)


@dataclass
class Rejection:
    line: int
    column: str
    reason: str
    title: str = ""


@dataclass
class ImportResult:
    name: str
    dry_run: bool = False
    rows: int = 0
    created: list[Outcome] = field(default_factory=list)
    updated: list[Outcome] = field(default_factory=list)
    unchanged: list[Outcome] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)
    new_themes: list[str] = field(default_factory=list)
    new_sources: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    file_error: str = ""
    written: bool = False

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({r.line for r in self.rejected})

    def summary(self) -> str:
        if self.file_error:
            return f"{self.name}: not imported. {self.file_error}"
        verb = "would be" if not self.written else "were"
        parts = [
            f"{len(self.created)} created",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.rejected_lines)} rejected",
        ]
        text = f"{self.name}: {self.rows} rows; {', '.join(parts)}."
        if self.new_actors or self.new_themes or self.new_sources:
            text += (
                f" New actors {verb} added: {len(self.new_actors)}, themes: "
                f"{len(self.new_themes)}, sources: {len(self.new_sources)}."
            )
        if self.ignored_columns:
            shown = ", ".join(self.ignored_columns[:10])
            more = len(self.ignored_columns) - 10
            text += f" Columns left out: {shown}{f' and {more} more' if more > 0 else ''}."
        if self.dry_run:
            text += " Dry run: nothing was written."
        elif not self.written:
            text += (
                " Nothing was written because some rows were rejected "
                "(fix them, or import with --skip-invalid)."
            )
        return text

    def write_report(self, path: str | Path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "column", "reason", "title"])
            for rejection in self.rejected:
                writer.writerow(
                    [rejection.line, rejection.column, rejection.reason, rejection.title]
                )


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


ProgressFactory = Callable[[int], object]


class _Rollback(Exception):
    pass


class Importer:
    def __init__(
        self,
        *,
        mapping: Mapping | None = None,
        by=None,
        progress: ProgressFactory | None = None,
    ):
        self.mapping = mapping or IDENTITY
        self.by = by
        self.progress = progress or (lambda total: _NoProgress())
        self.today = timezone.localdate()
        self.now = timezone.now()

    # -- entry point --------------------------------------------------------------------------
    def run(
        self, content: bytes, name: str, *, dry_run: bool = False, skip_invalid: bool = False
    ) -> ImportResult:
        self.result = ImportResult(name=Path(name).name, dry_run=dry_run)
        try:
            records = list(read_records(content, name, self.mapping))
        except FileError as exc:
            self.result.file_error = str(exc)
            return self.result
        self.result.rows = len(records)
        self.result.ignored_columns = self.mapping.ignored(
            name for record in records for name in record.data if name != "__invalid__"
        )
        bar = self.progress(len(records))
        plans = []
        for record in records:
            plans.append(self._plan(record.line, record.data))
        try:
            with transaction.atomic():
                self._load_lookups(plans)
                self._match(plans)
                good = [p for p in plans if not p.errors]
                for plan in plans:
                    for column, reason in plan.errors:
                        self.result.rejected.append(
                            Rejection(plan.line, column, reason, plan.title[:80])
                        )
                self._write(good, bar)
                if dry_run or (self.result.rejected and not skip_invalid):
                    raise _Rollback
                self.result.written = True
        except _Rollback:
            pass
        except (DatabaseError, DjangoValidationError) as exc:
            # Validation should have caught it; if not, stop cleanly with nothing written.
            self.result.file_error = f"The import stopped and nothing was written: {exc}"
            self.result.written = False
        finally:
            bar.close()
        return self.result

    def _plan(self, line: int, data: dict) -> RowPlan:
        if "__invalid__" in data:
            plan = RowPlan(line=line)
            plan.error("", "is not an object with column names")
            return plan
        try:
            row = self.mapping.apply(data)
        except (TypeError, ValueError, AttributeError) as exc:
            plan = RowPlan(line=line)
            plan.error("", f"cannot be mapped: {exc}")
            return plan
        return plan_row(line, row, shorten=self.mapping.shorten, party_role=self.mapping.party_role)

    # -- lookups ------------------------------------------------------------------------------
    def _load_lookups(self, plans: list[RowPlan]) -> None:
        self.actors: dict[str, Actor] = {}
        for actor in Actor.objects.all():
            for key in (actor.name, actor.short_name, actor.slug):
                if key:
                    self.actors.setdefault(key.casefold(), actor)
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            self.themes.setdefault(theme.name.casefold(), theme)
            self.themes.setdefault(theme.slug, theme)
        self.sources: dict[tuple[str, str], Source] = {}
        for source in Source.objects.all():
            self.sources.setdefault((source.title.casefold(), source.url), source)
            self.sources.setdefault((source.title.casefold(), ""), source)
        self.users = {}
        usernames = {
            item.get("recorded_by")
            for plan in plans
            for item in plan.history or []
            if item.get("recorded_by")
        }
        if usernames:
            user_model = get_user_model()
            self.users = {
                user.get_username(): user
                for user in user_model.objects.filter(
                    **{f"{user_model.USERNAME_FIELD}__in": usernames}
                )
            }

    def _actor(self, name: str) -> Actor:
        actor = self.actors.get(name.casefold())
        if actor is None:
            actor = Actor.objects.create(name=name, kind=ActorKind.GOVERNMENT)
            self.actors[name.casefold()] = actor
            self.result.new_actors.append(name)
        return actor

    def _theme(self, name: str) -> Theme:
        theme = self.themes.get(name.casefold())
        if theme is None:
            theme = Theme.objects.create(name=name)
            self.themes[name.casefold()] = theme
            self.result.new_themes.append(name)
        return theme

    def _source(self, ref: SourceRef) -> Source:
        source = self.sources.get(ref.key)
        if source is None:
            source = Source.objects.create(
                title=ref.title, date=ref.date, url=ref.url, kind=SourceKind.JOINT_STATEMENT
            )
            self.sources[ref.key] = source
            self.sources.setdefault((ref.title.casefold(), ""), source)
            self.result.new_sources.append(ref.title)
        return source

    # -- matching rows to commitments ---------------------------------------------------------
    def _match(self, plans: list[RowPlan]) -> None:
        nested = any(p.milestones or p.evidence or p.history for p in plans)
        queryset = Commitment.objects.select_related("parent").prefetch_related(
            "themes", Prefetch("parties", queryset=Party.objects.all())
        )
        if nested:
            queryset = queryset.prefetch_related("evidence", "milestones", "updates")
        ids = [p.external_id for p in plans if p.external_id]
        for plan in plans:
            if not plan.slug and not plan.external_id and plan.title:
                plan.slug = slugify(plan.title)[:80].strip("-") or "item"
        slugs = [p.slug for p in plans if p.slug]
        self.by_external: dict[str, Commitment] = {}
        self.by_slug: dict[str, Commitment] = {}
        for start in range(0, max(len(ids), len(slugs)), CHUNK):
            for commitment in queryset.filter(external_id__in=ids[start : start + CHUNK]):
                self.by_external[commitment.external_id] = commitment
            for commitment in queryset.filter(slug__in=slugs[start : start + CHUNK]):
                self.by_slug[commitment.slug] = commitment

        seen_ids: dict[str, int] = {}
        seen_slugs: dict[str, int] = {}
        for plan in plans:
            if plan.errors:
                continue
            plan.existing = None
            if plan.external_id:
                if plan.external_id in seen_ids:
                    plan.error(
                        "external_id",
                        f"{plan.external_id!r} is already used on line {seen_ids[plan.external_id]}",
                    )
                    continue
                seen_ids[plan.external_id] = plan.line
                plan.existing = self.by_external.get(plan.external_id)
            if plan.existing is None and plan.slug:
                candidate = self.by_slug.get(plan.slug)
                if candidate is not None and candidate.external_id and plan.external_id:
                    plan.error(
                        "slug",
                        f"{plan.slug!r} belongs to the commitment with external id "
                        f"{candidate.external_id!r}",
                    )
                    continue
                plan.existing = candidate
            renamed = plan.existing is not None and plan.slug and plan.slug != plan.existing.slug
            if renamed and plan.slug in self.by_slug:
                plan.error("slug", f"{plan.slug!r} is used by another commitment")
                continue
            if plan.existing is None and not plan.title:
                plan.error("title", "is missing (needed to create a commitment)")
                continue
            key = plan.slug or (plan.existing.slug if plan.existing else "")
            if key:
                if key in seen_slugs:
                    plan.error("slug", f"{key!r} is already used on line {seen_slugs[key]}")
                    continue
                seen_slugs[key] = plan.line
        self._assign_new_slugs([p for p in plans if not p.errors and p.existing is None])
        self._check_parents(plans)

    def _assign_new_slugs(self, plans: list[RowPlan]) -> None:
        wanted = {id(p): p.slug or slugify(p.title)[:80].strip("-") or "item" for p in plans}
        taken = set(self.by_slug)
        bases = list(set(wanted.values()))
        for start in range(0, len(bases), CHUNK):
            taken.update(
                Commitment.objects.filter(slug__in=bases[start : start + CHUNK]).values_list(
                    "slug", flat=True
                )
            )
        for plan in plans:
            if plan.slug:
                taken.add(plan.slug)
        for plan in plans:
            if plan.slug:
                continue
            base = wanted[id(plan)]
            slug, n = base, 2
            while slug in taken or (slug != base and Commitment.objects.filter(slug=slug).exists()):
                suffix = f"-{n}"
                slug, n = f"{base[: 80 - len(suffix)]}{suffix}", n + 1
            plan.slug = slug
            taken.add(slug)

    def _check_parents(self, plans: list[RowPlan]) -> None:
        wanted = {p.parent for p in plans if p.parent and not p.errors}
        if not wanted:
            self.parents = {}
            return
        self.parents = {
            c.slug: c for c in Commitment.objects.filter(slug__in=wanted).only("pk", "slug", "kind")
        }
        in_file = {
            (p.slug or (p.existing.slug if p.existing else "")): p for p in plans if not p.errors
        }
        for plan in plans:
            if not plan.parent or plan.errors:
                continue
            own = plan.slug or (plan.existing.slug if plan.existing else "")
            if plan.parent == own:
                plan.error("parent", "a commitment cannot be its own parent")
                continue
            if plan.parent in in_file:
                other = in_file[plan.parent]
                kind = other.fields.get("kind") or (
                    other.existing.kind if other.existing else Kind.DELIVERABLE
                )
            elif plan.parent in self.parents:
                kind = self.parents[plan.parent].kind
            else:
                plan.error("parent", f"no commitment has the slug {plan.parent!r}")
                continue
            if kind != Kind.FRAMEWORK:
                plan.error("parent", f"{plan.parent!r} is not a framework")

    # -- writing ------------------------------------------------------------------------------
    def _write(self, plans: list[RowPlan], bar) -> None:
        creates = [p for p in plans if p.existing is None]
        updates = [p for p in plans if p.existing is not None]
        self._create(creates, bar)
        for plan in updates:
            self._update(plan)
            bar.update(1)
        self._link_parents(plans)
        bar.update(len(self.result.rejected_lines))

    def _status_update(self, commitment, plan: RowPlan, previous: str) -> StatusUpdate:
        status = plan.status or previous
        progress = plan.progress if plan.progress_given else commitment.progress
        # Ids rather than objects: assigning related objects is slow over many rows.
        return StatusUpdate(
            commitment_id=commitment.pk,
            status=status,
            previous_status=previous,
            progress=progress,
            effective_on=self.today,
            recorded_at=self.now,
            recorded_by_id=self.by.pk if self.by else None,
            rationale=f"Imported from {self.result.name}.",
        )

    def _too_early(self, plan: RowPlan, announced_on: dt.date | None) -> bool:
        announced = plan.fields.get("announced_on", announced_on)
        return announced is not None and announced > self.today

    def _reject(self, plan: RowPlan, column: str, reason: str) -> None:
        plan.error(column, reason)
        self.result.rejected.append(Rejection(plan.line, column, reason, plan.title[:80]))

    def _wants_status_change(self, plan: RowPlan, status: str, progress) -> bool:
        if plan.history is not None:
            return False
        if plan.status is not None and plan.status != status:
            return True
        if plan.status is None and not plan.progress_given:
            return False
        return plan.progress_given and plan.progress != progress

    def _create(self, plans: list[RowPlan], bar) -> None:
        objects = []
        for plan in plans:
            fields = dict(plan.fields)
            commitment = Commitment(
                slug=plan.slug,
                external_id=plan.external_id,
                created_at=self.now,
                **fields,
            )
            if self._wants_status_change(plan, Status.NOT_RATED, None) and self._too_early(
                plan, None
            ):
                self._reject(plan, "status", "cannot be set before the announcement date")
                continue
            if plan.source:
                commitment.source_id = self._source(plan.source).pk
            objects.append((plan, commitment))
        pairs = objects
        with_status = []
        for plan, commitment in pairs:
            if self._wants_status_change(plan, Status.NOT_RATED, None):
                commitment.status = plan.status or Status.NOT_RATED
                commitment.progress = plan.progress if plan.progress_given else None
                commitment.last_update_at = self.now
                with_status.append((plan, commitment))
        Commitment.objects.bulk_create([c for _, c in pairs], batch_size=CHUNK)
        StatusUpdate.objects.bulk_create(
            [self._status_update(c, p, Status.NOT_RATED) for p, c in with_status],
            batch_size=CHUNK,
        )
        parties, theme_links = [], []
        through = Commitment.themes.through
        for plan, commitment in pairs:
            for name, role in plan.parties or []:
                parties.append(
                    Party(commitment_id=commitment.pk, actor_id=self._actor(name).pk, role=role)
                )
            for theme_id in {self._theme(name).pk for name in plan.themes or []}:
                theme_links.append(through(commitment_id=commitment.pk, theme_id=theme_id))
            if plan.milestones or plan.evidence or plan.history:
                self._nested(plan, commitment)
            self.result.created.append(Outcome(plan.line, commitment.slug, commitment.title))
            bar.update(1)
        Party.objects.bulk_create(parties, batch_size=CHUNK)
        through.objects.bulk_create(theme_links, batch_size=CHUNK)

    def _update(self, plan: RowPlan) -> None:
        commitment = plan.existing
        changes = []
        for name, value in plan.fields.items():
            if getattr(commitment, name) != value:
                setattr(commitment, name, value)
                changes.append(name)
        if plan.external_id and commitment.external_id != plan.external_id:
            commitment.external_id = plan.external_id
            changes.append("external_id")
        if plan.slug and commitment.slug != plan.slug:
            commitment.slug = plan.slug
            changes.append("slug")
        if plan.source_given:
            source = self._source(plan.source) if plan.source else None
            if commitment.source_id != (source.pk if source else None):
                commitment.source = source
                changes.append("source")
        status_change = self._wants_status_change(plan, commitment.status, commitment.progress)
        if status_change and self._too_early(plan, commitment.announced_on):
            self._reject(plan, "status", "cannot be set before the announcement date")
            return
        saved = bool(changes) or status_change
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
        if status_change:
            update = self._status_update(commitment, plan, commitment.status)
            update.save()
            commitment.status, commitment.progress = update.status, update.progress
            commitment.last_update_at = self.now
            Commitment.objects.filter(pk=commitment.pk).update(
                status=update.status,
                progress=update.progress,
                last_update_at=self.now,
                updated_at=self.now,
            )
            changes.append("status")
        if plan.milestones or plan.evidence or plan.history:
            changes.extend(self._nested(plan, commitment))
        if changes and not saved:
            Commitment.objects.filter(pk=commitment.pk).update(updated_at=self.now)
        outcome = Outcome(plan.line, commitment.slug, commitment.title, changes)
        (self.result.updated if changes else self.result.unchanged).append(outcome)

    def _link_parents(self, plans: Iterable[RowPlan]) -> None:
        plans = [p for p in plans if p.parent is not None and not p.errors]
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
            outcome = next((o for o in self.result.unchanged if o.line == plan.line), None)
            if outcome is not None:
                self.result.unchanged.remove(outcome)
                self.result.updated.append(outcome)
            else:
                outcome = next(o for o in self.result.updated if o.line == plan.line)
            outcome.changes.append("parent")
        for parent_id, slugs in new_children.items():
            for start in range(0, len(slugs), CHUNK):
                Commitment.objects.filter(slug__in=slugs[start : start + CHUNK]).update(
                    parent_id=parent_id
                )

    # -- milestones, evidence and history (JSON) -----------------------------------------------
    def _nested(self, plan: RowPlan, commitment: Commitment) -> list[str]:
        changes: list[str] = []
        existing_evidence = (
            list(commitment.evidence.all()) if commitment.pk and plan.existing else []
        )
        evidence_objects: list[Evidence] = []
        for item in plan.evidence or []:
            match = next(
                (
                    e
                    for e in existing_evidence
                    if e.title == item["title"].strip() and e.url == (item.get("url") or "")
                ),
                None,
            )
            if match is None:
                match = Evidence.objects.create(
                    commitment=commitment,
                    title=item["title"].strip(),
                    url=item.get("url") or "",
                    publisher=item.get("publisher") or "",
                    published_on=item["published_on"],
                    excerpt=item.get("excerpt") or "",
                    kind=item["kind"],
                    reliability=item["reliability"],
                    added_by=self.by,
                    **({"added_at": _when(item["added_at"])} if item.get("added_at") else {}),
                )
                existing_evidence.append(match)
                if "evidence" not in changes:
                    changes.append("evidence")
            evidence_objects.append(match)

        existing_milestones = list(commitment.milestones.all()) if plan.existing else []
        for n, item in enumerate(plan.milestones or []):
            match = next((m for m in existing_milestones if m.title == item["title"].strip()), None)
            values = {
                "due_on": item["due_on"],
                "due_precision": item["due_precision"],
                "completed_on": item["completed_on"],
                "order": item["order"] if item["order"] is not None else n,
            }
            if match is None:
                match = Milestone.objects.create(
                    commitment=commitment, title=item["title"].strip(), **values
                )
                changes.append("milestones")
            elif any(getattr(match, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(match, key, value)
                match.save()
                changes.append("milestones")
            refs = [evidence_objects[r - 1] for r in item["evidence"]]
            if refs and {e.pk for e in refs} != {e.pk for e in match.evidence.all()}:
                match.evidence.set(refs)

        if plan.history:
            changes.extend(self._history(plan, commitment, evidence_objects))
        return sorted(set(changes), key=changes.index)

    def _history(self, plan: RowPlan, commitment: Commitment, evidence: list[Evidence]):
        existing = list(commitment.updates.all()) if plan.existing else []

        def key(status, effective_on, progress, rationale):
            return (status, effective_on, progress, rationale.strip())

        known = {key(u.status, u.effective_on, u.progress, u.rationale): u for u in existing}
        created = {}
        entries = []
        for n, item in enumerate(plan.history, start=1):
            item_key = key(
                item["status"], item["effective_on"], item["progress"], item["rationale"]
            )
            update = known.get(item_key)
            if update is None:
                update = StatusUpdate.objects.create(
                    commitment=commitment,
                    status=item["status"],
                    previous_status=item["previous_status"],
                    progress=item["progress"],
                    effective_on=item["effective_on"],
                    effective_precision=item["effective_precision"],
                    recorded_at=_when(item.get("recorded_at")) or self.now,
                    recorded_by=self.users.get(item.get("recorded_by")) or self.by,
                    rationale=item["rationale"].strip(),
                )
                update.evidence.set([evidence[r - 1] for r in item["evidence"]])
                known[item_key] = update
                created[n] = update
            entries.append(update)
        for n, item in enumerate(plan.history, start=1):
            if item.get("corrects") and n in created:
                target = entries[item["corrects"] - 1]
                StatusUpdate.objects.filter(pk=entries[n - 1].pk).update(corrects=target)
        if not created:
            return []
        latest = (
            StatusUpdate.objects.filter(commitment=commitment)
            .not_corrected()
            .newest_first()
            .first()
        )
        last_recorded = max(u.recorded_at for u in [*existing, *entries])
        Commitment.objects.filter(pk=commitment.pk).update(
            status=latest.status if latest else Status.NOT_RATED,
            progress=latest.progress if latest else None,
            last_update_at=last_recorded,
            updated_at=self.now,
        )
        return ["history"]


def _when(value) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def import_file(
    content: bytes,
    name: str,
    *,
    mapping: Mapping | None = None,
    by=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressFactory | None = None,
) -> ImportResult:
    """Import a CSV or JSON file of commitments; see docs/import.md."""
    importer = Importer(mapping=mapping, by=by, progress=progress)
    return importer.run(content, name, dry_run=dry_run, skip_invalid=skip_invalid)
