"""The admin's change log reads as sentences, web imports appear in it, and a new
commitment can get its first status in the form that creates it."""

import datetime as dt
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from commitments.models import Commitment, Evidence, StatusUpdate
from tests.test_admin import _form_data
from tests.test_import_views import payload_of, upload

ADD = "admin:commitments_commitment_add"


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def commitment(make):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    return make.commitment(
        "Deliver a fighter",
        parties=[(japan, "partner")],
        deadline=dt.date(2035, 12, 31),
        precision="year",
    ), {"italy": italy, "japan": japan}


def _latest_message() -> str:
    return LogEntry.objects.order_by("-pk").first().get_change_message()


def _change_url(commitment) -> str:
    return reverse("admin:commitments_commitment_change", args=[commitment.pk])


def test_it_logs_an_added_party_as_a_sentence(admin_client, commitment):
    commitment, actors = commitment
    data = _form_data(admin_client.get(_change_url(commitment)))
    data["parties-1-actor"] = str(actors["italy"].pk)
    data["parties-1-role"] = "lead"
    assert admin_client.post(_change_url(commitment), data).status_code == 302
    assert _latest_message() == "Added party Italy (lead)."
    history = admin_client.get(
        reverse("admin:commitments_commitment_history", args=[commitment.pk])
    )
    assert "Added party Italy (lead)." in history.content.decode()


def test_it_logs_changed_fields_with_their_values(admin_client, commitment):
    commitment, _ = commitment
    data = _form_data(admin_client.get(_change_url(commitment)))
    data["deadline"] = "Q3 2036"
    data["deadline_change_reason"] = "rescheduled"
    data["quote_location"] = "p. 4"
    data["parties-0-role"] = "lead"
    assert admin_client.post(_change_url(commitment), data).status_code == 302
    assert _latest_message() == (
        "Changed where in the source to p. 4; deadline from 2035 to Q3 2036. "
        "Changed party Japan (lead): role from Partner to Lead."
    )


def test_it_logs_a_removed_party_and_a_cleared_date(admin_client, commitment):
    commitment, _ = commitment
    data = _form_data(admin_client.get(_change_url(commitment)))
    data["deadline"] = ""
    data["deadline_change_reason"] = "correction"
    data["parties-0-DELETE"] = "on"
    assert admin_client.post(_change_url(commitment), data).status_code == 302
    assert _latest_message() == (
        "Changed deadline to nothing (was 2035). Removed party Japan (partner)."
    )


def test_it_logs_nothing_but_the_fact_for_a_save_without_changes(admin_client, commitment):
    commitment, _ = commitment
    page = admin_client.get(_change_url(commitment))
    assert admin_client.post(_change_url(commitment), _form_data(page)).status_code == 302
    assert _latest_message() == "No fields changed."


def test_the_log_entries_list_shows_sentences_not_json(admin_client, commitment):
    commitment, _ = commitment
    LogEntry.objects.create(
        user=LogEntry._meta.get_field("user").related_model.objects.get(username="root"),
        content_type=ContentType.objects.get_for_model(Commitment),
        object_id=str(commitment.pk),
        object_repr=str(commitment),
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["Title"]}}]),
    )
    page = admin_client.get(reverse("admin:admin_logentry_changelist")).content.decode()
    assert "Changed Title." in page
    assert "[{&quot;changed" not in page and '[{"changed' not in page


def test_the_log_entries_need_a_superuser(client, editor):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert client.get(reverse("admin:admin_logentry_changelist")).status_code == 403


def test_it_logs_an_import_through_the_web_page(client, editor):
    client.force_login(editor)
    preview = upload(client)
    assert not LogEntry.objects.exists()  # a preview writes nothing, not even a log entry
    client.post("/import/", {"payload": payload_of(preview), "skip_invalid": "False"})
    entry = LogEntry.objects.get()
    assert entry.user == editor
    assert entry.object_repr == "Import of commitments.csv"
    assert entry.get_change_message().startswith(
        "Imported commitments.csv: 5 rows; 5 created, 0 updated, 0 unchanged, 0 rejected."
    )


# -- a first status in the form that creates the commitment ---------------------------------
def _add(client, **changes):
    data = _form_data(client.get(reverse(ADD)))
    data.update({"title": "Open a hydrogen corridor", "slug": "hydrogen-corridor"})
    data.update(changes)
    return client.post(reverse(ADD), data)


