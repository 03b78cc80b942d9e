"""Exports in our import columns, streamed from one query: each commitment is a plain row
(`values()`, no model objects) read through a server-side cursor on PostgreSQL, with its
themes and parties aggregated in SQL (`RowsAsJSON`), so exporting 100,000 commitments never
holds them all and costs one query however many there are.

CSV carries the flat columns; JSON also nests each commitment's milestones, evidence and
history (read per chunk of rows, as plain rows too), so export -> import into an empty
database reproduces them. Every text cell that a spreadsheet could run as a formula is
escaped (`formulas.escape_formula`); the importer strips the prefix again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice
from operator import itemgetter

from django.db.models import (
    Aggregate,
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat

from .choices import Precision
from .content_languages import TRANSLATED_PARTS
from .dates import quarter_of
from .formulas import FIRST_CHARACTERS, escape_formula
from .importing.columns import COLUMNS
from .importing.translations import export_cells
from .models import (
    Commitment,
    CommitmentText,
    Evidence,
    Milestone,
    Party,
    PartyAssessment,
    StatusUpdate,
)

CHUNK_SIZE = 2000
# Commitments whose milestones, evidence and history are read together for the JSON.
NESTED_CHUNK_SIZE = 500
# Rows written between two chunks of the CSV stream.
FLUSH_EVERY = 100


class RowsAsJSON(Aggregate):
    """A group's rows as JSON text: an array with one array of the expressions per row."""

    function = "json_group_array"
    template = "%(function)s(json_array(%(expressions)s))"
    output_field = TextField()
    contains_aggregate = True

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="json_agg",
            template="%(function)s(json_build_array(%(expressions)s))::text",
            **extra_context,
        )


def as_written(day: dt.date | None, precision: str) -> str:
    """A date the way the importer reads it back with the same precision."""
    if day is None or not precision:
        return ""
    if precision == Precision.YEAR:
        return str(day.year)
    if precision == Precision.QUARTER:
        return f"Q{quarter_of(day)} {day.year}"
    if precision == Precision.MONTH:
        return day.strftime("%B %Y")
    return day.isoformat()


FLAT_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "quote",
    "source__title",
    "source__date",
    "source__url",
    "kind",
    "announced_on",
    "announced_precision",
    "deadline",
    "deadline_precision",
    "status",
    "progress",
    "status_effective",
    "parent__slug",
    "external_id",
    "themes_json",
    "parties_json",
    "language",
    "translations_json",
)


def flat_rows(queryset: QuerySet) -> QuerySet:
    """The filtered rows as dicts of what the flat columns show: the current status's
    date, and the themes and parties (each with its latest assessment's date) as JSON."""
    current = StatusUpdate.objects.filter(commitment=OuterRef("pk")).not_corrected().newest_first()
    latest = PartyAssessment.objects.filter(party=OuterRef("pk")).not_corrected().newest_first()
    parties = (
        Party.objects.filter(commitment=OuterRef("pk"))
        .annotate(
            assessed=_dated(latest),
        )
        .order_by()
        .values("commitment")
        .annotate(
            rows=RowsAsJSON(
                "id",
                "actor__name",
                "role",
                "status",
                "score",
                "assessed",
            )
        )
        .values("rows")
    )
    themes = (
        Commitment.themes.through.objects.filter(commitment=OuterRef("pk"))
        .order_by()
        .values("commitment")
        .annotate(rows=RowsAsJSON(F("theme__name")))
        .values("rows")
    )
    texts = (
        CommitmentText.objects.filter(commitment=OuterRef("pk"))
        .order_by()
        .values("commitment")
        .annotate(rows=RowsAsJSON("language", *TRANSLATED_PARTS))
        .values("rows")
    )
    return queryset.annotate(
        status_effective=_dated(current),
        themes_json=Subquery(themes, output_field=TextField()),
        parties_json=Subquery(parties, output_field=TextField()),
        translations_json=Subquery(texts, output_field=TextField()),
    ).values(*FLAT_FIELDS)


