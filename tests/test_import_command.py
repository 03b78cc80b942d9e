"""import_commitments: creating, updating, rejecting, dry runs and reports."""

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commitments.importing import Mapping, MappingError, import_file
from commitments.models import Actor, Commitment, Party, Source, StatusUpdate, Theme
from commitments.services import NewEvidence, record_status_update

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "commitments.csv"
HEADER = "slug,title,themes,parties,deadline,status,progress,external_id,source,effective\n"


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_commitments", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Commitment, Party, Actor, Theme, Source, StatusUpdate)
    }


def test_it_imports_the_example_file(db):
    out, err = run(EXAMPLE)
    assert "5 created, 0 updated, 0 unchanged, 0 rejected" in out
    gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
    assert (gcap.deadline, gcap.deadline_precision) == (dt.date(2035, 12, 31), "year")
    assert gcap.parent.slug == "action-plan-2024-2027"
    assert {(p.actor.name, p.role) for p in gcap.parties.all()} == {
        ("Italy", "lead"),
        ("Japan", "lead"),
        ("United Kingdom", "lead"),
    }
    assert sorted(t.name for t in gcap.themes.all()) == [
        "Defence and security",
        "Technology and industry",
    ]
    assert gcap.source.title == "Decoding the news: Prime Minister Meloni's visit to Japan"
    youth = Commitment.objects.get(external_id="ijap-2024-05")
    assert (youth.deadline, youth.deadline_precision) == (dt.date(2025, 9, 30), "month")
    assert (youth.status, youth.progress) == ("in_progress", 50)
    assert youth.updates.get().status == "in_progress"
    assert youth.source.url == "https://example.org/italy-japan-joint-statement"
    assert Source.objects.count() == 2


def test_it_changes_nothing_when_the_same_file_is_imported_twice(db):
    run(EXAMPLE)
    before = counts()
    stamps = dict(Commitment.objects.values_list("slug", "updated_at"))
    out, _ = run(EXAMPLE)
    assert "0 created, 0 updated, 5 unchanged, 0 rejected" in out
    assert counts() == before
    assert dict(Commitment.objects.values_list("slug", "updated_at")) == stamps


def test_it_accepts_a_byte_order_mark(tmp_path, db):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    out, _ = run(path)
    assert "5 created" in out


def test_it_matches_actors_and_themes_in_any_case_and_reports_new_ones(tmp_path, make):
    make.actor("Italy")
    make.theme("Energy")
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ",Build a grid link,ENERGY; Space,italy:lead; Japan,2030,,,,,\n")
    out, _ = run(path)
    assert "New actors: Japan" in out
    assert "New themes: Space" in out
    commitment = Commitment.objects.get()
    assert Actor.objects.count() == 2
    assert sorted(commitment.themes.values_list("name", flat=True)) == ["Energy", "Space"]


def test_it_reports_every_bad_row_and_writes_nothing(tmp_path, db):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + ",Good row,,Italy,2030,,,,,\n"
        + ",Bad deadline,,Italy,someday,,,,,\n"
        + ",Bad status,,Italy,2030,Amber,,,Report,2026\n"
        + ",,,Italy,2030,,,,,\n"
    )
    rejects = tmp_path / "elsewhere" / "rejected.csv"
    rejects.parent.mkdir()
    with pytest.raises(CommandError, match="Nothing was written"):
        run(path, "--rejects", str(rejects))
    assert Commitment.objects.count() == 0
    assert Actor.objects.count() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "elsewhere"]
    report = list(csv.DictReader(rejects.open()))
    assert [(r["line"], r["column"]) for r in report] == [
        ("3", "deadline"),
        ("4", "status"),
        ("5", "title"),
    ]
    assert "someday" in report[0]["reason"]


def test_it_writes_the_valid_rows_with_skip_invalid_and_a_report_where_asked(tmp_path, db):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + ",Good row,,Italy,2030,,,,,\n,Bad row,,Italy,2030,,140,,Report,2026\n")
    report = tmp_path / "report.csv"
    out, err = run(path, "--skip-invalid", "--report", str(report))
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in out
    assert "line 3, progress" in err
    assert list(Commitment.objects.values_list("title", flat=True)) == ["Good row"]
    assert "3,progress,Progress must be between 0 and 100.,Bad row" in report.read_text()


