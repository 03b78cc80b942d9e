"""A commitment's languages in import and export files: `language`, `title_it`,
`summary_ja`, `quote_ja`, `translated_by_it`, … (commitments.importing.translations)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from commitments.importing import Mapping, import_file
from commitments.models import Commitment, CommitmentText
from commitments.services.translations import set_translation

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def texts() -> dict:
    return {
        (t.commitment.slug, t.language): (t.title, t.summary, t.quote, t.translated_by)
        for t in CommitmentText.objects.select_related("commitment")
    }


GCAP = {
    "slug": "gcap",
    "title": "Develop the next-generation fighter",
    "summary": "By 2035.",
    "quote": "We will develop a fighter.",
    "title_it": "Sviluppare il caccia di nuova generazione",
    "summary_ja": "2035年までに。",
    "title_ja": "次期戦闘機の開発",
    "quote_ja": "戦闘機を開発する。",
    "translated_by_ja": "外務省仮訳",
}


def test_it_imports_translations_from_plain_csv_columns(editor):
    result = import_file(csv_bytes([GCAP]), "partners.csv", by=editor)
    assert result.written, result.rejected
    assert texts() == {
        ("gcap", "it"): (GCAP["title_it"], "", "", "Imported from partners.csv"),
        ("gcap", "ja"): ("次期戦闘機の開発", "2035年までに。", "戦闘機を開発する。", "外務省仮訳"),
    }
    assert CommitmentText.objects.get(language="ja").recorded_by == editor
    assert Commitment.objects.get().language == "en"
    again = import_file(csv_bytes([GCAP]), "partners.csv")
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 1)


def test_it_counts_a_changed_translation_as_an_update():
    import_file(csv_bytes([GCAP]), "partners.csv")
    changed = GCAP | {"title_it": "Caccia di nuova generazione"}
    result = import_file(csv_bytes([changed]), "partners.csv")
    assert [o.changes for o in result.updated] == [["translations"]]
    assert texts()[("gcap", "it")][0] == "Caccia di nuova generazione"


def test_it_maps_their_columns_onto_the_translation_columns():
    mapping = Mapping.from_dict(
        {"columns": {"Title": "title", "Titolo": "title_it", "見出し": "title_ja"}}
    )
    content = csv_bytes([{"Title": "Exchange students", "Titolo": "Scambio", "見出し": "学生交流"}])
    result = import_file(content, "theirs.csv", mapping=mapping)
    assert result.written, result.rejected
    assert {lang: v[0] for (_slug, lang), v in texts().items()} == {
        "it": "Scambio",
        "ja": "学生交流",
    }


def test_it_takes_an_original_in_another_language():
    row = {"title": "次期戦闘機の開発", "language": "ja", "title_en": "Develop the fighter"}
    result = import_file(csv_bytes([row]), "ja.csv")
    assert result.written, result.rejected
    commitment = Commitment.objects.get()
    assert (commitment.language, commitment.title) == ("ja", "次期戦闘機の開発")
    assert texts() == {
        (commitment.slug, "en"): ("Develop the fighter", "", "", "Imported from ja.csv")
    }


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({"title": "T", "summary_it": "Solo il riassunto"}, "title_it"),
        ({"title": "T", "language": "klingon", "title_it": "T"}, "language"),
        ({"title": "T", "title_en": "Another English title"}, "title_en"),
        ({"title": "T", "language": "it", "title_it": "Un altro titolo"}, "title_it"),
        ({"title": "T", "title_it": "x" * 301}, "title_it"),
        ({"title": "", "title_it": "Traduzione senza originale"}, "title"),
    ],
)
def test_it_refuses_a_row_whose_languages_break_a_rule(row, column):
    result = import_file(csv_bytes([row]), "bad.csv")
    assert not result.written
    assert column in {r.column for r in result.rejected}
    assert not Commitment.objects.exists()
    assert not CommitmentText.objects.exists()


def test_it_accepts_original_language_columns_that_repeat_the_original():
    row = {"title": "T", "language": "en", "title_en": "T", "title_it": "Titolo"}
    result = import_file(csv_bytes([row]), "same.csv")
    assert result.written, result.rejected
    assert list(texts()) == [(Commitment.objects.get().slug, "it")]


def test_it_keeps_the_whole_file_out_when_one_rows_translation_is_refused():
    good = GCAP | {"summary_it": ""}
    bad = dict.fromkeys(good, "") | {"slug": "other", "title": "Other", "summary_it": "Solo"}
    result = import_file(csv_bytes([good, bad]), "mixed.csv")
    assert not result.written
    assert not Commitment.objects.exists() and not CommitmentText.objects.exists()


def _export(client, fmt: str) -> bytes:
    response = client.get(f"/commitments/export.{fmt}")
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_it_exports_translations_and_an_empty_database_gets_them_back(client, make, fmt):
    commitment = make.commitment("Develop the fighter", slug="gcap", quote="We will.")
    set_translation(
        commitment=commitment,
        language="it",
        title="Sviluppare il caccia",
        summary="Entro il 2035.",
        quote="Lo faremo.",
        translated_by="Redazione",
    )
    set_translation(
        commitment=commitment, language="ja", title="次期戦闘機", translated_by="Tracker editors"
    )
    original = make.commitment("原文の約束", slug="ja-original", language="ja")
    set_translation(
        commitment=original, language="en", title="An original promise", translated_by="X"
    )
    before = texts()
    exported = _export(client, fmt)
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
        assert {"language", "title_it", "summary_it", "quote_ja", "translated_by_ja"} <= set(header)
    else:
        row = next(r for r in json.loads(exported)["commitments"] if r["slug"] == "gcap")
        assert (row["title_it"], row["title_ja"], row["language"]) == (
            "Sviluppare il caccia",
            "次期戦闘機",
            "en",
        )
    Commitment.objects.all().delete()
    result = import_file(exported, f"commitments.{fmt}")
    assert result.written, result.rejected
    assert texts() == before
    assert Commitment.objects.get(slug="ja-original").language == "ja"
    again = import_file(exported, f"commitments.{fmt}")
    assert len(again.updated) == 0
