"""Finding commitments: the filtered list, one commitment's whole story, and pages per
actor, theme and source that show the same list, pre-filtered."""

from __future__ import annotations

from collections import Counter

from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from .. import deadlines, progress
from ..caching import CountedPaginator
from ..choices import LINK_INVERSE_LABELS, STATUS_STYLE, LinkKind, Status
from ..content_languages import reader_language
from ..filters import CommitmentFilterSet
from ..forms.filtering import chips, filter_form
from ..models import (
    Actor,
    Commitment,
    CommitmentLink,
    DeadlineChange,
    Evidence,
    Milestone,
    Source,
    StatusUpdate,
    Theme,
)
from ..params import parse_as_of
from ..selectors.assessments import party_rows, party_summary
from ..selectors.indexes import with_counts
from .links import data_links
from .scorecard import actor_scorecard
from .worklist import list_param

PAGE_SIZE = 50


def _page_number(request) -> tuple[int, str]:
    """The requested page and a message when it was not a usable number."""
    raw = request.GET.get("page", "1") or "1"
    try:
        number = int(raw)
    except ValueError:
        return 1, gettext("“%(page)s” is not a page number; showing the first page.") % {
            "page": raw
        }
    if number < 1:
        return 1, gettext("Page numbers start at 1; showing the first page.")
    return number, ""


def _filtered_list(request, fixed: dict[str, str] | None = None) -> dict:
    """The context for the list partial: filters, one page of rows and messages.

    `fixed` pins parameters (e.g. the actor of an actor page) over the query string.
    Rows carry `status_as_of`, `progress_as_of`, `activity_as_of` and `health` for the
    day shown, today or `as_of`.
    """
    today = timezone.localdate()
    data = request.GET.copy()
    for key, value in (fixed or {}).items():
        data.setlist(key, [value])
    day, as_of_error = parse_as_of(data.get("as_of"))
    errors = (
        [gettext("%(problem)s Showing today instead.") % {"problem": as_of_error}]
        if as_of_error
        else []
    )
    filterset = CommitmentFilterSet(
        data,
        queryset=Commitment.objects.for_list(day).in_language(reader_language()),
        request=request,
        day=day,
    )
    form = filter_form(filterset)
    if filterset.is_valid():
        commitments = filterset.qs
    else:
        errors = [
            gettext("%(name)s: %(message)s")
            % {"name": form.fields[name].label, "message": " ".join(messages)}
            for name, messages in form.errors.items()
        ]
        commitments = Commitment.objects.none()
    paginator = CountedPaginator(commitments, PAGE_SIZE, scope="list", query=data, day=day)
    number, page_error = _page_number(request)
    if page_error:
        errors.append(page_error)
    elif number > paginator.num_pages:
        errors.append(
            gettext("There is no page %(page)s; showing the last page.") % {"page": number}
        )
    page = paginator.get_page(number)
    query = data.copy()
    for key in fixed or {}:
        query.pop(key, None)
    return {
        "filter": filterset,
        "form": form,
        "page": page,
        "commitments": page.object_list,
        "errors": errors,
        "query": data_without_page(query),
        # The update form opened from a row names the next commitment of this list.
        "list_param": list_param(data_without_page(data)),
        **data_links((key, value) for key, values in data.lists() for value in values),
        "as_of": None if day == today else day,
        "back_to_today": data_without_page(_without(query, "as_of")),
        "chips": chips(filterset, leave_out=fixed or {}),
        "today": today,
        "fixed": fixed or {},
    }


def _without(data: QueryDict, key: str) -> QueryDict:
    data = data.copy()
    data.pop(key, None)
    return data


def data_without_page(data: QueryDict) -> str:
    """The query string for links that keep the filters: no page, no empty fields."""
    query = QueryDict(mutable=True)
    for key, values in data.lists():
        for value in values:
            if key != "page" and value != "":
                query.appendlist(key, value)
    return query.urlencode()


@require_safe
def commitment_list(request):
    return render(request, "commitments/browse/list.html", _filtered_list(request))


def _breakdown(counts: dict[str, int]) -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "style": STATUS_STYLE.get(key, {}),
        }
        for key, label in Status.choices
        if counts.get(key)
    ]


