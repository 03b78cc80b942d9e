import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commitments.models import Evidence as EvidenceNow


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


@pytest.mark.django_db(transaction=True)
def test_it_moves_each_evidence_item_to_its_commitments_and_merges_duplicates():
    """Migrating a register from one commitment per evidence item: items with the same
    link and title become one, backing every update and milestone the copies backed."""
    executor = MigrationExecutor(connection)
    executor.migrate([("commitments", "0005_kind_deadline_index")])
    old = executor.loader.project_state([("commitments", "0005_kind_deadline_index")]).apps
    Commitment = old.get_model("commitments", "Commitment")
    Evidence = old.get_model("commitments", "Evidence")
    StatusUpdate = old.get_model("commitments", "StatusUpdate")
    first = Commitment.objects.create(title="First", slug="first")
    second = Commitment.objects.create(title="Second", slug="second")
    link = {"url": "https://example.org/report", "title": "Report", "kind": "news_report"}
    copies = [
        Evidence.objects.create(commitment=c, reliability="secondary", **link)
        for c in (first, second)
    ]
    unlinked = Evidence.objects.create(
        commitment=second, title="Note", kind="analysis", reliability="secondary"
    )
    updates = []
    for commitment, item in zip((first, second), copies, strict=True):
        update = StatusUpdate.objects.create(
            commitment=commitment,
            status="in_progress",
            previous_status="not_rated",
            effective_on=dt.date(2026, 1, 1),
            rationale="Started.",
        )
        update.evidence.set([item, unlinked] if commitment == second else [item])
        updates.append(update)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    report = EvidenceNow.objects.get(title="Report")
    assert EvidenceNow.objects.filter(url=link["url"]).count() == 1
    assert set(report.commitments.values_list("slug", flat=True)) == {"first", "second"}
    assert set(report.status_updates.values_list("pk", flat=True)) == {u.pk for u in updates}
    note = EvidenceNow.objects.get(title="Note")
    assert list(note.commitments.values_list("slug", flat=True)) == ["second"]
