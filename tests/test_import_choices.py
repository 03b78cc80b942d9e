"""The import preview's choices: for each name the import would create that is close to
existing ones, the editor picks "create new" or one of those, and the confirmed import
uses the pick as a mapping's `values` entry would."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from commitments.models import Actor, Commitment, Source, Theme
from tests.test_import_views import URL, upload

ROWS = (
    b"title,themes,parties,source\n"
    b"One,Defence; Energy,citta di roma:lead; Japan,Joint statements\n"
    b"Two,defences,Japan,Joint statements\n"
)


@pytest.fixture
def register_names(make):
    make.theme("Defence and security")
    make.theme("Defence industry")
    make.actor("Città di Roma")
    make.source("Joint statement", url="https://example.org/js")


def confirm_fields(html: str) -> dict[str, str]:
    """The confirm form's hidden fields and each select's name -> its options' values."""
    form = html[html.index('action="/import/"') :]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    for name, body in re.findall(r'<select name="(use_\d+)"[^>]*>(.*?)</select>', form, re.S):
        fields[name] = re.findall(r'<option value="([^"]*)"', body)
    return fields


def select_for(html: str, label: str) -> str:
    return re.search(rf'<label for="id_(use_\d+)">{re.escape(label)}</label>', html)[1]


def test_it_offers_a_select_for_each_close_name_defaulting_to_create_new(
    client, editor, register_names
):
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    fields = confirm_fields(html)
    theme = select_for(html, "Theme “Defence”")
    assert fields[theme] == ["", "Defence and security", "Defence industry"]
    assert '<option value="" selected>Create new: Defence</option>' in html
    assert select_for(html, "Actor “citta di roma”")
    assert select_for(html, "Source “Joint statements”")
    assert "Energy”" not in html  # nothing close: no select


def test_it_offers_selects_for_at_most_max_choices_names(
    client, editor, register_names, monkeypatch
):
    monkeypatch.setattr("commitments.forms.importing.MAX_CHOICES", 2)
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    assert html.count("<select") == 2
    assert "<td>source</td><td>Joint statements</td>" in html  # still listed, with its entry


def test_it_maps_a_new_name_to_a_close_existing_one_from_the_preview(
    client, editor, register_names
):
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    data = {k: v for k, v in confirm_fields(html).items() if isinstance(v, str)}
    data[select_for(html, "Theme “Defence”")] = "Defence industry"
    data[select_for(html, "Theme “defences”")] = "Defence and security"
    data[select_for(html, "Actor “citta di roma”")] = "Città di Roma"
    data[select_for(html, "Source “Joint statements”")] = "Joint statement"

    response = client.post(URL, data)

    assert response.status_code == 302
    assert sorted(Theme.objects.values_list("name", flat=True)) == [
        "Defence and security",
        "Defence industry",
        "Energy",
    ]
    one = Commitment.objects.get(title="One")
    assert sorted(t.name for t in one.themes.all()) == ["Defence industry", "Energy"]
    assert [t.name for t in Commitment.objects.get(title="Two").themes.all()] == [
        "Defence and security"
    ]
    assert sorted(Actor.objects.values_list("name", flat=True)) == ["Città di Roma", "Japan"]
    assert one.parties.get(actor__name="Città di Roma").role == "lead"
    assert Source.objects.count() == 1
    assert one.source.title == "Joint statement"


def test_it_still_creates_the_new_name_by_default(client, editor, register_names):
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    data = {k: v for k, v in confirm_fields(html).items() if isinstance(v, str)}
    data[select_for(html, "Theme “Defence”")] = ""

    client.post(URL, data)

    assert "Defence" in Theme.objects.values_list("name", flat=True)
    assert Source.objects.filter(title="Joint statements").exists()


def test_it_merges_a_pick_with_the_uploaded_mapping_whose_value_gives_the_new_name(
    client, editor, register_names
):
    client.force_login(editor)
    mapping = {"values": {"themes": {"DEF": "Defence"}}}
    html = upload(
        client,
        b"title,themes\nOne,DEF\n",
        mapping=SimpleUploadedFile("m.json", json.dumps(mapping).encode()),
    ).content.decode()
    data = {k: v for k, v in confirm_fields(html).items() if isinstance(v, str)}
    data[select_for(html, "Theme “Defence”")] = "Defence and security"

    client.post(URL, data)

    assert [t.name for t in Commitment.objects.get().themes.all()] == ["Defence and security"]
    assert not Theme.objects.filter(name="Defence").exists()


def test_it_refuses_a_forged_choice_and_writes_nothing(client, editor, register_names):
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    data = {k: v for k, v in confirm_fields(html).items() if isinstance(v, str)}
    data[select_for(html, "Theme “Defence”")] = "Energy"

    page = client.post(URL, data, follow=True).content.decode()

    assert "Theme “Defence”: Energy is not one of the existing names offered" in page
    assert Commitment.objects.count() == 0
    assert Theme.objects.count() == 2


