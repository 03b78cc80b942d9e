"""Commitments in several languages: the original on the commitment, translations beside
it (one per language, with who made them), written only through
`services.translations`, read in the reader's language with a fallback to the original."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from commitments.content_languages import from_accept_language, normalise
from commitments.models import Commitment, CommitmentText
from commitments.services.translations import remove_translation, set_translation

pytestmark = pytest.mark.django_db

GCAP_IT = "Sviluppare congiuntamente il caccia di nuova generazione (GCAP)"
GCAP_JA = "次期戦闘機の共同開発（GCAP）"


def translate(commitment, language, title, **kwargs):
    kwargs.setdefault("translated_by", "Tracker editors")
    return set_translation(commitment=commitment, language=language, title=title, **kwargs)


def read_as(client, url: str, language: str):
    """A page read in `language`: asked for as a browser would, and active meanwhile."""
    with translation.override(language):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def gcap(make):
    commitment = make.commitment(
        "Jointly develop the next-generation fighter (GCAP)",
        summary="Italy, Japan and the UK build a fighter together by 2035.",
        quote="We will develop a next-generation fighter by 2035.",
    )
    translate(
        commitment,
        "it",
        GCAP_IT,
        summary="Italia, Giappone e Regno Unito sviluppano insieme un caccia entro il 2035.",
        quote="Svilupperemo un caccia di nuova generazione entro il 2035.",
    )
    translate(commitment, "ja", GCAP_JA, summary="日英伊が2035年までに次期戦闘機を共同開発する。")
    return commitment


# -- storage and the service ---------------------------------------------------------------
def test_it_records_and_replaces_a_translation_with_who_made_it(gcap, editor):
    text = set_translation(
        commitment=gcap,
        language="it-IT",
        title="  Caccia di nuova generazione  ",
        translated_by="M. Rossi",
        by=editor,
    )
    assert (text.language, text.title, text.translated_by) == (
        "it",
        "Caccia di nuova generazione",
        "M. Rossi",
    )
    assert text.recorded_by == editor
    assert gcap.translations.count() == 2
    assert gcap.title == "Jointly develop the next-generation fighter (GCAP)"  # the original


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"language": "en"}, "language"),  # the original's own language
        ({"language": "de"}, "language"),
        ({"language": ""}, "language"),
        ({"title": "   "}, "title"),
        ({"translated_by": ""}, "translated_by"),
        ({"title": "x" * 301}, "title"),
        ({"summary": "x" * 5001}, "summary"),
    ],
)
def test_it_refuses_a_translation_that_breaks_a_rule(gcap, changes, field):
    values = {"language": "it", "title": "Titolo", "translated_by": "Redazione"} | changes
    with pytest.raises(ValidationError) as error:
        set_translation(commitment=gcap, **values)
    assert field in error.value.message_dict
    assert CommitmentText.objects.get(commitment=gcap, language="it").title == GCAP_IT


def test_it_refuses_a_translation_without_an_original():
    with pytest.raises(ValidationError) as error:
        set_translation(commitment=None, language="it", title="Titolo", translated_by="R")
    assert "original" in error.value.message_dict["commitment"][0]
    unsaved = Commitment(title="")
    with pytest.raises(ValidationError):
        set_translation(commitment=unsaved, language="it", title="Titolo", translated_by="R")
    assert not CommitmentText.objects.exists()


def test_it_names_the_original_language_when_a_translation_would_replace_it(gcap):
    with pytest.raises(ValidationError) as error:
        translate(gcap, "en", "Another English title")
    assert "English is this commitment's original language" in str(error.value)


def test_it_keeps_one_translation_per_language_and_a_translator_in_the_database(gcap):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentText.objects.create(
            commitment=gcap, language="it", title="Doppio", translated_by="R"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentText.objects.create(commitment=gcap, language="fr", title="T", translated_by="R")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentText.objects.filter(commitment=gcap, language="it").update(translated_by="")


def test_it_removes_a_translation(gcap):
    assert remove_translation(commitment=gcap, language="ja") is True
    assert remove_translation(commitment=gcap, language="ja") is False
    assert list(gcap.translations.values_list("language", flat=True)) == ["it"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("it-IT,it;q=0.9,en;q=0.8", "it"),
        ("fr-FR, ja;q=0.5, it;q=0.4", "ja"),
        ("de, fr", None),
        ("", None),
        ("ja;q=abc, it", "it"),
        ("x" * 5000, None),
    ],
)
def test_it_reads_the_preferred_content_language_from_a_header(header, expected):
    assert from_accept_language(header) == expected


def test_it_normalises_language_codes():
    assert [normalise(c) for c in ("IT", "ja_JP", "en-gb", "xx", None, "")] == [
        "it",
        "ja",
        "en",
        None,
        None,
        None,
    ]


# -- pages ---------------------------------------------------------------------------------
def test_it_shows_the_readers_language_on_the_list(client, gcap, make):
    make.commitment("Exchange students")
    response = read_as(client, reverse("commitment_list"), "it")
    body = response.content.decode()
    assert GCAP_IT in body
    assert 'lang="it"' in body
    assert "Exchange students" in body  # no translation: the original


def test_it_shows_the_translation_and_always_the_original_quote(client, gcap):
    response = read_as(client, gcap.get_absolute_url(), "it")
    body = response.content.decode()
    assert f'<h1 lang="it">{GCAP_IT}</h1>' in body
    assert 'data-language-note="translated"' in body
    assert "Tracker editors" in body
    assert "Svilupperemo un caccia di nuova generazione entro il 2035." in body
    assert "We will develop a next-generation fighter by 2035." in body  # the original


def test_it_falls_back_to_the_original_with_a_note(client, make):
    commitment = make.commitment("Exchange students", quote="We will exchange students.")
    response = read_as(client, commitment.get_absolute_url(), "ja")
    body = response.content.decode()
    assert '<h1 lang="en">Exchange students</h1>' in body
    assert 'data-language-note="original"' in body
    with translation.override("ja"):
        note = translation.gettext(
            "Shown in the original %(original)s; no %(reader)s translation yet."
        ) % {
            "original": translation.pgettext("language name inside a sentence", "English"),
            "reader": translation.pgettext("language name inside a sentence", "Japanese"),
        }
    assert note != "Shown in the original English; no Japanese translation yet."
    assert note in body
    assert "We will exchange students." in body


def test_it_adds_no_note_in_the_original_language(client, gcap):
    body = read_as(client, gcap.get_absolute_url(), "en").content.decode()
    assert "data-language-note" not in body
    assert "Jointly develop the next-generation fighter (GCAP)" in body


def test_it_reads_translations_in_the_same_queries_as_before(
    client, make, django_assert_num_queries
):
    """The list's query count does not grow with translations: the reader's language
    is read in the rows' own query."""
    for n in range(3):
        commitment = make.commitment(f"Commitment {n}")
        translate(commitment, "it", f"Impegno {n}")
    with translation.override("en"):
        baseline = _count(client, reverse("commitment_list"))
    for n in range(3, 9):
        translate(make.commitment(f"Commitment {n}"), "it", f"Impegno {n}")
    with translation.override("it"):
        assert _count(client, reverse("commitment_list")) == baseline


