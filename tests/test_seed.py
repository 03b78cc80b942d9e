import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.models import Actor, Commitment, Evidence, Party, Source, StatusUpdate, Theme
from commitments.seed import load_seed

MODELS = [Actor, Theme, Source, Commitment, Party, Evidence, StatusUpdate]


def snapshot():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_loads_at_least_twelve_commitments_with_quotes(seeded):
    commitments = Commitment.objects.all()
    assert commitments.count() >= 12
    assert all(c.quote and c.source_id for c in commitments)
    assert all(c.themes.exists() and c.parties.exists() for c in commitments)


def test_it_is_idempotent(seeded):
    before = snapshot()
    load_seed()
    assert snapshot() == before


def test_it_records_acsa_as_achieved_since_september_2025(seeded):
    acsa = Commitment.objects.get(slug="acsa-agreement")
    assert acsa.status == "achieved"
    assert acsa.kind == "standing"
    assert acsa.status_label == "In force / upheld"
    update = acsa.updates.get()
    assert update.effective_on == dt.date(2025, 9, 1)
    assert update.effective_precision == "month"
    assert update.effective_display == "Sep 2025"
    assert update.evidence.count() == 1


def test_it_records_gcap_in_progress_by_2035_with_the_uk(seeded):
    gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
    assert gcap.status == "in_progress"
    assert gcap.deadline == dt.date(2035, 12, 31)
    assert gcap.deadline_precision == "year"
    assert gcap.deadline_display == "by 2035"
    assert set(gcap.actors.values_list("name", flat=True)) == {"Italy", "Japan", "United Kingdom"}


def test_it_dates_the_anniversary_initiatives_by_2026(seeded):
    anniversary = Commitment.objects.get(slug="160th-anniversary-initiatives-2026")
    assert anniversary.deadline_display == "by 2026"


def test_the_action_plan_is_a_framework_with_children(seeded):
    plan = Commitment.objects.get(slug="action-plan-2024-2027")
    assert plan.kind == "framework"
    assert plan.deadline_display == "by 2027"
    assert plan.children.count() >= 3
    assert plan.children.filter(slug="acsa-agreement").exists()


def test_other_commitments_are_not_yet_rated(seeded):
    rated = {"acsa-agreement", "gcap-next-generation-fighter"}
    others = Commitment.objects.exclude(slug__in=rated)
    assert set(others.values_list("status", flat=True)) == {"not_rated"}
    assert not StatusUpdate.objects.exclude(commitment__slug__in=rated).exists()


def test_the_source_date_is_left_unknown(seeded):
    assert Source.objects.get().date is None


def test_it_loads_from_the_command_line(db):
    call_command("load_seed")
    assert Commitment.objects.count() >= 12


def test_it_refuses_demo_users_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_seed", "--demo-users")


def test_it_creates_demo_users_only_when_asked(db, settings, django_user_model):
    settings.DEBUG = True
    call_command("load_seed")
    assert not django_user_model.objects.exists()
    settings.TRACKER_DEMO_PASSWORD = "s3cret-demo"
    call_command("load_seed", "--demo-users")
    admin = django_user_model.objects.get(username="admin")
    analyst = django_user_model.objects.get(username="analyst")
    assert admin.is_superuser and admin.check_password("s3cret-demo")
    assert list(analyst.groups.values_list("name", flat=True)) == ["Analysts"]
    assert analyst.has_perm("commitments.add_statusupdate")
