"""python manage.py describe_datasets [--data DIR | --samples] [--output FILE]

Dry-runs the import of every dataset the examples' mappings are for and writes what it did
(rows in, imported, refused and why, what is kept and what is not) as Markdown: to FILE, or
to standard output. Nothing is written to the database."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commitments.importing.datasets import SHIPPED, describe, markdown


class Command(BaseCommand):
    help = "Describe what importing each shipped dataset does, as Markdown (docs/datasets.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            default=str(Path(settings.BASE_DIR).parent / "shared" / "data"),
            help="The folder holding the datasets' files (default: ../shared/data).",
        )
        parser.add_argument(
            "--samples",
            action="store_true",
            help="Describe the samples in tests/fixtures/datasets instead of the whole files.",
        )
        parser.add_argument("--output", metavar="FILE", help="Write the page to FILE.")

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        mappings = base / "examples" / "mappings"
        if options["samples"]:
            folder, where = base / "tests" / "fixtures" / "datasets", "the test samples"
        else:
            folder, where = Path(options["data"]), "the whole files"
        described = []
        for dataset in SHIPPED:
            name = dataset.sample if options["samples"] else dataset.file
            if not name:
                continue  # no sample of this one
            if not (folder / name).is_file():
                self.stderr.write(f"{dataset.name}: no file at {folder / name}")
                continue
            described.append(describe(dataset, folder / name, mappings / dataset.mapping))
        if not described:
            raise CommandError(f"No dataset file found under {folder}.")
        page = markdown(described, where=where)
        if options["output"]:
            try:
                Path(options["output"]).write_text(page, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc}") from exc
            self.stdout.write(f"Described {len(described)} datasets in {options['output']}.")
        else:
            self.stdout.write(page, ending="")
