"""Each party's own status and score in an import: the mapping's keys for them, the
`party_statuses` and `party_scores` columns, and the file-wide steps they need.

Mapping keys (all optional):

- `party_scores`: their column → the actor whose compliance score (-1, 0, +1) it holds,
  as the G7 and G20 Research Groups' files have one column per member;
- `party_statuses`: their column → the actor whose own status it holds (a status word
  the mapping's `status` table or our vocabulary knows);
- `score_statuses`: the status a score records when no status column gives one, e.g.
  `{"1": "achieved", "0": "partially_achieved", "-1": "broken"}`; needed with
  `party_scores` unless `party_statuses` is given;
- `score_values`: their own score tokens → the score each means (`-1`, `0`, `1`, or
  blank for not assessed), for a file that writes a score its own way: the G20 file's one
  `+` is a full compliance, as its row's average shows (`{"+": "1"}`);
- `repeated_ids`: `"number"` imports a row whose id the file used before as its own
  commitment, the id followed by `#2`, `#3`… in file order (the G7 file's `2001-xx`);
  without it such a row is refused;
- `untitled`: a title for a row with scores but no text, from their columns
  (`"G7 {year} commitment {id}"`); the summary says the title was made so.

Our columns: `party_statuses` (`Italy: achieved; Japan: in_progress since 2025`: a status
may say since when it holds, in any date form, else it is dated as the row's status is)
and `party_scores` (`Italy: 1; Japan: 0`). A blank cell, `-` and `NA` mean not assessed; a minus sign
(U+2212) reads as `-`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..choices import Compliance

PARTY_KEYS = (
    "party_scores",
    "party_statuses",
    "score_statuses",
    "score_values",
    "repeated_ids",
    "untitled",
)
NOT_ASSESSED = {"", "-", "na", "n/a"}
SCORE_WORDS = {"-1": -1, "0": 0, "1": 1, "+1": 1, "-1.0": -1, "0.0": 0, "1.0": 1}
UNTITLED_NOTE = "The file gives no text for this commitment: its title was made from its {fields}."


def _token(value) -> str:
    return " ".join(str(value if value is not None else "").split()).replace("\u2212", "-")


def parse_score(token: str) -> int | None:
    """A score as written (`1`, `+1`, `-1`, `0`), None for not assessed; ValueError
    otherwise."""
    text = _token(token)
    if text.casefold() in NOT_ASSESSED:
        return None
    if text in SCORE_WORDS:
        return SCORE_WORDS[text]
    raise ValueError(
        _("%(value)s is not a compliance score (-1, 0 or +1, or blank)") % {"value": repr(text)}
    )


def split_pairs(text: str) -> list[tuple[str, str]]:
    """`Italy: 1; Japan: 0` → [("Italy", "1"), ("Japan", "0")]; ValueError for a part
    without a name and a value."""
    pairs = []
    for part in str(text or "").split(";"):
        if not part.strip():
            continue
        name, colon, value = part.rpartition(":")
        if not colon or not name.strip():
            raise ValueError(_("%(value)s is not “party: value”") % {"value": repr(part.strip())})
        pairs.append((name.strip(), value.strip()))
    return pairs


@dataclass
class PartyColumns:
    scores: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    score_statuses: dict[int, str] = field(default_factory=dict)
    score_values: dict[str, str] = field(default_factory=dict)
    repeated_ids: str = ""
    untitled: str = ""

    @classmethod
    def from_dict(cls, data: dict, error: type[Exception]) -> PartyColumns:
        from .fuzzy import parse_status

        columns = cls(
            scores=dict(data.get("party_scores") or {}),
            statuses=dict(data.get("party_statuses") or {}),
            repeated_ids=data.get("repeated_ids", ""),
            untitled=data.get("untitled", ""),
        )
        for word, meaning in (data.get("score_values") or {}).items():
            try:
                parse_score(meaning)
            except ValueError as exc:
                raise error(
                    _("score_values: %(word)s means %(error)s.")
                    % {"word": repr(word), "error": exc}
                ) from exc
            columns.score_values[_token(word)] = _token(meaning)
        for word, status in (data.get("score_statuses") or {}).items():
            try:
                score = parse_score(word)
                if score is None:
                    raise ValueError(_("%(value)s is not a score") % {"value": repr(word)})
                columns.score_statuses[score] = parse_status(status)
            except ValueError as exc:
                raise error(_("score_statuses: %(error)s.") % {"error": exc}) from exc
        if columns.scores and not (columns.score_statuses or columns.statuses):
            raise error(
                _(
                    "party_scores needs score_statuses (the status each score records) or "
                    "party_statuses (their columns of each party's status)."
                )
            )
        if columns.repeated_ids not in ("", "number"):
            raise error(_('repeated_ids is "number" (or left out to refuse a repeated id).'))
        names = [
            name for _text, name, _spec, _conv in string.Formatter().parse(columns.untitled) if name
        ]
        if columns.untitled and not names:
            raise error(_("untitled names at least one of their columns, as {year}."))
        return columns

    def columns(self) -> list[str]:
        """Their columns these keys read."""
        return [*self.scores, *self.statuses]

    def apply(self, record: dict, row: dict) -> None:
        """Their record's per-party cells as our `party_scores` and `party_statuses`,
        and a made title for a row with scores and no text."""
        scores = [
            (actor, self.score_token(record.get(column)))
            for column, actor in self.scores.items()
            if self.score_token(record.get(column)).casefold() not in NOT_ASSESSED
        ]
        statuses = [
            (actor, _token(record.get(column)))
            for column, actor in self.statuses.items()
            if _token(record.get(column)).casefold() not in NOT_ASSESSED
        ]
        given = {actor for actor, _word in statuses}
        for actor, token in scores:
            try:
                score = parse_score(token)
            except ValueError:
                continue  # the row's plan names the bad score
            if actor not in given and score in self.score_statuses:
                statuses.append((actor, self.score_statuses[score]))
        if scores:
            row["party_scores"] = "; ".join(f"{actor}: {token}" for actor, token in scores)
        if statuses:
            row["party_statuses"] = "; ".join(f"{actor}: {text}" for actor, text in statuses)
        if self.untitled and scores and not str(row.get("title") or "").strip():
            self._make_title(record, row)

    def score_token(self, value) -> str:
        """Their score cell as a token we read: its meaning from `score_values` if the
        mapping gives one, else as written."""
        token = _token(value)
        return self.score_values.get(token, token)

    def _make_title(self, record: dict, row: dict) -> None:
        values = {str(k).strip(): _token(v) for k, v in record.items()}
        names = [
            name for _text, name, _spec, _conv in string.Formatter().parse(self.untitled) if name
        ]
        row["title"] = self.untitled.format_map({name: values.get(name, "") for name in names})
        if not str(row.get("summary") or "").strip():
            row["summary"] = UNTITLED_NOTE.format(fields=" and ".join(names))


def number_repeated_ids(plans, seen: dict[str, int]) -> None:
    """Give a row whose external id the file used before its own: `id#2`, `id#3`…, in
    file order, so importing the same file again finds the same commitments. `seen`
    counts the ids of the file's earlier rows (the importer reads it a chunk at a time)."""
    for plan in plans:
        if not plan.external_id:
            continue
        seen[plan.external_id] = seen.get(plan.external_id, 0) + 1
        if seen[plan.external_id] > 1:
            plan.external_id = f"{plan.external_id}#{seen[plan.external_id]}"


