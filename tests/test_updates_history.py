"""History is append-only: a correction is a new update that names the one it corrects."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from commitments import services
from commitments.models import StatusUpdate

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def commitment(make):
    return make.commitment("Deliver a fighter")


@pytest.fixture
def evidence(commitment, make):
    return make.evidence(commitment, title="Ministry note")


@pytest.fixture
def wrong(commitment, evidence):
    return services.record_status_update(
        commitment=commitment,
        status="achieved",
        progress=100,
        effective_on=dt.date(2026, 2, 1),
        rationale="Misread the report.",
        evidence=[evidence],
        by=None,
    )


def correct_url(update):
    return reverse("update_correct", args=[update.commitment.slug, update.pk])


def correction_data(update, **fields):
    data = {
        "status": "in_progress",
        "progress": "60",
        "effective_on": "2026-02-01",
        "rationale": "The report describes a contract, not a delivery.",
        "evidence": [str(e.pk) for e in update.evidence.all()],
        "seen_latest_id": str(services.latest_recorded_id(update.commitment)),
        "new-TOTAL_FORMS": "0",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
    }
    data.update(fields)
    return data


def test_the_correction_form_starts_from_the_corrected_update(analyst_client, wrong, evidence):
    response = analyst_client.get(correct_url(wrong))
    form = response.context["form"]
    assert form["status"].value() == "achieved"
    assert form["progress"].value() == 100
    assert form["effective_on"].value() == dt.date(2026, 2, 1)
    assert form["rationale"].value() == "Misread the report."
    assert form["evidence"].value() == [evidence.pk]
    assert response.context["corrects"] == wrong
    assert "The update you are correcting" in response.content.decode()


def test_a_correction_is_a_new_update_that_names_the_one_it_corrects(
    analyst_client, analyst, wrong, commitment
):
    response = analyst_client.post(correct_url(wrong), correction_data(wrong))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your correction was recorded: In progress, effective 1 Feb 2026."
    ]
    correction = StatusUpdate.objects.exclude(pk=wrong.pk).get()
    assert (correction.corrects, correction.recorded_by) == (wrong, analyst)
    wrong.refresh_from_db()
    assert wrong.is_corrected
    assert (wrong.status, wrong.rationale) == ("achieved", "Misread the report.")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 60)


def test_an_update_is_corrected_only_once(analyst_client, wrong):
    analyst_client.post(correct_url(wrong), correction_data(wrong))
    response = analyst_client.get(correct_url(wrong))
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("already been corrected" in message for message in shown)
    again = analyst_client.post(correct_url(wrong), correction_data(wrong))
    assert again.status_code == 302
    assert StatusUpdate.objects.count() == 2


def test_the_service_refuses_a_second_correction(wrong, evidence):
    kwargs = {
        "commitment": wrong.commitment,
        "status": "in_progress",
        "rationale": "Fix.",
        "evidence": [evidence],
        "by": None,
        "corrects": wrong,
    }
    services.record_status_update(**kwargs)
    with pytest.raises(ValidationError) as error:
        services.record_status_update(**kwargs)
    assert error.value.message_dict["corrects"] == ["That update has already been corrected."]


def test_an_update_of_another_commitment_cannot_be_corrected_here(analyst_client, wrong, make):
    other = make.commitment("Another")
    url = reverse("update_correct", args=[other.slug, wrong.pk])
    assert analyst_client.get(url).status_code == 404


def test_a_stale_correction_is_refused(analyst_client, wrong, evidence, commitment):
    data = correction_data(wrong)
    services.record_status_update(
        commitment=commitment,
        status="stalled",
        rationale="Meanwhile it stalled.",
        evidence=[evidence],
        by=None,
    )
    response = analyst_client.post(correct_url(wrong), data)
    assert response.status_code == 409
    assert "Meanwhile it stalled." in response.content.decode()
    assert StatusUpdate.objects.count() == 2


def test_there_is_no_way_to_edit_or_delete_an_update_on_the_site(wrong):
    for name in ("update_edit", "update_delete", "statusupdate_edit", "statusupdate_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[wrong.commitment.slug, wrong.pk])


def test_the_admin_cannot_edit_or_delete_an_update(client, superuser, wrong):
    client.force_login(superuser)
    change = reverse("admin:commitments_statusupdate_change", args=[wrong.pk])
    delete = reverse("admin:commitments_statusupdate_delete", args=[wrong.pk])
    assert client.post(change, {"status": "broken", "rationale": "Edited."}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    wrong.refresh_from_db()
    assert (wrong.status, wrong.rationale) == ("achieved", "Misread the report.")


# -- access ---------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_login(client, wrong):
    response = client.get(correct_url(wrong))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={correct_url(wrong)}"


def test_a_reader_without_a_role_gets_403(client, reader, wrong):
    client.force_login(reader)
    assert client.get(correct_url(wrong)).status_code == 403
    assert client.post(correct_url(wrong), correction_data(wrong)).status_code == 403
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize("role", ["analyst", "editor", "superuser"])
def test_analysts_editors_and_admins_can_correct(client, request, wrong, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(correct_url(wrong)).status_code == 200


def test_the_correction_page_runs_in_constant_queries(
    analyst_client, commitment, make, django_assert_num_queries
):
    items = [make.evidence(commitment) for _ in range(12)]
    updates = [
        services.record_status_update(
            commitment=commitment,
            status="in_progress",
            progress=i,
            rationale=f"Step {i}.",
            evidence=items,
            by=None,
        )
        for i in range(8)
    ]
    # session, user, permissions (2), commitment, corrected update with its author and
    # its evidence ids, latest update, evidence choices
    with django_assert_num_queries(9):
        response = analyst_client.get(correct_url(updates[3]))
    assert len(response.context["form"]["evidence"].value()) == 12


def test_a_backdated_update_follows_the_status_of_its_own_date_not_the_current_one(make):
    commitment = make.commitment("Port")
    evidence = [make.evidence(commitment)]

    def record(status, day, **kwargs):
        return services.record_status_update(
            commitment=commitment,
            status=status,
            effective_on=day,
            rationale=f"{status} on {day}",
            evidence=evidence,
            by=None,
            **kwargs,
        )

    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        record("in_progress", dt.date(2026, 1, 10))
        wrong = record("broken", dt.date(2026, 3, 10))
        record("stalled", dt.date(2026, 5, 10))
        backdated = record("not_started", dt.date(2026, 2, 10), behind_latest=True)
        correction = record("in_progress", dt.date(2026, 3, 10), corrects=wrong, progress=30)
    commitment.refresh_from_db()
    assert commitment.status == "stalled"
    assert backdated.previous_status == "in_progress"  # as of 10 Feb, not the current Stalled
    assert correction.previous_status == "not_started"  # the corrected entry is skipped
