"""The actors a row's party cells name, checked against the register before anything is
written: placeholders left out or refused, spelling variants merged, and a cell that would
make a bogus actor ("Italy, Japan" as one name) refused with the mapping entry that fixes it.

- A cell the mapping's `ignore_parties` lists ("nan", "All other Ministers") is left out,
  and counted in the report.
- A placeholder not listed there ("nan", "N/A", "TBD"…) is refused: it names no actor.
- A name is matched to the register's actors by name, short name or alias, ignoring case,
  spacing and the apostrophe's shape ("Queen's" is "Queen’s"); the register's spelling is
  used. Two new spellings in one file that differ only so become one actor.
- A name holding a comma, when the mapping names no separator for parties, is refused
  unless an actor of that name exists: it is likely a list ("Italy, Japan").
- A name with a role inside it ("Italy:lead, Japan") is a list read with the wrong
  separator, and is always refused.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..choices import PartyRole
from ..models import Actor
from .report import ImportResult
from .rows import RowPlan

PLACEHOLDERS = {"nan", "none", "null", "n/a", "na", "-", "--", "?", "tbc", "tbd", "unknown"}
_ROLE_INSIDE = re.compile(rf":\s*(?:{'|'.join(PartyRole.values)})\s*[,/|&+]", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def normal(name: str) -> str:
    return " ".join(name.translate(_APOSTROPHES).split()).casefold()


class PartyNames:
    def __init__(self, *, ignore: list[str], separator: str | None):
        self.ignore = {normal(name) for name in ignore}
        self.separator = separator
        self.known: dict[str, str] | None = None  # read when a row first names parties
        self.new: dict[str, str] = {}  # a new name's spelling first met in this file

    def _load(self) -> dict[str, str]:
        known: dict[str, str] = {}
        actors = list(Actor.objects.only("name", "short_name", "slug", "aliases"))
        for actor in actors:
            for key in (actor.name, actor.short_name, actor.slug):
                if key:
                    known.setdefault(normal(key), actor.name)
        for actor in actors:  # an alias names an actor when no actor has it as its name
            for key in actor.alias_list:
                known.setdefault(normal(key), actor.name)
        return known

    def check(self, plan: RowPlan, result: ImportResult) -> None:
        """Replace the plan's parties by the register's spellings, leave out what the
        mapping ignores, and refuse what would make a bogus actor."""
        if not plan.parties:
            return
        if self.known is None:
            self.known = self._load()
        kept: list[tuple[str, str]] = []
        seen: set[str] = set()
        for name, role in plan.parties:
            key = normal(name)
            if key in self.ignore:
                result.ignored_parties[name] = result.ignored_parties.get(name, 0) + 1
                continue
            if key in PLACEHOLDERS:
                plan.error(
                    "parties",
                    _(
                        "%(value)s is a placeholder, not an actor: list it in the mapping's "
                        'ignore_parties to leave it out, e.g. {"ignore_parties": ["%(name)s"]}'
                    )
                    % {"value": repr(name), "name": name},
                )
                continue
            if _ROLE_INSIDE.search(name):
                plan.error(
                    "parties",
                    _(
                        "%(value)s has a role inside a name, so the cell lists several actors "
                        "with another separator than ours (;): name it in the mapping, e.g. "
                        '{"split": {"parties": ","}}'
                    )
                    % {"value": repr(name)},
                )
                continue
            spelled = self.known.get(key) or self.new.get(key)
            if spelled is None and "," in name and self.separator is None:
                plan.error(
                    "parties",
                    _(
                        "%(value)s holds a comma and is not an actor of the register: if the "
                        'cell lists several actors, name the separator in the mapping ({"split": '
                        '{"parties": ","}}); if commas belong to the names, say that ; separates '
                        'them ({"split": {"parties": ";"}}), or add the actor first'
                    )
                    % {"value": repr(name)},
                )
                continue
            if spelled is None:
                spelled = self.new.setdefault(key, name)
            if spelled.casefold() in seen:
                continue
            seen.add(spelled.casefold())
            kept.append((spelled, role))
        plan.parties = kept
        if plan.party_assessments:
            plan.party_assessments = {
                self.known.get(normal(name)) or self.new.get(normal(name)) or name: values
                for name, values in plan.party_assessments.items()
            }
