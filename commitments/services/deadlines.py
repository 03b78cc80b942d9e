"""Deadline changes: the one way an existing commitment's deadline moves.

`change_deadline` is the single place every caller goes through (the admin, the API,
the importer, the statement review linking a sentence to an existing commitment): it
records the old and new deadline with their precisions, who, when, why and the source,
and sets the commitment's deadline, in one transaction with the commitment's row locked.
A commitment's first deadline set when it is created is not a change.

Its rules, each message keyed by the field it is about:

- `reason` is one of `choices.DeadlineChangeReason`, required whenever there was a
  deadline (a deadline never moves silently); a first deadline given to a commitment
  that had none may leave it empty. `note` is at most `DEADLINE_NOTE_MAX` characters;
- the deadline and its precision are given together (both empty removes the deadline),
  and the day is kept as the last day of its period ("Q2 2028" is 30 June 2028);
- the new deadline differs from the current one, and is not before the announcement.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import dates
from ..choices import DeadlineChangeReason, Precision
from ..models import Commitment, DeadlineChange, Source
from .limits import DEADLINE_NOTE_MAX


def _normalised(deadline: dt.date | None, precision: str | None) -> tuple[dt.date | None, str]:
    precision = precision or ""
    if deadline is not None and precision in Precision.values:
        deadline = dates.period_end(deadline, precision)
    return deadline, precision


def _problems(
    commitment: Commitment,
    *,
    deadline: dt.date | None,
    precision: str,
    reason: str,
    note: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not reason:
        if commitment.deadline is not None:
            errors["reason"] = gettext("Say why the deadline changes: choose a reason.")
    elif reason not in DeadlineChangeReason.values:
        choices = ", ".join(DeadlineChangeReason.values)
        errors["reason"] = gettext("Unknown reason %(reason)s: use one of %(choices)s.") % {
            "reason": repr(reason),
            "choices": choices,
        }
    if len(note) > DEADLINE_NOTE_MAX:
        errors["note"] = gettext("Keep the note under %(max)s characters.") % {
            "max": DEADLINE_NOTE_MAX
        }
    if precision and precision not in Precision.values:
        errors["precision"] = gettext("Unknown precision %(precision)s.") % {
            "precision": repr(precision)
        }
    elif deadline is not None and not precision:
        errors["precision"] = gettext("Say how precise the deadline is.")
    elif deadline is None and precision:
        errors["deadline"] = gettext("Give a date for this precision, or clear both.")
    elif (deadline, precision) == (commitment.deadline, commitment.deadline_precision or ""):
        errors["deadline"] = gettext("The deadline is already %(deadline)s.") % {
            "deadline": commitment.deadline_display
        }
    elif deadline and commitment.announced_on and deadline < commitment.announced_on:
        errors["deadline"] = gettext("The deadline is before the announcement.")
    return errors


def check_deadline_change(
    *,
    commitment: Commitment,
    deadline: dt.date | None,
    precision: str | None,
    reason: str,
    note: str = "",
) -> None:
    """The rules of `change_deadline` without writing: for a form that shows its
    problems before saving. Raises ValidationError keyed by field."""
    deadline, precision = _normalised(deadline, precision)
    errors = _problems(
        commitment,
        deadline=deadline,
        precision=precision,
        reason=reason or "",
        note=(note or "").strip(),
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change_deadline(
    *,
    commitment: Commitment,
    deadline: dt.date | None,
    precision: str | None,
    reason: str,
    note: str = "",
    by: AbstractBaseUser | None,
    source: Source | None = None,
    changed_at: dt.datetime | None = None,
) -> DeadlineChange:
    """Move `commitment`'s deadline to `deadline` with `precision` (both None or empty to
    remove it) for `reason` (a `DeadlineChangeReason` key; "" only for a first deadline), with an optional `note`, by
    the user `by`, as announced by `source` when there is one. Records the change in the
    commitment's deadline history and sets its deadline, all or nothing; raises
    ValidationError keyed by `deadline`, `precision`, `reason` or `note` and writes
    nothing when a rule is broken (see the module's description). `changed_at` keeps
    the time of a change first recorded elsewhere; it defaults to now.

    Returns the recorded `DeadlineChange`; the `commitment` passed in carries the new
    deadline afterwards."""
    deadline, precision = _normalised(deadline, precision)
    note = (note or "").strip()
    locked = Commitment.objects.select_for_update(of=("self",)).get(pk=commitment.pk)
    errors = _problems(
        locked, deadline=deadline, precision=precision, reason=reason or "", note=note
    )
    if changed_at is not None and changed_at > timezone.now():
        errors["changed_at"] = gettext("A deadline change cannot be recorded in the future.")
    if errors:
        raise ValidationError(errors)
    change = DeadlineChange(
        commitment=locked,
        old_deadline=locked.deadline,
        old_precision=locked.deadline_precision or "",
        new_deadline=deadline,
        new_precision=precision,
        reason=reason,
        note=note,
        source=source,
        changed_by=by,
        changed_at=changed_at or timezone.now(),
    )
    change.full_clean(exclude=["commitment", "changed_by", "source"])
    change.save()
    Commitment.objects.filter(pk=locked.pk).update(
        deadline=deadline, deadline_precision=precision, updated_at=timezone.now()
    )
    commitment.deadline, commitment.deadline_precision = deadline, precision
    return change
