import datetime as dt
import io
import json
import os
import stat

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


def test_it_rebuilds_the_status_periods_on_restore(rich_data):
    from commitments.models import StatusPeriod
    from commitments.services import periods

    def stored():
        return set(
            StatusPeriod.objects.values_list(
                "commitment__slug", "valid_from", "valid_to", "status", "progress"
            )
        )

    before = stored()
    assert before
    text = backup_text()
    wipe()
    assert not StatusPeriod.objects.exists()
    restore_backup(io.StringIO(text))
    assert stored() == before
    assert periods.out_of_step() == (0, [])


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


# -- the file, exact times and damaged backups ---------------------------------------------
@pytest.fixture
def loose_umask():
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_it_writes_a_backup_only_its_owner_can_read(rich_data, tmp_path, loose_umask):
    path = tmp_path / "backups" / "tracker.json"
    call_command("backup", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["format"] == FORMAT
    assert [p.name for p in path.parent.iterdir()] == ["tracker.json"]


def test_it_makes_an_older_world_readable_file_private(rich_data, tmp_path, loose_umask):
    path = tmp_path / "tracker.json"
    path.write_text("old")
    path.chmod(0o644)
    call_command("backup", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["format"] == FORMAT


def test_it_leaves_no_file_when_a_backup_fails(rich_data, tmp_path, monkeypatch):
    def broken(out):
        out.write('{"format": ')
        raise RuntimeError("disk full")

    monkeypatch.setattr("commitments.management.commands.backup.write_backup", broken)
    with pytest.raises(RuntimeError):
        call_command("backup", str(tmp_path / "tracker.json"))
    assert list(tmp_path.iterdir()) == []


def _times():
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model

    return {
        "recorded": sorted(StatusUpdate.objects.values_list("recorded_at", flat=True)),
        "evidence": sorted(Evidence.objects.values_list("added_at", flat=True)),
        "created": sorted(Commitment.objects.values_list("created_at", "updated_at")),
        "logged": sorted(LogEntry.objects.values_list("action_time", flat=True)),
        "joined": sorted(get_user_model().objects.values_list("date_joined", flat=True)),
    }


def test_it_keeps_timestamps_to_the_microsecond(seeded, analyst, make):
    from django.contrib.admin.models import CHANGE, LogEntry

    moment = dt.datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
        services.record_status_update(
            commitment=gcap,
            status="stalled",
            rationale="Talks paused.",
            evidence=[make.evidence(gcap)],
            by=analyst,
        )
        LogEntry.objects.create(
            user=analyst, object_repr="x", action_flag=CHANGE, change_message="Changed x."
        )
    before = _times()
    assert moment in before["recorded"] and moment in before["logged"]
    text = backup_text()
    wipe()
    LogEntry.objects.all().delete()
    restore_backup(io.StringIO(text))
    assert _times() == before


def _damaged(rich_text: str) -> dict[str, bytes]:
    document = json.loads(rich_text)
    rows = document["objects"]
    theme = next(row for row in rows if row["model"] == "commitments.theme")
    update = next(row for row in rows if row["model"] == "commitments.statusupdate")

    def variant(change) -> bytes:
        copy = json.loads(json.dumps(document))
        change(copy)
        return json.dumps(copy).encode()

    def row_index(copy, model):
        return next(i for i, row in enumerate(copy["objects"]) if row["model"] == model)

    return {
        "truncated": rich_text.encode()[: len(rich_text) // 2],
        "not text": b"\xff\xfe\x00garbage",
        "nested": b"[" * 100_000,
        "rows not a list": variant(lambda c: c.update(objects={"a": 1})),
        "row not an object": variant(lambda c: c["objects"].append(5)),
        "row without fields": variant(
            lambda c: c["objects"][row_index(c, "commitments.theme")].pop("fields")
        ),
        "unknown model": variant(lambda c: c["objects"].append({**theme, "model": "nope.nope"})),
        "model never backed up": variant(
            lambda c: c["objects"].append({"model": "sessions.session", "pk": "x", "fields": {}})
        ),
        "bad date": variant(
            lambda c: c["objects"][row_index(c, "commitments.statusupdate")]["fields"].update(
                effective_on="garbage"
            )
        ),
        "broken reference": variant(
            lambda c: c["objects"][row_index(c, "commitments.statusupdate")]["fields"].update(
                commitment=update["fields"]["commitment"] + 10_000
            )
        ),
        "broken rule": variant(
            lambda c: c["objects"][row_index(c, "commitments.theme")]["fields"].update(
                colour="blue"
            )
        ),
    }


def test_it_ends_a_damaged_backup_with_a_message_and_restores_nothing(rich_data, tmp_path):
    cases = _damaged(backup_text())
    wipe()
    for name, content in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(path))
        message = str(refused.value)
        assert "damaged" in message or "not a backup" in message or "never hold" in message, name
        assert "Traceback" not in message
        assert not Theme.objects.exists() and not Commitment.objects.exists(), name


def test_it_answers_an_unreadable_file_with_a_message(db, tmp_path, monkeypatch):
    path = tmp_path / "tracker.json"
    path.write_text("{}")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr("pathlib.Path.open", refuse)
    with pytest.raises(CommandError, match="cannot be read: Permission denied"):
        call_command("restore", str(path))
