"""Seed data: Prime Minister Meloni's visit to Japan, from the article in shared/seeds.

The article is an analysis piece ("Decoding the news") that names neither its publisher
nor its date, so both stay unknown. It is read as an analyst would read it:

- A status is recorded only where the article itself shows it, through the status
  service, with the article as the evidence (one item, reused by every update).
- Dates are given at the precision the article supports and no finer. The article
  carries no date, but Meloni's visit "coincides with the 160th anniversary" of relations
  that Rome and Tokyo mark "throughout 2026", with Sanae Takaichi as Japan's prime minister
  and the ACSA "in force since September 2025": the visit, and what the article reports as
  true at it, are of 2026. Assessments are dated 2026 at year precision (stored as 1 Jan
  2026, shown "2026"), and the ACSA from September 2025 at month precision.
- Each commitment's `notes` say what the article says, what was recorded, what was left
  out, and why. Quotes are the article's words; where a quote runs across the article's
  list bullets, the bullets are joined with a space.

Loading is idempotent and converges: re-running updates the register in place, never
duplicates rows or history, and never deletes history. An assessment already in the
history is not recorded again; one that an earlier version of this seed recorded
differently is corrected by a new entry naming it (see `SUPERSEDED`); an analyst's later
updates stay current.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from . import dates, services
from .choices import (
    ActorKind,
    DeadlineChangeReason,
    EvidenceKind,
    Kind,
    PartyRole,
    Precision,
    Reliability,
    SourceKind,
    Status,
)
from .models import Actor, Commitment, Evidence, Party, Source, StatusUpdate, Theme
from .seed_translations import TRANSLATED_BY, TRANSLATIONS
from .services.translations import set_translation

# The article shows no title, publisher or date: the title is descriptive (it opens with
# its column's name, "Decoding the news"), the publisher and date are left unknown rather
# than guessed, and the kind is what the text is, an analysis.
SOURCE = {
    "slug": "decoding-the-news-meloni-visit-to-japan",
    "title": "Decoding the news: Prime Minister Meloni's visit to Japan",
    "kind": SourceKind.ANALYSIS,
    "date": None,
    "publisher": "",
    "language": "en",
}

ACTORS = [
    {
        "slug": "italy",
        "name": "Italy",
        "short_name": "Italy",
        "kind": ActorKind.GOVERNMENT,
        "country_code": "IT",
    },
    {
        "slug": "japan",
        "name": "Japan",
        "short_name": "Japan",
        "kind": ActorKind.GOVERNMENT,
        "country_code": "JP",
    },
    {
        "slug": "united-kingdom",
        "name": "United Kingdom",
        "short_name": "UK",
        "kind": ActorKind.GOVERNMENT,
        "country_code": "GB",
    },
    {
        "slug": "asi",
        "name": "Italian Space Agency",
        "short_name": "ASI",
        "kind": ActorKind.AGENCY,
        "country_code": "IT",
    },
    {
        "slug": "jaxa",
        "name": "Japan Aerospace Exploration Agency",
        "short_name": "JAXA",
        "kind": ActorKind.AGENCY,
        "country_code": "JP",
    },
    {
        "slug": "italy-japan-business-group",
        "name": "Italy–Japan Business Group",
        "short_name": "",
        "kind": ActorKind.BUSINESS_GROUP,
        "country_code": "",
    },
]

THEMES = [
    {
        "slug": "defence-and-security",
        "name": "Defence and security",
        "colour": "#7f1d1d",
        "description": "Defence cooperation, exercises, equipment and programmes.",
    },
    {
        "slug": "maritime-security-indo-pacific",
        "name": "Maritime security and the Indo-Pacific",
        "colour": "#0e7490",
        "description": "Free and Open Indo-Pacific, the law of the sea and regional stability.",
    },
    {
        "slug": "economic-security-supply-chains",
        "name": "Economic security and supply chains",
        "colour": "#a16207",
        "description": "Non-market practices, export restrictions, supply chain resilience.",
    },
    {
        "slug": "technology-and-industry",
        "name": "Technology and industry",
        "colour": "#6d28d9",
        "description": "Industrial and technological cooperation, companies and start-ups.",
    },
    {
        "slug": "space",
        "name": "Space",
        "colour": "#1e3a8a",
        "description": "Space agencies and commercial, industrial and security partnerships in space.",
    },
    {
        "slug": "diplomacy-and-culture",
        "name": "Diplomacy and culture",
        "colour": "#be185d",
        "description": "Political dialogue, anniversaries and cultural ties.",
    },
    {
        "slug": "energy-and-digital-transition",
        "name": "Energy and digital transition",
        "colour": "#15803d",
        "description": "Digital transformation and the energy transition.",
    },
]

BILATERAL = [("italy", PartyRole.LEAD), ("japan", PartyRole.LEAD)]

# The year of the visit, at year precision: the finest date the article supports for
# what it reports (see the module's description).
VISIT_2026 = (dt.date(2026, 1, 1), Precision.YEAR)

DEFENCE_TRACKS = "Shared priorities, “Defence cooperation is advancing on multiple tracks”"


def _paragraphs(text: str) -> str:
    """Notes written as wrapped paragraphs: each paragraph on one line, blank-line separated."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]
    return "\n\n".join(block.strip() for block in blocks if block.strip())


