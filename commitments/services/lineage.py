"""Lineage across statements: a commitment reaffirmed, amended, superseded by or merged
into a later one, each link with the source that says so.

`link_commitments` is the one way to record a link; its rules, keyed by field:

- the two commitments differ, the kind is one of `choices.LinkKind`, a source is given;
- the same link is not recorded twice, and a commitment is superseded or merged once;
- the link's day (`effective_on`, by default the source's date, else today) is not in
  the future nor before the earlier commitment was announced (`timing.check_day`).

A link "superseded by" or "merged into" closes the earlier commitment from that day
(`superseded_on`, read by health.py and the dashboard's trend, so it leaves every "open"
count and counts as closed) and records the reason in its history: a review entry naming
the successor, evidenced by the source. The successor inherits nothing: its status,
progress, deadline and evidence stay as they are.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..choices import SOURCE_EVIDENCE, LinkKind
from ..models import Commitment, CommitmentLink, Source
from .evidence import NewEvidence
from .status import record_status_update
from .timing import check_day

ONE_SUCCESSOR = (LinkKind.SUPERSEDED_BY, LinkKind.MERGED_INTO)


def _problems(
    commitment: Commitment,
    *,
    kind: str,
    other: Commitment | None,
    source: Source | None,
    effective_on: dt.date,
    today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in LinkKind.values:
        errors["kind"] = gettext("Unknown link %(kind)s: use one of %(choices)s.") % {
            "kind": repr(kind),
            "choices": ", ".join(LinkKind.values),
        }
    if other is None:
        errors["other"] = gettext("Choose the later commitment.")
    elif other.pk == commitment.pk:
        errors["other"] = gettext("A commitment cannot be linked to itself.")
    elif CommitmentLink.objects.filter(commitment=commitment, other=other, kind=kind).exists():
        errors["other"] = gettext("These two commitments are already linked this way.")
    elif CommitmentLink.objects.filter(commitment=other, other=commitment).exists():
        errors["other"] = gettext(
            "“%(title)s” is already linked to this one the other way round."
        ) % {"title": other.title}
    if kind in ONE_SUCCESSOR and (
        CommitmentLink.objects.filter(commitment=commitment, kind__in=ONE_SUCCESSOR).exists()
    ):
        errors["kind"] = gettext("This commitment is already superseded or merged.")
    if source is None:
        errors["source"] = gettext("Say which source links them.")
    problem = check_day(commitment, effective_on, what=gettext("The link's date"), today=today)
    if problem:
        errors["effective_on"] = problem
    return errors


def _day(source: Source | None, effective_on: dt.date | None, today: dt.date) -> dt.date:
    return effective_on or (source.date if source and source.date else today)


def check_link(
    *,
    commitment: Commitment,
    kind: str,
    other: Commitment | None,
    source: Source | None,
    effective_on: dt.date | None = None,
) -> None:
    """The rules of `link_commitments` without writing; raises ValidationError by field."""
    today = timezone.localdate()
    errors = _problems(
        commitment,
        kind=kind,
        other=other,
        source=source,
        effective_on=_day(source, effective_on, today),
        today=today,
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def link_commitments(
    *,
    commitment: Commitment,
    kind: str,
    other: Commitment,
    source: Source,
    by: AbstractBaseUser | None,
    note: str = "",
    effective_on: dt.date | None = None,
) -> CommitmentLink:
    """Record that `commitment` was `kind` (a `LinkKind` key) `other`, as `source` says,
    from `effective_on` (default: the source's date, else today). Superseding closes
    `commitment` with that reason in its history, as does merging it into `other`. All or
    nothing."""
    today = timezone.localdate()
    locked = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("source")
        .get(pk=commitment.pk)
    )
    day = _day(source, effective_on, today)
    errors = _problems(locked, kind=kind, other=other, source=source, effective_on=day, today=today)
    if errors:
        raise ValidationError(errors)
    link = CommitmentLink(
        commitment=locked,
        kind=kind,
        other=other,
        source=source,
        effective_on=day,
        note=(note or "").strip(),
        created_by=by,
    )
    link.full_clean(exclude=["commitment", "other", "source", "created_by"])
    link.save()
    if kind in ONE_SUCCESSOR:
        _close(locked, link, by=by)
        commitment.superseded_on = locked.superseded_on
    return link


def _close(commitment: Commitment, link: CommitmentLink, *, by) -> None:
    """Close the superseded or merged commitment from the link's day, with the reason in
    its history (a review entry, its status unchanged, evidenced by the link's source)."""
    Commitment.objects.filter(pk=commitment.pk).update(
        superseded_on=link.effective_on, updated_at=timezone.now()
    )
    commitment.superseded_on = link.effective_on
    source = link.source
    kind, reliability = SOURCE_EVIDENCE[source.kind]
    record_status_update(
        commitment=commitment,
        status=commitment.status,
        progress=commitment.progress,
        by=by,
        rationale=f"{link.get_kind_display()} “{link.other.title}”, as {source.title} says; "
        f"closed from {link.effective_on:%-d %b %Y}.",
        effective_on=link.effective_on,
        new_evidence=[
            NewEvidence(
                title=source.title,
                url=source.url,
                published_on=source.date,
                kind=kind,
                reliability=reliability,
            )
        ],
        review=True,
        behind_latest=True,
    )
