"""Cached dashboard widgets and list counts, recomputed as soon as the register changes.

The dashboard's numbers take a few hundred milliseconds at 100,000 commitments (as
many as the plain SQL aggregates behind them), and far more for a past day. They
only change when the register does, so the view keeps them in Django's cache under a
key made of the request's parameters, today's date, the reader's language (the widgets
carry labels, chart summaries and dates in it) and the register's *version*:

- `RegisterVersion.number`, raised after every committed save or delete of a
  commitment, update, milestone, party, theme link, evidence, theme, actor, source or
  translation (signals, below);
- plus the largest ids and the latest `updated_at`, read in the same query, which
  also move on bulk writes that send no signals (the importer's `bulk_create` and
  `update()` calls).

Reading the version is one query over indexes. No entry is ever served for a
version it was not computed for, so there is no time-based staleness; the timeout
only bounds memory. Set DASHBOARD_CACHE_SECONDS=0 to turn the cache off.

The cache is each process's own memory, or with `REDIS_URL` one Redis shared by every
app server (tracker/cache.py), so a dashboard is computed once per change, not once per
server. The version is read from the database on every view, whichever server wrote the
change, so no server can serve an entry computed before it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation
from django.utils.functional import cached_property

KEY_PREFIX = "dashboard"


def enabled() -> bool:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 0) > 0


def register_version() -> tuple:
    """The register's version: one query, every part read from an index."""
    from .models import Commitment, Milestone, Party, RegisterVersion, StatusUpdate

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    sql = (
        f"SELECT (SELECT MAX(number) FROM {table(RegisterVersion)}),"  # noqa: S608
        f" (SELECT MAX(id) FROM {table(Commitment)}),"
        f" (SELECT MAX(updated_at) FROM {table(Commitment)}),"
        f" (SELECT MAX(id) FROM {table(StatusUpdate)}),"
        f" (SELECT MAX(id) FROM {table(Milestone)}),"
        f" (SELECT MAX(id) FROM {table(Party)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(str(value) for value in row)


def cached(parts: dict[str, Any], compute: Callable[[], dict]) -> dict:
    """`compute()`'s result for these request parts at the register's current version."""
    if not enabled():
        return compute()
    key_parts = {
        "version": register_version(),
        "today": timezone.localdate().isoformat(),
        # The widgets hold words (labels, chart summaries, dates): one entry per language.
        "language": translation.get_language(),
        **parts,
    }
    digest = hashlib.sha256(json.dumps(key_parts, sort_keys=True, default=str).encode()).hexdigest()
    key = f"{KEY_PREFIX}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.DASHBOARD_CACHE_SECONDS)
    return value


class CountedPaginator(Paginator):
    """A paginator whose count is kept like the dashboard's numbers: under the list's
    `scope`, its parameters (`query`, a QueryDict; every one but the page parameter), the
    day it is for, today's date, the language and the register's version. Paging through a
    list, or opening it again before anything changes, reads the count instead of counting
    every matching row again (a second at a million for some filters); the first visit
    after any change counts afresh."""

    def __init__(self, object_list, per_page, *, scope: str, query, day, page: str = "page"):
        super().__init__(object_list, per_page)
        self.parts = {
            "scope": scope,
            "day": day.isoformat(),
            "query": sorted((key, values) for key, values in query.lists() if key != page),
        }

    @cached_property
    def count(self) -> int:
        return cached({"list count": self.parts}, lambda: {"count": self.object_list.count()})[
            "count"
        ]


def bump_version() -> None:
    """Raise the register's version (once the change is committed, see `changed`)."""
    from .models import RegisterVersion

    updated = RegisterVersion.objects.filter(pk=1).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not updated:
        RegisterVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def changed(**kwargs) -> None:
    """Signal receiver: the register changed; raise its version after the commit.

    After, not during, the transaction: the counter row is never held locked by a
    long write, and a reader never sees the new version before the new data."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    transaction.on_commit(bump_version)


def connect_signals() -> None:
    from .models import (
        Actor,
        Commitment,
        CommitmentText,
        Evidence,
        Milestone,
        Party,
        PartyAssessment,
        Source,
        StatusUpdate,
        Theme,
    )

    for model in (
        Commitment,
        StatusUpdate,
        PartyAssessment,
        Milestone,
        Party,
        Evidence,
        Theme,
        Actor,
        Source,
        # A translation changes what a search finds, and the titles the widgets show.
        CommitmentText,
    ):
        uid = f"dashboard-cache-{model._meta.model_name}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        changed, sender=Commitment.themes.through, dispatch_uid="dashboard-cache-themes"
    )
    # Evidence linked to a commitment (the admin's evidence rows, an item picked for an
    # update) changes what "has evidence" selects.
    links = Evidence.commitments.through
    m2m_changed.connect(changed, sender=links, dispatch_uid="dashboard-cache-evidence-links")
    post_save.connect(changed, sender=links, dispatch_uid="dashboard-cache-evidence-link-save")
    post_delete.connect(changed, sender=links, dispatch_uid="dashboard-cache-evidence-link-del")
