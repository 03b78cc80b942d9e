"""The reader's export: the list's rows as a person reads them, in CSV or XLSX.

Beside the import-format export (`exporting.py`, keys and our import columns), this one
carries labels instead of keys (a kind's own status label with the status it counts as),
the title in the reader's language where a translation is recorded (the original otherwise),
health, the update behind the current status (its date, as precise as recorded, and its
rationale), how many evidence items back the commitment, and the commitment's address.

Both formats are streamed: rows are read in chunks with their parties and themes
prefetched per chunk; the CSV is written a few rows at a time, and the XLSX through
openpyxl's write-only workbook, whose sheet is kept in a temporary file rather than in
memory, then sent in pieces. Every text cell goes through the spreadsheet formula rule
(`formulas.escape_formula`). File names say what the file holds (`download_name`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .choices import Health, status_label_in_full
from .dates import format_period
from .formulas import escape_formula
from .models import Commitment, Evidence, Party, StatusUpdate

CHUNK_SIZE = 500
FILE_CHUNK = 64 * 1024
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The reader's column headers, in the reader's language (the import-format export's
# columns never translate).
HEADERS = [
    gettext_lazy("Title"),
    gettext_lazy("Status"),
    gettext_lazy("Health"),
    gettext_lazy("Progress (%)"),
    gettext_lazy("Kind"),
    gettext_lazy("Deadline"),
    gettext_lazy("Announced"),
    gettext_lazy("Parties"),
    gettext_lazy("Themes"),
    gettext_lazy("Source"),
    gettext_lazy("Source date"),
    gettext_lazy("Last update (effective)"),
    gettext_lazy("Last update rationale"),
    gettext_lazy("Evidence items"),
    gettext_lazy("Link"),
]

# The filters a file name names, in the order it names them; `q` and years get words.
NAMED_FILTERS = (
    "q",
    "theme",
    "party",
    "source",
    "kind",
    "status",
    "health",
    "deadline_after",
    "deadline_before",
    "announced_after",
    "announced_before",
    "has_evidence",
    "slipped",
)
FILTER_WORDS = {
    "deadline_after": "due-from-{}",
    "deadline_before": "due-until-{}",
    "announced_after": "announced-from-{}",
    "announced_before": "announced-until-{}",
}
NAME_LIMIT = 120


def download_name(data, cleaned: dict, today: dt.date, extension: str, prefix="commitments") -> str:
    """What the file holds: `commitments-defence-overdue-2026-11-28.csv` for the
    commitments of the theme "defence" that are overdue, downloaded on that day. Only
    the filters the FilterSet accepted (`cleaned`) are named, by the values as given."""
    parts: list[str] = []
    for name in NAMED_FILTERS:
        if cleaned.get(name) in (None, "", []):
            continue
        if name == "has_evidence":
            parts.append("with-evidence" if cleaned[name] else "without-evidence")
            continue
        if name == "slipped":
            parts.append("slipped" if cleaned[name] else "not-slipped")
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        for value in values:
            words = slugify(str(value))
            if words:
                parts.append(FILTER_WORDS.get(name, "{}").format(words))
    middle = "-".join(parts)[:NAME_LIMIT].strip("-")
    return "-".join(p for p in (prefix, middle, today.isoformat()) if p) + f".{extension}"


def readable_queryset(queryset: QuerySet) -> QuerySet:
    """The rows with what a reader's row shows; `queryset` carries `health` (the
    FilterSet's queryset built on `with_health`)."""
    current = StatusUpdate.objects.filter(commitment=OuterRef("pk")).not_corrected().newest_first()
    evidence = (
        Evidence.commitments.through.objects.filter(commitment=OuterRef("pk"))
        .order_by()
        .values("commitment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.select_related("source")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("actor").order_by("id")),
            "themes",
        )
        .annotate(
            current_effective_on=Subquery(current.values("effective_on")[:1]),
            current_effective_precision=Subquery(current.values("effective_precision")[:1]),
            current_rationale=Subquery(current.values("rationale")[:1]),
            evidence_count=Coalesce(Subquery(evidence, output_field=IntegerField()), 0),
        )
    )


def readable_row(commitment: Commitment, base_url: str) -> list:
    """One commitment as cells: text, numbers, and the source's date as a date."""
    source = commitment.source
    effective = commitment.current_effective_on
    return [
        commitment.shown_title,  # in the reader's language where the queryset asked for it
        status_label_in_full(commitment.status_as_of, commitment.kind),
        str(Health(commitment.health).label),
        commitment.progress_as_of,
        commitment.get_kind_display(),
        commitment.deadline_display,
        commitment.announced_display,
        "; ".join(
            f"{p.actor.name} ({p.get_role_display().lower()})" for p in commitment.parties.all()
        ),
        "; ".join(sorted(t.name for t in commitment.themes.all())),
        source.title if source else "",
        source.date if source else None,
        format_period(effective, commitment.current_effective_precision) if effective else "",
        commitment.current_rationale or "",
        commitment.evidence_count,
        base_url + commitment.get_absolute_url(),
    ]


def _rows(queryset: QuerySet, base_url: str, chunk_size: int) -> Iterator[list]:
    for commitment in readable_queryset(queryset).iterator(chunk_size=chunk_size):
        yield readable_row(commitment, base_url)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape_formula(str(value)) if isinstance(value, str) else str(value)


def csv_chunks(queryset: QuerySet, base_url: str, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """The readable CSV with a UTF-8 byte order mark (so Excel reads it as UTF-8),
    a header row, then the rows a hundred at a time."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(header) for header in HEADERS])
    for n, row in enumerate(_rows(queryset, base_url, chunk_size), start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if n % 100 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cells(sheet, row: Iterable) -> list:
    cells = []
    for value in row:
        if isinstance(value, str):
            # XML cannot hold most control characters; a formula start is escaped.
            value = escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    return cells


def xlsx_chunks(queryset: QuerySet, base_url: str, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The readable XLSX: one sheet, a header row, the rows; written through a
    write-only workbook into a temporary file, then sent in pieces."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Commitments"))
    sheet.append(_xlsx_cells(sheet, [str(header) for header in HEADERS]))
    for row in _rows(queryset, base_url, chunk_size):
        sheet.append(_xlsx_cells(sheet, row))
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(FILE_CHUNK):
            yield chunk
