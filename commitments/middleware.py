from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError

from .security import is_outage, unavailable

# Paths that stay reachable without a login even when the tracker is private.
# The API is left to its own permission class, which answers 401/403 (not a redirect to
# the login page) and also accepts tokens, which this middleware cannot see. A digest's
# unsubscribe link and a private feed carry their own secret (a signed token, a secret
# address): they work without a login, as mail and feed readers cannot log in.
ALWAYS_OPEN_PREFIXES = (
    "/accounts/login/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/api/",
    "/watching/unsubscribe/",
    "/watching/feed/",
)


def login_required_unless_public(get_response):
    """With TRACKER_PUBLIC=false every page needs a login (the admin has its own)."""

    def middleware(request):
        if settings.TRACKER_PUBLIC or request.path.startswith(ALWAYS_OPEN_PREFIXES):
            return get_response(request)
        if request.path.startswith(f"/{settings.ADMIN_URL}"):
            return get_response(request)
        try:
            # Reads the session and the user: the database's first use in a request.
            authenticated = request.user.is_authenticated
        except DatabaseError as error:
            if not is_outage(error):
                raise
            return unavailable(request, error)
        if not authenticated:
            return redirect_to_login(request.get_full_path())
        return get_response(request)

    return middleware


def admin_queries_without_nul(get_response):
    """The admin's searches (`q` on a list, `term` in an autocomplete) go into SQL as they
    are, and PostgreSQL cannot take a NUL in a text: the admin's query parameters lose it,
    so `term=%00` searches for nothing in particular instead of failing."""

    def middleware(request):
        if request.path.startswith(f"/{settings.ADMIN_URL}"):
            lists = list(request.GET.lists())
            if any("\x00" in value for _, values in lists for value in values):
                cleaned = request.GET.copy()
                for key, values in lists:
                    cleaned.setlist(key, [value.replace("\x00", "") for value in values])
                cleaned._mutable = False
                request.GET = cleaned
        return get_response(request)

    return middleware
