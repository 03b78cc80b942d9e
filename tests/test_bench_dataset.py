"""The benchmark's synthetic register must be as consistent as real data."""

from bench import dataset
from commitments.models import Actor, Commitment, Evidence, Milestone, Source, StatusUpdate, Theme
from commitments.services import latest_update


def test_it_builds_the_promised_shape(db):
    dataset.build(60, progress=lambda message: None)
    assert Commitment.objects.count() == 60
    assert (Actor.objects.count(), Theme.objects.count(), Source.objects.count()) == (60, 12, 300)
    assert Evidence.objects.count() == 180
    assert Milestone.objects.count() == 120
    assert 150 <= StatusUpdate.objects.count() <= 420


def test_every_current_status_equals_its_latest_update(db):
    dataset.build(60, progress=lambda message: None)
    for commitment in Commitment.objects.all():
        latest = latest_update(commitment)
        expected = (latest.status, latest.progress) if latest else ("not_rated", None)
        assert (commitment.status, commitment.progress) == expected
        assert commitment.full_clean() is None


def test_it_is_deterministic(db):
    dataset.build(30, progress=lambda message: None)
    first = list(Commitment.objects.order_by("slug").values_list("title", "status", "deadline"))
    Commitment.objects.all().delete()
    for model in (Evidence, Actor, Theme, Source):
        model.objects.all().delete()
    dataset.build(30, progress=lambda message: None)
    assert (
        list(Commitment.objects.order_by("slug").values_list("title", "status", "deadline"))
        == first
    )


def test_every_partys_own_status_and_score_equal_its_latest_assessment(db):
    from commitments.models import Party
    from commitments.services.assessments import latest_assessment

    dataset.build(60, progress=lambda message: None)
    assessed = Party.objects.filter(last_assessed_at__isnull=False)
    assert assessed.exists()
    for party in Party.objects.select_related("commitment"):
        latest = latest_assessment(party)
        expected = (latest.status, latest.score) if latest else ("not_rated", None)
        assert (party.status, party.score) == expected
        if latest:
            assert latest.evidence.exists()
            assert latest.full_clean() is None


def test_it_measures_the_review_queue_and_the_digests_on_the_register(db):
    from django.contrib.auth.models import Group

    from bench import keep_current
    from tests.conftest import ensure_roles

    dataset.build(60, progress=lambda message: None)
    if not Group.objects.filter(name="Analysts").exists():
        ensure_roles()
    keep_current.prepare_reviews()
    open_ones = Commitment.objects.exclude(status__in=["partially_achieved", "achieved", "broken"])
    assert not open_ones.filter(next_review_on__isnull=True).exists()

    response = keep_current.analyst_client().get("/review/")
    assert response.status_code == 200
    assert (
        response.context["counts"]["due"]
        == open_ones.filter(
            pk__in=[pk for pk in open_ones.values_list("pk", flat=True) if pk % 3 == 0]
        ).count()
    )

    # The first follower's commitment was just added: it is in their digest.
    from django.utils import timezone

    Commitment.objects.filter(pk=Commitment.objects.order_by("pk")[0].pk).update(
        created_at=timezone.now()
    )
    built = keep_current.build_digests(5)
    assert built["users"] == 5 and built["items"] > 0
    assert keep_current.build_digests(5)["users"] == 5  # the followers are reused


def test_it_translates_every_commitment_into_italian_and_japanese_once(db):
    from commitments.filters import CommitmentFilterSet
    from commitments.models import CommitmentText

    dataset.build(40, progress=lambda message: None)
    assert CommitmentText.objects.count() == 80
    assert dataset.add_translations(progress=lambda message: None) == 0
    # A register built before translations gets the same ones afterwards.
    built = sorted(CommitmentText.objects.values_list("commitment_id", "language", "title"))
    CommitmentText.objects.all().delete()
    assert dataset.add_translations(progress=lambda message: None) == 80
    assert sorted(CommitmentText.objects.values_list("commitment_id", "language", "title")) == built
    assert set(CommitmentText.objects.values_list("language", flat=True)) == {"it", "ja"}
    for text in CommitmentText.objects.select_related("commitment"):
        assert text.full_clean() is None
    found = CommitmentFilterSet({"q": "次期戦闘機"}).qs
    assert found.exists()
    assert found.count() == CommitmentText.objects.filter(title__contains="次期戦闘機").count()


def test_it_leaves_every_index_and_foreign_key_it_set_aside(db):
    """On PostgreSQL the build drops the tables' secondary indexes and foreign keys and adds
    them again after the rows: the schema it leaves is the migrated one."""
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the build sets indexes aside on PostgreSQL only")
    tables = [model._meta.db_table for model in dataset.WRITTEN]

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT pg_get_indexdef(indexrelid) FROM pg_index
                    WHERE indrelid = ANY(%s::regclass[])
                   UNION ALL
                   SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = ANY(%s::regclass[])""",
                [tables, tables],
            )
            return sorted(row[0] for row in cursor.fetchall())

    before = schema()
    assert any("FOREIGN KEY" in line for line in before)
    dataset.build(20, progress=lambda message: None)
    assert schema() == before
