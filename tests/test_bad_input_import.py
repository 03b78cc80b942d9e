"""Bad files and bad rows for the importer, through the service, the command and the two-step
page: each gets a clear message and nothing is written; and an import that stops midway
leaves the database exactly as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils.html import escape

from commitments.forms.importing import MAX_UPLOAD_BYTES
from commitments.importing import Mapping, import_file
from commitments.importing.writing import Writer
from commitments.models import (
    Actor,
    Commitment,
    Evidence,
    Milestone,
    Party,
    Source,
    StatusUpdate,
    Theme,
)
from tests.conftest import _user

URL = "/import/"

pytestmark = pytest.mark.usefixtures("frozen_clock")


def snapshot() -> dict:
    """Every row an import can write, as values, so any change shows."""
    return {
        "commitments": list(
            Commitment.objects.order_by("pk").values_list(
                "pk",
                "slug",
                "title",
                "status",
                "progress",
                "external_id",
                "parent_id",
                "updated_at",
            )
        ),
        "links": {
            "parties": list(
                Party.objects.order_by("pk").values_list("commitment", "actor", "role")
            ),
            "themes": sorted(Commitment.themes.through.objects.values_list("commitment", "theme")),
        },
        "counts": {
            model.__name__: model.objects.count()
            for model in (StatusUpdate, Evidence, Milestone, Actor, Theme, Source)
        },
    }


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, content: bytes, name: str = "commitments.csv", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, content), **extra})


def payload_of(response) -> str:
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode())[1]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def existing(make):
    """A register that an import must leave exactly as it was."""
    italy, energy = make.actor("Italy"), make.theme("Energy")
    first = make.commitment("Existing plan", external_id="E1", parties=[italy], themes=[energy])
    make.commitment("Second plan", external_id="E2")
    make.evidence(first)
    return first


# -- files the importer cannot read -------------------------------------------------------
FILE_CASES = {
    "cp1252": ("title\nCafé, Déjà vu\n".encode("cp1252"), "x.csv", "not valid utf-8"),
    "latin1": ("title,summary\nCittà,ok\n".encode("latin-1"), "x.csv", "not valid utf-8"),
    "utf16_no_bom": ("title\nA plan\n".encode("utf-16-le"), "x.csv", "NUL"),
    "empty": (b"", "x.csv", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "x.csv", "not valid utf-8"),
    "nul_bytes": (b"title\nA\x00plan\n", "x.csv", "NUL"),
    "unclosed_quote": (b'title\n"never closed\n', "x.csv", "Line 2"),
    "wrong_delimiter": (b"title;deadline\nA plan;2030\n", "x.csv", "Only one column was found"),
    "json_truncated": (b'[{"title": ', "x.json", "The JSON cannot be read"),
    "json_scalar": (b'"a plan"', "x.json", "must be a list of commitments"),
}


@pytest.mark.parametrize(("content", "name", "message"), FILE_CASES.values(), ids=FILE_CASES.keys())
def test_it_refuses_a_file_it_cannot_read_with_a_clear_message(
    existing, editor_client, content, name, message
):
    before = snapshot()

    result = import_file(content, name)
    assert message in result.file_error
    assert not result.written
    assert snapshot() == before

    response = upload(editor_client, content, name)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert 'name="payload"' not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("encoding", "errors", "title"),
    [("cp1252", "strict", "Café, Déjà vu"), ("utf-8", "replace", "Caf\ufffd, D\ufffdj\ufffd vu")],
    ids=["named_encoding", "replaced_bytes"],
)
def test_it_reads_another_encoding_when_the_mapping_names_it(db, encoding, errors, title):
    content = 'title\n"Café, Déjà vu"\n'.encode("cp1252")
    mapping = Mapping.from_dict({"encoding": encoding, "encoding_errors": errors})

    result = import_file(content, "x.csv", mapping=mapping)

    assert result.written, result.summary()
    assert Commitment.objects.get().title == title


def test_it_imports_a_file_with_a_byte_order_mark_and_an_intact_first_column(db):
    content = "\ufefftitle,deadline,progress,source,effective\nCittà,2030,10,Report,2026\n".encode()

    result = import_file(content, "x.csv")

    assert result.written, result.summary()
    commitment = Commitment.objects.get()
    assert (commitment.title, commitment.deadline, commitment.progress) == (
        "Città",
        dt.date(2030, 12, 31),
        10,
    )


def test_it_imports_a_json_file_with_a_byte_order_mark(db):
    content = b"\xef\xbb\xbf" + json.dumps([{"title": "日伊首脳会談"}]).encode()
    result = import_file(content, "x.json")
    assert result.written, result.summary()
    assert Commitment.objects.get().title == "日伊首脳会談"


def test_it_ignores_unknown_columns(db):
    result = import_file(b"title,colour,notes\nA plan,red,<script>x</script>\n", "x.csv")

    assert result.written, result.summary()
    commitment = Commitment.objects.get()
    assert commitment.title == "A plan"
    assert "script" not in f"{commitment.summary}{commitment.quote}"


@pytest.mark.parametrize(
    "content",
    [b"title,deadline\n", b"title,deadline\n\n  ,  \n\n", b"[]"],
    ids=["header_only", "blank_rows", "empty_json_list"],
)
def test_it_writes_nothing_for_a_file_without_rows(existing, editor_client, content):
    before = snapshot()
    name = "x.json" if content.startswith(b"[") else "x.csv"

    result = import_file(content, name)
    assert (result.rows, result.file_error, result.created, result.rejected) == (0, "", [], [])
    assert snapshot() == before

    response = upload(editor_client, content, name)
    assert "Nothing would change." in response.content.decode()


def test_it_rejects_every_row_when_the_title_column_is_missing(existing):
    before = snapshot()

    result = import_file(b"summary,deadline\nSomething,2030\nMore,2031\n", "x.csv")

    assert not result.written
    assert [(r.line, r.column) for r in result.rejected] == [(2, "title"), (3, "title")]
    assert "is missing" in result.rejected[0].reason
    assert snapshot() == before


# -- rows the importer refuses ------------------------------------------------------------
# (header, a good value, the bad value, the column named in the rejection, its reason)
ROW_CASES = {
    "deadline_feb_30": ("deadline", "2030", "2026-02-30", "deadline", "not a real date"),
    "deadline_month_13": ("deadline", "2030", "2026-13-01", "deadline", "not a real date"),
    "deadline_abc": ("deadline", "2030", "abc", "deadline", "is not a date"),
    "deadline_five_digit_year": ("deadline", "2030", "99999", "deadline", "is not a date"),
    "announced_impossible": ("announced", "2025", "31/02/2025", "announced", "not a real"),
    "progress_minus_one": ("progress", "10", "-1", "progress", "between 0 and 100"),
    "progress_101": ("progress", "10", "101", "progress", "between 0 and 100"),
    "progress_abc": ("progress", "10", "abc", "progress", "is not a number"),
    "progress_1e3": ("progress", "10", "1e3", "progress", "between 0 and 100"),
    "progress_fraction": ("progress", "10", "50.5", "progress", "not a whole number"),
    "progress_nan": ("progress", "10", "nan", "progress", "not a whole number"),
    "status_bogus": ("status", "in progress", "bogus", "status", "is not a status"),
    "kind_bogus": ("kind", "framework", "bogus", "kind", "is not a kind"),
    "title_too_long": ("title", None, "t" * 301, "title", "the limit is 300"),
    "title_whitespace": ("title", None, "   ", "title", "is empty"),
    "summary_too_long": ("summary", "ok", "s" * 5001, "summary", "the limit is 5000"),
    "external_id_too_long": ("external_id", "A1", "e" * 121, "external_id", "the limit is 120"),
    "slug_not_a_slug": ("slug", "good-one", "Not A Slug", "slug", "is not a slug"),
    "themes_too_long": ("themes", "Energy", "t" * 121, "themes", "longer than 120"),
    "parties_too_long": ("parties", "Italy", "p" * 201, "parties", "longer than 200"),
    "parties_no_name": ("parties", "Italy", "Italy; :lead", "parties", "has no actor name"),
    "parent_unknown": ("parent", "", "no-such-plan", "parent", "no commitment has the slug"),
    **{
        f"source_url_{name}": ("source_url", "https://example.org/s", url, "source_url", "http")
        for name, url in {
            "javascript": "javascript:alert(1)",
            "data": "data:text/html,<script>alert(1)</script>",
            "file": "file:///etc/passwd",
            "ftp": "ftp://x",
            "spaced_mixed_case": " JavaScript:alert(1)",
        }.items()
    },
}


def row_file(column: str, good: str | None, bad: str) -> bytes:
    if column == "title":
        return csv_bytes([["title", "summary"], ["Good plan", "ok"], [bad, "ok"]])
    header, extra = ["title", column], []
    if column == "source_url":
        header, extra = [*header, "source"], ["A statement"]
    if column in ("status", "progress"):
        # A status needs a source to be evidenced, dated from the source's date.
        header, extra = [*header, "source", "source_date"], ["A statement", "2026-03-01"]
    return csv_bytes([header, ["Good plan", good, *extra], ["Bad plan", bad, *extra]])


@pytest.mark.parametrize(
    ("column", "good", "bad", "named", "reason"), ROW_CASES.values(), ids=ROW_CASES.keys()
)
def test_it_rejects_a_bad_row_with_its_line_and_reason_and_writes_nothing(
    existing, column, good, bad, named, reason
):
    before = snapshot()
    content = row_file(column, good, bad)

    result = import_file(content, "x.csv")

    assert not result.written
    assert [(r.line, r.column) for r in result.rejected] == [(3, named)], result.rejected
    assert reason in result.rejected[0].reason
    assert "Nothing was written because some rows were rejected" in result.summary()
    assert snapshot() == before

    skipped = import_file(content, "x.csv", skip_invalid=True)
    assert skipped.written
    assert [o.title for o in skipped.created] == ["Good plan"]
    assert not Commitment.objects.filter(title="Bad plan").exists()


def test_it_rejects_a_status_before_the_announcement(existing):
    before = snapshot()
    content = (
        b"title,announced,status,source,effective\n"
        b"Good plan,2025,in progress,A statement,2026-01-05\n"
        b"Bad plan,Feb 2026,in progress,A statement,2026-01-05\n"
    )

    result = import_file(content, "x.csv")

    assert not result.written
    # Both dates are named: one of the two is wrong.
    assert [(r.line, r.column) for r in result.rejected] == [(3, "announced"), (3, "effective")]
    assert "after the date of the row's status" in result.rejected[0].reason
    assert "cannot be before the announcement (Feb 2026)" in result.rejected[1].reason
    assert snapshot() == before


def test_it_rejects_a_deadline_before_the_announcement(existing):
    before = snapshot()
    content = b"title,announced,deadline\nGood plan,2025,2030\nBad plan,2030,2025\n"

    result = import_file(content, "x.csv")

    assert [(r.line, r.column, r.reason) for r in result.rejected] == [
        (3, "deadline", "is before the announcement")
    ]
    assert snapshot() == before


def test_it_rejects_a_repeated_external_id(existing):
    before = snapshot()

    result = import_file(b"title,external_id\nOne,X1\nTwo,X1\n", "x.csv")

    assert [(r.line, r.column) for r in result.rejected] == [(3, "external_id")]
    assert "already used on line 2" in result.rejected[0].reason
    assert snapshot() == before


NESTED_CASES = {
    "evidence_javascript_url": (
        {"evidence": [{"title": "E", "url": "javascript:alert(1)"}]},
        "evidence[1]",
        "http",
    ),
    "evidence_title_missing": ({"evidence": [{"url": "https://e.org"}]}, "evidence[1]", "title"),
    "evidence_date_feb_30": (
        {"evidence": [{"title": "E", "published_on": "2026-02-30"}]},
        "evidence[1]",
        "not a real date",
    ),
    "milestone_due_abc": ({"milestones": [{"title": "M", "due": "abc"}]}, "milestones[1]", "date"),
    "milestone_order_negative": (
        {"milestones": [{"title": "M", "order": -1}]},
        "milestones[1]",
        "whole number from 0",
    ),
    "history_progress_101": (
        {
            "evidence": [{"title": "E"}],
            "history": [
                {
                    "status": "in_progress",
                    "effective_on": "2026-01-05",
                    "rationale": "r",
                    "progress": 101,
                    "evidence": [1],
                }
            ],
        },
        "history[1]",
        "between 0 and 100",
    ),
    "history_date_missing": (
        {"history": [{"status": "in_progress", "rationale": "r"}]},
        "history[1]",
        "is missing",
    ),
    "history_corrects_itself": (
        {
            "history": [
                {"status": "stalled", "effective_on": "2026-01-05", "rationale": "r", "corrects": 1}
            ]
        },
        "history[1]",
        "earlier entry",
    ),
    "evidence_not_a_list": ({"evidence": "https://e.org"}, "evidence", "list of objects"),
    "record_not_an_object": (None, "", "not an object"),
    "nul_in_title": ({"title": "Bad\u0000plan"}, "title", "NUL"),
    "nul_in_evidence": ({"evidence": [{"title": "E\u0000"}]}, "evidence[1]", "NUL"),
}


@pytest.mark.parametrize(
    ("extra", "named", "reason"), NESTED_CASES.values(), ids=NESTED_CASES.keys()
)
def test_it_rejects_bad_nested_json_items_and_writes_nothing(existing, extra, named, reason):
    before = snapshot()
    bad = "not an object" if extra is None else {"title": "Bad plan", **extra}
    content = json.dumps([{"title": "Good plan"}, bad]).encode()

    result = import_file(content, "x.json")

    assert not result.written
    assert [(r.line, r.column) for r in result.rejected] == [(2, named)], result.rejected
    assert reason in result.rejected[0].reason
    assert snapshot() == before


TEXTS = {
    "japanese": "日伊首脳会談",
    "accented": "Città, Déjà vu",
    "script": "<script>alert(1)</script>",
    "bold": "<b>x</b>",
    "attribute": '" onmouseover="alert(1)',
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_it_imports_text_as_given_and_shows_it_escaped(client, editor_client, text):
    content = csv_bytes([["title", "summary", "themes"], [f"Plan {text}", text, text]])
    preview = upload(editor_client, content)
    assert escape(f"Plan {text}") in preview.content.decode()
    if "<" in text or '"' in text:
        assert f"Plan {text}" not in preview.content.decode()

    editor_client.post(URL, {"payload": payload_of(preview)})

    commitment = Commitment.objects.get()
    assert (commitment.title, commitment.summary) == (f"Plan {text}", text)
    assert commitment.themes.get().name == text
    for path in (
        commitment.get_absolute_url(),
        reverse("commitment_list"),
        commitment.themes.get().get_absolute_url(),
    ):
        page = client.get(path).content.decode()
        assert escape(f"Plan {text}") in page
        if "<" in text or '"' in text:
            assert text not in page


def test_it_shows_a_rejected_value_escaped_in_the_preview(editor_client):
    content = csv_bytes([["title", "deadline"], ["<b>x</b>", "<script>alert(1)</script>"]])

    page = upload(editor_client, content).content.decode()

    assert escape("<script>alert(1)</script>") in page
    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    assert Commitment.objects.count() == 0


def test_it_imports_a_far_future_deadline_and_the_calendar_still_draws(client, db):
    result = import_file(b"title,deadline\nOne day,9999\n", "x.csv")
    assert result.written
    assert Commitment.objects.get().deadline == dt.date(9999, 12, 31)

    response = client.get(reverse("deadlines_ics"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "DTSTART;VALUE=DATE:99991231" in body


# -- the upload form ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"file": SimpleUploadedFile("x.csv", b"title\n" + b"x" * MAX_UPLOAD_BYTES)}, "5 MB"),
        (
            {"file": SimpleUploadedFile("x.exe", b"title\nA plan\n")},
            "Upload a .csv, .xlsx or .json",
        ),
        ({"file": SimpleUploadedFile("x.csv", b"")}, "The submitted file is empty."),
        ({"skip_invalid": "on"}, "This field is required."),
        (
            {
                "file": SimpleUploadedFile("x.csv", b"title\nA plan\n"),
                "mapping": SimpleUploadedFile("m.json", b"{not json"),
            },
            "The mapping is not valid JSON",
        ),
        (
            {
                "file": SimpleUploadedFile("x.csv", b"title\nA plan\n"),
                "mapping": SimpleUploadedFile("m.json", b"\xff\xfe\x00"),
            },
            "The mapping is not valid JSON",
        ),
        (
            {
                "file": SimpleUploadedFile("x.csv", b"title\nA plan\n"),
                "mapping": SimpleUploadedFile("m.json", b'{"encoding": "no-such-codec"}'),
            },
            "encoding",
        ),
        (
            {
                "file": SimpleUploadedFile("x.csv", b"title\nA plan\n"),
                "mapping": SimpleUploadedFile("m.json", b"[1, 2]"),
            },
            "mapping",
        ),
    ],
    ids=[
        "over_the_limit",
        "wrong_extension",
        "empty_upload",
        "no_file",
        "mapping_not_json",
        "mapping_binary",
        "mapping_unknown_encoding",
        "mapping_not_an_object",
    ],
)
def test_it_refuses_a_bad_upload_with_a_clear_message(existing, editor_client, files, message):
    before = snapshot()

    response = editor_client.post(URL, files)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'name="payload"' not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "payload", ["abc", "", "x" * 10_000], ids=["garbage", "empty", "long_garbage"]
)
def test_it_refuses_a_confirm_step_it_cannot_verify(existing, editor_client, payload):
    before = snapshot()

    response = editor_client.post(URL, {"payload": payload}, follow=True)

    assert response.status_code == 200
    assert snapshot() == before


# -- an import that stops midway -------------------------------------------------------------
MIDWAY_FILE = csv_bytes(
    [
        [
            "external_id",
            "title",
            "kind",
            "status",
            "progress",
            "parties",
            "themes",
            "parent",
            "source",
            "effective",
        ],
        [
            "E1",
            "Existing plan renamed",
            "",
            "in progress",
            "40",
            "Italy:lead; Japan",
            "Energy; Space",
            "",
            "Progress report",
            "2026-03-01",
        ],
        [
            "E2",
            "Second plan renamed",
            "",
            "stalled",
            "10",
            "France",
            "Energy",
            "framework-x",
            "Progress report",
            "2026-03-01",
        ],
        [
            "N1",
            "New plan one",
            "",
            "in progress",
            "20",
            "Germany",
            "Defence",
            "framework-x",
            "Progress report",
            "2026-03-01",
        ],
        ["N2", "Framework X", "framework", "", "", "Spain", "Space", "", "", ""],
    ]
)


def stop_on_call(n: int, error: BaseException, original):
    """A stand-in that works normally n-1 times, then raises."""
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= n:
            raise error
        return original(*args, **kwargs)

    return wrapper


def interruption(where: str, error: BaseException):
    """Patch one step the importer takes after it has already written some rows."""
    if where == "second_existing_row":
        return mock.patch.object(
            Writer, "_update", autospec=True, side_effect=stop_on_call(2, error, Writer._update)
        )
    if where == "party_links_of_new_rows":
        return mock.patch.object(Party.objects, "bulk_create", side_effect=error)
    if where == "third_new_actor":
        return mock.patch.object(
            Actor.objects, "create", side_effect=stop_on_call(3, error, Actor.objects.create)
        )
    if where == "parent_links_at_the_end":
        return mock.patch.object(Writer, "link_parents", side_effect=error)
    raise AssertionError(where)


WHERE = [
    "second_existing_row",
    "party_links_of_new_rows",
    "third_new_actor",
    "parent_links_at_the_end",
]


@pytest.fixture
def register(db):
    """Committed data for the transactional tests: flushed again afterwards."""
    italy, energy = (
        Actor.objects.create(name="Italy", kind="government"),
        Theme.objects.create(name="Energy"),
    )
    first = Commitment.objects.create(title="Existing plan", external_id="E1")
    Party.objects.create(commitment=first, actor=italy, role="partner")
    first.themes.set([energy])
    Commitment.objects.create(title="Second plan", external_id="E2")
    return first


def test_it_imports_the_midway_file_when_nothing_stops_it(register):
    """The file the interruption tests use is valid: only the interruption stops it."""
    result = import_file(MIDWAY_FILE, "midway.csv")
    assert result.written, (result.summary(), result.rejected)
    assert Commitment.objects.get(external_id="E1").title == "Existing plan renamed"
    assert Commitment.objects.get(external_id="N1").parent.title == "Framework X"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", WHERE)
def test_it_leaves_the_database_as_it_was_when_the_database_fails_midway(register, where):
    before = snapshot()

    with interruption(where, OperationalError("server closed the connection unexpectedly")):
        result = import_file(MIDWAY_FILE, "midway.csv")

    assert not result.written
    assert "The import stopped and nothing was written" in result.file_error
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("error", [RuntimeError("bug"), KeyboardInterrupt()], ids=repr)
@pytest.mark.parametrize("where", WHERE)
def test_it_leaves_the_database_as_it_was_when_the_import_is_cut_short(register, where, error):
    before = snapshot()

    with interruption(where, error), pytest.raises(type(error)):
        import_file(MIDWAY_FILE, "midway.csv")

    assert snapshot() == before


def test_it_leaves_the_database_as_it_was_when_the_command_is_interrupted(register, tmp_path):
    path = tmp_path / "midway.csv"
    path.write_bytes(MIDWAY_FILE)
    before = snapshot()

    with (
        interruption("second_existing_row", OperationalError("deadlock detected")),
        pytest.raises(CommandError, match="nothing was written"),
    ):
        call_command("import_commitments", str(path), "--no-progress", stdout=io.StringIO())

    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), RuntimeError("bug")],
    ids=["database", "unexpected"],
)
def test_it_shows_a_clear_page_when_the_confirmed_import_stops_midway(client, register, error):
    client.force_login(_user("eddie", groups=["Editors"]))
    preview = upload(client, MIDWAY_FILE, "midway.csv")
    assert "to create" in preview.content.decode()
    before = snapshot()

    with interruption("second_existing_row", error):
        response = client.post(URL, {"payload": payload_of(preview)}, follow=True)

    assert response.status_code == 200
    assert "nothing was written" in response.content.decode()
    assert snapshot() == before


# -- hostile files, fields and mappings: a clear message, never a 500 -----------------------
def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def history_entry(**extra) -> dict:
    return {
        "status": "in_progress",
        "effective_on": "2026-01-05",
        "rationale": "r",
        "evidence": [1],
        **extra,
    }


HOSTILE_FILES = {
    "deep_file": (nested(100_000), "The JSON is nested too deeply"),
    # Within the parser's reach in a plain call, maybe not under a request's deeper stack:
    # the row is refused, or the file, with the same limit named either way.
    "deep_file_within_the_parser": (
        '[{"title": "Deep", "summary": ' + nested(900) + "}]",
        "4 lists or objects deep",
    ),
    "deep_field": (
        '[{"title": "Deep", "history": [{"rationale": ' + nested(50) + "}]}]",
        "nested more than 4 lists or objects deep",
    ),
    "title_a_list": ('[{"title": ["a", "b"]}]', "title is a list, not a text"),
    "recorded_by_a_list": (
        json.dumps(
            [
                {
                    "title": "Plan",
                    "evidence": [{"title": "E"}],
                    "history": [history_entry(recorded_by=["admin"])],
                }
            ]
        ),
        "recorded_by must be a text, not a list",
    ),
    "lone_surrogate": ('[{"title": "Plan \\ud800"}]', "lone surrogate"),
    "lone_surrogate_in_evidence": (
        '[{"title": "Plan", "evidence": [{"title": "\\udfff"}]}]',
        "lone surrogate",
    ),
    "recorded_at_out_of_range": (
        json.dumps(
            [
                {
                    "title": "Plan",
                    "evidence": [{"title": "E"}],
                    "history": [history_entry(recorded_at="0001-01-01T00:00:00+05:00")],
                }
            ]
        ),
        "outside the dates that can be stored",
    ),
    "recorded_at_in_the_future": (
        json.dumps(
            [
                {
                    "title": "Plan",
                    "evidence": [{"title": "E"}],
                    "history": [history_entry(recorded_at="2099-01-01T00:00:00+00:00")],
                }
            ]
        ),
        "cannot be recorded in the future",
    ),
    "evidence_title_a_number": (
        '[{"title": "Plan", "evidence": [{"title": 5}]}]',
        "title must be a text, not a number",
    ),
    "evidence_url_a_number": (
        '[{"title": "Plan", "evidence": [{"title": "E", "url": 5}]}]',
        "url must be a text, not a number",
    ),
    "evidence_added_at_garbage": (
        '[{"title": "Plan", "evidence": [{"title": "E", "added_at": "garbage"}]}]',
        "added_at 'garbage' is not an ISO date-time",
    ),
    "evidence_added_at_a_number": (
        '[{"title": "Plan", "evidence": [{"title": "E", "added_at": 5}]}]',
        "added_at must be an ISO date-time text",
    ),
    "milestone_title_a_number": (
        '[{"title": "Plan", "milestones": [{"title": 7}]}]',
        "title must be a text, not a number",
    ),
    "history_rationale_a_number": (
        json.dumps(
            [
                {
                    "title": "Plan",
                    "evidence": [{"title": "E"}],
                    "history": [history_entry(rationale=3)],
                }
            ]
        ),
        "rationale must be a text, not a number",
    ),
    "history_status_true": (
        json.dumps(
            [
                {
                    "title": "Plan",
                    "evidence": [{"title": "E"}],
                    "history": [history_entry(status=True)],
                }
            ]
        ),
        "status must be a text, not true or false",
    ),
}


@pytest.mark.parametrize(("text", "message"), HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_it_refuses_a_hostile_json_file_or_row_with_a_clear_message(
    existing, editor_client, text, message
):
    before = snapshot()
    content = text.encode("utf-8", "surrogatepass")

    result = import_file(content, "x.json", skip_invalid=True)
    reasons = [result.file_error] + [r.reason for r in result.rejected]
    assert any(message in reason for reason in reasons), reasons
    assert snapshot() == before

    response = upload(editor_client, content, "x.json", skip_invalid="on")
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert snapshot() == before


HOSTILE_MAPPINGS = {
    "deep": (nested(100_000), "nested too deeply"),
    "columns_a_number": ('{"columns": 5}', "columns must be an object"),
    "columns_a_text": ('{"columns": "notadict"}', "columns must be an object"),
    "columns_a_list_of_numbers": ('{"columns": {"a": [1]}}', "columns must be an object"),
    "status_nested": ('{"status": {"Green": {"x": 1}}}', "status must be an object whose"),
    "encoding_rot13": ('{"encoding": "rot13"}', "is not a text encoding"),
    "encoding_undefined": ('{"encoding": "undefined"}', "is not a text encoding"),
    "encoding_a_number": ('{"encoding": 5}', "encoding must be a text, not 5"),
    "unescape_a_text": ('{"unescape": "yes"}', "unescape must be true or false"),
    "unknown_key_surrogate": ('{"\\ud800": 1}', "Unknown mapping keys: \\ud800"),
}


@pytest.mark.parametrize(
    ("text", "message"), HOSTILE_MAPPINGS.values(), ids=HOSTILE_MAPPINGS.keys()
)
def test_it_refuses_a_hostile_mapping_with_a_clear_message(
    existing, editor_client, tmp_path, text, message
):
    before = snapshot()
    content = text.encode("utf-8")

    response = editor_client.post(
        URL,
        {
            "file": SimpleUploadedFile("x.csv", b"title\nA plan\n"),
            "mapping": SimpleUploadedFile("m.json", content),
        },
    )
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert 'name="payload"' not in response.content.decode()

    path = tmp_path / "m.json"
    path.write_bytes(content)
    data = tmp_path / "x.csv"
    data.write_bytes(b"title\nA plan\n")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_commitments", str(data), "--map", str(path), "--no-progress")
    assert snapshot() == before


def test_it_imports_a_json_file_nested_exactly_as_deep_as_allowed(existing):
    # A commitment's history entry lists evidence numbers: four lists or objects deep.
    content = json.dumps(
        [{"title": "Plan", "evidence": [{"title": "E"}], "history": [history_entry()]}]
    ).encode()

    result = import_file(content, "x.json")

    assert result.written, result.rejected
    assert Commitment.objects.get(title="Plan").updates.count() == 1


def test_it_refuses_a_json_row_one_level_deeper_than_allowed(existing):
    content = json.dumps(
        [
            {
                "title": "Plan",
                "evidence": [{"title": "E"}],
                "history": [history_entry(evidence=[[1]])],
            }
        ]
    ).encode()

    result = import_file(content, "x.json")

    assert not result.written
    assert "nested more than 4" in result.rejected[0].reason


# -- the models' own checks, row by row -----------------------------------------------------
BAD_LINKS = {
    "no_slashes": "http:evil",
    "quote_inside": 'https://example.org/a"b',
    "angle_brackets": "https://example.org/<b>",
    "control_character": "https://example.org/a\x0bb",
    "space_inside": "https://example.org/a b",
}


@pytest.mark.parametrize("link", BAD_LINKS.values(), ids=BAD_LINKS.keys())
def test_it_refuses_the_row_with_a_link_the_database_would_refuse(existing, editor_client, link):
    rows = [
        ["title", "source", "source_url"],
        ["Good plan", "Report", "https://example.org/report"],
        ["Bad plan", "Other report", link],
    ]
    before = snapshot()

    result = import_file(csv_bytes(rows), "x.csv", skip_invalid=True)

    assert not result.file_error
    assert {(r.line, r.column) for r in result.rejected} == {(3, "source_url")}
    assert result.written
    assert list(Source.objects.values_list("url", flat=True)) == ["https://example.org/report"]
    assert Commitment.objects.filter(title="Bad plan").count() == 0

    Commitment.objects.filter(title="Good plan").delete()
    Source.objects.all().delete()
    assert snapshot() == before
    preview = upload(editor_client, csv_bytes(rows), skip_invalid="on")
    assert preview.status_code == 200
    shown = preview.content.decode()
    assert any(
        words in shown
        for words in ("Enter a web address", "does not start with", "control character")
    )
    assert "IntegrityError" not in preview.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("link", BAD_LINKS.values(), ids=BAD_LINKS.keys())
def test_it_refuses_a_nested_evidence_link_the_database_would_refuse(existing, link):
    content = json.dumps(
        [{"title": "Good plan"}, {"title": "Bad plan", "evidence": [{"title": "E", "url": link}]}]
    ).encode()

    result = import_file(content, "x.json", skip_invalid=True)

    assert not result.file_error
    assert {(r.line, r.column) for r in result.rejected} == {(2, "evidence[1]")}
    assert Commitment.objects.filter(title="Good plan").exists()
    assert not Commitment.objects.filter(title="Bad plan").exists()


def test_it_stores_an_upper_case_scheme_in_lower_case_on_every_database(existing):
    content = json.dumps(
        [
            {
                "title": "Plan",
                "source": "Report",
                "source_url": "HTTPS://Example.org/Report",
                "evidence": [{"title": "E", "url": "Http://example.org/e"}],
            }
        ]
    ).encode()

    result = import_file(content, "x.json")

    assert result.written, result.rejected
    plan = Commitment.objects.get(title="Plan")
    assert plan.source.url == "https://Example.org/Report"
    assert list(plan.evidence.values_list("url", flat=True)) == ["http://example.org/e"]


def test_it_refuses_the_row_that_any_validator_of_the_model_refuses(existing):
    from django.core.exceptions import ValidationError

    def no_hash(value):
        if "#" in value:
            raise ValidationError("Remove the hash.")

    field = Commitment._meta.get_field("title")
    rows = [["title", "summary"], ["Good plan", "ok"], ["Bad#plan", "ok"]]
    with mock.patch.object(field, "validators", [*field.validators, no_hash]):
        result = import_file(csv_bytes(rows), "x.csv", skip_invalid=True)

    assert [(r.line, r.column, r.reason) for r in result.rejected] == [
        (3, "title", "Remove the hash.")
    ]
    assert result.written
    assert not Commitment.objects.filter(title__startswith="Bad").exists()


def test_it_refuses_only_the_row_the_database_refuses_when_the_checks_miss_it(existing):
    rows = [["title", "status", "source", "effective"]]
    rows += [["Good plan", "in_progress", "Report", "2026-01-05"]]
    rows += [["Bad plan", "in_progress", "Report", "2026-01-05"]]
    real = Writer._create

    def create(self, plan):
        if plan.title == "Bad plan":
            from django.db import IntegrityError

            raise IntegrityError("CHECK constraint failed: raw words")
        return real(self, plan)

    with mock.patch.object(Writer, "_create", create):
        result = import_file(csv_bytes(rows), "x.csv", skip_invalid=True)

    assert result.written
    assert [(r.line, r.column) for r in result.rejected] == [(3, "")]
    assert "raw words" not in result.rejected[0].reason
    assert "the database refused a value" in result.rejected[0].reason
    assert Commitment.objects.filter(title="Good plan").get().updates.count() == 1


# -- imported history: recorded by the importing user now, the file's word kept as a claim -----
def claimed_history(**claim) -> bytes:
    return json.dumps(
        [
            {
                "slug": "claimed",
                "title": "Claimed plan",
                "evidence": [{"title": "E", "url": "https://example.org/e"}],
                "history": [history_entry(**claim)],
            }
        ]
    ).encode()


def test_it_records_imported_history_by_the_importer_now_and_keeps_the_files_claim(
    client, editor, analyst
):
    from tests.clock import NOW

    content = claimed_history(recorded_by=analyst.username, recorded_at="2026-01-06T10:00:00")

    result = import_file(content, "x.json", by=editor)

    assert result.written, result.rejected
    update = StatusUpdate.objects.get()
    assert (update.recorded_by, update.recorded_at) == (editor, NOW)
    assert update.claimed_by == analyst.username
    assert update.claimed_at == dt.datetime(2026, 1, 6, 10, tzinfo=dt.UTC)
    page = client.get(reverse("commitment_detail", args=["claimed"])).content.decode()
    assert "Recorded 10 Mar 2026 by eddie" in page
    assert escape("the imported file says it was recorded 6 Jan 2026, 10:00 by “ana”") in page


def test_it_keeps_a_claimed_time_as_data_and_records_the_entry_now(editor):
    from tests.clock import NOW

    # Older than the import, within the window every date entering the history keeps
    # (tests/test_bad_input_sweep.py refuses a claim from year 2).
    content = claimed_history(recorded_at="2019-01-01T00:00:00+00:00", recorded_by="nobody")

    result = import_file(content, "x.json", by=editor)

    assert result.written, result.rejected
    update = StatusUpdate.objects.get()
    assert update.recorded_at == NOW
    assert update.claimed_at.year == 2019
    assert Commitment.objects.get().last_update_at == NOW


def test_it_takes_the_exports_claim_before_its_recorded_by(editor):
    content = claimed_history(
        recorded_by="eddie",
        recorded_at="2026-03-01T00:00:00+00:00",
        claimed_by="first analyst",
        claimed_at="2026-01-01T00:00:00+00:00",
    )

    import_file(content, "x.json", by=editor)

    update = StatusUpdate.objects.get()
    assert (update.claimed_by, update.claimed_at.date()) == ("first analyst", dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        ({"recorded_by": "x" * 151}, "claimed_by is longer than 150 characters"),
        ({"recorded_at": "2026-03-10T09:00:00.000001+00:00"}, "cannot be recorded in the future"),
    ],
    ids=["author_151_characters", "one_microsecond_after_now"],
)
def test_it_refuses_a_claim_it_cannot_keep(editor, claim, message):
    result = import_file(claimed_history(**claim), "x.json", by=editor)

    assert not result.written
    assert [(r.column, message in r.reason) for r in result.rejected] == [("history[1]", True)]


@pytest.mark.parametrize(
    ("claim", "accepted"),
    [({"recorded_by": "x" * 150}, True), ({"recorded_at": "2026-03-10T09:00:00+00:00"}, True)],
    ids=["author_150_characters", "exactly_now"],
)
def test_it_keeps_a_claim_at_its_limits(editor, claim, accepted):
    result = import_file(claimed_history(**claim), "x.json", by=editor)

    assert result.written is accepted, result.rejected


def test_it_refuses_a_claimed_time_after_the_recording_in_the_model_and_the_database(make):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    commitment = make.commitment("Plan")
    now = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
    fields = {
        "commitment": commitment,
        "status": "not_rated",
        "previous_status": "not_rated",
        "effective_on": dt.date(2026, 3, 1),
        "rationale": "r",
        "recorded_at": now,
    }
    StatusUpdate(**fields, claimed_at=now).full_clean()
    late = StatusUpdate(**fields, claimed_at=now + dt.timedelta(microseconds=1))
    with pytest.raises(ValidationError, match="cannot be later than when it was imported"):
        late.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        late.save()
