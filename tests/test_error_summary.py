"""GOV.UK's error summary on the forms that record things: after a failed submit, "There
is a problem" at the top lists every message as a link to its field, and takes the
focus; each message also stays next to its field."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from commitments import services
from tests.test_updates_milestones import complete_data
from tests.test_updates_record import NEW_LINK, form_data

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def commitment(make):
    return make.commitment(
        "Deliver a fighter", announced_on=dt.date(2025, 11, 20), announced_precision="day"
    )


def summary(html: str) -> str:
    start = html.index('<div class="error-summary"')
    return html[start : html.index("</div>", start)]


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', summary(html))


def test_it_lists_each_error_as_a_link_to_its_field(analyst_client, commitment):
    path = reverse("commitment_update", args=[commitment.slug])
    response = analyst_client.post(
        path, form_data(progress="150", effective_on="2027-01-01", rows=[NEW_LINK])
    )
    html = response.content.decode()
    assert links(html) == [
        ("#id_progress", "Progress must be between 0 and 100."),
        ("#id_effective_on", "The effective date cannot be in the future."),
    ]
    head = summary(html)
    assert 'role="alert"' in head
    assert 'tabindex="-1"' in head
    assert "autofocus" in head
    assert "There is a problem" in head
    # The summary comes first, and each message also stays next to its field.
    assert html.index("There is a problem") < html.index("<h1")
    assert '<p class="field-error" id="id_progress_error">' in html
    assert '<p class="field-error" id="id_effective_on_error">' in html
    assert "<title>Error: Record a status update" in html


def test_evidence_messages_link_to_the_evidence_fieldset(analyst_client, commitment):
    path = reverse("commitment_update", args=[commitment.slug])
    html = analyst_client.post(path, form_data()).content.decode()
    assert links(html) == [
        ("#evidence", "A status other than Not yet rated needs at least one evidence item.")
    ]
    fieldset = html[html.index('<fieldset class="evidence" id="evidence"') :]
    assert "needs at least one evidence item" in fieldset[: fieldset.index("<fieldset", 10)]


def test_a_rows_own_message_names_the_row(analyst_client, commitment):
    path = reverse("commitment_update", args=[commitment.slug])
    row = {**NEW_LINK, "published_on": "someday"}
    html = analyst_client.post(path, form_data(rows=[row])).content.decode()
    assert links(html) == [
        ("#evidence", "New evidence item 1, date published: Enter a valid date.")
    ]


def test_it_orders_the_messages_as_the_fields_are_on_the_page(analyst_client, commitment):
    path = reverse("commitment_update", args=[commitment.slug])
    html = analyst_client.post(
        path, form_data(status="nonsense", rationale="", effective_on="x")
    ).content.decode()
    assert [href for href, _ in links(html)] == ["#id_status", "#id_effective_on", "#id_rationale"]
    for href, _ in links(html):
        assert f'id="{href[1:]}"' in html


def test_there_is_no_summary_before_a_submit_or_after_a_search(analyst_client, commitment):
    path = reverse("commitment_update", args=[commitment.slug])
    assert "error-summary" not in analyst_client.get(path).content.decode()
    found = analyst_client.post(path, {**form_data(rationale=""), "find_evidence": "1"})
    assert "error-summary" not in found.content.decode()


def test_the_correction_form_has_the_summary(analyst_client, commitment, make):
    corrected = services.record_status_update(
        commitment=commitment,
        status="stalled",
        rationale="Paused.",
        evidence=[make.evidence(commitment)],
        by=None,
    )
    path = reverse("update_correct", args=[commitment.slug, corrected.pk])
    seen = services.latest_recorded_id(commitment)
    html = analyst_client.post(path, form_data(seen=seen, rationale="  ")).content.decode()
    assert links(html) == [("#id_rationale", "This field is required.")]


def test_the_completion_form_has_the_summary(analyst_client, commitment):
    milestone = services.add_milestone(commitment=commitment, title="Contract signed")
    path = reverse("milestone_complete", args=[commitment.slug, milestone.pk])
    html = analyst_client.post(path, complete_data(completed_on="2027-01-01")).content.decode()
    assert links(html) == [
        ("#id_completed_on", "A completion date cannot be in the future."),
    ]
    html = analyst_client.post(path, complete_data()).content.decode()
    assert links(html) == [
        ("#evidence", "Show at least one evidence item for the completion."),
    ]


def test_the_add_milestone_form_has_the_summary(analyst_client, commitment):
    path = reverse("milestone_add", args=[commitment.slug])
    html = analyst_client.post(path, {"title": "", "due_on": "2028-01-01"}).content.decode()
    assert links(html) == [
        ("#id_title", "This field is required."),
        ("#id_due_precision", "Say how precise this date is."),
    ]
    html = analyst_client.post(path, {"title": "X", "due_on": "x"}).content.decode()
    assert links(html) == [("#id_due_on", "Enter a valid date.")]
