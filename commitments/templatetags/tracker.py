"""Badges and bars shared by every page; the vocabulary lives in choices.py.

A badge's colours come from its `status-<key>` or `health-<key>` class in
static/css/vocabulary.css; a progress bar is an SVG whose fill is the status colour.
"""

from django import template
from django.conf import settings

from .. import dates
from .. import health as health_rules
from ..choices import HEALTH_STYLE, STATUS_STYLE, Health, counts_as, status_label

register = template.Library()


@register.inclusion_tag("commitments/partials/status_badge.html")
def status_badge(status: str, kind: str | None = None):
    """The status's label; a kind's own label carries the status it counts as beside it
    ("In force / upheld · Achieved"). The tooltip and the methodology page say more."""
    return {
        "key": status,
        "label": status_label(status, kind),
        "counts_as": counts_as(status, kind),
        "style": STATUS_STYLE[status],
    }


@register.inclusion_tag("commitments/partials/health_badge.html")
def health_badge(health: str, show_on_track: bool = False):
    return {
        "key": health,
        "label": Health(health).label,
        "meaning": health_rules.describe()[health],
        "style": HEALTH_STYLE[health],
        # Closed and not yet assessed say no more than the status badge beside them.
        "show": show_on_track or health not in (Health.ON_TRACK, Health.CLOSED, Health.UNASSESSED),
    }


@register.inclusion_tag("commitments/partials/progress_bar.html")
def progress_bar(value: int | None, status: str | None = None):
    style = STATUS_STYLE.get(status) if status else None
    return {"value": value, "colour": style["bg"] if style else "#2563eb"}


@register.filter
def distance(day, today):
    """How far `day` is from `today`: "in 3 years", "2 months overdue", "due today"."""
    return dates.describe_distance(day, today)


@register.simple_tag
def language_choices():
    """The interface's languages as `(code, name)`, each name in its own language
    ("English", "Italiano", "日本語"), never translated into the current one."""
    return settings.LANGUAGES
