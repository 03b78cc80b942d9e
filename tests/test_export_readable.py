"""The reader's export: labels, health, the last update and the evidence count, in CSV
(with a BOM) and XLSX, named after its filters and the day, formulas escaped."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from commitments import services
from commitments.choices import Kind, Status
from commitments.exporting_readable import BOM, HEADERS
from commitments.filters import CommitmentFilterSet

pytestmark = pytest.mark.django_db

CSV_URL = "/commitments/export.csv?format=readable"
XLSX_URL = "/commitments/export.xlsx"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    text = body(response).decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_dict(rows: list[list]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def upheld(make, frozen_clock):
    defence = make.theme("Defence")
    italy = make.actor("Italy")
    source = make.source(title="Joint statement", date=dt.date(2025, 9, 1))
    commitment = make.commitment(
        "Uphold the rule of law",
        kind=Kind.STANDING,
        themes=[defence],
        parties=[(italy, "lead")],
        source=source,
        deadline=dt.date(2026, 12, 31),
        precision="year",
    )
    services.record_status_update(
        commitment=commitment,
        status=Status.ACHIEVED,
        by=None,
        rationale="Reaffirmed at the summit.",
        evidence=[make.evidence(commitment), make.evidence(commitment, url="https://x.org/2")],
        progress=100,
        effective_on=dt.date(2025, 9, 1),
        effective_precision="month",
    )
    return commitment


def test_it_writes_labels_health_the_last_update_evidence_and_the_link(client, upheld):
    rows = as_dict(csv_rows(client.get(CSV_URL)))

    assert rows == [
        {
            "Title": "Uphold the rule of law",
            "Status": "In force / upheld (Achieved)",
            "Health": "Closed",
            "Progress (%)": "100",
            "Kind": "Standing",
            "Deadline": "by 2026",
            "Announced": "",
            "Parties": "Italy (lead)",
            "Themes": "Defence",
            "Source": "Joint statement",
            "Source date": "2025-09-01",
            "Last update (effective)": "Sep 2025",
            "Last update rationale": "Reaffirmed at the summit.",
            "Evidence items": "2",
            "Link": "http://testserver/commitments/uphold-the-rule-of-law/",
        }
    ]


def test_it_writes_the_same_rows_as_an_xlsx_with_a_real_date(client, upheld):
    response = client.get(XLSX_URL)

    assert response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    assert rows[0] == HEADERS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Status"] == "In force / upheld (Achieved)"
    assert row["Source date"] == dt.datetime(2025, 9, 1)
    assert row["Evidence items"] == 2
    assert row["Link"] == "http://testserver/commitments/uphold-the-rule-of-law/"


def test_it_names_the_file_after_its_filters_and_the_day(client, upheld, make):
    make.commitment("Late", themes=[upheld.themes.get()], deadline=dt.date(2025, 1, 1))

    for url, name in [
        (f"{CSV_URL}&theme=defence&health=overdue", "commitments-defence-overdue-2026-03-10.csv"),
        (f"{XLSX_URL}?health=overdue&theme=defence", "commitments-defence-overdue-2026-03-10.xlsx"),
        (CSV_URL, "commitments-2026-03-10.csv"),
        (f"{CSV_URL}&deadline_after=2027&has_evidence=true", None),
        ("/commitments/export.csv?party=italy", "commitments-import-format-italy-2026-03-10.csv"),
        ("/commitments/export.json", "commitments-import-format-2026-03-10.json"),
    ]:
        disposition = client.get(url)["Content-Disposition"]
        if name is None:
            name = "commitments-due-from-2027-with-evidence-2026-03-10.csv"
        assert disposition == f'attachment; filename="{name}"', url


def test_it_writes_headers_only_for_no_rows_under_the_same_name_rule(client, upheld):
    response = client.get(f"{CSV_URL}&status=broken")

    assert csv_rows(response) == [HEADERS]
    assert 'filename="commitments-broken-2026-03-10.csv"' in response["Content-Disposition"]
    empty = client.get(f"{XLSX_URL}?status=broken")
    assert xlsx_rows(empty) == [HEADERS]
    assert 'filename="commitments-broken-2026-03-10.xlsx"' in empty["Content-Disposition"]


def test_it_escapes_formulas_in_every_text_cell(client, make, frozen_clock):
    commitment = make.commitment(
        '=HYPERLINK("http://evil")',
        themes=[make.theme("+Theme")],
        parties=[make.actor("@Party")],
        source=make.source(title="-Source"),
    )
    services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        by=None,
        rationale="-2+3 said the minister",
        evidence=[make.evidence(commitment)],
        effective_on=dt.date(2026, 3, 1),
    )

    csv_row = as_dict(csv_rows(client.get(CSV_URL)))[0]
    xlsx_row = dict(zip(HEADERS, xlsx_rows(client.get(XLSX_URL))[1], strict=True))

    for row in (csv_row, xlsx_row):
        assert row["Title"] == '\'=HYPERLINK("http://evil")'
        assert row["Themes"] == "'+Theme"
        assert row["Parties"] == "'@Party (partner)"
        assert row["Source"] == "'-Source"
        assert row["Last update rationale"] == "'-2+3 said the minister"


def test_it_drops_characters_an_xlsx_cannot_hold_instead_of_failing(client, make):
    make.commitment("Bell\x07 and backspace\x08")

    rows = xlsx_rows(client.get(XLSX_URL))

    assert rows[1][0] == "Bell and backspace"


def test_it_selects_with_the_lists_filterset(client, upheld, make):
    make.commitment("Other", deadline=dt.date(2030, 1, 1))
    query = "status=achieved&status=not_rated&sort=-title"

    rows = as_dict(csv_rows(client.get(f"{CSV_URL}&{query}")))

    expected = CommitmentFilterSet(QueryDict(query)).qs.values_list("title", flat=True)
    assert [row["Title"] for row in rows] == list(expected)


def test_it_answers_400_naming_bad_filters_and_an_unknown_format(client, db):
    bad = client.get(f"{CSV_URL}&health=sometimes")
    assert bad.status_code == 400
    assert "health" in bad.content.decode()
    assert client.get(f"{XLSX_URL}?deadline_after=soon").status_code == 400
    unknown = client.get("/commitments/export.csv?format=pretty")
    assert unknown.status_code == 400
    assert "format=readable" in unknown.content.decode()


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_it_keeps_its_query_count_flat_as_rows_grow(
    client, make, upheld, django_assert_num_queries, url
):
    # The database asked before the first byte, the commitments, their parties, their themes.
    with django_assert_num_queries(4):
        body(client.get(url))
    for n in range(5):
        make.commitment(f"More {n}", parties=[make.actor()], themes=[make.theme()])
    with django_assert_num_queries(4):
        body(client.get(url))


def test_it_sends_anonymous_visitors_to_login_when_not_public(client, settings, reader):
    settings.TRACKER_PUBLIC = False

    for url in (CSV_URL, XLSX_URL):
        assert client.get(url).status_code == 302
    client.force_login(reader)
    assert client.get(XLSX_URL).status_code == 200
    assert client.get(CSV_URL).status_code == 200


def test_it_refuses_a_post(client, db):
    assert client.post(XLSX_URL).status_code == 405
    assert client.post(CSV_URL).status_code == 405


def test_it_is_offered_beside_the_import_format_with_the_lists_filters(client, upheld):
    html = client.get("/commitments/?theme=defence").content.decode()

    assert 'href="/commitments/export.xlsx?theme=defence"' in html
    assert 'href="/commitments/export.csv?theme=defence&amp;format=readable"' in html
    assert 'href="/commitments/export.csv?theme=defence"' in html


@pytest.mark.parametrize(
    ("language", "title", "status"),
    [
        ("it", "Difendere lo Stato di diritto", "In vigore / rispettato"),
        ("ja", "法の支配の擁護", "有効 / 維持"),
        ("en", "Uphold the rule of law", "In force / upheld"),
    ],
)
def test_it_titles_each_row_in_the_readers_language(client, upheld, make, language, title, status):
    from commitments.services.translations import set_translation

    for code, words in (("it", "Difendere lo Stato di diritto"), ("ja", "法の支配の擁護")):
        set_translation(commitment=upheld, language=code, title=words, translated_by="Editors")
    untranslated = make.commitment("Open a port")
    for url, read in ((CSV_URL, csv_rows), (XLSX_URL, xlsx_rows)):
        rows = read(client.get(url, HTTP_ACCEPT_LANGUAGE=language))[1:]
        titles = {row[0] for row in rows}
        assert titles == {title, untranslated.title}  # no translation: its own title
        assert any(row[1].startswith(status) for row in rows)  # the labels follow too
