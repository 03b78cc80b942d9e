"""The commitments already tracked that a sentence most resembles: full-text ranking on
PostgreSQL (the stored, indexed search document), word overlap on SQLite. One query."""

from __future__ import annotations

import re

from django.db.models import F, Q

from ..filters import is_postgres
from ..models import Commitment

_WORD = re.compile(r"[^\W\d_]{4,}")
_COMMON = frozenset(
    [
        "will",
        "shall",
        "their",
        "they",
        "them",
        "with",
        "from",
        "that",
        "this",
        "these",
        "those",
        "have",
        "been",
        "both",
        "which",
        "also",
        "into",
        "other",
        "more",
        "such",
        "than",
        "upon",
        "between",
        "including",
        "leaders",
        "countries",
        "two",
    ]
)
SCAN = 300


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in _WORD.findall(text.lower()) if w not in _COMMON))


def similar_commitments(text: str, *, limit: int = 5) -> list[Commitment]:
    words = _words(text)
    if not words:
        return []
    rows = Commitment.objects.only("slug", "title", "quote", "deadline", "deadline_precision")
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(" | ".join(words), search_type="raw", config="english")
        return list(
            rows.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", "title")[:limit]
        )
    longest = sorted(words, key=len, reverse=True)[:6]
    condition = Q()
    for word in longest:
        condition |= Q(title__icontains=word) | Q(quote__icontains=word)
    wanted = set(words)

    def overlap(commitment: Commitment) -> float:
        theirs = set(_words(f"{commitment.title} {commitment.quote}"))
        return len(wanted & theirs) / (len(wanted | theirs) or 1)

    scored = [(overlap(c), c) for c in rows.filter(condition)[:SCAN]]
    scored = [(score, c) for score, c in scored if score > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1].title))
    return [c for _, c in scored[:limit]]
