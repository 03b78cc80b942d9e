"""What an import did, or would do: rows created, updated, unchanged and rejected,
the actors, themes and sources it added, and the columns it left out."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Outcome:
    line: int
    slug: str
    title: str
    changes: list[str] = field(default_factory=list)


# Outcomes kept to list, per kind; the rest are counted only, so a large file's report
# stays small.
KEPT = 1000


class Tally(list):
    """The outcomes of one kind: every one counted (`len`), the first `KEPT` listed."""

    def __init__(self, *items):
        super().__init__(*items)
        self.total = super().__len__()

    def __len__(self) -> int:
        return self.total

    @property
    def unlisted(self) -> int:
        return self.total - super().__len__()

    def append(self, outcome) -> None:
        self.total += 1
        if super().__len__() < KEPT:
            super().append(outcome)

    def discard(self, outcome) -> None:
        """Count one fewer, and unlist `outcome` if it is listed."""
        self.total -= 1
        for index, item in enumerate(self):
            if item is outcome:
                del self[index]
                return


@dataclass
class CloseName:
    """A name the import adds that is close to names already in the register."""

    column: str  # parties, themes or source
    name: str
    existing: list[str]

    @property
    def mapping(self) -> str:
        """The mapping entry that uses the first existing name instead."""
        return json.dumps(
            {"values": {self.column: {self.name: self.existing[0]}}}, ensure_ascii=False
        )


@dataclass
class Rejection:
    line: int
    column: str
    reason: str
    title: str = ""


@dataclass
class ImportResult:
    name: str
    dry_run: bool = False
    rows: int = 0
    created: Tally = field(default_factory=Tally)
    updated: Tally = field(default_factory=Tally)
    unchanged: Tally = field(default_factory=Tally)
    rejected: list[Rejection] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)
    new_themes: list[str] = field(default_factory=list)
    new_sources: list[str] = field(default_factory=list)
    close_names: list[CloseName] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    statuses: int = 0  # status updates recorded, each with its evidence
    file_error: str = ""
    written: bool = False

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({r.line for r in self.rejected})

    def reject(self, line: int, column: str, reason: str, title: str = "") -> None:
        self.rejected.append(Rejection(line, column, reason, title[:80]))

    def summary(self) -> str:
        if self.file_error:
            return f"{self.name}: not imported. {self.file_error}"
        verb = "would be" if not self.written else "were"
        parts = [
            f"{len(self.created)} created",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.rejected_lines)} rejected",
        ]
        text = f"{self.name}: {self.rows} rows; {', '.join(parts)}."
        if self.statuses:
            text += f" Status updates with evidence {verb} recorded: {self.statuses}."
        if self.new_actors or self.new_themes or self.new_sources:
            text += (
                f" New actors {verb} added: {len(self.new_actors)}, themes: "
                f"{len(self.new_themes)}, sources: {len(self.new_sources)}."
            )
        if self.ignored_columns:
            shown = ", ".join(self.ignored_columns[:10])
            more = len(self.ignored_columns) - 10
            text += f" Columns left out: {shown}{f' and {more} more' if more > 0 else ''}."
        if self.dry_run:
            text += " Dry run: nothing was written."
        elif not self.written:
            text += (
                " Nothing was written because some rows were rejected "
                "(fix them, or import with --skip-invalid)."
            )
        return text

    def write_rejects(self, handle: TextIO) -> None:
        """The rejected rows as CSV (line, column, reason, title) to an open text file."""
        writer = csv.writer(handle)
        writer.writerow(["line", "column", "reason", "title"])
        for rejection in self.rejected:
            writer.writerow([rejection.line, rejection.column, rejection.reason, rejection.title])
