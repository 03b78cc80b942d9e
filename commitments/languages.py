"""The reader's language: chosen in the header (Django's `set_language`, kept in the
`django_language` cookie), else the browser's Accept-Language, else English.

URLs carry no language prefix, so the same address answers in each reader's language:
every response varies on both the cookie and Accept-Language, and a cache in front of
the app never hands one reader's language to another. An unknown code, from the switcher,
the cookie or the header, falls back to English; it is never an error.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware import locale
from django.utils.cache import patch_vary_headers
from django.views import i18n
from django.views.decorators.http import require_POST


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, with `Vary: Cookie` added to its `Vary: Accept-Language`."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@require_POST
def set_language(request):
    """Django's `set_language`, for the interface's own languages only: any other code
    (one Django has a catalogue for, such as `de`, or none at all) leaves the choice as it
    was and returns to the page, so the cookie only ever holds a language we speak."""
    if request.POST.get("language") not in dict(settings.LANGUAGES):
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    return i18n.set_language(request)
