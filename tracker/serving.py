"""What the app needs before it serves requests (and management commands do not)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = (
    "SECRET_KEY must be set when DEBUG is off (set DEBUG=true for local development)."
)


def require_secret_key() -> None:
    """Refuse to serve with DEBUG off on the throwaway key settings fall back to."""
    if settings.SECRET_KEY_MISSING:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
