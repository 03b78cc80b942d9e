"""How a spreadsheet from elsewhere maps onto our columns, read from a JSON file:

    {
      "encoding": "cp1252",             # default utf-8 (a BOM is always accepted)
      "encoding_errors": "replace",     # invalid bytes become U+FFFD instead of stopping
      "delimiter": ";",                 # default ","
      "columns": {"Project name": "title", "Commitment": ["title", "summary"]},
      "status": {"Green": "in_progress", "Exempt under Section*": "not_rated"},
      "values": {"parties": {"-LAEDr85": "Abang Johari"}},
      "split": {"themes": "/"},
      "prefix": {"external_id": "g7:"},
      "defaults": {"parties": "G7:lead", "source": "G7 summit communiqués"},
      "party_columns": {"canada": "Canada", "france": "France"},
      "party_role": "lead",
      "party_roles": {"Reporting Lead": "lead"},   # their column whose actors have this role
      "shorten": ["title"],
      "unescape": true,                 # literal \\u2019 in cells becomes ’
      "records": "object",              # JSON: an object keyed by id, the key is external_id
      "evidence_columns": ["colour_rating", "rating_comment"],  # their words for a rating
      "evidence_kind": "dataset", "evidence_reliability": "primary",
      "not_given": {"deadline": ["^Exempt under", "^TBD$"]},  # withheld: no value, a note
      "party_scores": {"canada": "Canada"},     # their column of a party's -1/0/+1 score
      "party_statuses": {"ca_status": "Canada"},  # their column of a party's own status
      "score_statuses": {"1": "achieved", "0": "partially_achieved", "-1": "broken"},
      "score_values": {"+": "1"},      # their own score tokens and the score each means
      "repeated_ids": "number",         # an id met again gets #2, #3… instead of a refusal
      "untitled": "G7 {year} commitment {id}",  # a title for rows without one, marked as such
      "transposed": true,               # CSV: one row per field, one column per record
      "series": "uk-gmpp",              # rows without an id match by title within the series
      "rating_columns": {"colour_rating": "IPA", "colour_rating#2": "SRO"},  # whose rating
      "id_upper": true,                 # external ids compared in capitals ("MoD_1" is "MOD_1")
      "id_replace": {"^DOH_": "DH_"},   # external ids rewritten (pattern -> replacement)
      "series_aliases": {"PUMA": "Puma Helicopter Life Extension Programme"}  # renamed: its
                                        # title here -> a title the series knew it by
    }

Every key is optional. See docs/import.md for the full description.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import EvidenceKind, PartyRole, Reliability
from ..formulas import unescape_formula
from .columns import COLUMNS, IMPORT_ONLY, NESTED, QUOTED, WITHHELD
from .options import FILE_KEYS, FILE_SHAPES, FileOptions
from .parties import PARTY_KEYS, PartyColumns, split_pairs

KNOWN_KEYS = {
    "encoding",
    "encoding_errors",
    "delimiter",
    "columns",
    "status",
    "values",
    "split",
    "prefix",
    "defaults",
    "party_columns",
    "party_role",
    "party_roles",
    "shorten",
    "unescape",
    "records",
    "description",
    "evidence_columns",
    "evidence_kind",
    "evidence_reliability",
    "not_given",
    "transposed",
    "series",
    "rating_columns",
    "id_upper",
    "id_replace",
    "series_aliases",
    *PARTY_KEYS,
    *FILE_KEYS,
}

# Patterns of `not_given` are kept short and searched in a cell's first characters only.
NOT_GIVEN_PATTERN_MAX = 200
NOT_GIVEN_SEARCHED = 300
# A series name is kept on each commitment it imports (`Commitment.series`).
SERIES_MAX = 80


# Not a column of files: which of their columns gave the status, named as the mapping's
# `rating_columns` do, and its words before `status` mapped them: (column, words).
RATING = "__rating__"


def _series_aliases(data: dict) -> dict[str, str]:
    from .matching import title_key

    aliases = data.get("series_aliases") or {}
    if aliases and not (data.get("series") or "").strip():
        raise MappingError(_("series_aliases name titles of a series: give the series too."))
    keys = {}
    for title, known_as in aliases.items():
        key, known = title_key(title), title_key(known_as)
        if not key or not known or key == known:
            raise MappingError(
                _("series_aliases: %(title)s -> %(known)s names no other title.")
                % {"title": repr(title), "known": repr(known_as)}
            )
        keys[key] = known
    return keys


class Verbatim(str):
    """A cell's text exactly as the file gives it: not trimmed or otherwise cleaned."""


