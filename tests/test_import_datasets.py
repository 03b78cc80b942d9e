"""Real samples from four public datasets import with their mappings, untouched.

The samples live in tests/fixtures/datasets/ (see the README in each folder). When
the full datasets are on this machine (../shared/data), they are imported too."""

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from commitments.importing import Mapping, import_file
from commitments.models import Actor, Commitment, SeriesTitle, Source, StatusUpdate
from commitments.services import latest_update

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "tests" / "fixtures" / "datasets"
MAPPINGS = ROOT / "examples" / "mappings"

SAMPLES = {
    "uk_2023": ("uk_gmpp_major_projects/uk_2023_sample.csv", "uk_gmpp_2023.json"),
    "uk_2018": ("uk_gmpp_major_projects/uk_2018_sample.csv", "uk_gmpp_2018.json"),
    "uk_2019": ("uk_gmpp_major_projects/uk_2019_sample.csv", "uk_gmpp_2019.json"),
    "uk_2020": ("uk_gmpp_major_projects/uk_2020_sample.csv", "uk_gmpp_2020.json"),
    "canada": (
        "canada_mandate_commitments/2021-mandate-commitments_sample.csv",
        "canada_mandate_2021.json",
    ),
    "canada_2025": (
        "canada_mandate_commitments/consolidated_2025_sample.csv",
        "canada_lpc_2025.json",
    ),
    "canada_2025_platform": (
        "canada_mandate_commitments/2025-LPC-platform_sample.csv",
        "canada_lpc_platform_2025.json",
    ),
    "malaysia": ("openpromises_malaysia/promises_sample.json", "malaysia_openpromises.json"),
    "g7": ("g7_g20_compliance/g7_compliance_sample.csv", "g7_compliance.json"),
    "g20": ("g7_g20_compliance/g20_compliance_sample.csv", "g20_compliance.json"),
}


def load(name, **kwargs):
    sample, mapping = SAMPLES[name]
    path = DATASETS / sample
    return import_file(
        path.read_bytes(),
        path.name,
        mapping=Mapping.load(MAPPINGS / mapping),
        skip_invalid=kwargs.pop("skip_invalid", True),
        **kwargs,
    )


@pytest.mark.parametrize("name", SAMPLES)
def test_it_imports_each_sample_twice_without_changing_anything_the_second_time(name, db):
    first = load(name)
    assert first.written and not first.file_error
    assert len(first.created) >= 8
    commitments = Commitment.objects.count()
    history = StatusUpdate.objects.count()
    stamps = dict(Commitment.objects.values_list("pk", "updated_at"))
    second = load(name)
    assert (len(second.created), len(second.updated)) == (0, 0)
    assert len(second.unchanged) == len(first.created)
    assert Commitment.objects.count() == commitments
    assert StatusUpdate.objects.count() == history
    assert dict(Commitment.objects.values_list("pk", "updated_at")) == stamps


@pytest.mark.parametrize("name", SAMPLES)
def test_it_writes_nothing_from_a_messy_file_unless_told_to_skip_invalid_rows(name, db):
    result = load(name, skip_invalid=False)
    if result.rejected:
        assert not result.written
        assert Commitment.objects.count() == 0
    else:
        assert result.written


def test_it_reads_the_uk_2023_file_in_cp1252_with_semicolons_and_exemptions(db):
    result = load("uk_2023")
    assert result.rejected == []
    # The IPA rating is used when given, the SRO rating otherwise.
    ipa = Commitment.objects.get(external_id="gmpp:CO_0028_2021-Q4")
    sro = Commitment.objects.get(external_id="gmpp:CO_0024_2021-Q2")
    assert (ipa.status, sro.status) == ("stalled", "in_progress")
    assert (sro.deadline, sro.deadline_precision) == (dt.date(2024, 9, 30), "day")
    exempt_rating = Commitment.objects.get(external_id="gmpp:BEIS_0018_2122-Q1")
    assert exempt_rating.status == "not_rated"
    assert exempt_rating.deadline == dt.date(2030, 12, 31)
    assert sro.parties.get().role == "lead"
    raw = (DATASETS / SAMPLES["uk_2023"][0]).read_bytes()
    assert b"\xa3" in raw  # "£" in Windows-1252, so not valid UTF-8
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_it_imports_withheld_dates_as_notes_without_a_date(db):
    result = load("uk_2023", skip_invalid=False)

    assert result.written and result.rejected == []
    both = Commitment.objects.get(external_id="gmpp:DEFRA_0015_2122-Q1")
    assert (both.announced_on, both.deadline) == (None, None)
    exempt = (
        "Exempt under Section 43 of the Freedom of Information Act 2000 (Commercial "
        "Interests) - Commercial interests."
    )
    assert both.notes.splitlines() == [
        f"Announced not given in the source: {exempt}",
        f"Deadline not given in the source: {exempt}",
        f"Status not given in the source: {exempt}",  # a withheld rating is not a rating
    ]
    early = Commitment.objects.get(external_id="gmpp:DFE_0018_2021-Q3")
    assert (early.announced_on, early.deadline) == (dt.date(2020, 11, 1), None)
    assert early.notes.startswith("Deadline not given in the source: Early planning GMPP project")
    assert "\n" not in early.notes  # the cell's line breaks are folded into one line
    dated = Commitment.objects.get(external_id="gmpp:CO_0024_2021-Q2")
    assert dated.notes == ""


