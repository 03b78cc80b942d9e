"""The methodology page (/about/) is drawn from the vocabularies and rules themselves,
and every page and badge leads to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.html import escape

from commitments import health, progress, services
from commitments.choices import (
    KIND_STATUS_LABELS,
    EvidenceKind,
    Health,
    Kind,
    Reliability,
    Status,
)

pytestmark = pytest.mark.django_db


def test_it_lists_every_status_with_the_kind_labels_that_count_as_it(client):
    html = client.get("/about/").content.decode()

    for key, label in Status.choices:
        assert f'id="status-{key}"' in html
        assert str(label) in html
    for (kind, status), own in KIND_STATUS_LABELS.items():
        assert escape(str(own)) in html
        assert f"{escape(own)}” counts as <strong>{Status(status).label}</strong>" in html


def test_it_states_each_health_rule_with_its_thresholds_in_rule_order(client):
    html = client.get("/about/").content.decode()

    positions = [html.index(f'id="health-{key}"') for key in Health.values]
    assert positions == sorted(positions)
    for key, meaning in health.describe().items():
        assert escape(meaning) in html
    assert f"{health.DUE_SOON_DAYS} days" in html
    assert f"{health.STALE_DAYS} days" in html


def test_it_follows_a_changed_threshold_instead_of_a_copied_one(client, monkeypatch):
    monkeypatch.setattr(health, "DUE_SOON_DAYS", 61)
    monkeypatch.setattr(health, "STALE_DAYS", 181)

    html = client.get("/about/").content.decode()

    assert "<strong>61 days</strong>" in html
    assert "<strong>181 days</strong>" in html
    assert "within 61 days (today included)" in html


def test_it_lists_evidence_kinds_and_reliability_grades(client):
    html = client.get("/about/").content.decode()

    for label in [*EvidenceKind.labels, *Reliability.labels, *Kind.labels]:
        assert str(label) in html


def test_it_shows_means_computed_by_the_progress_module(client, monkeypatch):
    html = client.get("/about/").content.decode()

    assert str(progress.mean(80, 2, 5)) in html
    assert "(thin: under a third measured)" in html
    assert "under 33% of its group" in html

    monkeypatch.setattr(progress, "THIN_BELOW", 0.5)
    assert "under 50% of its group" in client.get("/about/").content.decode()


def test_it_is_linked_from_every_pages_footer(client):
    for path in ("/", "/commitments/", "/activity/", "/about/"):
        assert 'href="/about/"' in client.get(path).content.decode(), path


def test_it_shows_a_kinds_label_with_the_status_it_counts_as_on_its_badge(client, make):
    standing = make.commitment("Keep the rule of law", kind=Kind.STANDING)
    services.record_status_update(
        commitment=standing,
        status=Status.ACHIEVED,
        by=None,
        rationale="Reaffirmed.",
        evidence=[make.evidence(standing)],
        effective_on=dt.date(2025, 9, 1),
    )

    for path in ("/commitments/", standing.get_absolute_url()):
        html = client.get(path).content.decode()
        assert 'In force / upheld <span class="counts-as">· Achieved</span>' in html, path
        assert 'title="In force / upheld counts as Achieved.' in html, path


def test_it_gives_every_health_badge_its_rule_as_a_tooltip(client, make):
    make.commitment("Late", deadline=dt.date(2000, 1, 1))

    html = client.get("/commitments/").content.decode()

    assert f'title="Overdue: {escape(health.describe()[Health.OVERDUE])}' in html
    assert 'href="/about/#statuses"' in html


def test_it_reads_no_database_rows(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/about/").status_code == 200


def test_it_refuses_a_post(client):
    assert client.post("/about/").status_code == 405


def test_it_sends_anonymous_visitors_to_login_when_not_public(client, settings, reader):
    settings.TRACKER_PUBLIC = False

    assert client.get("/about/")["Location"] == "/accounts/login/?next=/about/"
    client.force_login(reader)
    assert client.get("/about/").status_code == 200


def test_it_names_the_kinds_of_parties_roles_and_sources_from_their_vocabularies(client):
    from commitments.choices import ActorKind, PartyRole, SourceKind

    html = client.get("/about/").content.decode()

    for label in [*ActorKind.labels, *PartyRole.labels, *SourceKind.labels]:
        assert label.lower() in html, label
    assert "government, agency, company, business group or multilateral body" in html
