"""Authentication that never lets the demo password in when DEBUG is off."""

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