def test_it_refuses_a_forged_offer_and_writes_nothing(client, editor, register_names):
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    data = {k: v for k, v in confirm_fields(html).items() if isinstance(v, str)}
    data["offered"] = data["offered"][:-3] + "abc"
    data["use_0"] = "Anything"

    page = client.post(URL, data, follow=True).content.decode()

    assert "The names offered in the preview could not be verified" in page
    assert Commitment.objects.count() == 0


def test_it_refuses_an_offer_from_another_preview(client, editor, register_names):
    client.force_login(editor)
    first = confirm_fields(upload(client, ROWS).content.decode())
    second = confirm_fields(upload(client, ROWS + b"Three,x,,\n").content.decode())

    page = client.post(
        URL, {"payload": second["payload"], "offered": first["offered"]}, follow=True
    ).content.decode()

    assert "could not be verified" in page
    assert Commitment.objects.count() == 0


def test_it_refuses_a_pick_removed_from_the_register_since_the_preview(
    client, editor, register_names
):
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    data = {k: v for k, v in confirm_fields(html).items() if isinstance(v, str)}
    data[select_for(html, "Theme “Defence”")] = "Defence industry"
    Theme.objects.filter(name="Defence industry").delete()

    page = client.post(URL, data, follow=True).content.decode()

    assert "Theme “Defence” was to use “Defence industry”, which is no longer" in page
    assert Commitment.objects.count() == 0
    assert Theme.objects.count() == 1


@pytest.mark.parametrize("user", ["reader", "analyst"])
def test_it_lets_no_one_who_may_not_import_confirm_a_pick(
    client, request, editor, register_names, user
):
    client.force_login(editor)
    html = upload(client, ROWS).content.decode()
    data = {k: v for k, v in confirm_fields(html).items() if isinstance(v, str)}
    data[select_for(html, "Theme “Defence”")] = "Defence industry"
    client.force_login(request.getfixturevalue(user))

    assert client.post(URL, data).status_code == 403
    assert Commitment.objects.count() == 0


@pytest.mark.parametrize("close", [False, True], ids=["no-selects", "three-selects"])
def test_it_previews_in_the_same_queries_however_many_selects_it_offers(
    client, editor, make, close, django_assert_num_queries
):
    for name in ("Space policy", "Trade policy", "Health policy"):
        make.theme(name if close else f"Other {name.split()[0][::-1]}")
    client.force_login(editor)
    file = b"title,themes\nOne,Space; Trade; Health\n"

    with django_assert_num_queries(20):
        html = upload(client, file).content.decode()

    assert html.count("<select") == (3 if close else 0)


def test_it_creates_a_theme_a_mapping_value_names_that_does_not_exist_and_says_so(
    client, editor, register_names, tmp_path
):
    mapping = {"values": {"themes": {"Defence": "Defence industries"}}}
    client.force_login(editor)
    html = upload(
        client,
        b"title,themes\nOne,Defence\n",
        mapping=SimpleUploadedFile("m.json", json.dumps(mapping).encode()),
    ).content.decode()
    assert "New themes: Defence industries." in html
    assert select_for(html, "Theme “Defence industries”")

    (tmp_path / "m.json").write_text(json.dumps(mapping))
    (tmp_path / "c.csv").write_bytes(b"title,themes\nOne,Defence\n")
    call_command("import_commitments", str(tmp_path / "c.csv"), mapping=str(tmp_path / "m.json"))
    assert [t.name for t in Commitment.objects.get().themes.all()] == ["Defence industries"]


def command_import(tmp_path, content: bytes, mapping: dict) -> None:
    (tmp_path / "m.json").write_text(json.dumps(mapping))
    (tmp_path / "c.csv").write_bytes(content)
    call_command("import_commitments", str(tmp_path / "c.csv"), mapping=str(tmp_path / "m.json"))


def test_it_uses_the_existing_theme_or_actor_a_mapping_value_names_by_slug_or_alias(make, tmp_path):
    theme = make.theme("Defence and security")
    make.actor("Città di Roma", aliases="Rome\nRoma")
    mapping = {"values": {"themes": {"DEF": theme.slug}, "parties": {"R": "Roma"}}}

    command_import(tmp_path, b"title,themes,parties\nOne,DEF,R:lead\n", mapping)

    one = Commitment.objects.get()
    assert [t.name for t in one.themes.all()] == ["Defence and security"]
    assert [(p.actor.name, p.role) for p in one.parties.all()] == [("Città di Roma", "lead")]
    assert Theme.objects.count() == 1 and Actor.objects.count() == 1


def test_it_rejects_a_row_whose_mapped_theme_is_too_long_to_be_one_and_writes_nothing(
    client, editor, tmp_path
):
    mapping = {"values": {"themes": {"DEF": "D" * 300}}}
    client.force_login(editor)
    html = upload(
        client,
        b"title,themes\nOne,DEF\n",
        mapping=SimpleUploadedFile("m.json", json.dumps(mapping).encode()),
    ).content.decode()
    assert "<td>2</td><td>themes</td>" in html
    assert "Nothing can be imported while rows are rejected" in html

    with pytest.raises(CommandError, match="1 rejected"):
        command_import(tmp_path, b"title,themes\nOne,DEF\n", mapping)
    assert Commitment.objects.count() == 0 and Theme.objects.count() == 0