def test_it_reports_in_a_dry_run_exactly_what_a_real_run_does(tmp_path, make):
    make.commitment("Existing", slug="existing", external_id="e-1")
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER
        + "existing,Existing renamed,,,2031,,,e-1,,\n"
        + ",New one,,Italy,2030,,,,,\n"
        + ",Broken,,Italy,whenever,,,,,\n"
    )
    dry = import_file(path.read_bytes(), "in.csv", dry_run=True, skip_invalid=True)
    assert Commitment.objects.count() == 1
    assert Commitment.objects.get().title == "Existing"
    real = import_file(path.read_bytes(), "in.csv", skip_invalid=True)
    for attribute in ("created", "updated", "unchanged", "rejected", "new_actors"):
        assert getattr(dry, attribute) == getattr(real, attribute)
    assert [o.slug for o in real.created] == ["new-one"]
    assert real.updated[0].changes == ["title", "deadline", "deadline_precision"]
    assert not dry.written and real.written


def test_it_records_a_status_change_as_history_and_keeps_status_consistent(tmp_path, make):
    commitment = make.commitment("Grid", slug="grid")
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "grid,Grid,,,,stalled,10,,Ministry report,Q1 2026\n")
    run(path)
    commitment.refresh_from_db()
    latest = StatusUpdate.objects.filter(commitment=commitment).newest_first().first()
    assert (commitment.status, commitment.progress) == ("stalled", 10)
    assert (latest.status, latest.previous_status, latest.progress) == ("stalled", "not_rated", 10)
    assert (latest.effective_on, latest.effective_precision) == (dt.date(2026, 1, 1), "quarter")
    assert "in.csv, line 2" in latest.rationale
    evidence = latest.evidence.get()
    assert evidence.title == "Ministry report (in.csv, line 2)"
    assert evidence.excerpt == "status: stalled"


def test_it_upserts_by_external_id_and_then_by_slug(tmp_path, make):
    make.commitment("By id", slug="by-id", external_id="x-1")
    make.commitment("By slug", slug="by-slug")
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ",By id again,,,,,,x-1,,\nby-slug,By slug again,,,,,,x-2,,\n")
    run(path)
    assert dict(Commitment.objects.values_list("slug", "title")) == {
        "by-id": "By id again",
        "by-slug": "By slug again",
    }
    assert Commitment.objects.get(slug="by-slug").external_id == "x-2"


def test_it_rejects_duplicates_within_a_file_and_unknown_parents(tmp_path, db):
    path = tmp_path / "in.csv"
    path.write_text("title,external_id,parent\nOne,a,\nTwo,a,\nThree,b,no-such-plan\n")
    result = import_file(path.read_bytes(), "in.csv")
    assert [(r.line, r.column) for r in result.rejected] == [(3, "external_id"), (4, "parent")]
    assert not result.written


def test_it_says_which_columns_it_left_out(db):
    content = b"title,deadlnie,colour\nOne,2030,red\n"
    result = import_file(content, "in.csv", dry_run=True)
    assert result.ignored_columns == ["deadlnie", "colour"]
    assert "Columns left out: deadlnie, colour." in result.summary()
    mapped = import_file(
        content,
        "in.csv",
        dry_run=True,
        mapping=Mapping.from_dict({"columns": {"deadlnie": "deadline"}}),
    )
    assert mapped.ignored_columns == ["colour"]
    assert "Columns left out" not in import_file(b"title\nOne\n", "in.csv").summary()


def test_it_shows_progress_on_stderr_and_a_summary(capsys, db):
    out, _ = run(EXAMPLE)
    err = capsys.readouterr().err
    assert "Importing" in err and "rows/s" in err
    assert "5 rows; 5 created" in out


def test_it_stops_on_a_file_it_cannot_read(tmp_path, db):
    path = tmp_path / "in.csv"
    path.write_bytes("title\nCaf\xe9 policy\n".encode("cp1252"))
    with pytest.raises(CommandError, match="encoding"):
        run(path)
    mapping = tmp_path / "m.json"
    mapping.write_text('{"columns": {"Name": "headline"}}')
    with pytest.raises(CommandError, match="headline"):
        run(EXAMPLE, "--map", str(mapping))