@require_safe
def commitment_detail(request, slug):
    today = timezone.localdate()
    commitment = get_object_or_404(
        Commitment.objects.with_health(today)
        .in_language(reader_language(), parts=("title", "summary", "quote", "translated_by"))
        .select_related("source", "parent", "review_assignee")
        .prefetch_related(
            Prefetch("parties", queryset=party_rows()),
            "themes",
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "due_on", "id")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("-published_on", "-id")),
            Prefetch(
                "links_out", queryset=CommitmentLink.objects.select_related("other", "source")
            ),
            Prefetch(
                "links_in",
                queryset=CommitmentLink.objects.select_related("commitment", "source"),
            ),
            Prefetch(
                "deadline_changes",
                queryset=DeadlineChange.objects.select_related("changed_by", "source"),
            ),
            Prefetch(
                "updates",
                queryset=StatusUpdate.objects.select_related(
                    "recorded_by", "corrects", "corrected_by"
                )
                .prefetch_related("evidence")
                .newest_first(),
            ),
        ),
        slug=slug,
    )
    history = [
        {"date": update.effective_on, "kind": "update", "update": update}
        for update in commitment.updates.all()
    ] + [
        {"date": milestone.completed_on, "kind": "milestone", "milestone": milestone}
        for milestone in commitment.milestones.all()
        if milestone.completed_on
    ]
    history.sort(key=lambda item: item["date"], reverse=True)
    deadline_changes = list(commitment.deadline_changes.all())
    children = None
    if commitment.kind == "framework":
        rows = list(commitment.children.all().for_list(today).order_by("deadline", "title"))
        children = {
            "rows": rows,
            "breakdown": _breakdown(Counter(row.status for row in rows)),
            "total": len(rows),
            "progress": progress.rolled_up((row.progress, row.weight) for row in rows),
        }
    return render(
        request,
        "commitments/browse/detail.html",
        {
            "commitment": commitment,
            "history": history,
            "children": children,
            "today": today,
            "distance": commitment.distance_to_deadline(today),
            "deadline_changes": deadline_changes,
            "lineage": lineage_rows(commitment),
            "deadline_summary": deadlines.summary(deadline_changes),
            "can_update": request.user.has_perm("commitments.add_statusupdate"),
            "parties": party_summary(commitment),
        },
    )


def lineage_rows(commitment: Commitment) -> list[dict]:
    """Its links to earlier and later commitments, in date order, each read from this
    commitment's side ("Superseded by …", "Amends …")."""
    rows = [
        {
            "label": link.get_kind_display(),
            "other": link.other,
            "link": link,
            "closes": link.kind in (LinkKind.SUPERSEDED_BY, LinkKind.MERGED_INTO),
        }
        for link in commitment.links_out.all()
    ] + [
        {"label": LINK_INVERSE_LABELS[link.kind], "other": link.commitment, "link": link}
        for link in commitment.links_in.all()
    ]
    return sorted(rows, key=lambda row: (row["link"].effective_on, row["link"].pk))


def _group_page(request, obj, param: str, template: str, title: str, **extra):
    context = _filtered_list(request, fixed={param: obj.slug})
    context.update(
        {
            "object": obj,
            "title": title,
            "breakdown": _breakdown(obj.commitments.all().status_counts()),
            **extra,
        }
    )
    return render(request, template, context)


@require_safe
def actor_detail(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    return _group_page(
        request,
        actor,
        "party",
        "commitments/browse/actor.html",
        actor.name,
        scorecard=actor_scorecard(request, actor),
    )


@require_safe
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return _group_page(request, theme, "theme", "commitments/browse/theme.html", theme.name)


@require_safe
def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    return _group_page(request, source, "source", "commitments/browse/source.html", source.title)


def _index(request, queryset, group: str, title: str, url_name: str):
    """Every actor, theme or source, with its commitments per status and health today:
    two queries (the objects, then the grouped counts)."""
    return render(
        request,
        "commitments/browse/index.html",
        {
            "rows": with_counts(queryset, group, timezone.localdate()),
            "title": title,
            "url_name": url_name,
            "param": group,
        },
    )


@require_safe
def actor_index(request):
    return _index(
        request, Actor.objects.order_by("name"), "party", gettext("Actors"), "actor_detail"
    )


@require_safe
def theme_index(request):
    return _index(
        request, Theme.objects.order_by("name"), "theme", gettext("Themes"), "theme_detail"
    )


@require_safe
def source_index(request):
    sources = Source.objects.order_by("-date", "title")
    return _index(request, sources, "source", gettext("Sources"), "source_detail")