def test_it_reads_a_commitment_in_any_language_in_the_same_queries(client, gcap, make):
    plain = make.commitment("Exchange students")
    with translation.override("en"):
        english = _count(client, gcap.get_absolute_url())
    with translation.override("it"):
        assert _count(client, gcap.get_absolute_url()) == english
        assert _count(client, plain.get_absolute_url()) == english


def _count(client, url: str) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# -- search --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "q",
    [
        "次期戦闘機",
        "戦闘機",
        "GCAP",
        "caccia nuova",
        "Caccia di nuova generazione",
        "next-generation",
    ],
)
def test_it_finds_a_commitment_by_any_of_its_languages(client, gcap, make, q):
    make.commitment("Exchange students")
    response = client.get(reverse("commitment_list"), {"q": q})
    assert response.status_code == 200
    assert [c.slug for c in response.context["commitments"]] == [gcap.slug]


@pytest.mark.parametrize("q", ["機", "戦闘", "GCAP 戦闘機", "（GCAP） 次期", "日英伊"])
def test_it_finds_short_and_mixed_script_terms(client, gcap, q):
    response = client.get(reverse("commitment_list"), {"q": q})
    assert [c.slug for c in response.context["commitments"]] == [gcap.slug]


@pytest.mark.parametrize(
    "q", ["戦闘機 lithium", "caccia 戦闘機", "機" * 199, "ａｂｃ 次期 %_\\", "'\"); --"]
)
def test_it_answers_odd_search_terms_without_an_error(client, gcap, q):
    response = client.get(reverse("commitment_list"), {"q": q})
    assert response.status_code == 200
    assert list(response.context["commitments"]) == []


