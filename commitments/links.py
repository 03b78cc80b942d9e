"""The address of a page named by a slug (a commitment, actor, theme or source), reversed
once per page and script prefix: a list links every row to its commitment, parties and
themes, and a `reverse` per link was a tenth of the page's time."""

from __future__ import annotations

import functools
import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# What the `slug` path converter accepts; anything else goes through `reverse` itself.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
MARK = "slug-mark"


def slug_url(name: str, slug: str) -> str:
    """`reverse(name, args=[slug])` for a URL pattern whose one argument is a slug."""
    if not SLUG.match(slug):
        return reverse(name, args=[slug])
    before, after = _around(name, get_script_prefix(), get_urlconf())
    return f"{before}{slug}{after}"


@functools.lru_cache(maxsize=128)
def _around(name: str, prefix: str, urlconf) -> tuple[str, str]:
    before, _, after = reverse(name, args=[MARK], urlconf=urlconf).partition(MARK)
    return before, after


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _around.cache_clear()
