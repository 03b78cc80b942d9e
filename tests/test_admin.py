import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from commitments import services
from commitments.models import Commitment, DeadlineChange, Evidence, Milestone, StatusUpdate
from commitments.services.translations import set_translation

# A seeded commitment with no history yet, to record a first status on.
UNRATED = "joint-training-and-exercises"

ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label == "commitments"]


@pytest.fixture
def admin_client_seeded(client, superuser, seeded):
    client.force_login(superuser)
    return client


def test_every_model_is_registered():
    names = {model.__name__ for model in ADMIN_MODELS}
    assert names >= {
        "Actor",
        "Theme",
        "Source",
        "Commitment",
        "Party",
        "Evidence",
        "Milestone",
        "StatusUpdate",
    }


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_it_renders_every_changelist_add_and_change_page(admin_client_seeded, model):
    opts = model._meta
    changelist = admin_client_seeded.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    )
    assert changelist.status_code == 200
    add = admin_client_seeded.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (403 if model in (StatusUpdate, DeadlineChange) else 200)
    obj = model.objects.first()
    if obj is not None:
        change = admin_client_seeded.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
        assert change.status_code == 200


def test_the_changelist_filters_by_health(admin_client_seeded):
    url = reverse("admin:commitments_commitment_changelist")
    response = admin_client_seeded.get(url, {"health": "closed"})
    assert response.status_code == 200
    assert {c.slug for c in response.context["cl"].result_list} == {
        "acsa-agreement",
        "foip-rule-of-law",
        "foip-global-mediterranean-links",
        "oppose-unilateral-change-status-quo-unclos",
    }


def test_the_changelist_runs_in_constant_queries(
    client, superuser, make, django_assert_max_num_queries
):
    client.force_login(superuser)
    url = reverse("admin:commitments_commitment_changelist")

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    theme, italy, japan = make.theme(), make.actor("Italy"), make.actor("Japan")
    for _ in range(3):
        make.commitment(themes=[theme], parties=[italy, japan])
    few = count_queries()
    for _ in range(30):
        make.commitment(themes=[theme], parties=[italy, japan])
    assert count_queries() == few


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_a_status_change_in_the_admin_writes_one_history_row(admin_client_seeded):
    commitment = Commitment.objects.get(slug=UNRATED)
    evidence = _evidence(commitment)
    response = _change_status(
        admin_client_seeded,
        commitment,
        change_status="in_progress",
        change_progress="30",
        change_effective_on="2026-11-20",
        change_rationale="First round held.",
        change_evidence=[str(evidence.pk)],
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 30)
    update = StatusUpdate.objects.get(commitment=commitment)
    assert update.rationale == "First round held."
    assert update.effective_on == dt.date(2026, 11, 20)
    assert list(update.evidence.all()) == [evidence]


def test_a_status_change_in_the_admin_needs_rationale_and_evidence(admin_client_seeded):
    commitment = Commitment.objects.get(slug=UNRATED)
    response = _change_status(
        admin_client_seeded, commitment, change_status="achieved", change_rationale=""
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "change_rationale" in errors and "change_evidence" in errors
    assert not StatusUpdate.objects.filter(commitment=commitment).exists()


def test_history_cannot_be_edited_or_deleted_in_the_admin(admin_client_seeded):
    update = StatusUpdate.objects.first()
    change_url = reverse("admin:commitments_statusupdate_change", args=[update.pk])
    delete_url = reverse("admin:commitments_statusupdate_delete", args=[update.pk])
    response = admin_client_seeded.post(change_url, {"rationale": "rewritten"})
    assert response.status_code == 403
    assert admin_client_seeded.post(delete_url, {"post": "yes"}).status_code == 403
    update.refresh_from_db()
    assert update.rationale != "rewritten"


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(("tick", "recorded"), [("", False), ("on", True)])
def test_it_records_achieved_below_full_only_when_ticked(admin_client_seeded, tick, recorded):
    commitment = Commitment.objects.get(slug=UNRATED)
    response = _change_status(
        admin_client_seeded,
        commitment,
        change_status="achieved",
        change_progress="80",
        change_rationale="Held, without the second track.",
        change_evidence=[str(_evidence(commitment).pk)],
        change_achieved_below_full=tick,
    )
    assert StatusUpdate.objects.filter(commitment=commitment).exists() is recorded
    if recorded:
        commitment.refresh_from_db()
        assert (commitment.status, commitment.progress) == ("achieved", 80)
    else:
        errors = response.context["adminform"].form.errors
        assert "Achieved means 100%" in str(errors["change_progress"])


def test_it_refuses_to_delete_a_commitment_with_history_in_the_admin(admin_client_seeded):
    with_history = StatusUpdate.objects.first().commitment
    url = reverse("admin:commitments_commitment_delete", args=[with_history.pk])
    assert admin_client_seeded.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:commitments_commitment_changelist")
    admin_client_seeded.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [with_history.pk], "post": "yes"},
    )
    assert Commitment.objects.filter(pk=with_history.pk).exists()
    assert with_history.updates.exists()


def test_it_deletes_a_commitment_without_history_in_the_admin(admin_client_seeded, make):
    mistake = make.commitment("Entered by mistake")
    url = reverse("admin:commitments_commitment_delete", args=[mistake.pk])
    assert admin_client_seeded.post(url, {"post": "yes"}).status_code == 302
    assert not Commitment.objects.filter(pk=mistake.pk).exists()


