"""Complete, versioned backups of the tracker's data, and their restore.

A backup is one JSON document: a header naming the format, its version, when it was
written and the migration state, then every row of the tracker's tables (users and roles,
the register, history, evidence, milestones, quotes' places in stored texts and the
decisions on their sentences, API tokens and the admin's change log),
serialised with natural keys so it loads into any freshly migrated database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from ..services import periods
from ..services.milestones import sync_next_due

FORMAT = "commitment-tracker-backup"
# 2: evidence belongs to any number of commitments. Version 1 backups are upgraded on
# restore (see `_from_version_1`).
VERSION = 2
READABLE = (1, 2)

# In dependency order: what a row points at is restored before the row.
MODELS = [
    "auth.group",
    "auth.user",
    "authtoken.token",
    "commitments.actor",
    "commitments.theme",
    "commitments.source",
    "commitments.commitment",
    "commitments.seriestitle",
    "commitments.party",
    "commitments.commitmenttext",
    "commitments.evidence",
    "commitments.milestone",
    "commitments.statusupdate",
    "commitments.sourcequote",
    "commitments.candidatedecision",
    "commitments.partyassessment",
    "commitments.deadlinechange",
    "commitments.commitmentlink",
    "commitments.watch",
    "commitments.digestsubscription",
    "commitments.digestsent",
    "admin.logentry",
]
TRACKED = [
    "commitments.commitment",
    "commitments.actor",
    "commitments.theme",
    "commitments.source",
    "auth.user",
]


# A backup holds password hashes and API tokens: only its owner may read it.
FILE_MODE = 0o600
# How much of a damaged backup's error a message quotes.
REASON_MAX = 300


class BackupError(Exception):
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, so a restored
    history would no longer be in the order it was recorded."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


@contextlib.contextmanager
def private_file(path: Path) -> Iterator[IO[str]]:
    """A file only its owner can read (mode 0600 from the first byte), written beside its
    final name and put there only once complete, so a failed backup leaves no file that
    looks like a backup."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # an older partial file may have had another mode
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            yield out
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def _migration_state() -> dict[str, str]:
    recorder = MigrationRecorder(connection)
    latest: dict[str, str] = {}
    for app, name in recorder.applied_migrations():
        if app in ("commitments", "auth", "admin", "authtoken", "contenttypes"):
            latest[app] = max(latest.get(app, ""), name)
    return latest


def _rows() -> Iterator[dict]:
    for label in MODELS:
        model = apps.get_model(label)
        queryset = model._default_manager.order_by("pk")
        natural_pk = label in ("auth.group",)
        if label == "commitments.commitment":
            # The search document is derived from the text, and rebuilt on restore.
            queryset = queryset.defer("search_document")
        for obj in queryset.iterator(chunk_size=2000):
            # Serialise one object at a time so memory stays flat on large registers.
            row = json.loads(
                serializers.serialize(
                    "json",
                    [obj],
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=natural_pk,
                    cls=ExactJSONEncoder,
                )
            )[0]
            row["fields"].pop("search_document", None)
            yield row


def write_backup(out: IO[str]) -> dict[str, int]:
    """Write the whole database to `out`; returns the number of rows per model."""
    counts: dict[str, int] = dict.fromkeys(MODELS, 0)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "migrations": _migration_state(),
    }
    out.write(json.dumps(header)[:-1] + ', "objects": [\n')
    first = True
    with transaction.atomic():  # one consistent snapshot
        for row in _rows():
            counts[row["model"]] += 1
            out.write(("" if first else ",\n") + json.dumps(row, ensure_ascii=False))
            first = False
    out.write("\n]}\n")
    return counts


def restore_backup(stream: IO[str]) -> dict[str, int]:
    """Load a backup into an empty, migrated database, all or nothing."""
    try:
        document = json.load(stream)
    except json.JSONDecodeError as exc:
        raise BackupError(f"This is not a backup file (invalid JSON: {exc}).") from exc
    except (UnicodeDecodeError, RecursionError) as exc:
        raise BackupError(f"This is not a backup file ({type(exc).__name__}).") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("This is not a commitment tracker backup.")
    if document.get("version") not in READABLE:
        raise BackupError(
            f"Backup version {document.get('version')} cannot be restored by this version "
            f"(it reads versions {READABLE[0]} to {READABLE[-1]})."
        )
    for label in TRACKED:
        if apps.get_model(label)._default_manager.exists():
            raise BackupError(
                f"The database is not empty ({label} has rows): restore only into an empty database."
            )
    objects = document.get("objects")
    if not isinstance(objects, list) or not all(isinstance(row, dict) for row in objects):
        raise BackupError("The backup is damaged, so nothing was restored: it lists no rows.")
    try:
        return _load(objects, version=document["version"])
    except (
        DeserializationError,
        DatabaseError,
        ValidationError,
        LookupError,
        TypeError,
        ValueError,
        AttributeError,
    ) as exc:
        # Raised out of the transaction, which has rolled everything back.
        reason = " ".join(str(exc).split())
        if len(reason) > REASON_MAX:
            reason = reason[: REASON_MAX - 1] + "…"
        raise BackupError(
            f"The backup is damaged, so nothing was restored ({type(exc).__name__}: {reason})."
        ) from exc


def _load(objects: list[dict], *, version: int) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(MODELS, 0)
    if version == 1:
        objects = _from_version_1(objects)
    with transaction.atomic():
        for deserialized in serializers.deserialize(
            "json", json.dumps(objects), handle_forward_references=True
        ):
            label = deserialized.object._meta.label_lower
            if label not in counts:
                raise BackupError(f"The backup holds rows of {label}, which backups never hold.")
            deserialized.save()
            counts[label] += 1
        # A reference to a row the backup lacks shows here, not at the commit.
        connection.check_constraints(
            table_names=[apps.get_model(label)._meta.db_table for label in MODELS]
        )
        _reset_sequences()
        # Derived from the milestones, which older backups did not carry it beside.
        sync_next_due()
        # Derived from the history, and not carried in a backup.
        periods.rebuild()
    return counts


def _from_version_1(objects: list[dict]) -> list[dict]:
    """Version 1 gave each evidence item one commitment; now an item is recorded once per
    link and title, for any number of commitments. Items that share a link and a title
    become the first of them, with every commitment, update and milestone it backed."""
    kept: dict[tuple[str, str], dict] = {}
    same_as: dict[int, int] = {}
    result = []
    for row in objects:
        if row.get("model") != "commitments.evidence":
            result.append(row)
            continue
        fields = row["fields"]
        commitment = fields.pop("commitment", None)
        fields["commitments"] = [commitment] if commitment is not None else []
        key = (fields.get("url") or "", fields.get("title") or "")
        if key[0] and key in kept:
            first = kept[key]
            same_as[row["pk"]] = first["pk"]
            if commitment is not None and commitment not in first["fields"]["commitments"]:
                first["fields"]["commitments"].append(commitment)
            continue
        if key[0]:
            kept[key] = row
        result.append(row)
    for row in result:
        if row.get("model") in ("commitments.statusupdate", "commitments.milestone"):
            items = row["fields"].get("evidence", [])
            row["fields"]["evidence"] = list(dict.fromkeys(same_as.get(pk, pk) for pk in items))
    return result


def _reset_sequences() -> None:
    """After loading explicit ids, PostgreSQL's sequences must continue after them."""
    from django.core.management.color import no_style

    models = [apps.get_model(label) for label in MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
