"""Recording what happened: status updates, corrections, milestones, and the activity feed.

History is append-only: there is no view that edits or deletes an update. A
correction is a new update that names the one it corrects.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe

from .. import services
from ..access import require_perm
from ..forms.assessments import seen_ids
from ..forms.updates import (
    COMPLETION_FIELDS,
    UPDATE_FIELDS,
    ActivityFilterForm,
    CompleteMilestoneForm,
    MilestoneForm,
    StatusUpdateForm,
    add_service_errors,
)
from ..models import Commitment, Evidence, Milestone, Party, PartyAssessment, StatusUpdate
from ..selectors.assessments import from_parties
from ..services.assessments import record_update_and_assessments
from .worklist import Place, list_from, list_url, next_in_list, update_url

ACTIVITY_PAGE_SIZE = 25


def _latest_recorded(commitment: Commitment) -> StatusUpdate | None:
    """The update the analyst sees when the form opens: the most recently recorded one."""
    return StatusUpdate.objects.last_recorded_for(commitment).select_related("recorded_by").first()


def _parties(commitment: Commitment, corrects: StatusUpdate | None) -> list[Party]:
    """The rows a new update offers to assess (none for a correction), in one query."""
    if corrects is not None:
        return []
    return list(
        Party.objects.filter(commitment=commitment).select_related("actor").order_by("actor__name")
    )


def _record(request, commitment: Commitment, *, corrects: StatusUpdate | None = None):
    """The update form and its correction variant share this flow. A new update's form
    also carries a row per party: one submit records the overall status update, the
    ticked parties' assessments, or both, all or nothing."""
    parties = _parties(commitment, corrects)
    if request.method == "POST":
        form = StatusUpdateForm(
            request.POST, commitment=commitment, corrects=corrects, parties=parties
        )
        if form.finding:
            latest = _latest_recorded(commitment)
            return _render_form(request, commitment, form, latest=latest, corrects=corrects)
        if form.is_valid():
            query = list_from(request)
            # Where the next commitment is, as the list stood before this update.
            place = next_in_list(query, commitment) if query is not None else None
            try:
                update, rows = record_update_and_assessments(
                    commitment=commitment,
                    update=form.overall_arguments(),
                    parties=form.party_inputs(),
                    seen_latest_id=form.cleaned_data["seen_latest_id"],
                    by=request.user,
                    **form.shared_arguments(),
                )
            except services.StaleUpdateError as conflict:
                return _conflict(request, commitment, conflict.latest, corrects, parties)
            except ValidationError as error:
                add_service_errors(form, error, UPDATE_FIELDS)
            else:
                message = _recorded_message(update, rows, corrects)
                if place is not None:
                    message = format_html("{} {}", message, _next_message(place, query))
                messages.success(request, message)
                return redirect(commitment.get_absolute_url())
        latest = _latest_recorded(commitment)
    else:
        if corrects:
            initial = StatusUpdateForm.initial_from(corrects)
        else:
            initial = StatusUpdateForm.initial_now(commitment)
            if request.GET.get("from_parties") and (derived := from_parties(commitment)):
                initial.update(derived)
            if parties:
                ticked = request.GET.getlist("party")
                initial.update(StatusUpdateForm.party_initial(commitment, parties, ticked))
        latest = _latest_recorded(commitment)
        initial["seen_latest_id"] = latest.pk if latest else None
        form = StatusUpdateForm(
            initial=initial, commitment=commitment, corrects=corrects, parties=parties
        )
    return _render_form(request, commitment, form, latest=latest, corrects=corrects)


def _recorded_message(
    update: StatusUpdate | None, rows: list[PartyAssessment], corrects: StatusUpdate | None
) -> str:
    """What was recorded, and which update the current status comes from."""
    parts = []
    if update is not None:
        if corrects:
            text = gettext("Your correction was recorded: %(status)s, effective %(effective)s.")
        elif update.review:
            text = gettext("Your review was recorded: %(status)s, effective %(effective)s.")
        else:
            text = gettext("Your status update was recorded: %(status)s, effective %(effective)s.")
        text %= {"status": update.status_label, "effective": update.effective_display}
        current = services.latest_update(update.commitment)
        if current is not None and current.pk != update.pk:
            text += " " + gettext(
                "The current status stays %(status)s, from the update effective %(effective)s."
            ) % {"status": current.status_label, "effective": current.effective_display}
        parts.append(text)
    if rows:
        names = ", ".join(f"{row.party.actor.name} {row.status_label}" for row in rows)
        parts.append(
            ngettext(
                "The party's assessment was recorded: %(names)s.",
                "The parties' assessments were recorded: %(names)s.",
                len(rows),
            )
            % {"names": names}
        )
    return " ".join(parts)