def _evidence(commitment):
    evidence = Evidence.objects.create(
        title="Dialogue held",
        url="https://example.org/d",
        kind="news_report",
        reliability="secondary",
    )
    evidence.commitments.add(commitment)
    return evidence


def _change_status(client, commitment, **changes):
    """Post the commitment's admin form back as shown, with `changes` made."""
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    data = _form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def _form_data(response) -> dict:
    """The change form's current values, as a browser would post them back."""
    data = {}
    adminform = response.context["adminform"]
    for name, field in adminform.form.fields.items():
        value = adminform.form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value) if not isinstance(value, dt.date) else value.isoformat()
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for form in formset.formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is None:
                    continue
                data[form.add_prefix(name)] = (
                    value.isoformat() if isinstance(value, dt.date) else str(value)
                )
    return data


def test_it_draws_admin_badges_and_swatches_with_classes_and_svg_not_style_attributes(
    admin_client_seeded,
):
    changelist = admin_client_seeded.get(reverse("admin:commitments_commitment_changelist"))
    html = changelist.content.decode()
    assert 'class="tracker-badge status-' in html
    assert 'class="tracker-badge health-' in html
    assert "css/vocabulary.css" in html and "css/admin.css" in html
    themes = admin_client_seeded.get(reverse("admin:commitments_theme_changelist"))
    assert '<svg class="theme-swatch"' in themes.content.decode()
    for response in (changelist, themes):
        assert " style=" not in response.content.decode()


# -- evidence and milestones go through the services ---------------------------------------
def test_it_records_evidence_added_in_the_admin_through_the_service(admin_client_seeded, superuser):
    commitment = Commitment.objects.get(slug="politico-military-dialogue")
    response = admin_client_seeded.post(
        reverse("admin:commitments_evidence_add"),
        {
            "title": "Dialogue communiqué",
            "url": "https://example.org/dialogue",
            "kind": "government_statement",
            "reliability": "primary",
            "commitments": [str(commitment.pk)],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(title="Dialogue communiqué")
    assert evidence.added_by == superuser
    assert list(evidence.commitments.all()) == [commitment]


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_it_answers_bad_evidence_in_the_admin_with_a_form_error(admin_client_seeded):
    response = admin_client_seeded.post(
        reverse("admin:commitments_evidence_add"),
        {
            "title": "From the future",
            "url": "https://example.org/future",
            "published_on": "2026-11-26",
            "kind": "news_report",
            "reliability": "secondary",
        },
    )
    assert response.status_code == 200
    assert "A publication date cannot be in the future." in str(
        response.context["adminform"].form.errors
    )
    assert not Evidence.objects.filter(title="From the future").exists()


def test_it_adds_a_milestone_in_the_admin_at_the_end_of_the_list(admin_client_seeded):
    commitment = Commitment.objects.get(slug="gcap-next-generation-fighter")
    response = admin_client_seeded.post(
        reverse("admin:commitments_milestone_add"),
        {"commitment": str(commitment.pk), "title": "First flight", "order": "0"},
    )
    assert response.status_code == 302
    assert commitment.milestones.get().title == "First flight"


def test_a_completed_milestone_cannot_be_deleted_in_the_admin(admin_client_seeded, make):
    commitment = Commitment.objects.get(slug="gcap-next-generation-fighter")
    milestone = services.add_milestone(commitment=commitment, title="Contract signed")
    services.complete_milestone(
        milestone=milestone,
        completed_on=dt.date(2026, 1, 5),
        evidence=[make.evidence(commitment)],
        by=None,
    )
    url = reverse("admin:commitments_milestone_delete", args=[milestone.pk])
    assert admin_client_seeded.post(url, {"post": "yes"}).status_code == 403
    change = _form_data(
        admin_client_seeded.get(
            reverse("admin:commitments_commitment_change", args=[commitment.pk])
        )
    )
    inline = next(k for k in change if k.endswith("-id") and change[k] == str(milestone.pk))
    change[inline.replace("-id", "-DELETE")] = "on"
    response = admin_client_seeded.post(
        reverse("admin:commitments_commitment_change", args=[commitment.pk]), change
    )
    assert response.status_code == 200
    assert "is completed" in str(
        response.context["inline_admin_formsets"][1].formset.non_form_errors()
    )
    assert Milestone.objects.filter(pk=milestone.pk).exists()


# "GCAP" is in the title and both translations: the commitment is listed once.
@pytest.mark.parametrize("words", ["次期戦闘機", "caccia di nuova", "GCAP"])
def test_it_finds_a_commitment_by_its_translations_in_the_admin(client, superuser, make, words):
    client.force_login(superuser)
    fighter = make.commitment("Deliver the GCAP programme")
    make.commitment("Open a port")
    for language, title in (
        ("it", "Il caccia di nuova generazione GCAP"),
        ("ja", "次期戦闘機（GCAP）の開発"),
    ):
        set_translation(
            commitment=fighter, language=language, title=title, translated_by="Tracker editors"
        )
    url = reverse("admin:commitments_commitment_changelist")
    response = client.get(url, {"q": words})
    assert [c.pk for c in response.context["cl"].result_list] == [fighter.pk]


def test_it_captions_each_evidence_link_with_its_item_in_the_admin(client, superuser, make):
    client.force_login(superuser)
    commitment = make.commitment("Deliver the GCAP programme")
    make.evidence(commitment, title="Defence white paper")
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "object (" not in html
    assert '<th class="column-evidence required">根拠資料' in html
    assert "<p>Defence white paper" in html.replace("\n", "").replace("  ", "")
