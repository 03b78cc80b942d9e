"""The clock of the analyst's tests: 10 March 2026, 09:00 UTC, held still by the
`frozen_clock` fixture (tests/conftest.py) so that "today" and every recorded time are known."""

import datetime as dt

NOW = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
