"""One row of our columns -> a validated plan, or the reasons it cannot be imported.

A column that is absent leaves the existing value alone; a column that is present but
empty clears it (except status, which an empty cell leaves as it is)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..choices import (
    DeadlineChangeReason,
    EvidenceKind,
    PartyRole,
    Precision,
    Reliability,
    SourceKind,
    Status,
)
from ..formulas import unescape_formula
from ..models import Actor, Commitment, Evidence, Milestone, Source, StatusUpdate, Theme
from ..services.timing import check_recorded_at
from ..validators import control_character_problem, is_http_url, web_link
from . import fuzzy
from .columns import QUOTED, WITHHELD
from .mapping import Verbatim
from .options import DEFAULT_DATES, DateForms
from .parties import plan_party_assessments

TEXT_COLUMNS = ("title", "summary", "quote", "external_id")
# Our columns that are not the field of the same name.
FIELD_COLUMNS = {
    "announced_on": "announced",
    "announced_precision": "announced",
    "deadline_precision": "deadline",
}


def max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def model_problems(model, values: dict) -> list[tuple[str, str]]:
    """The model's own check of each field's value (length, choices, web links, characters
    it refuses): what the admin and the forms run, so a row is refused for what the
    database would refuse, never the file."""
    problems = []
    for name, value in values.items():
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            problems.extend((name, message) for message in error.messages)
    return problems


@dataclass
class SourceRef:
    title: str
    date: dt.date | None
    url: str
    precision: str = ""
    kind: str = ""  # a SourceKind key, when the row or the mapping gives one
    publisher: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.title.casefold(), self.url)


@dataclass
class RowPlan:
    line: int
    row: int | None = None  # the spreadsheet's row number, when the file has rows
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
    notes: list[str] = field(default_factory=list)  # lines for the analyst's notes
    parent: str | None = None
    milestones: list[dict] | None = None
    evidence: list[dict] | None = None
    history: list[dict] | None = None
    # Each party's own status and score (`importing.parties`): name → (status, score, since).
    party_assessments: dict[str, tuple] | None = None
    deadline_change_reason: str = ""
    deadline_change_note: str = ""
    # The dataset's own rating and the column it came from (`mapping.RATING`).
    rating: tuple[str, str] | None = None
    # The keys a series will know the row's commitment by (`matching.match_in_series`).
    series_keys: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    existing: object = None  # the matched Commitment, set by the importer
    parent_pending: bool = False  # its parent may come further down the file
    outcome: object = None  # what the import did with it (report.Outcome), once written

    def error(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))


def _text(row: dict, name: str) -> str | None:
    if name not in row or row[name] is None:
        return None
    if isinstance(row[name], Verbatim):
        return str(row[name])
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
        key = fuzzy.choice_key(DeadlineChangeReason, reason)
        if key is None:
            known = ", ".join(DeadlineChangeReason.values)
            plan.error(
                "deadline_change_reason",
                _("%(value)s is not a reason; use one of %(keys)s")
                % {"value": repr(reason), "keys": known},
            )
        plan.deadline_change_reason = key or ""
    plan.deadline_change_note = _text(row, "deadline_change_note") or ""


def plan_row(
    line: int,
    row: dict,
    *,
    shorten: list[str] = (),
    party_role: str = PartyRole.PARTNER,
    dates: dict[str, DateForms] | None = None,
) -> RowPlan:
    """`dates` gives, per date column of ours, how the file writes its dates (day order,
    fiscal year end, Excel serials)."""
    dates = dates or {}
    plan = RowPlan(line=line)
    for name, value in row.items():
        # A list's item is named as the row's other checks name it: evidence[2].
        items = enumerate(value, 1) if isinstance(value, list) else [(0, value)]
        for index, item in items:
            problem = control_character_problem(item)
            if problem:
                plan.error(f"{name}[{index}]" if index else name, problem)
                break
    if plan.errors:
        return plan
    for name in TEXT_COLUMNS:
        value = _text(row, name)
        if value is None:
            continue
        limit = max_length(Commitment, name)
        if name in shorten:
            value = _shorten(value, limit)
        if len(value) > limit:
            plan.error(
                name,
                _("is %(length)s characters long; the limit is %(limit)s")
                % {"length": len(value), "limit": limit},
            )
            continue
        if value and _refused(plan, name, Commitment, {name: value}):
            continue
        if name == "external_id":
            plan.external_id = value
        elif name == "title":
            plan.title = value
        if name != "external_id":
            plan.fields[name] = value
    if "title" in plan.fields and not plan.title:
        plan.error("title", _("is empty"))

    slug = _text(row, "slug")
    if slug:
        if slugify(slug) != slug or len(slug) > max_length(Commitment, "slug"):
            plan.error(
                "slug",
                _("%(value)s is not a slug (lowercase letters, digits and -)")
                % {"value": repr(slug)},
            )
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
            day, precision = parse(value, dates.get(column, DEFAULT_DATES))
        except ValueError as exc:
            plan.error(column, str(exc))
            continue
        precision_field = "announced_precision" if column == "announced" else "deadline_precision"
        plan.fields[date_field], plan.fields[precision_field] = day, precision
    for name, value in plan.fields.items():
        column = FIELD_COLUMNS.get(name, name)
        if name not in TEXT_COLUMNS and not any(c == column for c, _problem in plan.errors):
            _refused(plan, column, Commitment, {name: value})
    _plan_deadline_change(plan, row)
    announced, deadline = plan.fields.get("announced_on"), plan.fields.get("deadline")
    if announced and deadline and deadline < announced:
        plan.error("deadline", _("is before the announcement"))

    _plan_source(plan, row, dates.get("source_date", DEFAULT_DATES))

    themes = _text(row, "themes")
    if themes is not None:
        plan.themes = fuzzy.split_list(themes)
        limit = max_length(Theme, "name")
        for name in plan.themes:
            if len(name) > limit:
                plan.error(
                    "themes",
                    _("%(value)s… is longer than %(limit)s characters")
                    % {"value": repr(name[:40]), "limit": limit},
                )
            else:
                _refused(plan, "themes", Theme, {"name": name})
    parties = _text(row, "parties")
    if parties is not None:
        try:
            plan.parties = fuzzy.parse_parties(parties, party_role)
        except ValueError as exc:
            plan.error("parties", str(exc))
        limit = max_length(Actor, "name")
        for name, _role in plan.parties or []:
            if len(name) > limit:
                plan.error(
                    "parties",
                    _("%(value)s… is longer than %(limit)s characters")
                    % {"value": repr(name[:40]), "limit": limit},
                )
            else:
                _refused(plan, "parties", Actor, {"name": name})

    plan_party_assessments(plan, row)

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
            plan.effective = fuzzy.parse_since(effective, dates.get("effective", DEFAULT_DATES))
        except ValueError as exc:
            plan.error("effective", str(exc))
    _plan_withheld(plan, row.get(WITHHELD) or [])
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
                plan.error(name, _("must be a list of objects"))
                continue
            setattr(plan, name, [dict(item) for item in items])
    if plan.evidence is not None:
        _check_evidence(plan)
    if plan.milestones is not None:
        _check_milestones(plan, dates.get("deadline", DEFAULT_DATES))
    if plan.history is not None:
        _check_history(plan)
    return plan


def _not_a_text(key: str, value) -> str:
    """Why `value` at `key` is refused, as it is not a text."""
    if isinstance(value, bool):
        message = _("%(key)s must be a text, not true or false")
    elif isinstance(value, int | float):
        message = _("%(key)s must be a text, not a number")
    elif isinstance(value, list):
        message = _("%(key)s must be a text, not a list")
    elif isinstance(value, dict):
        message = _("%(key)s must be a text, not an object")
    else:
        message = _("%(key)s must be a text, not not a text")
    return message % {"key": key}


def _check_texts(plan: RowPlan, column: str, item: dict, keys: tuple[str, ...]) -> None:
    """The item's values at `keys` are texts (a missing one or null is empty)."""
    for key in keys:
        value = item.get(key)
        if value is None:
            item[key] = ""
        elif isinstance(value, str):
            item[key] = unescape_formula(value)
        else:
            plan.error(column, _not_a_text(key, value))
            item[key] = ""


