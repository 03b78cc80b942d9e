from io import StringIO

from django.core.management import call_command


def test_it_has_a_migration_for_every_model_change(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_roles_exist_with_their_permissions(db):
    from django.contrib.auth.models import Group

    analysts = set(
        Group.objects.get(name="Analysts").permissions.values_list("codename", flat=True)
    )
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_statusupdate", "add_evidence", "add_milestone", "change_milestone"} <= analysts
    assert "change_commitment" not in analysts
    assert analysts < editors
    assert {"add_commitment", "change_commitment", "change_source", "import_commitments"} <= editors
