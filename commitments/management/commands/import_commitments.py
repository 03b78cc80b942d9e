"""python manage.py import_commitments FILE [--map MAPPING.json] [--sheet NAME]
[--effective DATE] [--dry-run] [--skip-invalid] [--report FILE]

Rejected rows go to standard error, every one of them, unless `--report FILE` names where
to write them as CSV; no file is ever written anywhere else."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from commitments.importing import Mapping, MappingError, import_file
from commitments.importing.fuzzy import parse_since

SHOWN_REJECTIONS = 50


class Command(BaseCommand):
    help = "Import commitments from a CSV, .xlsx or JSON file (columns in docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV, .xlsx or JSON file")
        parser.add_argument("--map", dest="mapping", help="JSON mapping for a foreign spreadsheet")
        parser.add_argument(
            "--sheet",
            default="",
            help="The .xlsx sheet to read (default: the mapping's, else the first).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the valid rows and list the rejected ones in the report.",
        )
        parser.add_argument(
            "--effective",
            default="",
            help="The date the file's statuses hold from, for rows that give none, as "
            "written in the file's own terms (2023-03-31, Q1 2023, 2023): its precision is kept.",
        )
        parser.add_argument(
            "--report",
            "--rejects",
            dest="report",
            metavar="FILE",
            help="Write the rejected rows as CSV to FILE (line,column,reason,title,row,file_column), "
            "also on a "
            "dry run; without it they go to standard error.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            # Read as a stream by the importer, a few rows at a time.
            content = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        with content:
            self._run(content, path, options)

    def _run(self, content, path: Path, options) -> None:
        try:
            mapping = Mapping.load(options["mapping"]) if options["mapping"] else None
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        if options["sheet"]:
            mapping = mapping or Mapping()
            mapping.file.sheet = options["sheet"]
        if options["effective"]:
            try:
                parse_since(options["effective"])
            except ValueError as exc:
                raise CommandError(f"--effective: {exc}") from exc

        def progress(total: int | None):
            return tqdm(
                total=total,
                unit="rows",
                desc="Importing",
                file=sys.stderr,
                disable=options["no_progress"],
                dynamic_ncols=True,
            )

        report = options["report"]
        try:
            # Opened before the import, so a report that cannot be written stops it first.
            report_file = open(report, "w", newline="", encoding="utf-8") if report else None  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot write the report {report}: {exc}") from exc
        with report_file or contextlib.nullcontext():
            result = self._import(content, path, mapping, options, progress)
            if report_file is not None:
                result.write_rejects(report_file)
        self._tell(result, report)

    def _import(self, content, path, mapping, options, progress):
        return import_file(
            content,
            str(path),
            mapping=mapping,
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            progress=progress,
            effective=options["effective"],
        )

    def _tell(self, result, report) -> None:
        if result.file_error:
            raise CommandError(result.summary())
        shown = result.rejected[:SHOWN_REJECTIONS] if report else result.rejected
        for note in result.notes:
            self.stdout.write(note)
        for rejection in shown:
            self.stderr.write(f"{rejection.where}: {rejection.reason}")
        if report:
            if len(result.rejected) > len(shown):
                self.stderr.write(f"… and {len(result.rejected) - len(shown)} more.")
            if result.rejected:
                self.stderr.write(f"Rejected rows are listed in {report}")
        for flag in result.flags[:SHOWN_REJECTIONS]:
            self.stdout.write(f"line {flag.line}, {flag.column}: {flag.value!r} {flag.reason}")
        for kind, names in (("actors", result.new_actors), ("themes", result.new_themes)):
            if names:
                verb = "New" if result.written else "Would add"
                self.stdout.write(f"{verb} {kind}: {', '.join(names)}")
        for close in result.close_names:
            self.stdout.write(
                f"{close.column}: {close.name!r} is close to {', '.join(map(repr, close.existing))}"
                f" already in the register; to use it, map it: {close.mapping}"
            )
        if not result.written and not result.dry_run:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
