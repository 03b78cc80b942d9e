"""Fixtures shared by the API tests (imported by the tests/test_api*.py modules)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield
