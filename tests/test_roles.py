"""Roles, private mode and the account pages."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.conftest import PASSWORD

VIEW = {
    "view_actor",
    "view_theme",
    "view_source",
    "view_commitment",
    "view_party",
    "view_evidence",
    "view_milestone",
    "view_statusupdate",
}
ANALYST = VIEW | {"add_statusupdate", "add_evidence", "add_milestone", "change_milestone"}
EDITOR_EXTRA = {
    "add_commitment",
    "change_commitment",
    "add_actor",
    "change_actor",
    "add_theme",
    "change_theme",
    "add_source",
    "change_source",
    "import_commitments",
}
WRITE_PERMS = [
    "commitments.add_statusupdate",
    "commitments.add_evidence",
    "commitments.add_milestone",
    "commitments.change_milestone",
]


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_analysts_record_updates_add_evidence_and_manage_milestones(db):
    assert codenames("Analysts") == ANALYST


def test_editors_can_also_edit_the_register_and_import(db):
    editors = codenames("Editors")
    assert editors >= ANALYST | EDITOR_EXTRA
    assert not {"change_statusupdate", "delete_statusupdate"} & editors


def test_no_role_may_edit_or_delete_history(db):
    for group in ("Analysts", "Editors"):
        assert not {"change_statusupdate", "delete_statusupdate"} & codenames(group)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("reader", False), ("analyst", True), ("editor", True), ("superuser", True)],
)
def test_who_may_write(db, request, role, allowed):
    user = request.getfixturevalue(role)
    assert [user.has_perm(perm) for perm in WRITE_PERMS] == [allowed] * len(WRITE_PERMS)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("reader", False), ("analyst", False), ("editor", True), ("superuser", True)],
)
def test_only_editors_and_admins_edit_the_register(db, request, role, allowed):
    user = request.getfixturevalue(role)
    assert user.has_perm("commitments.change_commitment") is allowed
    assert user.has_perm("commitments.import_commitments") is allowed


# -- private mode ---------------------------------------------------------------------------
PAGES = ["/", "/commitments/", "/commitments/some-commitment/", "/activity/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_private_mode_sends_anonymous_visitors_to_login_for_every_page(client, settings, path):
    settings.TRACKER_PUBLIC = False
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"


def test_private_mode_keeps_the_login_page_open(client, settings, db):
    settings.TRACKER_PUBLIC = False
    assert client.get(reverse("login")).status_code == 200


def test_private_mode_lets_logged_in_readers_read(client, settings, reader):
    settings.TRACKER_PUBLIC = False
    client.force_login(reader)
    assert client.get("/activity/").status_code == 200


def test_public_mode_lets_anonymous_visitors_read(client, settings, db):
    settings.TRACKER_PUBLIC = True
    assert client.get("/activity/").status_code == 200


# -- account pages in the app's own look ------------------------------------------------------
def test_the_login_page_looks_like_the_app(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'class="site-header"' in html
    assert "<h1>Log in</h1>" in html
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html


def test_after_login_the_user_goes_back_to_the_page_they_came_from(client, analyst):
    response = client.post(
        reverse("login"),
        {"username": "ana", "password": PASSWORD, "next": "/activity/?theme=defence"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/activity/?theme=defence"


def test_login_does_not_send_users_to_another_site(client, analyst):
    response = client.post(
        reverse("login"),
        {"username": "ana", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_wrong_password_shows_a_message_on_the_login_page(client, analyst):
    response = client.post(reverse("login"), {"username": "ana", "password": "wrong"})
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_logs_out_and_goes_home(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("logout"))
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_the_password_change_page_needs_a_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_changes_their_password(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("password_change")).content.decode()
    assert 'class="site-header"' in page
    assert "<h1>Change your password</h1>" in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "<h1>Password changed</h1>" in response.content.decode()
    assert get_user_model().objects.get(pk=analyst.pk).check_password("a-new-long-passphrase")
