"""From a statement's text to the commitments it holds: each candidate with its exact
words and place, its deadline, parties, kind and themes, a score and the reason for it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import Kind
from . import cues, deadlines, language, parties, segments, topics
from .deadlines import Deadline
from .parties import ActorRef
from .segments import Segment
from .topics import ThemeRef

MIN_SCORE = 0.5
LIST_ITEM_WEIGHT = 0.6
# "…, and will launch" / "; and to hold": a second target in the same sentence.
_SECOND_TARGET = re.compile(
    r"(?:;|,)?\s+and\s+(?=(?:[\w’'-]+\s+){0,4}?(?:will|shall|to)\s+[a-z])|;\s+(?=[a-z])",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_WITH_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?$", re.IGNORECASE)
_LEAD_IN_MIN_WORDS = 6
# "To that end, we will:" promises its items, not itself.
_PROMISES_ITS_ITEMS = re.compile(
    r"\b(?:will|shall|to|agreed?|decided|intend|commit(?:ted)?|pledged?)\s*:\s*$", re.IGNORECASE
)

# Where the promised action starts: "Italy will *open a consulate*", "agreed to *hold*".
_ACTION = re.compile(
    r"\b(?:will|shall)\s+(?:also\s+|jointly\s+|further\s+)?(?!be\b)|\b(?:commit(?:s|ted)?|agreed?|"
    r"intend|intention|aim|aims|aiming|plan|plans|planning|decided|pledged?|undertake|resolved?|"
    r"determined|expected|ready|seek|strive|tasks?|instructs?)\s+(?:\w+\s+){0,2}?to\s+",
    re.IGNORECASE,
)
TITLE_MAX = 120
# The reason's clause for a kind other than a deliverable, read from the wording.
KIND_BY_WORDING = {
    Kind.RECURRING: _("recurring by its wording"),
    Kind.STANDING: _("standing by its wording"),
    Kind.FRAMEWORK: _("framework by its wording"),
}

NO_CANDIDATES = _(
    "No sentence of this text reads as a commitment: none promises future action "
    "(“will”, “commit to”, “aim to”, “agree to”…). Mark a sentence yourself if one was missed."
)


@dataclass
class Candidate:
    quote: str
    start: int
    end: int
    score: float
    reason: str
    kind: str = Kind.DELIVERABLE
    deadline: Deadline | None = None
    parties: list[ActorRef] = field(default_factory=list)
    themes: list[ThemeRef] = field(default_factory=list)
    segment: int = 0

    @property
    def kind_label(self) -> str:
        """The kind as the reader's language names it."""
        return Kind(self.kind).label

    @property
    def title(self) -> str:
        """A suggested title: the promised action, from its verb, as a short sentence."""
        match = _ACTION.search(self.quote)
        words = self.quote[match.end() :] if match else self.quote
        words = re.sub(r"^to\s+", "", words.strip().rstrip(".;:,").strip(), flags=re.IGNORECASE)
        words = words or self.quote.strip()
        if len(words) > TITLE_MAX:
            words = words[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return words[:1].upper() + words[1:]

    def as_dict(self) -> dict:
        return {
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "deadline": self.deadline.as_dict() if self.deadline else None,
            "parties": [actor.name for actor in self.parties],
            "kind": str(self.kind),
            "themes": [theme.name for theme in self.themes],
            "score": round(self.score, 2),
            "reason": self.reason,
        }


@dataclass
class Extraction:
    language: str
    candidates: list[Candidate]
    segments: list[Segment]
    message: str = ""

    @property
    def is_english(self) -> bool:
        return self.language in {"en", ""}


@dataclass(frozen=True)
class _Judgement:
    weight: float
    reason: str
    kind: str | None = None


def _judge(text: str) -> _Judgement | None:
    """Whether a sentence by itself reads as a commitment, and why."""
    promise = cues.first(cues.PROMISES, text)
    refusal = cues.earliest(cues.NOT_PROMISES, text)
    if promise and (refusal is None or refusal.start > promise.start):
        reason = f"{promise.cue.reason} (“{promise.words}”)"
        weight = promise.cue.weight
        if refusal is not None:
            weight -= 0.15
            reason = gettext("%(reason)s, though it also speaks of %(other)s") % {
                "reason": reason,
                "other": refusal.cue.reason,
            }
        return _Judgement(weight, reason)
    if refusal is not None:
        return None
    if match := cues.FRAMEWORK.pattern.search(text):
        return _Judgement(
            cues.FRAMEWORK.weight, f"{cues.FRAMEWORK.reason} (“{match[0]}”)", Kind.FRAMEWORK
        )
    return None


def _opens_a_list(text: str) -> _Judgement | None:
    """Whether a lead-in makes its items commitments."""
    if judgement := _judge(text):
        return judgement
    if cues.earliest(cues.NOT_PROMISES, text):
        return None
    if found := cues.first(cues.LIST_PROMISES, text):
        return _Judgement(found.cue.weight, found.cue.reason)
    return None


def _parts(text: str) -> list[tuple[int, int]]:
    """One span per target: a sentence that promises two things gives two."""
    spans, begin = [], 0
    for match in _SECOND_TARGET.finditer(text):
        if len(_WORD.findall(text[begin : match.start()])) >= 4:
            spans.append((begin, match.start()))
            begin = match.end()
    spans.append((begin, len(text)))
    return spans


class Extractor:
    def __init__(
        self,
        text: str,
        *,
        said_on: dt.date | None = None,
        actors: list[ActorRef] | tuple = (),
        themes: list[ThemeRef] | tuple = (),
    ):
        self.text = text
        self.said_on = said_on
        self.matcher = parties.Matcher(list(actors))
        self.themes = topics.ThemeMatcher(list(themes))
        self._statement_parties: list[ActorRef] | None = None

    @property
    def statement_parties(self) -> list[ActorRef]:
        if self._statement_parties is None:
            self._statement_parties = self.matcher.statement_parties(self.text)
        return self._statement_parties

    def run(self, language_code: str = "") -> Extraction:
        code = language_code.strip().lower()[:2] or language.detect(self.text)
        found = segments.split(self.text)
        if code not in {"en", ""}:
            message = gettext(
                "This text reads as %(language)s: extraction is English-only for now. "
                "The source and its text are stored; add its commitments by hand."
            ) % {"language": language.name(code)}
            return Extraction(code, [], found, message)
        candidates = []
        openers: dict[int, _Judgement | None] = {}
        for segment in found:
            if segment.is_lead_in and segment.index not in openers:
                openers[segment.index] = _opens_a_list(segment.text)
            candidates.extend(self._from_segment(segment, found, openers))
        return Extraction(code, candidates, found, "" if candidates else str(NO_CANDIDATES))

    def _from_segment(self, segment: Segment, found, openers) -> list[Candidate]:
        judgement = _judge(segment.text)
        lead = found[segment.lead_in] if segment.lead_in is not None else None
        opener = openers.get(lead.index) if lead is not None else None
        if judgement is None and opener and not cues.earliest(cues.NOT_PROMISES, segment.text):
            judgement = _Judgement(
                min(LIST_ITEM_WEIGHT, opener.weight),
                gettext("an item of the list introduced by “%(lead)s” (%(reason)s)")
                % {"lead": _short(lead.text), "reason": opener.reason},
            )
        if judgement is None:
            return []
        if segment.is_lead_in and (
            len(_WORD.findall(segment.text)) < _LEAD_IN_MIN_WORDS
            or _PROMISES_ITS_ITEMS.search(segment.text)
        ):
            return []
        result = []
        for begin, end in _parts(segment.text):
            part = segment.text[begin:end].rstrip(" :;,")
            if not part.strip():
                continue
            start = segment.start + begin
            result.append(self._candidate(part, start, segment, lead, judgement))
        return result

    def _candidate(self, quote, start, segment, lead, judgement) -> Candidate:
        deadline = deadlines.find(quote, said_on=self.said_on)
        who, parties_reason = self._parties(quote, segment, lead)
        kind = judgement.kind or topics.kind(quote)
        score = judgement.weight + (0.05 if deadline else 0) + (0.05 if who else 0)
        reasons = [gettext("Reads as a commitment: %(reason)s") % {"reason": judgement.reason}]
        if deadline:
            reasons.append(
                gettext("deadline “%(phrase)s” (%(deadline)s)")
                % {"phrase": deadline.phrase, "deadline": deadline.display}
            )
        if who:
            reasons.append(parties_reason)
        if kind != Kind.DELIVERABLE:
            reasons.append(str(KIND_BY_WORDING.get(kind, kind)))
        return Candidate(
            quote=quote,
            start=start,
            end=start + len(quote),
            score=round(min(score, 0.99), 2),
            reason="; ".join(reasons) + ".",
            kind=kind,
            deadline=deadline,
            parties=who,
            themes=self.themes.match(quote),
            segment=segment.index,
        )

    def _parties(self, quote: str, segment: Segment, lead: Segment | None) -> tuple[list, str]:
        """The parties of a candidate, and the reason's clause saying where they came from."""
        named = self.matcher.named(quote) or self.matcher.named(segment.text)
        if named:
            if _only_partners(quote, named, self.matcher) and self.statement_parties:
                merged = list(dict.fromkeys([*self.statement_parties, *named]))
                return merged, gettext("parties named, with the statement's own")
            return named, gettext("parties named in the sentence")
        words = parties.collective(segment.text) or (lead and parties.collective(lead.text))
        if words and self.statement_parties:
            return list(self.statement_parties), gettext("parties from “%(words)s”") % {
                "words": words
            }
        if lead is not None and (named := self.matcher.named(lead.text)):
            return named, gettext("parties named in the list's lead-in")
        if self.statement_parties:
            return list(self.statement_parties), gettext(
                "parties of the statement (none named in the sentence)"
            )
        return [], ""


def _only_partners(quote: str, named: list[ActorRef], matcher: parties.Matcher) -> bool:
    """Whether every actor is named after "with", as a partner of an unnamed subject."""
    pattern = matcher._pattern
    if pattern is None:
        return False
    mentions = list(pattern.finditer(quote))
    return bool(mentions) and all(_WITH_BEFORE.search(quote[: m.start()]) for m in mentions)


def _short(text: str, limit: int = 60) -> str:
    text = text.rstrip(":").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(
    text: str,
    start: int,
    end: int,
    *,
    said_on: dt.date | None = None,
    actors: list[ActorRef] | tuple = (),
    themes: list[ThemeRef] | tuple = (),
) -> Candidate:
    """A span an editor marked as a commitment, read like a candidate: its deadline,
    parties, kind and themes."""
    extractor = Extractor(text, said_on=said_on, actors=actors, themes=themes)
    quote = text[start:end]
    segment = Segment(0, start, end, quote)
    judgement = _judge(quote) or _Judgement(0.0, gettext("marked by an editor"))
    return extractor._candidate(quote, start, segment, None, judgement)


def extract(
    text: str,
    *,
    said_on: dt.date | None = None,
    actors: list[ActorRef] | tuple = (),
    themes: list[ThemeRef] | tuple = (),
    language_code: str = "",
) -> Extraction:
    """Every candidate commitment of `text`, in the order of the text. `language_code`
    ("en", "it"...) is the language the text is known to be in; without it, it is
    worked out from the text."""
    return Extractor(text, said_on=said_on, actors=actors, themes=themes).run(language_code)
