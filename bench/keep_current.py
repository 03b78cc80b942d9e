"""The review queue and the digests at N: `/review/` for a logged-in analyst, and building
the digests of `users` users (each following a commitment, an actor and a theme) over the
whole register, with the peak memory that takes (tracemalloc).

Both need state the synthetic register does not have: a third of the open commitments get
a review due today (the rest in 30 days), and the users and their watches are created
once (named `bench-reader-<i>`), so later runs reuse them."""

from __future__ import annotations

import time
import tracemalloc

ANALYST = "bench-analyst"


def prepare_reviews() -> None:
    import datetime as dt

    from django.db.models import F
    from django.utils import timezone

    from commitments.choices import Status
    from commitments.models import Commitment

    if Commitment.objects.filter(next_review_on__isnull=False).exists():
        return
    today = timezone.localdate()
    open_ones = Commitment.objects.exclude(status__in=Status.closed())
    open_ones.annotate(third=F("pk") % 3).filter(third=0).update(next_review_on=today)
    open_ones.filter(next_review_on__isnull=True).update(
        next_review_on=today + dt.timedelta(days=30)
    )
    # As after the build: the rows just rewritten are compacted and counted again, as
    # autovacuum would do on a live database, so the queue's plan sees the real table.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} commitments_commitment")


def analyst_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, created = get_user_model().objects.get_or_create(username=ANALYST)
    if created:
        # The role comes with the migrations (0002_roles).
        user.groups.set(Group.objects.filter(name="Analysts"))
    client = Client()
    client.force_login(user)
    return client


def prepare_followers(users: int) -> list:
    from django.contrib.auth import get_user_model

    from commitments.models import Actor, Commitment, Theme, Watch
    from commitments.services import watching

    model = get_user_model()
    existing = list(model.objects.filter(username__startswith="bench-reader-").order_by("pk"))
    if len(existing) >= users:
        return existing[:users]
    commitment_ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True)[:5000])
    actor_ids = list(Actor.objects.order_by("pk").values_list("pk", flat=True))
    theme_ids = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    made = []
    for i in range(len(existing), users):
        user = model.objects.create(username=f"bench-reader-{i}", email=f"reader{i}@bench.example")
        watching.subscription(user)
        Watch.objects.bulk_create(
            [
                Watch(user=user, commitment_id=commitment_ids[i % len(commitment_ids)]),
                Watch(user=user, actor_id=actor_ids[i % len(actor_ids)]),
                Watch(user=user, theme_id=theme_ids[i % len(theme_ids)]),
            ]
        )
        made.append(user)
    return existing + made


def build_digests(users: int) -> dict:
    """Build (not send) every follower's weekly digest: the seconds that takes, then, in a
    second pass over the same users, the peak memory (tracemalloc slows Python down, so it
    is not on while timing)."""
    import datetime as dt

    from django.utils import timezone

    from commitments import digests

    followers = prepare_followers(users)
    now, today = timezone.now(), timezone.localdate()

    def build_all() -> int:
        items = 0
        for user in followers:
            digest = digests.build(user, since=now - dt.timedelta(days=7), until=now, today=today)
            items += digest.items
        return items

    started = time.perf_counter()
    items = build_all()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    build_all()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "users": len(followers),
        "seconds": round(seconds, 1),
        "items": items,
        "peak_mb": round(peak / 1024 / 1024, 1),
    }
