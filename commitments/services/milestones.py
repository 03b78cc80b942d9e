"""Milestones: added and changed by editors, completed by analysts with evidence.

A completion is dated like an update (`timing.check_day`) and shows what shows it: at
least one evidence item, which becomes part of the commitment's evidence. A completed
milestone is part of the commitment's story, so it is not removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Commitment, Evidence, Milestone
from . import evidence as evidence_service
from .evidence import NewEvidence
from .timing import check_day


def next_due(commitments=None):
    """The due date of each commitment's earliest open milestone, as a subquery."""
    return Subquery(
        Milestone.objects.filter(commitment=OuterRef("pk"), completed_on__isnull=True)
        .exclude(due_on__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def sync_next_due(commitments: QuerySet | None = None) -> None:
    """Make `next_milestone_due` equal the earliest open milestone's due date (for the
    given commitments, or all: after a restore or a bulk load)."""
    queryset = Commitment.objects.all() if commitments is None else commitments
    queryset.update(next_milestone_due=next_due())


def _changed(commitment_id: int, *, touched: bool = False) -> None:
    """After a milestone write: its commitment's next due date, and when it changed."""
    now = timezone.now()
    fields = {"updated_at": now, "next_milestone_due": next_due()}
    if touched:
        fields["last_update_at"] = now
    Commitment.objects.filter(pk=commitment_id).update(**fields)


@transaction.atomic
def add_milestone(
    *,
    commitment: Commitment,
    title: str,
    due_on: dt.date | None = None,
    due_precision: str = "",
    order: int | None = None,
) -> Milestone:
    """Add a milestone, at the end of the commitment's list unless `order` says where."""
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    milestone = Milestone(
        commitment=locked,
        title=(title or "").strip(),
        due_on=due_on,
        due_precision=due_precision or "",
        order=locked.milestones.count() if order is None else order,
    )
    milestone.full_clean()
    milestone.save()
    _changed(locked.pk)
    return milestone


@transaction.atomic
def change_milestone(
    *,
    milestone: Milestone,
    title: str,
    due_on: dt.date | None,
    due_precision: str,
    order: int | None = None,
) -> Milestone:
    """Correct a milestone's title, due date or place; its completion is not changed here."""
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    locked.title = (title or "").strip()
    locked.due_on, locked.due_precision = due_on, due_precision or ""
    if order is not None:
        locked.order = order
    locked.full_clean()
    locked.save()
    _changed(locked.commitment_id)
    return locked


def _check_completion(
    milestone: Milestone, completed_on: dt.date, evidence: list, new_items: list, today: dt.date
) -> None:
    if milestone.completed_on is not None:
        raise ValidationError({"completed_on": gettext("This milestone is already completed.")})
    problem = check_day(
        milestone.commitment, completed_on, what=gettext("A completion date"), today=today
    )
    if problem:
        raise ValidationError({"completed_on": problem})
    if not evidence and not new_items:
        raise ValidationError(
            {"evidence": gettext("Show at least one evidence item for the completion.")}
        )
    evidence_service.check_new_evidence(new_items, today=today)


def check_completion(
    *,
    milestone: Milestone,
    completed_on: dt.date,
    evidence: Iterable[Evidence] = (),
    new_evidence: Iterable[NewEvidence] = (),
) -> None:
    """The rules of `complete_milestone`, without writing anything."""
    _check_completion(
        milestone, completed_on, list(evidence), list(new_evidence), timezone.localdate()
    )


@transaction.atomic
def complete_milestone(
    *,
    milestone: Milestone,
    completed_on: dt.date,
    by: AbstractBaseUser | None,
    evidence: Iterable[Evidence] = (),
    new_evidence: Iterable[NewEvidence] = (),
) -> Milestone:
    """Mark a milestone completed, with the evidence that shows it; it then shows in the
    commitment's timeline. The row is locked so two analysts cannot both complete it."""
    locked = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("commitment", "commitment__source")
        .get(pk=milestone.pk)
    )
    existing, new_items = list(evidence), list(new_evidence)
    _check_completion(locked, completed_on, existing, new_items, timezone.localdate())
    items = [*existing, *evidence_service.resolve(new_items, by=by)]
    evidence_service.link(items, locked.commitment)
    locked.completed_on = completed_on
    locked.completed_by = by
    locked.save(update_fields=["completed_on", "completed_by"])
    locked.evidence.set(items)
    _changed(locked.commitment_id, touched=True)
    milestone.completed_on, milestone.completed_by = locked.completed_on, locked.completed_by
    return locked


def check_removal(milestone: Milestone) -> None:
    """A completed milestone is part of the commitment's story and is not removed."""
    if milestone.completed_on is not None:
        raise ValidationError(
            gettext(
                "“%(title)s” is completed: a completed milestone is part of the "
                "commitment's history and is not removed."
            )
            % {"title": milestone.title}
        )


@transaction.atomic
def remove_milestone(*, milestone: Milestone) -> None:
    """Remove a milestone added by mistake."""
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    check_removal(locked)
    locked.delete()
    _changed(locked.commitment_id)
