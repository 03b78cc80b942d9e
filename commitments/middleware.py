from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Paths that stay reachable without a login even when the tracker is private.
# The API is left to its own permission class, which answers 401/403 (not a redirect to
# the login page) and also accepts tokens, which this middleware cannot see. A digest's
# unsubscribe link and a private feed carry their own secret (a signed token, a secret
# address): they work without a login, as mail and feed readers cannot log in.
ALWAYS_OPEN_PREFIXES = (
    "/accounts/login/",
    "/static/",
    "/healthz",
    "/api/",
    "/watching/unsubscribe/",
    "/watching/feed/",
)


def login_required_unless_public(get_response):
    """With TRACKER_PUBLIC=false every page needs a login (the admin has its own)."""

    def middleware(request):
        if (
            not settings.TRACKER_PUBLIC
            and not request.user.is_authenticated
            and not request.path.startswith(ALWAYS_OPEN_PREFIXES)
            and not request.path.startswith(f"/{settings.ADMIN_URL}")
        ):
            return redirect_to_login(request.get_full_path())
        return get_response(request)

    return middleware
