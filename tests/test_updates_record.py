"""Recording a status update through /commitments/<slug>/update/: rules, flow, access."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import services
from commitments.forms.updates import StatusUpdateForm
from commitments.models import Evidence, StatusUpdate
from tests.clock import NOW

TODAY = NOW.date()

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def commitment(make):
    return make.commitment(
        "Deliver a fighter",
        deadline=dt.date(2035, 1, 1),
        precision="year",
        announced_on=dt.date(2025, 11, 20),
        announced_precision="day",
    )


def url(commitment):
    return reverse("commitment_update", args=[commitment.slug])


def form_data(seen=None, rows=(), **fields):
    """POST data as the form sends it: the fields, the seen id, and evidence rows."""
    data = {
        "status": "in_progress",
        "progress": "40",
        "effective_on": "2026-03-03",
        "rationale": "Contracts signed for the first phase.",
        "seen_latest_id": "" if seen is None else str(seen),
        "new-TOTAL_FORMS": str(max(len(rows), 2)),
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
    }
    for i in range(max(len(rows), 2)):
        row = rows[i] if i < len(rows) else {}
        data[f"new-{i}-kind"] = row.get("kind", "news_report")
        data[f"new-{i}-reliability"] = row.get("reliability", "secondary")
        for name in ("title", "url", "publisher", "published_on", "excerpt"):
            data[f"new-{i}-{name}"] = row.get(name, "")
    data.update({k: v for k, v in fields.items() if v is not None})
    return data


NEW_LINK = {"title": "Ministry press release", "url": "https://gov.example/press/1"}


def bound_form(commitment, **fields):
    form = StatusUpdateForm(form_data(rows=[NEW_LINK], **fields), commitment=commitment)
    form.is_valid()
    return form


# -- the flow ------------------------------------------------------------------------------
def test_it_records_an_update_with_a_new_evidence_link(analyst_client, analyst, commitment):
    response = analyst_client.post(url(commitment), form_data(rows=[NEW_LINK]))

    assert response.status_code == 302
    assert response["Location"] == commitment.get_absolute_url()
    update = StatusUpdate.objects.get()
    assert (update.status, update.progress, update.effective_on) == (
        "in_progress",
        40,
        dt.date(2026, 3, 3),
    )
    assert update.recorded_by == analyst
    assert update.rationale == "Contracts signed for the first phase."
    evidence = update.evidence.get()
    assert (evidence.title, evidence.url, evidence.added_by) == (
        "Ministry press release",
        "https://gov.example/press/1",
        analyst,
    )
    assert list(evidence.commitments.all()) == [commitment]
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 40)


def test_it_says_what_was_recorded_after_saving(analyst_client, commitment):
    response = analyst_client.post(url(commitment), form_data(rows=[NEW_LINK]))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your status update was recorded: In progress, effective 3 Mar 2026."
    ]


def test_it_records_with_evidence_picked_from_the_commitment(analyst_client, commitment, make):
    picked, other = make.evidence(commitment), make.evidence(commitment)
    response = analyst_client.post(url(commitment), form_data(evidence=[str(picked.pk)]))
    assert response.status_code == 302
    assert list(StatusUpdate.objects.get().evidence.all()) == [picked]
    assert Evidence.objects.count() == 2
    assert other not in StatusUpdate.objects.get().evidence.all()


def test_it_ignores_empty_evidence_rows(analyst_client, commitment, make):
    picked = make.evidence(commitment)
    analyst_client.post(url(commitment), form_data(evidence=[str(picked.pk)]))
    assert Evidence.objects.count() == 1


def test_it_records_not_yet_rated_without_evidence(analyst_client, commitment):
    response = analyst_client.post(
        url(commitment), form_data(status="not_rated", review=True, progress="")
    )
    assert response.status_code == 302
    assert StatusUpdate.objects.get().evidence.count() == 0


def test_the_form_starts_with_today_and_what_the_analyst_saw(analyst_client, commitment, make):
    evidence = make.evidence(commitment)
    latest = services.record_status_update(
        commitment=commitment, status="stalled", rationale="Paused.", evidence=[evidence], by=None
    )
    response = analyst_client.get(url(commitment))
    form = response.context["form"]
    assert form["effective_on"].value() == TODAY
    assert form["seen_latest_id"].value() == latest.pk
    assert response.context["latest"] == latest
    assert 'name="seen_latest_id"' in response.content.decode()


def test_the_form_starts_from_the_current_status_and_progress(analyst_client, commitment, make):
    services.record_status_update(
        commitment=commitment,
        status="achieved",
        progress=80,
        achieved_below_full=True,
        rationale="Done, short of the last module.",
        evidence=[make.evidence(commitment)],
        by=None,
    )
    form = analyst_client.get(url(commitment)).context["form"]
    assert form["status"].value() == "achieved"
    assert form["progress"].value() == 80
    assert form["achieved_below_full"].value() is True


def test_it_offers_only_this_commitments_evidence(analyst_client, commitment, make):
    mine = make.evidence(commitment, title="Our report")
    make.evidence(make.commitment("Another"), title="Their report")
    response = analyst_client.get(url(commitment))
    assert list(response.context["form"].fields["evidence"].queryset) == [mine]
    assert "Their report" not in response.content.decode()


def test_it_uses_a_ticked_item_of_another_commitment_and_makes_it_this_ones(
    analyst_client, commitment, make
):
    # Recorded once, used many times: an item found in the register (see
    # test_updates_evidence) comes back ticked, and is accepted as this commitment's.
    other = make.commitment("Another")
    theirs = make.evidence(other)
    response = analyst_client.post(url(commitment), form_data(evidence=[str(theirs.pk)]))
    assert response.status_code == 302
    assert list(StatusUpdate.objects.get().evidence.all()) == [theirs]
    assert set(theirs.commitments.all()) == {commitment, other}


@pytest.mark.parametrize("value", ["999999", "0", str(2**63), "x"])
def test_it_refuses_evidence_that_is_not_recorded(analyst_client, commitment, value):
    response = analyst_client.post(url(commitment), form_data(evidence=[value]))
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not StatusUpdate.objects.exists()


def test_a_backdated_update_takes_its_place_without_changing_the_current_status(
    analyst_client, commitment, make
):
    evidence = make.evidence(commitment)
    services.record_status_update(
        commitment=commitment,
        status="stalled",
        effective_on=dt.date(2026, 3, 5),
        rationale="Paused.",
        evidence=[evidence],
        by=None,
    )
    seen = services.latest_recorded_id(commitment)
    data = form_data(seen=seen, effective_on="2026-01-15", evidence=[str(evidence.pk)])
    warned = analyst_client.post(url(commitment), data)
    assert warned.status_code == 200
    assert warned.context["form"].errors["behind_latest"] == [
        "An update effective 5 Mar 2026 (Stalled) is later than this one, so this one will "
        "not change the current status. Confirm that it belongs in the history only, or give "
        "a later effective date."
    ]
    assert StatusUpdate.objects.count() == 1
    response = analyst_client.post(url(commitment), {**data, "behind_latest": "on"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your status update was recorded: In progress, effective 15 Jan 2026. The current "
        "status stays Stalled, from the update effective 5 Mar 2026."
    ]
    commitment.refresh_from_db()
    assert commitment.status == "stalled"
    history = list(StatusUpdate.objects.newest_first().values_list("effective_on", "status"))
    assert history == [(dt.date(2026, 3, 5), "stalled"), (dt.date(2026, 1, 15), "in_progress")]


def test_it_keeps_a_script_in_the_rationale_as_text(analyst_client, commitment):
    script = "<script>alert('x')</script>"
    analyst_client.post(url(commitment), form_data(rationale=script, rows=[NEW_LINK]))
    assert StatusUpdate.objects.get().rationale == script
    response = analyst_client.get(url(commitment))
    html = response.content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


# -- rules: the service's, each with its message next to the field --------------------------
EVIDENCE_NEEDED = "A status other than Not yet rated needs at least one evidence item."


def test_it_needs_evidence_for_a_status_other_than_not_yet_rated(commitment):
    form = StatusUpdateForm(form_data(), commitment=commitment)
    assert not form.is_valid()
    assert form.errors["evidence"] == [EVIDENCE_NEEDED]
    assert StatusUpdateForm(form_data(status="not_rated", progress=""), commitment=commitment)


def test_it_shows_the_evidence_message_next_to_the_evidence(analyst_client, commitment):
    response = analyst_client.post(url(commitment), form_data())
    html = response.content.decode()
    fieldset = html[html.index('<fieldset class="evidence"') :]
    assert "needs at least one evidence item" in fieldset[: fieldset.index("</fieldset>")]
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "ftp://files.example/report.pdf",
        "JavaScript:alert(1)",
    ],
)
def test_it_refuses_links_that_are_not_http_or_https(commitment, link):
    form = StatusUpdateForm(form_data(rows=[{"title": "Bad", "url": link}]), commitment=commitment)
    assert not form.is_valid()
    assert form.errors["evidence"] == ["Evidence links must start with http:// or https://."]


def test_it_accepts_http_and_https_links(commitment):
    for link in ("http://gov.example/a", "https://gov.example/b?page=2"):
        form = StatusUpdateForm(
            form_data(rows=[{"title": "Good", "url": link}]), commitment=commitment
        )
        assert form.is_valid(), form.errors


def test_it_refuses_a_link_that_is_not_a_web_address(commitment):
    form = StatusUpdateForm(
        form_data(rows=[{"title": "Bad", "url": "https://"}]), commitment=commitment
    )
    assert not form.is_valid()
    assert form.errors["evidence"] == ["Enter a web address that starts with http:// or https://."]


def test_a_new_evidence_row_needs_a_title(commitment):
    form = StatusUpdateForm(
        form_data(rows=[{"url": "https://gov.example/a"}]), commitment=commitment
    )
    assert not form.is_valid()
    assert form.errors["evidence"] == ["Each evidence item needs a title."]


@pytest.mark.parametrize("progress", ["-1", "101"])
def test_it_keeps_progress_within_0_and_100(commitment, progress):
    form = bound_form(commitment, progress=progress)
    assert form.errors["progress"] == ["Progress must be between 0 and 100."]


@pytest.mark.parametrize("progress", ["0", "100"])
def test_it_accepts_progress_at_0_and_100(commitment, progress):
    assert bound_form(commitment, progress=progress).is_valid()


def test_progress_is_optional(commitment):
    form = bound_form(commitment, progress="")
    assert form.is_valid()
    assert form.cleaned_data["progress"] is None


def test_achieved_without_progress_means_100(analyst_client, commitment):
    response = analyst_client.post(
        url(commitment), form_data(rows=[NEW_LINK], status="achieved", progress="")
    )
    assert response.status_code == 302
    assert StatusUpdate.objects.get().progress == 100


def test_achieved_below_100_needs_the_analyst_to_say_so(commitment):
    form = bound_form(commitment, status="achieved", progress="80")
    assert form.errors["progress"] == [
        "Achieved means 100% done. Enter 100, or confirm that it is achieved at 80%."
    ]
    confirmed = bound_form(commitment, status="achieved", progress="80", achieved_below_full="on")
    assert confirmed.is_valid()
    assert confirmed.cleaned_data["progress"] == 80


def test_the_effective_date_cannot_be_in_the_future(commitment):
    form = bound_form(commitment, effective_on="2026-03-11")
    assert form.errors["effective_on"] == ["The effective date cannot be in the future."]
    assert bound_form(commitment, effective_on="2026-03-10").is_valid()


def test_the_effective_date_cannot_be_before_the_announcement(commitment):
    form = bound_form(commitment, effective_on="2025-11-19")
    assert form.errors["effective_on"] == [
        "The effective date cannot be before the announcement (20 Nov 2025)."
    ]
    assert bound_form(commitment, effective_on="2025-11-20").is_valid()


def test_the_rationale_is_required(commitment):
    assert bound_form(commitment, rationale="   ").errors["rationale"] == [
        "This field is required."
    ]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", 300), ("publisher", 200), ("url", 500)],
)
def test_evidence_text_fields_have_maximum_lengths(commitment, field, limit):
    value = "x" * (limit + 1)
    if field == "url":
        value = "https://gov.example/" + "a" * limit
    row = {"title": "Report", **{field: value}}
    form = StatusUpdateForm(form_data(rows=[row]), commitment=commitment)
    assert not form.is_valid()
    assert form.errors["evidence"] == [
        f"Keep an evidence item's {field} to at most {limit} characters."
    ]


def test_an_excerpt_has_a_maximum_length(commitment):
    row = {"title": "Report", "excerpt": "x" * 5001}
    form = StatusUpdateForm(form_data(rows=[row]), commitment=commitment)
    assert form.errors["evidence"] == ["Keep excerpts under 5000 characters."]
    row["excerpt"] = "x" * 5000
    assert StatusUpdateForm(form_data(rows=[row]), commitment=commitment).is_valid()


def test_the_rationale_has_a_maximum_length(commitment):
    form = bound_form(commitment, rationale="x" * 5001)
    assert form.errors["rationale"] == ["Keep the rationale under 5000 characters."]
    assert bound_form(commitment, rationale="x" * 5000).is_valid()


def test_a_publication_date_cannot_be_in_the_future(commitment):
    row = {**NEW_LINK, "published_on": "2026-03-11"}
    form = StatusUpdateForm(form_data(rows=[row]), commitment=commitment)
    assert not form.is_valid()
    assert form.errors["evidence"] == ["A publication date cannot be in the future."]
    row["published_on"] = "2026-03-10"
    assert StatusUpdateForm(form_data(rows=[row]), commitment=commitment).is_valid()


def test_it_refuses_an_unknown_status(commitment):
    form = bound_form(commitment, status="done")
    assert "status" in form.errors


def test_it_shows_kind_specific_status_labels(make):
    standing = make.commitment("Keep the agreement", kind="standing")
    labels = dict(StatusUpdateForm(commitment=standing).fields["status"].choices)
    assert labels["achieved"] == "In force / upheld (Achieved)"


def test_the_page_puts_each_error_next_to_its_field(analyst_client, commitment):
    response = analyst_client.post(
        url(commitment), form_data(progress="150", effective_on="2027-01-01", rationale="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field, message in [
        ("rationale", "This field is required."),
    ]:
        assert f'<p class="field-error" id="id_{field}_error">{message}</p>' in html
    response = analyst_client.post(
        url(commitment), form_data(progress="150", effective_on="2027-01-01", rows=[NEW_LINK])
    )
    html = response.content.decode()
    for field, message in [
        ("progress", "Progress must be between 0 and 100."),
        ("effective_on", "The effective date cannot be in the future."),
    ]:
        assert f'<p class="field-error" id="id_{field}_error">{message}</p>' in html
    assert not StatusUpdate.objects.exists()


# -- the service repeats the rules ----------------------------------------------------------
def test_the_service_records_achieved_without_progress_as_100(commitment, make):
    update = services.record_status_update(
        commitment=commitment,
        status="achieved",
        rationale="Delivered.",
        evidence=[make.evidence(commitment)],
        by=None,
    )
    assert update.progress == 100


def test_the_service_refuses_achieved_below_100_when_the_analyst_did_not_say_so(commitment, make):
    evidence = make.evidence(commitment)
    kwargs = {
        "commitment": commitment,
        "status": "achieved",
        "progress": 90,
        "rationale": "Delivered.",
        "evidence": [evidence],
        "by": None,
    }
    with pytest.raises(ValidationError) as error:
        services.record_status_update(**kwargs, achieved_below_full=False)
    assert "progress" in error.value.message_dict
    assert services.record_status_update(**kwargs, achieved_below_full=True).progress == 90


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            services.NewEvidence(title="Bad", url="javascript:alert(1)"),
            "Evidence links must start with http:// or https://.",
        ),
        (
            services.NewEvidence(title="Long", excerpt="x" * 5001),
            "Keep excerpts under 5000 characters.",
        ),
        (
            services.NewEvidence(title="Later", published_on=dt.date(2026, 3, 11)),
            "A publication date cannot be in the future.",
        ),
    ],
)
def test_the_service_checks_new_evidence(commitment, item, message):
    with pytest.raises(ValidationError) as error:
        services.record_status_update(
            commitment=commitment,
            status="in_progress",
            rationale="Reported.",
            new_evidence=[item],
            by=None,
        )
    assert error.value.message_dict["new_evidence"] == [message]
    assert not Evidence.objects.exists()


def test_the_service_refuses_a_rationale_that_is_too_long(commitment):
    with pytest.raises(ValidationError) as error:
        services.record_status_update(
            commitment=commitment, status="not_rated", review=True, rationale="x" * 5001, by=None
        )
    assert error.value.message_dict["rationale"] == ["Keep the rationale under 5000 characters."]


def test_the_service_refuses_an_effective_date_before_the_announcement(commitment):
    with pytest.raises(ValidationError) as error:
        services.record_status_update(
            commitment=commitment,
            status="not_rated",
            review=True,
            rationale="Early.",
            effective_on=dt.date(2025, 11, 1),
            by=None,
        )
    assert "effective_on" in error.value.message_dict


# -- no lost updates (sequential; the concurrent test is in test_updates_concurrency) -------
def test_a_stale_form_is_refused_with_the_newer_update_and_the_input_kept(
    analyst_client, commitment, make, editor
):
    evidence = make.evidence(commitment)
    seen = analyst_client.get(url(commitment)).context["form"]["seen_latest_id"].value()
    newer = services.record_status_update(
        commitment=commitment,
        status="stalled",
        progress=10,
        rationale="Funding frozen by parliament.",
        evidence=[evidence],
        by=editor,
    )
    mine = form_data(seen=seen, rationale="My careful reasoning.", rows=[NEW_LINK])
    response = analyst_client.post(url(commitment), mine)

    assert response.status_code == 409
    assert list(StatusUpdate.objects.all()) == [newer]
    assert Evidence.objects.count() == 1
    html = response.content.decode()
    assert "Someone else recorded an update while you were editing" in html
    assert "Funding frozen by parliament." in html
    assert "eddie" in html
    form = response.context["form"]
    assert form["rationale"].value() == "My careful reasoning."
    assert form["progress"].value() == "40"
    assert form.new_evidence.forms[0]["url"].value() == "https://gov.example/press/1"
    assert form["seen_latest_id"].value() == str(newer.pk)
    assert response.context["commitment"].status == "stalled"


def test_saving_again_after_a_conflict_records_the_update(analyst_client, commitment, make):
    evidence = make.evidence(commitment)
    services.record_status_update(
        commitment=commitment, status="stalled", rationale="Paused.", evidence=[evidence], by=None
    )
    conflict = analyst_client.post(
        url(commitment), form_data(rows=[NEW_LINK], effective_on="2026-03-10")
    )
    assert conflict.status_code == 409
    again = dict(
        form_data(rows=[NEW_LINK], effective_on="2026-03-10"),
        seen_latest_id=conflict.context["form"]["seen_latest_id"].value(),
    )
    assert analyst_client.post(url(commitment), again).status_code == 302
    assert StatusUpdate.objects.count() == 2


def test_a_form_without_the_seen_id_is_treated_as_stale_once_history_exists(
    analyst_client, commitment, make
):
    evidence = make.evidence(commitment)
    services.record_status_update(
        commitment=commitment, status="stalled", rationale="Paused.", evidence=[evidence], by=None
    )
    data = form_data(rows=[NEW_LINK])
    del data["seen_latest_id"]
    assert analyst_client.post(url(commitment), data).status_code == 409
    assert StatusUpdate.objects.count() == 1


def test_a_damaged_seen_id_is_refused_with_a_message(analyst_client, commitment):
    response = analyst_client.post(url(commitment), form_data(rows=[NEW_LINK], seen_latest_id="x"))
    assert response.status_code == 200
    assert "The form was damaged" in response.content.decode()
    assert not StatusUpdate.objects.exists()


# -- access ---------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_login(client, commitment):
    for method in (client.get, client.post):
        response = method(url(commitment))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url(commitment)}"
    assert not StatusUpdate.objects.exists()


def test_a_reader_without_a_role_gets_403(client, reader, commitment):
    client.force_login(reader)
    assert client.get(url(commitment)).status_code == 403
    assert client.post(url(commitment), form_data(rows=[NEW_LINK])).status_code == 403
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "editor", "superuser"])
def test_analysts_editors_and_admins_can_record(client, request, commitment, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(url(commitment)).status_code == 200
    assert client.post(url(commitment), form_data(rows=[NEW_LINK])).status_code == 302
    assert StatusUpdate.objects.get().recorded_by == user


def test_an_unknown_commitment_is_404(analyst_client):
    assert analyst_client.get("/commitments/no-such-thing/update/").status_code == 404


# -- query counts ---------------------------------------------------------------------------
def test_the_form_page_runs_in_constant_queries(
    analyst_client, commitment, make, django_assert_num_queries
):
    evidence = [make.evidence(commitment) for _ in range(15)]
    for i in range(10):
        services.record_status_update(
            commitment=commitment,
            status="in_progress",
            progress=i * 5,
            rationale=f"Step {i}.",
            evidence=evidence[:3],
            by=None,
        )
    # session, user, the user's and the groups' permissions, commitment, its parties
    # (none here), latest update with its author, evidence choices
    with django_assert_num_queries(8):
        response = analyst_client.get(url(commitment))
    assert len(response.context["form"].fields["evidence"].queryset) == 15


def test_saving_costs_the_same_however_much_evidence_is_picked(analyst_client, make):
    counts = []
    for n in (1, 12):
        commitment = make.commitment()
        picked = [str(make.evidence(commitment).pk) for _ in range(n)]
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.post(url(commitment), form_data(evidence=picked))
        assert response.status_code == 302
        assert StatusUpdate.objects.get(commitment=commitment).evidence.count() == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
