import datetime as dt

import pytest
import time_machine

from commitments import dates
from commitments.choices import Precision

D = dt.date


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        (D(2035, 6, 1), Precision.YEAR, "by 2035"),
        (D(2025, 9, 12), Precision.MONTH, "by Sep 2025"),
        (D(2026, 8, 1), Precision.QUARTER, "by Q3 2026"),
        (D(2026, 3, 12), Precision.DAY, "by 12 Mar 2026"),
        (None, "", "No deadline"),
    ],
)
def test_it_displays_deadlines_as_people_say_them(day, precision, expected):
    assert dates.format_deadline(day, precision) == expected


@pytest.mark.parametrize(
    ("day", "precision", "end"),
    [
        (D(2035, 3, 3), Precision.YEAR, D(2035, 12, 31)),
        (D(2026, 8, 15), Precision.QUARTER, D(2026, 9, 30)),
        (D(2026, 11, 2), Precision.QUARTER, D(2026, 12, 31)),
        (D(2024, 2, 10), Precision.MONTH, D(2024, 2, 29)),
        (D(2026, 3, 12), Precision.DAY, D(2026, 3, 12)),
    ],
)
def test_it_finds_the_end_of_each_period(day, precision, end):
    assert dates.period_end(day, precision) == end


@pytest.mark.parametrize(
    ("day", "precision", "start"),
    [
        (D(2035, 3, 3), Precision.YEAR, D(2035, 1, 1)),
        (D(2026, 8, 15), Precision.QUARTER, D(2026, 7, 1)),
        (D(2025, 9, 30), Precision.MONTH, D(2025, 9, 1)),
    ],
)
def test_it_finds_the_start_of_each_period(day, precision, start):
    assert dates.period_start(day, precision) == start


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_it_describes_the_distance_to_a_deadline():
    today = dt.date.today()
    assert dates.describe_distance(D(2035, 12, 31), today) == "in 9 years"
    assert dates.describe_distance(D(2026, 3, 11), today) == "in 10 days"
    assert dates.describe_distance(D(2025, 9, 30), today) == "5 months overdue"
    assert dates.describe_distance(today, today) == "due today"
