"""One row of our columns -> a validated plan, or the reasons it cannot be imported.

A column that is absent leaves the existing value alone; a column that is present but
empty clears it (except status, which an empty cell leaves as it is)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.text import slugify

from ..choices import DeadlineChangeReason, EvidenceKind, PartyRole, Precision, Reliability, Status
from ..validators import is_http_url
from . import fuzzy
from .columns import QUOTED

MAX_LENGTHS = {"title": 300, "summary": 5000, "quote": 5000, "external_id": 120}


@dataclass
class SourceRef:
    title: str
    date: dt.date | None
    url: str
    precision: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.title.casefold(), self.url)


@dataclass
class RowPlan:
    line: int
    title: str = ""
    slug: str = ""
    external_id: str = ""
    fields: dict = field(default_factory=dict)  # scalar model fields that were given
    source: SourceRef | None = None
    source_given: bool = False
    themes: list[str] | None = None
    parties: list[tuple[str, str]] | None = None
    status: str | None = None
    progress: int | None = None
    progress_given: bool = False
    effective: tuple[dt.date, str] | None = None  # when the row's status became true
    quoted: str = ""  # the dataset's own words for the rating (the mapping's evidence columns)
    parent: str | None = None
    milestones: list[dict] | None = None
    evidence: list[dict] | None = None
    history: list[dict] | None = None
    deadline_change_reason: str = ""
    deadline_change_note: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)
    existing: object = None  # the matched Commitment, set by the importer

    def error(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))


def _text(row: dict, name: str) -> str | None:
    if name not in row or row[name] is None:
        return None
    return str(row[name]).strip()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _plan_deadline_change(plan: RowPlan, row: dict) -> None:
    """The reason (a key or its label) and note for moving an existing deadline; the
    writer asks for them only when the row does move one."""
    reason = _text(row, "deadline_change_reason") or ""
    if reason:
        keys = {label.casefold(): key for key, label in DeadlineChangeReason.choices}
        key = reason if reason in DeadlineChangeReason.values else keys.get(reason.casefold())
        if key is None:
            known = ", ".join(DeadlineChangeReason.values)
            plan.error("deadline_change_reason", f"{reason!r} is not a reason; use one of {known}")
        plan.deadline_change_reason = key or ""
    plan.deadline_change_note = _text(row, "deadline_change_note") or ""


def plan_row(
    line: int, row: dict, *, shorten: list[str] = (), party_role: str = PartyRole.PARTNER
) -> RowPlan:
    plan = RowPlan(line=line)
    for name, value in row.items():
        if _has_nul(value):
            plan.error(name, "contains a NUL character, which cannot be stored")
    if plan.errors:
        return plan
    for name in ("title", "summary", "quote", "external_id"):
        value = _text(row, name)
        if value is None:
            continue
        if name in shorten:
            value = _shorten(value, MAX_LENGTHS[name])
        if len(value) > MAX_LENGTHS[name]:
            plan.error(name, f"is {len(value)} characters long; the limit is {MAX_LENGTHS[name]}")
            continue
        if name == "external_id":
            plan.external_id = value
        elif name == "title":
            plan.title = value
        if name != "external_id":
            plan.fields[name] = value
    if "title" in plan.fields and not plan.title:
        plan.error("title", "is empty")

    slug = _text(row, "slug")
    if slug:
        if slugify(slug) != slug or len(slug) > 80:
            plan.error("slug", f"{slug!r} is not a slug (lowercase letters, digits and -)")
        plan.slug = slug

    kind = _text(row, "kind")
    if kind:
        try:
            plan.fields["kind"] = fuzzy.parse_kind(kind)
        except ValueError as exc:
            plan.error("kind", str(exc))

    for column, parse, date_field in (
        ("announced", fuzzy.parse_since, "announced_on"),
        ("deadline", fuzzy.parse_deadline, "deadline"),
    ):
        value = _text(row, column)
        if value is None:
            continue
        if not value:
            plan.fields[date_field], plan.fields[f"{date_field.split('_on')[0]}_precision"] = (
                None,
                "",
            )
            continue
        try:
            day, precision = parse(value)
        except ValueError as exc:
            plan.error(column, str(exc))
            continue
        precision_field = "announced_precision" if column == "announced" else "deadline_precision"
        plan.fields[date_field], plan.fields[precision_field] = day, precision
    _plan_deadline_change(plan, row)
    announced, deadline = plan.fields.get("announced_on"), plan.fields.get("deadline")
    if announced and deadline and deadline < announced:
        plan.error("deadline", "is before the announcement")

    _plan_source(plan, row)

    themes = _text(row, "themes")
    if themes is not None:
        plan.themes = fuzzy.split_list(themes)
        for name in plan.themes:
            if len(name) > 120:
                plan.error("themes", f"{name[:40]!r}… is longer than 120 characters")
    parties = _text(row, "parties")
    if parties is not None:
        try:
            plan.parties = fuzzy.parse_parties(parties, party_role)
        except ValueError as exc:
            plan.error("parties", str(exc))
        for name, _role in plan.parties or []:
            if len(name) > 200:
                plan.error("parties", f"{name[:40]!r}… is longer than 200 characters")

    status = _text(row, "status")
    if status:
        try:
            plan.status = fuzzy.parse_status(status)
        except ValueError as exc:
            plan.error("status", str(exc))
    progress = _text(row, "progress")
    if progress is not None:
        plan.progress_given = True
        if progress:
            try:
                plan.progress = fuzzy.parse_progress(progress)
            except ValueError as exc:
                plan.error("progress", str(exc))

    effective = _text(row, "effective")
    if effective:
        try:
            plan.effective = fuzzy.parse_since(effective)
        except ValueError as exc:
            plan.error("effective", str(exc))
    quoted = _text(row, QUOTED)
    if quoted:
        plan.quoted = quoted
    elif status:
        plan.quoted = f"status: {status}"

    parent = _text(row, "parent")
    if parent is not None:
        plan.parent = parent

    for name in ("milestones", "evidence", "history"):
        if name in row and row[name] is not None:
            items = row[name]
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                plan.error(name, "must be a list of objects")
                continue
            setattr(plan, name, [dict(item) for item in items])
    if plan.evidence is not None:
        _check_evidence(plan)
    if plan.milestones is not None:
        _check_milestones(plan)
    if plan.history is not None:
        _check_history(plan)
    return plan


def _has_nul(value) -> bool:
    """A NUL character anywhere in a value, nested lists included (JSON can write \\u0000)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _plan_source(plan: RowPlan, row: dict) -> None:
    title = _text(row, "source")
    if title is None:
        return
    plan.source_given = True
    if not title:
        return
    if len(title) > 300:
        plan.error("source", "is longer than 300 characters")
        return
    date, precision = None, ""
    raw_date = _text(row, "source_date")
    if raw_date:
        try:
            date, precision = fuzzy.parse_period(raw_date)
        except ValueError as exc:
            plan.error("source_date", str(exc))
    url = _text(row, "source_url") or ""
    if url and not is_http_url(url):
        plan.error("source_url", f"{url[:60]!r} does not start with http:// or https://")
        url = ""
    if len(url) > 500:
        plan.error("source_url", "is longer than 500 characters")
        url = ""
    plan.source = SourceRef(title=title, date=date, url=url, precision=precision)


