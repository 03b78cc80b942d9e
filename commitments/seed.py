"""Seed data: the Italy–Japan summit in Tokyo, from the article in shared/seeds.

Only what the article states is recorded. Its own date is not given, so the source
date stays unknown. Statuses are set only where the text supports them, with the
article itself as evidence.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from . import services
from .choices import (
    ActorKind,
    EvidenceKind,
    Kind,
    PartyRole,
    Precision,
    Reliability,
    SourceKind,
    Status,
)
from .models import Actor, Commitment, Evidence, Party, Source, StatusUpdate, Theme

SOURCE = {
    "slug": "decoding-the-news-meloni-visit-to-japan",
    "title": "Decoding the news: Prime Minister Meloni's visit to Japan",
    "kind": SourceKind.ANALYSIS,
    "date": None,
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

# When the seed's assessments were made; used as the effective date where the article
# reports a state of affairs without dating it.
ASSESSED_ON = dt.date(2026, 11, 25)

COMMITMENTS = [
    {
        "slug": "action-plan-2024-2027",
        "title": "Implement the 2024–2027 Action Plan of the Special Strategic Partnership",
        "kind": Kind.FRAMEWORK,
        "quote": "The bilateral relationship is already framed by the 2024–2027 Action Plan, under which Japan and Italy define their ties as a “Special Strategic Partnership”",
        "quote_location": "Shared priorities",
        "summary": "The umbrella plan that frames the bilateral relationship as a Special Strategic Partnership.",
        "themes": ["diplomacy-and-culture"],
        "parties": BILATERAL,
        "deadline": (dt.date(2027, 12, 31), Precision.YEAR),
    },
    {
        "slug": "160th-anniversary-initiatives-2026",
        "title": "Initiatives throughout 2026 for the 160th anniversary of diplomatic relations",
        "kind": Kind.RECURRING,
        "quote": "Rome and Tokyo are planning a series of initiatives throughout 2026 to mark the anniversary",
        "quote_location": "160 years of ties and a forward-looking agenda, 2nd bullet",
        "summary": "A series of initiatives marking 160 years of diplomatic relations between Italy and Japan.",
        "themes": ["diplomacy-and-culture"],
        "parties": BILATERAL,
        "deadline": (dt.date(2026, 12, 31), Precision.YEAR),
    },
    {
        "slug": "foip-rule-of-law",
        "title": "Cooperate in the Indo-Pacific within a Free and Open Indo-Pacific based on the rule of law",
        "kind": Kind.STANDING,
        "parent": "action-plan-2024-2027",
        "quote": "A first and natural testing ground is the Indo-Pacific, within the framework of a Free and Open Indo-Pacific (FOIP)based on the rule of law.",
        "quote_location": "Shared priorities, 1st bullet",
        "themes": ["maritime-security-indo-pacific"],
        "parties": BILATERAL,
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
    },
    {
        "slug": "politico-military-dialogue",
        "title": "Hold a regular politico-military dialogue",
        "kind": Kind.RECURRING,
        "parent": "action-plan-2024-2027",
        "quote": "Regular politico-military dialogue.",
        "quote_location": "Defence cooperation is advancing on multiple tracks, 1st bullet",
        "themes": ["defence-and-security"],
        "parties": BILATERAL,
    },
    {
        "slug": "acsa-agreement",
        "title": "Keep the Acquisition and Cross-Servicing Agreement (ACSA) in force",
        "kind": Kind.STANDING,
        "parent": "action-plan-2024-2027",
        "quote": "Joint training and military exercises are enabled by the ACSA agreement, in force since September 2025.",
        "quote_location": "Defence cooperation is advancing on multiple tracks, 2nd bullet",
        "themes": ["defence-and-security"],
        "parties": BILATERAL,
        "status": {
            "status": Status.ACHIEVED,
            "progress": 100,
            "effective_on": dt.date(2025, 9, 1),
            "effective_precision": Precision.MONTH,
            "rationale": "The article states that the ACSA agreement has been in force since September 2025.",
        },
    },
    {
        "slug": "joint-training-and-exercises",
        "title": "Conduct joint training and military exercises",
        "kind": Kind.RECURRING,
        "parent": "action-plan-2024-2027",
        "quote": "Joint training and military exercises are enabled by the ACSA agreement, in force since September 2025.",
        "quote_location": "Defence cooperation is advancing on multiple tracks, 2nd bullet",
        "themes": ["defence-and-security"],
        "parties": BILATERAL,
    },
    {
        "slug": "gcap-next-generation-fighter",
        "title": "Deliver a next-generation fighter through the Global Combat Air Programme (GCAP) with the UK",
        "kind": Kind.DELIVERABLE,
        "quote": "Progress on the Global Combat Air Programme (GCAP) with the UK, aiming to deliver a next-generation fighter by 2035.",
        "quote_location": "Defence cooperation is advancing on multiple tracks, 3rd bullet",
        "themes": ["defence-and-security", "technology-and-industry"],
        "parties": [
            ("italy", PartyRole.LEAD),
            ("japan", PartyRole.LEAD),
            ("united-kingdom", PartyRole.PARTNER),
        ],
        "deadline": (dt.date(2035, 12, 31), Precision.YEAR),
        "status": {
            "status": Status.IN_PROGRESS,
            "progress": None,
            "effective_on": ASSESSED_ON,
            "effective_precision": Precision.DAY,
            "rationale": "The article reports progress on GCAP with the UK, aiming to deliver a next-generation fighter by 2035.",
        },
    },
    {
        "slug": "new-defence-technologies",
        "title": "Expand cooperation on new defence technologies and equipment beyond GCAP",
        "kind": Kind.DELIVERABLE,
        "parent": "action-plan-2024-2027",
        "quote": "Beyond GCAP, both sides signalled openness to expanding cooperation on new defence technologies and equipment.",
        "quote_location": "Defence cooperation is advancing on multiple tracks, 4th bullet",
        "themes": ["defence-and-security", "technology-and-industry"],
        "parties": BILATERAL,
    },
    {
        "slug": "economic-security-shared-concerns",
        "title": "Address shared concerns on non-market practices, export restrictions and supply chain vulnerabilities",
        "kind": Kind.STANDING,
        "quote": "Italy and Japan share concerns over: Non-market practices. Export restrictions. Supply chain vulnerabilities. Market distortions and overcapacity.",
        "quote_location": "Technology, industry and supply chains",
        "themes": ["economic-security-supply-chains"],
        "parties": BILATERAL,
    },
    {
        "slug": "ai-robotics-semiconductors-biomanufacturing",
        "title": "Cooperate on AI, robotics, semiconductors and biomanufacturing",
        "kind": Kind.DELIVERABLE,
        "quote": "AI robotics, semiconductors, and biomanufacturing",
        "quote_location": "Technology, industry and supply chains, last bullet",
        "themes": ["technology-and-industry", "economic-security-supply-chains"],
        "parties": BILATERAL,
    },
    {
        "slug": "business-dialogue-business-group",
        "title": "Intensify dialogue between companies and start-ups, with the Italy–Japan Business Group",
        "kind": Kind.RECURRING,
        "quote": "Companies and start-ups from both countries are expected to intensify dialogue, with the Italy–Japan Business Group playing a central role in deepening economic ties.",
        "quote_location": "Tech-cooperation",
        "themes": ["technology-and-industry"],
        "parties": [
            ("italy", PartyRole.PARTNER),
            ("japan", PartyRole.PARTNER),
            ("italy-japan-business-group", PartyRole.LEAD),
        ],
    },
    {
        "slug": "asi-jaxa-space-cooperation",
        "title": "Build on ASI–JAXA collaboration and open new commercial, industrial and security partnerships in space",
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
    },
    {
        "slug": "oppose-unilateral-change-status-quo-unclos",
        "title": "Oppose unilateral attempts to change the status quo by force in the East and South China Seas; uphold UNCLOS",
        "kind": Kind.STANDING,
        "quote": "Rome and Tokyo strongly oppose any unilateral attempt to change the status quo by force in the East and South China Seas, reaffirming the centrality of the UN Convention on the Law of the Sea as the legal framework governing all maritime activity.",
        "quote_location": "Takeaways from Japan, 2nd bullet",
        "themes": ["maritime-security-indo-pacific"],
        "parties": BILATERAL,
    },
    {
        "slug": "digital-and-energy-transition-cooperation",
        "title": "Strengthen cooperation on digital transformation and the energy transition",
        "kind": Kind.RECURRING,
        "quote": "in an increasingly unstable world, cooperation cannot be static. It must be strengthened continuously, especially in areas such as digital transformation, energy transition, and the fragmentation of the global economic order.",
        "quote_location": "Leadership affinity, 2nd bullet",
        "themes": ["energy-and-digital-transition"],
        "parties": BILATERAL,
    },
]

DEMO_USERS = [
    {"username": "admin", "is_superuser": True, "is_staff": True, "groups": []},
    {"username": "analyst", "is_superuser": False, "is_staff": False, "groups": ["Analysts"]},
]


def _upsert(model, lookup: dict, values: dict):
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        for key in changed:
            setattr(obj, key, values[key])
        if changed:
            obj.save()
    return obj, created


@transaction.atomic
def load_seed() -> dict[str, int]:
    """Load the summit's commitments. Safe to run again: it updates in place and never
    duplicates rows or history."""
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

    commitments: dict[str, Commitment] = {}
    for row in COMMITMENTS:
        deadline, precision = row.get("deadline") or (None, "")
        values = {
            "title": row["title"],
            "kind": row["kind"],
            "summary": row.get("summary", ""),
            "quote": row["quote"],
            "quote_location": row.get("quote_location", ""),
            "source": source,
            "deadline": deadline,
            "deadline_precision": precision,
            "parent": commitments.get(row.get("parent")),
        }
        commitment, was_created = _upsert(Commitment, {"slug": row["slug"]}, values)
        created["commitments"] += was_created
        commitments[row["slug"]] = commitment
        commitment.themes.set([themes[slug] for slug in row["themes"]])
        for actor_slug, role in row["parties"]:
            _upsert(Party, {"commitment": commitment, "actor": actors[actor_slug]}, {"role": role})
        Party.objects.filter(commitment=commitment).exclude(
            actor__slug__in=[slug for slug, _ in row["parties"]]
        ).delete()

        if row.get("status") and not StatusUpdate.objects.filter(commitment=commitment).exists():
            services.record_status_update(
                commitment=commitment,
                by=None,
                evidence=[_article(source)],
                behind_latest=True,
                **row["status"],
            )
            created["updates"] += 1
    return created


def _article(source: Source) -> Evidence:
    """The article itself, as the evidence for what it states: one item, reused."""
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