def test_it_imports_a_copy_of_the_example_with_a_mapping_for_encoding(tmp_path, db):
    path = tmp_path / "latin.csv"
    shutil.copy(EXAMPLE, path)
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").replace("–", "-").encode("cp1252"))
    mapping = tmp_path / "m.json"
    mapping.write_text('{"encoding": "cp1252"}')
    out, _ = run(path, "--map", str(mapping))
    assert "5 created" in out


def test_it_rejects_nested_json_items_it_cannot_store(db):
    record = {
        "title": "With history",
        "evidence": [{"title": "x" * 301, "url": "ftp://example.org"}],
        "milestones": [{"title": "Step", "due": "someday", "order": -1}],
        "history": [{"status": "Amber", "effective_on": "2025", "rationale": ""}],
    }
    result = import_file(json.dumps([record]).encode(), "in.json")
    reasons = [(r.column, r.reason) for r in result.rejected]
    assert ("evidence[1]", "url does not start with http:// or https://") in reasons
    assert ("evidence[1]", "title is longer than 300 characters") in reasons
    assert ("milestones[1]", "order -1 is not a whole number from 0") in reasons
    assert any(c == "milestones[1]" and "someday" in r for c, r in reasons)
    assert ("history[1]", "has no rationale") in reasons
    assert any(c == "history[1]" and "not a single day" in r for c, r in reasons)
    assert any(c == "history[1]" and "Amber" in r for c, r in reasons)
    assert Commitment.objects.count() == 0


def test_it_updates_the_seeds_commitments_instead_of_duplicating_them(seeded):
    before = {model: model.objects.count() for model in (Actor, Theme, Source, StatusUpdate)}
    commitments = Commitment.objects.count()
    seeded_rows = dict(Commitment.objects.values_list("slug", "updated_at"))

    out, _ = run(EXAMPLE)

    assert "2 created, 0 updated, 3 unchanged, 0 rejected" in out
    assert "New actors were added: 0, themes: 0, sources: 1." in out
    assert Commitment.objects.count() == commitments + 2
    assert dict(
        Commitment.objects.filter(slug__in=seeded_rows).values_list("slug", "updated_at")
    ) == (seeded_rows)
    after = {model: model.objects.count() for model in (Actor, Theme, Source, StatusUpdate)}
    assert after == {**before, Source: before[Source] + 1, StatusUpdate: before[StatusUpdate] + 1}


def test_it_leaves_the_status_alone_when_status_and_progress_cells_are_empty(make, analyst):
    commitment = make.commitment("Rated", slug="rated")
    record_status_update(
        commitment=commitment,
        status="in_progress",
        progress=40,
        by=analyst,
        rationale="Started.",
        effective_on=dt.date.today(),
        new_evidence=[NewEvidence(title="Report")],
    )

    result = import_file(b"slug,title,status,progress\nrated,Rated,,\n", "x.csv")

    assert result.written and len(result.unchanged) == 1
    assert StatusUpdate.objects.count() == 1
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 40)


def test_it_writes_nothing_on_a_dry_run_from_the_command_line(db):
    out, _ = run(EXAMPLE, "--dry-run", "--no-progress")
    assert "5 created" in out and "Dry run: nothing was written." in out
    assert counts() == dict.fromkeys(counts(), 0)


def bad_rows(count: int) -> str:
    rows = "".join(f",Bad row {n},,Italy,someday,,,,,\n" for n in range(count))
    return HEADER + ",Good row,,Italy,2030,,,,,\n" + rows


