"""What the extractor should find in the statements of tests/fixtures/extraction/, and the
precision and recall it reaches there.

HELDOUT was written, with its expectations, before the extractor's first run, and the
extractor was then fixed on it. BLIND was written, with its expectations, after the
extractor was frozen and before it was run on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from commitments.extraction import ActorRef, extract

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


@dataclass(frozen=True)
class Statement:
    file: str
    said_on: dt.date
    actors: tuple[ActorRef, ...]
    # (words the candidate's quote must contain, its deadline as displayed or None)
    expected: tuple[tuple[str, str | None], ...]

    @property
    def text(self) -> str:
        return (FIXTURES / self.file).read_text(encoding="utf-8")


HELDOUT = (
    Statement(
        "heldout_bilateral.txt",
        dt.date(2026, 3, 12),
        (
            ActorRef("canada", "Canada", ("Ottawa", "Canadian")),
            ActorRef("mexico", "Mexico", ("Mexico City", "Mexican")),
        ),
        (
            ("will launch a joint critical minerals working group", "by 2026"),
            ("agreed to hold an annual high-level economic dialogue", None),
            ("intend to conclude negotiations on a modernised air transport", "by Mar 2027"),
            ("Mexico will host the next meeting of the Joint Commission", "by Jun 2026"),
            ("will continue to uphold the rules-based international order", None),
            ("doubling the number of student exchange places", "by 2028"),
            ("to open a new consulate in Monterrey", "by 2027"),
        ),
    ),
    Statement(
        "heldout_communique.txt",
        dt.date(2026, 6, 3),
        (
            ActorRef("finland", "Finland", ("Helsinki", "Finnish")),
            ActorRef("norway", "Norway", ("Oslo", "Norwegian")),
            ActorRef("estonia", "Estonia", ("Tallinn", "Estonian")),
        ),
        (
            ("phase out imports of Russian gas", "by 2027"),
            ("double the capacity of cross-border electricity interconnectors", "by 2030"),
            ("publish a joint hydrogen roadmap", "by Q3 2026"),
            ("commit to providing EUR 2 billion", "by 2026"),
            ("We will meet every year at leaders' level", None),
            ("our foreign ministers will meet twice a year", None),
            ("task our ministers to present an action plan", "by 2026"),
            ("continue to support the International Criminal Court", None),
        ),
    ),
    Statement(
        "heldout_lookalikes.txt",
        dt.date(2026, 9, 20),
        (
            ActorRef("australia", "Australia", ("Canberra", "Australian")),
            ActorRef("indonesia", "Indonesia", ("Jakarta", "Indonesian")),
        ),
        (
            ("agreed to establish a Maritime Cooperation Centre", "by 2027"),
            ("Indonesia will provide scholarships", None),
            ("will work together to combat illegal", None),
            ("aim to sign a Defence Cooperation Agreement", "by 2026"),
            ("intend to increase two-way trade", "by 2030"),
        ),
    ),
)


BLIND = (
    Statement(
        "blind_leaders_communique.txt",
        dt.date(2026, 11, 14),
        (
            ActorRef("chile", "Chile", ("Santiago", "Chilean")),
            ActorRef("new-zealand", "New Zealand", ("Wellington", "NZ")),
            ActorRef("south-africa", "South Africa", ("Pretoria", "South African")),
        ),
        (
            ("designate at least 30 per cent of our exclusive economic zones", "by 2030"),
            ("ratify the Agreement on Marine Biodiversity", None),
            ("start sharing vessel monitoring data", "by 1 Jul 2027"),
            ("establish a regional observer programme", None),
            ("conclude a trilateral agreement on digital trade", "by 2027"),
            ("trade ministers will meet annually", None),
            ("report to Leaders at each meeting", None),
            ("tripling renewable energy capacity", "by 2030"),
            ("Chile will host a Southern Seas green hydrogen conference", "by Jun 2027"),
            ("continue to uphold the freedom of navigation", None),
        ),
    ),
    Statement(
        "blind_ministerial.txt",
        dt.date(2026, 4, 9),
        (
            ActorRef("canada", "Canada", ("Ottawa", "Canadian")),
            ActorRef("korea", "Korea", ("Republic of Korea", "Seoul", "Korean")),
        ),
        (
            ("sign a memorandum of understanding on battery supply chains", "by 2027"),
            ("set up an early-warning mechanism", "by Jun 2026"),
            ("Korea will dispatch a critical minerals investment mission", "by Sep 2026"),
            ("launch a joint research programme on small modular reactors", "by 31 Oct 2026"),
            ("committed to supplying Korea with clean hydrogen", "by 2028"),
            ("shall convene a working-level meeting on nuclear safety", None),
            ("conclude an arrangement on the mutual recognition", "by 2027"),
            ("Korea will offer 50 fellowships each year", None),
            ("instructed their officials to prepare a progress report", None),
        ),
    ),
    Statement(
        "blind_action_plan.txt",
        dt.date(2026, 2, 2),
        (
            ActorRef("kenya", "Kenya", ("Nairobi", "Kenyan")),
            ActorRef("finland", "Finland", ("Helsinki", "Finnish")),
        ),
        (
            ("restore 50,000 hectares of degraded forest land", "by 2028"),
            ("Finland shall provide EUR 12 million for community forestry", None),
            ("aims to complete a national forest inventory", "by Jun 2027"),
            ("rehabilitate water supply systems in five towns", "by 2028"),
            ("train 300 water utility staff", None),
            ("publish an annual report on water quality", None),
            ("connect 200,000 additional people to safe drinking water", "by 2028"),
            ("Joint Steering Committee shall meet twice a year", None),
            ("mid-term review of this Action Plan shall be completed", "by 31 Mar 2027"),
            ("continue to coordinate their positions", None),
        ),
    ),
)


@dataclass
class Score:
    candidates: int = 0
    true_positives: int = 0
    expected: int = 0
    found: int = 0
    deadlines_right: int = 0
    missed: tuple = ()
    wrong: tuple = ()

    @property
    def precision(self) -> float:
        return self.true_positives / self.candidates if self.candidates else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0


def measure(statements=HELDOUT) -> Score:
    """Each candidate counts once, as right when its quote holds an expected commitment's
    words not already found; each expected commitment is found at most once."""
    score = Score()
    missed, wrong = [], []
    for statement in statements:
        result = extract(statement.text, said_on=statement.said_on, actors=statement.actors)
        open_items = list(statement.expected)
        score.candidates += len(result.candidates)
        score.expected += len(statement.expected)
        for candidate in result.candidates:
            hit = next((e for e in open_items if e[0] in candidate.quote), None)
            if hit is None:
                wrong.append(candidate.quote)
                continue
            open_items.remove(hit)
            score.true_positives += 1
            score.found += 1
            shown = candidate.deadline.display if candidate.deadline else None
            score.deadlines_right += shown == hit[1]
        missed.extend(words for words, _ in open_items)
    score.missed, score.wrong = tuple(missed), tuple(wrong)
    return score
