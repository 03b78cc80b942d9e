from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commitments.seed import create_demo_users, load_seed


class Command(BaseCommand):
    help = "Load the Italy–Japan summit commitments (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create the demo accounts admin and analyst (only with DEBUG on).",
        )

    def handle(self, *args, **options):
        if options["demo_users"] and not settings.DEBUG:
            raise CommandError(
                "Demo accounts are for local development only: set DEBUG=true to create them."
            )
        created = load_seed()
        self.stdout.write(
            self.style.SUCCESS(
                "Seed loaded: {commitments} new commitments, {actors} new actors, "
                "{themes} new themes, {updates} new status updates.".format(**created)
            )
        )
        if options["demo_users"]:
            names = create_demo_users(settings.TRACKER_DEMO_PASSWORD)
            self.stdout.write(f"Demo accounts ready: {', '.join(names)}.")
