"""What a user's digest holds, and sending it once a day at most.

A digest lists, for what the user follows (commitments, and those of the actors,
themes and sources they follow): status updates recorded and deadline changes made
since the last digest (or the digest's period: a day, a week), commitments added in
that time, and open commitments whose deadline ends within `DUE_WITHIN_DAYS`. The same
items make the user's private Atom feed. Each list holds at most `CAP` items, so a
digest costs the same few queries whatever the register's size.

`send` claims the day (`DigestSent`, unique per user and day) and sends in one
transaction: a second run the same day, or a second worker, sends nothing, and a failed
send leaves the day unclaimed for the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext, pgettext

from . import health
from .choices import DigestFrequency
from .models import Commitment, DeadlineChange, DigestSent, Party, StatusUpdate, Watch
from .services.watching import subscription

CAP = 50
DUE_WITHIN_DAYS = 30
PERIOD_DAYS = {DigestFrequency.DAILY: 1, DigestFrequency.WEEKLY: 7}
UNSUBSCRIBE_SALT = "digest-unsubscribe"
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 90  # an unsubscribe link works for 90 days


@dataclass
class Digest:
    user: object
    since: dt.datetime
    until: dt.datetime
    today: dt.date
    updates: list = field(default_factory=list)
    slips: list = field(default_factory=list)
    new: list = field(default_factory=list)
    due: list = field(default_factory=list)

    @property
    def items(self) -> int:
        return len(self.updates) + len(self.slips) + len(self.new) + len(self.due)

    @property
    def is_empty(self) -> bool:
        return not (self.updates or self.slips or self.new)


def following(user) -> dict[str, list[int]]:
    """The ids of what `user` follows, by kind, in one query on their watches."""
    ids: dict[str, list[int]] = {"commitment": [], "actor": [], "theme": [], "source": []}
    for row in Watch.objects.filter(user=user).values_list(
        "commitment_id", "actor_id", "theme_id", "source_id"
    ):
        for kind, value in zip(ids, row, strict=True):
            if value is not None:
                ids[kind].append(value)
    return ids


def followed_condition(ids: dict[str, list[int]], ref: str = "pk") -> Q:
    """Rows about a followed commitment, `ref` naming the commitment's id in the rows
    (`pk` for commitments, `commitment_id` for updates and deadline changes); tested per
    row, so each query is driven by its own small range (recorded since, due soon)."""
    prefix = "" if ref == "pk" else "commitment__"
    condition = Q(**{f"{ref}__in": ids["commitment"]}) | Q(
        **{f"{prefix}source_id__in": ids["source"]}
    )
    if ids["actor"]:
        condition |= Exists(
            Party.objects.filter(commitment=OuterRef(ref), actor_id__in=ids["actor"])
        )
    if ids["theme"]:
        links = Commitment.themes.through.objects
        condition |= Exists(links.filter(commitment=OuterRef(ref), theme_id__in=ids["theme"]))
    return condition


def followed(user) -> QuerySet:
    """The commitments `user` follows, directly or through an actor, theme or source."""
    return Commitment.objects.filter(followed_condition(following(user)))


def build(user, *, since: dt.datetime, until: dt.datetime, today: dt.date) -> Digest:
    """What changed after `since`, up to and including `until`, in what `user` follows,
    and what falls due; the next digest starts where this one ended. Five queries: the
    user's watches, then each list from its own time or deadline range."""
    ids = following(user)
    digest = Digest(user=user, since=since, until=until, today=today)
    if not any(ids.values()):
        return digest
    on_commitment = followed_condition(ids, "commitment_id")
    digest.updates = list(
        StatusUpdate.objects.filter(recorded_at__gt=since, recorded_at__lte=until)
        .filter(on_commitment)
        .select_related("commitment", "recorded_by")
        .order_by("-recorded_at", "-id")[:CAP]
    )
    digest.slips = list(
        DeadlineChange.objects.filter(changed_at__gt=since, changed_at__lte=until)
        .filter(on_commitment)
        .select_related("commitment")
        .order_by("-changed_at", "-id")[:CAP]
    )
    on_self = followed_condition(ids)
    digest.new = list(
        Commitment.objects.filter(created_at__gt=since, created_at__lte=until)
        .filter(on_self)
        .order_by("-created_at", "id")[:CAP]
    )
    digest.due = list(
        Commitment.objects.filter(
            deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS)
        )
        .filter(on_self)
        .on(today)
        .filter(health.is_open(today))
        .order_by("deadline", "title")[:CAP]
    )
    return digest


def since_for(user, frequency: str, now: dt.datetime) -> dt.datetime:
    """From the last digest sent, or one period back for a first digest."""
    last = DigestSent.objects.filter(user=user).order_by("-sent_at").first()
    if last is not None:
        return last.sent_at
    return now - dt.timedelta(days=PERIOD_DAYS.get(frequency, 1))


def is_due(user, frequency: str, today: dt.date) -> bool:
    """Daily digests go out every day, weekly ones seven days after the last."""
    if frequency == DigestFrequency.OFF:
        return False
    if frequency == DigestFrequency.DAILY:
        return True
    last = DigestSent.objects.filter(user=user).order_by("-day").first()
    return last is None or (today - last.day).days >= 7


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str):
    """The user an unsubscribe token names, or raises signing.BadSignature (a forged
    token) or signing.SignatureExpired (too old)."""
    pk = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    return get_user_model().objects.get(pk=pk)


def render(digest: Digest) -> str:
    return render_to_string(
        "commitments/watching/digest.txt",
        {
            "digest": digest,
            "site": settings.SITE_URL,
            "unsubscribe": settings.SITE_URL
            + reverse("digest_unsubscribe", args=[unsubscribe_token(digest.user)]),
            "manage": settings.SITE_URL + reverse("watching"),
        },
    )


def language_for(settings_row) -> str:
    """The language a digest is written in: the one its reader chose on the Watching page
    (`DigestSubscription.language`), else the site's (`settings.LANGUAGE_CODE`), whatever
    language the sending process happens to run in."""
    return settings_row.language or settings.LANGUAGE_CODE


def subject(day: dt.date) -> str:
    """The digest's subject line, in the active language."""
    written = dateformat.format(day, pgettext("date in a digest's subject", "j F Y"))
    return gettext("What changed in what you follow: %(day)s") % {"day": written}


def send(*, user_id: int, day: dt.date) -> str:
    """Send `day`'s digest to the user, unless it went out already; says what it did."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "no such active user"
    if not user.email:
        return f"{user.get_username()} has no e-mail address"
    settings_row = subscription(user)
    if settings_row.frequency == DigestFrequency.OFF:
        return f"{user.get_username()} turned digests off"
    now = timezone.now()
    since = since_for(user, settings_row.frequency, now)
    digest = build(user, since=since, until=now, today=day)
    if digest.is_empty:
        return f"nothing new for {user.get_username()}"
    try:
        with transaction.atomic():
            DigestSent.objects.create(
                user=user, day=day, since=since, items=digest.items, sent_at=now
            )
            with translation.override(language_for(settings_row)):
                message = EmailMessage(
                    subject=subject(day),
                    body=render(digest),
                    to=[user.email],
                    headers={
                        "List-Unsubscribe": f"<{settings.SITE_URL}"
                        f"{reverse('digest_unsubscribe', args=[unsubscribe_token(user)])}>"
                    },
                )
            message.send()
    except IntegrityError:
        return f"{user.get_username()} already had the digest of {day}"
    return f"sent {digest.items} items to {user.get_username()}"
