"""A source's full text from what an editor pastes or uploads: plain text, HTML or PDF,
each refused with a clear reason when it is empty, too large, scanned or unreadable."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import PurePath

from django.utils.translation import gettext
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_BYTES = 5 * 1024 * 1024
KINDS = (".txt", ".html", ".htm", ".pdf")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


class SourceTextError(ValueError):
    """The text could not be read; the message says why and what to do."""


def clean(text: str) -> str:
    """Line ends as \\n, no trailing spaces, at most one blank line in a row, no control
    characters. Quotes and offsets are taken from the text after this."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def from_paste(text: str) -> str:
    cleaned = clean(text or "")
    if not cleaned:
        raise SourceTextError(
            gettext("The text is empty: paste the statement's text or upload a file.")
        )
    return cleaned


def from_upload(name: str, data: bytes) -> str:
    """The text of an uploaded .txt, .html or .pdf file."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in KINDS:
        raise SourceTextError(
            gettext(
                "“%(name)s” is not a .txt, .html or .pdf file: save the statement in one of these."
            )
            % {"name": name}
        )
    if len(data) > MAX_BYTES:
        raise SourceTextError(
            gettext("“%(name)s” is larger than 5 MB: upload the statement's text alone.")
            % {"name": name}
        )
    if not data.strip():
        raise SourceTextError(gettext("“%(name)s” is empty.") % {"name": name})
    if suffix == ".pdf":
        text = _pdf_text(name, data)
    else:
        text = _decode(name, data)
        if suffix in {".html", ".htm"}:
            text = html_to_text(text)
    cleaned = clean(text)
    if not cleaned:
        raise SourceTextError(gettext("“%(name)s” holds no text.") % {"name": name})
    return cleaned


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            if text.count("\ufffd") == 0 and len(_CONTROL.findall(text)) < len(text) / 100:
                return text
    raise SourceTextError(
        gettext(
            "“%(name)s” is not readable text (binary data or an unknown encoding): save it as "
            "UTF-8 text, or paste the text."
        )
        % {"name": name}
    )


def _pdf_text(name: str, data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceTextError(
                gettext("“%(name)s” is password-protected: upload an open copy.") % {"name": name}
            )
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except SourceTextError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SourceTextError(
            gettext("“%(name)s” is not a readable PDF (%(problem)s).")
            % {"name": name, "problem": exc}
        ) from exc
    if not text.strip():
        raise SourceTextError(
            gettext(
                "“%(name)s” has no text layer (a scanned document?): paste its text, or upload "
                "a PDF with text."
            )
            % {"name": name}
        )
    return text


_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset(["script", "style", "head", "noscript", "template", "svg", "nav"])


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(" ".join(data.split(" ")).replace("\n", " "))


def html_to_text(html: str) -> str:
    """The words of an HTML page, a line per block and "- " before each list item."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