@pytest.mark.parametrize("dry_run", [False, True], ids=["real_run", "dry_run"])
def test_it_sends_every_rejection_to_stderr_and_writes_no_file_without_report(
    tmp_path, db, dry_run
):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "bad.csv"
    path.write_text(bad_rows(60))
    args = ["--skip-invalid", "--no-progress", *(["--dry-run"] if dry_run else [])]

    out, err = run(path, *args)

    assert "1 created, 0 updated, 0 unchanged, 60 rejected" in out
    assert err.count(", deadline: ") == 60
    assert sorted(p.name for p in folder.iterdir()) == ["bad.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@pytest.mark.parametrize("dry_run", [False, True], ids=["real_run", "dry_run"])
def test_it_writes_the_report_only_where_report_says(tmp_path, db, dry_run):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "bad.csv"
    path.write_text(bad_rows(51))
    report = tmp_path / "elsewhere" / "report.csv"
    report.parent.mkdir()
    args = ["--skip-invalid", "--no-progress", "--report", str(report)]

    out, err = run(path, *args, *(["--dry-run"] if dry_run else []))

    assert len(list(csv.DictReader(report.open()))) == 51
    assert err.count(", deadline: ") == 50
    assert "… and 1 more." in err
    assert f"Rejected rows are listed in {report}" in err
    assert sorted(p.name for p in folder.iterdir()) == ["bad.csv"]


def test_it_writes_a_report_with_only_its_header_when_nothing_is_rejected(tmp_path, db):
    report = tmp_path / "report.csv"

    run(EXAMPLE, "--dry-run", "--no-progress", "--report", str(report))

    assert report.read_text().splitlines() == ["line,column,reason,title,row,file_column"]


def test_it_stops_before_importing_when_the_report_cannot_be_written(tmp_path, db):
    path = tmp_path / "bad.csv"
    path.write_text(bad_rows(1))

    with pytest.raises(CommandError, match="Cannot write the report"):
        run(path, "--skip-invalid", "--report", str(tmp_path / "missing" / "report.csv"))
    assert not Commitment.objects.exists()


NOT_GIVEN = {"not_given": {"deadline": ["^Exempt under", "^Not provided$", "^TBD$"]}}


def test_it_imports_a_withheld_deadline_as_a_note_and_refuses_a_near_miss(db):
    content = (
        b"title,deadline\n"
        b"Exempt plan,Exempt under Section 43\n"
        b"Unknown plan,tbd\n"
        b"Later plan,Not provided yet\n"
        b"Dated plan,2030\n"
    )

    result = import_file(content, "x.csv", mapping=Mapping.from_dict(NOT_GIVEN), skip_invalid=True)

    assert [(r.line, r.column) for r in result.rejected] == [(4, "deadline")]
    exempt = Commitment.objects.get(title="Exempt plan")
    assert (exempt.deadline, exempt.deadline_precision) == (None, "")
    assert exempt.notes == "Deadline not given in the source: Exempt under Section 43"
    assert Commitment.objects.get(title="Unknown plan").notes.endswith(": tbd")
    assert Commitment.objects.get(title="Dated plan").notes == ""


def test_it_adds_a_withheld_note_to_an_existing_commitments_notes(make):
    make.commitment("Exempt plan", slug="exempt-plan", deadline=dt.date(2030, 12, 31))
    Commitment.objects.update(notes="Read from the 2022 file.")
    content = b"title,deadline\nExempt plan,TBD\n"

    result = import_file(content, "x.csv", mapping=Mapping.from_dict(NOT_GIVEN))

    # Not given in this file is not "no deadline": the known one stays.
    assert result.updated[0].changes == ["notes"]
    plan = Commitment.objects.get()
    assert plan.deadline == dt.date(2030, 12, 31)
    assert plan.notes == "Read from the 2022 file.\nDeadline not given in the source: TBD"


@pytest.mark.parametrize(
    ("not_given", "message"),
    [
        ({"deadline": ["(unclosed"]}, "is not a pattern"),
        ({"deadline": ["x" * 201]}, "longer than 200 characters"),
        ({"deadline": "^TBD$"}, "not_given must be an object whose values are lists"),
        ({"birthday": ["^TBD$"]}, "'birthday' is not one of our columns"),
    ],
    ids=["bad_pattern", "long_pattern", "not_a_list", "not_our_column"],
)
def test_it_refuses_a_mapping_with_bad_not_given_patterns(not_given, message):
    with pytest.raises(MappingError, match=re.escape(message)):
        Mapping.from_dict({"not_given": not_given})
