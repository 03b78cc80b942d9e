"""The importer: read, map and validate every row, match it to the register, then
write it in one transaction. Invalid rows stop the whole import unless `skip_invalid`;
a dry run does the same work and rolls it back, so it reports exactly what a real run
would do.

Reading is `reading`, one row's plan `rows`, matching `matching`, writing (through
the services) `writing`, and the outcome `report`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from . import matching
from .mapping import IDENTITY, Mapping
from .parties import number_repeated_ids
from .reading import FileError, detect_format, read_records
from .report import ImportResult
from .rows import RowPlan, plan_row
from .writing import Writer


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


ProgressFactory = Callable[[int], object]


class _Rollback(Exception):
    pass


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
        self, content: bytes, name: str, *, dry_run: bool = False, skip_invalid: bool = False
    ) -> ImportResult:
        result = ImportResult(name=Path(name).name, dry_run=dry_run)
        try:
            records = list(read_records(content, name, self.mapping))
        except FileError as exc:
            result.file_error = str(exc)
            return result
        result.rows = len(records)
        result.ignored_columns = self.mapping.ignored(
            column for record in records for column in record.data if column != "__invalid__"
        )
        bar = self.progress(len(records))
        plans = [self._plan(record.line, record.data) for record in records]
        if self.mapping.parties.repeated_ids == "number":
            number_repeated_ids(plans)
        place = "record" if detect_format(name, content) == "json" else "line"
        writer = Writer(result=result, mapping=self.mapping, by=self.by, now=self.now, place=place)
        try:
            with transaction.atomic():
                matching.match(plans)
                for plan in plans:
                    for column, reason in plan.errors:
                        result.reject(plan.line, column, reason, plan.title)
                writer.write([p for p in plans if not p.errors], bar)
                if dry_run or (result.rejected and not skip_invalid):
                    raise _Rollback
                result.written = True
        except _Rollback:
            pass
        except (DatabaseError, DjangoValidationError) as exc:
            # Validation should have caught it; if not, stop cleanly with nothing written.
            result.file_error = f"The import stopped and nothing was written: {exc}"
            result.written = False
        finally:
            bar.close()
        return result

    def _plan(self, line: int, data: dict) -> RowPlan:
        if "__invalid__" in data:
            plan = RowPlan(line=line)
            plan.error("", "is not an object with column names")
            return plan
        try:
            row = self.mapping.apply(data, fill={"effective": self.effective})
        except (TypeError, ValueError, AttributeError) as exc:
            plan = RowPlan(line=line)
            plan.error("", f"cannot be mapped: {exc}")
            return plan
        return plan_row(line, row, shorten=self.mapping.shorten, party_role=self.mapping.party_role)


def import_file(
    content: bytes,
    name: str,
    *,
    mapping: Mapping | None = None,
    by=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressFactory | None = None,
    effective: str = "",
) -> ImportResult:
    """Import a CSV or JSON file of commitments; see docs/import.md. `effective` is the
    date the file's statuses hold from, for rows that give none (as written, e.g.
    "2023-03-31" or "Q1 2023")."""
    importer = Importer(mapping=mapping, by=by, progress=progress, effective=effective)
    return importer.run(content, name, dry_run=dry_run, skip_invalid=skip_invalid)
