from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from .auth import DEMO_USERNAMES


@checks.register(checks.Tags.security, deploy=True)
def secret_key_set(app_configs, **kwargs):
    """`check --deploy` fails while SECRET_KEY is unset (settings run on a throwaway key)."""
    if getattr(settings, "SECRET_KEY_MISSING", False):
        return [
            checks.Error(
                "SECRET_KEY is not set.",
                hint="Set SECRET_KEY in the environment to a long random value.",
                id="commitments.E002",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def demo_accounts_absent(app_configs, **kwargs):
    """`check --deploy` fails while a demo account still has the demo password."""
    from django.contrib.auth import get_user_model

    if settings.DEBUG:
        return []
    try:
        users = list(get_user_model().objects.filter(username__in=DEMO_USERNAMES))
    except DatabaseError:
        return []  # no database yet: nothing to check
    errors = []
    for user in users:
        if user.check_password(settings.TRACKER_DEMO_PASSWORD):
            errors.append(
                checks.Error(
                    f"The demo account {user.username!r} still has the demo password.",
                    hint="Delete the account or set a real password before running with DEBUG off.",
                    id="commitments.E001",
                )
            )
    return errors


@checks.register(checks.Tags.database)
def status_periods_in_step(app_configs, databases=None, **kwargs):
    """`check --database default` fails while the status periods differ from the history
    (a bulk load that bypassed the status service): `rebuild_status_periods` mends it."""
    if not databases:
        return []
    from .services import periods

    try:
        count, first = periods.out_of_step()
    except DatabaseError:
        return []  # no tables yet: nothing to check
    if not count:
        return []
    return [
        checks.Error(
            periods.describe_out_of_step(count, first),
            hint="Run `python manage.py rebuild_status_periods`.",
            id="commitments.E003",
        )
    ]
