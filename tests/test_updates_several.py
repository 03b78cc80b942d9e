"""One update for several commitments: ticked in a list, recorded for each as its own
history entry, all or nothing, and back to the list."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import services
from commitments.forms.several import SEVERAL_MAX
from commitments.models import Evidence, StatusUpdate
from tests.test_updates_record import NEW_LINK, form_data

URL = reverse("update_several")

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def source(make):
    return make.source("Tokyo joint statement", url="https://gov.example/tokyo")


@pytest.fixture
def three(make, source):
    return [
        make.commitment(
            title,
            source=source,
            announced_on=dt.date(2025, 11, 20),
            announced_precision="day",
        )
        for title in ("Build offshore wind", "Exchange students", "Open a hydrogen corridor")
    ]


def several_url(commitments, back="/commitments/?status=not_rated"):
    pairs = [("c", c.slug) for c in commitments]
    if back is not None:
        pairs.append(("back", back))
    return f"{URL}?{urlencode(pairs)}"


def seen(client, path) -> str:
    return client.get(path).context["form"]["seen"].value()


def post(client, commitments, back="/commitments/?status=not_rated", **fields):
    path = several_url(commitments, back)
    data = form_data(**fields)
    data.pop("seen_latest_id")
    data["seen"] = seen(client, path)
    return client.post(path, data)


# -- recording -------------------------------------------------------------------------------------
def test_it_records_the_same_update_as_its_own_entry_for_each(analyst_client, analyst, three):
    response = post(analyst_client, three, rows=[NEW_LINK])

    assert response.status_code == 302
    assert response["Location"] == "/commitments/?status=not_rated"
    updates = StatusUpdate.objects.order_by("commitment__title")
    assert [u.commitment for u in updates] == three
    for update in updates:
        assert (update.status, update.progress, update.effective_on, update.recorded_by) == (
            "in_progress",
            40,
            dt.date(2026, 3, 3),
            analyst,
        )
        assert update.rationale == "Contracts signed for the first phase."
    for commitment in three:
        commitment.refresh_from_db()
        assert (commitment.status, commitment.progress) == ("in_progress", 40)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Recorded In progress at 40%, effective 3 Mar 2026, for 3 commitments: "
        "“Build offshore wind”, “Exchange students” and “Open a hydrogen corridor”."
    ]


def test_a_new_evidence_row_is_recorded_once_and_backs_every_entry(analyst_client, three):
    post(analyst_client, three, rows=[NEW_LINK])
    item = Evidence.objects.get()
    assert item.status_updates.count() == 3
    assert set(item.commitments.all()) == set(three)


def test_picked_evidence_backs_every_entry_and_becomes_each_ones(analyst_client, three, make):
    theirs = make.evidence(three[0], title="Wind tender notice")
    response = post(analyst_client, three, evidence=[str(theirs.pk)])
    assert response.status_code == 302
    assert theirs.status_updates.count() == 3
    assert set(theirs.commitments.all()) == set(three)


def test_it_offers_the_selected_commitments_evidence_and_finds_the_rest(
    analyst_client, three, make
):
    mine = make.evidence(three[1], title="Exchange report")
    elsewhere = make.evidence(make.commitment("Another"), title="Hydrogen report")
    path = several_url(three)
    form = analyst_client.get(path).context["form"]
    assert list(form.fields["evidence"].queryset) == [mine]
    data = {**form_data(), "evidence_query": "hydrogen", "find_evidence": "1"}
    found = analyst_client.post(path, data).context["form"]
    groups = {
        g["key"]: [c.data["value"].instance for c in g["choices"]] for g in found.evidence_groups()
    }
    assert groups == {"own": [mine], "found": [elsewhere]}
    assert not StatusUpdate.objects.exists()


def test_it_cites_a_shared_source_once_for_all(analyst_client, three):
    form = analyst_client.get(several_url(three)).context["form"]
    assert form["cite_source"].label == "Cite their shared source: “Tokyo joint statement”"
    assert post(analyst_client, three, cite_source="on").status_code == 302
    item = Evidence.objects.get()
    assert (item.title, item.url, item.status_updates.count()) == (
        "Tokyo joint statement",
        "https://gov.example/tokyo",
        3,
    )


def test_it_does_not_offer_to_cite_sources_they_do_not_share(analyst_client, three, make):
    other = make.commitment("Elsewhere", source=make.source("Another statement"))
    assert (
        "cite_source" not in analyst_client.get(several_url([*three, other])).context["form"].fields
    )
    unsourced = make.commitment("Unsourced")
    assert "cite_source" not in analyst_client.get(several_url([unsourced])).context["form"].fields


def test_it_starts_from_the_status_they_share(analyst_client, three, make):
    form = analyst_client.get(several_url(three)).context["form"]
    assert form["status"].value() == "not_rated"
    services.record_status_update(
        commitment=three[0],
        status="stalled",
        rationale="Paused.",
        evidence=[make.evidence(three[0])],
        by=None,
    )
    form = analyst_client.get(several_url(three)).context["form"]
    assert form["status"].value() is None


# -- all or nothing ---------------------------------------------------------------------------------
def test_when_one_is_refused_nothing_is_written_and_the_page_names_it(analyst_client, three, make):
    late = make.commitment(
        "Announced later", announced_on=dt.date(2026, 3, 5), announced_precision="day"
    )
    response = post(analyst_client, [*three, late], rows=[NEW_LINK])

    assert response.status_code == 200
    assert not StatusUpdate.objects.exists()
    assert not Evidence.objects.exists()
    form = response.context["form"]
    message = "The effective date cannot be before the announcement (5 Mar 2026)."
    assert form.errors["effective_on"] == [f"“Announced later”: {message}"]
    html = response.content.decode()
    assert f'<p class="field-error" id="id_effective_on_error">“Announced later”: {message}' in html
    row = html[html.index(f'id="selected-{late.slug}"') :]
    assert f"Not recorded: {message}" in row[: row.index("</li>")]
    assert '<a href="#id_effective_on">“Announced later”: The effective date' in html


def test_a_message_that_holds_for_all_is_shown_once_without_names(analyst_client, three):
    response = post(analyst_client, three)
    assert response.context["form"].errors["evidence"] == [
        "A status other than Not yet rated needs at least one evidence item."
    ]
    assert not StatusUpdate.objects.exists()


def test_a_refusal_inside_the_transaction_undoes_every_entry(analyst_client, three, monkeypatch):
    record = services.record_status_update
    calls = []

    def refuse_the_third(**kwargs):
        calls.append(kwargs["commitment"])
        if len(calls) == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError({"rationale": "Refused for the test."})
        return record(**kwargs)

    monkeypatch.setattr(services, "record_status_update", refuse_the_third)
    response = post(analyst_client, three, rows=[NEW_LINK])

    assert len(calls) == 3
    assert response.status_code == 200
    assert not StatusUpdate.objects.exists()
    assert not Evidence.objects.exists()
    for commitment in three:
        commitment.refresh_from_db()
        assert commitment.status == "not_rated"
    assert response.context["form"].errors["rationale"] == [
        "“Open a hydrogen corridor”: Refused for the test."
    ]


def test_an_update_recorded_meanwhile_saves_nothing_and_says_for_which(
    analyst_client, three, make, editor
):
    path = several_url(three)
    data = form_data(rows=[NEW_LINK], effective_on="2026-03-10")
    data.pop("seen_latest_id")
    data["seen"] = seen(analyst_client, path)
    services.record_status_update(
        commitment=three[1],
        status="stalled",
        rationale="Paused.",
        evidence=[make.evidence(three[1])],
        by=editor,
    )
    response = analyst_client.post(path, data)
    assert response.status_code == 409
    assert StatusUpdate.objects.count() == 1
    assert response.context["form"].non_field_errors() == [
        "Someone else recorded an update for “Exchange students” while you were editing. "
        "Nothing was saved: read the latest history, then save again."
    ]
    # The form now carries what is recorded: saving again is deliberate, and works.
    again = {**data, "seen": response.context["form"]["seen"].value()}
    assert analyst_client.post(path, again).status_code == 302
    assert StatusUpdate.objects.count() == 4


def test_a_damaged_seen_field_is_refused(analyst_client, three):
    data = {**form_data(rows=[NEW_LINK]), "seen": "x:y"}
    response = analyst_client.post(several_url(three), data)
    assert response.status_code == 200
    assert "The form was damaged" in response.content.decode()
    assert not StatusUpdate.objects.exists()


# -- the selection ------------------------------------------------------------------------------------
def test_it_says_so_when_nothing_is_selected(analyst_client, db):
    response = analyst_client.get(URL)
    assert response.status_code == 200
    assert "No commitment is selected" in response.content.decode()
    assert "form" not in response.context


def test_it_names_the_commitments_it_does_not_know(analyst_client, three):
    response = analyst_client.get(f"{URL}?c={three[0].slug}&c=no-such-thing")
    assert response.status_code == 400
    assert "No commitment is recorded as “no-such-thing”" in response.content.decode()


def test_it_refuses_more_than_a_page_of_commitments(analyst_client, make):
    many = [make.commitment() for _ in range(SEVERAL_MAX + 1)]
    response = analyst_client.get(several_url(many))
    assert response.status_code == 400
    assert (
        f"{SEVERAL_MAX + 1} commitments are selected: record an update for at most {SEVERAL_MAX}"
        in (response.content.decode())
    )
    assert analyst_client.get(several_url(many[:SEVERAL_MAX])).status_code == 200


def test_a_commitment_selected_twice_is_updated_once(analyst_client, three):
    response = post(analyst_client, [three[0], three[0]], rows=[NEW_LINK])
    assert response.status_code == 302
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize(
    "back", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", None]
)
def test_it_goes_back_only_to_a_page_of_this_site(analyst_client, three, back):
    response = post(analyst_client, three, back=back, rows=[NEW_LINK])
    assert response["Location"] == "/commitments/"


def test_it_goes_back_to_an_actors_page_with_its_query(analyst_client, three):
    response = post(analyst_client, three, back="/actors/italy/?sort=title&page=2", rows=[NEW_LINK])
    assert response["Location"] == "/actors/italy/?sort=title&page=2"


def test_the_several_form_has_the_error_summary(analyst_client, three):
    html = post(analyst_client, three, rationale="", rows=[NEW_LINK]).content.decode()
    assert 'class="error-summary" role="alert" tabindex="-1" autofocus' in html
    assert '<a href="#id_rationale">This field is required.</a>' in html


# -- access --------------------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_login(client, three):
    path = several_url(three)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert client.post(path, form_data(rows=[NEW_LINK])).status_code == 302
    assert not StatusUpdate.objects.exists()


def test_a_reader_without_a_role_gets_403(client, reader, three):
    client.force_login(reader)
    assert client.get(several_url(three)).status_code == 403
    assert client.post(several_url(three), form_data(rows=[NEW_LINK])).status_code == 403
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "editor", "superuser"])
def test_analysts_editors_and_admins_can_record_for_several(client, request, three, role):
    client.force_login(request.getfixturevalue(role))
    assert post(client, three, rows=[NEW_LINK]).status_code == 302
    assert StatusUpdate.objects.count() == 3


# -- query counts -----------------------------------------------------------------------------------------
def test_the_page_costs_the_same_for_3_or_30_commitments(
    analyst_client, make, source, django_assert_num_queries
):
    def selection(n):
        chosen = [make.commitment(source=source) for _ in range(n)]
        for commitment in chosen:
            evidence = make.evidence(commitment)
            services.record_status_update(
                commitment=commitment,
                status="in_progress",
                rationale="Going.",
                evidence=[evidence],
                by=None,
            )
        return chosen

    small, large = selection(3), selection(30)
    analyst_client.get(several_url(small))
    # session, user, the user's and the groups' permissions, the commitments with their
    # source, what each last recorded, the evidence choices
    with django_assert_num_queries(7):
        response = analyst_client.get(several_url(small))
    assert len(response.context["form"].fields["evidence"].queryset) == 3
    with django_assert_num_queries(7):
        response = analyst_client.get(several_url(large))
    assert len(response.context["form"].fields["evidence"].queryset) == 30


def test_saving_costs_the_same_for_each_commitment(analyst_client, make, source):
    counts = []
    for n in (2, 3, 4):
        chosen = [make.commitment(source=source) for _ in range(n)]
        path = several_url(chosen)
        data = form_data(rows=[{"title": f"Report {n}", "url": f"https://gov.example/{n}"}])
        data.pop("seen_latest_id")
        data["seen"] = seen(analyst_client, path)
        with CaptureQueriesContext(connection) as queries:
            assert analyst_client.post(path, data).status_code == 302
        counts.append(len(queries))
    assert counts[2] - counts[1] == counts[1] - counts[0]
