"""The register's actors and themes as the extractor reads them, keyed by their ids:
every name an actor goes by and each theme's words. One query each."""

from __future__ import annotations

from ..extraction import ActorRef, ThemeRef
from ..models import Actor, Theme


def actor_refs() -> list[ActorRef]:
    return [
        ActorRef(actor.pk, actor.name, tuple(actor.all_names))
        for actor in Actor.objects.only("slug", "name", "short_name", "aliases")
    ]


def theme_refs() -> list[ThemeRef]:
    return [
        ThemeRef(theme.pk, theme.name, theme.description)
        for theme in Theme.objects.only("slug", "name", "description")
    ]