COMMITMENTS = [
    {
        "slug": "action-plan-2024-2027",
        "title": "Implement the 2024–2027 Action Plan of the Special Strategic Partnership",
        "kind": Kind.FRAMEWORK,
        "quote": "The bilateral relationship is already framed by the 2024–2027 Action Plan, under which Japan and Italy define their ties as a “Special Strategic Partnership”",
        "quote_location": "Shared priorities, opening sentence",
        "summary": "The plan that, in the article's words, already frames the bilateral relationship, under which Japan and Italy call their ties a Special Strategic Partnership.",
        "themes": ["diplomacy-and-culture"],
        "parties": BILATERAL,
        "deadline": (dt.date(2027, 12, 31), Precision.YEAR),
        "status": {
            "status": Status.IN_PROGRESS,
            "effective": VISIT_2026,
            "rationale": "The article says the relationship “is already framed by the 2024–2027 Action Plan”: at the 2026 visit the plan is in force and being carried out. It runs to 2027, so it is in progress, not achieved.",
        },
        "notes": """
            What the article says: the bilateral relationship “is already framed by the
            2024–2027 Action Plan”, under which Japan and Italy define their ties as a “Special
            Strategic Partnership”. The section this sentence opens (“Shared priorities”) goes on
            to the Indo-Pacific and then to the defence tracks.

            What was recorded: a framework of both governments (leads) running to the end of
            2027, the plan's own last year, at year precision. Under it are the two Indo-Pacific
            bullets and the five defence tracks (dialogue, ACSA, joint training, GCAP, new
            defence technologies), because the article lists them in the section that this
            sentence opens. The economic, technology, space, maritime-law and anniversary items
            come in other sections and are not placed under it. Rated In progress as of 2026:
            “already framed” means the plan is in force at the visit, and it runs until 2027;
            the article says nothing about it being completed, so Achieved (which would close
            it) is not supported. No progress percentage: the article gives none.

            Left out: when the plan was adopted (not given: the years in its name are its
            period, so the announcement date is left unknown) and what else it contains.
        """,
    },
    {
        "slug": "160th-anniversary-initiatives-2026",
        "title": "Hold a series of initiatives throughout 2026 for the 160th anniversary of diplomatic relations",
        "kind": Kind.RECURRING,
        "quote": "Rome and Tokyo are planning a series of initiatives throughout 2026 to mark the anniversary",
        "quote_location": "160 years of ties and a forward-looking agenda, 2nd bullet",
        "summary": "A series of initiatives marking 160 years of diplomatic relations between Italy and Japan.",
        "themes": ["diplomacy-and-culture"],
        "parties": BILATERAL,
        "deadline": (dt.date(2026, 12, 31), Precision.YEAR),
        "notes": """
            What the article says: Meloni's visit “coincides with the 160th anniversary of
            diplomatic relations between Italy and Japan”, and “Rome and Tokyo are planning a
            series of initiatives throughout 2026 to mark the anniversary”.

            What was recorded: a recurring commitment (a series of events) of both governments,
            due by the end of 2026 at year precision, from “throughout 2026”. Not rated: the
            article reports the initiatives as planned and names none that has taken place; the
            visit is said to coincide with the anniversary, not to be one of the initiatives.

            This sentence is also what dates the visit: the anniversary is marked throughout
            2026, so the visit that coincides with it is of 2026. That is why the seed's
            assessments are dated 2026 at year precision, and no finer.
        """,
    },
    {
        "slug": "foip-rule-of-law",
        "title": "Work in the Indo-Pacific within a Free and Open Indo-Pacific based on the rule of law",
        "kind": Kind.STANDING,
        "parent": "action-plan-2024-2027",
        "quote": "A first and natural testing ground is the Indo-Pacific, within the framework of a Free and Open Indo-Pacific (FOIP)based on the rule of law.",
        "quote_location": "Shared priorities, 1st bullet",
        "themes": ["maritime-security-indo-pacific"],
        "parties": BILATERAL,
        "status": {
            "status": Status.ACHIEVED,
            "effective": VISIT_2026,
            "rationale": "The article presents the Free and Open Indo-Pacific based on the rule of law as the framework of the partnership's first testing ground, and both leaders reaffirmed their intention to link FOIP with the Global Mediterranean: the shared position is upheld at the 2026 visit.",
        },
        "notes": """
            What the article says: under the Action Plan, “a first and natural testing ground is
            the Indo-Pacific, within the framework of a Free and Open Indo-Pacific (FOIP)based
            on the rule of law” (sic); the next bullet has both leaders reaffirming their
            intention to link FOIP with the Global Mediterranean.

            What was recorded: a standing position of both governments under the Action Plan,
            rated In force / upheld as of 2026 with the article as evidence: the article states
            the FOIP frame in the present tense, and the leaders' reaffirmation at the visit
            builds on it. The date is the visit's year, the finest the article supports; it
            says when the article shows the position held, not when it was first taken, which
            is not given (so the announcement date is unknown).

            Left out: what the “testing ground” will involve; the article names no activity, so
            nothing beyond the position is rated. The quote keeps the article's missing space
            in “(FOIP)based”.
        """,
    },
    {
        "slug": "foip-global-mediterranean-links",
        "title": "Promote stronger links between FOIP and the Global Mediterranean",
        "kind": Kind.STANDING,
        "parent": "action-plan-2024-2027",
        "quote": "Both leaders reaffirmed their intention to promote stronger links between FOIP and the concept of a Global Mediterranean, reflecting the interconnection between Euro-Atlantic and Indo-Pacific security.",
        "quote_location": "Shared priorities, 2nd bullet",
        "themes": ["maritime-security-indo-pacific", "diplomacy-and-culture"],
        "parties": BILATERAL,
        "status": {
            "status": Status.ACHIEVED,
            "effective": VISIT_2026,
            "rationale": "“Both leaders reaffirmed their intention to promote stronger links between FOIP and the concept of a Global Mediterranean” at the 2026 visit: the stated intention is upheld.",
        },
        "notes": """
            What the article says: “Both leaders reaffirmed their intention to promote stronger
            links between FOIP and the concept of a Global Mediterranean”. The takeaways come
            back to it: the visit “reinforces Italy’s ambition to act as a bridge between
            regions – aligning the Indo-Pacific with the Global Mediterranean”.

            What was recorded: a standing position of both leaders under the Action Plan, rated
            In force / upheld as of 2026 because the article reports it reaffirmed at the visit.
            “Upheld” is about the stated intention only: the article names no step that has made
            the links stronger, so no progress on the links themselves is claimed.

            Left out: the “bridge between regions” takeaway, the article's reading of Italy's
            ambition rather than a joint undertaking, is mentioned here and not recorded on its
            own. When the intention was first stated is not given, so the announcement date is
            unknown.
        """,
    },
    {
        "slug": "politico-military-dialogue",
        "title": "Hold a regular politico-military dialogue",
        "kind": Kind.RECURRING,
        "parent": "action-plan-2024-2027",
        "quote": "Defence cooperation is advancing on multiple tracks: Regular politico-military dialogue.",
        "quote_location": f"{DEFENCE_TRACKS}, 1st bullet",
        "themes": ["defence-and-security"],
        "parties": BILATERAL,
        "status": {
            "status": Status.IN_PROGRESS,
            "effective": VISIT_2026,
            "rationale": "The article lists a “Regular politico-military dialogue” among the tracks on which defence cooperation “is advancing”: the dialogue is under way as of the 2026 visit.",
        },
        "notes": """
            What the article says: “Defence cooperation is advancing on multiple tracks”, the
            first being “Regular politico-military dialogue.”

            What was recorded: a recurring commitment of both governments under the Action Plan
            (the defence tracks come in the section the Action Plan sentence opens), rated In
            progress as of 2026. The article says the dialogue exists and is regular, so it is
            under way; but it names no round, date, level or frequency. “Taking place
            regularly” (Achieved, for a recurring commitment, which also closes it and stops it
            being flagged when no update comes) is left for evidence of rounds actually held.

            Left out: nothing else is said about the dialogue.
        """,
    },
    {
        "slug": "acsa-agreement",
        "title": "Keep the Acquisition and Cross-Servicing Agreement (ACSA) in force",
        "kind": Kind.STANDING,
        "parent": "action-plan-2024-2027",
        "quote": "Joint training and military exercises are enabled by the ACSA agreement, in force since September 2025.",
        "quote_location": f"{DEFENCE_TRACKS}, 2nd bullet",
        "themes": ["defence-and-security"],
        "parties": BILATERAL,
        "status": {
            "status": Status.ACHIEVED,
            "effective": (dt.date(2025, 9, 1), Precision.MONTH),
            "rationale": "The article states that the ACSA agreement has been in force since September 2025.",
        },
        "notes": """
            What the article says: “Joint training and military exercises are enabled by the
            ACSA agreement, in force since September 2025.”

            What was recorded: a standing agreement of both governments under the Action Plan,
            rated In force / upheld from September 2025 at month precision (stored as 1 Sep
            2025, shown “Sep 2025”): the article gives the month, not the day. The article does
            not spell out “ACSA”; the title gives the usual name of such agreements only to say
            what the acronym stands for.

            Left out: when the agreement was signed (not given, so the announcement date is
            unknown) and its terms. The joint training and exercises it enables are a separate
            commitment, not rated.
        """,
    },
    {
        "slug": "joint-training-and-exercises",
        "title": "Conduct joint training and military exercises",
        "kind": Kind.RECURRING,
        "parent": "action-plan-2024-2027",
        "quote": "Joint training and military exercises are enabled by the ACSA agreement, in force since September 2025.",
        "quote_location": f"{DEFENCE_TRACKS}, 2nd bullet",
        "themes": ["defence-and-security"],
        "parties": BILATERAL,
        "notes": """
            What the article says: joint training and military exercises “are enabled by the
            ACSA agreement, in force since September 2025”.

            What was recorded: a recurring commitment of both governments under the Action
            Plan. Not rated: the article says the exercises are enabled, not that any has been
            held, and it names none. The agreement that enables them is recorded, and rated, on
            its own.
        """,
    },
    {
        "slug": "gcap-next-generation-fighter",
        "title": "Deliver a next-generation fighter by 2035 through the Global Combat Air Programme (GCAP), with the UK",
        "kind": Kind.DELIVERABLE,
        "parent": "action-plan-2024-2027",
        "quote": "Progress on the Global Combat Air Programme (GCAP) with the UK, aiming to deliver a next-generation fighter by 2035.",
        "quote_location": f"{DEFENCE_TRACKS}, 3rd bullet",
        "themes": ["defence-and-security", "technology-and-industry"],
        "parties": [
            ("italy", PartyRole.LEAD),
            ("japan", PartyRole.LEAD),
            ("united-kingdom", PartyRole.LEAD),
        ],
        "deadline": (dt.date(2035, 12, 31), Precision.YEAR),
        "status": {
            "status": Status.IN_PROGRESS,
            "effective": VISIT_2026,
            "rationale": "The article reports “Progress on the Global Combat Air Programme (GCAP) with the UK” as one of the tracks on which defence cooperation is advancing: the programme is in progress as of the 2026 visit, aiming at a fighter by 2035.",
        },
        "notes": """
            What the article says: among the defence tracks, “Progress on the Global Combat Air
            Programme (GCAP) with the UK, aiming to deliver a next-generation fighter by 2035”;
            the next bullet begins “Beyond GCAP, both sides signalled openness…”.

            What was recorded: a deliverable due by 2035 (year precision), rated In progress as
            of 2026 because the article reports progress. Italy, Japan and the United Kingdom
            are all leads: GCAP is a trilateral programme in which the UK is a full partner,
            not a junior one; the article's “with the UK” names the third partner from the
            Italy–Japan point of view. It sits under the Action Plan like its sibling defence
            tracks: the article lists it among them, in the section the Action Plan sentence
            opens, and nothing in the text sets it apart; that it is also a programme in its
            own right, with a third partner, is what its parties show.

            Left out: a progress percentage and milestones (the article gives neither). The
            date is the visit's year: the article shows progress at the visit, not when the
            programme began. An earlier version of this seed dated this assessment 25 Nov 2026,
            the day it was written rather than a date the article gives; where that entry is in
            the history, it is corrected by an entry dated 2026 that names it.
        """,
    },
    {
        "slug": "new-defence-technologies",
        "title": "Expand cooperation on new defence technologies and equipment beyond GCAP (openness signalled)",
        "kind": Kind.DELIVERABLE,
        "parent": "action-plan-2024-2027",
        "quote": "Beyond GCAP, both sides signalled openness to expanding cooperation on new defence technologies and equipment.",
        "quote_location": f"{DEFENCE_TRACKS}, 4th bullet",
        "themes": ["defence-and-security", "technology-and-industry"],
        "parties": BILATERAL,
        "announced": VISIT_2026,
        "notes": """
            What the article says: “Beyond GCAP, both sides signalled openness to expanding
            cooperation on new defence technologies and equipment.”

            What was recorded: a deliverable of both governments under the Action Plan,
            announced at the 2026 visit (year precision), with “openness signalled” in its
            title so that nobody reads it as a firm undertaking. Not rated: openness is all the
            article reports; it names no technology, equipment, project or date, so there is
            nothing to call started. No deadline: none is given.
        """,
    },
    {
        "slug": "economic-security-shared-concerns",
        "title": "Shared concerns over non-market practices, export restrictions, supply-chain vulnerabilities, market distortions and overcapacity",
        "kind": Kind.STANDING,
        "quote": "Security and economics are inseparable. Italy and Japan share concerns over: Non-market practices. Export restrictions. Supply chain vulnerabilities. Market distortions and overcapacity.",
        "quote_location": "Technology, industry and supply chains, the first four bullets under “Italy and Japan share concerns over”",
        "themes": ["economic-security-supply-chains"],
        "parties": BILATERAL,
        "notes": """
            What the article says: “Security and economics are inseparable. Italy and Japan
            share concerns over:” non-market practices, export restrictions, supply chain
            vulnerabilities, and market distortions and overcapacity (a fifth bullet, “AI
            robotics, semiconductors, and biomanufacturing”, is recorded on its own).

            What was recorded: a shared position of both governments (standing), worded as the
            article words it: concerns they hold. It is not turned into “cooperate on” or
            “address” anything: the article states the concerns, not an undertaking, a body, a
            measure or a date. Not rated: there is nothing to deliver, and nothing to keep in
            force beyond having said it. The quote joins the article's bullets with spaces.

            Left out: any joint action on these concerns; the article reports none.
        """,
    },
    {
        "slug": "ai-robotics-semiconductors-biomanufacturing",
        "title": "AI robotics, semiconductors and biomanufacturing, named in the list of shared concerns",
        "kind": Kind.STANDING,
        "quote": "AI robotics, semiconductors, and biomanufacturing",
        "quote_location": "Technology, industry and supply chains, 5th and last bullet under “Italy and Japan share concerns over”",
        "themes": ["technology-and-industry", "economic-security-supply-chains"],
        "parties": BILATERAL,
        "notes": """
            What the article says: the list under “Italy and Japan share concerns over:” ends
            with a fifth bullet, “AI robotics, semiconductors, and biomanufacturing”. Unlike the
            four before it, it names fields rather than practices, and has no full stop; the
            next section is headed “Tech-cooperation”. The article does not say what about these
            fields concerns the two governments, nor that they will cooperate on them.

            What was recorded: the bullet as the article places it: fields named in the list of
            shared concerns, a shared position (standing) of both governments, in the article's
            wording (“AI robotics”, as written). An earlier version of this seed read it as
            “Cooperate on AI, robotics, semiconductors and biomanufacturing”, a deliverable the
            text does not state; that reading was dropped, and the address (slug) kept so that
            existing links still work. Not rated: there is no undertaking to rate.

            Left out: whether these fields are meant as areas of cooperation (the bullet's form
            and the next heading may suggest it), because the text does not say so.
        """,
    },
    {
        "slug": "business-dialogue-business-group",
        "title": "Intensify dialogue between Italian and Japanese companies and start-ups, with the Italy–Japan Business Group",
        "kind": Kind.RECURRING,
        "quote": "Companies and start-ups from both countries are expected to intensify dialogue, with the Italy–Japan Business Group playing a central role in deepening economic ties.",
        "quote_location": "Tech-cooperation, opening sentence",
        "themes": ["technology-and-industry"],
        "parties": [
            ("italy-japan-business-group", PartyRole.LEAD),
            ("italy", PartyRole.PARTICIPANT),
            ("japan", PartyRole.PARTICIPANT),
        ],
        "announced": VISIT_2026,
        "notes": """
            What the article says: “Companies and start-ups from both countries are expected to
            intensify dialogue, with the Italy–Japan Business Group playing a central role in
            deepening economic ties.”

            What was recorded: a recurring commitment (a dialogue) led by the Italy–Japan
            Business Group, to which the article gives the central role; Italy and Japan are
            participants, as the countries whose companies take part: the article does not say
            that the governments undertake anything here. Announced at the 2026 visit (year
            precision). Not rated: the intensified dialogue is “expected”, a prospect; the
            article reports no meeting or result.

            Left out: the article's general remark that business engagement is “becoming
            regular, institutionalised” is its reading of the visit, not a commitment.
        """,
    },
    {
        "slug": "asi-jaxa-space-cooperation",
        "title": "Build on the ASI–JAXA collaboration and open new commercial, industrial and security partnerships in space",
        "kind": Kind.DELIVERABLE,
        "quote": "Space cooperation is another pillar, building on established collaboration between the Italian Space Agency (ASI) and Japan’s JAXA, and opening the door to new commercial, industrial and security partnerships.",
        "quote_location": "Tech-cooperation, 1st bullet",
        "themes": ["space"],
        "parties": [
            ("asi", PartyRole.LEAD),
            ("jaxa", PartyRole.LEAD),
            ("italy", PartyRole.PARTICIPANT),
            ("japan", PartyRole.PARTICIPANT),
        ],
        "status": {
            "status": Status.IN_PROGRESS,
            "effective": VISIT_2026,
            "rationale": "The article calls space cooperation “another pillar, building on established collaboration between the Italian Space Agency (ASI) and Japan’s JAXA”: the collaboration is under way as of the 2026 visit, while the new partnerships are only a door being opened, so this is in progress, not achieved.",
        },
        "notes": """
            What the article says: “Space cooperation is another pillar, building on
            established collaboration between the Italian Space Agency (ASI) and Japan’s JAXA,
            and opening the door to new commercial, industrial and security partnerships.”

            What was recorded: a deliverable led by the two agencies, with Italy and Japan as
            participants, rated In progress as of 2026: an “established collaboration” that the
            pillar is “building on” is cooperation under way. The second half, new commercial,
            industrial and security partnerships, is only a door “opening”: no partnership is
            named, so nothing is rated achieved and no progress percentage is given.

            Left out: what the established collaboration consists of (not said) and a deadline
            (none given).
        """,
    },
    {
        "slug": "oppose-unilateral-change-status-quo-unclos",
        "title": "Oppose unilateral attempts to change the status quo by force in the East and South China Seas; uphold UNCLOS",
        "kind": Kind.STANDING,
        "quote": "Rome and Tokyo strongly oppose any unilateral attempt to change the status quo by force in the East and South China Seas, reaffirming the centrality of the UN Convention on the Law of the Sea as the legal framework governing all maritime activity.",
        "quote_location": "Takeaways from Japan, 2nd bullet, 2nd sentence",
        "themes": ["maritime-security-indo-pacific"],
        "parties": BILATERAL,
        "status": {
            "status": Status.ACHIEVED,
            "effective": VISIT_2026,
            "rationale": "“Rome and Tokyo strongly oppose any unilateral attempt to change the status quo by force in the East and South China Seas, reaffirming the centrality of the UN Convention on the Law of the Sea”: the joint position is upheld at the 2026 visit.",
        },
        "notes": """
            What the article says: “Rome and Tokyo strongly oppose any unilateral attempt to
            change the status quo by force in the East and South China Seas, reaffirming the
            centrality of the UN Convention on the Law of the Sea as the legal framework
            governing all maritime activity.”

            What was recorded: a standing position of both governments, rated In force /
            upheld as of 2026: the article reports it stated (“strongly oppose”) and the
            Convention's centrality reaffirmed at the visit. It is not placed under the Action
            Plan: the article gives it among the visit's takeaways, not in the section the plan
            frames.

            Left out: the sentence before it in the same bullet, on Italy's Indo-Pacific
            presence and Taiwan-related stability, is recorded as its own commitment, with
            Italy as the only party. When the position was first taken is not given, so the
            announcement date is unknown.
        """,
    },
    {
        "slug": "taiwan-related-stability-maritime-security",
        "title": "Link Italy's Indo-Pacific presence to Taiwan-related stability and maritime security",
        "kind": Kind.STANDING,
        "quote": "Italy’s Indo-Pacific presence is now explicitly linked to Taiwan-related stability and maritime security.",
        "quote_location": "Takeaways from Japan, 2nd bullet, 1st sentence",
        "themes": ["maritime-security-indo-pacific"],
        "parties": [("italy", PartyRole.LEAD)],
        "announced": VISIT_2026,
        "notes": """
            What the article says: among the takeaways, “Italy’s Indo-Pacific presence is now
            explicitly linked to Taiwan-related stability and maritime security.”

            What was recorded: a standing position of Italy, the only party (lead), since the
            sentence is about Italy's presence; announced at the 2026 visit (“now”, year
            precision). Not rated: the sentence is the article's takeaway, and it does not say
            who made the link, in what statement, or what it commits Italy to, so there is no
            undertaking whose keeping the article shows. The joint position in the rest of the
            bullet (opposing change of the status quo by force, UNCLOS) is recorded and rated
            on its own.

            Left out: any reading of what “Taiwan-related stability” involves beyond the
            article's words.
        """,
    },
    {
        "slug": "digital-and-energy-transition-cooperation",
        "title": "Italy's priority: keep strengthening cooperation on digital transformation, the energy transition and a fragmenting global economy",
        "kind": Kind.STANDING,
        "quote": "The message was clear: in an increasingly unstable world, cooperation cannot be static. It must be strengthened continuously, especially in areas such as digital transformation, energy transition, and the fragmentation of the global economic order.",
        "quote_location": "Leadership affinity, 2nd bullet (Meloni's message)",
        "themes": ["energy-and-digital-transition", "economic-security-supply-chains"],
        "parties": [("italy", PartyRole.LEAD)],
        "announced": VISIT_2026,
        "notes": """
            What the article says: after Meloni's reference to “ganbaru”, “The message was
            clear: in an increasingly unstable world, cooperation cannot be static. It must be
            strengthened continuously, especially in areas such as digital transformation,
            energy transition, and the fragmentation of the global economic order.”

            What was recorded: Italy's stated priority, with Italy as the only party (lead): the
            message is Meloni's, and the article reports no joint undertaking and no Japanese
            commitment in these areas. An earlier version of this seed recorded it as a joint,
            recurring commitment of both governments; Japan was removed as a party and the kind
            is now standing, a stated position. Announced at the 2026 visit (year precision).
            Not rated: the article reports the message, not any step taken on digital or energy
            cooperation.

            Left out: “ganbaru” and the two leaders' affinity, which are context, not
            commitments.
        """,
    },
]

