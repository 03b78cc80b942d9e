"""python manage.py extract_commitments FILE [--date YYYY-MM-DD] [--format json|text]"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commitments.extraction import extract
from commitments.selectors.names import actor_refs, theme_refs
from commitments.sourcetext import MAX_BYTES, SourceTextError, from_upload


class Command(BaseCommand):
    help = (
        "Print the commitments found in a statement (.txt, .html or .pdf), with parties and "
        "themes matched against the register. Nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The statement: a .txt, .html or .pdf file")
        parser.add_argument(
            "--date",
            help="The statement's date (YYYY-MM-DD), for deadlines such as “next year”",
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        said_on = _date(options["date"])
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(
                    f"{path} is larger than 5 MB: extract the statement's text alone."
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        try:
            text = from_upload(path.name, data)
        except SourceTextError as exc:
            raise CommandError(str(exc)) from exc
        result = extract(text, said_on=said_on, actors=actor_refs(), themes=theme_refs())
        if options["format"] == "json":
            rows = [candidate.as_dict() for candidate in result.candidates]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self._text(result)
        if result.message:
            self.stderr.write(result.message)

    def _text(self, result) -> None:
        for number, candidate in enumerate(result.candidates, 1):
            row = candidate.as_dict()
            deadline = row["deadline"]["display"] if row["deadline"] else "no deadline"
            self.stdout.write(f"{number}. [{row['start']}–{row['end']}] {row['quote']}")
            self.stdout.write(
                f"   {row['kind']}, {deadline}; parties: {', '.join(row['parties']) or 'none found'};"
                f" themes: {', '.join(row['themes']) or 'none'}; score {row['score']:.2f}"
            )
            self.stdout.write(f"   {row['reason']}")


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date {text!r} is not a date: write it as 2026-03-12.") from exc
