"""Reading a source's text from a paste or an upload, and refusing what cannot be read."""

from __future__ import annotations

import pytest

from commitments.sourcetext import (
    MAX_BYTES,
    SourceTextError,
    clean,
    from_paste,
    from_upload,
    html_to_text,
)
from tests.pdfs import scanned_pdf, text_pdf


def test_it_reads_a_utf8_text_file_with_or_without_a_bom():
    text = "We will open a consulate in Ōsaka.\r\n"
    assert from_upload("s.txt", text.encode("utf-8")) == "We will open a consulate in Ōsaka."
    assert from_upload("s.txt", text.encode("utf-8-sig")) == "We will open a consulate in Ōsaka."
    assert from_upload("s.txt", text.encode("utf-16")) == "We will open a consulate in Ōsaka."


def test_it_reads_a_windows_1252_file():
    assert from_upload("s.txt", "Rome’s plan".encode("cp1252")) == "Rome’s plan"


def test_it_reduces_html_to_its_words_with_list_items():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><nav>Menu</nav>"
        "<h1>Joint  Statement</h1><p>We will:</p><ul><li>open a <b>consulate</b>;</li>"
        "<li>hold a forum.</li></ul><script>x()</script><p>Tom &amp; Jerry</p></body></html>"
    )
    expected = "Joint Statement\nWe will:\n- open a consulate;\n- hold a forum.\nTom & Jerry"
    assert html_to_text(html) == expected
    assert from_upload("page.HTML", html.encode()) == expected


def test_it_reads_the_text_layer_of_a_pdf():
    data = text_pdf(["Joint statement", "We will open a consulate by 2027."])
    assert from_upload("s.pdf", data) == "Joint statement\nWe will open a consulate by 2027."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("s.txt", b"", "is empty"),
        ("s.txt", b"  \n\t ", "is empty"),
        ("s.html", b"<p> </p>", "holds no text"),
        ("s.txt", bytes(range(256)) * 4, "not readable text"),
        ("s.pdf", scanned_pdf(), "no text layer"),
        ("s.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
        ("s.docx", b"PK\x03\x04", "not a .txt, .html or .pdf file"),
    ],
)
def test_it_refuses_what_it_cannot_read_with_a_reason(name, data, message):
    with pytest.raises(SourceTextError, match=message):
        from_upload(name, data)


def test_it_takes_a_file_of_exactly_five_megabytes_and_refuses_one_byte_more():
    line = b"We will open a consulate.\n"
    data = line * (MAX_BYTES // len(line)) + b"x" * (MAX_BYTES % len(line))
    assert len(data) == MAX_BYTES
    assert from_upload("s.txt", data).startswith("We will")
    with pytest.raises(SourceTextError, match="larger than 5 MB"):
        from_upload("s.txt", data + b"x")


@pytest.mark.parametrize("text", ["", "   \n  \t"])
def test_it_refuses_an_empty_paste(text):
    with pytest.raises(SourceTextError, match="The text is empty"):
        from_paste(text)


def test_it_cleans_line_ends_control_characters_and_blank_lines():
    assert clean("a \r\nb\x00\x07\r\r\r\n\nc\t \n") == "a\nb\n\nc"