# Assessments that earlier versions of this seed recorded and this one replaces, by
# commitment: (status, effective_on, precision, rationale). An entry that is still in force
# in the history is corrected by the new assessment (a new entry that names it), never
# deleted; one an analyst has corrected already is left alone.
SUPERSEDED = {
    "gcap-next-generation-fighter": [
        (
            Status.IN_PROGRESS,
            dt.date(2026, 11, 25),  # the day that version was written, not a date in the text
            Precision.DAY,
            "The article reports progress on GCAP with the UK, aiming to deliver a next-generation fighter by 2035.",
        ),
    ],
}

DEMO_USERS = [
    {"username": "admin", "is_superuser": True, "is_staff": True, "groups": []},
    {"username": "analyst", "is_superuser": False, "is_staff": False, "groups": ["Analysts"]},
]


def _seed_deadline(commitment: Commitment, deadline, precision: str) -> None:
    """Bring a seeded commitment's deadline to the seed's reading through the deadline
    service, so the change is in its history; a deadline someone has moved since (it has
    a deadline history) is theirs, and stays."""
    if deadline is not None:
        deadline = dates.period_end(deadline, precision)
    if (commitment.deadline, commitment.deadline_precision or "") == (deadline, precision):
        return
    if commitment.deadline_changes.exists():
        return
    services.change_deadline(
        commitment=commitment,
        deadline=deadline,
        precision=precision,
        reason=DeadlineChangeReason.CORRECTION,
        note="Brought to the seed's reading of the source.",
        by=None,
    )


