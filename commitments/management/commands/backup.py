import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from commitments.backup import private_file, write_backup


class Command(BaseCommand):
    help = (
        "Write a complete, versioned backup of the data to a JSON file only its owner can "
        "read (or - for stdout)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="File to write, or - for standard output.")

    def handle(self, *args, output, **options):
        if output == "-":
            counts = write_backup(sys.stdout)
        else:
            with private_file(Path(output)) as out:
                counts = write_backup(out)
        summary = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
        self.stderr.write(f"Backup written to {output}: {summary or 'no rows'}.")