def _date_or_error(plan: RowPlan, column: str, value, *, required=False) -> dt.date | None:
    if value in (None, ""):
        if required:
            plan.error(column, "is missing")
        return None
    try:
        return fuzzy.parse_day(str(value))
    except ValueError as exc:
        plan.error(column, str(exc))
        return None


def _check_lengths(plan: RowPlan, column: str, item: dict, limits: dict[str, int]) -> None:
    for key, limit in limits.items():
        if len(str(item.get(key) or "")) > limit:
            plan.error(column, f"{key} is longer than {limit} characters")


def _check_evidence(plan: RowPlan) -> None:
    for n, item in enumerate(plan.evidence, start=1):
        column = f"evidence[{n}]"
        if not str(item.get("title") or "").strip():
            plan.error(column, "has no title")
        if item.get("url") and not is_http_url(item["url"]):
            plan.error(column, "url does not start with http:// or https://")
        _check_lengths(plan, column, item, {"title": 300, "url": 500, "publisher": 200})
        item["kind"] = item.get("kind") or EvidenceKind.NEWS_REPORT
        item["reliability"] = item.get("reliability") or Reliability.SECONDARY
        if item["kind"] not in EvidenceKind.values:
            plan.error(
                column, f"kind {item['kind']!r} is not one of {', '.join(EvidenceKind.values)}"
            )
        if item["reliability"] not in Reliability.values:
            plan.error(column, f"reliability {item['reliability']!r} is not known")
        item["published_on"] = _date_or_error(plan, column, item.get("published_on"))