def _upsert(model, lookup: dict, values: dict, create_with: dict | None = None):
    obj, created = model.objects.get_or_create(**lookup, defaults={**values, **(create_with or {})})
    if not created:
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        for key in changed:
            setattr(obj, key, values[key])
        if changed:
            obj.save()
    return obj, created


@transaction.atomic
def load_seed() -> dict[str, int]:
    """Load the visit's commitments. Safe to run again: it updates in place, never
    duplicates rows or history, and brings a database loaded by an earlier version of
    the seed up to this one."""
    created = {"actors": 0, "themes": 0, "commitments": 0, "updates": 0}
    source, _ = _upsert(
        Source, {"slug": SOURCE["slug"]}, {k: v for k, v in SOURCE.items() if k != "slug"}
    )
    actors = {}
    for row in ACTORS:
        actors[row["slug"]], was_created = _upsert(
            Actor, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"}
        )
        created["actors"] += was_created
    themes = {}
    for row in THEMES:
        themes[row["slug"]], was_created = _upsert(
            Theme, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"}
        )
        created["themes"] += was_created

    article = _article(source)
    commitments: dict[str, Commitment] = {}
    for row in COMMITMENTS:
        deadline, deadline_precision = row.get("deadline") or (None, "")
        announced_on, announced_precision = row.get("announced") or (None, "")
        values = {
            "title": row["title"],
            "kind": row["kind"],
            "summary": row.get("summary", ""),
            "quote": row["quote"],
            "quote_location": row.get("quote_location", ""),
            "notes": _paragraphs(row["notes"]),
            "source": source,
            "announced_on": announced_on,
            "announced_precision": announced_precision,
            "parent": commitments.get(row.get("parent")),
        }
        commitment, was_created = _upsert(
            Commitment,
            {"slug": row["slug"]},
            values,
            create_with={"deadline": deadline, "deadline_precision": deadline_precision},
        )
        if not was_created:
            _seed_deadline(commitment, deadline, deadline_precision)
        created["commitments"] += was_created
        commitments[row["slug"]] = commitment
        commitment.themes.set([themes[slug] for slug in row["themes"]])
        for actor_slug, role in row["parties"]:
            _upsert(Party, {"commitment": commitment, "actor": actors[actor_slug]}, {"role": role})
        Party.objects.filter(commitment=commitment).exclude(
            actor__slug__in=[slug for slug, _ in row["parties"]]
        ).delete()
        if row.get("status"):
            created["updates"] += _assess(commitment, row["status"], article)
        _translate(commitment)
    return created


