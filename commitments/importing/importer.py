"""The importer: read, map and validate every row, match it to the register, then
write it in one transaction. Invalid rows stop the whole import unless `skip_invalid`;
a dry run does the same work and rolls it back, so it reports exactly what a real run
would do.

Reading is `reading`, one row's plan `rows`, matching `matching`, writing (through
the services) `writing`, and the outcome `report`.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import matching, translations, transpose
from .actors import PartyNames
from .columns import DATE_COLUMNS
from .ids import id_problem
from .mapping import IDENTITY, RATING, Mapping
from .parties import number_repeated_ids
from .reading import FileError, ReadNotes, Record, file_format, read_records
from .report import ImportResult, their_columns
from .rows import RowPlan, plan_row
from .writing import Writer

logger = logging.getLogger(__name__)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


ProgressFactory = Callable[[int | None], object]  # the number of rows, when known


class _Rollback(Exception):
    pass


# Rows read, checked, matched and written together.
CHUNK = 500
# Column names remembered to report those left out (a file has a few dozen).
MAX_COLUMNS = 1000


def _chunks(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Importer:
    def __init__(
        self,
        *,
        mapping: Mapping | None = None,
        by=None,
        progress: ProgressFactory | None = None,
        effective: str = "",
    ):
        self.mapping = mapping or IDENTITY
        self.by = by
        self.progress = progress or (lambda total: _NoProgress())
        self.effective = effective
        self.now = timezone.now()

    def run(
        self,
        content: bytes | BinaryIO,
        name: str,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
    ) -> ImportResult:
        """Import the file (bytes, or a binary file open for reading), a chunk of rows at a
        time: each chunk is read, checked, matched and written before the next is read, so
        memory does not grow with the file (only with what must be remembered across it:
        the ids and slugs it claims, and rows waiting for a parent further down)."""
        result = ImportResult(name=Path(name).name, dry_run=dry_run)
        bar = self.progress(None)
        try:
            with transaction.atomic():
                self._import(content, name, result, bar)
                if dry_run or (result.rejected and not skip_invalid):
                    raise _Rollback
                result.written = True
        except _Rollback:
            pass
        except FileError as exc:
            result = ImportResult(name=result.name, dry_run=dry_run, file_error=str(exc))
        except (IntegrityError, DataError, DjangoValidationError):
            # The rows' checks should have caught it; if not, stop cleanly with nothing
            # written, and keep the database's own words for the log.
            logger.exception("The import of %s stopped", result.name)
            result.file_error = (
                "The import stopped and nothing was written: the database refused a value "
                "that the import's checks let through. The details are in the log; please "
                "report the file to an administrator."
            )
            result.written = False
        except DatabaseError:
            logger.exception("The import of %s stopped", result.name)
            result.file_error = (
                "The import stopped and nothing was written: the database stopped answering "
                "or refused the work. The details are in the log; try again later."
            )
            result.written = False
        finally:
            bar.close()
        return result

    def _import(self, content, name: str, result: ImportResult, bar) -> None:
        stream = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
        kind = file_format(stream, name)
        place = {"json": "record", "xlsx": "row"}.get(kind, "line")
        if self.mapping.transposed:
            place = "column"
        notes = ReadNotes()
        records = transpose.refuse_if_transposed(
            read_records(stream, name, self.mapping, notes), self.mapping
        )
        # An .xlsx file's numbers in a date column are Excel serials (its date cells are
        # read as dates already).
        self.dates = {
            column: self.mapping.file.dates_for(column, every_serial=kind == "xlsx")
            for column in DATE_COLUMNS
        }
        self.party_names = PartyNames(
            ignore=self.mapping.file.ignore_parties, separator=self.mapping.split.get("parties")
        )
        result.their_columns = lambda column: their_columns(self.mapping, column)
        writer = Writer(result=result, mapping=self.mapping, by=self.by, now=self.now, place=place)
        # Each row's language columns (`translations`), by the row's plan.
        self.texts: dict[int, translations.RowTexts] = {}
        matcher = matching.Matcher(series=self.mapping.series, aliases=self.mapping.series_aliases)
        columns: dict[str, None] = {}
        waiting: list[RowPlan] = []
        ids_seen: dict[str, int] = {}
        for chunk in _chunks(records, CHUNK):
            result.rows += len(chunk)
            if len(columns) < MAX_COLUMNS:
                columns.update(dict.fromkeys(c for r in chunk for c in r.data))
            for record in chunk:
                if record.row is not None:
                    result.rows_of[record.line] = record.row
            plans = [self._plan(record.line, record.data, result) for record in chunk]
            if self.mapping.parties.repeated_ids == "number":
                number_repeated_ids(plans, ids_seen)
            waiting.extend(matcher.match(plans))
            self._write(writer, [p for p in plans if not p.parent_pending], result, bar)
        matcher.deferred(waiting)
        self._write(writer, waiting, result, bar)
        columns.pop("__invalid__", None)
        result.notes = notes.notes
        result.ignored_columns = self.mapping.ignored(columns)

    def _write(self, writer: Writer, plans: list[RowPlan], result: ImportResult, bar) -> None:
        for plan in plans:
            if id(plan) in self.texts:
                translations.check_against_original(plan, self.texts[id(plan)])
        refused = [p for p in plans if p.errors]
        for plan in refused:
            for column, reason in plan.errors:
                result.reject(plan.line, column, reason, plan.title)
        bar.update(len(refused))
        accepted = [p for p in plans if not p.errors]
        writer.write(accepted, bar)
        translations.write(accepted, self.texts, result, by=self.by, file=result.name)
        for plan in plans:
            self.texts.pop(id(plan), None)

    def _plan(self, line: int, data: dict, result: ImportResult) -> RowPlan:
        if "__invalid__" in data:
            plan = RowPlan(line=line)
            plan.error("", data["__invalid__"])
            return plan
        try:
            row = self.mapping.apply(data, fill={"effective": self.effective})
        except (TypeError, ValueError, AttributeError) as exc:
            plan = RowPlan(line=line)
            plan.error("", _("cannot be mapped: %(error)s") % {"error": exc})
            return plan
        rating = row.pop(RATING, None)
        plan = plan_row(
            line,
            row,
            shorten=self.mapping.shorten,
            party_role=self.mapping.party_role,
            dates=self.dates,
        )
        plan.rating = rating
        texts = translations.read_row(plan, row)
        if texts is not None:
            self.texts[id(plan)] = texts
        self.party_names.check(plan, result)
        problem = id_problem(plan.external_id) if plan.external_id else ""
        if problem:
            result.flag(line, "external_id", plan.external_id, problem)
        return plan


def import_file(
    content: bytes | BinaryIO,
    name: str,
    *,
    mapping: Mapping | None = None,
    by=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressFactory | None = None,
    effective: str = "",
) -> ImportResult:
    """Import a CSV, .xlsx or JSON file of commitments (its bytes, or the file open for reading in
    binary mode, which a CSV is then read from as a stream); see docs/import.md. `effective` is the
    date the file's statuses hold from, for rows that give none (as written, e.g.
    "2023-03-31" or "Q1 2023")."""
    importer = Importer(mapping=mapping, by=by, progress=progress, effective=effective)
    return importer.run(content, name, dry_run=dry_run, skip_invalid=skip_invalid)
