"""Turning a file into records: decoding, CSV dialects, .xlsx sheets, JSON shapes; CSV
and .xlsx as a stream. A title above the header is found (or `header_row` names the
header's row), and a row with more or fewer cells than the header is refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import transpose
from .columns import COLUMNS, IMPORT_ONLY, NESTED
from .mapping import Mapping
from .options import HEADER_SEARCH_ROWS

# A commitment (1) holds lists of history, milestones and evidence (2), each an object (3)
# that may list evidence numbers (4).
MAX_DEPTH = 4
# What is read of a file to tell JSON from CSV when its name does not say.
HEAD_BYTES = 4096


class FileError(ValueError):
    """The file as a whole cannot be read: nothing of it is imported."""


@dataclass
class Record:
    line: int  # CSV: the line the row starts on; .xlsx: its row; JSON: its position (1-based)
    data: dict
    row: int | None = None  # the row a spreadsheet program shows it on (CSV and .xlsx)


@dataclass
class ReadNotes:
    """What reading found out about the file, for the report."""

    header_row: int = 1
    notes: list[str] = field(default_factory=list)


# An .xlsx file is a ZIP archive; an .xls file (Excel 97-2003) an OLE2 compound file.
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark names: it wins over the mapping's encoding."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return None


def detect_format(name: str, content: bytes) -> str:
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".xlsx") or content.startswith(ZIP_MAGIC):
        return "xlsx"
    if lowered.endswith(".xls") or content.startswith(OLE2_MAGIC):
        return "xls"
    if lowered.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if head in (b"{", b"[") else "csv"


NUL_MESSAGE = gettext_lazy(
    "The file contains NUL characters, so it is not a CSV or JSON text file, or its "
    "encoding is UTF-16 without a byte order mark: name it in a mapping, e.g. "
    '{"encoding": "utf-16-le"}.'
)
ENCODING_HELP = gettext_lazy(
    'Name its encoding in a mapping, e.g. {"encoding": "cp1252"}, and add '
    '"encoding_errors": "replace" if a few bytes are invalid even there.'
)


def _encoding(encoding: str) -> str:
    """UTF-8 is read with or without a byte order mark."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
        return "utf-8-sig"
    return encoding


def decode(content: bytes, encoding: str, errors: str = "strict") -> str:
    encoding = _encoding(encoding)
    try:
        return content.decode(encoding, errors)
    except UnicodeDecodeError as exc:
        shown = "utf-8" if encoding == "utf-8-sig" else encoding
        raise FileError(
            _("The file is not valid %(encoding)s (byte %(position)s: %(byte)s). %(help)s")
            % {
                "encoding": shown,
                "position": exc.start,
                "byte": repr(content[exc.start : exc.start + 1]),
                "help": ENCODING_HELP,
            }
        ) from None
    except UnicodeError as exc:
        raise FileError(
            _("The file cannot be read as %(encoding)s: %(error)s")
            % {"encoding": encoding, "error": exc}
        ) from None


