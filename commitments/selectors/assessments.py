"""A commitment's parties as its page shows them: each party's own status and score, its
last evidence and its history, read with the commitment in two prefetches, and whether
the overall status is the one the parties' statuses suggest."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

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