def test_it_refuses_a_very_long_cjk_search_with_a_message(client, gcap):
    response = client.get(reverse("commitment_list"), {"q": "次期戦闘機" * 300})
    assert response.status_code == 200
    assert response.context["errors"]
    api = client.get(reverse("api_commitments"), {"q": "次期戦闘機" * 300})
    assert api.status_code == 400


def test_it_ranks_an_english_title_match_first(client, gcap, make):
    make.commitment("Fighter pilots exchange", summary="next-generation fighter")
    titles = [c.title for c in client.get("/commitments/", {"q": "fighter"}).context["commitments"]]
    assert set(titles) == {"Fighter pilots exchange", gcap.title}


def test_it_finds_a_japanese_original_inside_its_title(client, make):
    original = make.commitment("次期戦闘機の共同開発に関する協定", language="ja")
    make.commitment("Exchange students")
    for q in ("次期戦闘機", "協定", "共同開発 協定"):
        response = client.get(reverse("commitment_list"), {"q": q})
        assert [c.slug for c in response.context["commitments"]] == [original.slug], q


def fighters_in_japanese(make, n: int) -> list[str]:
    """`n` commitments found only by their Japanese titles, and one found by nothing."""
    found = []
    for i in range(n):
        commitment = make.commitment(f"Commitment {i}")
        translate(commitment, "ja", f"次期戦闘機{i}")
        found.append(commitment.slug)
    make.commitment("Exchange students")
    return found


def test_it_finds_more_matches_than_it_reads_as_ids(client, make, monkeypatch):
    from commitments import filters

    monkeypatch.setattr(filters, "OTHER_LANGUAGE_IDS_MAX", 2)
    monkeypatch.setattr(filters, "OTHER_LANGUAGE_IDS_MAX_POSTGRES", 2)
    found = fighters_in_japanese(make, 4)
    response = client.get(reverse("commitment_list"), {"q": "次期戦闘機"})
    assert sorted(c.slug for c in response.context["commitments"]) == sorted(found)


# -- the API -------------------------------------------------------------------------------
def test_it_answers_the_api_in_the_language_asked_for(client, gcap, make):
    make.commitment("Exchange students")
    rows = client.get(reverse("api_commitments"), {"lang": "ja"}).json()["results"]
    by_slug = {row["slug"]: row for row in rows}
    assert by_slug[gcap.slug]["title"] == GCAP_JA
    assert by_slug[gcap.slug]["language"] == "ja"
    assert by_slug[gcap.slug]["original_language"] == "en"
    other = next(row for slug, row in by_slug.items() if slug != gcap.slug)
    assert (other["title"], other["language"]) == ("Exchange students", "en")
    header = client.get(reverse("api_commitments"), HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9")
    assert {row["title"] for row in header.json()["results"]} >= {GCAP_IT}


@pytest.mark.parametrize("lang", ["xx", "", "../../etc", "ja" * 200, "%00"])
def test_it_falls_back_to_english_for_an_unknown_api_language(client, gcap, lang):
    response = client.get(reverse("api_commitment", args=[gcap.slug]), {"lang": lang})
    assert response.status_code == 200
    assert response.json()["title"] == gcap.title


def test_it_lists_every_version_in_the_api_detail(client, gcap):
    data = client.get(reverse("api_commitment", args=[gcap.slug]), {"lang": "it"}).json()
    assert data["title"] == GCAP_IT
    assert data["quote"] == "We will develop a next-generation fighter by 2035."
    versions = {(v["language"], v["original"], v["translated_by"]) for v in data["versions"]}
    assert versions == {
        ("en", True, None),
        ("it", False, "Tracker editors"),
        ("ja", False, "Tracker editors"),
    }
    assert data["versions"][0]["original"] is True


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm and GIN indexes are PostgreSQL's"
)
def test_it_answers_a_japanese_search_from_the_trigram_index(gcap):
    from commitments.filters import CommitmentFilterSet, other_language_matches

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = other_language_matches("次期戦闘機").explain()
        english = CommitmentFilterSet({"q": "fighter"}).qs.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert "commitment_text_trgm_idx" in plan
    assert "commitment_original_trgm_idx" in plan
    assert "commitment_document_idx" in english  # English words: their own index, as before
    assert [c.slug for c in CommitmentFilterSet({"q": "次期戦闘機"}).qs] == [gcap.slug]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an array parameter is PostgreSQL's")
