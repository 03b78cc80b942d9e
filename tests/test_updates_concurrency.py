"""Two analysts saving at once lose nothing: real concurrent requests on PostgreSQL."""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from commitments import services
from commitments.forms.updates import CompleteMilestoneForm
from commitments.models import Evidence, Milestone, StatusUpdate
from tests.conftest import _user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _form_data(seen, rationale):
    return {
        "status": "in_progress",
        "progress": "40",
        "effective_on": "2026-01-05",
        "rationale": rationale,
        "seen_latest_id": seen,
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-title": f"Report for {rationale}",
        # A link of each analyst's own: the same link, saved first by the other, would
        # be offered for reuse instead, which is not the race this file is about.
        "new-0-url": f"https://gov.example/report/{rationale.split()[-1]}",
        "new-0-kind": "news_report",
        "new-0-reliability": "secondary",
    }


def _run_together(*jobs):
    """Run each job in its own thread (and so its own database connection), all released
    at the same moment; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list = []

    def run(i, job):
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except Exception as exc:  # surfaced below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def _slow_stale_check():
    """Hold each save for a moment right after its stale check, so that without the row
    lock both saves would pass the check before either writes."""
    original = services.latest_recorded_id

    def slow(commitment):
        result = original(commitment)
        threading.Event().wait(0.3)
        return result

    return mock.patch.object(services, "latest_recorded_id", side_effect=slow)


def test_it_keeps_one_of_two_simultaneous_saves_and_refuses_the_other(transactional_db, make):
    commitment = make.commitment("Deliver a fighter")
    url = reverse("commitment_update", args=[commitment.slug])
    clients = []
    for name in ("ana", "bea"):
        client = Client()
        client.force_login(_user(name, groups=["Analysts"]))
        clients.append(client)
    seen = [c.get(url).context["form"]["seen_latest_id"].value() for c in clients]
    assert seen == [None, None]

    with _slow_stale_check():
        responses = _run_together(
            lambda: clients[0].post(url, _form_data("", "Reading by ana")),
            lambda: clients[1].post(url, _form_data("", "Reading by bea")),
        )

    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409]
    saved = StatusUpdate.objects.get()
    refused = next(r for r in responses if r.status_code == 409)
    html = refused.content.decode()
    assert "Someone else recorded an update while you were editing" in html
    assert saved.rationale in html
    assert refused.context["form"]["rationale"].value() != saved.rationale
    # Only the saved update's evidence was written; the refused one left nothing behind.
    assert list(Evidence.objects.values_list("title", flat=True)) == [
        f"Report for {saved.rationale}"
    ]


def test_two_analysts_cannot_both_complete_a_milestone(transactional_db, make):
    commitment = make.commitment("Deliver a fighter")
    evidence = make.evidence(commitment)
    milestone = Milestone.objects.create(commitment=commitment, title="Contract signed")
    url = reverse("milestone_complete", args=[commitment.slug, milestone.pk])
    clients = []
    for name in ("ana", "bea"):
        client = Client()
        client.force_login(_user(name, groups=["Analysts"]))
        clients.append(client)
    data = {
        "completed_on": "2026-01-05",
        "evidence": [str(evidence.pk)],
        "new-TOTAL_FORMS": "0",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
    }
    original = CompleteMilestoneForm.clean

    def slow_clean(form):
        # Both requests have read the open milestone before either one writes.
        threading.Event().wait(0.3)
        return original(form)

    with mock.patch.object(CompleteMilestoneForm, "clean", slow_clean):
        responses = _run_together(*[lambda c=c: c.post(url, data) for c in clients])

    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert refused.context["form"].errors["completed_on"] == [
        "This milestone is already completed."
    ]
    milestone.refresh_from_db()
    assert milestone.completed_on is not None
