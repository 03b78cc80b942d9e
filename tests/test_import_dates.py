"""Dates as spreadsheets hold them: Excel serials, fiscal years and quarters, and day/month
orders that only the file's own convention settles."""

import datetime as dt

import pytest

from commitments.importing import Mapping, MappingError, import_file
from commitments.importing.fuzzy import parse_deadline, parse_since
from commitments.importing.options import DateForms
from commitments.models import Commitment

SERIAL = DateForms(serial=True)


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("FY2025-26", dt.date(2026, 3, 31), "quarter"),
        ("FY 2025/26", dt.date(2026, 3, 31), "quarter"),
        ("2025-26", dt.date(2026, 3, 31), "quarter"),
        ("FY26", dt.date(2026, 3, 31), "quarter"),
        ("by FY2026", dt.date(2026, 3, 31), "quarter"),
        ("Q4 FY26", dt.date(2026, 3, 31), "quarter"),
        ("FY26 Q1", dt.date(2025, 6, 30), "quarter"),
        ("Q3 2025-26", dt.date(2025, 12, 31), "quarter"),
    ],
)
def test_it_reads_fiscal_years_ending_31_march_as_deadlines_kept_to_the_day_they_end(
    text, day, precision
):
    assert parse_deadline(text) == (day, precision)


def test_it_reads_a_fiscal_year_that_is_a_calendar_year_as_a_year():
    forms = DateForms(fiscal_year_end=(12, 31), fiscal_year_end_given=True)

    assert parse_deadline("FY2026", forms) == (dt.date(2026, 12, 31), "year")
    assert parse_since("FY2026", forms) == (dt.date(2026, 1, 1), "year")


def test_it_reads_a_fiscal_year_ending_in_june_to_its_last_day():
    forms = DateForms(fiscal_year_end=(6, 30), fiscal_year_end_given=True)

    assert parse_deadline("FY2025-26", forms) == (dt.date(2026, 6, 30), "quarter")
    assert parse_deadline("Q1 FY26", forms) == (dt.date(2025, 9, 30), "quarter")


def test_it_reads_a_fiscal_quarter_as_a_start_and_refuses_a_fiscal_year_across_two_years():
    assert parse_since("Q4 FY26") == (dt.date(2026, 1, 1), "quarter")
    with pytest.raises(ValueError, match="from 1 April 2025 to 31 March 2026") as error:
        parse_since("FY2025-26")
    assert "cannot be stored as a start date" in str(error.value)


def test_it_refuses_a_span_that_is_not_a_fiscal_year_saying_why():
    with pytest.raises(ValueError, match="second year follows its first"):
        parse_deadline("2025-27")


def test_it_still_reads_an_iso_month_that_looks_like_a_fiscal_year():
    assert parse_deadline("2011-12") == (dt.date(2011, 12, 31), "month")
    given = DateForms(fiscal_year_end=(3, 31), fiscal_year_end_given=True)
    assert parse_deadline("2011-12", given) == (dt.date(2012, 3, 31), "quarter")


@pytest.mark.parametrize(
    ("text", "day"),
    [("46387", dt.date(2026, 12, 31)), ("46387.0", dt.date(2026, 12, 31)), ("10000", None)],
)
def test_it_reads_excel_serials_where_the_column_holds_them(text, day):
    assert parse_deadline(text, SERIAL) == (day or dt.date(1927, 5, 18), "day")


def test_it_reads_four_digits_as_a_year_even_where_serials_are_expected():
    assert parse_deadline("2035", SERIAL) == (dt.date(2035, 12, 31), "year")


@pytest.mark.parametrize("text", ["123", "100000"])
def test_it_refuses_a_number_neither_a_year_nor_a_serial(text):
    with pytest.raises(ValueError, match="neither a year .* nor an Excel date serial"):
        parse_deadline(text, SERIAL)


def test_it_refuses_a_serial_where_none_is_expected_and_says_how_to_read_it():
    with pytest.raises(ValueError, match="serial_dates") as error:
        parse_deadline("46387")
    assert "FY2025-26" in str(error.value)  # the message names what is accepted


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("25/12/2027", dt.date(2027, 12, 25)),
        ("12/25/2027", dt.date(2027, 12, 25)),
        ("05/05/2027", dt.date(2027, 5, 5)),
        ("04.05.2027", dt.date(2027, 5, 4)),  # dots are always day first
    ],
)
def test_it_reads_a_day_month_order_that_only_one_reading_fits(text, day):
    assert parse_deadline(text) == (day, "day")


def test_it_refuses_an_ambiguous_day_month_order_without_the_mappings_day_order():
    with pytest.raises(ValueError, match="day first .*4 May.* or month first .*April 5"):
        parse_deadline("04/05/2027")


def test_it_reads_an_ambiguous_day_by_the_mappings_day_order():
    assert parse_deadline("04/05/2027", DateForms(day_order="dmy")) == (dt.date(2027, 5, 4), "day")
    assert parse_deadline("04/05/2027", DateForms(day_order="mdy")) == (dt.date(2027, 4, 5), "day")
    with pytest.raises(ValueError, match="month/day/year order .the mapping's day_order."):
        parse_deadline("25/12/2027", DateForms(day_order="mdy"))


def test_it_no_longer_calls_a_fiscal_year_an_impossible_date():
    with pytest.raises(ValueError) as error:
        parse_since("2025-26")
    assert "01/26/2025" not in str(error.value)
    assert "fiscal year" in str(error.value)


# -- through a mapping --------------------------------------------------------------------------
def test_it_imports_a_fiscal_year_file_with_its_year_end_and_day_order(db):
    mapping = Mapping.from_dict(
        {
            "columns": {"Plan": "title", "Due": "deadline", "Agreed": "announced"},
            "fiscal_year_end": "06-30",
            "day_order": "mdy",
            "serial_dates": ["announced"],
        }
    )
    content = b"Plan,Due,Agreed\nA,FY2025-26,46000\nB,Q2 FY27,04/05/2025\n"

    result = import_file(content, "x.csv", mapping=mapping)

    assert result.written, result.rejected
    a, b = Commitment.objects.order_by("title")
    assert (a.deadline, a.deadline_precision) == (dt.date(2026, 6, 30), "quarter")
    assert (a.announced_on, a.announced_precision) == (dt.date(2025, 12, 9), "day")
    assert (b.deadline, b.deadline_precision) == (dt.date(2026, 12, 31), "quarter")
    assert b.announced_on == dt.date(2025, 4, 5)


def test_it_refuses_an_ambiguous_day_naming_the_row_and_the_option(db):
    content = b"title,deadline\nA,25/12/2027\nB,04/05/2027\n"

    result = import_file(content, "x.csv", skip_invalid=True)

    assert [(r.line, r.column) for r in result.rejected] == [(3, "deadline")]
    assert '"day_order": "dmy" or "mdy"' in result.rejected[0].reason
    assert Commitment.objects.get().deadline == dt.date(2027, 12, 25)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day_order": "ymd"}, 'day_order is "dmy"'),
        ({"fiscal_year_end": "03-30"}, "fiscal_year_end is the last day of a month"),
        ({"serial_dates": ["title"]}, "not one of our date columns"),
        ({"header_row": 0}, "header_row is the number"),
        ({"header_row": "2"}, "header_row must be a whole number"),
    ],
)
def test_it_refuses_a_mapping_whose_file_options_are_wrong(data, message):
    with pytest.raises(MappingError, match=message):
        Mapping.from_dict(data)