def test_it_keeps_a_withheld_note_once_when_the_file_is_imported_again(db):
    load("uk_2023")
    notes = dict(Commitment.objects.values_list("external_id", "notes"))

    again = load("uk_2023")

    assert len(again.updated) == 0
    assert dict(Commitment.objects.values_list("external_id", "notes")) == notes


def test_it_reads_two_digit_years_in_the_uk_2018_file(db):
    load("uk_2018")
    gdf = Commitment.objects.get(title__startswith="Geological Disposal Facility")
    assert gdf.deadline == dt.date(2040, 12, 31)
    assert gdf.status == "stalled"
    assert gdf.parties.get().actor.name == "BEIS"


def test_it_keeps_canadian_minister_titles_whole_and_shortens_long_titles(db):
    result = load("canada")
    # The run-together title of line 4 is mapped onto the title it repeats.
    assert not result.rejected
    assert "Reporting Lead" not in result.ignored_columns
    assert Actor.objects.filter(
        name="Minister of International Trade, Export Promotion, Small Business and Economic Development"
    ).exists()
    longest = max(Commitment.objects.all(), key=lambda c: len(c.summary))
    assert len(longest.summary) > 300
    assert len(longest.title) <= 300 and longest.title.endswith("…")
    tax_credit = Commitment.objects.get(external_id="ca-mlc-105")
    assert sorted((p.actor.name, p.role) for p in tax_credit.parties.all()) == [
        ("Deputy Prime Minister and Minister of Finance", "lead"),
        ("Minister of National Revenue", "partner"),
    ]


def test_it_reads_the_malaysian_json_keyed_by_id_with_free_text_statuses(db):
    result = load("malaysia")
    assert not result.rejected
    statuses = dict(
        Commitment.objects.values_list("external_id", "status").filter(
            external_id__startswith="openpromises:"
        )
    )
    assert set(statuses.values()) == {"not_rated", "in_progress", "partially_achieved", "achieved"}
    assert Actor.objects.filter(name="Najib Razak").exists()
    flights = Commitment.objects.get(external_id="openpromises:-LAczEmn1d723-Q56qch")
    assert sorted(flights.themes.values_list("name", flat=True)) == [
        "Development",
        "Infrastructure",
        "Tourism",
    ]
    assert flights.parties.get().actor.name == "Abang Johari"
    # The promise's own date is its announcement; the outlet it cites is a press report,
    # undated, since it is cited on many days.
    assert (flights.announced_on, flights.announced_precision) == (dt.date(2018, 1, 1), "day")
    assert flights.source.date is None and flights.source.kind == "press_report"


def test_it_unpivots_g7_member_columns_and_numbers_repeated_ids(db):
    result = load("g7", skip_invalid=False)
    assert not result.rejected and result.written
    assert Commitment.objects.filter(external_id__startswith="g7:2001-xx").count() == 5
    climate = Commitment.objects.get(external_id="g7:1989-21 (AL)")
    assert climate.themes.get().name == "Climate Change"  # the header carried a BOM
    assert climate.parties.count() == 7  # Russia and the EU were not scored
    assert (climate.announced_on, climate.announced_precision) == (dt.date(1989, 1, 1), "year")
    assert Commitment.objects.filter(external_id="g7:2020-1").exists()


