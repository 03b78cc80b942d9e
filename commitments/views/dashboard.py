"""The dashboard: what is delivered, what is slipping and what falls due next.

It reads top to bottom: the day it is drawn for (`as_of`, today by default), the
list's filters, the widgets' numbers (one query each, cached per register version),
then the charts drawn from them.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from .. import caching, charts, tiles
from ..filters import CommitmentFilterSet
from ..forms.filtering import chips, filter_form
from ..params import Params, parse_as_of, parse_since
from ..selectors.breakdowns import breakdown_rows
from ..selectors.changes import SINCE_CAP, added_since, updated_since
from ..selectors.lists import latest_updates, next_deadlines, next_milestones
from ..selectors.numbers import dashboard_numbers
from ..selectors.timeline import timeline_rows
from ..selectors.trend import trend_points
from .links import data_links

FILTER_FIELDS = ("theme", "party", "source", "kind", "status")
GROUPS = ("theme", "party", "source")


@require_safe
def dashboard(request):
    today = timezone.localdate()
    problems: list[str] = []
    as_of, problem = parse_as_of(request.GET.get("as_of"))
    if problem:
        problems.append(gettext("%(problem)s Showing today instead.") % {"problem": problem})
    since, problem = parse_since(request.GET.get("since"), as_of)
    if problem:
        problems.append(problem)

    filterset = CommitmentFilterSet(request.GET, request=request, day=as_of)
    form = filter_form(filterset)
    scope = filterset.qs.order_by()
    params = Params(filterset.data, as_of, invalid=form.errors)

    parts = {"params": params.values, "as_of": as_of, "since": since}
    widgets = caching.cached(parts, lambda: _widgets(scope, params, as_of, since))
    back_to_today = request.GET.copy()
    back_to_today.pop("as_of", None)
    context = {
        "today": today,
        "today_query": back_to_today.urlencode(),
        "as_of": as_of,
        "time_travel": as_of != today,
        "since": since,
        "since_cap": SINCE_CAP,
        "problems": problems,
        "filter_fields": [form[name] for name in FILTER_FIELDS],
        "active_filters": chips(filterset),
        "status_styles": charts.pattern_styles(),
        **widgets,
        **data_links(params.pairs()),
    }
    return render(request, "commitments/dashboard/dashboard.html", context)


def _widgets(scope, params, as_of, since) -> dict:
    """Everything the dashboard reads from the register (one query per widget) and
    draws from it; cached as a whole per register version and parameters."""
    numbers = dashboard_numbers(scope, as_of)
    widgets = {
        "numbers": numbers,
        "tiles": tiles.tiles(numbers, params),
        "headline_tile": tiles.headline(numbers, params),
        "slipped_tile": tiles.slipped(numbers, params),
        "tile_groups": [tiles.by_status(numbers, params), tiles.by_health(numbers, params)],
        "breakdowns": [
            charts.breakdown_chart(breakdown_rows(scope, group, as_of), group, params)
            for group in GROUPS
        ],
        "timeline": charts.timeline_chart(
            timeline_rows(
                scope, as_of, span=(numbers["first_open_deadline"], numbers["first_deadline"])
            ),
            params,
            as_of,
        ),
        "trend": charts.trend_chart(trend_points(scope, as_of)),
        "latest_updates": latest_updates(scope, as_of),
        "next_deadlines": next_deadlines(scope, as_of),
        "next_milestones": next_milestones(scope, as_of),
    }
    if since:
        widgets["changes"] = updated_since(scope, since, as_of)
        widgets["new"] = added_since(scope, since, as_of)
    return widgets
