"""A dataset published year after year (the UK's major projects, 2014–2023) imports as one
commitment per project with one history: one entry per rating change, dated by the data,
with the file as evidence and the dataset's own rating kept; in any order, and again.

The samples are real rows of four years (tests/fixtures/datasets/uk_gmpp_major_projects,
`uk_<year>_series_sample.csv`; see the README there): 2016 is transposed, 2020 brings ids,
"Type 31e" is called "Type 31" in 2021 under the same id, Crossrail is Red in 2020's data
and its IPA rating is blank in 2022 (the SRO's is used)."""

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from commitments.importing import Mapping, import_file
from commitments.importing.matching import title_key
from commitments.models import Commitment, DeadlineChange, Source, StatusUpdate

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "datasets" / "uk_gmpp_major_projects"
MAPPINGS = ROOT / "examples" / "mappings"
YEARS = (2016, 2020, 2021, 2022)


def load(year: int, *, path: Path | None = None, mapping: dict | None = None):
    path = path or SAMPLES / f"uk_{year}_series_sample.csv"
    data = mapping or json.loads((MAPPINGS / f"uk_gmpp_{year}.json").read_text())
    return import_file(
        path.read_bytes(), path.name, mapping=Mapping.from_dict(data), skip_invalid=True
    )


def history(title: str) -> list[tuple]:
    commitment = Commitment.objects.get(title=title)
    return list(
        commitment.updates.order_by("effective_on").values_list(
            "effective_on", "status", "source_rating", "source_rating_column"
        )
    )


def current() -> dict[str, tuple]:
    return {
        c.external_id: (c.title, c.status, c.deadline)
        for c in Commitment.objects.order_by("external_id")
    }


CURRENT = {
    "gmpp:DECC_0005_1112-Q1": (
        "Geological Disposal Facility Programme (GDF)",
        "in_progress",
        dt.date(2040, 12, 31),
    ),
    "gmpp:DFT_0001_1112-Q1": ("Crossrail Programme", "in_progress", dt.date(2023, 5, 14)),
    "gmpp:MOD_0001_1112-Q1": ("A400M", "in_progress", dt.date(2024, 3, 31)),
    "gmpp:MOD_0112_1718-Q1": ("Type 31e", "in_progress", dt.date(2029, 3, 31)),
}


def test_it_imports_the_years_in_order_as_one_history_per_project(client, db):
    for year in YEARS:
        result = load(year)
        assert result.written and not result.rejected, result.summary()

    assert current() == CURRENT
    assert Commitment.objects.count() == 4
    assert not Commitment.objects.filter(slug__endswith="-2").exists()
    # One entry per change of the dataset's rating, dated by its data, even where our
    # status stays "in progress"; a repeated rating adds nothing.
    assert history("Crossrail Programme") == [
        (dt.date(2015, 9, 30), "in_progress", "Amber/Green", "IPA"),
        (dt.date(2019, 9, 30), "stalled", "Red", "IPA"),
        (dt.date(2021, 3, 31), "stalled", "Amber/red", "IPA"),
        (dt.date(2022, 3, 31), "in_progress", "Amber", "IPA"),
    ]
    assert history("Geological Disposal Facility Programme (GDF)") == [
        (dt.date(2015, 9, 30), "in_progress", "Amber", "IPA"),
        (dt.date(2021, 3, 31), "in_progress", "Green", "IPA"),
        (dt.date(2022, 3, 31), "in_progress", "Amber", "SRO"),
    ]
    # Renamed "Type 31" in 2021 and back in 2022, under one id: one commitment.
    assert history("Type 31e") == [(dt.date(2019, 9, 30), "in_progress", "Amber", "IPA")]
    # Each entry is evidenced by its own file and row.
    red = StatusUpdate.objects.get(source_rating="Red")
    (evidence,) = red.evidence.all()
    assert evidence.title.startswith("Government Major Projects Portfolio data 2020")
    assert "uk_2020_series_sample.csv, line" in evidence.title
    # A moved end date is a recorded slip, with the mapping's reason.
    slips = DeadlineChange.objects.filter(commitment__title="Crossrail Programme")
    assert {s.reason for s in slips} == {"rescheduled"} and slips.exists()
    # The first file that brought a project stays its source.
    assert Commitment.objects.get(title="A400M").source.title.endswith("2016")
    # The page shows the dataset's words and the column they came from.
    page = client.get(Commitment.objects.get(title="Crossrail Programme").get_absolute_url())
    assert "The source's own rating: “Red” (column IPA)" in page.content.decode()


