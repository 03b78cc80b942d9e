from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commitments.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup written by `backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("input", help="The backup file.")

    def handle(self, *args, input, **options):
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        try:
            with path.open(encoding="utf-8") as stream:
                counts = restore_backup(stream)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"The backup file {path} cannot be read: {exc.strerror}.") from exc
        summary = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
        self.stdout.write(self.style.SUCCESS(f"Restored {summary or 'nothing'} from {path}."))
