"""What an import did, or would do: rows created, updated, unchanged and rejected,
the actors, themes and sources it added, and the columns it left out."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from django.utils.translation import gettext as _


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
    row: int | None = None  # the spreadsheet's row, when the file has rows
    file_column: str = ""  # the file's own column(s) that feed `column`

    @property
    def where(self) -> str:
        """ "line 12 (row 11), deadline (their “End date”)": ours and the file's."""
        place = f"line {self.line}"
        if self.row is not None and self.row != self.line:
            place += f" (row {self.row})"
        if self.column:
            place += f", {self.column}"
            if self.file_column and self.file_column != self.column:
                place += f" (their “{self.file_column}”)"
        return place


@dataclass
class Flag:
    """A value imported as written that someone should look at (an id a spreadsheet
    mangled, a placeholder id)."""

    line: int
    column: str
    value: str
    reason: str
    row: int | None = None


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
    notes: list[str] = field(default_factory=list)  # what reading found (a title row)
    flags: list[Flag] = field(default_factory=list)
    ignored_parties: dict[str, int] = field(default_factory=dict)  # placeholder → cells
    # Where a line is in the spreadsheet, and the file's column(s) behind one of ours.
    rows_of: dict[int, int] = field(default_factory=dict, repr=False)
    their_columns: Callable[[str], str] | None = field(default=None, repr=False)

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({r.line for r in self.rejected})

    def reject(self, line: int, column: str, reason: str, title: str = "") -> None:
        theirs = self.their_columns(column) if self.their_columns and column else ""
        self.rejected.append(
            Rejection(line, column, reason, title[:80], self.rows_of.get(line), theirs)
        )

    def flag(self, line: int, column: str, value: str, reason: str) -> None:
        if len(self.flags) < KEPT:
            self.flags.append(Flag(line, column, value, reason, self.rows_of.get(line)))

    def summary(self) -> str:
        if self.file_error:
            return _("%(name)s: not imported. %(error)s") % {
                "name": self.name,
                "error": self.file_error,
            }
        text = _(
            "%(name)s: %(rows)s rows; %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(rejected)s rejected."
        ) % {
            "name": self.name,
            "rows": self.rows,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": len(self.rejected_lines),
        }
        if self.statuses:
            if self.written:
                text += " " + _("Status updates with evidence were recorded: %(count)s.") % {
                    "count": self.statuses
                }
            else:
                text += " " + _("Status updates with evidence would be recorded: %(count)s.") % {
                    "count": self.statuses
                }
        if self.new_actors or self.new_themes or self.new_sources:
            counts = {
                "actors": len(self.new_actors),
                "themes": len(self.new_themes),
                "sources": len(self.new_sources),
            }
            if self.written:
                added = _(
                    "New actors were added: %(actors)s, themes: %(themes)s, sources: %(sources)s."
                )
            else:
                added = _(
                    "New actors would be added: %(actors)s, themes: %(themes)s, "
                    "sources: %(sources)s."
                )
            text += " " + added % counts
        if self.flags:
            text += " " + _("Values to check: %(count)s (imported as written).") % {
                "count": len(self.flags)
            }
        if self.ignored_parties:
            shown = ", ".join(
                f"“{name}” ({count})" for name, count in list(self.ignored_parties.items())[:5]
            )
            text += " " + _("Party cells left out as the mapping asks: %(cells)s.") % {
                "cells": shown
            }
        if self.ignored_columns:
            shown = ", ".join(self.ignored_columns[:10])
            more = len(self.ignored_columns) - 10
            if more > 0:
                text += " " + _("Columns left out: %(columns)s and %(more)s more.") % {
                    "columns": shown,
                    "more": more,
                }
            else:
                text += " " + _("Columns left out: %(columns)s.") % {"columns": shown}
        if self.dry_run:
            text += " " + _("Dry run: nothing was written.")
        elif not self.written:
            text += " " + _(
                "Nothing was written because some rows were rejected "
                "(fix them, or import with --skip-invalid)."
            )
        return text

    def write_rejects(self, handle: TextIO) -> None:
        """The rejected rows as CSV (line, column, reason, title) to an open text file."""
        writer = csv.writer(handle)
        writer.writerow(["line", "column", "reason", "title", "row", "file_column"])
        for rejection in self.rejected:
            writer.writerow(
                [
                    rejection.line,
                    rejection.column,
                    rejection.reason,
                    rejection.title,
                    "" if rejection.row is None else rejection.row,
                    rejection.file_column,
                ]
            )


def their_columns(mapping, column: str) -> str:
    """The file's column(s) that feed one of ours, as the mapping says: "" for ours."""
    names = [theirs for theirs, ours in mapping.columns.items() if column in ours]
    if column == "parties":
        names += [*mapping.party_roles, *mapping.party_columns]
    elif column in ("party_scores", "party_statuses"):
        names += list(mapping.parties.scores if column == "party_scores" else {})
        names += list(mapping.parties.statuses if column == "party_statuses" else {})
    return ", ".join(dict.fromkeys(names))