def _dated(entries: QuerySet) -> Subquery:
    """The first entry's effective date and precision in one subquery: "2024-06-01|day"."""
    return Subquery(
        entries.annotate(
            dated=Concat(
                Cast("effective_on", CharField()),
                Value("|"),
                "effective_precision",
                output_field=CharField(),
            )
        ).values("dated")[:1],
        output_field=CharField(),
    )


def _as_written_dated(dated: str | None) -> str:
    """What `_dated` gives, as the importer reads it back."""
    if not dated:
        return ""
    day, _, precision = dated.partition("|")
    return as_written(dt.date.fromisoformat(day), precision)


def flat_record(row: dict) -> dict[str, str]:
    source_date = row["source__date"]
    themes = json.loads(row["themes_json"] or "[]")
    parties = sorted(json.loads(row["parties_json"] or "[]"))  # by id, as entered
    progress = row["progress"]
    return {
        "slug": row["slug"],
        "title": row["title"],
        "summary": row["summary"],
        "quote": row["quote"],
        "source": row["source__title"] or "",
        "source_date": source_date.isoformat() if source_date else "",
        "source_url": row["source__url"] or "",
        "themes": "; ".join(sorted(name for (name,) in themes)),
        "parties": "; ".join(f"{party[1]}:{party[2]}" for party in parties),
        "kind": row["kind"],
        "announced": as_written(row["announced_on"], row["announced_precision"]),
        "deadline": as_written(row["deadline"], row["deadline_precision"]),
        "status": row["status"],
        "progress": "" if progress is None else str(progress),
        "effective": _as_written_dated(row["status_effective"]),
        "parent": row["parent__slug"] or "",
        "external_id": row["external_id"],
        **party_columns(parties),
        **export_cells(row["language"], json.loads(row["translations_json"] or "[]")),
    }


def party_columns(parties: list[list]) -> dict[str, str]:
    """Each assessed party's own status since its latest assessment's date, and score."""
    statuses, scores = [], []
    for _id, name, _role, status, score, assessed in parties:
        if assessed is None:
            continue
        since = _as_written_dated(assessed)
        statuses.append(f"{name}: {status} since {since}")
        if score is not None:
            scores.append(f"{name}: {score}")
    return {"party_statuses": "; ".join(statuses), "party_scores": "; ".join(scores)}


