"""The datasets the examples' mappings are for, and a page that says what importing each
one does: rows in, rows imported, rows refused and why, and what is kept and what is not.
`python manage.py describe_datasets` writes it (docs/datasets.md); every figure comes from a
dry run of the import itself, so the page cannot drift from what the importer does."""

from __future__ import annotations

import collections
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .importer import import_file
from .mapping import Mapping
from .report import ImportResult


@dataclass(frozen=True)
class Dataset:
    name: str
    file: str  # under the data folder: ../shared/data/<folder>/<file>
    sample: str  # under tests/fixtures/datasets/
    mapping: str  # under examples/mappings/


UK = "uk_gmpp_major_projects"
CANADA = "canada_mandate_commitments"
G7 = "g7_g20_compliance"
MALAYSIA = "openpromises_malaysia"

SHIPPED = [
    *(
        Dataset(f"UK GMPP {year}", f"{UK}/uk_{year}.csv", sample, f"uk_gmpp_{year}.json")
        for year, sample in (
            (2014, ""),
            (2015, ""),
            (2016, f"{UK}/uk_2016_series_sample.csv"),
            (2017, ""),
            (2018, f"{UK}/uk_2018_sample.csv"),
            (2019, f"{UK}/uk_2019_sample.csv"),
            (2020, f"{UK}/uk_2020_sample.csv"),
            (2021, f"{UK}/uk_2021_series_sample.csv"),
            (2022, f"{UK}/uk_2022_series_sample.csv"),
            (2023, f"{UK}/uk_2023_sample.csv"),
        )
    ),
    Dataset(
        "Canada 2021 mandate letters",
        f"{CANADA}/2021-mandate-commitments.csv",
        f"{CANADA}/2021-mandate-commitments_sample.csv",
        "canada_mandate_2021.json",
    ),
    Dataset(
        "Canada 2025 platform, consolidated",
        f"{CANADA}/consolidated_2025_LPC_promises_final.csv",
        f"{CANADA}/consolidated_2025_sample.csv",
        "canada_lpc_2025.json",
    ),
    Dataset(
        "Canada 2025 platform",
        f"{CANADA}/2025-LPC-platform.csv",
        f"{CANADA}/2025-LPC-platform_sample.csv",
        "canada_lpc_platform_2025.json",
    ),
    Dataset(
        "OpenPromises Malaysia",
        f"{MALAYSIA}/promises.json",
        f"{MALAYSIA}/promises_sample.json",
        "malaysia_openpromises.json",
    ),
    Dataset(
        "G7 compliance 1975-2020",
        f"{G7}/g7_compliance_1975-2020.csv",
        f"{G7}/g7_compliance_sample.csv",
        "g7_compliance.json",
    ),
    Dataset(
        "G20 compliance 2008-2021",
        f"{G7}/g20_compliance_2008-2021.csv",
        f"{G7}/g20_compliance_sample.csv",
        "g20_compliance.json",
    ),
]


@dataclass
class Described:
    dataset: Dataset
    path: Path
    result: ImportResult
    mapping: Mapping
    description: str


def describe(dataset: Dataset, path: Path, mapping_path: Path) -> Described:
    """A dry run of the dataset's import, nothing written."""
    mapping = Mapping.load(mapping_path)
    with path.open("rb") as handle:
        result = import_file(handle, path.name, mapping=mapping, dry_run=True, skip_invalid=True)
    description = json.loads(mapping_path.read_text(encoding="utf-8")).get("description", "")
    return Described(dataset, path, result, mapping, description)


# The quoted values of a reason are left out, so refusals group by kind.
_VALUE = re.compile(r"'[^']*'|“[^”]*”")


def reasons(result: ImportResult) -> list[tuple[str, int]]:
    """Each kind of refusal with the rows it refused, most first."""
    counts: collections.Counter[str] = collections.Counter()
    seen: set[tuple[int, str]] = set()
    for rejection in result.rejected:
        words = _VALUE.sub("…", rejection.reason)
        key = f"{rejection.column or 'row'}: {words}"
        if (rejection.line, key) not in seen:
            seen.add((rejection.line, key))
            counts[key] += 1
    return counts.most_common()


def markdown(described: list[Described], *, where: str) -> str:
    lines = [
        "# Datasets",
        "",
        "What importing each dataset the examples' mappings are for does, from a dry run of the "
        f"import on {where} (`python manage.py describe_datasets`; do not edit this page by "
        "hand). Each file is imported on its own into the same register, so *imported* counts "
        "the rows that would be created or updated; a refused row is left out with "
        "`--skip-invalid`.",
        "",
        "| dataset | file | mapping | rows in | imported | refused | values to check |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for item in described:
        result = item.result
        if result.file_error:
            lines.append(
                f"| {item.dataset.name} | `{item.path.name}` | `{item.dataset.mapping}` | "
                f"— | — | — | — |"
            )
            continue
        imported = len(result.created) + len(result.updated) + len(result.unchanged)
        lines.append(
            f"| {item.dataset.name} | `{item.path.name}` | `{item.dataset.mapping}` | "
            f"{result.rows} | {imported} | {len(result.rejected_lines)} | {len(result.flags)} |"
        )
    for item in described:
        result = item.result
        lines += ["", f"## {item.dataset.name}", "", item.description or "", ""]
        if result.file_error:
            lines += [f"Not imported: {result.file_error}", ""]
            continue
        kept = f"- Kept: actors added: {len(result.new_actors)}, themes: {len(result.new_themes)}"
        kept += f", sources: {len(result.new_sources)}"
        if result.statuses:
            kept += f"; ratings recorded as evidenced status updates: {result.statuses}"
        lines.append(kept + ".")
        if result.ignored_columns:
            shown = ", ".join(f"`{name}`" for name in result.ignored_columns)
            lines.append(f"- Not kept (columns no mapping entry reads): {shown}.")
        if result.ignored_parties:
            shown = ", ".join(f"“{n}” ({c})" for n, c in result.ignored_parties.items())
            lines.append(f"- Party cells left out: {shown}.")
        lines += [f"- {note}" for note in result.notes]
        refused = reasons(result)
        if refused:
            lines += ["", "| rows refused | why |", "|---:|---|"]
            lines += [f"| {count} | {why.replace('|', '/')} |" for why, count in refused]
        if result.flags:
            shown = ", ".join(f"`{flag.value}`" for flag in result.flags[:8])
            more = len(result.flags) - 8
            lines.append("")
            lines.append(
                f"Ids to check, imported as written: {shown}"
                + (f" and {more} more" if more > 0 else "")
                + "."
            )
    return "\n".join(lines).rstrip() + "\n"