def test_it_passes_the_ids_found_in_other_languages_as_one_array(make, monkeypatch):
    from commitments import filters

    found = fighters_in_japanese(make, 3)
    queryset = filters.CommitmentFilterSet({"q": "次期戦闘機"}).qs
    sql, params = queryset.query.sql_with_params()
    assert "= ANY(%s::bigint[])" in sql
    # The ids as PostgreSQL's array text, one parameter.
    ids = sorted(queryset.values_list("pk", flat=True))
    assert [p for p in params if str(p).startswith("{")] == ["{" + ",".join(map(str, ids)) + "}"]
    assert sorted(c.slug for c in queryset) == sorted(found)
    # One more than the most read as ids: a subquery, the same answer.
    monkeypatch.setattr(filters, "OTHER_LANGUAGE_IDS_MAX_POSTGRES", 2)
    queryset = filters.CommitmentFilterSet({"q": "次期戦闘機"}).qs
    assert "ANY(" not in queryset.query.sql_with_params()[0]
    assert sorted(c.slug for c in queryset) == sorted(found)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_it_tells_whether_the_full_text_index_finds_anything(make):
    from django.contrib.postgres.search import SearchQuery

    from commitments.filters import any_row

    make.commitment("Next-generation fighter")
    make.commitment("Exchange students")

    def found(text):
        query = SearchQuery(text, search_type="websearch", config="english")
        return any_row(Commitment.objects.filter(search_document=query))

    assert found("fighter") and found("fighters")
    assert not found("次期戦闘機") and not found("submarine")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ranking is PostgreSQL's")
def test_it_ranks_a_commitment_found_by_its_own_words_above_one_found_by_a_translation(make):
    from commitments.filters import CommitmentFilterSet

    own = make.commitment("Zebra crossings for Osaka", summary="Caccia")
    translated = make.commitment("Another commitment")
    translate(translated, "it", "Caccia di nuova generazione")
    assert [c.slug for c in CommitmentFilterSet({"q": "caccia"}).qs] == [own.slug, translated.slug]


# -- the admin -----------------------------------------------------------------------------
def _admin_post(client, commitment, rows: dict):
    from tests.test_admin import _form_data

    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    data = _form_data(client.get(url))
    prefix = "translations"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in rows.items():
        data[f"{prefix}-{total}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return client.post(url, data)


def test_it_adds_a_translation_in_the_admin_through_the_service(client, superuser, make):
    client.force_login(superuser)
    commitment = make.commitment("Exchange students")
    response = _admin_post(
        client,
        commitment,
        {"language": "it", "title": "Scambio di studenti", "translated_by": "Redazione"},
    )
    assert response.status_code == 302
    text = CommitmentText.objects.get(commitment=commitment)
    assert (text.language, text.title, text.recorded_by) == ("it", "Scambio di studenti", superuser)


def test_it_refuses_a_translation_into_the_original_language_in_the_admin(client, superuser, make):
    client.force_login(superuser)
    commitment = make.commitment("Exchange students")
    response = _admin_post(
        client,
        commitment,
        {"language": "en", "title": "Student exchange", "translated_by": "Redazione"},
    )
    assert response.status_code == 200
    assert "original language" in response.content.decode()
    assert not CommitmentText.objects.exists()
