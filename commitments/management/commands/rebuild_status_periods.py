"""Rebuild every commitment's status periods, and the counts of updates recorded per
month, from the history: `python manage.py rebuild_status_periods [--check]`.

The status service keeps the periods in step as it records each update; run this after
loading history some other way (a bulk load straight into the database), or when
`--check` (or `python manage.py check --database default`) finds them out of step.
Rebuilding is all or nothing and idempotent: a second run changes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...services import periods, recorded_months


class Command(BaseCommand):
    help = "Rebuild the status periods from the history (or, with --check, compare them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing: fail, naming the commitments, if the periods differ from the history.",
        )

    def handle(self, *args, check: bool = False, **options):
        count, first = periods.out_of_step()
        months = recorded_months.out_of_step()
        if check:
            if count:
                raise CommandError(periods.describe_out_of_step(count, first))
            if months:
                raise CommandError(
                    f"The updates recorded in {len(months)} months differ from the history"
                    f" (first: {months[0]:%Y-%m}): run rebuild_status_periods."
                )
            self.stdout.write("The status periods are in step with the history.")
            return
        total = periods.rebuild()
        self.stdout.write(
            f"Rebuilt {total} status periods from the history "
            f"({count} commitments were out of step; {len(months)} monthly counts were)."
        )
