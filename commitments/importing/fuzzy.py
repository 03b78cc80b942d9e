"""Values as people write them in spreadsheets: dates with their precision, statuses by
label or key, kinds and party roles. Each parser returns a clean value or raises
`ValueError` with a reason that can be shown next to the cell."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import Kind, PartyRole, Precision, Status
from ..dates import period_end, period_start
from .options import DEFAULT_DATES, DateForms

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS.update({"sept": 9})

# Words around a date that do not change its meaning: "by 2035", "end of 2026".
_LEAD_IN = re.compile(
    r"^(?:by\s+(?:the\s+)?(?:end\s+of\s+)?|(?:the\s+)?end\s+of\s+|before\s+the\s+end\s+of\s+|in\s+)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE)
_QUARTER_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})([/.])(\d{1,2})[/.](\d{2}|\d{4})$")
# Fiscal years: "FY2025-26", "FY 2025/26", "2025-26", "FY26", "FY2026"; fiscal quarters:
# "Q4 FY26", "FY26 Q4", "Q4 2025-26". A bare span's second year has two digits.
_FY = (
    r"(?:fy\s*(?P<first>\d{4})\s*[-/–]\s*(?P<last>\d{4}|\d{2})"
    r"|(?P<bare_first>\d{4})\s*[-/–]\s*(?P<bare_last>\d{2})"
    r"|fy\s*(?P<single>\d{4}|\d{2}))"
)
_FISCAL_YEAR = re.compile(rf"^{_FY}$", re.IGNORECASE)
_FISCAL_QUARTER = re.compile(
    rf"^(?:q(?P<q1>[1-4])\s*{_FY}|{_FY.replace('?P<', '?P<b_')}\s*q(?P<q2>[1-4]))$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# Excel counts days from 30 December 1899 (its 1900 leap-year slip included).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serials read as dates: 10000 (1927) to 99999 (2173); four digits are a year.
SERIAL_MIN, SERIAL_MAX = 10000, 99999
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s*(\d{4})$", re.IGNORECASE)

# Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999 ("31.12.40" is 2040).
TWO_DIGIT_PIVOT = 70

DATE_HELP = gettext_lazy(
    'write it as 2035, "by 2035", "end of 2026", "September 2025", "Q3 2026", '
    '"2027-03-31", "31/03/2027", or a fiscal year: "FY2025-26", "2025-26", "Q4 FY26"'
)


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < TWO_DIGIT_PIVOT else 1900
    return year


def _month(name: str) -> int:
    number = MONTHS.get(name.lower().rstrip("."))
    if number is None:
        raise ValueError(_("%(value)s is not a month") % {"value": repr(name)})
    return number


def _day(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        if not 1 <= month <= 12:
            raise ValueError(_("there is no month %(month)s") % {"month": month}) from exc
        raise ValueError(
            _("%(month)s %(year)s has no day %(day)s")
            % {"month": calendar.month_name[month], "year": year, "day": day}
        ) from exc


def parse_period(
    text: str, forms: DateForms = DEFAULT_DATES, *, end: bool = False
) -> tuple[dt.date, str]:
    """A date as written, with its precision: ("2035" -> 1 Jan 2035, "year").

    `forms` says how the file writes what is ambiguous: the day order of "04/05/2027"
    (refused without one), when its fiscal year ends, whether its numbers are Excel
    serials. A fiscal year across two calendar years has no period of ours as a start;
    as an end (`end`, a deadline) it is the quarter or month it ends in."""
    raw = " ".join(str(text).replace("\u00a0", " ").split())
    value = _LEAD_IN.sub("", raw).strip().rstrip(".")
    try:
        if _NUMBER.match(value) and not _YEAR.match(value):
            return _serial(raw, value, forms)
        if fiscal := _fiscal(raw, value, forms, end=end):
            return fiscal
        if match := _YEAR.match(value):
            return dt.date(int(match[1]), 1, 1), Precision.YEAR
        if match := _QUARTER.match(value):
            return dt.date(int(match[2]), 3 * int(match[1]) - 2, 1), Precision.QUARTER
        if match := _QUARTER_YEAR_FIRST.match(value):
            return dt.date(int(match[1]), 3 * int(match[2]) - 2, 1), Precision.QUARTER
        if match := _ISO_DAY.match(value):
            return _day(int(match[1]), int(match[2]), int(match[3])), Precision.DAY
        if match := _ISO_MONTH.match(value):
            return _day(int(match[1]), int(match[2]), 1), Precision.MONTH
        if match := _DMY.match(value):
            return _numeric_day(raw, match, forms), Precision.DAY
        if match := _DAY_MONTH_YEAR.match(value):
            return _day(int(match[3]), _month(match[2]), int(match[1])), Precision.DAY
        if match := _MONTH_DAY_YEAR.match(value):
            return _day(int(match[3]), _month(match[1]), int(match[2])), Precision.DAY
        if match := _MONTH_YEAR.match(value):
            return _day(int(match[2]), _month(match[1]), 1), Precision.MONTH
    except _Refused:
        raise
    except ValueError as exc:
        raise ValueError(
            _("%(value)s is not a real date: %(error)s") % {"value": repr(raw), "error": exc}
        ) from exc
    shown = raw if len(raw) <= 60 else raw[:57] + "…"
    raise ValueError(
        _("%(value)s is not a date; %(help)s") % {"value": repr(shown), "help": DATE_HELP}
    )


class _Refused(ValueError):
    """A form that was recognised and refused, with its own full message."""


def _serial(raw: str, value: str, forms: DateForms) -> tuple[dt.date, str]:
    """An Excel date serial (46387 is 31 December 2026), where the file's numbers are."""
    number = float(value)
    if not forms.serial:
        raise _Refused(
            _(
                "%(value)s is not a date but a number: if it is an Excel date serial (46387 is "
                "2026-12-31), name the column in the mapping's serial_dates or import the .xlsx "
                "file itself; otherwise %(help)s"
            )
            % {"value": repr(raw), "help": DATE_HELP}
        )
    if not SERIAL_MIN <= number <= SERIAL_MAX:
        raise _Refused(
            _(
                "%(value)s is neither a year (four digits) nor an Excel date serial "
                "(%(min)s to %(max)s, e.g. 46387 for 2026-12-31)"
            )
            % {"value": repr(raw), "min": SERIAL_MIN, "max": SERIAL_MAX}
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(number)), Precision.DAY


