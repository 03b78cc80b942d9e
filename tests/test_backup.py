import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments import services
from commitments.backup import FORMAT, BackupError, restore_backup, write_backup
from commitments.models import (
    Actor,
    Commitment,
    Evidence,
    Milestone,
    Party,
    Source,
    StatusUpdate,
    Theme,
)

MODELS = [Actor, Theme, Source, Commitment, Party, Evidence, Milestone, StatusUpdate]


def fingerprint():
    """Everything a user could see, by natural fields, independent of ids."""
    data = {}
    for commitment in Commitment.objects.order_by("slug"):
        data[commitment.slug] = {
            "status": commitment.status,
            "progress": commitment.progress,
            "deadline": (commitment.deadline, commitment.deadline_precision),
            "parent": commitment.parent.slug if commitment.parent else None,
            "themes": sorted(commitment.themes.values_list("slug", flat=True)),
            "parties": sorted(commitment.parties.values_list("actor__slug", "role")),
            "milestones": sorted(
                commitment.milestones.values_list("title", "due_on", "completed_on")
            ),
            "evidence": sorted(commitment.evidence.values_list("title", "url", "kind")),
            "history": [
                (
                    u.status,
                    u.previous_status,
                    u.effective_on,
                    u.rationale,
                    u.recorded_by.username if u.recorded_by else None,
                    sorted(u.evidence.values_list("title", flat=True)),
                    u.corrects.rationale if u.corrects else None,
                )
                for u in commitment.updates.newest_first()
            ],
        }
    return data


@pytest.fixture
def rich_data(seeded, analyst, make):
    gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
    evidence = make.evidence(gcap, title="Programme update")
    Milestone.objects.create(
        commitment=gcap, title="First flight", due_on=dt.date(2030, 1, 1), due_precision="year"
    )
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False):
        wrong = services.record_status_update(
            commitment=gcap,
            status="stalled",
            rationale="Misreported stall.",
            evidence=[evidence],
            by=analyst,
        )
        services.record_status_update(
            commitment=gcap,
            status="in_progress",
            progress=35,
            rationale="Correction: on schedule.",
            evidence=[evidence],
            by=analyst,
            corrects=wrong,
        )


def backup_text() -> str:
    out = io.StringIO()
    write_backup(out)
    return out.getvalue()


def wipe():
    StatusUpdate.objects.filter(corrects__isnull=False).delete()
    for model in [StatusUpdate, Milestone, Evidence, Party, Commitment, Source, Actor, Theme]:
        model.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()


def test_it_round_trips_everything(rich_data):
    before = fingerprint()
    text = backup_text()
    header = json.loads(text)
    assert header["format"] == FORMAT and header["version"] == 2
    wipe()
    assert not Commitment.objects.exists()
    restore_backup(io.StringIO(text))
    assert fingerprint() == before


def test_it_refuses_to_restore_over_existing_data(rich_data):
    text = backup_text()
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(io.StringIO(text))


def test_it_refuses_a_file_that_is_not_a_backup(db):
    with pytest.raises(BackupError, match="not a"):
        restore_backup(io.StringIO('{"hello": 1}'))
    with pytest.raises(BackupError, match="invalid JSON"):
        restore_backup(io.StringIO("not json"))


def test_it_refuses_a_newer_backup_version(db):
    with pytest.raises(BackupError, match="version 99"):
        restore_backup(io.StringIO(json.dumps({"format": FORMAT, "version": 99, "objects": []})))


def test_a_failed_restore_writes_nothing(db):
    broken = {
        "format": FORMAT,
        "version": 1,
        "objects": [
            {
                "model": "commitments.theme",
                "pk": 1,
                "fields": {"name": "Ok", "slug": "ok", "colour": "#112233", "description": ""},
            },
            {
                "model": "commitments.theme",
                "pk": 2,
                "fields": {"name": "Bad", "slug": "bad", "colour": "blue", "description": ""},
            },
        ],
    }
    with pytest.raises(Exception):
        restore_backup(io.StringIO(json.dumps(broken)))
    assert not Theme.objects.exists()


def test_the_commands_round_trip_through_a_file(rich_data, tmp_path):
    path = tmp_path / "backup.json"
    before = fingerprint()
    call_command("backup", str(path))
    wipe()
    call_command("restore", str(path))
    assert fingerprint() == before
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.json"))


def test_it_restores_a_version_1_backup_with_one_commitment_per_evidence_item(rich_data):
    """Version 1 stored each item under one commitment; the same link and title
    recorded twice becomes one item that backs both."""
    gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
    acsa = Commitment.objects.get(slug="acsa-agreement")
    document = json.loads(backup_text())
    rows = document["objects"]
    evidence = [row for row in rows if row["model"] == "commitments.evidence"]
    # Version 1 held an item once per commitment: one shared by several becomes copies.
    copies = {}
    for row in evidence:
        first, *others = row["fields"].pop("commitments")
        row["fields"]["commitment"] = first
        for n, other in enumerate(others, start=1):
            copy = json.loads(json.dumps(row))
            copy["pk"], copy["fields"]["commitment"] = row["pk"] * 1000 + n, other
            copies[row["pk"], other] = copy["pk"]
            rows.insert(rows.index(row) + 1, copy)
    for row in rows:
        if row["model"] == "commitments.statusupdate":
            fields = row["fields"]
            fields["evidence"] = [
                copies.get((pk, fields["commitment"]), pk) for pk in fields["evidence"]
            ]
    twin = json.loads(json.dumps(evidence[-1]))
    twin["pk"] = 9999
    twin["fields"]["commitment"] = acsa.pk
    rows.insert(rows.index(evidence[-1]) + 1, twin)
    for row in rows:
        if row["model"] == "commitments.statusupdate" and row["fields"]["commitment"] == acsa.pk:
            row["fields"]["evidence"] = [9999]
    document["version"] = 1
    before = fingerprint()
    wipe()

    restore_backup(io.StringIO(json.dumps(document)))

    item = Evidence.objects.get(
        title=evidence[-1]["fields"]["title"], url=evidence[-1]["fields"]["url"]
    )
    assert set(item.commitments.values_list("slug", flat=True)) == {gcap.slug, acsa.slug}
    assert StatusUpdate.objects.get(commitment__slug=acsa.slug).evidence.get() == item
    restored = fingerprint()
    assert restored[gcap.slug] == before[gcap.slug]
    assert restored[acsa.slug]["history"][0][-2] == [item.title]
