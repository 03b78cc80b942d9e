"""python manage.py export_commitments [--format csv|json] [--param key=value ...] OUTPUT"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from tqdm import tqdm

from commitments.exporting import csv_chunks, json_chunks
from commitments.filters import CommitmentFilterSet


class Command(BaseCommand):
    help = "Export commitments as CSV or JSON, narrowed by the list's filters."

    def add_arguments(self, parser):
        parser.add_argument("output", help="File to write, or - for standard output")
        parser.add_argument("--format", choices=["csv", "json"], default=None)
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A filter as in the list's URL, e.g. --param status=stalled --param theme=energy",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        output = options["output"]
        fmt = options["format"] or ("json" if output.lower().endswith(".json") else "csv")
        data = QueryDict(mutable=True)
        for param in options["param"]:
            key, sep, value = param.partition("=")
            if not sep or not key.strip():
                raise CommandError(f"--param {param!r} is not key=value.")
            data.appendlist(key.strip(), value.strip())
        filterset = CommitmentFilterSet(data)
        if not filterset.is_valid():
            errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
            raise CommandError(f"Invalid filters: {errors}")
        queryset = filterset.qs
        total = queryset.count()
        chunks = (json_chunks if fmt == "json" else csv_chunks)(queryset)
        bar = tqdm(
            total=total,
            unit="rows",
            desc="Exporting",
            file=sys.stderr,
            disable=options["no_progress"] or output == "-",
            dynamic_ncols=True,
        )
        handle = (
            sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
        try:
            for chunk in chunks:
                handle.write(chunk)
                rows = chunk.count("\r\n") if fmt == "csv" else chunk.count('{"slug": ')
                bar.update(min(rows, total - bar.n))
        finally:
            bar.close()
            if handle is not sys.stdout:
                handle.close()
        if output != "-":
            self.stdout.write(self.style.SUCCESS(f"Exported {total} commitments to {output}."))
