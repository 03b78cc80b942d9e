"""Watchlists and digests: following, `/watching/`, the digest's contents, `send_digests`
(once a day per user, however often it runs), unsubscribing without a login, the private
feed, and a digest sent through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import socket
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from commitments import digests, services
from commitments.choices import DigestFrequency, Precision, Status
from commitments.models import Commitment, DigestSent, DigestSubscription, Watch
from commitments.services import watching
from tests.clock import NOW
from tests.conftest import _user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

TODAY = NOW.date()


@pytest.fixture
def follower(db):
    user = _user("fran")
    user.email = "fran@example.org"
    user.save()
    return user


@pytest.fixture
def world(make):
    italy, defence = make.actor("Italy"), make.theme("Defence")
    followed = make.commitment(
        "Joint satellite", parties=[italy], deadline=TODAY + dt.timedelta(days=30)
    )
    other = make.commitment("Unrelated", deadline=TODAY + dt.timedelta(days=10))
    # Added two days ago: not new in today's digest.
    Commitment.objects.update(created_at=NOW - dt.timedelta(days=2))
    return {"italy": italy, "defence": defence, "followed": followed, "other": other}


def rate(commitment, make):
    return services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        rationale="Contracts signed.",
        evidence=[make.evidence(commitment)],
        by=None,
    )


# -- following ---------------------------------------------------------------------------------
def test_it_follows_once_and_says_so_the_second_time(follower, world):
    watch = watching.follow(user=follower, kind="actor", slug=world["italy"].slug)
    assert watch.target == world["italy"]
    with pytest.raises(ValidationError) as twice:
        watching.follow(user=follower, kind="actor", slug=world["italy"].slug)
    assert twice.value.messages == ["You already follow “Italy”."]
    assert Watch.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "slug", "message"),
    [
        ("actor", "atlantis", "There is no actor “atlantis” to follow."),
        ("planet", "mars", "You can follow commitment, actor, theme, source; not 'planet'."),
    ],
)
def test_it_refuses_to_follow_what_does_not_exist(follower, kind, slug, message):
    with pytest.raises(ValidationError) as error:
        watching.follow(user=follower, kind=kind, slug=slug)
    assert error.value.messages == [message]
    assert not Watch.objects.exists()


def test_it_follows_from_the_button_and_lists_and_unfollows_on_the_page(client, follower, world):
    client.force_login(follower)
    page = client.get(world["followed"].get_absolute_url()).content.decode()
    assert 'action="/watching/follow/"' in page

    response = client.post(
        "/watching/follow/",
        {"kind": "commitment", "slug": world["followed"].slug, "back": "/watching/"},
        follow=True,
    )
    assert "Followed." in response.content.decode()
    assert "Joint satellite" in response.content.decode()
    again = client.post("/watching/follow/", {"kind": "commitment", "slug": "nope"}, follow=True)
    assert "There is no commitment “nope” to follow." in again.content.decode()

    watch = Watch.objects.get()
    client.post(reverse("watch_unfollow", args=[watch.pk]))
    assert not Watch.objects.exists()


def test_it_lets_nobody_unfollow_someone_elses_watch(client, follower, world, reader):
    watch = watching.follow(user=follower, kind="theme", slug=world["defence"].slug)
    client.force_login(reader)
    response = client.post(reverse("watch_unfollow", args=[watch.pk]), follow=True)
    assert "You do not follow that" in response.content.decode()
    assert Watch.objects.filter(pk=watch.pk).exists()


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("reader", 200), ("analyst", 200)])
def test_it_gives_any_logged_in_user_a_watching_page(client, request, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get("/watching/")
    assert response.status_code == status
    if who is None:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("n", [1, 6])
def test_it_shows_the_watching_page_in_a_constant_number_of_queries(
    client, follower, make, django_assert_num_queries, n
):
    for _ in range(n):
        watching.follow(user=follower, kind="commitment", slug=make.commitment().slug)
        watching.follow(user=follower, kind="actor", slug=make.actor().slug)
    client.force_login(follower)
    # session, user, digest settings, watches with their targets, the menu's permissions
    # (the user's and their groups')
    with django_assert_num_queries(6):
        response = client.get("/watching/")
    assert len(response.context["watches"]) == 2 * n


def test_it_saves_the_frequency_and_refuses_an_unknown_one(client, follower):
    client.force_login(follower)
    client.post("/watching/digest/", {"frequency": "weekly"})
    assert DigestSubscription.objects.get(user=follower).frequency == "weekly"
    response = client.post("/watching/digest/", {"frequency": "hourly"}, follow=True)
    assert "Choose daily, weekly or off." in response.content.decode()
    assert DigestSubscription.objects.get(user=follower).frequency == "weekly"


# -- the digest ------------------------------------------------------------------------------
def test_it_lists_updates_slips_new_commitments_and_deadlines_of_what_is_followed(
    follower, world, make
):
    watching.follow(user=follower, kind="actor", slug=world["italy"].slug)
    watching.follow(user=follower, kind="theme", slug=world["defence"].slug)
    since = NOW - dt.timedelta(hours=1)
    rate(world["followed"], make)
    rate(world["other"], make)
    services.change_deadline(
        commitment=world["followed"],
        deadline=TODAY + dt.timedelta(days=31),
        precision=Precision.DAY,
        reason="funding",
        by=None,
    )
    added = make.commitment("New under defence", themes=[world["defence"]])
    soon = make.commitment(
        "Due in 30 days", parties=[world["italy"]], deadline=TODAY + dt.timedelta(days=30)
    )

    digest = digests.build(follower, since=since, until=NOW, today=TODAY)

    assert [u.commitment.title for u in digest.updates] == ["Joint satellite"]
    assert [c.commitment.title for c in digest.slips] == ["Joint satellite"]
    assert {c.title for c in digest.new} == {"New under defence", "Due in 30 days"}
    # 30 days ahead is in; the followed one moved to 31 days is out.
    assert [c.title for c in digest.due] == [soon.title]
    assert added.pk not in {c.pk for c in digest.due}


def test_it_sends_each_user_one_digest_a_day_however_often_send_digests_runs(follower, world, make):
    watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
    rate(world["followed"], make)

    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        first, second = StringIO(), StringIO()
        call_command("send_digests", stdout=first)
        call_command("send_digests", stdout=second)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fran@example.org"]
    assert "Joint satellite: Not yet rated -> In progress" in message.body
    assert "/watching/unsubscribe/" in message.body
    assert "queued fran: sent 2 items to fran" in first.getvalue()
    assert "skipped fran: already sent today" in second.getvalue()
    assert DigestSent.objects.get().day == TODAY


def test_it_says_in_a_dry_run_who_would_get_what_and_sends_nothing(follower, world, make):
    watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
    rate(world["followed"], make)
    out = StringIO()
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        call_command("send_digests", "--dry-run", stdout=out)
    assert "would send fran (fran@example.org): 2 items" in out.getvalue()
    assert not mail.outbox and not DigestSent.objects.exists()


def test_it_skips_a_user_without_an_email_address_with_a_message(world, make):
    nomail = _user("nomail")
    watching.follow(user=nomail, kind="commitment", slug=world["followed"].slug)
    rate(world["followed"], make)
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "skipped nomail: no e-mail address" in out.getvalue()
    assert digests.send(user_id=nomail.pk, day=TODAY) == "nomail has no e-mail address"
    assert not mail.outbox


def test_it_writes_a_digest_in_the_site_language_whatever_language_the_sender_runs_in(
    follower, world, make, monkeypatch, settings
):
    # A reader who chose no language gets the site's.
    watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
    rate(world["followed"], make)
    written_in = []
    render = digests.render
    monkeypatch.setattr(
        digests,
        "render",
        lambda digest: written_in.append(translation.get_language()) or render(digest),
    )

    with translation.override("ja"):
        digests.send(user_id=follower.pk, day=TODAY)

    assert written_in == [settings.LANGUAGE_CODE]
    assert mail.outbox[0].subject == "What changed in what you follow: 10 March 2026"


def test_it_writes_a_digest_in_the_language_its_reader_chose(follower, world, make):
    watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
    watching.set_frequency(user=follower, frequency=DigestFrequency.DAILY, language="it")
    rate(world["followed"], make)
    digests.send(user_id=follower.pk, day=TODAY)
    (message,) = mail.outbox
    assert message.subject == "Novità in ciò che segue: 10/03/2026"
    assert translation.get_language() == "en-gb"  # the sender's own language is untouched


def test_it_saves_the_digest_language_and_refuses_one_we_do_not_speak(client, follower):
    client.force_login(follower)
    page = client.get("/watching/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    # Nothing chosen yet: the language the page is read in is offered first.
    assert 'value="ja" checked' in page
    client.post("/watching/digest/", {"frequency": "weekly", "language": "ja"})
    assert DigestSubscription.objects.get(user=follower).language == "ja"
    response = client.post(
        "/watching/digest/", {"frequency": "daily", "language": "de"}, follow=True
    )
    assert "Choose one of the interface&#x27;s languages." in response.content.decode()
    assert DigestSubscription.objects.values_list("frequency", "language").get(user=follower) == (
        "weekly",
        "ja",
    )
    # A form without the field (an older page) leaves the language as it was.
    client.post("/watching/digest/", {"frequency": "daily"})
    assert DigestSubscription.objects.get(user=follower).language == "ja"


def test_the_database_refuses_a_digest_language_we_do_not_speak(follower):
    from django.db import IntegrityError, transaction

    row = watching.subscription(follower)
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestSubscription.objects.filter(pk=row.pk).update(language="de")


def test_it_sends_nothing_when_nothing_is_new_or_digests_are_off(follower, world, make):
    watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
    assert digests.send(user_id=follower.pk, day=TODAY) == "nothing new for fran"
    rate(world["followed"], make)
    watching.set_frequency(user=follower, frequency=DigestFrequency.OFF)
    call_command("send_digests", stdout=StringIO())
    assert digests.send(user_id=follower.pk, day=TODAY) == "fran turned digests off"
    assert not mail.outbox


@pytest.mark.parametrize(("days", "due"), [(6, False), (7, True)])
def test_it_sends_a_weekly_digest_seven_days_after_the_last(follower, days, due):
    watching.set_frequency(user=follower, frequency=DigestFrequency.WEEKLY)
    DigestSent.objects.create(user=follower, day=TODAY - dt.timedelta(days=days), since=NOW)
    assert digests.is_due(follower, DigestFrequency.WEEKLY, TODAY) is due


# -- unsubscribing and the private feed ------------------------------------------------------------
def test_it_unsubscribes_from_the_link_without_logging_in(client, follower):
    token = digests.unsubscribe_token(follower)
    url = reverse("digest_unsubscribe", args=[token])

    ask = client.get(url)
    assert (
        ask.status_code == 200
        and "Stop the e-mail digest for <strong>fran</strong>" in ask.content.decode()
    )
    done = client.post(url)
    assert done.status_code == 200
    assert DigestSubscription.objects.get(user=follower).frequency == DigestFrequency.OFF


def test_it_refuses_a_forged_or_expired_unsubscribe_link_clearly(client, follower):
    forged = client.get(reverse("digest_unsubscribe", args=["123:forged"]))
    assert forged.status_code == 400
    assert "This unsubscribe link is not valid" in forged.content.decode()

    token = digests.unsubscribe_token(follower)
    with time_machine.travel(NOW + dt.timedelta(days=91), tick=False):
        expired = client.post(reverse("digest_unsubscribe", args=[token]))
    assert expired.status_code == 400
    assert "This unsubscribe link has expired" in expired.content.decode()
    assert DigestSubscription.objects.filter(user=follower, frequency="off").count() == 0


def test_it_serves_the_private_feed_until_its_address_is_reset(client, follower, world, make):
    watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
    rate(world["followed"], make)
    old = DigestSubscription.objects.get(user=follower).feed_token

    feed = client.get(reverse("private_feed", args=[old]))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Joint satellite: In progress" in feed.content.decode()
    assert "Due by 9 Apr 2026: Joint satellite" in feed.content.decode()

    client.force_login(follower)
    client.post("/watching/feed/reset/")
    client.logout()
    assert client.get(reverse("private_feed", args=[old])).status_code == 404
    new = DigestSubscription.objects.get(user=follower).feed_token
    assert new != old and client.get(reverse("private_feed", args=[new])).status_code == 200


# -- a real SMTP server -------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_sends_a_digest_through_a_real_smtp_server(follower, world, make, settings):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.received = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append(envelope)
            return "250 Message accepted"

    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
        rate(world["followed"], make)

        result = digests.send(user_id=follower.pk, day=TODAY)
    finally:
        controller.stop()

    assert result == "sent 2 items to fran"
    assert len(inbox.received) == 1
    envelope = inbox.received[0]
    assert envelope.rcpt_tos == ["fran@example.org"]
    text = envelope.content.decode()
    assert "Subject: What changed in what you follow: 10 March 2026" in text
    assert "Joint satellite" in text and "List-Unsubscribe:" in text


# -- the database queue ---------------------------------------------------------------------------
# The worker closes its database connection between tasks, as a real one does: no test
# transaction around it.
@pytest.mark.django_db(transaction=True)
def test_it_queues_digests_in_the_database_until_a_worker_takes_them(
    follower, world, make, settings
):
    # django-tasks rebuilds its backends when TASKS changes (its setting_changed receiver).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    watching.follow(user=follower, kind="commitment", slug=world["followed"].slug)
    rate(world["followed"], make)
    out = StringIO()
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        call_command("send_digests", stdout=out)
        assert "queued fran: ready" in out.getvalue()
        assert not mail.outbox  # queued, not sent

        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())

    assert len(mail.outbox) == 1
    assert DigestSent.objects.get().user == follower
