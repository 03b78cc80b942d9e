"""Each party's own status and score travel in the export's columns and come back when
the export is imported into an empty database."""

import csv
import datetime as dt
import io

import pytest

from commitments.importing import import_file
from commitments.models import Party
from commitments.services.assessments import record_party_assessment
from tests.test_export import body, empty_database

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def assessed(make):
    italy, japan, uk = make.actor("Italy"), make.actor("Japan"), make.actor("United Kingdom")
    source = make.source("Joint statement", url="https://example.org/js", date=dt.date(2024, 2, 5))
    gcap = make.commitment(
        "Fly a demonstrator", slug="gcap", parties=[italy, japan, uk], source=source
    )
    evidence = make.evidence(gcap)
    for actor, status, score, day, precision in (
        (italy, "achieved", 1, dt.date(2025, 1, 1), "year"),
        (japan, "in_progress", None, dt.date(2025, 9, 1), "month"),
    ):
        record_party_assessment(
            commitment=gcap,
            actor=actor,
            status=status,
            score=score,
            effective_on=day,
            effective_precision=precision,
            rationale="Report.",
            evidence=[evidence],
            by=None,
        )
    return gcap


def parties():
    return sorted(
        (p.actor.name, p.status, p.score, *_latest(p))
        for p in Party.objects.select_related("actor")
    )


def _latest(party):
    entry = party.assessments.not_corrected().newest_first().first()
    return (entry.effective_on, entry.effective_precision) if entry else (None, "")


def test_the_csv_carries_each_partys_status_since_its_date_and_score(client, assessed):
    text = body(client.get("/commitments/export.csv"))
    assert "Italy: achieved since 2025; Japan: in_progress since September 2025" in text
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["party_scores"] == "Italy: 1"


@pytest.mark.parametrize("name", ["csv", "json"])
def test_an_export_imported_into_an_empty_database_reproduces_them(client, assessed, name):
    before = parties()
    exported = body(client.get(f"/commitments/export.{name}")).encode()
    empty_database()
    result = import_file(exported, f"commitments.{name}")
    assert result.written, result.rejected
    assert parties() == before
    again = import_file(exported, f"commitments.{name}")
    assert (len(again.created), len(again.updated)) == (0, 0)