def test_it_trims_g20_ids_numbers_the_repeated_2018_47_and_reads_a_plus_as_plus_one(db):
    result = load("g20", skip_invalid=False)
    assert result.written and not result.rejected
    plus = Commitment.objects.get(external_id="g20:2016-163")
    assert plus.parties.get(actor__name="Argentina").score == 1
    assert Commitment.objects.filter(external_id__in=["g20:2018-47", "g20:2018-47#2"]).count() == 2
    washington = Commitment.objects.get(external_id="g20:2008W-4")
    assert washington.parties.count() == 20
    assert washington.title.startswith("[As immediate steps")


def test_it_unescapes_literal_escapes_in_the_canadian_2025_file(db):
    result = load("canada_2025")
    assert not result.rejected
    assert Actor.objects.filter(name__contains="King’s Privy Council").exists()
    assert not Actor.objects.filter(name__contains="\\u2019").exists()
    assert not Actor.objects.filter(name="N/A").exists()
    first = Commitment.objects.get(external_id="ca-2025-LPC-001")
    assert first.parties.get(role="lead").actor.name.startswith("President of the King’s")
    assert Commitment.objects.get(external_id="ca-2025-SFT_ONLY_001").parties.count() == 0


def assert_every_rating_is_evidenced_and_current():
    """The invariants an import keeps: a rated commitment has evidence, every history
    entry that rates has evidence, and the status is its latest entry's."""
    rated = Commitment.objects.exclude(status="not_rated")
    assert not [c.title for c in rated if not c.evidence.exists()]
    assert not StatusUpdate.objects.exclude(status="not_rated").filter(evidence__isnull=True)
    for commitment in Commitment.objects.all():
        latest = latest_update(commitment)
        expected = (latest.status, latest.progress) if latest else ("not_rated", None)
        assert (commitment.status, commitment.progress) == expected, commitment.title


@pytest.mark.parametrize("name", SAMPLES)
def test_it_evidences_every_status_it_imports(name, db):
    result = load(name)
    assert result.written
    assert_every_rating_is_evidenced_and_current()
    assert result.statuses == StatusUpdate.objects.count()


def test_it_quotes_the_rating_and_names_the_file_and_line_in_the_evidence(db):
    load("uk_2023")
    sro = Commitment.objects.get(external_id="gmpp:CO_0024_2021-Q2")
    update = sro.updates.get()
    evidence = update.evidence.get()
    assert (
        evidence.title
        == "Government Major Projects Portfolio data 2023 (uk_2023_sample.csv, line 2)"
    )
    assert evidence.url == "https://www.gov.uk/government/collections/major-projects-data"
    assert evidence.excerpt.startswith("colour_rating#2: Amber\nrating_comment: Compared to")
    assert (evidence.kind, evidence.reliability) == ("dataset", "primary")
    assert (update.effective_on, update.effective_precision) == (dt.date(2023, 3, 31), "day")


def test_it_dates_each_uk_year_by_its_own_ratings_so_the_trend_survives(client, db):
    for year in ("uk_2018", "uk_2019", "uk_2020"):
        assert load(year).written
    gdf = Commitment.objects.get(title__startswith="Geological Disposal Facility")
    history = list(
        gdf.updates.order_by("effective_on", "recorded_at", "id").values_list(
            "effective_on", "status", "source_rating"
        )
    )
    # One entry per rating change: Amber in 2019 and again in 2020 is one entry.
    assert history == [
        (dt.date(2017, 9, 30), "stalled", "Amber/Red"),
        (dt.date(2018, 9, 30), "in_progress", "Amber"),
    ]
    # Matched by title in 2019, then by title again when 2020 brings project ids.
    assert gdf.external_id.startswith("gmpp:")
    # A past day shows the rating that held then.
    assert Commitment.objects.on(dt.date(2018, 1, 1)).get(pk=gdf.pk).status_as_of == "stalled"
    listed = client.get("/commitments/", {"as_of": "2018-12-31", "q": "Geological"})
    assert [c.status_as_of for c in listed.context["commitments"]] == ["in_progress"]
    assert_every_rating_is_evidenced_and_current()


