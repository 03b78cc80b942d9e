"""Fixtures shared by the API tests (imported by the tests/test_api*.py modules)."""

from __future__ import annotations

import datetime as dt
import types

import pytest
import time_machine
from django.http import HttpResponse
from django.urls import NoReverseMatch, path, reverse

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def commitment_pages(settings):
    """The API links each commitment to its page. Until the browse pages are routed, a
    stand-in route of the same name lets those links be built and checked."""
    try:
        reverse("commitment_detail", args=["x"])
    except NoReverseMatch:
        from tracker import urls as project_urls

        def page(request, slug):
            return HttpResponse(slug)

        urlconf = types.ModuleType("api_test_urls")
        urlconf.urlpatterns = [
            *project_urls.urlpatterns,
            path("commitments/<slug:slug>/", page, name="commitment_detail"),
        ]
        settings.ROOT_URLCONF = urlconf
    yield
