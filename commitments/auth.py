"""Authentication that never lets the demo password in when DEBUG is off, and the client's
address that login throttling counts failures against."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

DEMO_USERNAMES = ("admin", "analyst")


class ModelBackendWithoutDemoPasswords(ModelBackend):
    """The standard backend, except that with DEBUG off the demo password opens nothing,
    so demo accounts cannot be used in production even if a database copy carries them."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if (
            not settings.DEBUG
            and password is not None
            and password == settings.TRACKER_DEMO_PASSWORD
        ):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """The address of whoever sent the request (django-axes' `AXES_CLIENT_IP_CALLABLE`).

    Without proxies it is the connection's own. Behind `PROXY_COUNT` reverse proxies,
    each appends the address it received the request from to `X-Forwarded-For`, so the
    client's is the `PROXY_COUNT`-th from the right: anything further left was written by
    the client itself and proves nothing. A header shorter than that means the request
    did not come through every proxy; the connection's address is counted then."""
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.PROXY_COUNT
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
