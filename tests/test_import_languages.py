"""The importer in the reader's language: the web preview's reasons, notes and summary in
Italian, while files are still read in English (status labels, dates) and the command
line keeps speaking English."""

import gettext
import html
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from django.utils.html import strip_tags

from commitments.choices import DeadlineChangeReason
from commitments.importing import fuzzy, rows
from commitments.models import Commitment, StatusUpdate

URL = "/import/"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def italian(client, editor):
    """An editor whose interface is Italian, with label tables built afresh under it."""
    fuzzy._table.cache_clear()
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    yield client
    fuzzy._table.cache_clear()


def upload(client, content: bytes, name: str = "impegni.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def english_phrases() -> set[str]:
    """The English words of every msgid of the Italian catalogue, cut at placeholders,
    that its translation does not keep as they are (three words or more)."""
    mo = ROOT / "locale" / "it" / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    found = set()
    for key, translated in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04", 1)[-1]
        plain = re.sub(r"<[^>]+>", " ", msgid)
        for piece in re.split(r"%\(\w+\)[sd]", plain):
            piece = re.sub(r"\s+", " ", piece).strip(" .,:;·()“”\"'—-")
            if len(piece.split()) >= 3 and piece not in translated:
                found.add(piece)
    return found


def page_text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def test_it_reads_an_english_status_label_while_the_interface_is_italian(italian):
    content = (
        b"title,status,source,effective\n"
        b"Deliver the fighter,In progress,Leaders' statement,2026-05-01\n"
        b"Open the dialogue,Achieved,Leaders' statement,2026-05-01\n"
        b"Study the corridor,Not yet rated,Leaders' statement,2026-05-01\n"
    )
    preview = upload(italian, content)
    assert preview.status_code == 200
    assert preview.context["result"].rejected == []
    payload = re.search(r'name="payload" value="([^"]+)"', preview.content.decode())[1]
    response = italian.post(URL, {"payload": payload, "skip_invalid": "False"})
    assert response.status_code == 302
    assert dict(Commitment.objects.values_list("title", "status")) == {
        "Deliver the fighter": "in_progress",
        "Open the dialogue": "achieved",
        "Study the corridor": "not_rated",
    }
    # The stored rationale is one sentence in the site's language, label included.
    rationale = StatusUpdate.objects.get(commitment__title="Deliver the fighter").rationale
    assert rationale.startswith("In progress as given in Leaders' statement")


@pytest.mark.parametrize("language", ["it", "ja"])
def test_it_reads_english_labels_whatever_language_builds_the_tables(language):
    fuzzy._table.cache_clear()
    try:
        with translation.override(language):
            assert fuzzy.parse_status("Not yet rated") == "not_rated"
            assert fuzzy.parse_kind("Standing") == "standing"
            assert rows.source_kind("Agreement text") == "agreement"
            assert fuzzy.choice_key(DeadlineChangeReason, "Technical or capacity") == "capacity"
    finally:
        fuzzy._table.cache_clear()


def test_it_also_reads_an_italian_status_label(italian):
    preview = upload(
        italian, b"title,status,source,effective\nUno,In corso,Dichiarazione,2026-05\n"
    )
    assert preview.context["result"].rejected == []


def test_it_explains_a_refused_row_in_italian_with_no_english_left(italian):
    preview = upload(italian, b"title,deadline\nUno,someday\nDue,2030\n")
    assert preview.status_code == 200
    text = page_text(preview)
    assert "'someday' non è una data; scriverla come 2035" in text
    assert "impegni.csv: 2 righe; " not in text  # the summary goes to the command only
    assert "Non è possibile importare nulla finché ci sono righe respinte" in text
    data = ["impegni.csv", "Uno", "Due", "someday"]
    for name in data:
        text = text.replace(name, " ")
    left = sorted(piece for piece in english_phrases() if piece in text)
    assert left == []


def test_it_explains_a_file_it_cannot_read_in_italian(italian):
    preview = upload(italian, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an Excel 97 file")
    assert "Questo è un file .xls (Excel 97-2003)" in page_text(preview)


def test_it_shows_a_mapping_error_in_italian_on_the_form(italian):
    mapping = SimpleUploadedFile("mapping.json", b'{"colour": 1}')
    response = italian.post(
        URL, {"file": SimpleUploadedFile("a.csv", b"title\nUno\n"), "mapping": mapping}
    )
    assert "Chiavi di mappatura sconosciute: colour." in page_text(response)


def test_it_keeps_the_command_and_its_report_in_english(tmp_path, db):
    source = tmp_path / "in.csv"
    source.write_text("title,deadline\nOne,someday\n")
    report = tmp_path / "rejects.csv"
    out = StringIO()
    call_command(
        "import_commitments", str(source), "--dry-run", "--report", str(report), stdout=out
    )
    assert "'someday' is not a date; write it as 2035" in report.read_text()
    assert "in.csv: 1 rows; 0 created, 0 updated, 0 unchanged, 1 rejected." in out.getvalue()
