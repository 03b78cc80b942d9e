"""The review schedule and `/review/`: the policy, the queue's order and counts, "mark
reviewed, no change", bulk assignment, who may do what, and the page's query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from commitments import services
from commitments.choices import Status
from commitments.models import Commitment, StatusUpdate
from commitments.selectors.reviews import due as due_condition
from commitments.selectors.reviews import due_review_ids
from commitments.services import reviews
from commitments.services.review_policy import next_review_after
from tests.conftest import _user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

TODAY = dt.date(2026, 3, 10)  # tests.clock.NOW


def rate(commitment, make, status=Status.IN_PROGRESS, by=None):
    return services.record_status_update(
        commitment=commitment,
        status=status,
        rationale="Checked.",
        evidence=[make.evidence(commitment)],
        by=by,
        effective_on=TODAY,
    )


def due(commitment, day=TODAY, assignee=None):
    Commitment.objects.filter(pk=commitment.pk).update(next_review_on=day, review_assignee=assignee)
    commitment.refresh_from_db()
    return commitment


# -- the policy -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=30)),  # overdue
        (TODAY + dt.timedelta(days=90), TODAY + dt.timedelta(days=30)),  # last day due soon
        (TODAY + dt.timedelta(days=91), TODAY + dt.timedelta(days=90)),  # one day beyond
        (None, TODAY + dt.timedelta(days=90)),
    ],
)
def test_it_schedules_the_next_review_when_an_update_is_recorded(make, deadline, expected):
    commitment = make.commitment(deadline=deadline)

    rate(commitment, make)

    commitment.refresh_from_db()
    assert commitment.next_review_on == expected


def test_it_schedules_no_review_for_a_closed_commitment(make):
    commitment = make.commitment(deadline=TODAY + dt.timedelta(days=10))
    rate(commitment, make, status=Status.ACHIEVED)
    commitment.refresh_from_db()
    assert commitment.next_review_on is None


def test_it_reads_the_policys_intervals_from_settings(make, settings):
    settings.REVIEW_URGENT_DAYS, settings.REVIEW_OPEN_DAYS = 7, 14
    soon = make.commitment(deadline=TODAY + dt.timedelta(days=5))
    later = make.commitment(deadline=TODAY + dt.timedelta(days=500))
    assert next_review_after(soon, TODAY) == TODAY + dt.timedelta(days=7)
    assert next_review_after(later, TODAY) == TODAY + dt.timedelta(days=14)


@pytest.mark.parametrize(("offset", "accepted"), [(-1, False), (0, True)])
def test_it_refuses_a_review_date_in_the_past(make, offset, accepted):
    commitment = make.commitment()
    day = TODAY + dt.timedelta(days=offset)
    if accepted:
        reviews.schedule_review(commitment=commitment, next_review_on=day)
        commitment.refresh_from_db()
        assert commitment.next_review_on == day
    else:
        with pytest.raises(ValidationError) as error:
            reviews.schedule_review(commitment=commitment, next_review_on=day)
        assert "cannot be in the past" in error.value.message_dict["next_review_on"][0]


def test_it_assigns_only_analysts_and_writes_nothing_half(make, analyst, reader):
    first, second = make.commitment(), make.commitment()

    with pytest.raises(ValidationError) as error:
        reviews.assign_reviews(commitments=[first, second], assignee=reader)
    assert error.value.message_dict["assignee"] == [
        "reader is not an Analyst: only Analysts review."
    ]
    assert not Commitment.objects.filter(review_assignee__isnull=False).exists()

    assert reviews.assign_reviews(commitments=[first, second], assignee=analyst) == 2
    assert Commitment.objects.filter(review_assignee=analyst).count() == 2


# -- the queue --------------------------------------------------------------------------------
def test_it_shows_my_reviews_and_unassigned_ones_most_urgent_first(client, make, analyst):
    other = _user("other", groups=["Analysts"])
    calm = due(make.commitment("Calm", deadline=TODAY + dt.timedelta(days=400)))
    soon = due(make.commitment("Soon", deadline=TODAY + dt.timedelta(days=20)), assignee=analyst)
    late = due(make.commitment("Late", deadline=TODAY - dt.timedelta(days=3)))
    due(make.commitment("Someone else's"), assignee=other)
    due(make.commitment("Tomorrow"), day=TODAY + dt.timedelta(days=1))
    client.force_login(analyst)

    response = client.get("/review/")

    assert [c.slug for c, _form in response.context["rows"]] == [late.slug, soon.slug, calm.slug]
    assert response.context["counts"] == {
        "due": 3,
        "assigned": 1,
        "unassigned": 2,
        "overdue_deadline": 1,
    }


def test_it_marks_a_review_with_no_change_and_sets_the_next_date(client, make, analyst):
    commitment = make.commitment(deadline=TODAY + dt.timedelta(days=400))
    rate(commitment, make)
    due(commitment)
    client.force_login(analyst)

    response = client.post(
        reverse("review_done", args=[commitment.slug]),
        {
            f"{commitment.slug}-rationale": "Read the ministry's report: nothing new.",
            "back": "/review/",
        },
    )

    assert response.status_code == 302 and response.url == "/review/"
    entry = StatusUpdate.objects.filter(commitment=commitment).first()
    assert entry.review and entry.status == Status.IN_PROGRESS
    assert entry.recorded_by == analyst
    assert entry.evidence.exists()  # the evidence the current status rests on
    commitment.refresh_from_db()
    assert commitment.next_review_on == TODAY + dt.timedelta(days=90)
    assert client.get("/review/").context["counts"]["due"] == 0


def test_it_refuses_a_review_without_a_rationale(client, make, analyst):
    commitment = due(make.commitment())
    client.force_login(analyst)

    response = client.post(
        reverse("review_done", args=[commitment.slug]),
        {f"{commitment.slug}-rationale": "  "},
        follow=True,
    )

    assert "was not marked reviewed: Say what you checked" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_it_shows_editors_everyones_queue_and_analysts_only_their_own(
    client, make, analyst, editor
):
    due(make.commitment("Theirs"), assignee=editor)
    client.force_login(analyst)
    own = client.get("/review/", {"analyst": "all"})
    assert own.context["problem"] == "Only Editors see other analysts' queues: this is yours."
    assert own.context["rows"] == []

    client.force_login(editor)
    everyone = client.get("/review/", {"analyst": "all"})
    assert [c.title for c, _ in everyone.context["rows"]] == ["Theirs"]
    nobody = client.get("/review/", {"analyst": "ghost"})
    assert "Nobody is called “ghost”" in nobody.context["problem"]


@pytest.mark.parametrize(("n",), [(2,), (8,)])
def test_it_shows_the_queue_in_a_constant_number_of_queries(
    client, make, analyst, django_assert_num_queries, n
):
    for i in range(n):
        commitment = make.commitment(f"C{i}", deadline=TODAY + dt.timedelta(days=i))
        make.evidence(commitment)
        due(commitment)
    client.force_login(analyst)

    # session, user, the user's and the groups' permissions, counts (also the pager's),
    # the page's ids, its rows with their assignees, evidence
    with django_assert_num_queries(8):
        response = client.get("/review/")
    assert len(response.context["rows"]) == n


def test_it_pages_the_queue_in_order_with_the_counts_total(client, make, analyst, monkeypatch):
    monkeypatch.setattr("commitments.views.review.PAGE_SIZE", 2)
    later = TODAY + dt.timedelta(days=400)
    # The same urgency, review date and deadline: the title, then the id, decide.
    for title in ("Delta", "Alpha", "Charlie", "Bravo"):
        due(make.commitment(title, deadline=later), day=TODAY - dt.timedelta(days=1))
    due(make.commitment("Zulu, overdue", deadline=TODAY - dt.timedelta(days=1)))
    due(make.commitment("Echo, waited longest", deadline=later), day=TODAY - dt.timedelta(days=9))
    client.force_login(analyst)

    pages = [client.get("/review/", {"page": n}) for n in (1, 2, 3)]

    assert [[c.title for c, _ in page.context["rows"]] for page in pages] == [
        ["Zulu, overdue", "Echo, waited longest"],
        ["Alpha", "Bravo"],
        ["Charlie", "Delta"],
    ]
    assert pages[0].context["page"].paginator.num_pages == 3
    assert "Page 2 of 3" in pages[1].content.decode()
    assert client.get("/review/", {"page": 9}).context["page"].number == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="covering indexes are PostgreSQL's")
def test_it_orders_and_counts_the_queue_from_the_review_index_alone(make, analyst):
    for i in range(3):
        due(make.commitment(f"C{i}"), assignee=analyst if i else None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commitments_commitment")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
    try:
        ids = due_review_ids(TODAY, reviewer=analyst).explain()
        # What the counts read: the assignee and the deadline of the due reviews.
        counts = (
            Commitment.objects.filter(due_condition(TODAY, analyst))
            .order_by()
            .values("review_assignee", "deadline")
            .explain()
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    for plan in (ids, counts):
        assert "Index Only Scan using commitment_review_due_idx" in plan


# -- bulk assignment ---------------------------------------------------------------------------
def test_it_lets_an_editor_assign_reviews_in_bulk_from_the_list(client, make, editor, analyst):
    first, second = make.commitment("First"), make.commitment("Second")
    client.force_login(editor)
    url = f"/review/assign/?c={first.slug}&c={second.slug}&back=/commitments/"

    form = client.get(url)
    assert form.status_code == 200
    assert "ana" in form.content.decode()
    response = client.post(url, {"assignee": analyst.pk, "next_review_on": "2026-03-20"})

    assert response.status_code == 302 and response.url == "/commitments/"
    assert set(
        Commitment.objects.filter(review_assignee=analyst).values_list("title", flat=True)
    ) == {"First", "Second"}
    assert Commitment.objects.get(pk=first.pk).next_review_on == dt.date(2026, 3, 20)


def test_it_says_what_is_wrong_with_a_bulk_assignment_and_writes_nothing(
    client, make, editor, reader
):
    commitment = make.commitment("Only")
    client.force_login(editor)
    url = f"/review/assign/?c={commitment.slug}"

    past = client.post(url, {"assignee": "", "next_review_on": "2026-03-09"})
    assert past.status_code == 400
    assert "cannot be in the past" in past.content.decode()
    not_analyst = client.post(url, {"assignee": reader.pk})
    assert not_analyst.status_code == 400
    assert "reader is not an Analyst" in not_analyst.content.decode()
    nothing = client.get("/review/assign/")
    assert nothing.status_code == 400 and "No commitment is selected" in nothing.content.decode()
    commitment.refresh_from_db()
    assert commitment.review_assignee is None and commitment.next_review_on is None


def test_it_offers_bulk_assignment_on_the_list_to_editors_only(client, make, editor, analyst):
    make.commitment()
    client.force_login(analyst)
    assert "Assign the selected for review" not in client.get("/commitments/").content.decode()
    client.force_login(editor)
    assert "Assign the selected for review" in client.get("/commitments/").content.decode()


# -- access -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "queue", "assign"),
    [(None, 302, 302), ("reader", 403, 403), ("analyst", 200, 403), ("editor", 200, 400)],
)
def test_it_lets_only_analysts_open_the_queue_and_editors_the_assignment(
    client, request, who, queue, assign
):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get("/review/").status_code == queue
    assert client.get("/review/assign/").status_code == assign


def test_it_refuses_a_review_marked_by_a_reader(client, make, reader):
    commitment = due(make.commitment())
    client.force_login(reader)
    response = client.post(
        reverse("review_done", args=[commitment.slug]), {f"{commitment.slug}-rationale": "x"}
    )
    assert response.status_code == 403
    assert not StatusUpdate.objects.exists()


def test_it_lets_an_editor_change_one_commitments_review_from_its_page(
    client, make, editor, analyst
):
    commitment = make.commitment("Only")
    reviews.assign_reviews(commitments=[commitment], assignee=analyst)
    client.force_login(editor)

    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Next review: none scheduled, by ana." in page
    link = f"/review/assign/?c={commitment.slug}&amp;back=/commitments/{commitment.slug}/"
    assert link in page

    form = client.get(f"/review/assign/?c={commitment.slug}")
    assert form.context["form"]["assignee"].value() == analyst.pk  # kept unless changed
    client.post(
        f"/review/assign/?c={commitment.slug}",
        {"assignee": analyst.pk, "next_review_on": "2026-04-01"},
    )
    commitment.refresh_from_db()
    assert (commitment.review_assignee, commitment.next_review_on) == (analyst, dt.date(2026, 4, 1))
