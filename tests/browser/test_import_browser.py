"""The import preview in a real Chromium, without any script of ours: the editor picks an
existing theme for a name the file would create, confirms, and the import uses it."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_picks_an_existing_theme_in_the_preview_and_confirms(
    page, live_server, browser_login, editor, make, tmp_path
):
    from commitments.models import Commitment, Theme

    make.theme("Defence and security")
    file = tmp_path / "commitments.csv"
    file.write_bytes(b"title,themes\nBuild ships,Defence\n")
    browser_login(editor, reverse("import_commitments"))

    page.get_by_label("CSV, Excel (.xlsx) or JSON file").set_input_files(str(file))
    page.get_by_role("button", name="Preview").click()
    picker = page.get_by_label("Theme “Defence”")
    expect(picker).to_have_value("")
    assert Axe().run(page).response["violations"] == []
    picker.select_option(label="Use existing: Defence and security")
    page.get_by_role("button", name="Import 1 new and 0 changed commitments").click()

    expect(page.get_by_text("1 created")).to_be_visible()
    assert [t.name for t in Commitment.objects.get().themes.all()] == ["Defence and security"]
    assert Theme.objects.count() == 1
