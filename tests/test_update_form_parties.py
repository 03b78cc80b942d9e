"""The commitment's status update form also assesses its parties: one submit records the
overall status update, the ticked parties' own assessments, or both, all or nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Evidence, Party, PartyAssessment, StatusUpdate
from commitments.services.assessments import record_party_assessment

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def gcap(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    commitment = make.commitment("Deliver GCAP", parties=[italy, japan])
    evidence = make.evidence(commitment, title="Defence white paper")
    return commitment, italy, japan, evidence


def url(commitment):
    return reverse("commitment_update", args=[commitment.slug])


def party(commitment, actor):
    return Party.objects.get(commitment=commitment, actor=actor)


def form_data(commitment, evidence, ticked, *, parties_only=False, **extra):
    data = {
        "status": "in_progress",
        "progress": "40",
        "effective_on": "2026-03-02",
        "effective_precision": "day",
        "rationale": "Budget lines approved.",
        "evidence": [str(evidence.pk)] if evidence else [],
        "seen_latest_id": "",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-kind": "news_report",
        "new-0-reliability": "secondary",
    }
    for p in Party.objects.filter(commitment=commitment):
        data[f"status_{p.pk}"] = p.status
        data[f"score_{p.pk}"] = ""
        data[f"seen_{p.pk}"] = ""
    for actor, status, score in ticked:
        p = party(commitment, actor)
        data[f"assess_{p.pk}"] = "on"
        data[f"status_{p.pk}"] = status
        data[f"score_{p.pk}"] = score
    if parties_only:
        data["parties_only"] = "on"
    data.update(extra)
    return data


def test_it_sends_anonymous_visitors_to_login_and_refuses_readers(client, reader, gcap):
    commitment, *_ = gcap
    assert client.get(url(commitment)).status_code == 302
    client.force_login(reader)
    assert client.get(url(commitment)).status_code == 403
    assert client.post(url(commitment), {}).status_code == 403


def test_it_records_the_update_and_several_parties_in_one_submit(analyst_client, gcap):
    commitment, italy, japan, evidence = gcap
    data = form_data(commitment, evidence, [(italy, "achieved", "1"), (japan, "in_progress", "0")])
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 40)
    assert (party(commitment, italy).status, party(commitment, italy).score) == ("achieved", 1)
    assert (party(commitment, japan).status, party(commitment, japan).score) == ("in_progress", 0)
    update = StatusUpdate.objects.get(commitment=commitment)
    for row in PartyAssessment.objects.all():
        assert row.rationale == update.rationale == "Budget lines approved."
        assert row.effective_on == update.effective_on == dt.date(2026, 3, 2)
        assert list(row.evidence.all()) == [evidence]
    message = analyst_client.get(commitment.get_absolute_url()).content.decode()
    assert "The parties&#x27; assessments were recorded: Italy Achieved, Japan In progress." in (
        message
    )


def test_it_records_one_party_without_touching_the_overall_status(analyst_client, gcap):
    commitment, italy, japan, evidence = gcap
    data = form_data(commitment, evidence, [(japan, "stalled", "-1")], parties_only=True)
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 302
    assert StatusUpdate.objects.count() == 0
    commitment.refresh_from_db()
    assert commitment.status == "not_rated"
    assert (party(commitment, japan).status, party(commitment, japan).score) == ("stalled", -1)
    assert party(commitment, italy).status == "not_rated"


def test_it_records_the_update_alone_when_no_party_is_ticked(analyst_client, gcap):
    commitment, _, _, evidence = gcap
    response = analyst_client.post(url(commitment), form_data(commitment, evidence, []))
    assert response.status_code == 302
    assert StatusUpdate.objects.count() == 1
    assert PartyAssessment.objects.count() == 0


def test_it_asks_for_a_party_when_only_parties_are_to_be_recorded(analyst_client, gcap):
    commitment, _, _, evidence = gcap
    data = form_data(commitment, evidence, [], parties_only=True)
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 200
    assert "Tick at least one party to assess." in response.content.decode()
    assert StatusUpdate.objects.count() == PartyAssessment.objects.count() == 0


@pytest.mark.parametrize("score", ["2", "-2", "x"])
def test_it_refuses_a_bad_score_and_writes_neither_the_update_nor_any_party(
    analyst_client, gcap, score
):
    commitment, italy, japan, evidence = gcap
    data = form_data(commitment, evidence, [(italy, "achieved", "1"), (japan, "achieved", score)])
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert f'id="id_score_{party(commitment, japan).pk}_error"' in html
    assert StatusUpdate.objects.count() == PartyAssessment.objects.count() == 0


def test_it_puts_a_partys_own_problem_on_its_row_and_writes_nothing(analyst_client, gcap):
    commitment, italy, japan, evidence = gcap
    # A score needs a status other than Not yet rated: the service's rule, on Japan's row.
    data = form_data(commitment, evidence, [(italy, "achieved", "1"), (japan, "not_rated", "0")])
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A scored party needs a status other than Not yet rated." in html
    assert f'id="id_score_{party(commitment, japan).pk}_error"' in html
    assert StatusUpdate.objects.count() == PartyAssessment.objects.count() == 0


def test_it_asks_for_the_status_of_a_ticked_party(analyst_client, gcap):
    commitment, italy, _, evidence = gcap
    data = form_data(commitment, evidence, [(italy, "", "")])
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 200
    assert "Choose this party&#x27;s status." in response.content.decode()
    assert StatusUpdate.objects.count() == PartyAssessment.objects.count() == 0


def test_it_refuses_a_stale_party_with_409_and_writes_nothing(analyst_client, gcap):
    commitment, italy, _, evidence = gcap
    data = form_data(commitment, evidence, [(italy, "achieved", "1")])
    record_party_assessment(
        commitment=commitment,
        actor=italy,
        status="stalled",
        rationale="Other analyst.",
        evidence=[evidence],
        effective_on=dt.date(2026, 3, 1),
        by=None,
    )
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 409
    assert StatusUpdate.objects.count() == 0
    assert PartyAssessment.objects.count() == 1
    # The form now carries the newer assessment: saving again is deliberate, and works.
    again = response.context["form"].data.copy()
    assert again[f"seen_{party(commitment, italy).pk}"] == str(PartyAssessment.objects.get().pk)
    assert analyst_client.post(url(commitment), again).status_code == 302
    assert party(commitment, italy).status == "achieved"
    assert StatusUpdate.objects.count() == 1


def test_it_stores_a_new_evidence_item_once_for_the_update_and_every_party(analyst_client, gcap):
    commitment, italy, japan, _ = gcap
    data = form_data(
        commitment,
        None,
        [(italy, "achieved", "1"), (japan, "achieved", "1")],
        **{"new-0-title": "Ministry note without a link", "new-0-url": ""},
    )
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 302
    note = Evidence.objects.get(title="Ministry note without a link")
    assert list(StatusUpdate.objects.get().evidence.all()) == [note]
    assert [list(r.evidence.all()) for r in PartyAssessment.objects.all()] == [[note], [note]]


def test_a_correction_offers_no_party_rows(analyst_client, gcap):
    commitment, italy, _, evidence = gcap
    update = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        rationale="Started.",
        evidence=[evidence],
        effective_on=dt.date(2026, 3, 1),
        by=None,
    )
    response = analyst_client.get(reverse("update_correct", args=[commitment.slug, update.pk]))
    assert response.status_code == 200
    assert f'name="assess_{party(commitment, italy).pk}"' not in response.content.decode()


def test_the_form_ticks_the_party_named_in_the_address_in_constant_queries(
    analyst_client, gcap, make, django_assert_num_queries
):
    commitment, italy, japan, _ = gcap
    # session, user, the user's and the groups' permissions, commitment, its parties,
    # their latest assessments, latest update with its author, evidence choices
    with django_assert_num_queries(9):
        response = analyst_client.get(url(commitment) + "?party=italy")
    html = response.content.decode()
    for name in ("United Kingdom", "France", "Germany"):
        Party.objects.create(commitment=commitment, actor=make.actor(name))
    with django_assert_num_queries(9):  # flat in the number of parties
        analyst_client.get(url(commitment))
    italy_pk, japan_pk = party(commitment, italy).pk, party(commitment, japan).pk
    assert f'name="assess_{italy_pk}" id="id_assess_{italy_pk}" checked' in html
    assert f'name="assess_{japan_pk}" id="id_assess_{japan_pk}">' in html


def test_it_writes_no_party_when_the_overall_update_is_refused(analyst_client, gcap):
    commitment, italy, _, evidence = gcap
    # Achieved below 100% needs its box ticked: the status service's rule, on the overall.
    data = form_data(commitment, evidence, [(italy, "achieved", "1")], status="achieved")
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 200
    assert response.context["form"].errors["progress"] == [
        "Achieved means 100% done. Enter 100, or confirm that it is achieved at 40%."
    ]
    assert StatusUpdate.objects.count() == PartyAssessment.objects.count() == 0
    assert party(commitment, italy).status == "not_rated"
