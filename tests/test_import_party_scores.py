"""Per-party scores and statuses in imports: the G7 file's member scores are kept as each
party's own evidenced assessment, and the scorecard gives back what the file gives."""

import csv
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from commitments.importing import Mapping, import_file
from commitments.importing.mapping import MappingError
from commitments.models import Commitment, Party, PartyAssessment
from commitments.selectors.scorecard import scorecard_rows

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "datasets" / "g7_g20_compliance" / "g7_compliance_sample.csv"
FULL = ROOT.parent / "shared" / "data" / "g7_g20_compliance" / "g7_compliance_1975-2020.csv"
G7 = ROOT / "examples" / "mappings" / "g7_compliance.json"


def import_g7(path: Path, **kwargs):
    return import_file(path.read_bytes(), path.name, mapping=Mapping.load(G7), **kwargs)


def expected_from_file(path: Path, column: str, year: str | None = None) -> tuple[float, float]:
    """The member's mean score and percentage as the file gives them, read with nothing
    of the tracker: every -1, 0 or 1 in its column (blank and - are not assessed)."""
    scores = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            if year is not None and record["year"].strip() != year:
                continue
            token = record[column].strip().replace("\u2212", "-")
            if token in ("", "-"):
                continue
            scores.append(int(token))
    mean = sum(scores) / len(scores)
    return mean, (mean + 1) / 2 * 100


def scorecard(**filters):
    from commitments.filters import CommitmentFilterSet

    scope = CommitmentFilterSet(filters, queryset=Commitment.objects.all()).qs
    return {row["slug"]: row for row in scorecard_rows(scope)}


def test_it_keeps_each_members_score_as_its_own_evidenced_assessment(db):
    result = import_g7(SAMPLE, skip_invalid=False)
    assert result.written and not result.rejected
    climate = Commitment.objects.get(external_id="g7:1989-21 (AL)")
    italy = Party.objects.get(commitment=climate, actor__name="Italy")
    us = Party.objects.get(commitment=climate, actor__name="United States")
    assert (italy.status, italy.score) == ("partially_achieved", 0)
    assert (us.status, us.score) == ("broken", -1)
    entry = PartyAssessment.objects.get(party=us)
    assert (entry.effective_on, entry.effective_precision) == (dt.date(1989, 1, 1), "year")
    evidence = entry.evidence.get()
    assert evidence.title.endswith("(g7_compliance_sample.csv, line 4)")
    assert "United States: broken, score -1" in evidence.excerpt
    assert not Party.objects.filter(commitment=climate, actor__name="Russia").exists()


def test_it_titles_a_row_without_text_from_its_year_and_id_and_says_so(db):
    import_g7(SAMPLE, skip_invalid=False)
    made = Commitment.objects.get(external_id="g7:Jan-91")
    assert made.title == "G7 1991 commitment Jan-91"
    assert made.summary == (
        "The file gives no text for this commitment: its title was made from its year and id."
    )
    assert made.quote == ""
    assert Party.objects.get(commitment=made, actor__name="United States").score == -1


def test_it_imports_every_row_sharing_an_id_as_its_own_commitment(db):
    import_g7(SAMPLE, skip_invalid=False)
    ids = sorted(
        Commitment.objects.filter(external_id__startswith="g7:2001-xx").values_list(
            "external_id", flat=True
        )
    )
    assert ids == ["g7:2001-xx", "g7:2001-xx#2", "g7:2001-xx#3", "g7:2001-xx#4", "g7:2001-xx#5"]
    assert Commitment.objects.filter(external_id__startswith="g7:2005-15").count() == 2


def test_a_second_import_records_no_assessment_again(db):
    import_g7(SAMPLE)
    count = PartyAssessment.objects.count()
    second = import_g7(SAMPLE)
    assert (len(second.created), len(second.updated)) == (0, 0)
    assert PartyAssessment.objects.count() == count


@pytest.mark.parametrize(("member", "slug"), [("italy", "italy"), ("japan", "japan")])
def test_the_scorecard_gives_back_the_files_mean_and_percentage(db, member, slug):
    import_g7(SAMPLE, skip_invalid=False)
    mean, percent = expected_from_file(SAMPLE, member)
    row = scorecard()[slug]
    assert row["mean_score"] == pytest.approx(mean)
    assert row["compliance_percent"] == pytest.approx(percent)
    mean, percent = expected_from_file(SAMPLE, member, year="2001")
    row = scorecard(announced_after="2001-01-01", announced_before="2001-12-31")[slug]
    assert row["mean_score"] == pytest.approx(mean)
    assert row["compliance_percent"] == pytest.approx(percent)


