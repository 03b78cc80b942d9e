"""Assessing a commitment's parties: each ticked party's own status and score, with one
rationale, date and evidence, all or nothing (`services.assessments`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from ..access import require_perm
from ..forms.assessments import PartyAssessmentForm, seen_ids
from ..models import Commitment, Party, PartyAssessment
from ..services import MAX_ID, StaleUpdateError
from ..services.assessments import record_party_assessments


def assess_parties(request, slug: str):
    if denied := require_perm(request, "commitments.add_statusupdate"):
        return denied
    commitment = get_object_or_404(Commitment.objects.select_related("source"), slug=slug)
    parties = list(
        Party.objects.filter(commitment=commitment).select_related("actor").order_by("actor__name")
    )
    if not parties:
        messages.error(
            request, gettext("This commitment has no parties to assess: add them first.")
        )
        return redirect(commitment.get_absolute_url())
    corrects = _corrected(request, commitment)
    if corrects is not None and corrects.is_corrected:
        messages.error(
            request,
            gettext(
                "That assessment has already been corrected. To change it again, correct the "
                "correction."
            ),
        )
        return redirect(commitment.get_absolute_url())
    if request.method != "POST":
        initial = _initial(commitment, parties, request.GET.getlist("party"))
        if corrects is not None:
            initial.update(PartyAssessmentForm.initial_from(corrects))
        form = PartyAssessmentForm(
            initial=initial, commitment=commitment, parties=parties, corrects=corrects
        )
        return _render(request, commitment, form)
    form = PartyAssessmentForm(
        request.POST, commitment=commitment, parties=parties, corrects=corrects
    )
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
    if corrects:
        text = gettext("Your correction was recorded: %(names)s.")
    else:
        text = gettext("Your assessment was recorded: %(names)s.")
    messages.success(request, text % {"names": names})
    return redirect(commitment.get_absolute_url())


def _corrected(request, commitment: Commitment) -> PartyAssessment | None:
    """The assessment named by `?corrects=<id>`, of one of this commitment's parties."""
    raw = request.GET.get("corrects")
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise Http404(gettext("No such assessment."))
    return get_object_or_404(
        PartyAssessment.objects.select_related("party__actor", "corrected_by").prefetch_related(
            "evidence"
        ),
        pk=int(raw),
        party__commitment=commitment,
    )


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
    corrects = _corrected(request, commitment)
    form = PartyAssessmentForm(data, commitment=commitment, parties=parties, corrects=corrects)
    form.is_valid()
    return _render(request, commitment, form, conflict=True, status=409)


def _render(request, commitment, form, *, conflict=False, status=200):
    return render(
        request,
        "commitments/updates/assess_parties.html",
        {"commitment": commitment, "form": form, "conflict": conflict, "corrects": form.corrects},
        status=status,
    )
