"""Transposed spreadsheets: one row per field and one column per record, as the UK's
major projects data of 2014–2017 is laid out.

With `"transposed": true` in the mapping, a CSV's first column names the fields and each
further column is one record; a field's name is the first line of its cell, spaces
collapsed ("Project - Start Date\\n(Latest approved start date)" is "Project - Start
Date"). Rows without a name or without a value (blank lines, a footnote) are left out. A
record's place is its spreadsheet column (the first record is column 2).

Without that option, `refuse_if_transposed` stops a file whose first column holds more
of the names the mapping reads than its header does, and says what to add.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .columns import COLUMNS
from .mapping import Mapping

# Records looked at to tell a transposed file from one that only starts oddly.
PEEK = 30


def field_name(cell: str) -> str:
    """A transposed file's field name: the first line of its cell, spaces collapsed."""
    first = cell.replace("\r", "\n").lstrip("\ufeff").strip().split("\n", 1)[0]
    return " ".join(first.replace("\u00a0", " ").split())


def records(lines: Iterator[str], mapping: Mapping) -> Iterator:
    """The records of a transposed CSV (`reading.Record`s), one per column."""
    from .reading import FileError, Record

    reader = csv.reader(lines, delimiter=mapping.delimiter, strict=True)
    fields: list[tuple[str, list[str]]] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            if not cells or not any(cell.strip() for cell in cells[1:]):
                continue
            name = field_name(cells[0])
            if not name:
                continue
            seen[name] = seen.get(name, 0) + 1
            fields.append((name if seen[name] == 1 else f"{name}#{seen[name]}", cells[1:]))
    except csv.Error as exc:
        raise FileError(
            _("Line %(line)s: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from None
    if not fields:
        raise FileError(_("The file is empty: no row names a field and gives a value."))
    width = max(len(values) for _name, values in fields)
    for column in range(width):
        data = {name: values[column] if column < len(values) else "" for name, values in fields}
        if any(str(value).strip() for value in data.values()):
            yield Record(column + 2, data)


def _wanted(mapping: Mapping) -> set[str]:
    names = set(mapping.columns) | set(mapping.party_columns) | set(mapping.evidence_columns)
    return {field_name(name).casefold() for name in (names or COLUMNS)}


def refuse_if_transposed(records: Iterator, mapping: Mapping) -> Iterator:
    """`records` as they are, unless the file looks transposed and the mapping does not
    say so: then a FileError that says how to read it."""
    from .reading import FileError

    if mapping.transposed:
        yield from records
        return
    head = []
    for record in records:
        head.append(record)
        if len(head) == PEEK:
            break
    wanted = _wanted(mapping)
    header = list(head[0].data) if head else []
    if header:
        in_header = sum(field_name(name).casefold() in wanted for name in header)
        first = header[0]
        names = [
            field_name(str(r.data.get(first) or ""))
            for r in head
            if field_name(str(r.data.get(first) or "")).casefold() in wanted
        ]
        if len(names) >= 2 and len(names) > in_header:
            raise FileError(
                _(
                    "The file looks transposed: its first column names the fields "
                    '(%(names)s), one column per record. Add "transposed": true to the '
                    "mapping to read it so."
                )
                % {"names": ", ".join(names[:3])}
            )
    yield from head
    yield from records