def _moment(plan: RowPlan, column: str, key: str, value, *, what: str) -> dt.datetime | None:
    """A date-time as ISO text, with its time zone (the site's when it has none): one that
    the database can store, within the one window for every date entering the history
    (`services.timing.check_recorded_at`)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        plan.error(
            column,
            _("%(key)s must be an ISO date-time text such as 2025-09-30T14:00:00+00:00")
            % {"key": key},
        )
        return None
    shown = value if len(value) <= 40 else value[:37] + "…"
    try:
        moment = dt.datetime.fromisoformat(value.strip())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(dt.UTC)
    except ValueError:
        plan.error(
            column,
            _("%(key)s %(value)s is not an ISO date-time such as 2025-09-30T14:00:00+00:00")
            % {"key": key, "value": repr(shown)},
        )
        return None
    except OverflowError:
        plan.error(
            column,
            _("%(key)s %(value)s is outside the dates that can be stored")
            % {"key": key, "value": repr(shown)},
        )
        return None
    problem = check_recorded_at(moment, now=timezone.now(), what=what)
    if problem:
        plan.error(
            column,
            _("%(key)s %(value)s: %(problem)s")
            % {"key": key, "value": repr(shown), "problem": problem},
        )
        return None
    return moment


WITHHELD_NOTE_MAX = 1000


def withheld_note(column: str, text: str) -> str:
    """The note that keeps a withheld value's words: 'Deadline not given: Exempt under…'."""
    if len(text) > WITHHELD_NOTE_MAX:
        text = _shorten(text, WITHHELD_NOTE_MAX)
    return f"{column.replace('_', ' ').capitalize()} not given in the source: {text}"


