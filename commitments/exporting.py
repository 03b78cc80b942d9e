"""Exports in our import columns, streamed: rows are read in chunks with their related
rows prefetched per chunk, so exporting 100,000 commitments never holds them all.

CSV carries the flat columns; JSON also nests each commitment's milestones, evidence and
history, so export -> import into an empty database reproduces them. Every text cell that a
spreadsheet could run as a formula is escaped (`formulas.escape_formula`); the importer
strips the prefix again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from .choices import Precision
from .dates import quarter_of
from .formulas import escape_formula
from .importing.columns import COLUMNS
from .importing.translations import export_cells
from .models import Commitment, Milestone, Party, PartyAssessment, StatusUpdate

CHUNK_SIZE = 500


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


def flat_queryset(queryset: QuerySet) -> QuerySet:
    """The rows with what the flat columns show, the current status's date included."""
    current = StatusUpdate.objects.filter(commitment=OuterRef("pk")).not_corrected().newest_first()
    # Each party's latest assessment's date, read in the parties' own query (not every
    # assessment of every party carried to Python).
    latest = PartyAssessment.objects.filter(party=OuterRef("pk")).not_corrected().newest_first()
    return (
        queryset.select_related("source", "parent")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("actor")
                .annotate(
                    assessed_on=Subquery(latest.values("effective_on")[:1]),
                    assessed_precision=Subquery(latest.values("effective_precision")[:1]),
                )
                .order_by("id"),
            ),
            "themes",
            "translations",
        )
        .annotate(
            status_effective_on=Subquery(current.values("effective_on")[:1]),
            status_effective_precision=Subquery(current.values("effective_precision")[:1]),
        )
    )


def nested_queryset(queryset: QuerySet) -> QuerySet:
    return flat_queryset(queryset).prefetch_related(
        "evidence",
        Prefetch("milestones", queryset=Milestone.objects.prefetch_related("evidence")),
        Prefetch(
            "updates",
            queryset=StatusUpdate.objects.select_related("recorded_by")
            .prefetch_related("evidence")
            .order_by("recorded_at", "id"),
        ),
    )


def flat_record(commitment: Commitment) -> dict[str, str]:
    source = commitment.source
    return {
        "slug": commitment.slug,
        "title": commitment.title,
        "summary": commitment.summary,
        "quote": commitment.quote,
        "source": source.title if source else "",
        "source_date": source.date.isoformat() if source and source.date else "",
        "source_url": source.url if source else "",
        "themes": "; ".join(sorted(t.name for t in commitment.themes.all())),
        "parties": "; ".join(f"{p.actor.name}:{p.role}" for p in commitment.parties.all()),
        "kind": commitment.kind,
        "announced": as_written(commitment.announced_on, commitment.announced_precision),
        "deadline": as_written(commitment.deadline, commitment.deadline_precision),
        "status": commitment.status,
        "progress": "" if commitment.progress is None else str(commitment.progress),
        "effective": as_written(
            getattr(commitment, "status_effective_on", None),
            getattr(commitment, "status_effective_precision", "") or "",
        ),
        "parent": commitment.parent.slug if commitment.parent else "",
        "external_id": commitment.external_id,
        **party_columns(commitment),
        **export_cells(commitment),
    }


def party_columns(commitment: Commitment) -> dict[str, str]:
    """Each assessed party's own status since its latest assessment's date, and score."""
    statuses, scores = [], []
    for party in commitment.parties.all():
        if party.assessed_on is None:
            continue
        since = as_written(party.assessed_on, party.assessed_precision)
        statuses.append(f"{party.actor.name}: {party.status} since {since}")
        if party.score is not None:
            scores.append(f"{party.actor.name}: {party.score}")
    return {"party_statuses": "; ".join(statuses), "party_scores": "; ".join(scores)}


def nested_record(commitment: Commitment) -> dict:
    record: dict = flat_record(commitment)
    evidence = sorted(commitment.evidence.all(), key=lambda e: e.pk)
    number = {item.pk: n for n, item in enumerate(evidence, start=1)}
    record["evidence"] = [
        {
            "title": item.title,
            "url": item.url,
            "publisher": item.publisher,
            "published_on": item.published_on.isoformat() if item.published_on else None,
            "excerpt": item.excerpt,
            "kind": item.kind,
            "reliability": item.reliability,
            "added_at": item.added_at.isoformat(),
        }
        for item in evidence
    ]
    milestones = sorted(commitment.milestones.all(), key=lambda m: (m.order, m.pk))
    record["milestones"] = [
        {
            "title": item.title,
            "due": as_written(item.due_on, item.due_precision),
            "completed_on": item.completed_on.isoformat() if item.completed_on else None,
            "order": item.order,
            "evidence": sorted(number[e.pk] for e in item.evidence.all() if e.pk in number),
        }
        for item in milestones
    ]
    updates = list(commitment.updates.all())
    position = {update.pk: n for n, update in enumerate(updates, start=1)}
    record["history"] = [
        {
            "status": update.status,
            "previous_status": update.previous_status,
            "progress": update.progress,
            "effective_on": update.effective_on.isoformat(),
            "effective_precision": update.effective_precision,
            "recorded_at": update.recorded_at.isoformat(),
            "recorded_by": update.recorded_by.get_username() if update.recorded_by else None,
            "claimed_by": update.claimed_by,
            "claimed_at": update.claimed_at.isoformat() if update.claimed_at else None,
            "source_rating": update.source_rating,
            "source_rating_column": update.source_rating_column,
            "rationale": update.rationale,
            "evidence": sorted(number[e.pk] for e in update.evidence.all() if e.pk in number),
            "corrects": position.get(update.corrects_id),
            "review": update.review,
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


def csv_chunks(queryset: QuerySet, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """The CSV export, a few rows at a time."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for n, commitment in enumerate(
        flat_queryset(queryset).iterator(chunk_size=chunk_size), start=1
    ):
        writer.writerow(escaped(flat_record(commitment)))
        if n % 100 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(queryset: QuerySet, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """The JSON export: {"commitments": [...]}, one commitment at a time."""
    yield '{"commitments": ['
    separator = "\n"
    for commitment in nested_queryset(queryset).iterator(chunk_size=chunk_size):
        yield separator + json.dumps(escaped(nested_record(commitment)), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
