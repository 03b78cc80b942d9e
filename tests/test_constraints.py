"""Every rule is stated twice: the database rejects bad rows, and clean() explains."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Actor, Commitment, Evidence, Party, StatusUpdate, Theme


def rejected_by_database(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_it_rejects_progress_outside_0_to_100(make):
    commitment = make.commitment()
    rejected_by_database(lambda: Commitment.objects.filter(pk=commitment.pk).update(progress=101))
    commitment.progress = 101
    with pytest.raises(ValidationError, match="above 100"):
        commitment.full_clean()


def test_it_rejects_an_unknown_status_or_kind(make):
    commitment = make.commitment()
    rejected_by_database(lambda: Commitment.objects.filter(pk=commitment.pk).update(status="done"))
    rejected_by_database(lambda: Commitment.objects.filter(pk=commitment.pk).update(kind="wish"))


def test_it_rejects_a_deadline_without_precision(make):
    commitment = make.commitment()
    rejected_by_database(
        lambda: Commitment.objects.filter(pk=commitment.pk).update(deadline=dt.date(2030, 1, 1))
    )
    commitment.deadline = dt.date(2030, 1, 1)
    commitment.deadline_precision = ""
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "deadline_precision" in error.value.message_dict


def test_it_rejects_a_precision_without_a_deadline(make):
    commitment = make.commitment()
    rejected_by_database(
        lambda: Commitment.objects.filter(pk=commitment.pk).update(deadline_precision="year")
    )


def test_it_snaps_a_deadline_to_the_end_of_its_period(make):
    commitment = make.commitment(deadline=dt.date(2035, 3, 3), precision="year")
    commitment.refresh_from_db()
    assert commitment.deadline == dt.date(2035, 12, 31)
    assert commitment.deadline_display == "by 2035"


def test_it_rejects_a_commitment_that_is_its_own_parent(make):
    framework = make.commitment(kind="framework")
    rejected_by_database(
        lambda: Commitment.objects.filter(pk=framework.pk).update(parent=framework.pk)
    )
    framework.parent = framework
    with pytest.raises(ValidationError, match="own parent"):
        framework.full_clean()


def test_it_only_accepts_frameworks_as_parents(make):
    not_a_framework = make.commitment(kind="deliverable")
    child = make.commitment(parent=None)
    child.parent = not_a_framework
    with pytest.raises(ValidationError, match="must be a framework"):
        child.full_clean()


def test_it_rejects_duplicate_slugs_and_external_ids(make):
    make.commitment("A", slug="same", external_id="X-1")
    rejected_by_database(lambda: Commitment.objects.create(title="B", slug="same"))
    rejected_by_database(lambda: Commitment.objects.create(title="C", external_id="X-1"))
    # An empty external id is not an id: many rows may lack one.
    Commitment.objects.create(title="D")
    Commitment.objects.create(title="E")


def test_it_rejects_a_party_listed_twice(make):
    italy = make.actor("Italy")
    commitment = make.commitment(parties=[italy])
    rejected_by_database(lambda: Party.objects.create(commitment=commitment, actor=italy))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd"])
def test_it_rejects_evidence_links_that_are_not_http(make, url):
    commitment = make.commitment()
    rejected_by_database(lambda: make.evidence(commitment, url=url))
    evidence = Evidence(title="Bad", url=url, kind="news_report", reliability="secondary")
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert "url" in error.value.message_dict


def test_it_rejects_a_theme_colour_that_is_not_hex(db):
    rejected_by_database(lambda: Theme.objects.create(name="Bad", colour="blue"))
    with pytest.raises(ValidationError) as error:
        Theme(name="Bad", slug="bad", colour="blue").full_clean()
    assert "colour" in error.value.message_dict


def test_it_rejects_a_country_code_that_is_not_iso(db):
    rejected_by_database(
        lambda: Actor.objects.create(name="X", kind="government", country_code="it")
    )
    with pytest.raises(ValidationError) as error:
        Actor(name="X", slug="x", kind="government", country_code="ita").full_clean()
    assert "country_code" in error.value.message_dict


def test_it_rejects_an_update_with_progress_above_100_or_empty_rationale(make):
    commitment = make.commitment()
    base = {"commitment": commitment, "status": "in_progress", "previous_status": "not_rated"}
    rejected_by_database(
        lambda: StatusUpdate.objects.create(
            **base, progress=150, effective_on=dt.date(2026, 1, 1), rationale="x"
        )
    )
    rejected_by_database(
        lambda: StatusUpdate.objects.create(**base, effective_on=dt.date(2026, 1, 1), rationale="")
    )
