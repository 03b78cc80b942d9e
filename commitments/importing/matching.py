"""Which existing commitment each row updates, and which slug a new one gets.

A row matches by `external_id`, then by `slug`: both are explicit keys. Without them it
matches by its title, and only a commitment of the same title (compared by `title_key`:
case, punctuation and spacing aside) from the same source: a title never reaches into
another dataset. A row whose `external_id` is new also matches so a commitment that has
no `external_id` yet. Two rows of one file may not claim the same commitment, and a
`parent` must name a framework in the database or in the file.

A mapping with a `series` (a dataset published year after year) matches within the
series instead: by id, else by any title a commitment of the series was imported under
(`SeriesTitle`), so a renamed project is still found by its old name. A row whose id and
title point at two different commitments, or whose title is that of a commitment with
another id, is ambiguous: it is refused, never written over either.

Where neither finds it, a series row is matched by its title's `series_key` too: the title
without its parenthesised parts and a closing "Programme" or "Project", so "Crossrail",
"Crossrail Programme" and "Smarter Working Programme (SWP)" find the commitment a year
without ids created under the other name. This looser match yields to everything firmer: it
is not used when two titles of the file share it ("BT LSP (London)", "BT LSP (South)"), when
the commitment it finds is claimed by an id or an exact title in the same file, or when that
commitment has another id; the row is then a new commitment, never a refused one.

A file is matched a chunk of rows at a time (`Matcher` remembers the ids and slugs claimed
by earlier chunks, whose commitments are already written in the import's transaction). A row
whose parent is not known yet (a framework further down the file) waits: `deferred` gives it
back, to be checked and written after the rest of the file.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..choices import Kind
from ..models import Commitment, Party, SeriesTitle
from .rows import RowPlan

CHUNK = 500
KEY_MAX = SeriesTitle._meta.get_field("key").max_length
_NOT_WORD = re.compile(r"[\W_]+")
_IN_NUMBER = re.compile(r"(?<=\d)[,./](?=\d)")


SERIES_KEY_MARK = "~"  # a `series_key` among a series' title keys
_PARENTHESISED = re.compile(r"\([^()]*\)")
_GENERIC_ENDINGS = ("programme", "program", "project")


def title_key(title: str) -> str:
    """A title as matching compares it: case, punctuation and spacing aside, "&" as "and",
    and numbers without their separators ("100,000" is "100000", "16/17" is "1617")."""
    text = _IN_NUMBER.sub("", title.replace("&", " and ").replace("\u2026", " ").casefold())
    return " ".join(_NOT_WORD.sub(" ", text).split())[:KEY_MAX]


def series_key(title: str) -> str:
    """A title as a series' looser match compares it (see above), marked so it is never
    taken for an exact `title_key`; "" when nothing is left."""
    words = title_key(_PARENTHESISED.sub(" ", title)).split()
    while words and words[-1] in _GENERIC_ENDINGS:
        words.pop()
    return f"{SERIES_KEY_MARK}{' '.join(words)}"[:KEY_MAX] if words else ""


class Matcher:
    """Matches a file's rows chunk by chunk, remembering what earlier chunks claimed."""

    def __init__(self, series: str = "", aliases: dict[str, str] | None = None):
        self.series = series
        self.aliases = aliases or {}
        self.seen_ids: dict[str, int] = {}
        self.seen_slugs: dict[str, int] = {}
        self.seen_keys: dict[str, int] = {}

    def match(self, plans: list[RowPlan]) -> list[RowPlan]:
        """Match one chunk (see `match`); returns its rows whose parent is not known yet."""
        if self.series:
            match_in_series(
                plans,
                self.series,
                seen_ids=self.seen_ids,
                seen=self.seen_keys,
                aliases=self.aliases,
            )
        else:
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
            title_slugs[id(plan)] = slugify(plan.title)[:80].strip("-") or "item"
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
                    _("%(value)s is already used on line %(line)s")
                    % {"value": repr(plan.external_id), "line": seen_ids[plan.external_id]},
                )
                continue
            seen_ids[plan.external_id] = plan.line
            plan.existing = by_external.get(plan.external_id)
            if plan.existing is None and id(plan) in title_slugs:
                # A dataset that gains ids still finds the commitments it imported by
                # title before: those of its source that have no id yet.
                candidate = by_slug.get(title_slugs[id(plan)])
                if _same_title(candidate, plan) and not candidate.external_id:
                    plan.existing = candidate
        elif id(plan) in title_slugs:
            # By title: the same title from the same source, never a near one elsewhere.
            candidate = by_slug.get(title_slugs[id(plan)])
            plan.existing = candidate if _same_title(candidate, plan) else None
            key = f"title:{title_key(plan.title)}"
            if key in seen_slugs:
                plan.error(
                    "title", _("is the title of line %(line)s too") % {"line": seen_slugs[key]}
                )
                continue
            seen_slugs[key] = plan.line
            continue
        if plan.existing is None and plan.slug:
            candidate = by_slug.get(plan.slug)
            if candidate is not None and candidate.external_id and plan.external_id:
                plan.error(
                    "slug",
                    _("%(value)s belongs to the commitment with external id %(id)s")
                    % {"value": repr(plan.slug), "id": repr(candidate.external_id)},
                )
                continue
            plan.existing = candidate
        renamed = plan.existing is not None and plan.slug and plan.slug != plan.existing.slug
        if renamed and plan.slug in by_slug:
            plan.error(
                "slug", _("%(value)s is used by another commitment") % {"value": repr(plan.slug)}
            )
            continue
        if plan.existing is None and not plan.title:
            plan.error("title", _("is missing (needed to create a commitment)"))
            continue
        key = plan.slug or (plan.existing.slug if plan.existing else "")
        if key:
            if key in seen_slugs:
                plan.error(
                    "slug",
                    _("%(value)s is already used on line %(line)s")
                    % {"value": repr(key), "line": seen_slugs[key]},
                )
                continue
            seen_slugs[key] = plan.line
    _assign_new_slugs([p for p in plans if not p.errors and p.existing is None], set(by_slug))
    _check_parents(plans, last=False)


