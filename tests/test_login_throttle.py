import pytest

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def fail(client, username="ana", address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_a_wrong_password_says_so_and_lets_the_user_retry(client, analyst):
    response = fail(client)
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_it_locks_a_username_and_address_after_five_failures(client, analyst):
    for _ in range(4):
        assert fail(client).status_code == 200
    locked = fail(client)
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    assert b"15 minutes" in locked.content
    # Even the right password is refused while locked.
    right = client.post(LOGIN, {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_does_not_spill_over_to_other_addresses(client, analyst):
    for _ in range(5):
        fail(client)
    response = client.post(LOGIN, {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, analyst):
    for _ in range(4):
        fail(client)
    ok = client.post(LOGIN, {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert ok.status_code == 302
    client.logout()
    for _ in range(4):
        assert fail(client).status_code == 200


# -- behind a reverse proxy -------------------------------------------------------------------
class Proxy:
    """A reverse proxy hop in front of the live server: it forwards each request and
    appends the address it came from to X-Forwarded-For, as nginx's
    `$proxy_add_x_forwarded_for` does. Clients reach it from different loopback addresses."""

    def __init__(self, upstream: str):
        import http.client
        import http.server
        import threading
        from urllib.parse import urlsplit

        target = urlsplit(upstream)

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                seen = self.headers.get("X-Forwarded-For")
                client = self.client_address[0]
                headers["X-Forwarded-For"] = f"{seen}, {client}" if seen else client
                connection = http.client.HTTPConnection(target.hostname, target.port)
                connection.request(self.command, self.path, body or None, headers)
                answer = connection.getresponse()
                content = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def login(self, source: str, username: str, password: str, forged: str = "") -> int:
        """Log in through the proxy from the loopback address `source`; the status code."""
        import http.client
        import re
        from urllib.parse import urlencode

        def connect():
            return http.client.HTTPConnection("127.0.0.1", self.port, source_address=(source, 0))

        page = connect()
        page.request("GET", LOGIN)
        answer = page.getresponse()
        html = answer.read().decode()
        cookie = answer.getheader("Set-Cookie").split(";", 1)[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        post = connect()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        if forged:
            headers["X-Forwarded-For"] = forged
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        post.request("POST", LOGIN, urlencode(form), headers)
        return post.getresponse().status

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# Transactional (the live server reads committed rows), so it runs after the tests that
# rely on what the migrations created.
@pytest.mark.django_db(transaction=True)
def test_it_locks_the_client_behind_a_proxy_hop_not_the_proxy_nor_the_user_elsewhere(
    live_server, settings, analyst
):
    settings.PROXY_COUNT = 1
    proxy = Proxy(live_server.url)
    stranger, owner = "127.0.0.2", "127.0.0.3"
    try:
        # The stranger even writes the owner's address in front: the proxy's hop decides.
        for _ in range(4):
            assert proxy.login(stranger, "ana", "wrong", forged=owner) == 200
        assert proxy.login(stranger, "ana", "wrong", forged=owner) == 429
        assert proxy.login(stranger, "ana", PASSWORD) == 429
        assert proxy.login(owner, "ana", PASSWORD) == 302
    finally:
        proxy.close()


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.9"),
        (1, "", "10.0.0.9"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.1, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.1, 198.51.100.7, 10.1.1.1", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.9"),
    ],
    ids=["no_proxy", "missing_header", "one_hop", "forged_prefix", "two_hops", "too_short"],
)
def test_it_reads_the_client_address_from_the_proxies_own_hop(settings, hops, forwarded, expected):
    from django.test import RequestFactory

    from commitments.auth import client_address

    settings.PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# -- the old password on the password change page ---------------------------------------------
PASSWORD_CHANGE = "/accounts/password/"


def change(client, old: str, address="10.0.0.1"):
    new = "a-new-horse-battery-staple"
    return client.post(
        PASSWORD_CHANGE,
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=address,
    )


def test_it_throttles_guesses_of_the_old_password_like_a_login(client, analyst):
    client.force_login(analyst)
    for _ in range(4):
        wrong = change(client, "wrong")
        assert wrong.status_code == 200
        assert b"Your old password was entered incorrectly" in wrong.content
    locked = change(client, "wrong")
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    # Locked, the right old password changes nothing either, and the login is locked too.
    assert change(client, PASSWORD).status_code == 429
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD)
    client.logout()
    login = client.post(LOGIN, {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert login.status_code == 429


def test_it_changes_the_password_after_fewer_wrong_guesses_than_the_limit(client, analyst):
    client.force_login(analyst)
    for _ in range(4):
        change(client, "wrong")
    assert change(client, PASSWORD).status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password("a-new-horse-battery-staple")


def test_it_asks_for_a_login_before_the_password_change_page(client, db):
    response = client.get(PASSWORD_CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