def _translate(commitment: Commitment) -> None:
    """Its Italian and Japanese title and summary, as the tracker's editors translated
    them (`seed_translations`); the article's English stays the original. A quote
    translated since is kept."""
    quotes = dict(commitment.translations.values_list("language", "quote"))
    for language, (title, summary) in TRANSLATIONS.get(commitment.slug, {}).items():
        set_translation(
            commitment=commitment,
            language=language,
            title=title,
            summary=summary,
            quote=quotes.get(language, ""),
            translated_by=TRANSLATED_BY,
        )


def _assess(commitment: Commitment, assessment: dict, article: Evidence) -> int:
    """Record the seed's assessment of `commitment` unless its history already holds it;
    returns the number of history entries written (0 or 1).

    Already held: an entry in force with the same status, progress, effective date and
    precision, backed by the article. An entry an earlier seed recorded differently
    (`SUPERSEDED`) is corrected. Otherwise the assessment is added, behind any later
    entry (an analyst's update stays current), unless it would change nothing."""
    effective_on, precision = assessment["effective"]
    status, progress = assessment["status"], assessment.get("progress")
    if status == Status.ACHIEVED and progress is None:
        progress = 100
    history = StatusUpdate.objects.filter(commitment=commitment).not_corrected()
    held = history.filter(
        status=status,
        progress=progress,
        effective_on=effective_on,
        effective_precision=precision,
        evidence__title=article.title,
        evidence__url=article.url,
    )
    if held.exists():
        return 0
    update = {
        "commitment": commitment,
        "status": status,
        "progress": progress,
        "effective_on": effective_on,
        "effective_precision": precision,
        "by": None,
        "evidence": [article],
    }
    superseded = _superseded_entry(commitment, history)
    if superseded is not None:
        services.record_status_update(
            **update,
            corrects=superseded,
            rationale=(
                f"{assessment['rationale']} This corrects the entry dated "
                f"{superseded.effective_display}, which an earlier version of the seed "
                "recorded with a date the article does not give."
            ),
        )
        return 1
    try:
        services.record_status_update(
            **update, rationale=assessment["rationale"], behind_latest=True
        )
    except ValidationError as error:
        if _changes_nothing(error):
            return 0
        raise
    return 1