def plan_party_assessments(plan, row: dict) -> None:
    """The row's `party_statuses` and `party_scores` as `plan.party_assessments`
    (actor name → (status, score, since: (day, precision) or None)), or the plan's errors."""
    from .fuzzy import parse_status

    statuses_text = row.get("party_statuses")
    scores_text = row.get("party_scores")
    if statuses_text is None and scores_text is None:
        return
    from .fuzzy import parse_since

    assessments: dict[str, list] = {}
    try:
        for name, word in split_pairs(statuses_text or ""):
            word, _sep, since = word.partition(" since ")
            entry = assessments.setdefault(name, [None, None, None])
            entry[0] = parse_status(word.strip())
            if since.strip():
                entry[2] = parse_since(since.strip())
    except ValueError as exc:
        plan.error("party_statuses", str(exc))
    try:
        for name, token in split_pairs(scores_text or ""):
            score = parse_score(token)
            if score is not None:
                assessments.setdefault(name, [None, None, None])[1] = score
    except ValueError as exc:
        plan.error("party_scores", str(exc))
    parties = {name.casefold() for name, _role in plan.parties or []}
    for name, (status, score, _since) in assessments.items():
        if plan.parties is not None and name.casefold() not in parties:
            plan.error(
                "party_statuses", _("%(name)s is not one of the row's parties") % {"name": name}
            )
        if score is not None and status is None:
            plan.error("party_scores", _("%(name)s has a score but no status") % {"name": name})
        if score is not None and score not in Compliance.values:
            plan.error(
                "party_scores",
                _("%(name)s's score %(score)s is not -1, 0 or +1") % {"name": name, "score": score},
            )
    plan.party_assessments = {name: tuple(values) for name, values in assessments.items()}
