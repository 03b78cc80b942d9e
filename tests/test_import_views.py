"""The import page: Editors upload, see a preview, then confirm."""

import json
import random
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from commitments.forms.importing import MAX_UPLOAD_BYTES, sign_payload
from commitments.models import Commitment, Theme

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "commitments.csv"
URL = "/import/"


def upload(client, content=None, name="commitments.csv", **extra):
    file = SimpleUploadedFile(name, content if content is not None else EXAMPLE.read_bytes())
    return client.post(URL, {"file": file, **extra})


def payload_of(response) -> str:
    return payload_of_html(response.content.decode())


def payload_of_html(html: str) -> str:
    return re.search(r'name="payload" value="([^"]+)"', html)[1]


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 302), ("reader", 403), ("analyst", 403), ("editor", 200), ("superuser", 200)],
    ids=["anonymous", "reader", "analyst", "editor", "superuser"],
)
def test_it_lets_only_people_who_may_import_in(client, request, user, status, db):
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("import_commitments"))
    assert response.status_code == status
    if user is None:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("user", "shown"), [("analyst", False), ("editor", True)], ids=["analyst", "editor"]
)
def test_it_links_the_import_page_in_the_menu_for_those_who_may_import(
    client, request, user, shown, db
):
    client.force_login(request.getfixturevalue(user))
    html = client.get(reverse("commitment_list")).content.decode()
    assert (f'href="{URL}"' in html) is shown


def test_it_lists_the_columns_it_will_leave_out_in_the_preview(client, editor):
    client.force_login(editor)
    preview = upload(client, b"title,colour\nOne,red\n")
    assert "Columns left out (not ours, and not mapped onto ours): colour." in (
        preview.content.decode()
    )


def test_it_previews_without_writing_then_imports_on_confirm(client, editor):
    client.force_login(editor)
    preview = upload(client)
    assert preview.status_code == 200
    assert Commitment.objects.count() == 0
    page = preview.content.decode()
    assert "5</strong> to create" in page
    assert "Deliver a next-generation fighter by 2035" in page
    response = client.post(URL, {"payload": payload_of(preview), "skip_invalid": "False"})
    assert response.status_code == 302
    assert Commitment.objects.count() == 5
    assert (
        Commitment.objects.get(slug="sign-a-youth-mobility-agreement").updates.get().recorded_by
        == editor
    )
    followed = client.get(response["Location"])
    assert "5 created" in followed.content.decode()


def test_it_lists_rejected_rows_with_line_column_and_reason(client, editor):
    client.force_login(editor)
    content = b"title,deadline\nGood,2030\nBad,someday\n"
    page = upload(client, content).content.decode()
    assert "<td>3</td><td>deadline</td>" in page
    assert "someday" in page
    assert "Nothing can be imported while rows are rejected" in page
    assert 'name="payload"' not in page


def test_it_imports_only_valid_rows_when_asked(client, editor):
    client.force_login(editor)
    preview = upload(client, b"title,deadline\nGood,2030\nBad,someday\n", skip_invalid="on")
    assert "The 1 rejected row will be left out." in preview.content.decode()
    client.post(URL, {"payload": payload_of(preview), "skip_invalid": "True"})
    assert list(Commitment.objects.values_list("title", flat=True)) == ["Good"]


def test_it_applies_an_uploaded_mapping(client, editor):
    client.force_login(editor)
    mapping = SimpleUploadedFile(
        "m.json", json.dumps({"delimiter": ";", "columns": {"Name": "title"}}).encode()
    )
    preview = upload(client, b"Name;Other\nA plan;x\n", mapping=mapping)
    assert "1</strong> to create" in preview.content.decode()
    client.post(URL, {"payload": payload_of(preview)})
    assert Commitment.objects.get().title == "A plan"


def test_it_refuses_a_file_over_the_size_limit_with_a_clear_message(client, editor):
    client.force_login(editor)
    response = upload(client, b"title\n" + b"x" * MAX_UPLOAD_BYTES)
    assert response.status_code == 200
    assert "the limit here is 5 MB" in response.content.decode()
    assert Commitment.objects.count() == 0


def test_it_refuses_a_file_too_large_to_carry_to_the_confirm_step(client, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024
    client.force_login(editor)
    noise = random.Random(1).randbytes(150 * 1024)  # random bytes do not compress
    response = upload(client, b"title\n" + noise.hex().encode())
    assert "too large to preview" in response.content.decode()


def test_it_refuses_a_tampered_payload(client, editor):
    client.force_login(editor)
    token = sign_payload("x.csv", b"title\nA plan\n", None)
    response = client.post(URL, {"payload": token[:-3] + "abc"}, follow=True)
    assert "could not be verified" in response.content.decode()
    assert Commitment.objects.count() == 0


def test_it_explains_a_file_it_cannot_read(client, editor):
    client.force_login(editor)
    page = upload(client, "title\nCafé\n".encode("cp1252")).content.decode()
    assert "not valid utf-8" in page


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 302), ("reader", 403), ("analyst", 403), ("editor", 200), ("superuser", 200)],
    ids=["anonymous", "reader", "analyst", "editor", "superuser"],
)
def test_it_shows_the_import_guide_only_to_people_who_may_import(client, request, user, status, db):
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("import_guide"))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().startswith("# Importing")


def test_it_links_the_import_guide_from_the_import_page(client, editor):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert f'href="{reverse("import_guide")}"' in html


def test_it_reads_the_import_guide_in_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    with django_assert_num_queries(4):  # session, user, its groups' and its own permissions
        client.get(reverse("import_guide"))


def test_it_says_new_for_each_row_it_would_create(client, editor):
    client.force_login(editor)
    html = upload(client, b"title\nOne\n").content.decode()
    assert '<td>Create</td><td>One <span class="muted">(one)</span></td><td>new</td>' in html


@pytest.fixture
def register_names(make):
    make.theme("Defence and security")
    make.actor("Città di Roma")
    make.source("Joint statement", url="https://example.org/js")


CLOSE_ROWS = (
    b"title,themes,parties,source\n"
    b"One,Defence; Energy,citta di roma:lead; Japan,Joint statements\n"
    b"Two,defences,Japan,Joint statements\n"
)


def test_it_names_close_existing_names_before_creating_new_ones(client, editor, register_names):
    client.force_login(editor)

    html = upload(client, CLOSE_ROWS).content.decode()

    assert "Close to what exists" in html
    for column, new, existing in [
        ("themes", "Defence", "Defence and security"),
        ("themes", "defences", "Defence and security"),
        ("parties", "citta di roma", "Città di Roma"),
        ("source", "Joint statements", "Joint statement"),
    ]:
        assert f"<td>{column}</td><td>{new}</td><td>{existing}</td>" in html, (column, new)
    assert "<td>Energy</td>" not in html and "<td>Japan</td>" not in html
    assert escape('{"values": {"themes": {"Defence": "Defence and security"}}}') in html


def test_it_uses_the_existing_name_a_mapping_chooses(client, editor, register_names):
    client.force_login(editor)
    mapping = {
        "values": {
            "themes": {"Defence": "Defence and security", "defences": "Defence and security"}
        }
    }

    html = upload(
        client,
        CLOSE_ROWS,
        mapping=SimpleUploadedFile("m.json", json.dumps(mapping).encode()),
    ).content.decode()
    client.post(URL, {"payload": payload_of_html(html)})

    assert sorted(Theme.objects.values_list("name", flat=True)) == [
        "Defence and security",
        "Energy",
    ]
    assert [t.name for t in Commitment.objects.get(title="Two").themes.all()] == [
        "Defence and security"
    ]
