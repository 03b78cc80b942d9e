"""Following one commitment: its deadline and milestones as a calendar, its status
updates as an Atom feed. (An actor's or a theme's are the list-wide calendar and feed
narrowed with `party=` or `theme=`, linked from its page.)"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from ..feeds import FEED_SIZE, UpdatesFeed, calendar_chunks, detail_path
from ..models import Commitment, Milestone, StatusUpdate
from .streams import stream


@require_safe
def commitment_calendar(request, slug):
    commitment = get_object_or_404(Commitment, slug=slug)
    deadlines = Commitment.objects.filter(pk=commitment.pk, deadline__isnull=False).only(
        "slug", "title", "deadline", "deadline_precision", "status"
    )
    milestones = (
        Milestone.objects.filter(commitment=commitment, due_on__isnull=False)
        .select_related("commitment")
        .order_by("due_on", "id")
    )
    chunks = calendar_chunks(
        deadlines,
        milestones,
        host=request.get_host().split(":")[0],
        base_url=f"{request.scheme}://{request.get_host()}",
    )
    filename = f"deadlines-{commitment.slug}.ics"
    response = stream(chunks, "text/calendar; charset=utf-8", filename)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class CommitmentUpdatesFeed(UpdatesFeed):
    """One commitment's latest status updates; entries read as in the site-wide feed."""

    def get_object(self, request, *args, **kwargs):
        return get_object_or_404(Commitment, slug=kwargs["slug"])

    def title(self, obj: Commitment) -> str:
        return gettext("Commitment tracker status updates: %(title)s") % {"title": obj.title}

    def link(self, obj: Commitment) -> str:
        return detail_path(obj.slug)

    def items(self, obj: Commitment):
        updates = StatusUpdate.objects.filter(commitment=obj).select_related(
            "commitment", "recorded_by"
        )
        return updates.recorded_newest_first()[:FEED_SIZE]
