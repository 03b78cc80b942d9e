"""Turning a file into records: decoding, CSV dialects, JSON shapes; CSV as a stream."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from . import transpose
from .mapping import Mapping

# A commitment (1) holds lists of history, milestones and evidence (2), each an object (3)
# that may list evidence numbers (4).
MAX_DEPTH = 4
# What is read of a file to tell JSON from CSV when its name does not say.
HEAD_BYTES = 4096


class FileError(ValueError):
    """The file as a whole cannot be read: nothing of it is imported."""


@dataclass
class Record:
    line: int  # CSV: the line the row starts on; JSON: the record's position (1-based)
    data: dict


def detect_format(name: str, content: bytes) -> str:
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if head in (b"{", b"[") else "csv"


NUL_MESSAGE = (
    "The file contains NUL characters, so it is not a CSV or JSON text file (a "
    "spreadsheet must be saved as CSV first), or its encoding is UTF-16: name it in "
    'a mapping, e.g. {"encoding": "utf-16"}.'
)
ENCODING_HELP = (
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
            f"The file is not valid {shown} (byte {exc.start}: "
            f"{content[exc.start : exc.start + 1]!r}). {ENCODING_HELP}"
        ) from None
    except UnicodeError as exc:
        raise FileError(f"The file cannot be read as {encoding}: {exc}") from None


def file_format(stream: BinaryIO, name: str) -> str:
    """ "json" or "csv", from the name or else the first bytes (read, then put back)."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    return detect_format(name, head)


def read_records(content: bytes | BinaryIO, name: str, mapping: Mapping) -> Iterator[Record]:
    """The file's records, one at a time. A CSV file is read as a stream, a few lines at a
    time, so its size does not matter; a JSON file is read whole. A FileError can come at
    any record: the caller stops there."""
    stream = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    if file_format(stream, name) == "json":
        text = decode(stream.read(), mapping.encoding, mapping.encoding_errors)
        if "\x00" in text:
            # PostgreSQL cannot store NUL characters in text, and no CSV or JSON has them.
            raise FileError(NUL_MESSAGE)
        yield from _json_records(text, mapping)
    elif mapping.transposed:  # one column per record: see `transpose`
        yield from transpose.records(_lines(stream, mapping), mapping)
    else:
        yield from _csv_records(_lines(stream, mapping), mapping)


def _lines(stream: BinaryIO, mapping: Mapping) -> Iterator[str]:
    """The file's lines as text, decoded as they are read."""
    encoding = _encoding(mapping.encoding)
    text = io.TextIOWrapper(stream, encoding=encoding, errors=mapping.encoding_errors, newline="")
    number = 0
    try:
        for number, line in enumerate(text, start=1):  # noqa: B007
            if "\x00" in line:
                raise FileError(NUL_MESSAGE)
            yield line
    except UnicodeDecodeError as exc:
        shown = "utf-8" if encoding == "utf-8-sig" else encoding
        bad = exc.object[exc.start : exc.start + 1]
        raise FileError(
            f"The file is not valid {shown} (near line {number + 1}: {bad!r}). {ENCODING_HELP}"
        ) from None
    except UnicodeError as exc:
        raise FileError(f"The file cannot be read as {encoding}: {exc}") from None
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


def _csv_records(lines: Iterator[str], mapping: Mapping) -> Iterator[Record]:
    reader = csv.reader(lines, delimiter=mapping.delimiter, strict=True)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileError("The file is empty.") from None
    except csv.Error as exc:
        raise FileError(f"The header row cannot be read: {exc}") from None
    headers = _unique_headers(headers)
    if len(headers) == 1 and any(
        other in headers[0] for other in ";\t|" if other != mapping.delimiter
    ):
        raise FileError(
            "Only one column was found. If the file uses another delimiter, name it in a "
            'mapping, e.g. {"delimiter": ";"}.'
        )
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileError(f"Line {line}: {exc}") from None
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        yield Record(start, dict(zip(headers, cells, strict=False)))


def _json_records(text: str, mapping: Mapping) -> Iterator[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"The JSON cannot be read: {exc}") from None
    except RecursionError:
        raise FileError(
            f"The JSON is nested too deeply: a commitment's values go at most {MAX_DEPTH} "
            "lists or objects deep."
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
            'The JSON must be a list of commitments or {"commitments": [...]} (an object '
            'keyed by id needs "records": "object" in the mapping).'
        )
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            item = {"__invalid__": "is not an object with column names"}
        elif depth(item) > MAX_DEPTH:
            item = {"__invalid__": f"is nested more than {MAX_DEPTH} lists or objects deep"}
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
