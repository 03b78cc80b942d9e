"""Enqueue today's e-mail digests: `python manage.py send_digests [--dry-run]`.

Safe to run as often as you like: each user gets one digest a day at most (weekly ones
seven days apart), whoever sends it. Run it from cron once a day; see the README."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from ... import digests
from ...choices import DigestFrequency
from ...models import DigestSent, DigestSubscription
from ...tasks import send_digest


class Command(BaseCommand):
    help = "Enqueue today's digests for every user whose digest is due (one a day at most)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        today = timezone.localdate()
        now = timezone.now()
        queued = skipped = 0
        rows = (
            DigestSubscription.objects.exclude(frequency=DigestFrequency.OFF)
            .select_related("user")
            .order_by("user_id")
        )
        for row in rows.iterator(chunk_size=500):
            user = row.user
            name = user.get_username()
            if not user.is_active:
                continue
            if not user.email:
                self.stdout.write(f"skipped {name}: no e-mail address")
                skipped += 1
                continue
            if DigestSent.objects.filter(user=user, day=today).exists():
                self.stdout.write(f"skipped {name}: already sent today")
                skipped += 1
                continue
            if not digests.is_due(user, row.frequency, today):
                continue
            if dry_run:
                since = digests.since_for(user, row.frequency, now)
                digest = digests.build(user, since=since, until=now, today=today)
                what = "nothing new" if digest.is_empty else f"{digest.items} items"
                self.stdout.write(f"would send {name} ({user.email}): {what}")
                queued += 1
                continue
            result = send_digest.enqueue(user.pk, today.isoformat())
            finished = result.status == "SUCCESSFUL"
            outcome = result.return_value if finished else result.status.lower()
            self.stdout.write(f"queued {name}: {outcome}")
            queued += 1
        verb = "would queue" if dry_run else "queued"
        self.stdout.write(self.style.SUCCESS(f"{verb} {queued} digests, skipped {skipped}."))
