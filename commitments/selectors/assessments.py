"""A commitment's parties as its page shows them: each party's own status and score, its
last evidence and its history, read with the commitment in two prefetches, and whether
the overall status is the one the parties' statuses suggest."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from ..choices import status_label
from ..models import Commitment, Party, PartyAssessment
from ..services.assessments import derived_status


def party_rows() -> QuerySet[Party]:
    """The parties with their actors and their whole histories, newest first."""
    history = (
        PartyAssessment.objects.select_related("recorded_by", "corrects", "corrected_by")
        .prefetch_related("evidence")
        .newest_first()
    )
    return (
        Party.objects.select_related("actor")
        .prefetch_related(Prefetch("assessments", queryset=history))
        .order_by("role", "actor__name")
    )


def party_summary(commitment: Commitment) -> dict:
    """Rows for the page (party, history, last evidence) and the overall status's origin:
    `derived` is what the parties suggest (None when none is assessed), `matches` whether
    the overall status equals it. Reads only what `party_rows` prefetched."""
    rows = []
    for party in commitment.parties.all():
        party.commitment = commitment
        history = list(party.assessments.all())
        last_evidence = next(
            (item for entry in history if not entry.is_corrected for item in entry.evidence.all()),
            None,
        )
        rows.append({"party": party, "history": history, "last_evidence": last_evidence})
    derived = derived_status(row["party"].status for row in rows)
    return {
        "rows": rows,
        "assessed": any(row["history"] for row in rows),
        "derived": derived,
        "matches": derived is not None and derived == commitment.status,
    }


def from_parties(commitment: Commitment) -> dict | None:
    """What a status update deriving the overall status from the parties starts from:
    the status they give, a rationale naming each party's, and the evidence of their
    current assessments; None when no party is assessed. Two queries."""
    parties = list(
        Party.objects.filter(commitment=commitment)
        .select_related("actor")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=PartyAssessment.objects.not_corrected()
                .newest_first()
                .prefetch_related("evidence"),
            )
        )
        .order_by("actor__name")
    )
    derived = derived_status(party.status for party in parties)
    if derived is None:
        return None
    named = "; ".join(
        f"{party.actor.name}: {status_label(party.status, commitment.kind)}" for party in parties
    )
    evidence = []
    for party in parties:
        current = next(iter(party.assessments.all()), None)
        if current is not None:
            evidence.extend(item.pk for item in current.evidence.all())
    return {
        "status": derived,
        "rationale": gettext("As the parties' own statuses give (%(statuses)s).")
        % {"statuses": named},
        "evidence": list(dict.fromkeys(evidence)),
    }
