"""Assessing a commitment's parties: each ticked party's own status and score, with one
rationale, date and evidence, all or nothing (`services.assessments`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from ..access import require_perm
from ..forms.assessments import PartyAssessmentForm, seen_ids
from ..models import Commitment, Party
from ..services import StaleUpdateError
from ..services.assessments import record_party_assessments


def assess_parties(request, slug: str):
    if denied := require_perm(request, "commitments.add_statusupdate"):
        return denied
    commitment = get_object_or_404(Commitment.objects.select_related("source"), slug=slug)
    parties = list(
        Party.objects.filter(commitment=commitment).select_related("actor").order_by("actor__name")
    )
    if not parties:
        messages.error(request, "This commitment has no parties to assess: add them first.")
        return redirect(commitment.get_absolute_url())
    if request.method != "POST":
        form = PartyAssessmentForm(
            initial=_initial(commitment, parties, request.GET.getlist("party")),
            commitment=commitment,
            parties=parties,
        )
        return _render(request, commitment, form)
    form = PartyAssessmentForm(request.POST, commitment=commitment, parties=parties)
    if form.finding or not form.is_valid():
        return _render(request, commitment, form)
    try:
        rows = record_party_assessments(
            commitment=commitment,
            parties=form.party_inputs(),
            by=request.user,
            **form.shared_arguments(),
        )
    except StaleUpdateError:
        return _conflict(request, commitment, parties)
    except ValidationError as error:
        form.add_service_errors(None, error)
        return _render(request, commitment, form)
    names = ", ".join(f"{row.party.actor.name} {row.status_label}" for row in rows)
    messages.success(request, f"Your assessment was recorded: {names}.")
    return redirect(commitment.get_absolute_url())


def _initial(commitment: Commitment, parties: list[Party], ticked: list[str]) -> dict:
    """Each party's current status and score, the last assessment the analyst sees, and
    the parties named in the address (`?party=<actor slug>`) ticked."""
    seen = seen_ids(commitment)
    initial: dict = {}
    for party in parties:
        initial[f"seen_{party.pk}"] = seen.get(party.pk)
        initial[f"assess_{party.pk}"] = party.actor.slug in ticked or len(parties) == 1
    return initial


def _conflict(request, commitment: Commitment, parties: list[Party]):
    """Refuse a stale save: keep what was typed, show the parties as they are now, and
    carry the newer assessments' ids so saving again is a deliberate choice."""
    data = request.POST.copy()
    for party_pk, latest in seen_ids(commitment).items():
        data[f"seen_{party_pk}"] = str(latest)
    parties = list(
        Party.objects.filter(pk__in=[p.pk for p in parties])
        .select_related("actor")
        .order_by("actor__name")
    )
    form = PartyAssessmentForm(data, commitment=commitment, parties=parties)
    form.is_valid()
    return _render(request, commitment, form, conflict=True, status=409)


def _render(request, commitment, form, *, conflict=False, status=200):
    return render(
        request,
        "commitments/updates/assess_parties.html",
        {"commitment": commitment, "form": form, "conflict": conflict},
        status=status,
    )
