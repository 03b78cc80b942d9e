"""Following commitments, actors, themes and sources, and the digest's settings.

Keyword-only and atomic; the rules, keyed by field:

- a user follows something that exists, once (`follow` says so when it is already
  followed or does not exist);
- a user stops following only their own watches;
- the digest is daily, weekly or off, in one of the interface's languages (or the
  site's); the private feed's secret is reset on request (the old address stops
  working at once).
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from ..choices import DigestFrequency
from ..models import (
    DIGEST_LANGUAGES,
    WATCH_TARGETS,
    Actor,
    Commitment,
    DigestSubscription,
    Source,
    Theme,
    Watch,
)

MODELS = {"commitment": Commitment, "actor": Actor, "theme": Theme, "source": Source}


def subscription(user: AbstractBaseUser) -> DigestSubscription:
    """The user's digest settings, created (daily, with a new feed secret) if missing."""
    found = DigestSubscription.objects.filter(user=user).first()
    if found is not None:
        return found
    with transaction.atomic():
        created, _ = DigestSubscription.objects.get_or_create(
            user=user, defaults={"feed_token": secrets.token_urlsafe(32)}
        )
    return created


@transaction.atomic
def follow(*, user: AbstractBaseUser, kind: str, slug: str) -> Watch:
    """Follow the commitment, actor, theme or source (`kind`) with this `slug`."""
    if kind not in WATCH_TARGETS:
        raise ValidationError(
            {
                "kind": gettext("You can follow %(kinds)s; not %(kind)s.")
                % {"kinds": ", ".join(WATCH_TARGETS), "kind": repr(kind)}
            }
        )
    target = MODELS[kind].objects.filter(slug=slug).first()
    if target is None:
        missing = {
            "commitment": gettext("There is no commitment “%(slug)s” to follow."),
            "actor": gettext("There is no actor “%(slug)s” to follow."),
            "theme": gettext("There is no theme “%(slug)s” to follow."),
            "source": gettext("There is no source “%(slug)s” to follow."),
        }
        raise ValidationError({"slug": missing[kind] % {"slug": slug[:80]}})
    if Watch.objects.filter(user=user, **{kind: target}).exists():
        raise ValidationError(
            {"slug": gettext("You already follow “%(target)s”.") % {"target": target}}
        )
    subscription(user)
    try:
        with transaction.atomic():
            return Watch.objects.create(user=user, **{kind: target})
    except IntegrityError as error:  # the same follow, a moment earlier
        raise ValidationError(
            {"slug": gettext("You already follow “%(target)s”.") % {"target": target}}
        ) from error


@transaction.atomic
def unfollow(*, user: AbstractBaseUser, watch_id: int) -> None:
    deleted, _ = Watch.objects.filter(user=user, pk=watch_id).delete()
    if not deleted:
        raise ValidationError({"watch": gettext("You do not follow that (any more).")})


@transaction.atomic
def set_frequency(
    *, user: AbstractBaseUser, frequency: str, language: str | None = None
) -> DigestSubscription:
    """How often the user's digest goes out and, when `language` is given, the language
    it is written in (one of the interface's; "" for the site's)."""
    if frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": gettext("Choose daily, weekly or off.")})
    if language is not None and language not in DIGEST_LANGUAGES:
        raise ValidationError({"language": gettext("Choose one of the interface's languages.")})
    settings = subscription(user)
    changes = {"frequency": frequency}
    if language is not None:
        changes["language"] = language
    DigestSubscription.objects.filter(pk=settings.pk).update(**changes)
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


@transaction.atomic
def reset_feed_token(*, user: AbstractBaseUser) -> DigestSubscription:
    """A new secret for the user's private feed; the old address stops working."""
    settings = subscription(user)
    settings.feed_token = secrets.token_urlsafe(32)
    DigestSubscription.objects.filter(pk=settings.pk).update(feed_token=settings.feed_token)
    return settings