def _numeric_day(raw: str, match: re.Match, forms: DateForms) -> dt.date:
    """31/03/2027, 03/31/2027 or 31.03.2027: dots are always day first; with slashes, a
    value either order reads (04/05/2027) needs the mapping's day_order."""
    first, separator, second, year = int(match[1]), match[2], int(match[3]), match[4]
    year = _full_year(year)
    order = "dmy" if separator == "." else forms.day_order
    if not order:
        if first > 12 >= second:
            order = "dmy"
        elif second > 12 >= first:
            order = "mdy"
        elif first == second:
            order = "dmy"
        else:
            raise _Refused(
                _(
                    "%(value)s can be read day first (%(first)s %(second_month)s) or "
                    "month first (%(first_month)s %(second)s): give the file's day "
                    'order in the mapping, "day_order": "dmy" or "mdy", or write 2027-05-04'
                )
                % {
                    "value": repr(raw),
                    "first": first,
                    "second_month": calendar.month_name[second],
                    "first_month": calendar.month_name[first],
                    "second": second,
                }
            )
    day, month = (first, second) if order == "dmy" else (second, first)
    try:
        return _day(year, month, day)
    except ValueError as exc:
        values = {"value": repr(raw), "error": exc}
        given = forms.day_order and separator == "/"
        if order == "dmy" and given:
            message = _(
                "%(value)s is not a real date in day/month/year order (the mapping's "
                "day_order): %(error)s"
            )
        elif order == "dmy":
            message = _("%(value)s is not a real date in day/month/year order: %(error)s")
        elif given:
            message = _(
                "%(value)s is not a real date in month/day/year order (the mapping's "
                "day_order): %(error)s"
            )
        else:
            message = _("%(value)s is not a real date in month/day/year order: %(error)s")
        raise _Refused(message % values) from None


def _fiscal_end_year(match: re.Match, prefix: str) -> int:
    """The calendar year a fiscal year ends in: 2025-26 and FY26 end in 2026."""
    single = match[f"{prefix}single"]
    if single is not None:
        return _full_year(single) if len(single) == 2 else int(single)
    first = match[f"{prefix}first"] or match[f"{prefix}bare_first"]
    last = match[f"{prefix}last"] or match[f"{prefix}bare_last"]
    start = int(first)
    end = int(last) if len(last) == 4 else start // 100 * 100 + int(last)
    if end != start + 1:
        raise _Refused(
            _(
                "%(first)s-%(last)s is not a fiscal year: a fiscal year's second year follows "
                "its first (2025-26)"
            )
            % {"first": first, "last": last}
        )
    return end


