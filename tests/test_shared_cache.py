"""The cache shared by every app server: REDIS_URL selects it, two servers see one
another's writes at once, and a Redis that is down or silent never takes a page with it.

These tests use the real Redis at 127.0.0.1:6379, each under its own key prefix, which
it deletes afterwards. Without that Redis they are skipped, except under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import closing, contextmanager
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.core.cache import cache

from tracker import cache as shared_cache

ROOT = Path(__file__).resolve().parent.parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def real_redis():
    """A client of the real Redis; the test is skipped without one, unless under CI."""
    if not redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_HOST}:{REDIS_PORT} is not reachable under CI=true.")
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}: start redis-server.")
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    yield client
    client.close()


@pytest.fixture
def prefix(real_redis):
    """A key prefix of this test's own, and every key under it deleted afterwards."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    keys = list(real_redis.scan_iter(match=f"{name}:*"))
    if keys:
        real_redis.delete(*keys)


def redis_cache(location: str, prefix: str = "tracker") -> dict:
    return {
        "default": {
            "BACKEND": "tracker.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def closed_port() -> int:
    """A local port nothing listens on."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    settings.DASHBOARD_CACHE_SECONDS = 60


@pytest.fixture
def shared(settings, prefix):
    settings.CACHES = redis_cache(REDIS_URL, prefix)
    settings.DASHBOARD_CACHE_SECONDS = 60
    return prefix


# -- settings ---------------------------------------------------------------------------
def load_cache_settings(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "CACHE_URL", "CACHE_KEY_PREFIX", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, tracker.settings as s; print(json.dumps(s.CACHES['default']))",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_keeps_each_process_s_own_memory_cache_without_a_redis_url():
    result = load_cache_settings()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("name", ["REDIS_URL", "CACHE_URL"])
def test_it_selects_the_shared_redis_cache_from_the_environment(name):
    result = load_cache_settings(**{name: "redis://cache.internal:6379/2"})
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["BACKEND"] == "tracker.cache.RedisCache"
    assert config["LOCATION"] == "redis://cache.internal:6379/2"
    assert config["KEY_PREFIX"] == "tracker"
    assert config["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def test_it_takes_the_key_prefix_from_the_environment():
    result = load_cache_settings(REDIS_URL="redis://cache.internal:6379/0", CACHE_KEY_PREFIX="t2")
    assert json.loads(result.stdout)["KEY_PREFIX"] == "t2"


def test_it_accepts_the_same_address_in_both_variables():
    url = "rediss://cache.internal:6380/0"
    result = load_cache_settings(REDIS_URL=url, CACHE_URL=url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["LOCATION"] == url


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"REDIS_URL": "memcached://user:s3cret@cache.internal:11211"},
            "REDIS_URL must be a redis://, rediss:// or unix:// address, not memcached.",
        ),
        (
            {"CACHE_URL": "cache.internal:6379"},
            "CACHE_URL must be a redis://, rediss:// or unix:// address, not cache.internal.",
        ),
        ({"REDIS_URL": "redis://cache.internal:port/0"}, "REDIS_URL could not be parsed"),
        (
            {"REDIS_URL": "redis://a.internal:6379/0", "CACHE_URL": "redis://b.internal:6379/0"},
            "REDIS_URL and CACHE_URL name different caches: set only one.",
        ),
    ],
    ids=["other-scheme", "no-scheme", "bad-port", "two-caches"],
)
def test_it_refuses_a_cache_address_it_cannot_use(env, message):
    result = load_cache_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "s3cret" not in result.stderr


def test_it_names_a_server_without_its_password():
    assert (
        shared_cache.safe_address("redis://user:s3cret@cache.internal:6380/1")
        == "redis://cache.internal:6380/1"
    )
    assert shared_cache.safe_address("unix:///run/redis.sock") == "unix:///run/redis.sock"


# -- a shared Redis ---------------------------------------------------------------------
def test_it_stores_and_reads_through_redis(shared, real_redis):
    cache.set("answer", {"total": 42}, 60)
    assert cache.get("answer") == {"total": 42}
    assert real_redis.exists(f"{shared}:1:answer")


def test_it_clears_only_its_own_keys(shared, real_redis, prefix):
    neighbour = f"{prefix}-neighbour:1:kept"
    real_redis.set(neighbour, b"theirs", ex=60)
    try:
        cache.set("ours", 1, 60)
        assert cache.clear() is True
        assert cache.get("ours") is None
        assert real_redis.get(neighbour) == b"theirs"
    finally:
        real_redis.delete(neighbour)


def test_it_reports_a_reachable_redis_as_ok_on_healthz(client, db, shared):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_it_uses_redis_again_as_soon_as_healthz_finds_it_back(client, db, shared, real_redis):
    with mock.patch.object(cache._cache, "get", side_effect=redis.ConnectionError("refused")):
        assert cache.get("k", "miss") == "miss"
    cache.set("k", 1, 60)  # bypassed: Redis was down a moment ago
    assert not real_redis.exists(f"{shared}:1:k")

    assert client.get("/healthz").json()["cache"] == "ok"
    cache.set("k", 1, 60)
    assert real_redis.exists(f"{shared}:1:k")


# -- Redis down or silent -----------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/?as_of=2025-01-01", "/?theme=defence"])
def test_it_serves_the_dashboard_without_an_unreachable_redis_and_logs_a_warning(
    client, make, redis_down, caplog, path
):
    make.commitment("Joint satellite")
    started = time.monotonic()
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert time.monotonic() - started < 5
    warnings = [r for r in caplog.records if r.name == "tracker.cache"]
    assert [r.levelname for r in warnings] == ["WARNING"]
    assert "is unreachable" in warnings[0].getMessage()
    assert "serving without it" in warnings[0].getMessage()


def test_it_shows_the_dashboard_s_numbers_without_redis(client, make, redis_down):
    make.commitment("Joint satellite")
    make.commitment("Hydrogen corridor")
    response = client.get("/")
    assert response.context["numbers"]["total"] == 2


def test_it_reports_the_cache_as_degraded_but_the_app_as_up_when_redis_is_down(
    client, db, redis_down
):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "degraded"}


def test_it_leaves_an_unreachable_redis_alone_until_the_retry_window_ends(redis_down, caplog):
    clock = [1000.0]
    with mock.patch.object(shared_cache, "monotonic", side_effect=lambda: clock[0]):
        calls = []
        real_get = cache._cache.get

        def counting_get(*args, **kwargs):
            calls.append(1)
            return real_get(*args, **kwargs)

        with mock.patch.object(cache._cache, "get", side_effect=counting_get):
            assert cache.get("k", "miss") == "miss"  # tried: refused
            clock[0] += shared_cache.RETRY_AFTER_SECONDS - 0.001
            assert cache.get("k", "miss") == "miss"  # still within the window: not tried
            assert len(calls) == 1
            clock[0] += 0.001
            assert cache.get("k", "miss") == "miss"  # the window has ended: tried again
            assert len(calls) == 2
    warnings = [r for r in caplog.records if r.name == "tracker.cache"]
    assert len(warnings) == 2  # one per outage noticed, not one per call


def test_it_gives_up_on_a_redis_that_never_answers_within_its_timeout(settings, caplog):
    """A server that accepts the connection and never answers: the read timeout ends it."""
    with closing(socket.socket()) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.CACHES = redis_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        started = time.monotonic()
        assert cache.get("k", "miss") == "miss"
        elapsed = time.monotonic() - started
        cache.set("k", "v")  # within the retry window: dropped at once
        total = time.monotonic() - started
    assert 0.4 < elapsed < 3
    assert total - elapsed < 0.1
    assert "TimeoutError" in caplog.text


def test_it_answers_every_cache_call_while_redis_is_down(redis_down):
    assert cache.get("a", "miss") == "miss"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("a") is False
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("a") is False
    assert cache.delete("a") is False
    assert cache.delete_many(["a"]) is None
    assert cache.clear() is False
    assert shared_cache.state(cache) == "degraded"


# -- two app servers, one Redis -------------------------------------------------------------
SETUP = """
import django
django.setup()
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from commitments.models import Commitment
call_command("migrate", verbosity=0)
call_command("load_seed", verbosity=0)
user = User.objects.create_user("writer", password="unused-password-1234")
user.groups.add(Group.objects.get(name="Analysts"))
print(Token.objects.create(user=user).key)
print(Commitment.objects.filter(status="in_progress").order_by("slug").first().slug)
"""


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database: Path, prefix: str) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        # DEBUG on only so that pages find their static files without collectstatic.
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "DASHBOARD_CACHE_SECONDS": "300",
    }


def http(url: str, data: dict | None = None, token: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url)
    if data is not None:
        request.data = json.dumps(data).encode()
        request.add_header("Content-Type", "application/json")
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.read().decode()


@contextmanager
def app_server(env: dict[str, str], log: Path):
    """A gunicorn app server as `make serve` runs it, one worker, on a free port."""
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tracker.wsgi:application",
                "--config",
                "tracker/gunicorn.conf.py",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if http(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"The app server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tile(page: str, key: str) -> int:
    match = re.search(rf'data-tile="{key}">.*?data-count="(\d+)"', page, re.S)
    assert match, f"no {key} tile"
    return int(match.group(1))


def dashboard_keys(client: redis.Redis, prefix: str) -> set[bytes]:
    return set(client.scan_iter(match=f"{prefix}:1:dashboard:*"))


def test_it_shows_a_write_through_one_app_server_at_once_on_the_other(tmp_path, real_redis, prefix):
    database = tmp_path / "shared.sqlite3"
    env = server_env(database, prefix)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr
    token, slug = setup.stdout.split()[-2:]

    with app_server(env, tmp_path / "a.log") as one, app_server(env, tmp_path / "b.log") as two:
        status, first = http(f"{one}/")
        assert status == 200
        [entry] = dashboard_keys(real_redis, prefix)  # computed once, stored in Redis
        # Made permanent, so that a recomputation by the other server (which would
        # store it again with a timeout) would show.
        real_redis.persist(entry)

        status, second = http(f"{two}/")
        assert status == 200
        assert dashboard_keys(real_redis, prefix) == {entry}
        assert real_redis.ttl(entry) == -1  # the other server read it, computed nothing
        assert tile(second, "status-achieved") == tile(first, "status-achieved")

        status, _ = http(
            f"{one}/api/commitments/{slug}/updates/",
            {
                "status": "achieved",
                "progress": 100,
                "rationale": "Delivered, as the joint statement reports.",
                "new_evidence": [
                    {"title": "Joint statement", "url": "https://example.org/statement"}
                ],
            },
            token=token,
        )
        assert status == 201

        status, after = http(f"{two}/")
        assert status == 200
        assert tile(after, "status-achieved") == tile(first, "status-achieved") + 1
        assert tile(after, "status-in_progress") == tile(first, "status-in_progress") - 1
        # A new entry for the new version, stored by the second server: so its first
        # visit, which stored nothing, was read from the first server's entry.
        assert len(dashboard_keys(real_redis, prefix)) == 2

        status, back = http(f"{one}/")
        assert tile(back, "status-achieved") == tile(after, "status-achieved")
        assert len(dashboard_keys(real_redis, prefix)) == 2  # and the first reads it in turn