def _in_chunks(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    while chunk := list(islice(rows, size)):
        yield chunk


class Nested:
    """The milestones, evidence and history of a chunk of commitments, read as plain rows
    in five queries (whatever the chunk's size), grouped by commitment."""

    def __init__(self, ids: list[int]):
        self.evidence: dict[int, list[dict]] = defaultdict(list)
        for item in (
            Evidence.commitments.through.objects.filter(commitment_id__in=ids)
            .order_by("evidence_id")
            .values(
                "commitment_id",
                "evidence_id",
                "evidence__title",
                "evidence__url",
                "evidence__publisher",
                "evidence__published_on",
                "evidence__excerpt",
                "evidence__kind",
                "evidence__reliability",
                "evidence__added_at",
            )
        ):
            self.evidence[item["commitment_id"]].append(item)
        self.milestones: dict[int, list[dict]] = defaultdict(list)
        for item in (
            Milestone.objects.filter(commitment_id__in=ids)
            .order_by("order", "id")
            .values(
                "id", "commitment_id", "title", "due_on", "due_precision", "completed_on", "order"
            )
        ):
            self.milestones[item["commitment_id"]].append(item)
        self.milestone_evidence = self._links(
            Milestone.evidence.through.objects.filter(milestone__commitment_id__in=ids),
            "milestone_id",
        )
        self.updates: dict[int, list[dict]] = defaultdict(list)
        for item in (
            StatusUpdate.objects.filter(commitment_id__in=ids)
            .order_by("recorded_at", "id")
            .values(
                "id",
                "commitment_id",
                "status",
                "previous_status",
                "progress",
                "effective_on",
                "effective_precision",
                "recorded_at",
                "recorded_by__username",
                "claimed_by",
                "claimed_at",
                "source_rating",
                "source_rating_column",
                "rationale",
                "corrects_id",
                "review",
            )
        ):
            self.updates[item["commitment_id"]].append(item)
        self.update_evidence = self._links(
            StatusUpdate.evidence.through.objects.filter(statusupdate__commitment_id__in=ids),
            "statusupdate_id",
        )

    @staticmethod
    def _links(queryset: QuerySet, owner: str) -> dict[int, list[int]]:
        links: dict[int, list[int]] = defaultdict(list)
        for owner_id, evidence_id in queryset.values_list(owner, "evidence_id"):
            links[owner_id].append(evidence_id)
        return links


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def nested_record(row: dict, nested: Nested) -> dict:
    record: dict = flat_record(row)
    evidence = nested.evidence.get(row["id"], [])
    number = {item["evidence_id"]: n for n, item in enumerate(evidence, start=1)}
    record["evidence"] = [
        {
            "title": item["evidence__title"],
            "url": item["evidence__url"],
            "publisher": item["evidence__publisher"],
            "published_on": _iso(item["evidence__published_on"]),
            "excerpt": item["evidence__excerpt"],
            "kind": item["evidence__kind"],
            "reliability": item["evidence__reliability"],
            "added_at": item["evidence__added_at"].isoformat(),
        }
        for item in evidence
    ]
    record["milestones"] = [
        {
            "title": item["title"],
            "due": as_written(item["due_on"], item["due_precision"]),
            "completed_on": _iso(item["completed_on"]),
            "order": item["order"],
            "evidence": sorted(
                number[e] for e in nested.milestone_evidence.get(item["id"], []) if e in number
            ),
        }
        for item in nested.milestones.get(row["id"], [])
    ]
    updates = nested.updates.get(row["id"], [])
    position = {update["id"]: n for n, update in enumerate(updates, start=1)}
    record["history"] = [
        {
            "status": update["status"],
            "previous_status": update["previous_status"],
            "progress": update["progress"],
            "effective_on": update["effective_on"].isoformat(),
            "effective_precision": update["effective_precision"],
            "recorded_at": update["recorded_at"].isoformat(),
            "recorded_by": update["recorded_by__username"],
            "claimed_by": update["claimed_by"],
            "claimed_at": _iso(update["claimed_at"]),
            "source_rating": update["source_rating"],
            "source_rating_column": update["source_rating_column"],
            "rationale": update["rationale"],
            "evidence": sorted(
                number[e] for e in nested.update_evidence.get(update["id"], []) if e in number
            ),
            "corrects": position.get(update["corrects_id"]),
            "review": update["review"],
        }
        for update in updates
    ]
    return record


def escaped(value):
    """Every text in a record, nested ones included, escaped for spreadsheets."""
    if isinstance(value, dict):
        return {key: escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escaped(item) for item in value]
    return escape_formula(value)


# A row's cells in the file's order; the columns a record leaves out (the importer's
# deadline change columns) are blank.
_written = itemgetter(*COLUMNS)
_blank = dict.fromkeys(COLUMNS, "")


def csv_chunks(queryset: QuerySet, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """The CSV export, a few rows at a time, from one query."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n, row in enumerate(flat_rows(queryset).iterator(chunk_size=chunk_size), start=1):
        cells = _written(_blank | flat_record(row))  # all text
        writer.writerow(
            [escape_formula(cell) if cell[:1] in FIRST_CHARACTERS else cell for cell in cells]
        )
        if n % FLUSH_EVERY == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(queryset: QuerySet, chunk_size: int = NESTED_CHUNK_SIZE) -> Iterator[str]:
    """The JSON export: {"commitments": [...]}, one commitment at a time."""
    yield '{"commitments": ['
    separator = "\n"
    rows = flat_rows(queryset).iterator(chunk_size=chunk_size)
    for chunk in _in_chunks(rows, chunk_size):
        nested = Nested([row["id"] for row in chunk])
        for row in chunk:
            yield separator + json.dumps(escaped(nested_record(row, nested)), ensure_ascii=False)
            separator = ",\n"
    yield "\n]}\n"
