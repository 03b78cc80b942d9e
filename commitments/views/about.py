"""The methodology page: what the tracker's words and numbers mean.

Everything on it is read from where the rules live (the vocabularies in choices.py, the
health rules and thresholds in health.py, the means in progress.py), so the page cannot
drift from what the lists, dashboard, API and exports compute.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_safe

from .. import health, progress
from ..choices import (
    HEALTH_STYLE,
    KIND_HELP,
    KIND_STATUS_LABELS,
    LINK_INVERSE_LABELS,
    SOURCE_EVIDENCE,
    STATUS_STYLE,
    ActorKind,
    Compliance,
    DeadlineChangeReason,
    EvidenceKind,
    Health,
    Kind,
    LinkKind,
    PartyRole,
    Precision,
    Reliability,
    SourceKind,
    Status,
    compliance_percent,
)


def _in_words(labels) -> str:
    """Labels as a sentence says them, in the reader's language: "speech, agreement or
    analysis" ("discorso, accordo o analisi"; "演説、合意または分析")."""
    words = [str(label).lower() for label in labels]
    if len(words) < 2:
        return "".join(words)
    first = pgettext("list separator", ", ").join(words[:-1])
    return gettext("%(first)s or %(last)s") % {"first": first, "last": words[-1]}


def _statuses() -> list[dict]:
    closed = set(Status.closed())
    return [
        {
            "key": key,
            "label": label,
            "style": STATUS_STYLE[key],
            "closed": key in closed,
            "kind_labels": [
                {"kind": Kind(kind).label, "label": own}
                for (kind, status), own in KIND_STATUS_LABELS.items()
                if status == key
            ],
        }
        for key, label in Status.choices
    ]


def _kinds() -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "help": KIND_HELP[key],
            "own_labels": [
                {"label": own, "counts_as": Status(status).label}
                for (kind, status), own in KIND_STATUS_LABELS.items()
                if kind == key
            ],
        }
        for key, label in Kind.choices
    ]


def _health() -> list[dict]:
    meaning = health.describe()
    return [
        {"key": key, "label": label, "style": HEALTH_STYLE[key], "meaning": meaning[key]}
        for key, label in Health.choices
    ]


def _source_evidence() -> list[dict]:
    return [
        {
            "source": SourceKind(source).label,
            "kind": EvidenceKind(kind).label,
            "reliability": Reliability(reliability).label,
        }
        for source, (kind, reliability) in SOURCE_EVIDENCE.items()
    ]


def _means() -> dict:
    """Worked examples, computed by the same functions as every page's means."""
    return {
        "thin_percent": round(progress.THIN_BELOW * 100),
        "plain": progress.mean(80, 2, 5),
        "thin": progress.mean(100, 1, 15),
        "nothing": progress.mean(None, 0, 4),
        "rolled_up": progress.rolled_up([(100, None), (40, None), (None, None)]),
        "weighted": progress.rolled_up([(100, 3), (40, 1)]),
    }


@require_safe
def methodology(request):
    return render(
        request,
        "commitments/about/methodology.html",
        {
            "actor_kinds": _in_words(ActorKind.labels),
            "roles": _in_words(PartyRole.labels),
            "source_kinds": _in_words(SourceKind.labels),
            "statuses": _statuses(),
            "kinds": _kinds(),
            "health": _health(),
            "due_soon_days": health.DUE_SOON_DAYS,
            "stale_days": health.STALE_DAYS,
            "evidence_kinds": EvidenceKind.choices,
            "reliability": Reliability.choices,
            "source_evidence": _source_evidence(),
            "precisions": Precision.choices,
            "deadline_reasons": DeadlineChangeReason.labels,
            "correction_label": DeadlineChangeReason.CORRECTION.label,
            "links": [(label, LINK_INVERSE_LABELS[key]) for key, label in LinkKind.choices],
            "review_urgent_days": settings.REVIEW_URGENT_DAYS,
            "review_open_days": settings.REVIEW_OPEN_DAYS,
            "means": _means(),
            "scores": Compliance.choices,
            "score_examples": [
                {"mean": mean, "percent": compliance_percent(mean)} for mean in (-1, 0, 0.5, 1)
            ],
        },
    )
