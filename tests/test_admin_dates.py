"""Dates in the admin: deadlines, announcements and due dates typed as the importer reads
them, with the precision the text gives, and every day shown one way."""

import datetime as dt

import pytest
from django.urls import reverse

from commitments.models import Commitment, Evidence, Milestone
from tests.test_admin import _form_data

ADD = "admin:commitments_commitment_add"


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _add(client, **changes):
    data = _form_data(client.get(reverse(ADD)))
    data.update({"title": "Open a hydrogen corridor", "slug": "hydrogen-corridor"})
    data.update(changes)
    return client.post(reverse(ADD), data)


@pytest.mark.parametrize(
    ("typed", "stored", "precision"),
    [
        ("end of 2027", dt.date(2027, 12, 31), "year"),
        ("by 2035", dt.date(2035, 12, 31), "year"),
        ("Q3 2026", dt.date(2026, 9, 30), "quarter"),
        ("Q4 2026", dt.date(2026, 12, 31), "quarter"),
        ("Sept 2025", dt.date(2025, 9, 30), "month"),
        ("2027-03-31", dt.date(2027, 3, 31), "day"),
        ("31/03/2027", dt.date(2027, 3, 31), "day"),
    ],
)
def test_it_reads_a_deadline_as_the_importer_does(admin_client, typed, stored, precision):
    response = _add(admin_client, deadline=typed)
    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment = Commitment.objects.get(slug="hydrogen-corridor")
    assert (commitment.deadline, commitment.deadline_precision) == (stored, precision)


def test_it_stores_an_announcement_as_the_first_day_of_its_period(admin_client):
    response = _add(admin_client, announced_on="Q3 2026", deadline="2030")
    assert response.status_code == 302
    commitment = Commitment.objects.get(slug="hydrogen-corridor")
    assert (commitment.announced_on, commitment.announced_precision) == (
        dt.date(2026, 7, 1),
        "quarter",
    )


@pytest.mark.parametrize("typed", ["sometime", "Q5 2026", "31/02/2027"])
def test_it_answers_a_date_it_cannot_read_with_the_accepted_forms(admin_client, typed):
    response = _add(admin_client, deadline=typed)
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.errors["deadline"])
    assert typed in message
    if typed != "31/02/2027":
        assert "end of 2026" in message and "Q3 2026" in message and "2027-03-31" in message
    else:
        assert "not a real date" in message
    assert not Commitment.objects.filter(slug="hydrogen-corridor").exists()


def test_it_leaves_an_empty_deadline_without_precision(admin_client):
    assert _add(admin_client, deadline="").status_code == 302
    commitment = Commitment.objects.get(slug="hydrogen-corridor")
    assert (commitment.deadline, commitment.deadline_precision) == (None, "")


def test_it_refuses_a_deadline_before_the_announcement(admin_client):
    response = _add(admin_client, announced_on="2027", deadline="Q4 2026")
    assert response.status_code == 200
    assert "before the announcement" in str(response.context["adminform"].form.errors["deadline"])


def test_it_shows_a_stored_date_as_text_that_keeps_its_precision(admin_client, make):
    commitment = make.commitment(
        deadline=dt.date(2035, 12, 31),
        precision="year",
        announced_on=dt.date(2025, 9, 1),
        announced_precision="month",
    )
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    assert (form["deadline"].value(), form["announced_on"].value()) == ("2035", "Sep 2025")
    assert admin_client.post(url, _form_data(page)).status_code == 302
    commitment.refresh_from_db()
    assert (commitment.deadline, commitment.deadline_precision) == (dt.date(2035, 12, 31), "year")
    assert commitment.announced_precision == "month"


def test_it_reads_a_milestones_due_date_as_written(admin_client, make):
    commitment = make.commitment()
    response = admin_client.post(
        reverse("admin:commitments_milestone_add"),
        {
            "commitment": str(commitment.pk),
            "title": "First flight",
            "due_on": "Q1 2027",
            "order": "0",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(title="First flight")
    assert (milestone.due_on, milestone.due_precision) == (dt.date(2027, 3, 31), "quarter")


PAGES = [
    "admin:commitments_commitment_add",
    "admin:commitments_evidence_add",
    "admin:commitments_source_add",
    "admin:commitments_milestone_add",
]


@pytest.mark.parametrize("name", PAGES)
def test_it_uses_no_date_picker_or_locale_calendar_in_the_admin(admin_client, name):
    html = admin_client.get(reverse(name)).content.decode()
    assert 'type="date"' not in html
    assert "vDateField" not in html and "DateTimeShortcuts" not in html


def test_it_shows_and_reads_days_in_one_format(admin_client, make):
    commitment = make.commitment()
    item = make.evidence(commitment, published_on=dt.date(2026, 1, 5))
    url = reverse("admin:commitments_evidence_change", args=[item.pk])
    page = admin_client.get(url)
    assert 'value="2026-01-05"' in page.content.decode()
    data = _form_data(page)
    data["published_on"] = "6 January 2026"
    assert admin_client.post(url, data).status_code == 302
    assert Evidence.objects.get(pk=item.pk).published_on == dt.date(2026, 1, 6)
    data["published_on"] = "sometime"
    response = admin_client.post(url, data)
    assert "2027-03-31" in str(response.context["adminform"].form.errors["published_on"])