class MappingError(ValueError):
    """The mapping file itself is wrong: stops the import before any row is read."""


# What each key holds: "text", "yes/no", "texts" (a list of texts), "table" (an object of
# texts), "tables" (an object of tables), "targets" (an object of a text or texts).
SHAPES = {
    "encoding": "text",
    "encoding_errors": "text",
    "delimiter": "text",
    "columns": "targets",
    "status": "table",
    "values": "tables",
    "split": "table",
    "prefix": "table",
    "defaults": "scalars",
    "party_columns": "table",
    "party_role": "text",
    "party_roles": "table",
    "shorten": "texts",
    "unescape": "yes/no",
    "records": "text",
    "description": "text",
    "evidence_columns": "texts",
    "evidence_kind": "text",
    "evidence_reliability": "text",
    "not_given": "patterns",
    "party_scores": "table",
    "party_statuses": "table",
    "score_statuses": "table",
    "score_values": "table",
    "repeated_ids": "text",
    "untitled": "text",
    "transposed": "yes/no",
    "series": "text",
    "rating_columns": "table",
    "id_upper": "yes/no",
    "id_replace": "table",
    "series_aliases": "table",
    **FILE_SHAPES,
}

# What a key of each shape must hold, said whole: the key and the value given fill it in.
_SHAPE_MESSAGES = {
    "text": gettext_lazy("%(key)s must be a text, not %(value)s."),
    "yes/no": gettext_lazy("%(key)s must be true or false, not %(value)s."),
    "texts": gettext_lazy("%(key)s must be a list of texts, not %(value)s."),
    "table": gettext_lazy("%(key)s must be an object whose values are texts, not %(value)s."),
    "scalars": gettext_lazy(
        "%(key)s must be an object whose values are texts or numbers, not %(value)s."
    ),
    "tables": gettext_lazy(
        "%(key)s must be an object of objects whose values are texts, not %(value)s."
    ),
    "targets": gettext_lazy(
        "%(key)s must be an object whose values are one of our columns or a list of them, "
        "not %(value)s."
    ),
    "patterns": gettext_lazy(
        "%(key)s must be an object whose values are lists of patterns, not %(value)s."
    ),
    "number": gettext_lazy("%(key)s must be a whole number, not %(value)s."),
}


def _is_text(value) -> bool:
    return isinstance(value, str)


def _fits(shape: str, value) -> bool:
    if shape == "text":
        return _is_text(value)
    if shape == "yes/no":
        return isinstance(value, bool)
    if shape == "texts":
        return isinstance(value, list) and all(_is_text(v) for v in value)
    if shape == "number":
        return isinstance(value, int) and not isinstance(value, bool)
    if not isinstance(value, dict):
        return False
    if shape == "table":
        return all(_is_text(v) for v in value.values())
    if shape == "scalars":
        return all(isinstance(v, str | int | float) for v in value.values())
    if shape == "tables":
        return all(_fits("table", v) for v in value.values())
    if shape == "patterns":
        return all(_fits("texts", v) for v in value.values())
    return all(_is_text(v) or _fits("texts", v) for v in value.values())  # targets


def _described(value) -> str:
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def check_shapes(data: dict) -> None:
    """Each key holds what it should, before anything reads it."""
    for key, value in data.items():
        shape = SHAPES[key]
        if value is None and shape != "text":
            continue
        if not _fits(shape, value):
            raise MappingError(
                str(_SHAPE_MESSAGES[shape]) % {"key": key, "value": _described(value)}
            )


def shown_text(text: str) -> str:
    """Text fit to show on a page: characters that UTF-8 cannot carry (lone surrogates)
    are written as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def parse_json(text: str):
    """A mapping's JSON, or a MappingError that says why it cannot be read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError(_("The mapping is not valid JSON: %(error)s") % {"error": exc}) from None
    except RecursionError:
        raise MappingError(_("The mapping is nested too deeply to be a mapping.")) from None


