"""Ids to check: an id a spreadsheet turned into a date ("1-85" shown as `Jan-85`) or a
placeholder (`2001-xx`) is imported as written, since the file gives no other, and named
in the report so someone can put it right at the source."""

from __future__ import annotations

import calendar
import re

from django.utils.translation import gettext as _

_MONTHS = "|".join(calendar.month_abbr[1:])
# `Jan-85`, `85-Jan`, `1-Jan`, `Jan-1985`, `01/01/1985`: what a spreadsheet shows for an id
# such as 1-85 it read as a date. Checked on the id's last part (after a prefix).
_AS_DATE = re.compile(
    rf"(?:^|[:_/\s-])(?:(?:{_MONTHS})-\d{{1,4}}|\d{{1,2}}-(?:{_MONTHS}))$", re.IGNORECASE
)
# `2001-xx`, `2005-??`, `TBD`, `n/a`, `x`: a place held for an id not given.
_PLACEHOLDER = re.compile(r"(?:^|[:_/\s-])(?:x{1,4}|\?+|tbd|tbc|tba|n/?a|#+)$", re.IGNORECASE)
# The number the importer gives a repeated id (`#2`), not part of the file's id.
_NUMBERED = re.compile(r"#\d+$")


def id_problem(value: str) -> str:
    """Why the id needs checking, or ""."""
    written = _NUMBERED.sub("", value).strip()
    if _AS_DATE.search(written):
        return _(
            "looks like an id a spreadsheet turned into a date (1-85 shown as Jan-85): "
            "imported as written; check it against the source"
        )
    if _PLACEHOLDER.search(written):
        return _("is a placeholder, not an id: imported as written; give each row its own id")
    return ""