def _same_title(candidate: Commitment | None, plan: RowPlan) -> bool:
    """Whether a row without a key is `candidate`: the same title, and from the same
    source when the row names one."""
    if candidate is None or title_key(candidate.title) != title_key(plan.title):
        return False
    if plan.source is None:
        return True
    return candidate.source is not None and (
        candidate.source.title.casefold() == plan.source.title.casefold()
    )


def match_in_series(
    plans: list[RowPlan],
    series: str,
    *,
    seen_ids: dict[str, int],
    seen: dict[str, int],
    aliases: dict[str, str] | None = None,
) -> None:
    """`match` for a mapping's `series`: by id, else by a title the series knows (its own,
    or the one the mapping's `series_aliases` give for it), else by its `series_key`. Sets
    each matched plan's `series_keys`, for the writer to keep."""
    queryset = Commitment.objects.select_related("parent", "source").prefetch_related(
        "themes", Prefetch("parties", queryset=Party.objects.all())
    )
    live = [p for p in plans if p.title and not p.errors]
    keys = {id(p): title_key(p.title) for p in live}
    known_as = {i: aliases[k] for i, k in keys.items() if aliases and k in aliases}
    loose = _unshared_series_keys(live, seen)
    ids = [p.external_id for p in plans if p.external_id]
    wanted = list(set(keys.values()) | set(known_as.values()) | set(loose.values()))
    owner: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        titles = SeriesTitle.objects.filter(series=series, key__in=wanted[start : start + CHUNK])
        owner.update(titles.values_list("key", "commitment_id"))
    by_pk = {c.pk: c for c in queryset.filter(pk__in=set(owner.values()))}
    by_external: dict[str, Commitment] = {}
    for start in range(0, len(ids), CHUNK):
        for commitment in queryset.filter(external_id__in=ids[start : start + CHUNK]):
            by_external[commitment.external_id] = commitment
    slugs = [p.slug for p in plans if p.slug]
    by_slug = {c.slug: c for c in queryset.filter(slug__in=slugs)} if slugs else {}
    # What an id or an exact title of this chunk claims: a looser match never takes it.
    firm = {c.pk for c in by_external.values()} | {c.pk for c in by_slug.values()}
    firm |= {owner[k] for k in [*keys.values(), *known_as.values()] if k in owner}
    claimed: dict[int, int] = {}
    for plan in plans:
        if plan.errors:
            continue
        plan.existing = None
        key = keys.get(id(plan), "")
        if plan.external_id:
            if plan.external_id in seen_ids:
                plan.error(
                    "external_id",
                    _("%(value)s is already used on line %(line)s")
                    % {"value": repr(plan.external_id), "line": seen_ids[plan.external_id]},
                )
                continue
            seen_ids[plan.external_id] = plan.line
        if key and key in seen:
            plan.error("title", _("is the title of line %(line)s too") % {"line": seen[key]})
            continue
        by_id = by_external.get(plan.external_id) if plan.external_id else None
        by_title = by_pk.get(owner.get(key) or owner.get(known_as.get(id(plan))))
        if plan.slug:
            by_id = by_id or by_slug.get(plan.slug)
        if by_id is None and by_title is None and id(plan) in loose:
            near = by_pk.get(owner.get(loose[id(plan)]))
            free = near is not None and near.pk not in firm and near.pk not in claimed
            if free and not (plan.external_id and near.external_id):
                by_title = near
        if by_id is not None:
            if by_title is not None and by_title != by_id and not by_title.external_id:
                plan.error("title", _ambiguous(plan, by_id, by_title))
                continue
            plan.existing = by_id
        elif by_title is not None:
            if plan.external_id and by_title.external_id:
                plan.error(
                    "external_id",
                    _(
                        "%(value)s is new, but the title is that of %(title)s (%(slug)s), whose "
                        "id is %(id)s: which project this row is cannot be told, so nothing of "
                        "it was written"
                    )
                    % {
                        "value": repr(plan.external_id),
                        "title": repr(by_title.title),
                        "slug": by_title.slug,
                        "id": repr(by_title.external_id),
                    },
                )
                continue
            plan.existing = by_title
        if plan.existing is None and not plan.title:
            plan.error("title", _("is missing (needed to create a commitment)"))
            continue
        if plan.existing is not None:
            if plan.existing.pk in claimed:
                plan.error(
                    "title",
                    _("names the commitment of line %(line)s too")
                    % {"line": claimed[plan.existing.pk]},
                )
                continue
            claimed[plan.existing.pk] = plan.line
        if key:
            seen[key] = plan.line
            plan.series_keys = [key, known_as.get(id(plan), ""), loose.get(id(plan), "")]
    taken = {c.slug for c in by_slug.values()}
    _assign_new_slugs([p for p in plans if not p.errors and p.existing is None], taken)
    _check_parents(plans, last=False)