def test_it_gives_the_same_current_state_when_the_years_come_in_reverse(db):
    for year in reversed(YEARS):
        result = load(year)
        assert result.written and not result.rejected, result.summary()

    assert current() == CURRENT
    # Older years join the past; nothing is rolled back, no deadline moved back.
    assert history("Crossrail Programme")[-1] == (
        dt.date(2022, 3, 31),
        "in_progress",
        "Amber",
        "IPA",
    )
    assert not DeadlineChange.objects.exists()


def test_it_changes_nothing_when_any_year_is_imported_again(db):
    for year in YEARS:
        load(year)
    counts = (Commitment.objects.count(), StatusUpdate.objects.count())
    slips = DeadlineChange.objects.count()
    stamps = dict(Commitment.objects.values_list("pk", "updated_at"))
    for year in (*YEARS, 2016):
        again = load(year)
        assert (len(again.created), len(again.updated), len(again.rejected)) == (0, 0, 0)
    assert (Commitment.objects.count(), StatusUpdate.objects.count()) == counts
    assert DeadlineChange.objects.count() == slips
    assert dict(Commitment.objects.values_list("pk", "updated_at")) == stamps


def test_it_says_a_file_looks_transposed_when_the_mapping_does_not(db):
    mapping = json.loads((MAPPINGS / "uk_gmpp_2016.json").read_text())
    del mapping["transposed"]
    result = load(2016, mapping=mapping)
    assert "looks transposed" in result.file_error
    assert '"transposed": true' in result.file_error
    assert not Commitment.objects.exists()


def test_it_reads_a_transposed_file_one_column_per_project(db):
    result = load(2016)
    assert [o.line for o in result.created] == [2, 3, 4]  # spreadsheet columns B, C, D
    assert Commitment.objects.get(title="A400M").parties.get().actor.name == "MOD"