FIRST_STATUS = {
    "change_status": "in_progress",
    "change_progress": "10",
    "change_effective_on": "2026-03-02",
    "change_rationale": "Feasibility study commissioned.",
}


def test_it_records_a_first_status_in_the_form_that_creates_the_commitment(
    admin_client, superuser, frozen_clock
):
    response = _add(
        admin_client,
        **FIRST_STATUS,
        change_new_title="Study commissioned",
        change_new_url="https://gov.example/study",
        change_new_kind="government_statement",
        change_new_reliability="primary",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment = Commitment.objects.get(slug="hydrogen-corridor")
    assert (commitment.status, commitment.progress) == ("in_progress", 10)
    update = StatusUpdate.objects.get(commitment=commitment)
    assert (update.recorded_by, update.effective_on) == (superuser, dt.date(2026, 3, 2))
    assert [(e.title, e.kind) for e in update.evidence.all()] == [
        ("Study commissioned", "government_statement")
    ]
    assert list(commitment.evidence.all()) == list(update.evidence.all())
    assert _latest_message() == (
        "Added commitment Open a hydrogen corridor. Recorded status In progress at 10%, "
        "effective 2 Mar 2026, with 1 evidence item."
    )


def test_it_cites_the_new_commitments_source_as_its_first_evidence(
    admin_client, make, frozen_clock
):
    source = make.source("Tokyo joint statement", url="https://gov.example/tokyo")
    response = _add(admin_client, **FIRST_STATUS, source=str(source.pk), change_cite_source="on")
    assert response.status_code == 302, response.context["adminform"].form.errors
    update = StatusUpdate.objects.get(commitment__slug="hydrogen-corridor")
    assert [e.url for e in update.evidence.all()] == ["https://gov.example/tokyo"]


def test_it_refuses_a_first_status_without_evidence_and_creates_nothing(admin_client, frozen_clock):
    response = _add(admin_client, **FIRST_STATUS)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "needs at least one evidence item" in str(errors["change_evidence"])
    assert not Commitment.objects.filter(slug="hydrogen-corridor").exists()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("effective", "accepted"), [("2026-02-28", False), ("2026-03-01", True)])
def test_it_dates_a_first_status_no_earlier_than_the_announcement_it_is_given(
    admin_client, frozen_clock, effective, accepted
):
    response = _add(
        admin_client,
        **{**FIRST_STATUS, "change_effective_on": effective},
        announced_on="2026-03-01",
        change_new_title="Study commissioned",
        change_new_url="https://gov.example/study",
    )
    assert Commitment.objects.filter(slug="hydrogen-corridor").exists() is accepted
    if not accepted:
        assert "before the announcement" in str(
            response.context["adminform"].form.errors["change_effective_on"]
        )


def test_it_refuses_to_cite_a_source_that_is_not_chosen(admin_client, frozen_clock):
    response = _add(admin_client, **FIRST_STATUS, change_cite_source="on")
    errors = response.context["adminform"].form.errors["change_cite_source"]
    assert errors == ["Choose the commitment's source to cite it."]
    assert not Commitment.objects.exists()


def test_it_logs_a_status_change_alone_as_one_sentence(admin_client, commitment, frozen_clock):
    commitment, _ = commitment
    item = Evidence.objects.create(
        title="Contract", url="https://gov.example/c", kind="news_report", reliability="secondary"
    )
    item.commitments.add(commitment)
    data = _form_data(admin_client.get(_change_url(commitment)))
    data.update(
        change_status="stalled",
        change_effective_on="2026-03-09",
        change_rationale="Talks paused.",
        change_evidence=[str(item.pk)],
    )
    assert admin_client.post(_change_url(commitment), data).status_code == 302
    assert _latest_message() == (
        "Recorded status Stalled, effective 9 Mar 2026, with 1 evidence item."
    )


def test_it_logs_themes_taken_away_and_given(admin_client, commitment, make):
    commitment, _ = commitment
    defence, energy = make.theme("Defence"), make.theme("Energy")
    commitment.themes.set([defence])
    data = _form_data(admin_client.get(_change_url(commitment)))
    data["themes"] = []
    assert admin_client.post(_change_url(commitment), data).status_code == 302
    assert _latest_message() == "Changed themes to nothing (was Defence)."
    data["themes"] = [str(energy.pk), str(defence.pk)]
    assert admin_client.post(_change_url(commitment), data).status_code == 302
    assert _latest_message() == "Changed themes to Defence, Energy."
