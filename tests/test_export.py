"""Exports: filtered, streamed, in our import columns, and round-tripping through import."""

import csv
import datetime as dt
import io
import json
import tracemalloc

import pytest
from django.core.management import call_command
from django.urls import reverse

from commitments.choices import ActorKind
from commitments.exporting import csv_chunks, json_chunks
from commitments.importing import import_file
from commitments.models import (
    Actor,
    Commitment,
    Milestone,
    Party,
    Source,
    StatusUpdate,
    Theme,
)
from commitments.services import NewEvidence, complete_milestone, record_status_update


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def register(make, analyst):
    italy, japan = make.actor("Italy"), make.actor("Japan")
    defence = make.theme("Defence")
    source = make.source("Joint statement", url="https://example.org/js", date=dt.date(2024, 2, 5))
    plan = make.commitment("Action plan", slug="plan", kind="framework", parties=[(italy, "lead")])
    gcap = make.commitment(
        "Fly a demonstrator",
        slug="gcap",
        themes=[defence],
        parties=[(italy, "lead"), (japan, "partner")],
        deadline=dt.date(2027, 1, 1),
        precision="year",
        source=source,
        parent=plan,
        announced_on=dt.date(2024, 2, 1),
        announced_precision="month",
        external_id="ij-1",
        summary="Line one\nline two, with a comma",
    )
    first = record_status_update(
        commitment=gcap,
        status="in_progress",
        by=analyst,
        rationale="Work started.",
        progress=20,
        effective_on=dt.date(2024, 6, 1),
        new_evidence=[NewEvidence(title="Report", url="https://example.org/r")],
    )
    record_status_update(
        commitment=gcap,
        status="stalled",
        by=analyst,
        rationale="Funding paused.",
        progress=20,
        effective_on=dt.date(2025, 1, 15),
        evidence=list(first.evidence.all()),
    )
    milestone = Milestone.objects.create(
        commitment=gcap, title="Design review", due_on=dt.date(2025, 7, 1), due_precision="quarter"
    )
    complete_milestone(
        milestone=milestone,
        completed_on=dt.date(2025, 9, 1),
        by=analyst,
        evidence=list(first.evidence.all()),
    )
    Milestone.objects.create(commitment=gcap, title="Flight test", order=0)
    make.commitment("Other", slug="other", parties=[japan], deadline=dt.date(2030, 6, 30))
    return gcap


def snapshot():
    """Everything an export should carry, keyed by natural keys (no database ids)."""
    result = {}
    for c in Commitment.objects.order_by("slug"):
        result[c.slug] = {
            "fields": (
                c.title,
                c.summary,
                c.quote,
                c.kind,
                c.announced_on,
                c.announced_precision,
                c.deadline,
                c.deadline_precision,
                c.status,
                c.progress,
                c.external_id,
                c.parent.slug if c.parent else None,
                (c.source.title, c.source.date, c.source.url) if c.source else None,
            ),
            "parties": sorted((p.actor.name, p.role) for p in c.parties.all()),
            "themes": sorted(t.name for t in c.themes.all()),
            "evidence": sorted((e.title, e.url, e.kind, e.reliability) for e in c.evidence.all()),
            "milestones": sorted(
                (
                    m.title,
                    m.due_on,
                    m.due_precision,
                    m.completed_on,
                    m.order,
                    tuple(sorted(e.title for e in m.evidence.all())),
                )
                for m in c.milestones.all()
            ),
            "history": [
                (
                    u.status,
                    u.previous_status,
                    u.progress,
                    u.effective_on,
                    u.rationale,
                    # who and when the history says recorded it: an import keeps the
                    # file's word as its claim
                    u.claimed_at or u.recorded_at,
                    u.claimed_by or (u.recorded_by.username if u.recorded_by else None),
                    tuple(sorted(e.title for e in u.evidence.all())),
                )
                for u in c.updates.order_by("id")
            ],
        }
    return result


def empty_database():
    Commitment.objects.update(parent=None)
    StatusUpdate.objects.all().delete()
    Commitment.objects.all().delete()
    Actor.objects.all().delete()
    Theme.objects.all().delete()
    Source.objects.all().delete()


@pytest.mark.parametrize(
    "user", [None, "reader", "analyst", "editor", "superuser"], ids=lambda u: u or "anonymous"
)
@pytest.mark.parametrize("name", ["commitment_export_csv", "commitment_export_json"])
def test_it_lets_everyone_export_while_reading_is_public(client, request, register, user, name):
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "Fly a demonstrator" in body(response)


def test_it_exports_csv_in_the_import_columns_honouring_the_filters(client, register):
    response = client.get("/commitments/export.csv?status=stalled")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [r["slug"] for r in rows] == ["gcap"]
    row = rows[0]
    assert row["parties"] == "Italy:lead; Japan:partner"
    assert (row["deadline"], row["announced"], row["status"], row["progress"]) == (
        "2027",
        "February 2024",
        "stalled",
        "20",
    )
    assert (row["parent"], row["source"], row["external_id"]) == ("plan", "Joint statement", "ij-1")
    everything = list(csv.DictReader(io.StringIO(body(client.get("/commitments/export.csv")))))
    assert len(everything) == 3