def file_format(stream: BinaryIO, name: str) -> str:
    """ "json", "csv" or "xlsx", from the name or else the first bytes (read, then put
    back)."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    return detect_format(name, head)


XLS_MESSAGE = gettext_lazy(
    "This is an .xls file (Excel 97-2003), which cannot be read here: open it in a "
    "spreadsheet program and save it as .xlsx or as CSV (UTF-8)."
)


def read_records(
    content: bytes | BinaryIO, name: str, mapping: Mapping, notes: ReadNotes | None = None
) -> Iterator[Record]:
    """The file's records, one at a time. CSV and .xlsx files are read as a stream, a few
    rows at a time, so their size does not matter; a JSON file is read whole. A FileError
    can come at any record: the caller stops there. `notes` collects what reading found
    out (a title above the header)."""
    stream = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    notes = notes if notes is not None else ReadNotes()
    kind = file_format(stream, name)
    if kind == "json":
        raw = stream.read()
        encoding = bom_encoding(raw[:4]) or mapping.encoding
        text = decode(raw, encoding, mapping.encoding_errors)
        if "\x00" in text:
            # PostgreSQL cannot store NUL characters in text, and no CSV or JSON has them.
            raise FileError(str(NUL_MESSAGE))
        yield from _json_records(text, mapping)
    elif mapping.transposed:  # one column per record: see `transpose`
        yield from transpose.records(_lines(stream, mapping), mapping)
    elif kind == "xls":
        raise FileError(str(XLS_MESSAGE))
    elif kind == "xlsx":
        yield from _table_records(_sheet_rows(stream, mapping), mapping, notes, strict=False)
    else:
        yield from _table_records(_csv_rows(_lines(stream, mapping), mapping), mapping, notes)


def _lines(stream: BinaryIO, mapping: Mapping) -> Iterator[str]:
    """The file's lines as text, decoded as they are read (a byte order mark names the
    encoding: UTF-16 files are read as such)."""
    head = stream.read(4)
    stream.seek(0)
    encoding = bom_encoding(head) or _encoding(mapping.encoding)
    text = io.TextIOWrapper(stream, encoding=encoding, errors=mapping.encoding_errors, newline="")
    number = 0
    try:
        for number, line in enumerate(text, start=1):  # noqa: B007
            if "\x00" in line:
                raise FileError(str(NUL_MESSAGE))
            yield line
    except UnicodeDecodeError as exc:
        shown = "utf-8" if encoding == "utf-8-sig" else encoding
        bad = exc.object[exc.start : exc.start + 1]
        raise FileError(
            _("The file is not valid %(encoding)s (near line %(line)s: %(byte)s). %(help)s")
            % {"encoding": shown, "line": number + 1, "byte": repr(bad), "help": ENCODING_HELP}
        ) from None
    except UnicodeError as exc:
        raise FileError(
            _("The file cannot be read as %(encoding)s: %(error)s")
            % {"encoding": encoding, "error": exc}
        ) from None
    finally:
        text.detach()


def _unique_headers(headers: list[str]) -> list[str]:
    """Repeated headers become "name#2", "name#3" so no column is silently dropped."""
    seen: dict[str, int] = {}
    result = []
    for header in headers:
        header = header.strip().lstrip("\ufeff")
        seen[header] = seen.get(header, 0) + 1
        result.append(header if seen[header] == 1 else f"{header}#{seen[header]}")
    return result


def _csv_rows(lines: Iterator[str], mapping: Mapping) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record as (the line it starts on, its cells)."""
    reader = csv.reader(lines, delimiter=mapping.delimiter, strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileError(_("Line %(line)s: %(error)s") % {"line": line, "error": exc}) from None
        yield line, cells
        line = reader.line_num + 1


def _sheet_rows(stream: BinaryIO, mapping: Mapping) -> Iterator[tuple[int, list[str]]]:
    """Each row of the .xlsx file's sheet (the mapping's, else the first) as (its row
    number, its cells as text: a date cell as 2026-12-31, a number as written)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileError(
            _("The file cannot be read as an .xlsx workbook: %(error)s") % {"error": exc}
        ) from None
    try:
        sheet_name = mapping.file.sheet
        if sheet_name and sheet_name not in book.sheetnames:
            raise FileError(
                _("The workbook has no sheet named %(sheet)s; its sheets are %(sheets)s.")
                % {"sheet": repr(sheet_name), "sheets": ", ".join(map(repr, book.sheetnames))}
            )
        sheet = book[sheet_name] if sheet_name else book.worksheets[0]
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        head = [(n, [_cell_text(v) for v in values]) for n, values in itertools.islice(rows, 2)]
        filled = [cells for _number, cells in head if any(c.strip() for c in cells)]
        if not sheet_name and len(book.sheetnames) > 1 and len(filled) < 2:
            others = [name for name in book.sheetnames if name != sheet.title]
            raise FileError(
                _(
                    "The first sheet, %(sheet)s, holds no table; the workbook's other "
                    "sheets are %(sheets)s: name the one to read in the "
                    'mapping, e.g. {"sheet": "%(other)s"} (or with --sheet).'
                )
                % {
                    "sheet": repr(sheet.title),
                    "sheets": ", ".join(map(repr, others)),
                    "other": others[0],
                }
            )
        yield from head
        for number, values in rows:
            yield number, [_cell_text(value) for value in values]
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time.min:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _expected_headers(mapping: Mapping) -> set[str]:
    """Header names that mark the header row: their columns the mapping reads, or ours."""
    names = set(mapping.columns) | set(mapping.party_columns) | set(mapping.party_roles)
    names |= set(mapping.parties.columns()) | set(mapping.evidence_columns)
    return {_header_key(n) for n in names} or {
        _header_key(n) for n in [*COLUMNS, *IMPORT_ONLY, *NESTED]
    }


def _header_key(text: str) -> str:
    return " ".join(str(text).lstrip("\ufeff").split()).casefold()


def _shown(cells: list[str]) -> str:
    text = " ".join(cell.strip() for cell in cells if cell.strip())
    return text if len(text) <= 60 else text[:57] + "…"


def _find_header(
    rows: Iterator[tuple[int, list[str]]], mapping: Mapping, notes: ReadNotes
) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's row number and cells, and the rows read past it (to read again)."""
    wanted = mapping.file.header_row
    if wanted is not None:
        for number, (line, cells) in enumerate(rows, start=1):
            if number == wanted:
                notes.header_row = number
                return line, cells, []
        raise FileError(
            _("The mapping's header_row is %(row)s, but the file has fewer rows.") % {"row": wanted}
        )
    seen: list[tuple[int, list[str]]] = []
    expected = _expected_headers(mapping)
    for line, cells in rows:
        seen.append((line, cells))
        if any(_header_key(cell) in expected for cell in cells):
            break
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise FileError(_("The file is empty."))
    for index, (line, cells) in enumerate(seen):
        if any(_header_key(cell) in expected for cell in cells):
            if index:
                above = next((_shown(c) for _line, c in seen[:index] if _shown(c)), "")
                notes.header_row = index + 1
                values = {"row": index + 1, "count": index, "above": above}
                notes.notes.append(
                    _(
                        "The header is on row %(row)s: the %(count)s row(s) above it "
                        '(“%(above)s”) were left out. Say so in the mapping with "header_row": '
                        "%(row)s."
                    )
                    % values
                    if above
                    else _(
                        "The header is on row %(row)s: the %(count)s row(s) above it were "
                        'left out. Say so in the mapping with "header_row": %(row)s.'
                    )
                    % values
                )
            return line, cells, seen[index + 1 :]
    first = [cell for cell in seen[0][1] if cell.strip()]
    wider = next(
        (n for n, (_line, c) in enumerate(seen) if len([x for x in c if x.strip()]) > 1), 0
    )
    if len(first) <= 1 and wider:
        raise FileError(
            _(
                "Row 1 holds only “%(title)s”, like a title above the header, and none of "
                "the first %(count)s rows names the columns the mapping reads: give the "
                'header\'s row in the mapping, e.g. {"header_row": %(row)s}.'
            )
            % {"title": _shown(first), "count": len(seen), "row": wider + 1}
        )
    return seen[0][0], seen[0][1], seen[1:]


def _table_records(
    rows: Iterator[tuple[int, list[str]]],
    mapping: Mapping,
    notes: ReadNotes,
    *,
    strict: bool = True,
) -> Iterator[Record]:
    """Records from a table's rows (CSV lines or a sheet's rows): the header found, each
    row its cells by column name. With `strict` (CSV), a row with more or fewer cells than
    the header is refused; a sheet's rows only may not hold values past the header."""
    try:
        line, headers, pending = _find_header(rows, mapping, notes)
    except StopIteration:
        raise FileError(_("The file is empty.")) from None
    headers = _unique_headers(headers)
    if len(headers) == 1 and any(
        other in headers[0] for other in ";\t|" if other != mapping.delimiter
    ):
        raise FileError(
            _(
                "Only one column was found. If the file uses another delimiter, name it in a "
                'mapping, e.g. {"delimiter": ";"}.'
            )
        )
    if not strict:
        while headers and not headers[-1]:
            headers.pop()
    row = notes.header_row

    def rest():
        yield from pending
        yield from rows

    for line, cells in rest():
        row += 1
        if not any(cell.strip() for cell in cells):
            continue
        problem = _cell_count_problem(cells, headers, mapping, strict=strict)
        if problem:
            yield Record(line, {"__invalid__": problem}, row)
            continue
        yield Record(line, dict(zip(headers, cells, strict=False)), row)


def _cell_count_problem(cells: list[str], headers: list[str], mapping, *, strict: bool) -> str:
    count, width = len(cells), len(headers)
    if not strict:
        extra = [cell for cell in cells[width:] if cell.strip()]
        if extra:
            return _(
                "has a value past the header's %(width)s columns (“%(value)s”): give that "
                "column a header, or remove the value"
            ) % {"width": width, "value": _shown(extra)}
        return ""
    if count == width:
        return ""
    if count > width:
        shifted = ", ".join(f"“{cell.strip()[:40]}”" for cell in cells[width - 1 : width + 3])
        return _(
            "has %(count)s cells where the header has %(width)s columns (from its last column "
            "on: %(cells)s): a %(delimiter)s inside a cell that is not quoted? Quote "
            "the cell, or fix the row; nothing of it is imported"
        ) % {
            "count": count,
            "width": width,
            "cells": shifted,
            "delimiter": repr(mapping.delimiter),
        }
    return _(
        "has %(count)s cells where the header has %(width)s columns: a cell or a delimiter "
        "is missing, or a quote is not closed; nothing of it is imported"
    ) % {"count": count, "width": width}


def _json_records(text: str, mapping: Mapping) -> Iterator[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(_("The JSON cannot be read: %(error)s") % {"error": exc}) from None
    except RecursionError:
        raise FileError(
            _(
                "The JSON is nested too deeply: a commitment's values go at most %(depth)s "
                "lists or objects deep."
            )
            % {"depth": MAX_DEPTH}
        ) from None
    if isinstance(data, dict) and isinstance(data.get("commitments"), list):
        data = data["commitments"]
    if isinstance(data, dict) and mapping.records == "object":
        items = []
        for key, value in data.items():
            if isinstance(value, dict):
                value = {"__key__": key, **value}
            items.append(value)
        data = items
    if not isinstance(data, list):
        raise FileError(
            _(
                'The JSON must be a list of commitments or {"commitments": [...]} (an object '
                'keyed by id needs "records": "object" in the mapping).'
            )
        )
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            item = {"__invalid__": _("is not an object with column names")}
        elif depth(item) > MAX_DEPTH:
            item = {
                "__invalid__": _("is nested more than %(depth)s lists or objects deep")
                % {"depth": MAX_DEPTH}
            }
        yield Record(position, item)


def depth(value) -> int:
    """How many lists and objects deep a JSON value goes, counted without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            level += 1
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level) for child in item)
    return deepest