def _fiscal(raw: str, value: str, forms: DateForms, *, end: bool) -> tuple[dt.date, str] | None:
    """A fiscal year or quarter as our period, or None when `value` is not one. "2011-12"
    is December 2011 unless the mapping gives a fiscal year end."""
    quarter, prefix = None, ""
    if match := _FISCAL_YEAR.match(value):
        bare_last = match["bare_last"]
        if bare_last and int(bare_last) <= 12 and not forms.fiscal_year_end_given:
            return None  # an ISO month, as "2024-02"
    elif match := _FISCAL_QUARTER.match(value):
        if match["q1"]:
            quarter = int(match["q1"])
        else:
            quarter, prefix = int(match["q2"]), "b_"
    else:
        return None
    year_end = dt.date(_fiscal_end_year(match, prefix), *forms.fiscal_year_end)
    if quarter is None:
        last_day = year_end
        start = _add_months(year_end, -11)
    else:
        last_day = _month_end(_add_months(year_end, 3 * (quarter - 4)))
        start = _add_months(last_day, -2)
    if start.month == 1 and last_day.month == 12:
        return start, Precision.YEAR
    if quarter and start.month % 3 == 1:
        return start, Precision.QUARTER
    if end:
        # A deadline: what counts is the day the period ends, kept exactly.
        if last_day.month % 3 == 0:
            return dt.date(last_day.year, last_day.month - 2, 1), Precision.QUARTER
        return last_day.replace(day=1), Precision.MONTH
    values = {
        "value": repr(raw),
        "quarter": quarter,
        "start": f"{start.day} {start:%B %Y}",
        "end": f"{last_day.day} {last_day:%B %Y}",
    }
    if quarter:
        message = _(
            "%(value)s is the fiscal quarter Q%(quarter)s from %(start)s to %(end)s, which is "
            "not a calendar year or quarter, so it cannot be stored as a start date: write the "
            "month or day it started (2025-04 or 2025-04-01)"
        )
    else:
        message = _(
            "%(value)s is the fiscal year from %(start)s to %(end)s, which is not a calendar "
            "year or quarter, so it cannot be stored as a start date: write the month or day "
            "it started (2025-04 or 2025-04-01)"
        )
    raise _Refused(message % values)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_deadline(text: str, forms: DateForms = DEFAULT_DATES) -> tuple[dt.date, str]:
    """A deadline is stored as the last day of its period."""
    day, precision = parse_period(text, forms, end=True)
    return period_end(day, precision), precision


def parse_since(text: str, forms: DateForms = DEFAULT_DATES) -> tuple[dt.date, str]:
    """An announcement date is stored as the first day of its period."""
    day, precision = parse_period(text, forms)
    return period_start(day, precision), precision


def parse_day(text: str, forms: DateForms = DEFAULT_DATES) -> dt.date:
    day, precision = parse_period(text, forms)
    if precision != Precision.DAY:
        raise ValueError(
            _("%(value)s is not a single day; write it as 2025-09-30") % {"value": repr(text)}
        )
    return day


def _normal(text: str) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").split()).casefold()


@functools.cache
def _table(choices_class) -> tuple[dict[str, str], str]:
    """Keys and labels to keys: the English labels first, then the interface's other
    languages, whatever language is active when the table is first built."""
    table = {}
    for key, _label in choices_class.choices:
        table[_normal(key)] = key
    for code in ["en", *(code for code, _name in settings.LANGUAGES)]:
        with translation.override(code):
            for key, label in choices_class.choices:
                table.setdefault(_normal(str(label)), key)
    return table, ", ".join(choices_class.values)


def choice_key(choices_class, text: str) -> str | None:
    """The key a cell names by its key or its label in any interface language
    ("in_progress", "In progress", "In corso"); None when it names none."""
    return _table(choices_class)[0].get(_normal(text))


def _lookup(choices_class, text: str, message: str) -> str:
    table, keys = _table(choices_class)
    found = table.get(_normal(text))
    if found is None:
        raise ValueError(message % {"value": repr(text), "keys": keys})
    return found


