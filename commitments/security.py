"""Security middleware: the headers Django and django-csp leave out, and a plain 503 when the
database is away."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

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
        if isinstance(exception, OperationalError | InterfaceError) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            # The visitor gets a plain page; the operator gets the cause in the log.
            logger.error("Database error on %s", request.path, exc_info=exception)
            body = render_to_string("503.html", {"debug": settings.DEBUG})
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "30"
            return response
        return None
