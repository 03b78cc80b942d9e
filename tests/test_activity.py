"""/activity/: the latest updates across all commitments, filterable and paginated."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commitments import services
from commitments.views.updates import ACTIVITY_PAGE_SIZE

URL = "/activity/"


def record(commitment, status, *, by, evidence, **kwargs):
    kwargs.setdefault("rationale", f"{status} for {commitment.title}.")
    return services.record_status_update(
        commitment=commitment, status=status, by=by, evidence=[evidence], **kwargs
    )


@pytest.fixture
def world(make, analyst, editor):
    defence, trade = make.theme("Defence"), make.theme("Trade")
    fighter = make.commitment("Deliver a fighter", themes=[defence])
    tariffs = make.commitment("Cut tariffs", themes=[trade])
    fighter_note, tariffs_note = make.evidence(fighter), make.evidence(tariffs)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        first = record(fighter, "in_progress", by=analyst, evidence=fighter_note, progress=20)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        second = record(tariffs, "stalled", by=editor, evidence=tariffs_note)
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC), tick=False):
        third = record(fighter, "achieved", by=analyst, evidence=fighter_note)
    return {"first": first, "second": second, "third": third}


def test_it_lists_updates_newest_recorded_first_with_who_what_when(client, world):
    response = client.get(URL)
    assert list(response.context["updates"]) == [world["third"], world["second"], world["first"]]
    html = response.content.decode()
    row = html[html.index(f'id="update-{world["third"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert "3 Mar 2026, 09:00" in row
    assert "ana" in row
    assert "Deliver a fighter" in row
    assert row.index("In progress") < row.index("Achieved")


def test_it_filters_by_user(client, world):
    response = client.get(URL, {"user": "eddie"})
    assert list(response.context["updates"]) == [world["second"]]


def test_it_filters_by_theme(client, world):
    response = client.get(URL, {"theme": "defence"})
    assert list(response.context["updates"]) == [world["third"], world["first"]]


def test_it_combines_filters(client, world):
    assert list(client.get(URL, {"theme": "trade", "user": "ana"}).context["updates"]) == []


def test_it_offers_only_people_who_recorded_updates(client, world, reader):
    users = client.get(URL).context["filters"].fields["user"].queryset
    assert [u.username for u in users] == ["ana", "eddie"]


def test_an_unknown_filter_value_shows_a_message_next_to_the_field(client, world):
    response = client.get(URL, {"user": "nobody"})
    assert response.context["filters"].errors["user"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert 'class="field-error"' in response.content.decode()


def test_it_marks_corrections_and_corrected_updates(client, world, make):
    fix = services.record_status_update(
        commitment=world["third"].commitment,
        status="in_progress",
        progress=80,
        rationale="Not delivered yet.",
        evidence=list(world["third"].evidence.all()),
        by=None,
        corrects=world["third"],
    )
    html = client.get(URL).content.decode()
    fix_row = html[html.index(f'id="update-{fix.pk}"') :]
    assert "Corrects the update of" in fix_row[: fix_row.index("</tr>")]
    corrected_row = html[html.index(f'id="update-{world["third"].pk}"') :]
    assert "Corrected" in corrected_row[: corrected_row.index("</tr>")]


def test_it_shows_a_script_in_a_rationale_as_text(client, make, analyst):
    commitment = make.commitment()
    record(
        commitment,
        "in_progress",
        by=analyst,
        evidence=make.evidence(commitment),
        rationale="<script>alert(1)</script>",
    )
    html = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_paginates_and_keeps_the_filters(client, make, analyst):
    theme = make.theme("Defence")
    commitment = make.commitment(themes=[theme])
    evidence = make.evidence(commitment)
    for i in range(ACTIVITY_PAGE_SIZE + 3):
        record(commitment, "in_progress", by=analyst, evidence=evidence, progress=i)
    first = client.get(URL, {"theme": "defence"})
    assert len(first.context["updates"]) == ACTIVITY_PAGE_SIZE
    assert 'href="?theme=defence&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"theme": "defence", "page": 2})
    assert [u.progress for u in second.context["updates"]] == [2, 1, 0]
    assert client.get(URL, {"page": 99}).context["page"].number == 2


def test_it_says_so_when_there_is_nothing(client, db):
    response = client.get(URL)
    assert "No updates" in response.content.decode()


# -- access: reading is public unless TRACKER_PUBLIC=false ----------------------------------
def test_anyone_can_read_the_activity_when_the_tracker_is_public(client, world):
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", ["reader", "analyst", "editor", "superuser"])
def test_every_logged_in_user_can_read_it(client, request, world, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 200


def test_anonymous_visitors_are_sent_to_login_when_the_tracker_is_private(
    client, world, settings, reader
):
    settings.TRACKER_PUBLIC = False
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    client.force_login(reader)
    assert client.get(URL).status_code == 200


def test_the_url_is_named(db):
    assert reverse("activity") == URL


# -- query counts ---------------------------------------------------------------------------
def test_it_runs_in_constant_queries(client, make, analyst, editor, django_assert_num_queries):
    themes = [make.theme() for _ in range(3)]
    for i in range(12):
        commitment = make.commitment(themes=themes[: i % 3 + 1])
        evidence = make.evidence(commitment)
        update = record(commitment, "in_progress", by=analyst, evidence=evidence)
        record(commitment, "stalled", by=editor, evidence=evidence, corrects=update)
    # user choices, theme choices, the count, the page of updates
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(response.context["updates"]) == 24
    with django_assert_num_queries(6):  # + the chosen user and theme
        response = client.get(URL, {"user": "eddie", "theme": themes[0].slug})
    assert len(response.context["updates"]) == 12