@pytest.mark.skipif(
    not (FULL.exists() and os.environ.get("FULL_DATASETS")),
    reason="Imports the whole G7 file (a minute): `make check-datasets` runs it.",
)
def test_the_scorecard_gives_back_the_full_files_figures_for_italy_and_japan(db):
    result = import_g7(FULL, skip_invalid=True)
    assert result.written
    assert not [r for r in result.rejected if r.column.startswith("party")]
    for member in ("italy", "japan"):
        mean, percent = expected_from_file(FULL, member)
        assert scorecard()[member]["mean_score"] == pytest.approx(mean)
        assert scorecard()[member]["compliance_percent"] == pytest.approx(percent)
        mean, percent = expected_from_file(FULL, member, year="2010")
        row = scorecard(announced_after="2010-01-01", announced_before="2010-12-31")[member]
        assert row["mean_score"] == pytest.approx(mean)


def _identity(text: str, **kwargs):
    return import_file(text.encode(), "ours.csv", **kwargs)


HEADER = "title,source,source_date,parties,party_statuses,party_scores\n"


@pytest.mark.parametrize(
    ("statuses", "scores", "message"),
    [
        ("Italy: achieved", "Italy: 2", "'2' is not a compliance score"),
        ("Italy: achieved", "Italy: +", "'+' is not a compliance score"),
        ("Italy: achieved; France: achieved", "Italy: 1", "France is not one of the row's parties"),
        ("Italy: finished", "", "finished"),
    ],
)
def test_it_refuses_a_bad_score_status_or_stranger_and_writes_nothing(
    db, statuses, scores, message
):
    row = f'GCAP,Joint statement,2025-01-10,"Italy; Japan",{statuses},{scores}\n'
    result = _identity(HEADER + row)
    assert not result.written
    assert any(message in r.reason for r in result.rejected)
    assert Commitment.objects.count() == 0


def test_it_refuses_a_score_without_a_status(db):
    result = _identity(HEADER + 'GCAP,Joint statement,2025-01-10,"Italy; Japan",,Italy: 1\n')
    assert [(r.column, r.reason) for r in result.rejected] == [
        ("party_scores", "Italy has a score but no status")
    ]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"party_scores": {"it": "Italy"}}, "party_scores needs score_statuses"),
        ({"score_statuses": {"2": "achieved"}}, "'2' is not a compliance score"),
        ({"repeated_ids": "skip"}, 'repeated_ids is "number"'),
        ({"untitled": "No fields"}, "untitled names at least one of their columns"),
        ({"score_values": {"+": "2"}}, "score_values: '\\+' means '2' is not a compliance score"),
        ({"score_values": {"+": "full"}}, "score_values: '\\+' means 'full' is not a compliance"),
    ],
)
def test_it_refuses_a_mapping_with_bad_party_keys(mapping, message):
    with pytest.raises(MappingError, match=message):
        Mapping.from_dict(mapping)


G20_SAMPLE = SAMPLE.parent / "g20_compliance_sample.csv"
G20 = ROOT / "examples" / "mappings" / "g20_compliance.json"


def file_average(path: Path, external_id: str) -> float:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            if record["id"].strip() == external_id:
                return float(record["average"])
    raise LookupError(external_id)


def test_the_g20_mapping_reads_a_plus_as_full_compliance_as_the_rows_average_shows(db):
    result = import_file(
        G20_SAMPLE.read_bytes(), G20_SAMPLE.name, mapping=Mapping.load(G20), skip_invalid=False
    )
    assert result.written and not result.rejected
    commitment = Commitment.objects.get(external_id="g20:2016-163")
    argentina = Party.objects.get(commitment=commitment, actor__name="Argentina")
    assert (argentina.score, argentina.status) == (1, "achieved")
    # The file's average for the row is -0.7: the mean of its 20 scores only with +1.
    scores = list(Party.objects.filter(commitment=commitment).values_list("score", flat=True))
    assert len(scores) == 20
    assert sum(scores) / len(scores) == pytest.approx(file_average(G20_SAMPLE, "2016-163"))


def test_a_plus_is_refused_where_the_mapping_gives_it_no_meaning(db):
    mapping = json.loads(G20.read_text())
    del mapping["score_values"]
    result = import_file(
        G20_SAMPLE.read_bytes(), G20_SAMPLE.name, mapping=Mapping.from_dict(mapping)
    )
    assert [(r.column, r.reason) for r in result.rejected] == [
        ("party_scores", "'+' is not a compliance score (-1, 0 or +1, or blank)")
    ]
