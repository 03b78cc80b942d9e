"""Files as people have them: .xlsx workbooks, UTF-16 text, a title above the header, a
row whose cells do not match the header, and refusals that name the file's own column and
row. Fixtures: tests/fixtures/files/ (see its README)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from commitments.importing import Mapping, import_file
from commitments.importing.reading import FileError, read_records
from commitments.models import Actor, Commitment, Theme

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "fixtures" / "files"
MAPPINGS = ROOT / "examples" / "mappings"
XLSX = FILES / "lpc_platform_sample.xlsx"


def platform_mapping(**more) -> Mapping:
    data = Mapping.load(MAPPINGS / "canada_lpc_platform_2025.json")
    mapping = Mapping.from_dict(
        {
            "columns": {**data.columns, "Deadline": "deadline"},
            "party_roles": {"Reporting Lead": "lead"},
            "split": {"parties": ";"},
            "ignore_parties": ["All other Ministers"],
            "prefix": {"external_id": "ca-2025-"},
            "defaults": {"source": "Canada Strong: 2025 Liberal platform", "source_date": "2025"},
            "shorten": ["title"],
            **more,
        }
    )
    return mapping


def xlsx_bytes(rows: list[list], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- .xlsx -----------------------------------------------------------------------------------
def test_it_imports_an_xlsx_sheet_named_by_the_mapping_past_its_title_row(db):
    result = import_file(
        XLSX.read_bytes(), XLSX.name, mapping=platform_mapping(sheet="Promises"), skip_invalid=True
    )

    assert result.written and not result.rejected, result.rejected
    assert len(result.created) == 6
    assert result.notes and "row 3" in result.notes[0]
    rows = Commitment.objects.values_list("external_id", "deadline", "deadline_precision")
    deadlines = {external_id: day for external_id, day, _ in rows}
    precisions = {external_id: precision for external_id, _, precision in rows}
    assert deadlines["ca-2025-LPC-001"] == dt.date(2026, 12, 31)  # a date cell
    assert deadlines["ca-2025-LPC-002"] == dt.date(2026, 12, 31)  # the serial 46387
    assert (deadlines["ca-2025-LPC-003"], precisions["ca-2025-LPC-003"]) == (
        dt.date(2026, 3, 31),
        "quarter",
    )  # FY2025-26 ends on 31 March 2026
    assert (deadlines["ca-2025-LPC-004"], precisions["ca-2025-LPC-004"]) == (
        dt.date(2026, 3, 31),
        "quarter",
    )  # Q4 FY26
    assert (deadlines["ca-2025-LPC-005"], precisions["ca-2025-LPC-005"]) == (
        dt.date(2035, 12, 31),
        "year",
    )  # the number 2035 is a year, not a serial
    assert deadlines["ca-2025-LPC-006"] is None


def test_it_reads_the_first_sheet_unless_told_otherwise(db):
    result = import_file(XLSX.read_bytes(), XLSX.name, mapping=platform_mapping())

    assert "The first sheet, 'About', holds no table" in result.file_error
    assert '{"sheet": "Promises"}' in result.file_error


def test_it_names_the_sheets_when_the_one_asked_for_is_missing(db):
    result = import_file(XLSX.read_bytes(), XLSX.name, mapping=platform_mapping(sheet="Nope"))

    assert "no sheet named 'Nope'" in result.file_error and "'Promises'" in result.file_error


def test_it_imports_an_xlsx_file_from_the_command_line_with_a_sheet_option(db, tmp_path):
    mapping = tmp_path / "m.json"
    mapping.write_text(
        '{"columns": {"ID": "external_id", "Commitment": "title", "All ministers": "parties"},'
        ' "split": {"parties": ";"}, "ignore_parties": ["All other Ministers"],'
        ' "shorten": ["title"]}'
    )
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_commitments",
        str(XLSX),
        "--map",
        str(mapping),
        "--sheet",
        "Promises",
        "--no-progress",
        stdout=out,
        stderr=err,
    )

    assert Commitment.objects.count() == 6
    assert "The header is on row 3" in out.getvalue()


def test_it_previews_an_xlsx_upload_on_the_import_page(client, editor):
    client.force_login(editor)
    mapping = SimpleUploadedFile(
        "m.json",
        b'{"sheet": "Promises", "shorten": ["title"],'
        b' "columns": {"ID": "external_id", "Commitment": "title"}}',
    )
    response = client.post(
        "/import/",
        {"file": SimpleUploadedFile(XLSX.name, XLSX.read_bytes()), "mapping": mapping},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "6</strong> to create" in page
    assert 'name="payload"' in page


def test_it_refuses_an_old_xls_file_with_advice(db):
    result = import_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls")

    assert ".xls file (Excel 97-2003)" in result.file_error and ".xlsx" in result.file_error


def test_it_refuses_an_xlsx_value_past_the_header_naming_its_row(db):
    content = xlsx_bytes([["title", "deadline"], ["A plan", 2030], ["B plan", 2031, "stray"]])

    result = import_file(content, "x.xlsx")

    assert [(r.line, r.row) for r in result.rejected] == [(3, 3)]
    assert "past the header's 2 columns" in result.rejected[0].reason


# -- text encodings -----------------------------------------------------------------------------
def test_it_reads_a_utf16_file_by_its_byte_order_mark(db):
    path = FILES / "mandate_2021_utf16.csv"
    mapping = Mapping.load(MAPPINGS / "canada_mandate_2021.json")

    result = import_file(path.read_bytes(), path.name, mapping=mapping)

    assert not result.file_error and result.written
    assert len(result.created) == 5
    assert Commitment.objects.filter(external_id="ca-mlc-100").exists()


def test_it_reads_a_utf16_file_even_when_the_mapping_names_another_encoding(db):
    content = "title,summary\nCittà,ok\n".encode("utf-16")

    result = import_file(content, "x.csv", mapping=Mapping(encoding="cp1252"))

    assert result.written and Commitment.objects.get().title == "Città"


# -- the header and the rows' cells -----------------------------------------------------------
TITLED = b"Commitments for the March review\n\ntitle,deadline\nA plan,2030\n"


def test_it_finds_the_header_below_a_title_row_and_says_so(db):
    result = import_file(TITLED, "x.csv")

    assert result.written and Commitment.objects.get().title == "A plan"
    assert result.notes == [
        "The header is on row 3: the 2 row(s) above it (“Commitments for the March review”) "
        'were left out. Say so in the mapping with "header_row": 3.'
    ]


def test_it_takes_the_header_row_the_mapping_gives(db):
    result = import_file(
        b"Review\nname,when\ntitle,deadline\nA plan,2030\n",
        "x.csv",
        mapping=Mapping.from_dict({"header_row": 3}),
    )

    assert result.written and Commitment.objects.get().deadline == dt.date(2030, 12, 31)
    assert not result.notes


def test_it_refuses_a_header_row_past_the_end_of_the_file(db):
    result = import_file(b"title\nA\n", "x.csv", mapping=Mapping.from_dict({"header_row": 9}))

    assert "header_row is 9" in result.file_error


def test_it_refuses_a_title_row_it_cannot_see_past_and_names_the_option(db):
    mapping = Mapping.from_dict({"columns": {"Project": "title"}})

    result = import_file(b"Portfolio 2026\nName,When\nA,2030\n", "x.csv", mapping=mapping)

    assert "Row 1 holds only “Portfolio 2026”" in result.file_error
    assert '{"header_row": 2}' in result.file_error


SHIFTED = (
    "title;themes;parties;summary\n"
    "Urban mobility;Transport;Città di Roma:lead;Buses\n"
    "Waste plan;Environment;Città di Roma:lead; Città di Milano:partner;Shared plan\n"
    "Short row;Transport\n"
).encode()


def test_it_refuses_a_row_with_more_or_fewer_cells_than_the_header_naming_its_line(db):
    result = import_file(SHIFTED, "x.csv", mapping=Mapping(delimiter=";"), skip_invalid=True)

    assert [r.line for r in result.rejected] == [3, 4]
    assert "has 5 cells where the header has 4 columns" in result.rejected[0].reason
    assert "Città di Milano:partner" in result.rejected[0].reason
    assert "has 2 cells where the header has 4 columns" in result.rejected[1].reason
    assert not Theme.objects.filter(name__contains="Milano").exists()
    assert Commitment.objects.get().title == "Urban mobility"


def test_it_keeps_row_numbers_apart_from_line_numbers_when_a_cell_spans_lines(db):
    content = b'title,summary,deadline\n"A plan","two\nlines",2030\nB plan,x,someday\n'

    result = import_file(content, "x.csv", skip_invalid=True)

    (rejection,) = result.rejected
    assert (rejection.line, rejection.row) == (4, 3)
    assert rejection.where == "line 4 (row 3), deadline"


def test_it_names_the_files_column_behind_a_refused_value(db, tmp_path):
    mapping = Mapping.from_dict({"columns": {"Project": "title", "End date": "deadline"}})
    content = b"Project,End date\nA plan,someday\n"

    result = import_file(content, "x.csv", mapping=mapping)

    (rejection,) = result.rejected
    assert (rejection.column, rejection.file_column) == ("deadline", "End date")
    assert rejection.where == "line 2, deadline (their “End date”)"
    report = io.StringIO()
    result.write_rejects(report)
    assert report.getvalue().splitlines()[1].endswith(",2,End date")


def test_it_does_not_call_a_role_column_left_out(db):
    mapping = Mapping.from_dict(
        {"columns": {"Commitment": "title"}, "party_roles": {"Reporting Lead": "lead"}}
    )

    result = import_file(
        b"Commitment,Reporting Lead,Other\nA plan,Italy,x\n", "x.csv", mapping=mapping
    )

    assert result.ignored_columns == ["Other"]
    assert "Reporting Lead" not in result.summary()
    assert Actor.objects.filter(name="Italy").exists()


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"title,deadline\nA,2030\n", ["title", "deadline"]),
        (b"\n\ntitle\nA\n", ["title"]),
    ],
)
def test_it_reads_plain_files_as_before(content, headers):
    records = list(read_records(content, "x.csv", Mapping()))

    assert list(records[0].data) == headers


def test_it_says_an_empty_file_is_empty():
    with pytest.raises(FileError, match="empty"):
        list(read_records(b"", "x.csv", Mapping()))
