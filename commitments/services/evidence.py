"""Evidence items: recorded once, reused by every update and milestone they back.

An item is identified by its link and title: typing in a link and title that are
already recorded reuses that item instead of storing it twice (the database holds
the same rule as a unique constraint). Whatever an item backs, it is linked to that
commitment, so each commitment lists all the evidence about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..choices import EvidenceKind, Reliability
from ..models import CITED_EVIDENCE_MESSAGE, Commitment, Evidence
from ..validators import control_character_problem, http_url_validator, is_http_url
from .limits import EXCERPT_MAX, NEW_EVIDENCE_MAX
from .timing import check_recorded_at


@dataclass(frozen=True)
class NewEvidence:
    title: str
    url: str = ""
    publisher: str = ""
    published_on: dt.date | None = None
    excerpt: str = ""
    kind: str = EvidenceKind.NEWS_REPORT
    reliability: str = Reliability.SECONDARY


def check_new_evidence(items: list[NewEvidence], *, today: dt.date | None = None) -> None:
    """The rules for evidence typed in; raises ValidationError keyed `new_evidence`."""
    today = today or timezone.localdate()
    if len(items) > NEW_EVIDENCE_MAX:
        raise ValidationError(
            {
                "new_evidence": gettext("Add at most %(max)s new evidence items at a time.")
                % {"max": NEW_EVIDENCE_MAX}
            }
        )
    for item in items:
        problem = _problem(item, today)
        if problem:
            raise ValidationError({"new_evidence": problem})


def _problem(item: NewEvidence, today: dt.date) -> str | None:
    if not item.title.strip():
        return gettext("Each evidence item needs a title.")
    too_long = {
        "title": gettext("Keep an evidence item's title to at most %(limit)s characters."),
        "url": gettext("Keep an evidence item's url to at most %(limit)s characters."),
        "publisher": gettext("Keep an evidence item's publisher to at most %(limit)s characters."),
    }
    for name, message in too_long.items():
        limit = Evidence._meta.get_field(name).max_length
        if len(getattr(item, name).strip()) > limit:
            return message % {"limit": limit}
    if item.url:
        if not is_http_url(item.url):
            return gettext("Evidence links must start with http:// or https://.")
        try:
            http_url_validator(item.url.strip())
        except ValidationError as error:
            return " ".join(error.messages)
    unstorable = {
        "title": gettext("An evidence item's title %(problem)s."),
        "publisher": gettext("An evidence item's publisher %(problem)s."),
        "excerpt": gettext("An evidence item's excerpt %(problem)s."),
    }
    for name, message in unstorable.items():
        problem = control_character_problem(getattr(item, name))
        if problem:
            return message % {"problem": problem}
    if len(item.excerpt) > EXCERPT_MAX:
        return gettext("Keep excerpts under %(max)s characters.") % {"max": EXCERPT_MAX}
    if item.published_on and item.published_on > today:
        return gettext("A publication date cannot be in the future.")
    if item.kind not in EvidenceKind.values:
        return gettext("Unknown evidence kind %(kind)s.") % {"kind": repr(item.kind)}
    if item.reliability not in Reliability.values:
        return gettext("Unknown reliability %(reliability)s.") % {
            "reliability": repr(item.reliability)
        }
    return None


def existing_match(item: NewEvidence) -> Evidence | None:
    """The recorded item with the same link and title, if any (items without a link
    are never matched: a title alone does not identify a document)."""
    if not item.url:
        return None
    return Evidence.objects.filter(url=item.url.strip(), title=item.title.strip()).first()


def resolve(
    items: Iterable[NewEvidence],
    *,
    by: AbstractBaseUser | None,
    added_at: dt.datetime | None = None,
) -> list[Evidence]:
    """Each item as a stored Evidence: the recorded one with its link and title, or a
    new one. Call inside the caller's transaction, after `check_new_evidence`."""
    result = []
    for item in items:
        match = existing_match(item)
        if match is None:
            fields = {k: v.strip() if isinstance(v, str) else v for k, v in asdict(item).items()}
            match = Evidence(added_by=by, **fields)
            if added_at is not None:
                match.added_at = added_at
            match.full_clean()
            match.save()
        result.append(match)
    return result


def link(items: Iterable[Evidence], commitment: Commitment) -> None:
    """Make each item part of the commitment's evidence; one query however many."""
    through = Evidence.commitments.through
    through.objects.bulk_create(
        [through(evidence_id=item.pk, commitment_id=commitment.pk) for item in items],
        ignore_conflicts=True,
    )


@transaction.atomic
def record_evidence(
    *,
    item: NewEvidence,
    by: AbstractBaseUser | None,
    commitment: Commitment | None = None,
    added_at: dt.datetime | None = None,
) -> Evidence:
    """Record an evidence item without an update (the admin, an import's evidence
    list), as part of `commitment`'s evidence when one is given; an item already
    recorded with this link and title is reused."""
    check_new_evidence([item])
    problem = added_at and check_recorded_at(
        added_at, now=timezone.now(), what=gettext("An evidence item")
    )
    if problem:
        raise ValidationError({"added_at": problem})
    (evidence,) = resolve([item], by=by, added_at=added_at)
    if commitment is not None:
        link([evidence], commitment)
    return evidence


def check_not_cited(evidence: Evidence) -> None:
    """Evidence that backs a recorded update or a completed milestone is part of the
    history: it is neither changed nor deleted; a correction adds new evidence through a
    correcting update."""
    if evidence.is_cited():
        raise ValidationError(CITED_EVIDENCE_MESSAGE, code="cited")


@transaction.atomic
def change_evidence(*, evidence: Evidence, item: NewEvidence) -> Evidence:
    """Correct the details of an item nothing recorded cites yet (a typo in its title, a
    moved link); cited items are refused with `CITED_EVIDENCE_MESSAGE`."""
    check_new_evidence([item])
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    check_not_cited(locked)
    for name, value in asdict(item).items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    locked.save()
    return locked


def check_unlink(*, evidence: Evidence, commitment: Commitment) -> None:
    """An item stays part of a commitment's evidence while that commitment's history
    cites it."""
    cited = (
        evidence.status_updates.filter(commitment=commitment).exists()
        or evidence.milestones.filter(commitment=commitment, completed_on__isnull=False).exists()
    )
    if cited:
        raise ValidationError(
            gettext(
                "“%(evidence)s” stays part of the evidence of “%(commitment)s”: its history "
                "cites it."
            )
            % {"evidence": evidence.title, "commitment": commitment.title},
            code="cited",
        )
