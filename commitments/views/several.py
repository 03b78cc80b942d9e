"""One update for several commitments at once, for the ones ticked in a list.

Each selected commitment gets its own history entry through
`services.record_status_update`, all in one transaction: when the service refuses any
of them, or another update was recorded for one meanwhile, nothing is written and the
page says which commitment and why. New evidence items are recorded once
(`services.record_evidence`) and back every entry. After saving, the analyst goes back
to the list they came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext

from .. import services
from ..access import require_perm
from ..choices import Status
from ..forms.several import (
    SEVERAL_MAX,
    SeveralUpdateForm,
    latest_recorded_ids,
    names,
    serialize_seen,
)
from ..forms.updates import UPDATE_FIELDS, add_service_errors
from ..models import Commitment, StatusUpdate
from .worklist import safe_back

TEMPLATE = "commitments/updates/update_several.html"
# The list's checkboxes send `c=<slug>` once per commitment, and `back=<the list's path>`.
SELECTED = "c"
SLUG_SHOWN = 80


class _NothingSaved(Exception):
    """Raised inside the transaction to undo every entry when one of them failed."""


def _selection(request) -> tuple[list[Commitment], str | None]:
    """The selected commitments in the list's order, or what is wrong with the selection."""
    slugs = list(dict.fromkeys(s.strip() for s in request.GET.getlist(SELECTED) if s.strip()))
    if not slugs:
        return [], gettext(
            "No commitment is selected. Tick the commitments in the list, then press "
            "“Record an update for the selected”."
        )
    if len(slugs) > SEVERAL_MAX:
        return [], gettext(
            "%(count)s commitments are selected: record an update for at most %(max)s at a time."
        ) % {"count": len(slugs), "max": SEVERAL_MAX}
    found = {c.slug: c for c in Commitment.objects.filter(slug__in=slugs).select_related("source")}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        shown = ", ".join(f"“{slug[:SLUG_SHOWN]}”" for slug in unknown[:5])
        if len(unknown) > 5:
            shown = gettext("%(names)s and %(count)s more") % {
                "names": shown,
                "count": len(unknown) - 5,
            }
        return [], gettext(
            "No commitment is recorded as %(names)s. Go back to the list and select "
            "the commitments again."
        ) % {"names": shown}
    return [found[slug] for slug in slugs], None


def _initial(commitments: list[Commitment]) -> dict:
    """Start from the status and progress the selected commitments share, if they do."""
    initial = {"seen": serialize_seen(latest_recorded_ids(commitments))}
    if len({(c.status, c.progress) for c in commitments}) == 1:
        initial["status"], initial["progress"] = commitments[0].status, commitments[0].progress
    return initial


def update_several(request):
    if denied := require_perm(request, "commitments.add_statusupdate"):
        return denied
    back = safe_back(request, request.GET.get("back"))
    commitments, problem = _selection(request)
    if problem:
        status = 200 if not request.GET.getlist(SELECTED) else 400
        return render(request, TEMPLATE, {"problem": problem, "back": back}, status=status)
    if request.method == "POST":
        form = SeveralUpdateForm(request.POST, commitments=commitments)
        if not form.finding and form.is_valid():
            return _save(request, form, back)
    else:
        form = SeveralUpdateForm(initial=_initial(commitments), commitments=commitments)
    return _render(request, form, back)


def _render(request, form: SeveralUpdateForm, back: str, status: int = 200):
    return render(request, TEMPLATE, {"form": form, "back": back}, status=status)


def _save(request, form: SeveralUpdateForm, back: str):
    arguments = form.update_arguments()
    new_items = arguments.pop("new_evidence")
    picked = arguments.pop("evidence")
    updates: list[StatusUpdate] = []
    stale: list[Commitment] = []
    problems: list[tuple[Commitment, ValidationError]] = []
    try:
        with transaction.atomic():
            shared = [services.record_evidence(item=item, by=request.user) for item in new_items]
            for commitment in form.commitments:
                try:
                    updates.append(
                        services.record_status_update(
                            commitment=commitment,
                            evidence=[*picked, *shared],
                            **arguments,
                            seen_latest_id=form.seen_latest_id(commitment),
                            by=request.user,
                        )
                    )
                except services.StaleUpdateError:
                    stale.append(commitment)
                except ValidationError as error:
                    problems.append((commitment, error))
            if stale or problems:
                raise _NothingSaved
    except _NothingSaved:
        if stale:
            return _conflict(request, form, stale, back)
        form.add_failures(problems)
        return _render(request, form, back)
    except ValidationError as error:  # a new evidence item the service refused
        add_service_errors(form, error, UPDATE_FIELDS)
        return _render(request, form, back)
    messages.success(request, _recorded_message(updates))
    return redirect(back)


def _conflict(request, form: SeveralUpdateForm, stale: list[Commitment], back: str):
    """Another update was recorded for some of them while the analyst was editing: save
    nothing, say which, and carry what is recorded now, so saving again is deliberate."""
    data = request.POST.copy()
    data["seen"] = serialize_seen(latest_recorded_ids(form.commitments))
    fresh = SeveralUpdateForm(data, commitments=form.commitments)
    fresh.is_valid()
    fresh.add_error(
        None,
        gettext(
            "Someone else recorded an update for %(names)s while you were editing. "
            "Nothing was saved: read the latest history, then save again."
        )
        % {"names": names(stale)},
    )
    return _render(request, fresh, back, status=409)


def _recorded_message(updates: list[StatusUpdate]) -> str:
    first = updates[0]
    values = {
        "what": gettext("a review") if first.review else Status(first.status).label,
        "progress": first.progress,
        "effective": first.effective_display,
        "count": len(updates),
        "names": names([u.commitment for u in updates]),
    }
    if first.progress is not None:
        text = ngettext(
            "Recorded %(what)s at %(progress)s%%, effective %(effective)s, for %(count)s "
            "commitment: %(names)s.",
            "Recorded %(what)s at %(progress)s%%, effective %(effective)s, for %(count)s "
            "commitments: %(names)s.",
            len(updates),
        )
    else:
        text = ngettext(
            "Recorded %(what)s, effective %(effective)s, for %(count)s commitment: %(names)s.",
            "Recorded %(what)s, effective %(effective)s, for %(count)s commitments: %(names)s.",
            len(updates),
        )
    return text % values
