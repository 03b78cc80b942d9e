"""What a row's party, id and source cells make: one actor per name (lists split by the
mapping's separator, placeholders left out or refused, spellings merged), ids to check
flagged, and sources with their kind, found in a bounded number of queries."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.importing import Mapping, import_file
from commitments.models import Actor, Commitment, Source

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "tests" / "fixtures" / "datasets"
MAPPINGS = ROOT / "examples" / "mappings"


def run(content: str, **mapping):
    return import_file(
        content.encode(), "x.csv", mapping=Mapping.from_dict(mapping), skip_invalid=True
    )


def parties_of(title: str) -> list[tuple[str, str]]:
    commitment = Commitment.objects.get(title=title)
    return sorted((p.actor.name, p.role) for p in commitment.parties.all())


# -- lists of actors ---------------------------------------------------------------------------
def test_it_splits_a_party_cell_by_the_mappings_separator(db):
    result = run('title,parties\nA,"Italy, Japan"\n', split={"parties": ","})

    assert not result.rejected
    assert parties_of("A") == [("Italy", "partner"), ("Japan", "partner")]


def test_it_keeps_each_actors_role_in_a_comma_list(db):
    result = run('title,parties\nA,"Italy:lead, Japan:partner"\n', split={"parties": ","})

    assert not result.rejected
    assert parties_of("A") == [("Italy", "lead"), ("Japan", "partner")]


def test_it_refuses_a_name_with_a_comma_when_no_separator_is_named(db):
    result = run('title,parties\nA,"Italy, Japan"\nB,Italy\n')

    (rejection,) = result.rejected
    assert (rejection.line, rejection.column) == (2, "parties")
    assert '{"split": {"parties": ","}}' in rejection.reason
    assert not Actor.objects.filter(name__contains=",").exists()


def test_it_accepts_a_name_with_a_comma_that_is_an_actor_of_the_register(db, make):
    make.actor("Ministry of Economy, Trade and Industry")

    result = run('title,parties\nA,"ministry of economy, trade and industry"\n')

    assert not result.rejected
    assert parties_of("A") == [("Ministry of Economy, Trade and Industry", "partner")]


def test_it_accepts_commas_in_names_when_the_mapping_says_semicolons_separate(db):
    result = run(
        'title,parties\nA,"Minister of Innovation, Science and Industry; Minister of Health"\n',
        split={"parties": ";"},
    )

    assert not result.rejected
    assert parties_of("A") == [
        ("Minister of Health", "partner"),
        ("Minister of Innovation, Science and Industry", "partner"),
    ]


def test_it_refuses_a_role_inside_a_name_whatever_the_separator(db):
    result = run('title,parties\nA,"Italy:lead, Japan:partner"\n', split={"parties": ";"})

    (rejection,) = result.rejected
    assert "'Italy:lead, Japan' has a role inside a name" in rejection.reason
    assert not Actor.objects.exists()


# -- placeholders and spellings ----------------------------------------------------------------
def test_it_refuses_a_placeholder_party_and_names_the_mapping_key(db):
    result = run("title,parties\nA,Italy; nan\n")

    (rejection,) = result.rejected
    assert "'nan' is a placeholder" in rejection.reason
    assert '"ignore_parties": ["nan"]' in rejection.reason


def test_it_leaves_out_the_party_cells_the_mapping_ignores_and_counts_them(db):
    result = run(
        "title,parties\nA,Italy; All other Ministers\nB,nan\n",
        ignore_parties=["nan", "all other ministers"],
    )

    assert not result.rejected
    assert parties_of("A") == [("Italy", "partner")]
    assert parties_of("B") == []
    assert result.ignored_parties == {"All other Ministers": 1, "nan": 1}
    assert "Party cells left out as the mapping asks" in result.summary()
    assert not Actor.objects.filter(name__in=["nan", "All other Ministers"]).exists()


def test_it_merges_spellings_that_differ_only_in_apostrophe_case_or_spacing(db):
    result = run(
        "title,parties\n"
        "A,President of the Queen’s Privy Council\n"
        "B,President of the Queen's  Privy Council\n"
        "C,president of the queen's privy council\n"
    )

    assert not result.rejected
    assert list(Actor.objects.values_list("name", flat=True)) == [
        "President of the Queen’s Privy Council"
    ]


def test_it_uses_the_registers_actor_for_an_alias_or_a_variant(db, make):
    make.actor("Minister of Foreign Affairs", aliases="Ministre of Foreign Affairs")

    result = run("title,parties\nA,Ministre of Foreign Affairs:lead\n")

    assert not result.rejected and not result.new_actors
    assert parties_of("A") == [("Minister of Foreign Affairs", "lead")]


def test_it_merges_the_canadian_ministers_misspelt_title(db):
    path = DATASETS / "canada_mandate_commitments" / "2021-mandate-commitments_sample.csv"
    content = path.read_bytes() + (
        b'9999,"A test commitment naming a misspelt title.",'
        b"Ministre of Foreign Affairs,Ministre of Foreign Affairs\n"
    )

    result = import_file(
        content, path.name, mapping=Mapping.load(MAPPINGS / "canada_mandate_2021.json")
    )

    assert result.written
    assert not Actor.objects.filter(name__startswith="Ministre").exists()
    assert parties_of("A test commitment naming a misspelt title.") == [
        ("Minister of Foreign Affairs", "lead")
    ]


# -- ids to check --------------------------------------------------------------------------------
def test_it_flags_mangled_and_placeholder_ids_and_still_imports_them(db):
    path = DATASETS / "g7_g20_compliance" / "g7_compliance_sample.csv"

    result = import_file(
        path.read_bytes(), path.name, mapping=Mapping.load(MAPPINGS / "g7_compliance.json")
    )

    assert result.written
    flagged = {flag.value for flag in result.flags}
    assert {"g7:Jan-85", "g7:Jan-91", "g7:Apr-91", "g7:2001-xx"} <= flagged
    assert not flagged & {"g7:2005-15", "g7:2020-1"}
    jan = next(flag for flag in result.flags if flag.value == "g7:Jan-85")
    assert "spreadsheet turned into a date" in jan.reason and jan.column == "external_id"
    assert Commitment.objects.filter(external_id="g7:Jan-85").exists()
    assert "Values to check" in result.summary()


# -- sources -------------------------------------------------------------------------------------
def test_it_gives_a_new_source_the_kind_the_mapping_or_the_row_names(db):
    result = run(
        "title,source,source_kind\nA,The Star,\nB,G7 communiqué,Joint statement\nC,Odd,memo\n",
        defaults={"source_kind": "press_report"},
    )

    kinds = dict(Source.objects.values_list("title", "kind"))
    assert kinds == {"The Star": "press_report", "G7 communiqué": "joint_statement"}
    (rejection,) = result.rejected
    assert rejection.column == "source_kind" and "'memo' is not a source kind" in rejection.reason


def _import_one_outlet(rows: int) -> int:
    lines = ["title,source,source_url"] + [
        f"Promise {n},The Star,https://www.thestar.com.my/news/{n}" for n in range(rows)
    ]
    with CaptureQueriesContext(connection) as queries:
        result = import_file("\n".join(lines).encode(), "x.csv")
    assert result.written and len(result.new_sources) == rows
    return len(queries)


def test_it_finds_free_source_slugs_in_a_bounded_number_of_queries(db):
    few = _import_one_outlet(50)
    Commitment.objects.all().delete()
    Source.objects.all().delete()
    many = _import_one_outlet(200)

    # A query per candidate slug made this grow with the square of the rows (about 20,000
    # for 200); now each new source costs the same few queries.
    per_source = (many - few) / 150
    assert per_source <= 2, (few, many)
    assert sorted(Source.objects.values_list("slug", flat=True))[:3] == [
        "the-star",
        "the-star-10",
        "the-star-100",
    ]


@pytest.mark.parametrize("existing", [0, 3])
def test_it_gives_slugs_that_do_not_clash_with_the_registers(db, make, existing):
    for _ in range(existing):
        make.source("The Star")

    import_file(b"title,source,source_url\nA,The Star,https://a.example\n", "x.csv")

    slugs = list(Source.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == existing + 1