def _uk_row(tmp_path: Path, name: str, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / name
    lines = ["project_number;project_name;department;colour_rating"]
    lines += [f"{number};{title};MOD;{rating}" for number, title, rating in rows]
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    return path


def _uk_mapping(year: int) -> dict:
    mapping = json.loads((MAPPINGS / f"uk_gmpp_{year}.json").read_text())
    mapping["columns"] = {
        "project_number": "external_id",
        "project_name": "title",
        "department": "parties",
        "colour_rating": "status",
    }
    mapping["evidence_columns"] = ["colour_rating"]
    return mapping


def test_it_refuses_a_row_whose_id_and_title_name_two_commitments(tmp_path, db):
    first = _uk_row(tmp_path, "a.csv", [("MOD_1", "Alpha", "Amber"), ("", "Beta", "Red")])
    assert load(2021, path=first, mapping=_uk_mapping(2021)).written
    # Its id is Alpha's, its title Beta's (imported without an id): neither is overwritten.
    clash = _uk_row(tmp_path, "b.csv", [("MOD_1", "Beta", "Green")])
    result = load(2022, path=clash, mapping=_uk_mapping(2022))
    (refused,) = result.rejected
    assert "names two commitments" in refused.reason
    assert sorted(Commitment.objects.values_list("title", "status")) == [
        ("Alpha", "in_progress"),
        ("Beta", "stalled"),
    ]


def test_it_matches_ids_as_the_dataset_writes_them_in_other_years(tmp_path, db):
    assert load(
        2021, path=_uk_row(tmp_path, "a.csv", [("DOH_7", "X", "Amber")]), mapping=_uk_mapping(2021)
    ).written
    assert load(
        2022, path=_uk_row(tmp_path, "b.csv", [("dh_7", "X", "Red")]), mapping=_uk_mapping(2022)
    ).written
    assert list(Commitment.objects.values_list("external_id", "status")) == [
        ("gmpp:DH_7", "stalled")
    ]


def _id_less(tmp_path: Path, name: str, titles: list[str]) -> Path:
    return _uk_row(tmp_path, name, [("", title, "Amber") for title in titles])


def test_it_finds_a_project_renamed_by_a_closing_programme_or_a_parenthesised_acronym(tmp_path, db):
    first = _id_less(tmp_path, "a.csv", ["Crossrail", "Smarter Working Programme", "Wildcat"])
    assert len(load(2021, path=first, mapping=_uk_mapping(2021)).created) == 3
    later = _uk_row(
        tmp_path,
        "b.csv",
        [
            ("DFT_1", "Crossrail Programme", "Red"),
            ("", "Smarter Working Programme (SWP)", "Red"),
            ("", "Wildcat Project", "Red"),
        ],
    )
    result = load(2022, path=later, mapping=_uk_mapping(2022))
    assert (len(result.created), len(result.updated)) == (0, 3)
    assert sorted(Commitment.objects.values_list("title", "external_id", "status")) == [
        ("Crossrail Programme", "gmpp:DFT_1", "stalled"),
        ("Smarter Working Programme (SWP)", "", "stalled"),
        ("Wildcat Project", "", "stalled"),
    ]
    # Both names now find it, in either year's file.
    again = load(2021, path=first, mapping=_uk_mapping(2021))
    assert (len(again.created), len(again.rejected)) == (0, 0)


def test_it_keeps_apart_two_titles_of_one_file_that_differ_only_in_brackets(tmp_path, db):
    assert load(2021, path=_id_less(tmp_path, "a.csv", ["BT LSP"]), mapping=_uk_mapping(2021))
    split = _id_less(tmp_path, "b.csv", ["BT LSP (London)", "BT LSP (South)"])
    result = load(2022, path=split, mapping=_uk_mapping(2022))
    assert (len(result.created), len(result.rejected)) == (2, 0)
    assert Commitment.objects.count() == 3


def test_a_looser_match_yields_to_an_exact_title_or_another_id(tmp_path, db):
    first = _uk_row(tmp_path, "a.csv", [("", "Crossrail", "Amber"), ("MOD_9", "Typhoon", "Amber")])
    assert load(2021, path=first, mapping=_uk_mapping(2021)).written
    later = _uk_row(
        tmp_path,
        "b.csv",
        [
            ("", "Crossrail Programme", "Red"),  # before the exact title that claims it
            ("", "Crossrail", "Red"),
            ("MOD_10", "Typhoon Programme", "Red"),  # the looser key's commitment has MOD_9
        ],
    )
    result = load(2022, path=later, mapping=_uk_mapping(2022))
    assert (len(result.created), len(result.updated), len(result.rejected)) == (2, 1, 0)
    assert Commitment.objects.count() == 4


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_it_follows_the_mappings_series_aliases_in_either_order(order, tmp_path, db):
    old = (2021, _id_less(tmp_path, "a.csv", ["Puma Helicopter Life Extension Programme"]))
    new = (2022, _id_less(tmp_path, "b.csv", ["PUMA"]))
    renamed = _uk_mapping(2022)
    renamed["series_aliases"] = {"PUMA": "Puma Helicopter Life Extension Programme"}
    for year, path in [old, new] if order == "old first" else [new, old]:
        mapping = renamed if year == 2022 else _uk_mapping(2021)
        assert load(year, path=path, mapping=mapping).written
    assert Commitment.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"series_aliases": {"PUMA": "Puma"}}, "give the series too"),
        ({"series": "uk", "series_aliases": {"PUMA": "puma"}}, "names no other title"),
        ({"series": "uk", "series_aliases": {"PUMA": "..."}}, "names no other title"),
    ],
)
def test_it_refuses_series_aliases_that_cannot_be_followed(data, message):
    from commitments.importing.mapping import MappingError

    with pytest.raises(MappingError, match=message):
        Mapping.from_dict({"columns": {"name": "title"}, **data})


def test_it_matches_a_title_only_within_its_own_source(tmp_path, db):
    """Rows without an id or slug never reach into another dataset, nor into a title
    that only starts the same way."""
    stem = "Negotiate an agreement on early learning and child care, province by province, "
    path = tmp_path / "first.csv"
    path.write_text(
        "title,source,parties\n"
        f'"{stem}starting with Nova Scotia",Mandate letters,Canada\n'
        f'"{stem}starting with Yukon",Mandate letters,Canada\n'
    )
    assert import_file(path.read_bytes(), path.name).written
    other = tmp_path / "other.csv"
    other.write_text(f'title,source,parties\n"{stem}starting with Yukon",A newspaper,Italy\n')
    result = import_file(other.read_bytes(), other.name)
    assert result.written and len(result.created) == 1
    assert Commitment.objects.count() == 3
    originals = Commitment.objects.filter(source__title="Mandate letters")
    assert {c.parties.get().actor.name for c in originals} == {"Canada"}
    assert Source.objects.count() == 2


