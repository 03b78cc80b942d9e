"""A commitment's languages in import and export files.

Columns: `language` (the original's: en, it or ja; English when a new row gives none),
and for each language `title_<code>`, `summary_<code>`, `quote_<code>` and
`translated_by_<code>` (`title_it`, `quote_ja`, …): a translation of the row's own
title, summary and quote. A row that gives none of a language's columns leaves that
translation as it is. A translation needs its title; without `translated_by_<code>` it
is credited to the file ("Imported from their.csv"). Columns in the original's own
language are the original's words: they may repeat `title`, never differ from it.

The importer checks a row's columns with `read_row` when it plans the row, refuses
what would break a rule with `check_against_original` once the row is matched, and
writes through `services.translations` once the row is written (`write`), in the same
transaction, so an import stays all or nothing. `export_cells` writes the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..content_languages import CONTENT_LANGUAGES, ORIGINAL_DEFAULT, TRANSLATED_PARTS, normalise
from ..models import Commitment, CommitmentText
from ..services.translations import TEXT_MAX, TITLE_MAX, TRANSLATOR_MAX, set_translation
from .report import ImportResult
from .rows import RowPlan

LIMITS = {
    "title": TITLE_MAX,
    "summary": TEXT_MAX,
    "quote": TEXT_MAX,
    "translated_by": TRANSLATOR_MAX,
}


@dataclass
class RowTexts:
    """What one row says about its languages."""

    language: str | None = None  # the original's, when the row gives it
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> part -> text
    original: dict[str, str] = field(default_factory=dict)  # the row's title, summary, quote


def _cell(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def read_row(plan: RowPlan, row: dict) -> RowTexts | None:
    """The row's language columns, checked on their own; problems go to `plan`'s errors.
    None when the row has none of them."""
    language_cell = _cell(row, "language")
    given = {
        code: {part: _cell(row, f"{part}_{code}") for part in LIMITS} for code in CONTENT_LANGUAGES
    }
    given = {code: parts for code, parts in given.items() if any(parts.values())}
    if not language_cell and not given:
        return None
    texts = RowTexts(original={name: _cell(row, name) for name in ("title", "summary", "quote")})
    if language_cell:
        texts.language = normalise(language_cell)
        if texts.language is None:
            plan.error(
                "language",
                _("“%(code)s” is not a language of the tracker: use en, it or ja.")
                % {"code": language_cell[:20]},
            )
    for code, parts in given.items():
        if not parts["title"]:
            plan.error(
                f"title_{code}",
                _("a translation needs its title: give title_%(code)s too") % {"code": code},
            )
        for part, text in parts.items():
            if len(text) > LIMITS[part]:
                plan.error(
                    f"{part}_{code}",
                    _("is longer than %(max)s characters") % {"max": LIMITS[part]},
                )
    texts.texts = given
    return texts


def check_against_original(plan: RowPlan, texts: RowTexts) -> None:
    """Once the row is matched: columns in the original's own language must repeat the
    original, not replace it; a translation is never left without an original."""
    existing = plan.existing
    original = texts.language or (existing.language if existing else ORIGINAL_DEFAULT)
    if existing is None and not texts.original["title"] and texts.texts:
        plan.error("title", _("a translation needs an original: give the row's title"))
    if original in texts.texts:
        mine = texts.texts[original]
        for part in ("title", "summary", "quote"):
            own = texts.original[part] or (getattr(existing, part) if existing else "")
            if mine[part] and mine[part] != own:
                plan.error(
                    f"{part}_{original}",
                    _(
                        "%(code)s is this commitment's original language: its words go in "
                        "%(part)s, not in %(part)s_%(code)s"
                    )
                    % {"code": original, "part": part},
                )


def write(
    plans: list[RowPlan], pending: dict[int, RowTexts], result: ImportResult, *, by, file: str
) -> None:
    """Write the languages of the rows just written (those with an outcome)."""
    written = [(plan, pending[id(plan)]) for plan in plans if id(plan) in pending and plan.outcome]
    if not written:
        return
    commitments = Commitment.objects.in_bulk(
        [plan.outcome.slug for plan, _texts in written], field_name="slug"
    )
    current = {
        (text.commitment_id, text.language): text
        for text in CommitmentText.objects.filter(commitment__in=commitments.values())
    }
    for plan, texts in written:
        commitment = commitments[plan.outcome.slug]
        changed = False
        if texts.language and texts.language != commitment.language:
            commitment.language = texts.language
            commitment.save(update_fields=["language", "updated_at"])
            changed = True
        for code, parts in texts.texts.items():
            if code == commitment.language:
                continue  # the original's own words, checked to repeat it
            before = current.get((commitment.pk, code))
            translator = parts["translated_by"] or (
                before.translated_by if before else f"Imported from {file}"
            )
            values = {
                "title": parts["title"],
                "summary": parts["summary"],
                "quote": parts["quote"],
                "translated_by": translator,
            }
            if before and all(getattr(before, k) == v for k, v in values.items()):
                continue
            set_translation(commitment=commitment, language=code, by=by, **values)
            changed = True
        if changed:
            _count_as_changed(plan, result)


def _count_as_changed(plan: RowPlan, result: ImportResult) -> None:
    outcome = plan.outcome
    if plan.existing is None or "translations" in outcome.changes:
        return  # a new row: created, with its languages
    if not outcome.changes:
        result.unchanged.discard(outcome)
        result.updated.append(outcome)
    outcome.changes.append("translations")


def export_cells(language: str, texts: list[list[str]]) -> dict[str, str]:
    """The row's `language` and every translation's columns, from the translations as
    rows of (language, title, summary, quote, translated_by)."""
    cells = {"language": language}
    by_code = {row[0]: dict(zip(TRANSLATED_PARTS, row[1:], strict=True)) for row in texts}
    for code in CONTENT_LANGUAGES:
        text = by_code.get(code, {})
        for part in LIMITS:
            cells[f"{part}_{code}"] = text.get(part) or ""
    return cells
