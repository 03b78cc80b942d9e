"""The dashboard: what is delivered, what is slipping and what falls due next.

It reads top to bottom: the day it is drawn for (`as_of`, today by default), the
list's filters, then one widget after another. Each widget runs one query, so the
page costs the same whatever the size of the register.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import caching
from .. import dashboard as widgets
from ..asof import AsOfFilterSet, dashboard_numbers, is_today
from .links import data_links

FILTER_FIELDS = ("theme", "party", "source", "kind", "status")


@require_safe
def dashboard(request):
    today = timezone.localdate()
    problems: list[str] = []

    as_of, problem = widgets.parse_as_of(request.GET.get("as_of"), today)
    if problem:
        problems.append(problem)

    since, problem = widgets.parse_day(request.GET.get("since"), "“changed since”")
    if problem:
        problems.append(problem)
    if since and since >= as_of:
        problems.append(
            f"“Changed since” must be before {as_of:%d %b %Y}; "
            f"{since:%d %b %Y} is not, so changes are not shown."
        )
        since = None

    filterset = AsOfFilterSet(request.GET, request=request, today=as_of)
    scope = filterset.qs.order_by()
    params = widgets.Params(filterset.data, as_of, invalid=filterset.form.errors)

    parts = {"params": params.values, "as_of": as_of, "since": since}
    widgets_data = caching.cached(parts, lambda: _widgets(scope, params, as_of, since))
    back_to_today = request.GET.copy()
    back_to_today.pop("as_of", None)
    context = {
        "today": today,
        "today_query": back_to_today.urlencode(),
        "as_of": as_of,
        "time_travel": not is_today(as_of),
        "since": since,
        "problems": problems,
        "filterset": filterset,
        "filter_fields": [filterset.form[name] for name in FILTER_FIELDS],
        "filter_errors": filterset.form.errors,
        "active_filters": filterset.active_filters(),
        "tiles": widgets.tiles(widgets_data["numbers"], params),
        "status_styles": widgets.pattern_styles(),
        **data_links((key, value) for key, values in params.values.items() for value in values),
        **widgets_data,
    }
    if since:
        context["since_cap"] = widgets.SINCE_CAP
    return render(request, "commitments/dashboard/dashboard.html", context)


def _widgets(scope, params, as_of, since) -> dict:
    """Everything the dashboard computes from the register: one query per widget."""
    data = {
        "numbers": dashboard_numbers(scope, as_of),
        "breakdowns": [
            widgets.status_breakdown(scope, group, params, as_of)
            for group in ("theme", "party", "source")
        ],
        "timeline": widgets.timeline(scope, params, as_of),
        "trend": widgets.trend(scope, as_of),
        "latest_updates": widgets.latest_updates(scope, as_of),
        "next_deadlines": widgets.next_deadlines(scope, as_of),
        "next_milestones": widgets.next_milestones(scope, as_of),
    }
    if since:
        data["changes"] = widgets.status_changes_since(scope, since, as_of)
        data["new"] = widgets.new_since(scope, since)
    return data