SHARED = ROOT.parent / "shared" / "data" / "uk_gmpp_major_projects"


@pytest.mark.skipif(
    not SHARED.exists(), reason="The full UK files (../shared/data) are not on this machine."
)
@pytest.mark.skipif(
    not os.environ.get("FULL_DATASETS"),
    reason="Imports ten full UK files (a minute and a half): `make check-datasets` runs it.",
)
def test_every_shipped_dataset_of_the_uk_series_gives_one_commitment_per_project(db):
    for year in range(2014, 2024):
        path = SHARED / f"uk_{year}.csv"
        result = import_file(
            path.read_bytes(),
            path.name,
            mapping=Mapping.load(MAPPINGS / f"uk_gmpp_{year}.json"),
            skip_invalid=True,
        )
        assert result.written, result.summary()
        assert len({r.line for r in result.rejected}) <= 2, [r.reason for r in result.rejected]
    titles = Counter(title_key(t) for t in Commitment.objects.values_list("title", flat=True))
    assert [t for t, n in titles.items() if n > 1] == []
    for commitment in Commitment.objects.prefetch_related("updates"):
        entries = sorted(commitment.updates.all(), key=lambda u: u.effective_on)
        dated = [u.effective_on for u in entries]
        assert len(set(dated)) == len(dated), commitment.title
    # Renamed projects are one commitment: by the looser series key in years without ids
    # ("Crossrail" in 2014, "Crossrail Programme" from 2016), by the mappings' aliases.
    assert Commitment.objects.count() == 599
    for names in [
        ("Crossrail", "Crossrail Programme"),
        ("Puma Helicopter Life Extension Programme", "PUMA"),
    ]:
        (project,) = Commitment.objects.filter(title__in=names)
        assert project.title == names[-1]  # the newest file's name


def test_the_service_records_a_new_source_rating_under_the_same_status(make, db):
    from django.core.exceptions import ValidationError

    from commitments import services

    commitment = make.commitment("Build a railway")
    evidence = make.evidence(commitment)

    def record(rating: str, day: dt.date):
        return services.record_status_update(
            commitment=commitment,
            status="in_progress",
            effective_on=day,
            rationale="As the dataset says.",
            evidence=[evidence],
            by=None,
            source_rating=rating,
            source_rating_column="IPA",
        )

    record("Green", dt.date(2020, 3, 31))
    changed = record("Amber/Green", dt.date(2021, 3, 31))  # our status stays "in progress"
    assert (changed.source_rating, changed.source_rating_column) == ("Amber/Green", "IPA")
    with pytest.raises(ValidationError, match="changes nothing"):
        record("amber/green ", dt.date(2022, 3, 31))  # the same words, another case
    assert commitment.updates.count() == 2


@pytest.mark.parametrize("year", [2014, 2015, 2016, 2017])
def test_it_reads_the_transposed_years_slash_dates_day_first(year, tmp_path, db):
    # The 2014-2017 files write dates as dd/mm/yyyy; a day that fits both orders
    # (04/05/2008) is 4 May, as the files mean, not refused as ambiguous.
    text = (SAMPLES / "uk_2016_series_sample.csv").read_bytes().decode("cp1252")
    assert text.count("30/06/2008") == 1
    path = tmp_path / f"uk_{year}.csv"
    path.write_bytes(text.replace("30/06/2008", "04/05/2008").encode("cp1252"))
    data = json.loads((MAPPINGS / "uk_gmpp_2016.json").read_text())
    data["day_order"] = json.loads((MAPPINGS / f"uk_gmpp_{year}.json").read_text())["day_order"]
    result = load(2016, path=path, mapping=data)
    assert not result.rejected
    first = Commitment.objects.get(title=result.created[0].title)
    assert first.announced_on == dt.date(2008, 5, 4)
