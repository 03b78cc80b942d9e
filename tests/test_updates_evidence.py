"""Evidence recorded once and used many times, on the update, correction and completion
forms: finding recorded evidence, citing the commitment's source, and the offer of an
item already recorded under a link typed in again."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from commitments import services
from commitments.choices import SOURCE_EVIDENCE, EvidenceKind, Reliability, SourceKind
from commitments.forms.evidence import FOUND_MAX
from commitments.models import Evidence, Milestone, StatusUpdate
from tests.clock import NOW
from tests.test_updates_milestones import complete_data
from tests.test_updates_record import form_data

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def source(make):
    return make.source(
        "Italy–Japan joint statement",
        kind=SourceKind.JOINT_STATEMENT,
        url="https://gov.example/tokyo-statement",
        publisher="Prime Minister's Office",
        date=dt.date(2025, 11, 20),
    )


@pytest.fixture
def commitment(make, source):
    return make.commitment(
        "Deliver a fighter",
        source=source,
        announced_on=dt.date(2025, 11, 20),
        announced_precision="day",
    )


@pytest.fixture
def other(make):
    return make.commitment("Open a hydrogen corridor")


def url(commitment):
    return reverse("commitment_update", args=[commitment.slug])


def find(client, path, data, words):
    return client.post(path, {**data, "evidence_query": words, "find_evidence": "1"})


def offered(response) -> dict[str, list]:
    """The evidence offered, by group: own, picked, found."""
    return {
        group["key"]: [choice.data["value"].instance for choice in group["choices"]]
        for group in response.context["form"].evidence_groups()
    }


# -- finding recorded evidence ----------------------------------------------------------------
def test_it_finds_evidence_of_other_commitments_by_words_in_the_title_or_link(
    analyst_client, commitment, other, make
):
    mine = make.evidence(commitment, title="Our press release")
    by_title = make.evidence(other, title="Hydrogen press release", url="https://a.example/1")
    by_link = make.evidence(other, title="Statement", url="https://a.example/press/2")
    make.evidence(other, title="Unrelated", url="https://b.example/x")

    response = find(analyst_client, url(commitment), form_data(), "PRESS")

    assert response.status_code == 200
    assert offered(response) == {"own": [mine], "found": [by_link, by_title]}
    html = response.content.decode()
    assert "2 recorded items of other commitments match “PRESS”" in html
    assert "https://a.example/press/2" in html


def test_every_word_must_occur_in_the_title_or_the_link(analyst_client, commitment, other, make):
    both = make.evidence(other, title="Hydrogen corridor", url="https://gov.example/press/1")
    make.evidence(other, title="Hydrogen strategy", url="https://gov.example/plan")
    response = find(analyst_client, url(commitment), form_data(), "hydrogen press")
    assert offered(response)["found"] == [both]


def test_it_offers_at_most_the_newest_matches(analyst_client, commitment, other, make):
    items = []
    for n in range(FOUND_MAX + 3):
        with time_machine.travel(NOW - dt.timedelta(days=40 - n), tick=False):
            items.append(make.evidence(other, title=f"Report {n}"))
    response = find(analyst_client, url(commitment), form_data(), "report")
    assert offered(response)["found"] == items[::-1][:FOUND_MAX]
    assert f"these are the {FOUND_MAX} newest" in response.content.decode()


def test_finding_keeps_everything_typed_shows_no_message_and_saves_nothing(
    analyst_client, commitment, other, make
):
    make.evidence(other, title="Press release")
    data = form_data(
        progress="150",
        rationale="",
        effective_on="not a date",
        rows=[{"title": "Draft", "url": "https://gov.example/draft", "published_on": "soon"}],
    )
    response = find(analyst_client, url(commitment), data, "press")

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" not in html
    assert "field-error" not in html
    form = response.context["form"]
    assert form["progress"].value() == "150"
    assert form["effective_on"].value() == "not a date"
    assert form.new_evidence.forms[0]["title"].value() == "Draft"
    assert form.new_evidence.forms[0]["published_on"].value() == "soon"
    assert not StatusUpdate.objects.exists()
    assert Evidence.objects.count() == 1


def test_finding_without_words_says_what_to_do(analyst_client, commitment):
    response = find(analyst_client, url(commitment), form_data(), "  ")
    assert "Nothing was saved. To find recorded evidence, type words" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_it_says_when_nothing_matches(analyst_client, commitment):
    response = find(analyst_client, url(commitment), form_data(), "nothing-like-it")
    html = response.content.decode()
    assert "No recorded evidence of other commitments matches “nothing-like-it”." in html


def test_a_found_item_ticked_and_saved_becomes_this_commitments_evidence(
    analyst_client, analyst, commitment, other, make
):
    theirs = make.evidence(other, title="Hydrogen press release")
    found = find(analyst_client, url(commitment), form_data(), "hydrogen")
    assert offered(found)["found"] == [theirs]

    data = {**form_data(evidence=[str(theirs.pk)]), "evidence_query": "hydrogen"}
    response = analyst_client.post(url(commitment), data)

    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert list(update.evidence.all()) == [theirs]
    assert set(theirs.commitments.all()) == {commitment, other}
    assert Evidence.objects.count() == 1


def test_an_item_ticked_before_another_search_stays_offered_and_ticked(
    analyst_client, commitment, other, make
):
    first = make.evidence(other, title="Hydrogen press release")
    second = make.evidence(other, title="Budget line")
    data = form_data(evidence=[str(first.pk)])
    response = find(analyst_client, url(commitment), data, "budget")
    assert offered(response) == {"own": [], "picked": [first], "found": [second]}
    assert response.context["form"]["evidence"].value() == [str(first.pk)]
    html = response.content.decode()
    assert re.search(
        rf'<input type="checkbox" name="evidence" value="{first.pk}" [^>]*checked>', html
    )


def test_the_search_button_brings_the_analyst_back_to_the_evidence(analyst_client, commitment):
    html = analyst_client.get(url(commitment)).content.decode()
    assert 'name="find_evidence"' in html
    assert f'formaction="{url(commitment)}#evidence"' in html


def test_a_correction_finds_recorded_evidence_too(analyst_client, commitment, other, make):
    evidence = make.evidence(commitment)
    corrected = services.record_status_update(
        commitment=commitment, status="stalled", rationale="Paused.", evidence=[evidence], by=None
    )
    theirs = make.evidence(other, title="Parliament record")
    path = reverse("update_correct", args=[commitment.slug, corrected.pk])
    seen = services.latest_recorded_id(commitment)
    response = find(analyst_client, path, form_data(seen=seen), "parliament")
    assert offered(response)["found"] == [theirs]
    data = {**form_data(seen=seen, evidence=[str(theirs.pk)]), "evidence_query": "parliament"}
    assert analyst_client.post(path, data).status_code == 302
    assert list(StatusUpdate.objects.get(corrects=corrected).evidence.all()) == [theirs]


def test_a_completion_finds_recorded_evidence_too(analyst_client, commitment, other, make):
    milestone = services.add_milestone(commitment=commitment, title="Contract signed")
    theirs = make.evidence(other, title="Contract notice")
    path = reverse("milestone_complete", args=[commitment.slug, milestone.pk])
    response = find(analyst_client, path, complete_data(), "contract")
    assert response.status_code == 200
    assert offered(response)["found"] == [theirs]
    assert not Milestone.objects.filter(completed_on__isnull=False).exists()
    response = analyst_client.post(path, complete_data(evidence=[str(theirs.pk)]))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert list(milestone.evidence.all()) == [theirs]
    assert commitment in theirs.commitments.all()


# -- citing the commitment's source ---------------------------------------------------------------
def test_it_offers_to_cite_the_source_only_when_there_is_one(analyst_client, commitment, other):
    assert "Cite this commitment's source: “Italy–Japan joint statement”" in (
        analyst_client.get(url(commitment)).context["form"]["cite_source"].label
    )
    assert "cite_source" not in analyst_client.get(url(other)).context["form"].fields


def test_citing_the_source_records_an_item_made_from_it(analyst_client, analyst, commitment):
    response = analyst_client.post(url(commitment), form_data(cite_source="on"))
    assert response.status_code == 302
    item = StatusUpdate.objects.get().evidence.get()
    assert (item.title, item.url, item.publisher, item.published_on) == (
        "Italy–Japan joint statement",
        "https://gov.example/tokyo-statement",
        "Prime Minister's Office",
        dt.date(2025, 11, 20),
    )
    assert (item.kind, item.reliability, item.added_by) == (
        EvidenceKind.OFFICIAL_TEXT,
        Reliability.PRIMARY,
        analyst,
    )
    assert list(item.commitments.all()) == [commitment]


@pytest.mark.parametrize("kind", list(SourceKind))
def test_the_cited_items_kind_and_reliability_follow_the_sources_kind(analyst_client, make, kind):
    source = make.source(f"A {kind.label}", kind=kind, url=f"https://gov.example/{kind}")
    commitment = make.commitment(source=source)
    assert analyst_client.post(url(commitment), form_data(cite_source="on")).status_code == 302
    item = Evidence.objects.get()
    assert (item.kind, item.reliability) == SOURCE_EVIDENCE[kind]


def test_every_source_kind_says_what_evidence_it_makes():
    assert set(SOURCE_EVIDENCE) == set(SourceKind.values)
    assert SOURCE_EVIDENCE[SourceKind.SPEECH] == (
        EvidenceKind.GOVERNMENT_STATEMENT,
        Reliability.PRIMARY,
    )
    assert SOURCE_EVIDENCE[SourceKind.PRESS_REPORT] == (
        EvidenceKind.NEWS_REPORT,
        Reliability.SECONDARY,
    )
    assert SOURCE_EVIDENCE[SourceKind.ANALYSIS] == (EvidenceKind.ANALYSIS, Reliability.SECONDARY)


def test_the_sources_item_is_reused_once_recorded(analyst_client, commitment, make, source):
    sibling = make.commitment("Exchange students", source=source)
    analyst_client.post(url(commitment), form_data(cite_source="on"))
    analyst_client.post(url(sibling), form_data(cite_source="on"))
    item = Evidence.objects.get()
    assert StatusUpdate.objects.filter(evidence=item).count() == 2
    assert set(item.commitments.all()) == {commitment, sibling}


def test_a_source_without_a_link_is_reused_too(analyst_client, make):
    source = make.source("Leaders' speech", kind=SourceKind.SPEECH, date=dt.date(2025, 11, 20))
    first, second = make.commitment(source=source), make.commitment(source=source)
    analyst_client.post(url(first), form_data(cite_source="on"))
    analyst_client.post(url(second), form_data(cite_source="on"))
    item = Evidence.objects.get()
    assert (item.title, item.url, item.kind) == ("Leaders' speech", "", "government_statement")


def test_a_completion_can_cite_the_source(analyst_client, commitment):
    milestone = services.add_milestone(commitment=commitment, title="Statement adopted")
    path = reverse("milestone_complete", args=[commitment.slug, milestone.pk])
    assert analyst_client.post(path, complete_data(cite_source="on")).status_code == 302
    milestone.refresh_from_db()
    assert milestone.evidence.get().title == "Italy–Japan joint statement"


# -- a link typed in again ------------------------------------------------------------------------
RECORDED_URL = "https://news.example/fighter-contract"


def test_a_new_row_with_a_link_recorded_under_another_title_is_offered_the_recorded_item(
    analyst_client, commitment, other, make
):
    recorded = make.evidence(other, title="Contract signed for GCAP", url=RECORDED_URL)
    row = {"title": "GCAP contract", "url": RECORDED_URL}
    response = analyst_client.post(url(commitment), form_data(rows=[row]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["evidence"] == [
        "This link is already recorded as “Contract signed for GCAP”: it is ticked below; "
        "clear the new row to use it, or change the link."
    ]
    assert form["evidence"].value() == [str(recorded.pk)]
    assert recorded in offered(response)["picked"]
    assert not StatusUpdate.objects.exists()
    assert Evidence.objects.count() == 1

    # The analyst clears the row and saves: the recorded item backs the update.
    data = form_data(evidence=[str(recorded.pk)])
    assert analyst_client.post(url(commitment), data).status_code == 302
    assert list(StatusUpdate.objects.get().evidence.all()) == [recorded]
    assert Evidence.objects.count() == 1


def test_the_same_link_and_title_are_reused_without_a_word(analyst_client, commitment, other, make):
    recorded = make.evidence(other, title="Contract signed", url=RECORDED_URL)
    row = {"title": "Contract signed", "url": RECORDED_URL}
    response = analyst_client.post(url(commitment), form_data(rows=[row]))
    assert response.status_code == 302
    assert list(StatusUpdate.objects.get().evidence.all()) == [recorded]
    assert Evidence.objects.count() == 1


def test_a_completion_offers_the_recorded_item_too(analyst_client, commitment, other, make):
    recorded = make.evidence(other, title="Contract signed", url=RECORDED_URL)
    milestone = services.add_milestone(commitment=commitment, title="Contract")
    path = reverse("milestone_complete", args=[commitment.slug, milestone.pk])
    response = analyst_client.post(
        path, complete_data(rows=[{"title": "Another title", "url": RECORDED_URL}])
    )
    assert response.status_code == 200
    assert "already recorded as “Contract signed”" in response.context["form"].errors["evidence"][0]
    assert response.context["form"]["evidence"].value() == [str(recorded.pk)]
    assert not Milestone.objects.filter(completed_on__isnull=False).exists()