def _check_milestones(plan: RowPlan) -> None:
    for n, item in enumerate(plan.milestones, start=1):
        column = f"milestones[{n}]"
        if not str(item.get("title") or "").strip():
            plan.error(column, "has no title")
        _check_lengths(plan, column, item, {"title": 300})
        due = item.get("due")
        item["due_on"], item["due_precision"] = None, ""
        if due:
            try:
                item["due_on"], item["due_precision"] = fuzzy.parse_deadline(str(due))
            except ValueError as exc:
                plan.error(column, str(exc))
        item["completed_on"] = _date_or_error(plan, column, item.get("completed_on"))
        order = item.get("order")
        if order in (None, ""):
            item["order"] = None
        elif isinstance(order, int) and 0 <= order <= 32767:
            item["order"] = order
        else:
            plan.error(column, f"order {order!r} is not a whole number from 0")
            item["order"] = None
        _check_evidence_refs(plan, column, item)


def _check_history(plan: RowPlan) -> None:
    for n, item in enumerate(plan.history, start=1):
        column = f"history[{n}]"
        for key in ("status", "previous_status"):
            value = item.get(key) or Status.NOT_RATED
            try:
                item[key] = fuzzy.parse_status(value)
            except ValueError as exc:
                plan.error(column, str(exc))
        item["effective_on"] = _date_or_error(plan, column, item.get("effective_on"), required=True)
        precision = item.get("effective_precision") or Precision.DAY
        if precision not in Precision.values:
            plan.error(column, f"effective_precision {precision!r} is not known")
        item["effective_precision"] = precision
        if not str(item.get("rationale") or "").strip():
            plan.error(column, "has no rationale")
        if item.get("progress") not in (None, ""):
            try:
                item["progress"] = fuzzy.parse_progress(item["progress"])
            except ValueError as exc:
                plan.error(column, str(exc))
        else:
            item["progress"] = None
        item["review"] = bool(item.get("review"))
        corrects = item.get("corrects")
        if corrects is not None and (not isinstance(corrects, int) or not 1 <= corrects < n):
            plan.error(column, "corrects must be the number of an earlier entry")
        recorded_at = item.get("recorded_at")
        if recorded_at:
            try:
                item["recorded_at"] = dt.datetime.fromisoformat(str(recorded_at))
            except ValueError:
                plan.error(column, f"recorded_at {recorded_at!r} is not an ISO date-time")
        _check_evidence_refs(plan, column, item)


def _check_evidence_refs(plan: RowPlan, column: str, item: dict) -> None:
    refs = item.get("evidence") or []
    available = len(plan.evidence or [])
    if not isinstance(refs, list) or not all(
        isinstance(r, int) and 1 <= r <= available for r in refs
    ):
        plan.error(
            column, f"evidence must list numbers of this commitment's evidence (1 to {available})"
        )
        item["evidence"] = []
    else:
        item["evidence"] = refs
