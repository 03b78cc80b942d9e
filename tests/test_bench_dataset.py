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
