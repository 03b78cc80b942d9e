"""Shared fixtures: users for each role, a commitment builder, and a real Chromium."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
import subprocess

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from commitments.choices import EvidenceKind, Kind, Precision, Reliability
from commitments.models import Actor, Commitment, Evidence, Party, Source, Theme

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (the next request sets its own);
    a test that asked for Italian or Japanese must not hand it to the next test."""
    yield
    from django.utils import translation

    translation.deactivate()


# -- users ------------------------------------------------------------------------------
ROLES = importlib.import_module("commitments.migrations.0002_roles").ROLES


def ensure_roles():
    """Recreate the roles as the data migration does: the flush after a test on a
    transactional database empties every table, groups included."""
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="commitments", codename__in=codes)
        )


def _user(username: str, *, groups=(), superuser=False):
    if groups and Group.objects.filter(name__in=groups).count() < len(set(groups)):
        ensure_roles()
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def reader(db):
    return _user("reader")


@pytest.fixture
def analyst(db):
    return _user("ana", groups=["Analysts"])


@pytest.fixture
def editor(db):
    return _user("eddie", groups=["Editors"])


@pytest.fixture
def superuser(db):
    return _user("root", superuser=True)


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


# -- data ---------------------------------------------------------------------------------
class Builder:
    """Small, explicit builders for test data (no magic factories)."""

    def __init__(self):
        self.n = 0

    def _next(self) -> int:
        self.n += 1
        return self.n

    def actor(self, name: str | None = None, **kwargs) -> Actor:
        name = name or f"Country {self._next()}"
        kwargs.setdefault("kind", "government")
        return Actor.objects.create(name=name, **kwargs)

    def theme(self, name: str | None = None, **kwargs) -> Theme:
        return Theme.objects.create(name=name or f"Theme {self._next()}", **kwargs)

    def source(self, title: str | None = None, **kwargs) -> Source:
        kwargs.setdefault("kind", "joint_statement")
        return Source.objects.create(title=title or f"Statement {self._next()}", **kwargs)

    def commitment(
        self,
        title: str | None = None,
        *,
        themes=(),
        parties=(),
        deadline: dt.date | None = None,
        precision: str = "",
        **kwargs,
    ) -> Commitment:
        kwargs.setdefault("kind", Kind.DELIVERABLE)
        if deadline and not precision:
            precision = Precision.DAY
        commitment = Commitment.objects.create(
            title=title or f"Commitment {self._next()}",
            deadline=deadline,
            deadline_precision=precision,
            **kwargs,
        )
        commitment.themes.set(themes)
        for party in parties:
            actor, role = party if isinstance(party, tuple) else (party, "partner")
            Party.objects.create(commitment=commitment, actor=actor, role=role)
        return commitment

    def evidence(self, commitment: Commitment, **kwargs) -> Evidence:
        kwargs.setdefault("title", f"Evidence {self._next()}")
        kwargs.setdefault("url", "https://example.org/report")
        kwargs.setdefault("kind", EvidenceKind.NEWS_REPORT)
        kwargs.setdefault("reliability", Reliability.SECONDARY)
        evidence = Evidence.objects.create(**kwargs)
        evidence.commitments.add(commitment)
        return evidence


@pytest.fixture
def frozen_clock():
    """The clock held at tests.clock.NOW, for the tests of an analyst's day."""
    from tests.clock import NOW

    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def make(db):
    return Builder()


@pytest.fixture
def kept_register_cache(settings):
    """The cache of dashboard numbers and list counts turned on (tests run without it),
    empty before and after."""
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    from commitments.seed import load_seed

    load_seed()


# -- browser ------------------------------------------------------------------------------
def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip_pg = pytest.mark.skip(reason="Needs PostgreSQL: set DATABASE_URL=postgres://...")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip_pg)
    if chromium_available():
        return
    if os.environ.get("CI") == "true":
        return  # under CI the browser tests must run, and fail loudly if they cannot
    skip = pytest.mark.skip(
        reason="Chromium is not installed: `apt-get install chromium` to run browser tests."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not hasattr(config, "workerinput"):  # once, before any worker starts
        compile_catalogues()


def compile_catalogues():
    """Compile locale/*/LC_MESSAGES/django.po whose .mo is missing or older, as
    `make messages` does, so a plain `pytest` reads the current translations."""
    from pathlib import Path

    msgfmt = shutil.which("msgfmt")
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if msgfmt is None:
            raise pytest.UsageError(
                f"{po} needs compiling and msgfmt is missing: apt-get install gettext"
            )
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture
def browser_login(page, live_server):
    """Log a user in through the real login form; returns a function(user)."""

    def login(user, next_path: str = "/"):
        page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return login