def parse_status(text: str) -> str:
    """A status by key or label, in any case: "In progress", "in_progress", "ACHIEVED"."""
    return _lookup(Status, text, _("%(value)s is not a status; use one of %(keys)s"))


def parse_kind(text: str) -> str:
    return _lookup(Kind, text, _("%(value)s is not a kind; use one of %(keys)s"))


def parse_role(text: str) -> str:
    return _lookup(PartyRole, text, _("%(value)s is not a party role; use one of %(keys)s"))


def parse_progress(text: str) -> int:
    """A whole number, with or without a % sign; whether it is a progress the status
    service accepts (0 to 100) is the service's rule."""
    value = str(text).strip().rstrip("%").strip()
    try:
        number = float(value)
    except ValueError as exc:
        raise ValueError(_("%(value)s is not a number") % {"value": repr(text)}) from exc
    if not number.is_integer():
        raise ValueError(_("%(value)s is not a whole number") % {"value": repr(text)})
    return int(number)


def split_list(text: str, separator: str = ";") -> list[str]:
    return [item.strip() for item in str(text).split(separator) if item.strip()]


def parse_parties(text: str, default_role: str = PartyRole.PARTNER) -> list[tuple[str, str]]:
    """ "Italy:lead; Japan:partner" -> [("Italy", "lead"), ("Japan", "partner")].

    A name may itself contain a colon ("Ministry: Defence"); a single word written
    straight after the last colon ("Italy:boss") is read as a role and must be one.
    """
    parties: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in split_list(text):
        name, role = item, default_role
        head, sep, tail = item.rpartition(":")
        if sep:
            try:
                role = parse_role(tail)
                name = head.strip()
            except ValueError:
                if re.fullmatch(r"[^\W\d_]+", tail):
                    raise ValueError(
                        _(
                            "%(role)s in %(item)s is not a party role: use lead, partner or "
                            "participant"
                        )
                        % {"role": repr(tail), "item": repr(item)}
                    ) from None
                name = item
        if not name:
            raise ValueError(_("%(item)s has no actor name") % {"item": repr(item)})
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        parties.append((name, role))
    return parties


# -- dates as statements write them -------------------------------------------------------------
# "in the first half of 2026", "throughout 2026", "by the end of the year", "next year": the
# forms a joint statement uses. Relative forms need the statement's date, and without one
# they are not read (a date is never guessed).
_STATEMENT_LEAD_IN = re.compile(
    r"^(?:(?:by|before|until|till|through|throughout|during|within|in|no\s+later\s+than)\s+)?"
    r"(?:the\s+)?(?:(?:end|close)\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
_HALF = re.compile(r"^(first|1st|second|2nd)\s+half\s+(?:of\s+)?(\d{4})$", re.IGNORECASE)
_RELATIVE_YEAR = re.compile(
    r"^(?:(this|current|next|following)\s+)?(?:calendar\s+)?year$", re.IGNORECASE
)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})$")


def parse_statement_period(text: str, *, said_on: dt.date | None = None) -> tuple[dt.date, str]:
    """A date as a statement writes it, with its precision, as `parse_period` returns it.

    Adds to `parse_period`: halves ("first half of 2026" ends on 30 June, a month; the
    second half ends with the year), year ranges ("2024–2027" runs to 2027), and "this
    year", "the end of the year", "next year", read from `said_on`, the statement's date.
    """
    raw = " ".join(str(text).replace("\u00a0", " ").split()).rstrip(".")
    value = _STATEMENT_LEAD_IN.sub("", raw, count=1).strip()
    if match := _HALF.match(value):
        year = int(match[2])
        if match[1].lower() in {"first", "1st"}:
            return dt.date(year, 6, 1), Precision.MONTH
        return dt.date(year, 1, 1), Precision.YEAR
    if match := _YEAR_RANGE.match(value):
        first, last = int(match[1]), match[2]
        last_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        if last_year < first:
            raise ValueError(
                _("%(value)s is not a period: it ends before it starts") % {"value": repr(raw)}
            )
        return dt.date(last_year, 1, 1), Precision.YEAR
    if match := _RELATIVE_YEAR.match(value):
        if said_on is None:
            raise ValueError(
                _("%(value)s depends on the statement's date, which is not known")
                % {"value": repr(raw)}
            )
        offset = 1 if (match[1] or "").lower() in {"next", "following"} else 0
        return dt.date(said_on.year + offset, 1, 1), Precision.YEAR
    return parse_period(value or raw)
