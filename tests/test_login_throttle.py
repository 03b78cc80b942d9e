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
