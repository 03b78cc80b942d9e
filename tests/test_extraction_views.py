"""The statement pages for Editors: add a source with its text, review its commitments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.choices import Decision, Precision
from commitments.models import CandidateDecision, Commitment, Source, SourceQuote
from commitments.sourcetext import MAX_BYTES
from tests.extraction_expectations import FIXTURES
from tests.pdfs import scanned_pdf, text_pdf

BILATERAL = (FIXTURES / "heldout_bilateral.txt").read_text(encoding="utf-8")
MINERALS = (
    "Canada and Mexico will launch a joint critical minerals working group before the end of 2026."
)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def statement(make):
    make.actor("Canada", aliases="Ottawa")
    make.actor("Mexico", aliases="Mexico City")
    make.theme("Critical minerals", description="Mining and processing of critical minerals.")
    return make.source("Ottawa statement", date=dt.date(2026, 3, 12), full_text=BILATERAL.strip())


def _span(source, words):
    start = source.full_text.index(words)
    return start, start + len(words)


def _url(source):
    return f"/sources/{source.slug}/extract/"


# -- access --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 302), ("reader", 403), ("analyst", 403), ("editor", 200), ("superuser", 200)],
)
@pytest.mark.parametrize("page", ["add", "text", "extract"])
def test_it_lets_only_editors_in(client, request, statement, user, status, page):
    if user:
        client.force_login(request.getfixturevalue(user))
    url = "/sources/add/" if page == "add" else f"/sources/{statement.slug}/{page}/"
    response = client.get(url)
    assert response.status_code == status
    if user is None:
        assert response["Location"].startswith("/accounts/login/")


def test_it_answers_404_for_an_unknown_source(editor_client, db):
    assert editor_client.get("/sources/nowhere/extract/").status_code == 404


# -- adding a source -----------------------------------------------------------------------------
def _add(client, **fields):
    data = {"title": "A statement", "kind": "joint_statement", "date": "2026-03-12", **fields}
    return client.post("/sources/add/", data)


def test_it_stores_a_pasted_statement_and_opens_its_review(editor_client, db):
    response = _add(editor_client, text="We will open a consulate by 2027.\r\n")
    source = Source.objects.get()
    assert response["Location"] == _url(source)
    assert (source.full_text, source.language) == ("We will open a consulate by 2027.", "en")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("s.txt", b"We will open a consulate.", "We will open a consulate."),
        ("s.html", b"<p>We will <b>open</b> a consulate.</p>", "We will open a consulate."),
        ("s.pdf", text_pdf(["We will open a consulate."]), "We will open a consulate."),
    ],
)
def test_it_stores_an_uploaded_statement(editor_client, db, name, data, expected):
    response = _add(editor_client, file=SimpleUploadedFile(name, data))
    assert response.status_code == 302
    assert Source.objects.get().full_text == expected


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   \n "}, "The text is empty"),
        ({"file": SimpleUploadedFile("s.txt", b"")}, "The submitted file is empty"),
        ({"file": SimpleUploadedFile("s.txt", bytes(range(256)))}, "not readable text"),
        ({"file": SimpleUploadedFile("s.pdf", scanned_pdf())}, "no text layer"),
        ({"file": SimpleUploadedFile("s.txt", b"x" * (MAX_BYTES + 1))}, "larger than 5 MB"),
        (
            {"text": "We will.", "file": SimpleUploadedFile("s.txt", b"We will.")},
            "not both",
        ),
        ({"text": "We will.", "title": ""}, "This field is required"),
    ],
)
def test_it_refuses_bad_text_with_a_message_and_stores_nothing(editor_client, db, fields, message):
    response = _add(editor_client, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        (
            "L'Italia e il Giappone si impegnano a tenere un dialogo regolare per la pace.",
            "it",
            "Italian",
        ),
        ("日本とイタリアは防衛協力を強化し、定期的な対話を行うことを約束した。", "ja", "Japanese"),
    ],
)
def test_it_stores_an_italian_or_japanese_text_and_says_extraction_is_english_only(
    editor_client, db, text, code, name
):
    response = _add(editor_client, text=text)
    source = Source.objects.get()
    assert source.language == code and source.full_text == text
    page = editor_client.get(response["Location"]).content.decode()
    assert f"This text reads as {name}: extraction is English-only for now." in page
    assert "To review: 0" in page


def test_it_stores_the_text_of_an_existing_source_until_a_sentence_is_decided(
    editor_client, make, editor
):
    source = make.source("Seed")
    response = editor_client.post(f"/sources/{source.slug}/text/", {"text": MINERALS})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.full_text == MINERALS
    CandidateDecision.objects.create(
        source=source, start=0, end=6, quote="Canada", decision=Decision.REJECTED
    )
    response = editor_client.post(f"/sources/{source.slug}/text/", {"text": "Other words."})
    assert response.status_code == 409
    assert "cannot be replaced" in response.content.decode()
    source.refresh_from_db()
    assert source.full_text == MINERALS


# -- the review page -----------------------------------------------------------------------------
def test_it_shows_every_candidate_in_place_and_in_the_queue(editor_client, statement):
    page = editor_client.get(_url(statement)).content.decode()
    start, end = _span(statement, MINERALS)
    assert f'id="t-{start}-{end}"' in page and f'id="q-{start}-{end}"' in page
    assert "To review: 7" in page
    assert "by 2026 (year)" in page
    assert "<script>" not in page and "style=" not in page


def test_it_accepts_a_good_candidate_in_one_click(
    editor_client, statement, django_assert_max_num_queries
):
    start, end = _span(statement, MINERALS)
    page = editor_client.get(_url(statement)).content.decode()
    assert (
        'name="title" value="Launch a joint critical minerals working group before the end of 2026"'
        in page
    )
    data = {
        "action": "accept",
        "start": start,
        "end": end,
        "title": "Launch a joint critical minerals working group before the end of 2026",
        "quote": MINERALS,
        "kind": "deliverable",
        "deadline": "before the end of 2026",
        "parties": [a.pk for a in _actors()],
    }
    response = editor_client.post(_url(statement), data)
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.source == statement and commitment.quote == MINERALS
    assert (commitment.deadline, commitment.deadline_precision) == (
        dt.date(2026, 12, 31),
        Precision.YEAR,
    )
    assert sorted(a.name for a in commitment.actors.all()) == ["Canada", "Mexico"]
    assert SourceQuote.objects.get().start == start
    page = editor_client.get(_url(statement)).content.decode()
    assert "To review: 6" in page and "span-accepted" in page


def _actors():
    from commitments.models import Actor

    return Actor.objects.filter(name__in=["Canada", "Mexico"])


def test_it_opens_an_editable_form_and_shows_a_bad_deadline_next_to_its_field(
    editor_client, statement
):
    start, end = _span(statement, MINERALS)
    page = editor_client.get(_url(statement), {"edit": f"{start}-{end}"}).content.decode()
    assert f'id="id_{start}-{end}_title"' in page
    response = editor_client.post(
        _url(statement),
        {
            "action": "accept",
            "start": start,
            "end": end,
            "title": "Launch a group",
            "quote": MINERALS,
            "kind": "deliverable",
            "deadline": "someday soon",
        },
    )
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()
    assert not Commitment.objects.exists()


def test_it_refuses_a_quote_that_is_not_the_sources_words(editor_client, statement):
    start, end = _span(statement, MINERALS)
    response = editor_client.post(
        _url(statement),
        {
            "action": "accept",
            "start": start,
            "end": end,
            "title": "Launch a group",
            "quote": "Canada will launch two groups.",
            "kind": "deliverable",
        },
    )
    assert response.status_code == 400
    assert "not in the source&#x27;s text" in response.content.decode()
    assert not Commitment.objects.exists() and not CandidateDecision.objects.exists()


def test_it_keeps_a_rejection_and_does_not_propose_it_again(editor_client, statement):
    start, end = _span(statement, MINERALS)
    response = editor_client.post(_url(statement), {"action": "reject", "start": start, "end": end})
    assert response.status_code == 302
    page = editor_client.get(_url(statement)).content.decode()
    assert "To review: 6" in page and "span-rejected" in page and "Decided: 1" in page
    again = editor_client.post(_url(statement), {"action": "reject", "start": start, "end": end})
    assert again.status_code == 302
    assert CandidateDecision.objects.count() == 1


@pytest.mark.parametrize("data", [{"action": "reject"}, {"action": "dance"}, {}])
def test_it_answers_a_damaged_form_with_a_message_not_an_error(editor_client, statement, data):
    response = editor_client.post(_url(statement), data, follow=True)
    assert response.status_code == 200
    assert not CandidateDecision.objects.exists()


def test_it_proposes_similar_commitments_and_links_with_a_deadline_change(
    editor_client, statement, make, frozen_clock
):
    tracked = make.commitment(
        "Launch a critical minerals working group",
        quote="A working group on critical minerals.",
        deadline=dt.date(2025, 12, 31),
        precision=Precision.YEAR,
    )
    make.commitment("Hold a cultural festival")
    start, end = _span(statement, MINERALS)
    page = editor_client.get(_url(statement), {"link": f"{start}-{end}"}).content.decode()
    assert f'value="{tracked.slug}"' in page
    assert "Hold a cultural festival" not in page
    response = editor_client.post(
        _url(statement),
        {
            "action": "link",
            "start": start,
            "end": end,
            "commitment": tracked.slug,
            "deadline": "before the end of 2026",
            "change_deadline": "on",
        },
    )
    assert response.status_code == 302
    tracked.refresh_from_db()
    assert tracked.deadline == dt.date(2026, 12, 31)
    change = tracked.deadline_changes.get()
    assert (change.old_display, change.new_display) == ("by 2025", "by 2026")
    assert change.source == statement
    assert CandidateDecision.objects.get().decision == Decision.LINKED


def test_it_refuses_to_link_to_an_unknown_commitment(editor_client, statement):
    start, end = _span(statement, MINERALS)
    response = editor_client.post(
        _url(statement), {"action": "link", "start": start, "end": end, "commitment": "ghost"}
    )
    assert response.status_code == 400
    assert "No commitment is recorded as “ghost”" in response.content.decode()


def test_it_opens_a_missed_sentence_marked_by_its_words(editor_client, statement):
    words = "The leaders expressed concern about rising protectionism."
    page = editor_client.get(_url(statement), {"words": words}).content.decode()
    start, end = _span(statement, words)
    assert f'id="q-{start}-{end}"' in page and "Marked by an editor." in page
    assert "span-marked" in page
    missing = editor_client.get(
        _url(statement), {"words": "We will conquer Mars."}
    ).content.decode()
    assert "These words are not in the text" in missing


def test_it_explains_an_empty_queue(editor_client, make):
    text = (FIXTURES / "no_commitments.txt").read_text(encoding="utf-8")
    source = make.source("Anniversary", full_text=text)
    page = editor_client.get(_url(source)).content.decode()
    assert "To review: 0" in page
    assert "No sentence of this text reads as a commitment" in page


def test_it_asks_for_the_text_of_a_source_without_one(editor_client, make):
    source = make.source("No text yet")
    page = editor_client.get(_url(source)).content.decode()
    assert f"/sources/{source.slug}/text/" in page


def test_it_renders_the_review_page_in_a_fixed_number_of_queries(
    editor_client, statement, django_assert_num_queries
):
    # session, user, the user's and groups' permissions, source, actors, themes, decisions
    with django_assert_num_queries(8):
        assert editor_client.get(_url(statement)).status_code == 200
    start, end = _span(statement, MINERALS)
    # and the similar commitments
    with django_assert_num_queries(9):
        editor_client.get(_url(statement), {"link": f"{start}-{end}"})


def test_it_shows_the_queue_fifty_at_a_time_and_links_each_highlight_to_its_page(
    editor_client, make
):
    text = "\n".join(f"We will open consulate number {n}." for n in range(1, 56))
    source = make.source("Long statement", full_text=text)
    first = editor_client.get(_url(source)).content.decode()
    assert "To review: 55" in first and "Showing 1–50 of 55." in first
    assert first.count('class="queue-item"') == 50
    last = "We will open consulate number 55."
    start, end = _span(source, last)
    assert f'href="?page=2#q-{start}-{end}"' in first
    second = editor_client.get(_url(source), {"page": "2"}).content.decode()
    assert second.count('class="queue-item"') == 5 and "Showing 51–55 of 55." in second
    assert f'href="#q-{start}-{end}"' in second
    editing = editor_client.get(_url(source), {"edit": f"{start}-{end}"}).content.decode()
    assert "Showing 51–55 of 55." in editing and f'id="id_{start}-{end}_title"' in editing
    for page, shown in (("abc", "Showing 1–50"), ("0", "Showing 1–50"), ("99", "Showing 51–55")):
        assert shown in editor_client.get(_url(source), {"page": page}).content.decode()


def test_it_reads_a_source_in_the_language_an_editor_gave(editor_client, db):
    _add(editor_client, text="We will open a consulate by 2027.", language="it")
    source = Source.objects.get()
    assert source.language == "it"
    page = editor_client.get(_url(source)).content.decode()
    assert "This text reads as Italian: extraction is English-only for now." in page


def test_it_finds_the_commitment_to_link_by_other_words(editor_client, statement, make):
    make.commitment("Hold a cultural festival", quote="A festival of culture.")
    start, end = _span(statement, MINERALS)
    page = editor_client.get(_url(statement), {"link": f"{start}-{end}"}).content.decode()
    assert "Hold a cultural festival" not in page
    page = editor_client.get(
        _url(statement), {"link": f"{start}-{end}", "q": "cultural festival"}
    ).content.decode()
    assert "Hold a cultural festival" in page
    assert "Tracked commitments closest to “cultural festival”" in page
    nothing = editor_client.get(_url(statement), {"link": f"{start}-{end}", "q": "zzzz qqqq"})
    assert "No tracked commitment shares these words" in nothing.content.decode()
