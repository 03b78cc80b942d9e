"""Adding milestones and marking them completed with a date and evidence."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commitments import services
from commitments.models import Commitment, Evidence, Milestone
from tests.clock import NOW

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def commitment(make):
    return make.commitment(
        "Deliver a fighter", announced_on=dt.date(2025, 11, 20), announced_precision="day"
    )


@pytest.fixture
def milestone(commitment):
    return services.add_milestone(commitment=commitment, title="Contract signed")


def add_url(commitment):
    return reverse("milestone_add", args=[commitment.slug])


def complete_url(milestone):
    return reverse("milestone_complete", args=[milestone.commitment.slug, milestone.pk])


def complete_data(rows=(), **fields):
    data = {
        "completed_on": "2026-03-02",
        "new-TOTAL_FORMS": str(len(rows)),
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
    }
    for i, row in enumerate(rows):
        data.update({f"new-{i}-{k}": v for k, v in row.items()})
        data.setdefault(f"new-{i}-kind", "news_report")
        data.setdefault(f"new-{i}-reliability", "secondary")
    data.update(fields)
    return data


# -- adding -------------------------------------------------------------------------------
def test_it_adds_a_milestone_at_the_end(analyst_client, commitment):
    services.add_milestone(commitment=commitment, title="First")
    response = analyst_client.post(
        add_url(commitment),
        {"title": "Prototype flies", "due_on": "2028-05-01", "due_precision": "year"},
    )
    assert response.status_code == 302
    assert response["Location"] == commitment.get_absolute_url()
    added = Milestone.objects.get(title="Prototype flies")
    assert (added.commitment, added.due_on, added.due_precision, added.order) == (
        commitment,
        dt.date(2028, 12, 31),
        "year",
        1,
    )


def test_a_milestone_needs_a_title(analyst_client, commitment):
    response = analyst_client.post(add_url(commitment), {"title": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert not Milestone.objects.exists()


def test_a_due_date_needs_its_precision(analyst_client, commitment):
    response = analyst_client.post(add_url(commitment), {"title": "X", "due_on": "2028-01-01"})
    assert response.context["form"].errors["due_precision"] == ["Say how precise this date is."]
    assert 'class="field-error"' in response.content.decode()


def test_a_milestone_title_has_a_maximum_length(analyst_client, commitment):
    response = analyst_client.post(add_url(commitment), {"title": "x" * 301})
    assert response.context["form"].errors["title"] == [
        "Ensure this value has at most 300 characters (it has 301)."
    ]


# -- completing ---------------------------------------------------------------------------
def test_it_completes_a_milestone_with_a_date_and_evidence(
    analyst_client, analyst, commitment, milestone, make
):
    picked = make.evidence(commitment)
    response = analyst_client.post(
        complete_url(milestone),
        complete_data(
            rows=[{"title": "Signing ceremony", "url": "https://gov.example/sign"}],
            evidence=[str(picked.pk)],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == commitment.get_absolute_url()
    milestone.refresh_from_db()
    assert (milestone.completed_on, milestone.completed_by) == (dt.date(2026, 3, 2), analyst)
    assert set(milestone.evidence.values_list("title", flat=True)) == {
        picked.title,
        "Signing ceremony",
    }
    assert Commitment.objects.get().last_update_at == NOW


def test_completing_needs_evidence(analyst_client, milestone):
    response = analyst_client.post(complete_url(milestone), complete_data())
    assert response.context["form"].errors["evidence"] == [
        "Show at least one evidence item for the completion."
    ]
    milestone.refresh_from_db()
    assert milestone.completed_on is None


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-03-11", "A completion date cannot be in the future."),
        ("2025-11-19", "A completion date cannot be before the announcement (20 Nov 2025)."),
    ],
)
def test_the_completion_date_is_checked(analyst_client, milestone, make, day, message):
    evidence = make.evidence(milestone.commitment)
    response = analyst_client.post(
        complete_url(milestone), complete_data(completed_on=day, evidence=[str(evidence.pk)])
    )
    assert response.context["form"].errors["completed_on"] == [message]


def test_completion_evidence_links_must_be_http(analyst_client, milestone):
    response = analyst_client.post(
        complete_url(milestone),
        complete_data(rows=[{"title": "Bad", "url": "javascript:alert(1)"}]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [
        "Evidence links must start with http:// or https://."
    ]
    assert not Evidence.objects.exists()


def test_a_completed_milestone_cannot_be_completed_again(analyst_client, milestone, make):
    evidence = make.evidence(milestone.commitment)
    services.complete_milestone(
        milestone=milestone, completed_on=dt.date(2026, 3, 1), evidence=[evidence], by=None
    )
    response = analyst_client.get(complete_url(milestone))
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        services.complete_milestone(
            milestone=milestone, completed_on=dt.date(2026, 3, 2), evidence=[evidence], by=None
        )
    milestone.refresh_from_db()
    assert milestone.completed_on == dt.date(2026, 3, 1)


def test_evidence_of_another_commitment_backs_this_completion_too(milestone, make):
    theirs = make.evidence(make.commitment("Another"))
    services.complete_milestone(
        milestone=milestone, completed_on=dt.date(2026, 3, 1), evidence=[theirs], by=None
    )
    assert list(milestone.evidence.all()) == [theirs]
    assert milestone.commitment in theirs.commitments.all()


def test_a_milestone_of_another_commitment_is_404(analyst_client, milestone, make):
    other = make.commitment("Another")
    url = reverse("milestone_complete", args=[other.slug, milestone.pk])
    assert analyst_client.get(url).status_code == 404


# -- access ---------------------------------------------------------------------------------
def _urls(milestone):
    return [add_url(milestone.commitment), complete_url(milestone)]


def test_anonymous_visitors_are_sent_to_login(client, milestone):
    for url in _urls(milestone):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_reader_without_a_role_gets_403(client, reader, milestone):
    client.force_login(reader)
    for url in _urls(milestone):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "X"}).status_code == 403
    assert Milestone.objects.count() == 1


@pytest.mark.parametrize("role", ["analyst", "editor", "superuser"])
def test_analysts_editors_and_admins_can_add_and_complete(client, request, milestone, role):
    client.force_login(request.getfixturevalue(role))
    for url in _urls(milestone):
        assert client.get(url).status_code == 200


# -- query counts ---------------------------------------------------------------------------
def test_the_milestone_pages_run_in_constant_queries(
    analyst_client, milestone, make, django_assert_num_queries
):
    for _ in range(12):
        make.evidence(milestone.commitment)
    # session, user, the user's and the groups' permissions, commitment
    with django_assert_num_queries(5):
        analyst_client.get(add_url(milestone.commitment))
    # ... then the milestone with its commitment, and the evidence choices
    with django_assert_num_queries(6):
        response = analyst_client.get(complete_url(milestone))
    assert len(response.context["form"].fields["evidence"].queryset) == 12
