"""Analysts assess one party or several on the form; the commitment page shows each
party's row and history."""

import datetime as dt

import pytest
from django.urls import reverse

from commitments.models import Party, PartyAssessment
from commitments.services.assessments import record_party_assessment

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def gcap(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    commitment = make.commitment("Deliver GCAP", parties=[italy, japan])
    evidence = make.evidence(commitment, title="Defence white paper")
    return commitment, italy, japan, evidence


def url(commitment):
    return reverse("parties_assess", args=[commitment.slug])


def party(commitment, actor):
    return Party.objects.get(commitment=commitment, actor=actor)


def form_data(commitment, evidence, ticked, **extra):
    data = {
        "effective_on": "2026-03-02",
        "effective_precision": "day",
        "rationale": "Budget lines approved.",
        "evidence": [str(evidence.pk)] if evidence else [],
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-kind": "news_report",
        "new-0-reliability": "secondary",
    }
    for p in Party.objects.filter(commitment=commitment):
        data[f"status_{p.pk}"] = "not_rated"
        data[f"score_{p.pk}"] = ""
        data[f"seen_{p.pk}"] = ""
    for actor, status, score in ticked:
        p = party(commitment, actor)
        data[f"assess_{p.pk}"] = "on"
        data[f"status_{p.pk}"] = status
        data[f"score_{p.pk}"] = score
    data.update(extra)
    return data


def test_it_sends_anonymous_visitors_to_login_and_refuses_readers(client, reader, gcap):
    commitment, *_ = gcap
    assert client.get(url(commitment)).status_code == 302
    client.force_login(reader)
    assert client.get(url(commitment)).status_code == 403
    assert client.post(url(commitment), {}).status_code == 403


def test_it_ticks_the_party_named_in_the_address(
    analyst_client, gcap, make, django_assert_num_queries
):
    commitment, italy, japan, _ = gcap
    with django_assert_num_queries(8):
        response = analyst_client.get(url(commitment) + "?party=italy")
    html = response.content.decode()
    Party.objects.create(commitment=commitment, actor=make.actor("United Kingdom"))
    with django_assert_num_queries(8):  # flat in the number of parties
        analyst_client.get(url(commitment))
    assert (
        f'name="assess_{party(commitment, italy).pk}" id="id_assess_{party(commitment, italy).pk}" checked'
        in html
    )
    assert (
        f'name="assess_{party(commitment, japan).pk}" id="id_assess_{party(commitment, japan).pk}">'
        in html
    )


def test_it_assesses_several_parties_at_once(analyst_client, gcap):
    commitment, italy, japan, evidence = gcap
    data = form_data(commitment, evidence, [(italy, "achieved", "1"), (japan, "in_progress", "0")])
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 302
    assert (party(commitment, italy).status, party(commitment, italy).score) == ("achieved", 1)
    assert (party(commitment, japan).status, party(commitment, japan).score) == ("in_progress", 0)
    assert PartyAssessment.objects.count() == 2


def test_it_asks_for_at_least_one_party(analyst_client, gcap):
    commitment, _, _, evidence = gcap
    response = analyst_client.post(url(commitment), form_data(commitment, evidence, []))
    assert response.status_code == 200
    assert "Tick at least one party to assess." in response.content.decode()
    assert PartyAssessment.objects.count() == 0


@pytest.mark.parametrize("score", ["2", "-2", "x"])
def test_it_refuses_a_score_outside_minus_one_to_one(analyst_client, gcap, score):
    commitment, italy, _, evidence = gcap
    data = form_data(commitment, evidence, [(italy, "achieved", score)])
    response = analyst_client.post(url(commitment), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert PartyAssessment.objects.count() == 0


def test_it_names_the_party_and_shows_a_shared_problem_once(analyst_client, gcap):
    commitment, italy, japan, _ = gcap
    data = form_data(commitment, None, [(italy, "achieved", "1"), (japan, "stalled", "")])
    response = analyst_client.post(url(commitment), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("A status other than Not yet rated needs at least one evidence item.") == 2
    # Once next to the evidence and once in the summary at the top.
    assert PartyAssessment.objects.count() == 0


def test_it_refuses_a_stale_save_with_409_and_writes_nothing(analyst_client, gcap):
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
    assert "Someone else assessed a party" in response.content.decode()
    assert PartyAssessment.objects.count() == 1
    assert party(commitment, italy).status == "stalled"


def test_the_commitment_page_shows_each_partys_row_history_and_the_status_origin(client, gcap):
    commitment, italy, japan, evidence = gcap
    record_party_assessment(
        commitment=commitment,
        actor=italy,
        status="achieved",
        score=1,
        rationale="Delivered.",
        evidence=[evidence],
        effective_on=dt.date(2026, 3, 1),
        by=None,
    )
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert 'id="party-italy"' in html and 'id="party-japan"' in html
    assert "+1 full compliance" in html
    assert "Defence white paper" in html
    assert "Italy: its history (1 entry)" in html
    assert "The overall status is set by an analyst" in html


def test_the_assessment_pages_need_no_symbol_font(analyst_client, gcap):
    from tests.test_phones import SYMBOL_BLOCKS

    commitment, italy, _, evidence = gcap
    record_party_assessment(
        commitment=commitment,
        actor=italy,
        status="achieved",
        score=1,
        rationale="Delivered.",
        evidence=[evidence],
        effective_on=dt.date(2026, 3, 1),
        by=None,
    )
    for path in (url(commitment), commitment.get_absolute_url()):
        assert SYMBOL_BLOCKS.findall(analyst_client.get(path).content.decode()) == [], path


def test_it_corrects_an_assessment_by_a_new_entry_from_the_commitment_page(analyst_client, gcap):
    commitment, italy, japan, evidence = gcap
    wrong = record_party_assessment(
        commitment=commitment,
        actor=italy,
        status="achieved",
        score=1,
        rationale="Misread the report.",
        evidence=[evidence],
        effective_on=dt.date(2026, 3, 1),
        by=None,
    )
    page = analyst_client.get(commitment.get_absolute_url()).content.decode()
    assert f"?corrects={wrong.pk}" in page
    form = analyst_client.get(url(commitment) + f"?corrects={wrong.pk}").context["form"]
    assert [p.actor for p in form.parties] == [italy]
    data = form_data(commitment, evidence, [(italy, "in_progress", "0")])
    del data[f"status_{party(commitment, japan).pk}"]
    data[f"seen_{party(commitment, italy).pk}"] = str(wrong.pk)
    response = analyst_client.post(url(commitment) + f"?corrects={wrong.pk}", data)
    assert response.status_code == 302
    fix = PartyAssessment.objects.get(corrects=wrong)
    assert (fix.status, fix.score) == ("in_progress", 0)
    assert (party(commitment, italy).status, party(commitment, italy).score) == ("in_progress", 0)
    again = analyst_client.get(url(commitment) + f"?corrects={wrong.pk}")
    assert again.status_code == 302  # already corrected: back to the commitment, with a message


@pytest.mark.parametrize("corrects", ["x", "0", "99999999999999999999", "424242"])
def test_it_answers_404_for_a_correction_of_no_such_assessment(analyst_client, gcap, corrects):
    commitment, *_ = gcap
    assert analyst_client.get(url(commitment) + f"?corrects={corrects}").status_code == 404


def test_the_update_form_starts_from_the_status_the_parties_give(analyst_client, gcap):
    commitment, italy, japan, evidence = gcap
    for actor in (italy, japan):
        record_party_assessment(
            commitment=commitment,
            actor=actor,
            status="achieved",
            score=1,
            rationale="Delivered.",
            evidence=[evidence],
            effective_on=dt.date(2026, 3, 1),
            by=None,
        )
    page = analyst_client.get(commitment.get_absolute_url()).content.decode()
    assert "?from_parties=1" in page
    update_url = reverse("commitment_update", args=[commitment.slug]) + "?from_parties=1"
    form = analyst_client.get(update_url).context["form"]
    assert form.initial["status"] == "achieved"
    assert form.initial["rationale"] == (
        "As the parties' own statuses give (Italy: Achieved; Japan: Achieved)."
    )
    assert form.initial["evidence"] == [evidence.pk]
    response = analyst_client.post(
        update_url,
        {
            "status": "achieved",
            "progress": "100",
            "effective_on": "2026-03-05",
            "rationale": form.initial["rationale"],
            "evidence": [str(evidence.pk)],
            "seen_latest_id": "",
            "new-TOTAL_FORMS": "1",
            "new-INITIAL_FORMS": "0",
            "new-MIN_NUM_FORMS": "0",
            "new-MAX_NUM_FORMS": "10",
            "new-0-kind": "news_report",
            "new-0-reliability": "secondary",
        },
    )
    assert response.status_code == 302
    page = analyst_client.get(commitment.get_absolute_url()).content.decode()
    assert "the one the parties' own statuses give (derived)" in page


@pytest.mark.parametrize(
    ("language", "rationale"),
    [
        ("it", "Come risulta dagli stati delle parti (Italy: Realizzato; Japan: Realizzato)."),
        ("ja", "各当事者のステータスによる（Italy: 達成; Japan: 達成）。"),
    ],
)
def test_it_proposes_the_parties_rationale_in_the_readers_language(
    analyst_client, gcap, language, rationale
):
    commitment, italy, japan, evidence = gcap
    for actor in (italy, japan):
        record_party_assessment(
            commitment=commitment,
            actor=actor,
            status="achieved",
            score=1,
            rationale="Delivered.",
            evidence=[evidence],
            effective_on=dt.date(2026, 3, 1),
            by=None,
        )
    update_url = reverse("commitment_update", args=[commitment.slug]) + "?from_parties=1"
    response = analyst_client.get(update_url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.context["form"].initial["rationale"] == rationale
