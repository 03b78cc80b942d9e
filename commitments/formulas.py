"""Spreadsheet formula injection: one rule for every file we write and read back.

OWASP's rule: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
may be run as a formula by a spreadsheet, so exports prefix it with ``'``. The importer strips
that prefix again, so an export imports back unchanged.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
# The first characters a cell needing the prefix can start with: a quick test that lets
# the other cells (nearly all of a large export) pass without a closer look.
FIRST_CHARACTERS = frozenset((*FORMULA_STARTS, PREFIX))


def _needs_prefix(text: str) -> bool:
    # Quotes followed by a formula start are prefixed too, so that reading back can tell
    # the prefix we added from a quote the text really began with.
    return text.lstrip(PREFIX).startswith(FORMULA_STARTS)


def escape_formula(value):
    """The cell as a spreadsheet shows it without running it; non-text values pass through."""
    if isinstance(value, str) and value[:1] in FIRST_CHARACTERS and _needs_prefix(value):
        return PREFIX + value
    return value


def unescape_formula(value):
    """Undo :func:`escape_formula`: drop the prefix only where the export added it."""
    if isinstance(value, str) and value.startswith(PREFIX) and _needs_prefix(value[1:]):
        return value[1:]
    return value