def _plan_withheld(plan: RowPlan, withheld: list[tuple[str, str]]) -> None:
    """Cells the mapping recognises as withheld become notes, the value left empty."""
    plan.notes = [withheld_note(column, " ".join(text.split())) for column, text in withheld]
    if plan.notes:
        _refused(plan, withheld[0][0], Commitment, {"notes": "\n".join(plan.notes)})


def source_kind(text: str) -> str:
    """A source kind by key or label ("press_report", "Press report"); ValueError else."""
    key = fuzzy.choice_key(SourceKind, text)
    if key is not None:
        return key
    raise ValueError(
        _("%(value)s is not a source kind; use one of %(keys)s")
        % {"value": repr(text), "keys": ", ".join(SourceKind.values)}
    )


def _plan_source(plan: RowPlan, row: dict, forms: DateForms = DEFAULT_DATES) -> None:
    title = _text(row, "source")
    if title is None:
        return
    plan.source_given = True
    if not title:
        return
    limit = max_length(Source, "title")
    if len(title) > limit:
        plan.error("source", _("is longer than %(max)s characters") % {"max": limit})
        return
    if _refused(plan, "source", Source, {"title": title}):
        return
    date, precision = None, ""
    raw_date = _text(row, "source_date")
    if raw_date:
        try:
            date, precision = fuzzy.parse_period(raw_date, forms)
        except ValueError as exc:
            plan.error("source_date", str(exc))
    url = web_link(_text(row, "source_url") or "")
    if url and not is_http_url(url):
        plan.error(
            "source_url",
            _("%(value)s does not start with http:// or https://") % {"value": repr(url[:60])},
        )
        url = ""
    if len(url) > max_length(Source, "url"):
        plan.error(
            "source_url",
            _("is longer than %(max)s characters") % {"max": max_length(Source, "url")},
        )
        url = ""
    if url and _refused(plan, "source_url", Source, {"url": url}):
        url = ""
    kind = ""
    if _text(row, "source_kind"):
        try:
            kind = source_kind(_text(row, "source_kind"))
        except ValueError as exc:
            plan.error("source_kind", str(exc))
    publisher = _text(row, "source_publisher") or ""
    if len(publisher) > max_length(Source, "publisher"):
        plan.error(
            "source_publisher", f"is longer than {max_length(Source, 'publisher')} characters"
        )
        publisher = ""
    plan.source = SourceRef(
        title=title, date=date, url=url, precision=precision, kind=kind, publisher=publisher
    )


def _date_or_error(plan: RowPlan, column: str, value, *, required=False) -> dt.date | None:
    if value in (None, ""):
        if required:
            plan.error(column, _("is missing"))
        return None
    try:
        return fuzzy.parse_day(str(value))
    except ValueError as exc:
        plan.error(column, str(exc))
        return None


def _refused(plan: RowPlan, column: str, model, values: dict, *, named: bool = False) -> bool:
    """Whether the model refuses these values; its messages go under `column`, each after
    the field's name when `named` (an item's key)."""
    problems = model_problems(model, values)
    for name, message in problems:
        plan.error(column, f"{name}: {message}" if named else message)
    return bool(problems)


def _check_lengths(plan: RowPlan, column: str, item: dict, model, keys: tuple[str, ...]) -> None:
    """Lengths first, with the limit named; then the model's own checks of the rest."""
    checked = {}
    for key in keys:
        value = item.get(key) or ""
        limit = max_length(model, key)
        if limit is not None and len(value) > limit:
            plan.error(
                column,
                _("%(key)s is longer than %(max)s characters") % {"key": key, "max": limit},
            )
        elif value:
            checked[key] = value
    _refused(plan, column, model, checked, named=True)


