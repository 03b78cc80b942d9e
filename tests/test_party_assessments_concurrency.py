"""Two analysts assessing the same party at once: one is recorded, the other refused."""

import pytest

from commitments.models import Party, PartyAssessment
from commitments.services import StaleUpdateError
from commitments.services.assessments import record_party_assessment
from tests.test_updates_concurrency import _run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_keeps_one_of_two_simultaneous_assessments_of_a_party(transactional_db, make):
    italy = make.actor("Italy")
    commitment = make.commitment("Deliver GCAP", parties=[italy])
    evidence = make.evidence(commitment)

    def assess(status):
        def job():
            try:
                return record_party_assessment(
                    commitment=commitment,
                    actor=italy,
                    status=status,
                    rationale=f"Seen as {status}.",
                    evidence=[evidence],
                    seen_latest_id=None,
                    by=None,
                )
            except StaleUpdateError:
                return "stale"

        return job

    results = _run_together(assess("in_progress"), assess("stalled"))
    assert sorted(r == "stale" for r in results) == [False, True]
    kept = next(r for r in results if r != "stale")
    assert PartyAssessment.objects.count() == 1
    assert Party.objects.get(commitment=commitment, actor=italy).status == kept.status
