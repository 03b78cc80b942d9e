"""Health check, security headers, the database-down page, deploy settings and demo logins."""

import datetime as dt
import importlib
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import OperationalError
from django.test import RequestFactory

from commitments.security import DatabaseUnavailableMiddleware

ROOT = Path(__file__).resolve().parent.parent


def login_request():
    return RequestFactory().post("/accounts/login/")


def test_it_answers_healthz_when_the_database_is_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_it_answers_503_from_healthz_when_the_database_is_down(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert b"Traceback" not in response.content


STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(response) -> dict[str, str]:
    directives = (
        part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";")
    )
    return {name: value for name, _, value in directives}


def test_it_sends_security_headers(client, db):
    response = client.get("/healthz")
    assert policy_of(response) == STRICT_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_it_shows_a_plain_503_page_when_the_database_goes_away(caplog):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/commitments/")
    response = middleware.process_exception(
        request, OperationalError("server closed the connection")
    )
    assert response.status_code == 503
    assert b"temporarily unavailable" in response.content
    assert b"Traceback" not in response.content
    assert response["Retry-After"] == "30"
    assert "server closed the connection" in caplog.text  # the cause, for the operator


def test_it_sends_the_policy_with_the_503_page_too(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = client.get("/commitments/")
    assert response.status_code == 503
    assert policy_of(response) == STRICT_POLICY
    assert " style=" not in response.content.decode()


def test_it_leaves_other_errors_alone():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "a-long-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "tracker.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_password_opens_nothing_with_debug_off(db, settings, django_user_model):
    settings.DEBUG = False
    django_user_model.objects.create_user("analyst", password=settings.TRACKER_DEMO_PASSWORD)
    assert (
        authenticate(login_request(), username="analyst", password=settings.TRACKER_DEMO_PASSWORD)
        is None
    )


def test_the_demo_password_works_in_development(db, settings, django_user_model):
    settings.DEBUG = True
    user = django_user_model.objects.create_user("analyst", password=settings.TRACKER_DEMO_PASSWORD)
    assert (
        authenticate(login_request(), username="analyst", password=settings.TRACKER_DEMO_PASSWORD)
        == user
    )


def test_check_deploy_flags_a_demo_account(db, settings, django_user_model):
    from django.core.management.base import SystemCheckError

    settings.DEBUG = False
    django_user_model.objects.create_user("admin", password=settings.TRACKER_DEMO_PASSWORD)
    with pytest.raises(SystemCheckError, match="demo password"):
        call_command("check", "--deploy", "--tag", "security")


def test_the_admin_change_log_is_visible_to_admins_only(client, superuser, editor):
    client.force_login(superuser)
    assert client.get("/admin/admin/logentry/").status_code == 200
    client.force_login(editor)
    assert client.get("/admin/admin/logentry/").status_code in (302, 403)


# -- an outage everywhere: pages, the API, private mode, streamed files ---------------------
def database_down():
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("server closed the connection"),
    )


@pytest.mark.parametrize(
    "path", ["/api/commitments/", "/api/summary/", "/api/commitments/x/", "/api/updates/1/"]
)
def test_it_answers_json_503_on_the_api_when_the_database_is_down(client, db, path):
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The database is temporarily unavailable. Try again shortly."
    }
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("path", ["/", "/commitments/", "/activity/"])
def test_it_shows_logged_in_users_the_503_page_when_private_and_the_database_is_down(
    client, reader, settings, path
):
    settings.TRACKER_PUBLIC = False
    client.force_login(reader)
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert b"temporarily unavailable" in response.content
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize(
    "path",
    [
        "/commitments/export.csv",
        "/commitments/export.json",
        "/commitments/export.csv?format=readable",
        "/commitments/export.xlsx",
        "/deadlines.ics",
        "/commitments/gcap/deadlines.ics",
    ],
)
@pytest.mark.parametrize("public", [True, False], ids=["public", "private"])
def test_it_answers_503_before_the_first_byte_of_a_stream_when_the_database_is_down(
    client, reader, settings, path, public
):
    settings.TRACKER_PUBLIC = public
    client.force_login(reader)
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert not response.streaming
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize(
    ("path", "target", "closing"),
    [
        ("/commitments/export.json", "commitments.exporting.nested_record", b"\n]}\n"),
        ("/commitments/export.csv", "commitments.exporting.flat_record", None),
        ("/deadlines.ics", "commitments.feeds._event", b"END:VCALENDAR\r\n"),
    ],
    ids=["json", "csv", "ics"],
)
def test_it_cuts_off_a_stream_that_fails_midway_without_closing_it(
    client, make, caplog, path, target, closing
):
    for n in range(3):
        make.commitment(f"Plan {n}", deadline=dt.date(2030, 1, 1), precision="year")
    module, name = target.rsplit(".", 1)
    real = getattr(importlib.import_module(module), name)
    calls = []

    def fail_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("server closed the connection")
        return real(*args, **kwargs)

    response = client.get(path)
    assert response.status_code == 200
    received = b""
    with mock.patch(target, side_effect=fail_on_the_second), pytest.raises(OperationalError):
        for chunk in response.streaming_content:
            received += chunk
    if closing:  # the CSV's first rows are still in its buffer
        assert received and not received.endswith(closing)
    assert "failed midway and was cut off" in caplog.text


def test_it_answers_an_unknown_api_address_in_json_and_a_page_with_the_page(client, db):
    api = client.get("/api/no-such-thing/")
    page = client.get("/no-such-page/")

    assert api.status_code == page.status_code == 404
    assert api.json() == {"detail": "Not found."}
    assert page["Content-Type"].startswith("text/html")


def test_it_answers_an_unexpected_api_error_in_json(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    with mock.patch("commitments.api.views.CommitmentList.get_queryset", side_effect=ValueError):
        api = client.get("/api/commitments/")

    assert api.status_code == 500
    assert api.json() == {"detail": "Something went wrong on our side."}