def test_it_refuses_invalid_filters(client, register):
    response = client.get("/commitments/export.json?deadline_after=soon")
    assert response.status_code == 400
    assert b"deadline_after" in response.content


def test_it_exports_json_with_milestones_evidence_and_history(client, register):
    data = json.loads(body(client.get("/commitments/export.json?party=japan&sort=title")))
    gcap = next(c for c in data["commitments"] if c["slug"] == "gcap")
    assert [c["slug"] for c in data["commitments"]] == ["gcap", "other"]
    assert [h["status"] for h in gcap["history"]] == ["in_progress", "stalled"]
    assert gcap["history"][1]["evidence"] == [1]
    assert gcap["milestones"][0]["due"] == "Q3 2025"
    assert gcap["evidence"][0]["title"] == "Report"


def test_it_reads_every_row_with_its_themes_and_parties_in_one_query(
    register, make, django_assert_num_queries
):
    for n in range(5):
        make.commitment(f"Extra {n}", parties=[make.actor()])
    queryset = Commitment.objects.order_by("title")
    # One query streams the rows (a server-side cursor on PostgreSQL), themes and parties
    # aggregated in SQL, whatever the chunk size.
    with django_assert_num_queries(1):
        whole = "".join(csv_chunks(queryset, chunk_size=100))
    with django_assert_num_queries(1):
        chunked = "".join(csv_chunks(queryset, chunk_size=3))
    assert chunked == whole
    assert len(list(csv.DictReader(io.StringIO(whole)))) == 8


def test_it_reads_the_json_s_nested_rows_per_chunk(register, make, django_assert_num_queries):
    for n in range(5):
        make.commitment(f"Extra {n}", parties=[make.actor()])
    queryset = Commitment.objects.order_by("title")
    # The rows in one query; per chunk, evidence, milestones, their evidence, updates and
    # theirs.
    with django_assert_num_queries(1 + 5):
        whole = "".join(json_chunks(queryset, chunk_size=100))
    with django_assert_num_queries(1 + 5 * 3):  # 8 commitments, chunks of 3
        chunked = "".join(json_chunks(queryset, chunk_size=3))
    assert chunked == whole


def exported_peak_mb(chunks) -> tuple[float, int]:
    tracemalloc.start()
    try:
        lines = sum(chunk.count("\r\n") for chunk in chunks)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20, lines


def many(count: int, offset: int = 0) -> None:
    actor = Actor.objects.create(
        name=f"Country {offset}", slug=f"country-{offset}", kind=ActorKind.GOVERNMENT
    )
    theme = Theme.objects.create(name=f"Theme {offset}", slug=f"theme-{offset}")
    made = Commitment.objects.bulk_create(
        Commitment(
            title=f"Commitment {offset + i} " + "words " * 40,
            slug=f"c-{offset + i}",
            summary="A summary " * 30,
            quote="The parties will " * 20,
            kind="deliverable",
        )
        for i in range(count)
    )
    Party.objects.bulk_create(Party(commitment=c, actor=actor, role="lead") for c in made)
    Link = Commitment.themes.through
    Link.objects.bulk_create(Link(commitment_id=c.pk, theme_id=theme.pk) for c in made)


def test_it_streams_ten_times_the_rows_in_about_the_same_memory(db):
    many(300)
    small_peak, small_lines = exported_peak_mb(
        csv_chunks(Commitment.objects.order_by("id"), chunk_size=100)
    )
    many(2_700, offset=300)
    large_peak, large_lines = exported_peak_mb(
        csv_chunks(Commitment.objects.order_by("id"), chunk_size=100)
    )
    assert (small_lines, large_lines) == (301, 3_001)
    # Held all at once, 3,000 rows of about 1 KB each would take several megabytes.
    assert large_peak < 2 * small_peak + 0.5, (small_peak, large_peak)


def test_it_round_trips_json_into_an_empty_database(client, register):
    before = snapshot()
    exported = body(client.get("/commitments/export.json")).encode()
    empty_database()
    result = import_file(exported, "commitments.json")
    assert result.written, result.rejected
    assert len(result.created) == 3
    assert snapshot() == before
    again = import_file(exported, "commitments.json")
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 3)
    assert snapshot() == before


def test_it_round_trips_csv_into_an_empty_database(client, register):
    exported = body(client.get("/commitments/export.csv")).encode()
    before = {slug: value["fields"][:-1] for slug, value in snapshot().items()}
    parties = {slug: value["parties"] for slug, value in snapshot().items()}
    empty_database()
    result = import_file(exported, "commitments.csv")
    assert result.written, result.rejected
    after = snapshot()
    assert {slug: value["fields"][:-1] for slug, value in after.items()} == before
    assert {slug: value["parties"] for slug, value in after.items()} == parties


