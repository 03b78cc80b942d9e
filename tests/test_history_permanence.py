"""Evidence that recorded history cites, and milestones' recorded completions, are as
permanent as the history: read-only in the admin for everyone, refused through the
services and the model, corrected only by new evidence in a correcting update."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from commitments import services
from commitments.models import (
    CITED_EVIDENCE_MESSAGE,
    COMPLETION_MESSAGE,
    CitedEvidenceIsPermanent,
    CompletionIsPermanent,
    Evidence,
    HistoryIsAppendOnly,
    Milestone,
    StatusUpdate,
)
from tests.test_admin import _form_data

ORIGINAL_URL = "https://gov.example/contract-signed"
ANNOUNCED = dt.date(2025, 11, 20)


@pytest.fixture
def cited(make, analyst, frozen_clock):
    """An update citing one item; a second item not cited by anything."""
    commitment = make.commitment(
        "Sign the development contract", announced_on=ANNOUNCED, announced_precision="day"
    )
    item = make.evidence(commitment, title="Contract signed", url=ORIGINAL_URL)
    update = services.record_status_update(
        commitment=commitment,
        status="in_progress",
        progress=20,
        effective_on=dt.date(2026, 2, 1),
        rationale="Contract signed.",
        evidence=[item],
        by=analyst,
    )
    spare = make.evidence(commitment, title="Draft notes", url="https://gov.example/draft")
    return {"commitment": commitment, "item": item, "update": update, "spare": spare}


@pytest.fixture
def staff_editor(editor):
    editor.is_staff = True
    editor.save()
    return editor


@pytest.fixture(params=["superuser", "staff_editor"])
def admin_user_client(request, client):
    client.force_login(request.getfixturevalue(request.param))
    return client


def _evidence_post(item, **changes):
    data = {
        "title": item.title,
        "url": item.url,
        "publisher": item.publisher,
        "published_on": "",
        "excerpt": item.excerpt,
        "kind": item.kind,
        "reliability": item.reliability,
        "commitments": [str(pk) for pk in item.commitments.values_list("pk", flat=True)],
    }
    data.update(changes)
    return data


def test_it_shows_cited_evidence_read_only_in_the_admin(admin_user_client, cited):
    url = reverse("admin:commitments_evidence_change", args=[cited["item"].pk])
    page = admin_user_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="title"' not in html and 'name="url"' not in html
    assert "cannot be changed or deleted" in html
    assert not page.context["has_delete_permission"]


def test_it_keeps_the_original_title_and_url_after_an_attempted_change(
    admin_user_client, cited, client
):
    item, update = cited["item"], cited["update"]
    url = reverse("admin:commitments_evidence_change", args=[item.pk])
    admin_user_client.post(
        url, _evidence_post(item, title="Rewritten", url="https://elsewhere.example/")
    )
    item.refresh_from_db()
    assert (item.title, item.url) == ("Contract signed", ORIGINAL_URL)
    shown = admin_user_client.get(reverse("api_update", args=[update.pk])).json()
    assert [(e["title"], e["url"]) for e in shown["evidence"]] == [
        ("Contract signed", ORIGINAL_URL)
    ]


def test_it_refuses_to_delete_cited_evidence_in_the_admin(admin_user_client, cited):
    item, update = cited["item"], cited["update"]
    url = reverse("admin:commitments_evidence_delete", args=[item.pk])
    assert admin_user_client.post(url, {"post": "yes"}).status_code == 403
    assert Evidence.objects.filter(pk=item.pk).exists()
    shown = admin_user_client.get(reverse("api_update", args=[update.pk])).json()
    assert [e["url"] for e in shown["evidence"]] == [ORIGINAL_URL]


def test_it_lets_evidence_nothing_cites_be_corrected_and_deleted(client, superuser, cited):
    client.force_login(superuser)
    admin_user_client, spare = client, cited["spare"]
    url = reverse("admin:commitments_evidence_change", args=[spare.pk])
    response = admin_user_client.post(url, _evidence_post(spare, title="Draft notes, v2"))
    assert response.status_code == 302
    spare.refresh_from_db()
    assert spare.title == "Draft notes, v2"
    delete = reverse("admin:commitments_evidence_delete", args=[spare.pk])
    assert admin_user_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Evidence.objects.filter(pk=spare.pk).exists()


def test_it_refuses_to_unlink_cited_evidence_from_its_commitment(admin_user_client, cited):
    item, commitment = cited["item"], cited["commitment"]
    url = reverse("admin:commitments_evidence_change", args=[item.pk])
    response = admin_user_client.post(url, _evidence_post(item, commitments=[]))
    assert response.status_code == 200
    assert "its history cites it" in str(response.context["adminform"].form.errors)
    assert list(item.commitments.all()) == [commitment]

    change_url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    data = _form_data(admin_user_client.get(change_url))
    link = next(
        key for key, value in data.items() if key.endswith("-evidence") and value == str(item.pk)
    )
    data[link.replace("-evidence", "-DELETE")] = "on"
    response = admin_user_client.post(change_url, data)
    assert response.status_code == 200
    assert list(item.commitments.all()) == [commitment]


def test_it_refuses_a_cited_evidence_change_through_the_service(cited):
    with pytest.raises(ValidationError) as refused:
        services.change_evidence(
            evidence=cited["item"],
            item=services.NewEvidence(title="Rewritten", url="https://elsewhere.example/"),
        )
    assert refused.value.messages == [CITED_EVIDENCE_MESSAGE]
    cited["item"].refresh_from_db()
    assert cited["item"].url == ORIGINAL_URL


def test_it_refuses_a_cited_evidence_change_or_delete_through_the_model(cited):
    item = Evidence.objects.get(pk=cited["item"].pk)
    item.url = "https://elsewhere.example/"
    with pytest.raises(ValidationError, match="cannot be changed or deleted"):
        item.full_clean()
    with pytest.raises(CitedEvidenceIsPermanent):
        item.save()
    with pytest.raises(CitedEvidenceIsPermanent):
        Evidence.objects.get(pk=cited["item"].pk).delete()
    assert Evidence.objects.get(pk=cited["item"].pk).url == ORIGINAL_URL


def test_it_saves_cited_evidence_unchanged(cited):
    """Saving without a change is no rewrite: the edge of the rule."""
    item = Evidence.objects.get(pk=cited["item"].pk)
    item.full_clean()
    item.save()


def test_it_corrects_cited_evidence_with_a_correcting_update(cited, analyst):
    update = cited["update"]
    correction = services.record_status_update(
        commitment=cited["commitment"],
        status="in_progress",
        progress=20,
        effective_on=dt.date(2026, 2, 1),
        rationale="The first link pointed at the draft; this is the signed contract.",
        new_evidence=[services.NewEvidence(title="Contract (signed)", url=ORIGINAL_URL + "/v2")],
        corrects=update,
        by=analyst,
    )
    assert [e.url for e in correction.evidence.all()] == [ORIGINAL_URL + "/v2"]
    assert [e.url for e in StatusUpdate.objects.get(pk=update.pk).evidence.all()] == [ORIGINAL_URL]


# -- milestones' completions -----------------------------------------------------------------
@pytest.fixture
def completed(cited, analyst):
    milestone = services.add_milestone(commitment=cited["commitment"], title="Contract signed")
    proof = Evidence.objects.create(
        title="Signing ceremony",
        url="https://gov.example/ceremony",
        kind="news_report",
        reliability="primary",
    )
    services.complete_milestone(
        milestone=milestone, completed_on=dt.date(2026, 2, 2), evidence=[proof], by=analyst
    )
    return {**cited, "milestone": Milestone.objects.get(pk=milestone.pk), "proof": proof}


def test_a_completed_milestones_evidence_is_read_only(admin_user_client, completed):
    proof = completed["proof"]
    assert not proof.status_updates.exists()
    url = reverse("admin:commitments_evidence_change", args=[proof.pk])
    admin_user_client.post(url, _evidence_post(proof, url="https://elsewhere.example/"))
    proof.refresh_from_db()
    assert proof.url == "https://gov.example/ceremony"
    delete = reverse("admin:commitments_evidence_delete", args=[proof.pk])
    assert admin_user_client.post(delete, {"post": "yes"}).status_code == 403


def test_an_editor_cannot_clear_a_completion_date_in_the_admin(client, staff_editor, completed):
    client.force_login(staff_editor)
    milestone, commitment = completed["milestone"], completed["commitment"]
    url = reverse("admin:commitments_milestone_change", args=[milestone.pk])
    page = client.get(url)
    assert 'name="completed_on"' not in page.content.decode()
    client.post(
        url,
        {
            "commitment": str(commitment.pk),
            "title": milestone.title,
            "order": "0",
            "completed_on": "",
        },
    )
    change_url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    data = _form_data(client.get(change_url))
    data["milestones-0-completed_on"] = ""
    client.post(change_url, data)
    milestone.refresh_from_db()
    assert milestone.completed_on == dt.date(2026, 2, 2)
    detail = client.get(commitment.get_absolute_url())
    assert "Contract signed" in detail.content.decode()
    assert any(item["kind"] == "milestone" for item in detail.context["history"])


def test_a_completed_milestone_keeps_its_commitment_in_the_admin(
    client, staff_editor, completed, make
):
    client.force_login(staff_editor)
    milestone = completed["milestone"]
    other = make.commitment("Another commitment")
    url = reverse("admin:commitments_milestone_change", args=[milestone.pk])
    client.post(
        url, {"commitment": str(other.pk), "title": milestone.title, "order": "0"}, follow=True
    )
    milestone.refresh_from_db()
    assert milestone.commitment == completed["commitment"]


def test_it_refuses_to_rewrite_a_completion_through_the_model(completed):
    milestone = Milestone.objects.get(pk=completed["milestone"].pk)
    milestone.completed_on = None
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    assert COMPLETION_MESSAGE in refused.value.messages
    with pytest.raises(CompletionIsPermanent):
        milestone.save()
    milestone.completed_on = dt.date(2026, 2, 3)  # one day later is a rewrite too
    with pytest.raises(CompletionIsPermanent):
        milestone.save()
    with pytest.raises(CompletionIsPermanent):
        Milestone.objects.get(pk=milestone.pk).delete()
    assert Milestone.objects.get(pk=milestone.pk).completed_on == dt.date(2026, 2, 2)


def test_it_still_corrects_a_completed_milestones_title(completed):
    """The completion is permanent; a typo in the title is not history."""
    saved = services.change_milestone(
        milestone=completed["milestone"],
        title="Contract signed (GCAP)",
        due_on=None,
        due_precision="",
    )
    assert (saved.title, saved.completed_on) == ("Contract signed (GCAP)", dt.date(2026, 2, 2))


def test_it_refuses_to_take_evidence_away_from_a_recorded_update(cited):
    update, item = cited["update"], cited["item"]
    with pytest.raises(HistoryIsAppendOnly), transaction.atomic():
        update.evidence.remove(item)
    with pytest.raises(HistoryIsAppendOnly), transaction.atomic():
        update.evidence.clear()
    with pytest.raises(CitedEvidenceIsPermanent), transaction.atomic():
        item.status_updates.clear()
    with pytest.raises(CitedEvidenceIsPermanent), transaction.atomic():
        item.status_updates.remove(update)
    assert list(StatusUpdate.objects.get(pk=update.pk).evidence.all()) == [item]
    cited["spare"].status_updates.clear()  # nothing cites it: nothing to refuse


def test_it_refuses_to_take_evidence_away_from_a_completion(completed):
    milestone, proof = completed["milestone"], completed["proof"]
    with pytest.raises(CompletionIsPermanent), transaction.atomic():
        milestone.evidence.remove(proof)
    with pytest.raises(CompletionIsPermanent), transaction.atomic():
        proof.milestones.clear()
    assert list(Milestone.objects.get(pk=milestone.pk).evidence.all()) == [proof]


def test_it_still_links_cited_evidence_to_more_commitments(client, superuser, cited, make):
    client.force_login(superuser)
    item, commitment = cited["item"], cited["commitment"]
    other = make.commitment("Train pilots together")
    url = reverse("admin:commitments_evidence_change", args=[item.pk])
    response = client.post(
        url, _evidence_post(item, commitments=[str(commitment.pk), str(other.pk)])
    )
    assert response.status_code == 302
    assert set(item.commitments.all()) == {commitment, other}
    item.refresh_from_db()
    assert (item.title, item.url) == ("Contract signed", ORIGINAL_URL)
    assert LogEntry.objects.get().get_change_message() == (
        "Changed commitments from Sign the development contract to Sign the development "
        "contract, Train pilots together."
    )
