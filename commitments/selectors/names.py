"""The register's actors and themes as the extractor reads them: every name an actor
goes by and each theme's words. Two queries."""

from __future__ import annotations

from ..extraction import ActorRef, ThemeRef
from ..models import Actor, Theme


def actor_refs() -> list[ActorRef]:
    return [
        ActorRef(actor.slug, actor.name, tuple(actor.all_names))
        for actor in Actor.objects.only("slug", "name", "short_name", "aliases")
    ]


def theme_refs() -> list[ThemeRef]:
    return [
        ThemeRef(theme.slug, theme.name, theme.description)
        for theme in Theme.objects.only("slug", "name", "description")
    ]