def _superseded_entry(commitment: Commitment, history) -> StatusUpdate | None:
    for status, effective_on, precision, rationale in SUPERSEDED.get(commitment.slug, []):
        entry = history.filter(
            recorded_by=None,
            status=status,
            effective_on=effective_on,
            effective_precision=precision,
            rationale=rationale,
        ).first()
        if entry is not None:
            return entry
    return None


def _changes_nothing(error: ValidationError) -> bool:
    """The service refused the update only because the history already says the same."""
    errors = getattr(error, "error_dict", {})
    return list(errors) == ["review"] and all(e.code == "no_change" for e in errors["review"])


def _article(source: Source) -> Evidence:
    """The article itself, as the evidence for what it states: one item, reused. An
    analysis piece, hence a secondary source."""
    existing = Evidence.objects.filter(title=source.title, url=source.url).first()
    if existing:
        return existing
    return services.record_evidence(
        item=services.NewEvidence(
            title=source.title,
            url=source.url,
            publisher=source.publisher,
            published_on=source.date,
            kind=EvidenceKind.ANALYSIS,
            reliability=Reliability.SECONDARY,
        ),
        by=None,
    )


def create_demo_users(password: str) -> list[str]:
    """The demo accounts: only ever created on request (make run or --demo-users)."""
    user_model = get_user_model()
    names = []
    for row in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(username=row["username"])
        user.is_superuser = row["is_superuser"]
        user.is_staff = row["is_staff"]
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=name) for name in row["groups"]])
        names.append(user.username)
    return names
