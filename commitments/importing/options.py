"""Mapping keys for files as people have them: which sheet and row hold the table, how
its dates are written, which party cells are placeholders.

    {
      "sheet": "Commitments",            # .xlsx: the sheet to read (default: the first)
      "header_row": 3,                   # the header's row, when rows above it hold a title
      "day_order": "dmy",                # "04/05/2027" is 4 May ("dmy") or 5 April ("mdy")
      "fiscal_year_end": "03-31",        # FY2025-26 ends on 31 March 2026 (the default)
      "serial_dates": ["deadline"],      # our columns whose plain numbers are Excel serials
      "ignore_parties": ["nan", "All other Ministers"]  # party cells that name no actor
    }
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import DATE_COLUMNS

FILE_KEYS = (
    "sheet",
    "header_row",
    "day_order",
    "fiscal_year_end",
    "serial_dates",
    "ignore_parties",
)
FILE_SHAPES = {
    "sheet": "text",
    "header_row": "number",
    "day_order": "text",
    "fiscal_year_end": "text",
    "serial_dates": "texts",
    "ignore_parties": "texts",
}
DAY_ORDERS = ("dmy", "mdy")
# The header is looked for in the file's first rows only.
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class DateForms:
    """How a file writes its dates, beyond what every file may use."""

    day_order: str = ""  # "dmy", "mdy", or "" (an ambiguous day is refused)
    fiscal_year_end: tuple[int, int] = (3, 31)  # month and day the fiscal year ends on
    fiscal_year_end_given: bool = False
    serial: bool = False  # a number of five digits or more is an Excel date serial


DEFAULT_DATES = DateForms()


@dataclass
class FileOptions:
    sheet: str = ""
    header_row: int | None = None
    dates: DateForms = DEFAULT_DATES
    serial_dates: frozenset[str] = frozenset()
    ignore_parties: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict, error: type[Exception]) -> FileOptions:
        header_row = data.get("header_row")
        if header_row is not None and (
            isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1
        ):
            raise error(_("header_row is the number of the header's row, from 1."))
        day_order = (data.get("day_order") or "").lower()
        if day_order and day_order not in DAY_ORDERS:
            raise error(
                _('day_order is "dmy" (31/03/2027, day first) or "mdy" (03/31/2027, month first).')
            )
        year_end = data.get("fiscal_year_end")
        serial = list(data.get("serial_dates") or [])
        for name in serial:
            if name not in DATE_COLUMNS:
                raise error(
                    _("serial_dates: %(name)s is not one of our date columns (%(columns)s).")
                    % {"name": repr(name), "columns": ", ".join(DATE_COLUMNS)}
                )
        return cls(
            sheet=data.get("sheet") or "",
            header_row=header_row,
            dates=DateForms(
                day_order=day_order,
                fiscal_year_end=parse_year_end(year_end, error) if year_end else (3, 31),
                fiscal_year_end_given=bool(year_end),
            ),
            serial_dates=frozenset(serial),
            ignore_parties=list(data.get("ignore_parties") or []),
        )

    def dates_for(self, column: str, *, every_serial: bool = False) -> DateForms:
        """The date forms of one of our columns: an .xlsx file's numbers in any date
        column, or a column the mapping names, are Excel serials."""
        serial = every_serial or column in self.serial_dates
        if serial == self.dates.serial:
            return self.dates
        return DateForms(
            day_order=self.dates.day_order,
            fiscal_year_end=self.dates.fiscal_year_end,
            fiscal_year_end_given=self.dates.fiscal_year_end_given,
            serial=serial,
        )


def parse_year_end(text: str, error: type[Exception]) -> tuple[int, int]:
    """ "03-31" (or "3-31", "31 March") → (3, 31): the last day of a month."""
    from .fuzzy import MONTHS

    value = " ".join(str(text).replace("/", "-").split())
    month = day = None
    parts = value.split("-") if "-" in value else value.split(" ")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        month, day = int(parts[0]), int(parts[1])
    elif len(parts) == 2 and parts[0].isdigit():
        month, day = MONTHS.get(parts[1].lower().rstrip(".")), int(parts[0])
    if not month or not 1 <= month <= 12 or day != calendar.monthrange(2001, month)[1]:
        raise error(
            _(
                "fiscal_year_end is the last day of a month, written MM-DD, e.g. "
                '"03-31" (31 March, the default), "06-30" or "12-31".'
            )
        )
    return month, day
