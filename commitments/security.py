"""Security middleware: the headers Django and django-csp leave out, and a plain 503 when the
database is away (a JSON one under /api/)."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


def security_headers(get_response):
    """The headers neither Django nor django-csp sets (the policy is in settings)."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    return middleware


class DatabaseUnavailableMiddleware:
    """If the database goes away during a request, answer with a plain 503 page.

    The request's transaction (ATOMIC_REQUESTS, or the service's own atomic block) is
    rolled back by Django before this runs, so nothing is half-written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            return unavailable(request, exception)
        return None


def is_outage(exception: BaseException) -> bool:
    """Whether `exception` says the database cannot be reached (not a bad query)."""
    return isinstance(exception, OperationalError | InterfaceError) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    )


def unavailable(request, exception: BaseException) -> HttpResponse:
    """The 503 for a database that is away: the plain page, or JSON for the API. The
    visitor gets a plain answer; the operator gets the cause in the log."""
    logger.error("Database error on %s", request.path, exc_info=exception)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": gettext("The database is temporarily unavailable. Try again shortly.")},
            status=503,
        )
    else:
        body = render_to_string("503.html", {"debug": settings.DEBUG})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def check_database() -> None:
    """Ask the database for nothing, so that a response which streams its body finds an
    outage before its first byte (the middleware turns the error into the 503)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
