"""The review queue (`/review/`): what an analyst should look at today.

An analyst sees the commitments assigned to them and those assigned to nobody whose
review is due today or earlier, most urgent first (overdue deadlines, then those due
soon), with counts, and marks each "reviewed, no change" with a rationale. Editors may
look at anyone's queue (`?analyst=<username>`, or `all`) and assign reviews in bulk from
the list page (`/review/assign/?c=<slug>&c=<slug>`). Every write goes through
`services.reviews`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ..access import require_perm
from ..forms.reviews import AssignForm, ReviewedForm
from ..forms.several import SEVERAL_MAX
from ..models import Commitment, Evidence
from ..selectors.reviews import due_review_ids, queue_counts, reviews_by_ids
from ..services import reviews
from .worklist import safe_back

EDITOR_PERM = "commitments.change_commitment"
PAGE_SIZE = 50
EVERYONE = "all"


@require_http_methods(["GET", "HEAD"])
def review_queue(request):
    if denied := require_perm(request, reviews.REVIEWER_PERM):
        return denied
    today = timezone.localdate()
    is_editor = request.user.has_perm(EDITOR_PERM)
    asked = request.GET.get("analyst", "").strip()
    reviewer, problem = _whose(request, asked, is_editor)

    counts = queue_counts(today, reviewer=reviewer)
    queue = _Queue(due_review_ids(today, reviewer=reviewer), counts["due"])
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    commitments = reviews_by_ids(today, list(page.object_list))
    prefetch_related_objects(
        commitments,
        Prefetch("evidence", queryset=Evidence.objects.order_by("-published_on", "-id")),
    )
    context = {
        "today": today,
        "page": page,
        "rows": [(c, ReviewedForm(commitment=c, prefix=c.slug)) for c in commitments],
        "counts": counts,
        "reviewer": reviewer,
        "everyone": reviewer is None,
        "is_editor": is_editor,
        "asked": asked,
        "problem": problem,
        "back": request.get_full_path(),
    }
    return render(request, "commitments/review/queue.html", context)


class _Queue:
    """The due reviews' ids in queue order, with their count already known from the
    queue's counts (the same condition), so paging asks the database only for a page."""

    def __init__(self, ids, count: int):
        self.ids = ids
        self.total = count

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.ids[index]


def _whose(request, asked: str, is_editor: bool):
    """The reviewer whose queue is shown (None: everyone's), and what was wrong with
    the request for another one's."""
    if not asked or asked == request.user.get_username():
        return request.user, None
    if not is_editor:
        return request.user, gettext("Only Editors see other analysts' queues: this is yours.")
    if asked == EVERYONE:
        return None, None
    other = get_user_model().objects.filter(username=asked).first()
    if other is None:
        return request.user, gettext("Nobody is called “%(name)s”: this is your queue.") % {
            "name": asked[:80]
        }
    return other, None


@require_POST
def mark_reviewed(request, slug: str):
    if denied := require_perm(request, reviews.REVIEWER_PERM):
        return denied
    commitment = get_object_or_404(Commitment, slug=slug)
    back = safe_back(request, request.POST.get("back") or reverse("review_queue"))
    form = ReviewedForm(request.POST, commitment=commitment, prefix=commitment.slug)
    if not form.is_valid():
        problems = " ".join(m for errors in form.errors.values() for m in errors)
        messages.error(
            request,
            gettext("“%(title)s” was not marked reviewed: %(problems)s")
            % {"title": commitment.title, "problems": problems},
        )
        return redirect(back)
    try:
        reviews.mark_reviewed(
            commitment=commitment,
            by=request.user,
            rationale=form.cleaned_data["rationale"],
            evidence=form.cleaned_data["evidence"],
        )
    except ValidationError as error:
        messages.error(
            request,
            gettext("“%(title)s” was not marked reviewed: %(problems)s")
            % {"title": commitment.title, "problems": " ".join(error.messages)},
        )
        return redirect(back)
    when = commitment.next_review_on
    if when:
        next_text = gettext("next review %(day)s") % {"day": date_format(when, "SHORT_DATE_FORMAT")}
    else:
        next_text = gettext("no further review (closed)")
    messages.success(
        request,
        gettext("Recorded a review of “%(title)s”: %(next)s.")
        % {"title": commitment.title, "next": next_text},
    )
    return redirect(back)


@require_http_methods(["GET", "HEAD", "POST"])
def assign(request):
    if denied := require_perm(request, EDITOR_PERM):
        return denied
    back = safe_back(request, request.GET.get("back"))
    slugs = list(dict.fromkeys(s.strip() for s in request.GET.getlist("c") if s.strip()))
    found = {c.slug: c for c in Commitment.objects.filter(slug__in=slugs[: SEVERAL_MAX + 1])}
    commitments = [found[s] for s in slugs if s in found]
    problem = None
    if not slugs:
        problem = gettext(
            "No commitment is selected: tick some in the list, then press “Assign for review”."
        )
    elif len(slugs) > SEVERAL_MAX:
        problem = gettext(
            "%(count)s commitments are selected: assign at most %(max)s at a time."
        ) % {"count": len(slugs), "max": SEVERAL_MAX}
    elif len(commitments) < len(slugs):
        problem = gettext(
            "Some selected commitments no longer exist: go back and select them again."
        )
    if problem:
        context = {"problem": problem, "back": back}
        return render(request, "commitments/review/assign.html", context, status=400)

    # One commitment: start from its own reviewer and date, so only what changes changes.
    initial = {}
    if len(commitments) == 1:
        only = commitments[0]
        initial = {"assignee": only.review_assignee_id, "next_review_on": only.next_review_on}
    form = AssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            count = reviews.assign_reviews(
                commitments=commitments,
                assignee=form.cleaned_data["assignee"],
                next_review_on=form.cleaned_data["next_review_on"],
            )
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(key if key in form.fields else None, message)
        else:
            who = form.cleaned_data["assignee"]
            name = who.get_username() if who else gettext("nobody (any analyst)")
            messages.success(
                request,
                ngettext(
                    "Assigned %(count)s review to %(name)s.",
                    "Assigned %(count)s reviews to %(name)s.",
                    count,
                )
                % {"count": count, "name": name},
            )
            return redirect(back)
    context = {"form": form, "commitments": commitments, "back": back}
    return render(
        request, "commitments/review/assign.html", context, status=400 if form.errors else 200
    )