def _unshared_series_keys(plans: list[RowPlan], seen: dict[str, int]) -> dict[int, str]:
    """Each row's `series_key`, unless another title of the file (this chunk or an earlier
    one, remembered in `seen`) has it too: then it tells the two apart from nothing."""
    exact: dict[str, set[str]] = {}
    for plan in plans:
        loose = series_key(plan.title)
        if loose:
            exact.setdefault(loose, set()).add(title_key(plan.title))
    unshared = {}
    for plan in plans:
        loose = series_key(plan.title)
        if loose and len(exact[loose]) == 1 and loose not in seen:
            unshared[id(plan)] = loose
    for loose in exact:
        seen.setdefault(loose, 0)
    return unshared


def _ambiguous(plan: RowPlan, by_id: Commitment, by_title: Commitment) -> str:
    return _(
        "names two commitments: its id %(id)s is that of %(id_title)s (%(id_slug)s), its "
        "title that of %(title)s (%(title_slug)s), imported without an id; which one it "
        "updates cannot be told, so nothing of it was written"
    ) % {
        "id": repr(plan.external_id or plan.slug),
        "id_title": repr(by_id.title),
        "id_slug": by_id.slug,
        "title": repr(by_title.title),
        "title_slug": by_title.slug,
    }


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
            plan.error("parent", _("a commitment cannot be its own parent"))
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
            plan.error(
                "parent", _("no commitment has the slug %(value)s") % {"value": repr(plan.parent)}
            )
            continue
        if kind != Kind.FRAMEWORK:
            plan.error("parent", _("%(value)s is not a framework") % {"value": repr(plan.parent)})
