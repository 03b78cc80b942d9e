"""Which existing commitment each row updates, and which slug a new one gets.

A row matches by `external_id`, then by `slug` (made from the title when both are
missing). A row whose `external_id` is new also matches, by the slug made from its
title, a commitment that has no `external_id` yet. Two rows of one file may not claim
the same commitment, and a `parent` must name a framework in the database or in the file.

A file is matched a chunk of rows at a time (`Matcher` remembers the ids and slugs claimed
by earlier chunks, whose commitments are already written in the import's transaction). A row
whose parent is not known yet (a framework further down the file) waits: `deferred` gives it
back, to be checked and written after the rest of the file.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.text import slugify

from ..choices import Kind
from ..models import Commitment, Party
from .rows import RowPlan

CHUNK = 500


class Matcher:
    """Matches a file's rows chunk by chunk, remembering what earlier chunks claimed."""

    def __init__(self):
        self.seen_ids: dict[str, int] = {}
        self.seen_slugs: dict[str, int] = {}

    def match(self, plans: list[RowPlan]) -> list[RowPlan]:
        """Match one chunk (see `match`); returns its rows whose parent is not known yet."""
        match(plans, seen_ids=self.seen_ids, seen_slugs=self.seen_slugs)
        for plan in plans:
            if not plan.errors and plan.slug:
                self.seen_slugs.setdefault(plan.slug, plan.line)
        return [p for p in plans if p.parent_pending]

    def deferred(self, plans: list[RowPlan]) -> None:
        """Check the parents of the rows that waited, now that the file is written."""
        for plan in plans:
            plan.parent_pending = False
        _check_parents(plans, last=True)


def match(
    plans: list[RowPlan],
    *,
    seen_ids: dict[str, int] | None = None,
    seen_slugs: dict[str, int] | None = None,
) -> None:
    """Set each valid plan's `existing` commitment and `slug`, or its errors."""
    nested = any(p.milestones or p.evidence or p.history for p in plans)
    queryset = Commitment.objects.select_related("parent", "source").prefetch_related(
        "themes", Prefetch("parties", queryset=Party.objects.all())
    )
    if nested:
        queryset = queryset.prefetch_related("evidence", "milestones", "updates")
    title_slugs: dict[int, str] = {}
    for plan in plans:
        if not plan.slug and plan.title:
            title_slug = slugify(plan.title)[:80].strip("-") or "item"
            if plan.external_id:
                title_slugs[id(plan)] = title_slug
            else:
                plan.slug = title_slug
    ids = [p.external_id for p in plans if p.external_id]
    slugs = [p.slug for p in plans if p.slug] + list(title_slugs.values())
    by_external: dict[str, Commitment] = {}
    by_slug: dict[str, Commitment] = {}
    for start in range(0, max(len(ids), len(slugs)), CHUNK):
        for commitment in queryset.filter(external_id__in=ids[start : start + CHUNK]):
            by_external[commitment.external_id] = commitment
        for commitment in queryset.filter(slug__in=slugs[start : start + CHUNK]):
            by_slug[commitment.slug] = commitment

    seen_ids = {} if seen_ids is None else seen_ids
    seen_slugs = {} if seen_slugs is None else seen_slugs
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
            plan.existing = by_external.get(plan.external_id)
            if plan.existing is None and id(plan) in title_slugs:
                # A dataset that gains ids (the UK's from 2020) still finds the
                # commitments it imported by title before: those that have no id yet.
                candidate = by_slug.get(title_slugs[id(plan)])
                if candidate is not None and not candidate.external_id:
                    plan.existing = candidate
        if plan.existing is None and plan.slug:
            candidate = by_slug.get(plan.slug)
            if candidate is not None and candidate.external_id and plan.external_id:
                plan.error(
                    "slug",
                    f"{plan.slug!r} belongs to the commitment with external id "
                    f"{candidate.external_id!r}",
                )
                continue
            plan.existing = candidate
        renamed = plan.existing is not None and plan.slug and plan.slug != plan.existing.slug
        if renamed and plan.slug in by_slug:
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
    _assign_new_slugs([p for p in plans if not p.errors and p.existing is None], set(by_slug))
    _check_parents(plans, last=False)


def _assign_new_slugs(plans: list[RowPlan], taken: set[str]) -> None:
    wanted = {id(p): p.slug or slugify(p.title)[:80].strip("-") or "item" for p in plans}
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


def own_slug(plan: RowPlan) -> str:
    return plan.slug or (plan.existing.slug if plan.existing else "")


def _check_parents(plans: list[RowPlan], *, last: bool = True) -> None:
    """A parent is a framework in the database or among `plans`; when it is neither and
    this is not the `last` look, the row waits (`parent_pending`) for the rest of the file."""
    wanted = {p.parent for p in plans if p.parent and not p.errors}
    if not wanted:
        return
    parents = {
        c.slug: c for c in Commitment.objects.filter(slug__in=wanted).only("pk", "slug", "kind")
    }
    in_file = {own_slug(p): p for p in plans if not p.errors}
    for plan in plans:
        if not plan.parent or plan.errors:
            continue
        if plan.parent == own_slug(plan):
            plan.error("parent", "a commitment cannot be its own parent")
            continue
        if plan.parent in in_file:
            other = in_file[plan.parent]
            kind = other.fields.get("kind") or (
                other.existing.kind if other.existing else Kind.DELIVERABLE
            )
        elif plan.parent in parents:
            kind = parents[plan.parent].kind
        elif not last:
            plan.parent_pending = True
            continue
        else:
            plan.error("parent", f"no commitment has the slug {plan.parent!r}")
            continue
        if kind != Kind.FRAMEWORK:
            plan.error("parent", f"{plan.parent!r} is not a framework")
