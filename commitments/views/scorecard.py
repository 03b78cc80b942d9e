"""Scorecards: each party's own delivery over the commitments the list's filters select.

`/scorecard/` compares every party side by side (a sortable table and a bar chart of
compliance); an actor's page shows its own. Each figure links to the list behind it:
the same filters, the party, and its own status (`party_status`)."""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from ..choices import STATUS_STYLE, Status
from ..filters import CommitmentFilterSet
from ..forms.filtering import chips, filter_form
from ..models import Commitment
from ..selectors.scorecard import DEFAULT_ORDER, ORDERS, ordered, scorecard_rows

# The list's filters a scorecard honours; `as_of` is not one (a party's own status is
# today's), nor `sort` (the scorecard has its own order).
SCOPE_PARAMS = (
    "q",
    "status",
    "health",
    "theme",
    "party",
    "source",
    "kind",
    "deadline_after",
    "deadline_before",
    "announced_after",
    "announced_before",
    "has_evidence",
)
CHART_LEFT = 180
CHART_WIDTH = 480
CHART_ROW = 26


def scope_of(data: QueryDict) -> tuple[CommitmentFilterSet, object, list[str]]:
    """The list's FilterSet over `data`'s scope parameters, the commitments it selects
    (none when a parameter is wrong) and the messages for wrong parameters."""
    kept = QueryDict(mutable=True)
    for key in SCOPE_PARAMS:
        kept.setlist(key, [v for v in data.getlist(key) if v != ""])
    filterset = CommitmentFilterSet(kept, queryset=Commitment.objects.all())
    if filterset.is_valid():
        return filterset, filterset.qs, []
    form = filterset.form
    errors = [
        gettext("%(name)s: %(message)s")
        % {"name": form.fields[name].label, "message": " ".join(messages)}
        for name, messages in form.errors.items()
    ]
    return filterset, Commitment.objects.none(), errors


def list_link(filterset: CommitmentFilterSet, slug: str, party_status: str = "") -> str:
    """The list of the commitments behind a figure: the same filters, the party, and
    the party's own status when the figure counts one."""
    query = QueryDict(mutable=True)
    for key, values in filterset.data.lists():
        if key not in ("party", "party_status"):
            query.setlist(key, values)
    query["party"] = slug
    if party_status:
        query["party_status"] = party_status
    return f"/commitments/?{query.urlencode()}"


def decorate(rows: list[dict], filterset: CommitmentFilterSet) -> list[dict]:
    """Each row with the links of its figures and its statuses in the vocabulary's order."""
    for row in rows:
        slug = row["slug"]
        row["links"] = {
            "total": list_link(filterset, slug),
            "assessed": list_link(filterset, slug, "assessed"),
            "scored": list_link(filterset, slug, "scored"),
        }
        row["statuses"] = [
            {
                "key": key,
                "label": label,
                "count": row["by_status"][key],
                "link": list_link(filterset, slug, key),
                "style": STATUS_STYLE[key],
            }
            for key, label in Status.choices
        ]
    return rows


def chart(rows: list[dict]) -> dict:
    """Horizontal bars of each scored party's compliance percentage, in the table's
    order; SVG coordinates only."""
    scored = [row for row in rows if row["compliance_percent"] is not None]
    bars = []
    for n, row in enumerate(scored):
        percent = row["compliance_percent"]
        bars.append(
            {
                "row": row,
                "y": n * CHART_ROW,
                "text_y": n * CHART_ROW + 17,
                "width": round(CHART_WIDTH * percent / 100, 1),
                "value_x": CHART_LEFT + round(CHART_WIDTH * percent / 100, 1) + 6,
            }
        )
    return {
        "bars": bars,
        "height": max(len(bars), 1) * CHART_ROW + 24,
        "left": CHART_LEFT,
        "width": CHART_LEFT + CHART_WIDTH + 60,
        "axis_y": len(bars) * CHART_ROW + 16,
        "half_x": CHART_LEFT + CHART_WIDTH / 2,
        "full_x": CHART_LEFT + CHART_WIDTH,
        "unscored": [row for row in rows if row["compliance_percent"] is None],
    }


def sort_links(data: QueryDict, order: str) -> list[dict]:
    """A header per sortable column: its link flips the direction of the active one."""
    links = []
    for key, label in ORDERS.items():
        active = order.lstrip("-") == key
        descending = order.startswith("-")
        query = data.copy()
        query["order"] = (key if descending else f"-{key}") if active else key
        links.append(
            {
                "key": key,
                "label": label,
                "href": f"?{query.urlencode()}",
                "aria_sort": ("descending" if descending else "ascending") if active else None,
            }
        )
    return links


@require_safe
def scorecard(request):
    filterset, scope, errors = scope_of(request.GET)
    order = request.GET.get("order") or DEFAULT_ORDER
    if order.lstrip("-") not in ORDERS:
        errors.append(
            gettext("“%(order)s” is not a way to order the scorecard; ordered by party.")
            % {"order": order}
        )
        order = DEFAULT_ORDER
    rows = decorate(ordered(scorecard_rows(scope), order), filterset)
    return render(
        request,
        "commitments/browse/scorecard.html",
        {
            "rows": rows,
            "chart": chart(rows),
            "headers": sort_links(request.GET, order),
            "form": filter_form(filterset),
            "chips": chips(filterset),
            "errors": errors,
            "statuses": Status.choices,
            "today": timezone.localdate(),
        },
    )


def actor_scorecard(request, actor) -> dict:
    """An actor page's scorecard over the list's filters: its row (None when it is a
    party to none of the commitments selected) and any message about the filters."""
    data = request.GET.copy()
    data.setlist("party", [actor.slug])
    filterset, scope, errors = scope_of(data)
    rows = decorate(scorecard_rows(scope, actor_slug=actor.slug), filterset)
    return {"row": rows[0] if rows else None, "errors": errors}