def _next_message(place: Place, query: str) -> str:
    """Where to go on in the list the form was opened from."""
    if place.next is not None:
        return format_html(
            gettext('Next in this list: <a href="{}">{}</a>.'),
            update_url(place.next, query),
            place.next.title,
        )
    if place.in_list:
        return format_html(
            gettext('That was the last in <a href="{}">this list</a>.'), list_url(query)
        )
    return format_html(
        gettext('It is no longer in <a href="{}">the list you came from</a>.'), list_url(query)
    )


def _conflict(request, commitment, newer, corrects, parties: list[Party]):
    """Refuse a stale save: show the newer update (or the parties as they are now) and
    keep everything the analyst typed. The form now carries the newer update's and
    assessments' ids, so saving again is a deliberate choice."""
    commitment.refresh_from_db(fields=["status", "progress"])
    data = request.POST.copy()
    newest = services.latest_recorded_id(commitment)
    data["seen_latest_id"] = str(newest) if newest else ""
    for party_pk, latest in seen_ids(commitment).items():
        data[f"seen_{party_pk}"] = str(latest)
    parties = list(
        Party.objects.filter(pk__in=[p.pk for p in parties])
        .select_related("actor")
        .order_by("actor__name")
    )
    form = StatusUpdateForm(data, commitment=commitment, corrects=corrects, parties=parties)
    form.is_valid()
    latest = newer if isinstance(newer, StatusUpdate) else _latest_recorded(commitment)
    return _render_form(
        request, commitment, form, latest=latest, corrects=corrects, conflict=True, status=409
    )


def _render_form(request, commitment, form, *, latest, corrects, conflict=False, status=200):
    query = list_from(request)
    return render(
        request,
        "commitments/updates/update_form.html",
        {
            "commitment": commitment,
            "form": form,
            "corrects": corrects,
            "conflict": conflict,
            "latest": latest,
            "list_query": query,
            "list_back": None if query is None else list_url(query),
        },
        status=status,
    )


def record_update(request, slug: str):
    if denied := require_perm(request, "commitments.add_statusupdate"):
        return denied
    commitment = get_object_or_404(Commitment.objects.select_related("source"), slug=slug)
    return _record(request, commitment)


def correct_update(request, slug: str, pk: int):
    if denied := require_perm(request, "commitments.add_statusupdate"):
        return denied
    commitment = get_object_or_404(Commitment.objects.select_related("source"), slug=slug)
    corrected = get_object_or_404(
        StatusUpdate.objects.select_related("recorded_by", "corrected_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.only("pk"))
        ),
        pk=pk,
        commitment=commitment,
    )
    if corrected.is_corrected:
        messages.error(
            request,
            gettext(
                "That update has already been corrected. To change it again, correct the correction."
            ),
        )
        return redirect(commitment.get_absolute_url())
    return _record(request, commitment, corrects=corrected)


def add_milestone(request, slug: str):
    if denied := require_perm(request, "commitments.add_milestone"):
        return denied
    commitment = get_object_or_404(Commitment, slug=slug)
    form = MilestoneForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        milestone = services.add_milestone(
            commitment=commitment,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            due_precision=form.cleaned_data["due_precision"],
        )
        messages.success(
            request, gettext("Milestone added: %(title)s.") % {"title": milestone.title}
        )
        return redirect(commitment.get_absolute_url())
    return render(
        request,
        "commitments/updates/milestone_form.html",
        {"commitment": commitment, "form": form},
    )


def complete_milestone(request, slug: str, pk: int):
    if denied := require_perm(request, "commitments.change_milestone"):
        return denied
    milestone = get_object_or_404(
        Milestone.objects.select_related("commitment", "commitment__source"),
        pk=pk,
        commitment__slug=slug,
    )
    commitment = milestone.commitment
    if milestone.is_completed:
        messages.error(
            request, gettext("“%(title)s” is already completed.") % {"title": milestone.title}
        )
        return redirect(commitment.get_absolute_url())
    form = CompleteMilestoneForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and not form.finding and form.is_valid():
        try:
            services.complete_milestone(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error, COMPLETION_FIELDS)
        else:
            messages.success(
                request, gettext("Milestone completed: %(title)s.") % {"title": milestone.title}
            )
            return redirect(commitment.get_absolute_url())
    return render(
        request,
        "commitments/updates/milestone_complete.html",
        {"commitment": commitment, "milestone": milestone, "form": form},
    )


@require_safe
def activity(request):
    """The latest updates across all commitments, newest recorded first."""
    filters = ActivityFilterForm(request.GET or None)
    updates = filters.filter(
        StatusUpdate.objects.select_related(
            "commitment", "recorded_by", "corrects", "corrected_by"
        ).recorded_newest_first()
    )
    page = Paginator(updates, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/updates/activity.html",
        {"filters": filters, "page": page, "updates": page.object_list},
    )
