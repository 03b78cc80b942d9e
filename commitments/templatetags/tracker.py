"""Badges and bars shared by every page; the vocabulary lives in choices.py.

A badge's colours come from its `status-<key>` or `health-<key>` class in
static/css/vocabulary.css; a progress bar is an SVG whose fill is the status colour.
"""

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .. import dates
from .. import health as health_rules
from ..choices import STATUS_STYLE, Health, counts_as, status_label

register = template.Library()


# The badges and the bar are drawn in Python rather than by a template each: a list draws
# three per row, and a template's render per badge was a fifth of the page's time. Their
# texts are attribute values, escaped whole.
NO_PROGRESS = mark_safe('<span class="muted">—</span>')


@register.simple_tag
def status_badge(status: str, kind: str | None = None):
    """The status's label; a kind's own label carries the status it counts as beside it
    ("In force / upheld · Achieved"). The tooltip and the methodology page say more."""
    label, also = status_label(status, kind), counts_as(status, kind)
    if also:
        title = gettext("%(label)s counts as %(counts_as)s") % {"label": label, "counts_as": also}
        after = format_html(' <span class="counts-as">· {}</span>', also)
    else:
        title, after = gettext("Status: %(label)s") % {"label": label}, ""
    return format_html(
        '<span class="badge badge-status status-{key}" title="{title}. {how} /about/#statuses">'
        '<span class="icon icon-status-{key}" aria-hidden="true"></span> {label}{after}</span>',
        key=status,
        title=title,
        how=gettext("How statuses work:"),
        label=label,
        after=after,
    )


@register.simple_tag
def health_badge(health: str, show_on_track: bool = False):
    # Closed and not yet assessed say no more than the status badge beside them.
    if not show_on_track and health in (Health.ON_TRACK, Health.CLOSED, Health.UNASSESSED):
        return ""
    label = Health(health).label
    return format_html(
        '<span class="badge badge-health health-{key}" title="{label}: {meaning} {how} '
        '/about/#health"><span class="icon icon-health-{key}" aria-hidden="true"></span> '
        "{label}</span>",
        key=health,
        label=label,
        meaning=health_rules.describe()[health],
        how=gettext("How health works:"),
    )


@register.simple_tag
def progress_bar(value: int | None, status: str | None = None):
    if value is None:
        return NO_PROGRESS
    style = STATUS_STYLE.get(status) if status else None
    shown = localize(value)
    return format_html(
        '<svg class="progress" role="img" aria-label="{done}" width="96" height="10">'
        '<rect class="progress-fill" width="{value}%" height="100%" fill="{colour}"/></svg> '
        '<span class="progress-value">{value}%</span>',
        done=gettext("%(value)s%% done") % {"value": shown},
        value=shown,
        colour=style["bg"] if style else "#2563eb",
    )


@register.filter
def distance(day, today):
    """How far `day` is from `today`: "in 3 years", "2 months overdue", "due today"."""
    return dates.describe_distance(day, today)


@register.simple_tag
def language_choices():
    """The interface's languages as `(code, name)`, each name in its own language
    ("English", "Italiano", "日本語"), never translated into the current one."""
    return settings.LANGUAGES
