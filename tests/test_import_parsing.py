"""Values as people write them: deadlines, statuses, parties and mappings."""

import datetime as dt

import pytest

from commitments.importing import Mapping, MappingError
from commitments.importing.fuzzy import (
    parse_deadline,
    parse_parties,
    parse_progress,
    parse_since,
    parse_status,
)
from commitments.importing.mapping import RATING
from commitments.importing.reading import FileError, read_records


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("2035", dt.date(2035, 12, 31), "year"),
        ("by 2035", dt.date(2035, 12, 31), "year"),
        ("end of 2026", dt.date(2026, 12, 31), "year"),
        ("By the end of 2026", dt.date(2026, 12, 31), "year"),
        ("September 2025", dt.date(2025, 9, 30), "month"),
        ("Sept 2025", dt.date(2025, 9, 30), "month"),
        ("Sep 2025", dt.date(2025, 9, 30), "month"),
        ("Q3 2026", dt.date(2026, 9, 30), "quarter"),
        ("q1 2027", dt.date(2027, 3, 31), "quarter"),
        ("2027-03-31", dt.date(2027, 3, 31), "day"),
        ("31/03/2027", dt.date(2027, 3, 31), "day"),
        ("31.12.40", dt.date(2040, 12, 31), "day"),
        ("30.06.08", dt.date(2008, 6, 30), "day"),
        ("04.01.2021", dt.date(2021, 1, 4), "day"),
        ("2018-01-01T00:00:00.000Z", dt.date(2018, 1, 1), "day"),
        ("December 16,2021", dt.date(2021, 12, 16), "day"),
        ("2024-02", dt.date(2024, 2, 29), "month"),
    ],
)
def test_it_reads_deadlines_as_people_write_them(text, day, precision):
    assert parse_deadline(text) == (day, precision)


def test_it_stores_an_announcement_as_the_first_day_of_its_period():
    assert parse_since("Q3 2026") == (dt.date(2026, 7, 1), "quarter")
    assert parse_since("2024") == (dt.date(2024, 1, 1), "year")


@pytest.mark.parametrize(
    "text",
    [
        "soon",
        "Exempt under Section 43 of the Freedom of Information Act 2000",
        "31/02/2027",
        "Q5 2026",
        "Smarch 2025",
        "",
    ],
)
def test_it_rejects_anything_else_with_a_reason(text):
    with pytest.raises(ValueError, match="not a date|not a real date|not a month"):
        parse_deadline(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("In progress", "in_progress"),
        ("in_progress", "in_progress"),
        ("IN PROGRESS", "in_progress"),
        ("Not yet rated", "not_rated"),
        ("partially achieved", "partially_achieved"),
        ("Achieved", "achieved"),
    ],
)
def test_it_reads_statuses_by_label_or_key_in_any_case(text, key):
    assert parse_status(text) == key


def test_it_rejects_an_unknown_status_and_lists_the_keys():
    with pytest.raises(ValueError, match="not_rated"):
        parse_status("Amber")


def test_it_reads_parties_with_roles_and_a_default_role():
    assert parse_parties("Italy:lead; Japan:partner; United Kingdom") == [
        ("Italy", "lead"),
        ("Japan", "partner"),
        ("United Kingdom", "partner"),
    ]
    assert parse_parties("Ministry: of Time; Italy", "lead") == [
        ("Ministry: of Time", "lead"),
        ("Italy", "lead"),
    ]


@pytest.mark.parametrize("text", ["Italy:boss", "Italy:lead; Japan:Partnr"])
def test_it_rejects_a_word_after_a_colon_that_is_not_a_role(text):
    with pytest.raises(ValueError, match="is not a party role: use lead, partner or participant"):
        parse_parties(text)


def test_it_reads_progress_as_a_whole_number():
    assert parse_progress("40%") == 40
    assert parse_progress("140") == 140  # the status service refuses it, with its message
    with pytest.raises(ValueError, match="not a whole number"):
        parse_progress("40.5")
    with pytest.raises(ValueError, match="not a number"):
        parse_progress("a lot")


def test_it_maps_columns_status_words_values_and_defaults():
    mapping = Mapping.from_dict(
        {
            "columns": {"Name": "title", "Rating": "status", "Who": "parties", "Tags": "themes"},
            "status": {"Amber": "stalled", "Exempt under*": "not_rated"},
            "values": {"parties": {"p1": "Italy"}},
            "split": {"themes": "/"},
            "defaults": {"kind": "deliverable"},
            "prefix": {"external_id": "x:"},
        }
    )
    row = mapping.apply({"Name": " A ", "Rating": "amber ", "Who": "p1", "Tags": "Energy / Space"})
    assert row == {
        "title": "A",
        "status": "stalled",
        RATING: ("Rating", "amber"),  # the dataset's own words, kept beside ours
        "parties": "Italy",
        "themes": "Energy; Space",
        "kind": "deliverable",
    }
    assert mapping.apply({"Rating": "Exempt under  Section 43"})["status"] == "not_rated"


def test_it_refuses_a_mapping_onto_a_column_we_do_not_have():
    with pytest.raises(MappingError, match="not one of ours"):
        Mapping.from_dict({"columns": {"Name": "headline"}})
    with pytest.raises(MappingError, match="status"):
        Mapping.from_dict({"status": {"Green": "fine"}})


def test_it_keeps_both_copies_of_a_repeated_header():
    content = b"a;b;b\n1;2;3\n"
    records = list(read_records(content, "x.csv", Mapping(delimiter=";")))
    assert records[0].data == {"a": "1", "b": "2", "b#2": "3"}
    assert records[0].line == 2


def test_it_counts_lines_across_cells_with_newlines():
    content = b'title,summary\n"A","two\nlines"\n"B",""\n'
    assert [r.line for r in read_records(content, "x.csv", Mapping())] == [2, 4]


def test_it_explains_a_file_in_the_wrong_encoding():
    with pytest.raises(FileError, match="cp1252"):
        list(read_records("title\n£5\n".encode("cp1252"), "x.csv", Mapping()))


def test_it_replaces_bytes_invalid_even_in_the_named_encoding_when_asked():
    content = b"title,summary\nA,caf\xe9 \x9d\n"
    with pytest.raises(FileError, match="encoding_errors"):
        list(read_records(content, "x.csv", Mapping(encoding="cp1252")))
    mapping = Mapping.from_dict({"encoding": "cp1252", "encoding_errors": "replace"})
    assert next(read_records(content, "x.csv", mapping)).data["summary"] == "café \ufffd"
