"""Which words make a sentence a commitment, after the G7 Research Group's coding rule: a
statement of intent that the parties *will* take future action towards a target.

A cue is a pattern, a weight (how sure it makes us) and the words used to explain it.
Future-oriented wording counts; welcoming, noting, recalling, concern and thanks do not,
and a sentence whose main verb is one of those is not a commitment even when a later
clause says "will" ("We noted that the forum will meet in May").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern
    weight: float
    reason: str


def _cue(pattern: str, weight: float, reason: str) -> Cue:
    return Cue(re.compile(pattern, re.IGNORECASE), weight, reason)


_SUBJECT = r"(?:we|they|(?:the\s+)?(?:two|both)\s+(?:leaders|sides|countries|governments|parties)|[A-Z][\w–-]*)"

PROMISES = [
    _cue(
        r"\b(?:will|shall)(?:\s+(?:not\s+)?(?:also\s+|further\s+|jointly\s+|continue\s+to\s+)?\w+"
        r"|\s*:)",
        0.9,
        _("a promise with “will”"),
    ),
    _cue(r"\bcommit(?:s|ted)?\s+(?:ourselves\s+|themselves\s+)?to\b", 0.9, _("“commit to”")),
    _cue(r"\b(?:re)?commitment\s+to\b", 0.7, _("a stated commitment")),
    _cue(r"\b(?:pledge[sd]?|undert(?:ake|ook)|resolved?|vow(?:ed)?)\s+to\b", 0.9, _("a pledge")),
    _cue(
        r"\bagree[sd]?\s+to\b|\bagreed\s+(?:on|upon)\s+(?:a|an|the)\b",
        0.85,
        _("an agreement to act"),
    ),
    _cue(
        r"\bdecided\s+to\s+(?:launch|establish|create|set\s+up|hold|open|start|begin)\b",
        0.9,
        _("a decision to launch"),
    ),
    _cue(r"\bdecided\s+to\b", 0.8, _("a decision to act")),
    _cue(r"\b(?:intend|intends|intention|intentions)\s+to\b", 0.8, _("an intention")),
    _cue(r"\b(?:aim|aims|aiming|aimed)\s+(?:to|at)\b", 0.75, _("an aim")),
    _cue(r"\b(?:determined|ready|prepared)\s+to\b", 0.7, _("a stated readiness")),
    _cue(r"\b(?:are|is)\s+planning\b|\bplan(?:s|ned)?\s+to\b", 0.75, _("a plan")),
    _cue(r"\b(?:are|is)\s+expected\s+to\b", 0.7, _("an expected action")),
    _cue(
        r"\b(?:seek|seeks|strive|strives|endeavour|endeavor)\s+to\b", 0.7, _("an effort promised")
    ),
    _cue(r"\bcontinue\s+to\b|\bremain\s+committed\b", 0.75, _("a continued effort")),
    _cue(
        r"\b(?:task(?:s|ed)?|instruct(?:s|ed)?|mandate[sd]?|ask(?:s|ed)?|call(?:s|ed)?\s+(?:on|upon))"
        r"\s+(?:our|their|the)\s+(?:\w+\s+)?(?:ministers|officials|negotiators|sherpas|teams)\s+to\b",
        0.85,
        _("a task given to ministers or officials"),
    ),
    _cue(
        r"\bwork\s+(?:together|closely|jointly)\s+(?:to|on|towards)\b", 0.75, _("joint work ahead")
    ),
    _cue(
        r"\bopenness\s+to\b|\bopen\s+to\s+(?:expanding|deepening|exploring)\b",
        0.6,
        _("openness to act"),
    ),
    _cue(r"\bmust\s+be\s+\w+ed\b", 0.6, _("an obligation stated")),
    _cue(
        rf"\b{_SUBJECT}\s+(?:\w+ly\s+)?(?:oppose|uphold|support)\b", 0.6, _("a position to uphold")
    ),
    _cue(
        r"\bto\s+be\s+(?:launched|held|established|completed|delivered|signed|adopted)\b",
        0.7,
        _("an action scheduled"),
    ),
]

# Lead-ins whose list items are commitments even without their own cue: "We will:",
# "Defence cooperation is advancing on multiple tracks:", a plan's list.
LIST_PROMISES = [
    _cue(
        r"\b(?:cooperation|work|partnership)\s+(?:is|are|will\s+be)\s+(?:advancing|expanding|progressing|deepening)\b",
        0.6,
        _("an item of the cooperation announced"),
    ),
    _cue(
        r"\b(?:action\s+plan|roadmap|road\s+map|work\s*plan|work\s+programme|work\s+program)\b",
        0.55,
        _("an item of the plan"),
    ),
]

# A plan with its period is a framework of commitments: "the 2024–2027 Action Plan".
FRAMEWORK = _cue(
    r"\b(?:19|20)\d\d\s*[-–—/]\s*(?:19|20)?\d\d\s+(?:action\s+plan|roadmap|work\s*plan|work\s+programme|strategy)\b",
    0.6,
    _("a plan with its period"),
)

NOT_PROMISES = [
    _cue(r"\bwelcom(?:e|es|ed|ing)\b", 0, _("welcoming")),
    _cue(
        r"\bnot(?:e|es|ed|ing)\s+(?:with\s+\w+\s+)?(?:that|the|its|their|our)\b|\btook\s+note\b|\btake\s+note\b",
        0,
        _("noting"),
    ),
    _cue(r"\brecall(?:s|ed|ing)?\b", 0, _("recalling")),
    _cue(r"\bconcerns?\b|\bconcerned\b|\bdeplor", 0, _("a concern")),
    _cue(r"\bthank(?:s|ed)?\b|\bgratitude\b|\bappreciat", 0, _("thanks")),
    _cue(r"\bcongratulat|\bcommend(?:s|ed)?\b|\bpraise[sd]?\b|\bcelebrat", 0, _("praise")),
    _cue(r"\bcondemn(?:s|ed)?\b|\bcondolences\b|\bmourn", 0, _("condemnation or sympathy")),
    _cue(r"\backnowledg(?:e|es|ed|ing)\b|\brecogni[sz](?:e|es|ed|ing)\b", 0, _("acknowledging")),
    _cue(
        r"\bentered\s+into\s+force\b|\bentry\s+into\s+force\b|\bwas\s+(?:signed|adopted|held|launched)\b",
        0,
        _("something already done"),
    ),
]


@dataclass(frozen=True)
class Found:
    cue: Cue
    start: int
    end: int
    words: str


def first(cues: list[Cue], text: str) -> Found | None:
    """The strongest cue in `text` (the earliest among equals)."""
    best: Found | None = None
    for cue in cues:
        match = cue.pattern.search(text)
        if match is None:
            continue
        if (
            best is None
            or cue.weight > best.cue.weight
            or (cue.weight == best.cue.weight and match.start() < best.start)
        ):
            best = Found(cue, match.start(), match.end(), match[0])
    return best


def earliest(cues: list[Cue], text: str) -> Found | None:
    found = [
        Found(cue, m.start(), m.end(), m[0]) for cue in cues if (m := cue.pattern.search(text))
    ]
    return min(found, key=lambda f: f.start, default=None)
