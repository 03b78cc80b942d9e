"""Background work, as tasks of the django-tasks API (Django 6's `django.tasks`).

They run on the backend `settings.TASKS` names: at once without a worker (`make run`,
tests), or queued in the database for `python manage.py db_worker` processes.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import digests


@task()
def send_digest(user_id: int, day: str) -> str:
    """Send one user's digest of `day` (YYYY-MM-DD), at most once."""
    return digests.send(user_id=user_id, day=dt.date.fromisoformat(day))