def _normal_key(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


@dataclass
class Mapping:
    encoding: str = "utf-8"
    encoding_errors: str = "strict"
    delimiter: str = ","
    columns: dict[str, list[str]] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    split: dict[str, str] = field(default_factory=dict)
    prefix: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    party_columns: dict[str, str] = field(default_factory=dict)
    party_role: str = PartyRole.PARTNER
    party_roles: dict[str, str] = field(default_factory=dict)
    shorten: list[str] = field(default_factory=list)
    unescape: bool = False
    records: str = "list"
    evidence_columns: list[str] = field(default_factory=list)
    evidence_kind: str = EvidenceKind.DATASET
    evidence_reliability: str = Reliability.SECONDARY
    not_given: dict[str, list[re.Pattern]] = field(default_factory=dict)
    parties: PartyColumns = field(default_factory=PartyColumns)
    transposed: bool = False
    series: str = ""
    rating_columns: dict[str, str] = field(default_factory=dict)
    id_upper: bool = False
    id_replace: list[tuple[re.Pattern, str]] = field(default_factory=list)
    # A renamed project's title in this file -> a title the series knew it by (both as
    # `matching.title_key` compares them).
    series_aliases: dict[str, str] = field(default_factory=dict)
    file: FileOptions = field(default_factory=FileOptions)

    @classmethod
    def from_dict(cls, data: dict) -> Mapping:
        if not isinstance(data, dict):
            raise MappingError(_("A mapping is a JSON object."))
        unknown = set(data) - KNOWN_KEYS
        if unknown:
            shown = ", ".join(shown_text(key) for key in sorted(unknown))
            raise MappingError(_("Unknown mapping keys: %(keys)s.") % {"keys": shown})
        check_shapes(data)
        ours = set(COLUMNS) | set(NESTED) | set(IMPORT_ONLY)
        columns: dict[str, list[str]] = {}
        for theirs, target in (data.get("columns") or {}).items():
            targets = [target] if isinstance(target, str) else list(target)
            for name in targets:
                if name not in ours:
                    raise MappingError(
                        _("Column %(theirs)s maps onto %(name)s, not one of ours.")
                        % {"theirs": repr(theirs), "name": repr(name)}
                    )
            columns[theirs] = targets
        for section in ("values", "split", "prefix", "defaults", "not_given"):
            for name in data.get(section) or {}:
                if name not in ours:
                    raise MappingError(
                        _("%(section)s: %(name)s is not one of our columns.")
                        % {"section": section, "name": repr(name)}
                    )
        mapping = cls(
            encoding=data.get("encoding", "utf-8"),
            encoding_errors=data.get("encoding_errors", "strict"),
            delimiter=data.get("delimiter", ","),
            columns=columns,
            status={_normal_key(k): v for k, v in (data.get("status") or {}).items()},
            values={
                name: {_normal_key(k): v for k, v in table.items()}
                for name, table in (data.get("values") or {}).items()
            },
            split=dict(data.get("split") or {}),
            prefix=dict(data.get("prefix") or {}),
            defaults={k: str(v) for k, v in (data.get("defaults") or {}).items()},
            party_columns=dict(data.get("party_columns") or {}),
            party_role=data.get("party_role", PartyRole.PARTNER),
            party_roles=dict(data.get("party_roles") or {}),
            shorten=list(data.get("shorten") or []),
            unescape=bool(data.get("unescape", False)),
            records=data.get("records", "list"),
            evidence_columns=list(data.get("evidence_columns") or []),
            evidence_kind=data.get("evidence_kind", EvidenceKind.DATASET),
            evidence_reliability=data.get("evidence_reliability", Reliability.SECONDARY),
            not_given={
                name: [_pattern(name, text) for text in patterns]
                for name, patterns in (data.get("not_given") or {}).items()
            },
            parties=PartyColumns.from_dict(data, MappingError),
            transposed=bool(data.get("transposed", False)),
            series=(data.get("series") or "").strip(),
            rating_columns=dict(data.get("rating_columns") or {}),
            id_upper=bool(data.get("id_upper", False)),
            id_replace=[
                (_pattern("external_id", pattern, "id_replace"), replacement)
                for pattern, replacement in (data.get("id_replace") or {}).items()
            ],
            series_aliases=_series_aliases(data),
            file=FileOptions.from_dict(data, MappingError),
        )
        mapping.check()
        return mapping

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise MappingError(
                _("Cannot read the mapping %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from exc
        return cls.from_dict(parse_json(text))

    def check(self) -> None:
        from .fuzzy import parse_role, parse_status

        try:
            codec = codecs.lookup(self.encoding)
        except LookupError as exc:
            raise MappingError(
                _("Unknown encoding %(encoding)s.") % {"encoding": repr(self.encoding)}
            ) from exc
        if not codec._is_text_encoding or codec.name == "undefined":
            raise MappingError(
                _("%(encoding)s is not a text encoding; name one such as utf-8 or cp1252.")
                % {"encoding": repr(self.encoding)}
            )
        if self.encoding_errors not in ("strict", "replace"):
            raise MappingError(_('encoding_errors is "strict" or "replace".'))
        if len(self.delimiter) != 1:
            raise MappingError(_("The delimiter is a single character, such as ; or ,."))
        if len(self.series) > SERIES_MAX:
            raise MappingError(_("series is at most %(max)s characters.") % {"max": SERIES_MAX})
        if self.records not in ("list", "object"):
            raise MappingError(_('records is "list" or "object".'))
        if self.evidence_kind not in EvidenceKind.values:
            raise MappingError(
                _("evidence_kind is one of %(keys)s, not %(value)s.")
                % {"keys": ", ".join(EvidenceKind.values), "value": repr(self.evidence_kind)}
            )
        if self.evidence_reliability not in Reliability.values:
            raise MappingError(
                _("evidence_reliability is one of %(keys)s, not %(value)s.")
                % {
                    "keys": ", ".join(Reliability.values),
                    "value": repr(self.evidence_reliability),
                }
            )
        try:
            for word in self.status.values():
                parse_status(word)
            self.party_role = parse_role(self.party_role)
            self.party_roles = {k: parse_role(v) for k, v in self.party_roles.items()}
        except ValueError as exc:
            raise MappingError(str(exc)) from exc

    # -- applying ---------------------------------------------------------------------------
    def status_for(self, text: str) -> str | None:
        """Our status key for one of their words, if the mapping names it."""
        wanted = _normal_key(text)
        if wanted in self.status:
            return self.status[wanted]
        for pattern, key in self.status.items():
            if pattern.endswith("*") and wanted.startswith(pattern[:-1]):
                return key
        return None

    def ignored(self, names) -> list[str]:
        """Their column names that feed none of ours, in file order."""
        used = (
            set(COLUMNS)
            | set(NESTED)
            | set(IMPORT_ONLY)
            | set(self.columns)
            | set(self.party_columns)
            | set(self.evidence_columns)
            | set(self.parties.columns())
            | set(self.party_roles)
        )
        return [name for name in dict.fromkeys(names) if name not in used]

    def apply(self, record: dict, fill: dict[str, str] | None = None) -> dict:
        """Their record -> our columns (text values; nested lists are kept as they are).

        `fill` gives values for cells that are missing or empty, ahead of the mapping's
        own defaults (the command line's `--effective`)."""
        rating_from = "status"
        if not self.columns and not self.party_columns:
            row = {k: v for k, v in record.items() if k in OURS}
        else:
            row = {}
            for theirs, targets in self.columns.items():
                if theirs not in record:
                    continue
                for target in targets:
                    # When several of their columns feed one of ours, the first non-empty wins.
                    if not str(row.get(target) or "").strip():
                        row[target] = record[theirs]
                        if target == "status":
                            rating_from = theirs
            for name in OURS:
                if name in record and name not in row and name not in self.columns:
                    row[name] = record[name]
        if self.party_columns:
            members = [
                actor
                for column, actor in self.party_columns.items()
                if str(record.get(column) or "").strip() not in ("", "NA")
            ]
            if members:
                row["parties"] = "; ".join(members)
        for name, value in list(row.items()):
            if name in NESTED or value is None:
                continue
            if isinstance(value, list | dict):
                if isinstance(value, list):
                    message = _("%(name)s is a list, not a text or a number")
                else:
                    message = _("%(name)s is an object, not a text or a number")
                raise ValueError(message % {"name": name})
            unescaped = unescape_formula(value)
            if unescaped is not value:
                # A cell an export escaped is its text exactly, leading tab or CR included.
                row[name] = Verbatim(unescaped)
                continue
            text = _clean_text(value)
            if self.unescape:
                text = _unescape(text)
            if name in self.split:
                text = "; ".join(part.strip() for part in text.split(self.split[name]))
            if name in self.values:
                parts = text.split(";") if name in ("parties", "themes") else [text]
                text = "; ".join(self._translated(name, part) for part in parts)
            if self._withheld(name, text):
                # Not given is not "none": the value is left as it is (a new row has none).
                row.setdefault(WITHHELD, []).append((name, text))
                del row[name]
                continue
            row[name] = text
        self._add_party_roles(record, row)
        for name, value in (fill or {}).items():
            if value and not str(row.get(name) or "").strip():
                row[name] = value
        for name, value in self.defaults.items():
            if not str(row.get(name) or "").strip():
                row[name] = value
        if str(row.get("external_id") or "").strip():
            row["external_id"] = self.same_id(row["external_id"])
        for name, prefix in self.prefix.items():
            if str(row.get(name) or "").strip():
                row[name] = prefix + row[name]
        if self.evidence_columns:
            row[QUOTED] = self._quoted(record)
        self.parties.apply(record, row)
        if self.status and row.get("party_statuses"):
            row["party_statuses"] = "; ".join(
                f"{name}: {self.status_for(word) or word}"
                for name, word in split_pairs(row["party_statuses"])
            )
        if self.status and str(row.get("status") or "").strip():
            mapped = self.status_for(row["status"])
            if mapped is not None:
                # The dataset's own words are kept beside our status, with their column.
                column = self.rating_columns.get(rating_from, rating_from)
                row[RATING] = (column, str(row["status"]))
                row["status"] = mapped
        return row

    def same_id(self, text: str) -> str:
        """An external id as the dataset's other files write it (`id_replace`, `id_upper`)."""
        for pattern, replacement in self.id_replace:
            text = pattern.sub(replacement, text)
        return text.upper() if self.id_upper else text

    def _translated(self, name: str, part: str) -> str:
        """One item through `values`; an actor's entry also translates it written with a
        role ("Rome:lead" through {"Rome": "Città di Roma"} is "Città di Roma:lead")."""
        table = self.values[name]
        if _normal_key(part) in table:
            return table[_normal_key(part)]
        head, sep, role = part.rpartition(":")
        if name == "parties" and sep and _normal_key(head) in table:
            return f"{table[_normal_key(head)]}:{role.strip()}"
        return part.strip()

    def _withheld(self, name: str, text: str) -> bool:
        """Whether the cell says the value is not given (withheld, not known yet)."""
        head = text[:NOT_GIVEN_SEARCHED]
        return bool(text) and any(p.search(head) for p in self.not_given.get(name, ()))

    def _quoted(self, record: dict) -> str:
        """The evidence columns' words, each after its column name."""
        parts = []
        for column in self.evidence_columns:
            text = _clean_text(record.get(column) or "")
            if self.unescape:
                text = _unescape(text)
            if text:
                parts.append(f"{column}: {text}")
        return "\n".join(parts)

    def _add_party_roles(self, record: dict, row: dict) -> None:
        """Actors named in a role column come first with that role; a name listed again
        in the parties column keeps the first role."""
        named = []
        for column, role in self.party_roles.items():
            text = _clean_text(record.get(column) or "")
            for item in (_unescape(text) if self.unescape else text).split(";"):
                name = self.values.get("parties", {}).get(_normal_key(item), item.strip())
                if name:
                    named.append(f"{name}:{role}")
        if named:
            row["parties"] = "; ".join([*named, row.get("parties") or ""]).strip("; ")


def with_values(data: dict | None, chosen: dict[str, dict[str, str]]) -> dict:
    """Mapping `data` (as JSON) with more `values` entries: `chosen` gives, per column, a
    name the import would create -> the existing name to use instead. An entry of `data`
    whose result is such a name now gives the existing name too."""
    merged = dict(data or {})
    values = {column: dict(table) for column, table in (merged.get("values") or {}).items()}
    for column, choices in chosen.items():
        table = values.setdefault(column, {})
        wanted = {_normal_key(name): target for name, target in choices.items()}
        for key, result in table.items():
            if _normal_key(result) in wanted:
                table[key] = wanted[_normal_key(result)]
        for name, target in choices.items():
            table[name] = target
    merged["values"] = values
    return merged


def _pattern(name: str, text: str, key: str = "not_given") -> re.Pattern:
    if len(text) > NOT_GIVEN_PATTERN_MAX:
        raise MappingError(
            _("%(key)s: a pattern for %(name)s is longer than %(max)s characters.")
            % {"key": key, "name": name, "max": NOT_GIVEN_PATTERN_MAX}
        )
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise MappingError(
            _("%(key)s: %(value)s is not a pattern: %(error)s.")
            % {"key": key, "value": repr(shown_text(text)), "error": exc}
        ) from None


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(text: str) -> str:
    """Literal escape sequences left by an export: the six characters \\u2019 become ’."""
    return _ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)


def _clean_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return text.strip()


OURS = frozenset([*COLUMNS, *NESTED, *IMPORT_ONLY])
IDENTITY = Mapping()
