"""python manage.py extract_commitments."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.extraction_expectations import FIXTURES
from tests.pdfs import text_pdf


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("extract_commitments", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_candidates_as_json_with_the_register_parties(make):
    make.actor("Canada", aliases="Ottawa")
    make.actor("Mexico", aliases="Mexico City")
    make.theme("Trade and investment")
    out, _ = _run(
        str(FIXTURES / "heldout_bilateral.txt"), "--date", "2026-03-12", "--format", "json"
    )
    rows = json.loads(out)
    assert len(rows) == 7
    first = rows[0]
    assert set(first) == {
        "quote",
        "start",
        "end",
        "deadline",
        "parties",
        "kind",
        "themes",
        "score",
        "reason",
    }
    assert first["quote"].startswith("Canada and Mexico will launch")
    assert first["deadline"] == {"date": "2026-12-31", "precision": "year", "display": "by 2026"}
    assert first["parties"] == ["Canada", "Mexico"]
    consulate = next(row for row in rows if "consulate" in row["quote"])
    assert consulate["deadline"]["display"] == "by 2027"
    text = (FIXTURES / "heldout_bilateral.txt").read_text(encoding="utf-8").strip()
    assert all(text[row["start"] : row["end"]] == row["quote"] for row in rows)


def test_it_prints_candidates_as_text(db):
    out, _ = _run(str(FIXTURES / "seed_article.txt"))
    assert "1. [" in out
    assert "by 2035" in out
    assert "Reads as a commitment" in out


def test_it_reads_a_pdf(db, tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(text_pdf(["We will open a consulate by 2027."]))
    rows = json.loads(_run(str(path), "--format", "json")[0])
    assert [row["quote"] for row in rows] == ["We will open a consulate by 2027."]


def test_it_explains_an_empty_result(db):
    out, err = _run(str(FIXTURES / "no_commitments.txt"), "--format", "json")
    assert json.loads(out) == []
    assert "No sentence of this text reads as a commitment" in err


def test_it_says_italian_is_not_extracted(db, tmp_path):
    path = tmp_path / "it.txt"
    path.write_text("L'Italia e il Giappone si impegnano a tenere un dialogo regolare per la pace.")
    out, err = _run(str(path), "--format", "json")
    assert json.loads(out) == []
    assert "reads as Italian: extraction is English-only" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "Cannot read missing.txt"),
        ([str(FIXTURES / "seed_article.txt"), "--date", "12/03/2026"], "is not a date"),
    ],
)
def test_it_refuses_bad_arguments_with_a_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_it_refuses_an_empty_or_binary_file(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="is empty"):
        _run(str(empty))
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(CommandError, match="not readable text"):
        _run(str(binary))