def test_it_exports_the_date_of_the_current_status_and_imports_it_back(client, register):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/commitments/export.csv")))))
    written = {row["slug"]: row["effective"] for row in rows if row["status"] != "not_rated"}
    current = {
        c.slug: c.updates.not_corrected().newest_first().first()
        for c in Commitment.objects.exclude(status="not_rated")
    }
    assert written and set(written) == set(current)
    exported = body(client.get("/commitments/export.csv")).encode()
    empty_database()
    import_file(exported, "commitments.csv")
    for slug, update in current.items():
        imported = Commitment.objects.get(slug=slug).updates.get()
        assert (imported.effective_on, imported.effective_precision) == (
            update.effective_on,
            update.effective_precision,
        )


def test_it_exports_from_the_command_line_with_filters(tmp_path, register, capsys):
    output = tmp_path / "out.json"
    call_command("export_commitments", "--param", "theme=defence", str(output))
    data = json.loads(output.read_text())
    assert [c["slug"] for c in data["commitments"]] == ["gcap"]
    assert "Exporting" in capsys.readouterr().err
    csv_output = tmp_path / "out.csv"
    call_command(
        "export_commitments", "--format", "csv", "--param", "kind=framework", str(csv_output)
    )
    rows = list(csv.DictReader(csv_output.open(encoding="utf-8")))
    assert [r["slug"] for r in rows] == ["plan"]


def test_it_exports_to_standard_output(register, capsys):
    call_command("export_commitments", "--param", "sort=-title", "-")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["slug"] for r in rows] == ["other", "gcap", "plan"]


FORMULA_STARTS = {
    "equals": '=HYPERLINK("https://evil.example")',
    "plus": "+1+1",
    "minus": "-2-2",
    "at": "@SUM(A1)",
    "tab": "\tTabbed",
    "carriage_return": "\rReturned",
}


@pytest.fixture
def formulas(make, analyst):
    """A commitment per formula start, in every text column the CSV carries (a list's items
    are trimmed, so themes and parties start with the visible characters only)."""
    made = []
    for n, (key, text) in enumerate(FORMULA_STARTS.items()):
        name = text if text.strip() == text else "=" + text.strip()
        source = make.source(f"{text} source", url=f"https://example.org/{key}")
        made.append(
            make.commitment(
                f"{text} title",
                slug=f"formula-{key}",
                summary=f"{text} summary",
                quote=f"{text} quote",
                external_id=f"{text}-{n}",
                source=source,
                themes=[make.theme(f"{name} theme")],
                parties=[(make.actor(f"{name} actor"), "lead")],
            )
        )
    return made


def cells(exported: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(exported)) for cell in row]


def test_it_escapes_every_text_cell_that_starts_a_formula_in_the_csv(client, formulas):
    exported = body(client.get("/commitments/export.csv"))

    starting = [cell for cell in cells(exported) if cell and cell.lstrip("'")[:1] in "=+-@\t\r"]
    # title, summary, quote, source, themes, parties and external id of each
    assert len(starting) == len(FORMULA_STARTS) * 7
    assert all(cell.startswith("'") for cell in starting)


def test_it_round_trips_formula_cells_through_csv_into_an_empty_database(client, formulas):
    exported = body(client.get("/commitments/export.csv")).encode()
    before = snapshot()
    empty_database()

    result = import_file(exported, "commitments.csv")

    assert result.written, result.rejected
    assert len(result.created) == len(FORMULA_STARTS)
    assert snapshot() == before
    assert Commitment.objects.get(slug="formula-tab").title == "\tTabbed title"
    assert Commitment.objects.get(slug="formula-carriage_return").summary == "\rReturned summary"


def test_it_round_trips_formula_cells_through_json_into_an_empty_database(client, make, analyst):
    commitment = make.commitment("=1+1 plan", slug="plan", summary="@mention")
    update = record_status_update(
        commitment=commitment,
        status="in_progress",
        by=analyst,
        rationale="-5% funding, +2 partners",
        effective_on=dt.date(2024, 6, 1),
        new_evidence=[NewEvidence(title="=Report", url="https://example.org/r")],
    )
    Milestone.objects.create(commitment=commitment, title="+Milestone")
    exported = body(client.get("/commitments/export.json"))
    record = json.loads(exported)["commitments"][0]
    assert record["title"] == "'=1+1 plan"
    assert record["history"][0]["rationale"] == "'-5% funding, +2 partners"
    assert record["evidence"][0]["title"] == "'=Report"
    before = snapshot()
    empty_database()
    Milestone.objects.all().delete()

    result = import_file(exported.encode(), "commitments.json")

    assert result.written, result.rejected
    assert Commitment.objects.get().milestones.get().title == "+Milestone"
    assert Commitment.objects.get().updates.get().rationale == update.rationale
    assert snapshot()["plan"]["fields"] == before["plan"]["fields"]
    assert snapshot()["plan"]["evidence"] == before["plan"]["evidence"]
