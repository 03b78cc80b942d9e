"""The spreadsheet formula rule, at its edges: what is prefixed and what comes back."""

import pytest

from commitments.formulas import escape_formula, unescape_formula


@pytest.mark.parametrize(
    "cell", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx", "=", "'=x", "''+1"]
)
def test_it_round_trips_every_cell(cell):
    assert unescape_formula(escape_formula(cell)) == cell


@pytest.mark.parametrize("cell", ["=HYPERLINK()", "+1", "-1", "@x", "\tx", "\rx"])
def test_it_prefixes_cells_that_start_a_formula(cell):
    assert escape_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Japan", "", " =x", "1-2", "'quoted'", "’=x", "''"])
def test_it_leaves_other_cells_alone(cell):
    assert escape_formula(cell) == cell
    assert unescape_formula(cell) == cell


def test_it_passes_non_text_values_through():
    assert escape_formula(None) is None
    assert escape_formula(-3) == -3
    assert unescape_formula(5) == 5
