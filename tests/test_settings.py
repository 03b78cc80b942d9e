"""Settings read the environment and fail loudly on values they cannot understand."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TIME_ZONE", "ADMIN_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import tracker.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.ADMIN_URL)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("entry", ["tracker.wsgi", "tracker.asgi"])
def test_it_refuses_to_serve_without_a_secret_key_when_debug_is_off(entry):
    result = run_python(f"import {entry}", DEBUG="false", DJANGO_SETTINGS_MODULE="tracker.settings")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_runs_management_commands_without_a_secret_key():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line;"
        " execute_from_command_line(['manage.py', 'makemigrations', '--check', '--dry-run'])",
        DJANGO_SETTINGS_MODULE="tracker.settings",
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_check_deploy_refuses_a_missing_secret_key():
    result = run_python(
        "from django.core.management import execute_from_command_line;"
        " execute_from_command_line(['manage.py', 'check', '--deploy'])",
        DJANGO_SETTINGS_MODULE="tracker.settings",
        ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_runs_without_a_secret_key_in_debug():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "admin/"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DEBUG": "true", "TIME_ZONE": "Mars/Olympus"}, "not a known time zone"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://root@localhost/x"}, "SQLite or PostgreSQL"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense://"}, "DATABASE_URL"),
        ({"DEBUG": "true", "LOGIN_FAILURE_LIMIT": "five"}, "LOGIN_FAILURE_LIMIT must be a whole"),
        ({"DEBUG": "true", "DASHBOARD_CACHE_SECONDS": "-5"}, "DASHBOARD_CACHE_SECONDS must be"),
        ({"DEBUG": "true", "EMAIL_URL": "pigeon://coop"}, "EMAIL_URL must look like"),
        ({"DEBUG": "true", "TASK_WORKER": "celery"}, "TASK_WORKER must be database"),
        ({"DEBUG": "true", "REVIEW_OPEN_DAYS": "soon"}, "REVIEW_OPEN_DAYS must be a whole"),
    ],
)
def test_it_fails_loudly_on_bad_values(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_reads_postgres_and_the_admin_url_from_the_environment():
    result = load_settings(
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tracker",
        ADMIN_URL="/backoffice/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "True", "backoffice/"]


def test_it_turns_postgres_jit_off_for_its_sessions():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tracker.settings as s; print(s.DATABASES['default']['OPTIONS'])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": "postgres://postgres@127.0.0.1/tracker",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "'options': '-c jit=off'" in result.stdout


MAIL_AND_TASKS = (
    "import tracker.settings as s; print(s.EMAIL_BACKEND.rsplit('.', 2)[1], "
    "getattr(s, 'EMAIL_HOST', '-'), getattr(s, 'EMAIL_PORT', '-'), "
    "getattr(s, 'EMAIL_HOST_USER', '-'), getattr(s, 'EMAIL_USE_TLS', '-'), "
    "s.TASKS['default']['BACKEND'].rsplit('.', 1)[1])"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "console - - - - ImmediateBackend"),
        (
            {
                "EMAIL_URL": "smtp://mailer:s%40cret@mail.example.org:2525",
                "TASK_WORKER": "database",
            },
            "smtp mail.example.org 2525 mailer True DatabaseBackend",
        ),
        (
            {"EMAIL_HOST": "relay.internal", "EMAIL_PORT": "25", "EMAIL_USE_TLS": "false"},
            "smtp relay.internal 25  False ImmediateBackend",
        ),
    ],
)
def test_it_reads_mail_and_the_task_backend_from_the_environment(env, expected):
    clean = dict.fromkeys(("EMAIL_URL", "EMAIL_HOST", "TASK_WORKER"), "")
    result = run_python(MAIL_AND_TASKS, DEBUG="true", **{**clean, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