def test_the_command_dates_a_file_from_effective_on_the_command_line(tmp_path, db):
    from django.core.management import call_command

    mapping = tmp_path / "uk.json"
    data = json.loads((MAPPINGS / "uk_gmpp_2018.json").read_text())
    del data["defaults"]["effective"]
    mapping.write_text(json.dumps(data))
    sample = DATASETS / SAMPLES["uk_2018"][0]
    call_command(
        "import_commitments",
        str(sample),
        "--map",
        str(mapping),
        "--effective",
        "Q3 2017",
        "--skip-invalid",
        "--no-progress",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    dates = set(StatusUpdate.objects.values_list("effective_on", "effective_precision"))
    assert dates == {(dt.date(2017, 7, 1), "quarter")}


SHARED = ROOT.parent / "shared" / "data"
FULL = [
    ("uk_gmpp_major_projects/uk_2014.csv", "uk_gmpp_2014.json"),
    ("uk_gmpp_major_projects/uk_2015.csv", "uk_gmpp_2015.json"),
    ("uk_gmpp_major_projects/uk_2016.csv", "uk_gmpp_2016.json"),
    ("uk_gmpp_major_projects/uk_2017.csv", "uk_gmpp_2017.json"),
    ("uk_gmpp_major_projects/uk_2018.csv", "uk_gmpp_2018.json"),
    ("uk_gmpp_major_projects/uk_2019.csv", "uk_gmpp_2019.json"),
    ("uk_gmpp_major_projects/uk_2020.csv", "uk_gmpp_2020.json"),
    ("uk_gmpp_major_projects/uk_2021.csv", "uk_gmpp_2021.json"),
    ("uk_gmpp_major_projects/uk_2022.csv", "uk_gmpp_2022.json"),
    ("uk_gmpp_major_projects/uk_2023.csv", "uk_gmpp_2023.json"),
    ("openpromises_malaysia/promises.json", "malaysia_openpromises.json"),
    ("canada_mandate_commitments/2021-mandate-commitments.csv", "canada_mandate_2021.json"),
    ("canada_mandate_commitments/consolidated_2025_LPC_promises_final.csv", "canada_lpc_2025.json"),
    ("g7_g20_compliance/g7_compliance_1975-2020.csv", "g7_compliance.json"),
    ("g7_g20_compliance/g20_compliance_2008-2021.csv", "g20_compliance.json"),
]


@pytest.mark.skipif(
    not (SHARED.exists() and os.environ.get("FULL_DATASETS")),
    reason="Imports the full datasets (half a minute): `make check-datasets` runs it.",
)
def test_every_shipped_dataset_imports_with_every_rating_evidenced(db):
    for data, mapping in FULL:
        path = SHARED / data
        result = import_file(
            path.read_bytes(),
            path.name,
            mapping=Mapping.load(MAPPINGS / mapping),
            skip_invalid=True,
        )
        assert result.written, (data, result.summary())
    assert Commitment.objects.exclude(status="not_rated").count() > 300
    assert_every_rating_is_evidenced_and_current()


def test_it_reads_the_2025_platform_file_with_its_own_mapping(db):
    result = load("canada_2025_platform", skip_invalid=False)

    assert result.written and len(result.created) == 11
    assert result.ignored_columns == ["Reporting Lead Name"]
    assert result.ignored_parties == {"All other Ministers": 1}
    assert not Actor.objects.filter(name="All other Ministers").exists()
    first = Commitment.objects.get(external_id="ca-2025-LPC-001")
    assert first.source.kind == "action_plan"
    lead = first.parties.get(role="lead").actor.name
    assert lead.startswith("President of the King’s Privy Council for Canada")


def test_it_finds_the_consolidated_files_commitments_from_the_platform_file(db):
    load("canada_2025")
    count = Commitment.objects.count()

    again = load("canada_2025_platform")

    # The same ids (LPC-001…): only LPC-346, not in the consolidated sample, is new.
    assert Commitment.objects.count() == count + 1
    assert [outcome.line for outcome in again.created] == [12]


SOURCE_KINDS = {
    "uk_2018": ("dataset", "Infrastructure and Projects Authority"),
    "uk_2023": ("dataset", "Infrastructure and Projects Authority"),
    "canada": ("action_plan", "Prime Minister of Canada"),
    "canada_2025": ("action_plan", "Liberal Party of Canada"),
    "canada_2025_platform": ("action_plan", "Liberal Party of Canada"),
    "malaysia": ("press_report", ""),
    "g7": ("dataset", "G7 Research Group"),
    "g20": ("dataset", "G20 Research Group"),
}


@pytest.mark.parametrize("name", SOURCE_KINDS)
def test_it_gives_each_datasets_sources_their_kind_and_publisher(name, db):
    assert load(name).written
    kinds = set(Source.objects.values_list("kind", "publisher"))
    assert kinds == {SOURCE_KINDS[name]}


def test_it_names_the_major_projects_authority_as_the_publisher_before_2016(db):
    sample = DATASETS / "uk_gmpp_major_projects" / "uk_2016_series_sample.csv"
    for year, publisher in (("2015", "Major Projects Authority"), ("2016", INFRA)):
        mapping = Mapping.load(MAPPINGS / f"uk_gmpp_{year}.json")
        assert mapping.defaults["source_publisher"] == publisher
    result = import_file(
        sample.read_bytes(), sample.name, mapping=Mapping.load(MAPPINGS / "uk_gmpp_2016.json")
    )
    assert result.written
    assert set(Source.objects.values_list("kind", "publisher")) == {("dataset", INFRA)}


INFRA = "Infrastructure and Projects Authority"


def _uk_2018_row_without_a_start_date(start: str = "") -> bytes:
    """The 2018 sample's first project, its start date left blank (or `start`): without
    one, the file is all that says when the project was known."""
    path = DATASETS / "uk_gmpp_major_projects" / "uk_2018_sample.csv"
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"))))
    header, first = rows[0], rows[1]
    first[header.index("start_date")] = start
    out = io.StringIO()
    csv.writer(out).writerows([header, first])
    return out.getvalue().encode("cp1252")


def test_it_rates_a_dataset_project_as_at_its_data_date_but_not_the_day_before(db):
    # The 2018 file, published in 2018, rates its projects as at 30 Sep 2017: its source is
    # dated so, and a project without a start date is known from that day, not before.
    mapping = Mapping.load(MAPPINGS / "uk_gmpp_2018.json")
    before = import_file(
        _uk_2018_row_without_a_start_date(), "uk_2018.csv", mapping=mapping, effective="29.09.2017"
    )
    assert not before.written
    assert "before the source's date (30 Sep 2017)" in str(before.rejected)
    day_of = import_file(_uk_2018_row_without_a_start_date(), "uk_2018.csv", mapping=mapping)
    assert day_of.written
    entry = StatusUpdate.objects.get()
    assert (entry.effective_on, entry.source_rating) == (dt.date(2017, 9, 30), "Amber/Red")
    assert entry.commitment.announced_on is None
    source = Source.objects.get()
    assert (source.title, source.date) == (
        "Government Major Projects Portfolio data 2018",
        dt.date(2017, 9, 30),
    )


def test_it_names_both_dates_and_the_files_column_when_a_start_follows_the_rating(db):
    # Rated as at 30 Sep 2017 but started on 1 Jan 2018: the data contradict each other.
    mapping = Mapping.load(MAPPINGS / "uk_gmpp_2018.json")
    result = import_file(
        _uk_2018_row_without_a_start_date("01.01.18"), "uk_2018.csv", mapping=mapping
    )
    assert not result.written
    reasons = {(r.column, r.file_column): r.reason for r in result.rejected}
    assert "before the announcement (1 Jan 2018)" in reasons[("effective", "")]
    assert reasons[("announced", "start_date")] == (
        "is 1 Jan 2018, after the date of the row's status (30 Sep 2017): a commitment "
        "cannot have a status before it was announced, so one of the two dates is wrong"
    )
    # A start on the rating's own day is no contradiction.
    same_day = _uk_2018_row_without_a_start_date("30.09.17")
    assert import_file(same_day, "uk_2018.csv", mapping=mapping).written


def test_a_refused_row_leaves_no_title_for_the_series_to_match(db):
    # Matched by its id under a new name, then refused (a start after its rating): the new
    # name is not kept as one of the project's titles, so importing again changes nothing.
    mapping = Mapping.load(MAPPINGS / "uk_gmpp_2020.json")
    path = DATASETS / "uk_gmpp_major_projects" / "uk_2020_sample.csv"
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"))))
    header, first = rows[0], rows[1]
    assert import_file(_csv([header, first]), "uk_2020.csv", mapping=mapping).written
    titles = set(SeriesTitle.objects.values_list("key", flat=True))
    first[header.index("project_name")] = "A new name for the programme"
    first[header.index("start_date")] = "01.01.20"
    first[header.index("colour_rating")] = "Red"
    result = import_file(_csv([header, first]), "uk_2020.csv", mapping=mapping, skip_invalid=True)
    assert result.rejected and not result.updated
    assert set(SeriesTitle.objects.values_list("key", flat=True)) == titles


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("cp1252")