def _check_evidence(plan: RowPlan) -> None:
    for n, item in enumerate(plan.evidence, start=1):
        column = f"evidence[{n}]"
        _check_texts(
            plan, column, item, ("title", "url", "publisher", "excerpt", "kind", "reliability")
        )
        if not item["title"].strip():
            plan.error(column, _("has no title"))
        item["url"] = web_link(item["url"])
        if item["url"] and not is_http_url(item["url"]):
            plan.error(column, _("url does not start with http:// or https://"))
            item["url"] = ""
        _check_lengths(plan, column, item, Evidence, ("title", "url", "publisher", "excerpt"))
        item["kind"] = item.get("kind") or EvidenceKind.NEWS_REPORT
        item["reliability"] = item.get("reliability") or Reliability.SECONDARY
        if item["kind"] not in EvidenceKind.values:
            plan.error(
                column,
                _("kind %(value)s is not one of %(keys)s")
                % {"value": repr(item["kind"]), "keys": ", ".join(EvidenceKind.values)},
            )
        if item["reliability"] not in Reliability.values:
            plan.error(
                column,
                _("reliability %(value)s is not known") % {"value": repr(item["reliability"])},
            )
        item["published_on"] = _date_or_error(plan, column, item.get("published_on"))
        item["added_at"] = _moment(
            plan, column, "added_at", item.get("added_at"), what=_("An evidence item")
        )


def _check_milestones(plan: RowPlan, forms: DateForms = DEFAULT_DATES) -> None:
    for n, item in enumerate(plan.milestones, start=1):
        column = f"milestones[{n}]"
        _check_texts(plan, column, item, ("title",))
        if not item["title"].strip():
            plan.error(column, _("has no title"))
        _check_lengths(plan, column, item, Milestone, ("title",))
        due = item.get("due")
        item["due_on"], item["due_precision"] = None, ""
        if due:
            try:
                item["due_on"], item["due_precision"] = fuzzy.parse_deadline(str(due), forms)
            except ValueError as exc:
                plan.error(column, str(exc))
        item["completed_on"] = _date_or_error(plan, column, item.get("completed_on"))
        order = item.get("order")
        if order in (None, ""):
            item["order"] = None
        elif isinstance(order, int) and 0 <= order <= 32767:
            item["order"] = order
        else:
            plan.error(
                column, _("order %(value)s is not a whole number from 0") % {"value": repr(order)}
            )
            item["order"] = None
        _check_evidence_refs(plan, column, item)


def _check_history(plan: RowPlan) -> None:
    for n, item in enumerate(plan.history, start=1):
        column = f"history[{n}]"
        _check_texts(
            plan,
            column,
            item,
            (
                "status",
                "previous_status",
                "effective_precision",
                "rationale",
                "recorded_by",
                "claimed_by",
            ),
        )
        for key in ("status", "previous_status"):
            value = item.get(key) or Status.NOT_RATED
            try:
                item[key] = fuzzy.parse_status(value)
            except ValueError as exc:
                plan.error(column, str(exc))
        item["effective_on"] = _date_or_error(plan, column, item.get("effective_on"), required=True)
        precision = item.get("effective_precision") or Precision.DAY
        if precision not in Precision.values:
            plan.error(
                column,
                _("effective_precision %(value)s is not known") % {"value": repr(precision)},
            )
        item["effective_precision"] = precision
        if not item["rationale"].strip():
            plan.error(column, _("has no rationale"))
        _check_lengths(plan, column, item, StatusUpdate, ("rationale",))
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
            plan.error(column, _("corrects must be the number of an earlier entry"))
        # Who and when the file says recorded the entry: kept as its claim, since the
        # entry is recorded by the importing user now.
        claimed_at = "claimed_at" if item.get("claimed_at") else "recorded_at"
        item["claimed_at"] = _moment(
            plan, column, claimed_at, item.get(claimed_at), what=_("An imported entry")
        )
        item["claimed_by"] = (item["claimed_by"] or item["recorded_by"]).strip()
        _check_lengths(plan, column, item, StatusUpdate, ("claimed_by",))
        _check_evidence_refs(plan, column, item)


def _check_evidence_refs(plan: RowPlan, column: str, item: dict) -> None:
    refs = item.get("evidence") or []
    available = len(plan.evidence or [])
    if not isinstance(refs, list) or not all(
        isinstance(r, int) and 1 <= r <= available for r in refs
    ):
        plan.error(
            column,
            _("evidence must list numbers of this commitment's evidence (1 to %(count)s)")
            % {"count": available},
        )
        item["evidence"] = []
    else:
        item["evidence"] = refs
