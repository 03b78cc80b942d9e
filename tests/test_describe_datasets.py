"""docs/datasets.md is written by `describe_datasets` from dry runs of the import: checked
here on the samples in tests/fixtures/datasets/."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.importing.datasets import SHIPPED
from commitments.models import Commitment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def page(db, tmp_path):
    output = tmp_path / "datasets.md"
    out = io.StringIO()
    call_command("describe_datasets", "--samples", "--output", str(output), stdout=out)
    assert "Described 13 datasets" in out.getvalue()
    return output.read_text(encoding="utf-8")


def test_it_counts_each_samples_rows_in_imported_refused_and_to_check(page):
    assert (
        "| G20 compliance 2008-2021 | `g20_compliance_sample.csv` | `g20_compliance.json` "
        "| 24 | 24 | 0 | 0 |" in page
    )
    assert (
        "| G7 compliance 1975-2020 | `g7_compliance_sample.csv` | `g7_compliance.json` "
        "| 21 | 21 | 0 | 8 |" in page
    )
    assert (
        "| Canada 2025 platform | `2025-LPC-platform_sample.csv` | "
        "`canada_lpc_platform_2025.json` | 11 | 11 | 0 | 0 |" in page
    )


def test_it_says_why_rows_are_refused(db, tmp_path):
    # The G20 sample under the whole file's name, with its one "+" (read as +1 by the
    # mapping) turned into a score no mapping gives a meaning to.
    sample = ROOT / "tests" / "fixtures" / "datasets" / "g7_g20_compliance"
    folder = tmp_path / "g7_g20_compliance"
    folder.mkdir()
    text = (sample / "g20_compliance_sample.csv").read_text(encoding="utf-8-sig")
    assert text.count(",+,") == 1
    (folder / "g20_compliance_2008-2021.csv").write_text(text.replace(",+,", ",7,"))
    output = tmp_path / "datasets.md"
    call_command(
        "describe_datasets",
        "--data",
        str(tmp_path),
        "--output",
        str(output),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    g20 = output.read_text(encoding="utf-8")
    assert "| 24 | 23 | 1 | 0 |" in g20
    assert "| 1 | party_scores: … is not a compliance score" in g20


def test_it_says_what_is_kept_and_not(page):
    canada = page[page.index("## Canada 2025 platform\n") :]
    assert "- Not kept (columns no mapping entry reads): `Reporting Lead Name`." in canada
    assert "- Party cells left out: “All other Ministers” (1)." in canada
    assert "Ids to check, imported as written: `g7:Jan-85`" in page


def test_it_writes_nothing_to_the_register(page):
    assert not Commitment.objects.exists()


def test_it_says_so_when_no_dataset_file_is_found(db, tmp_path):
    with pytest.raises(CommandError, match="No dataset file found"):
        call_command("describe_datasets", "--data", str(tmp_path), stderr=io.StringIO())


def test_the_shipped_page_describes_every_shipped_dataset():
    shipped = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    for dataset in SHIPPED:
        assert f"## {dataset.name}\n" in shipped
