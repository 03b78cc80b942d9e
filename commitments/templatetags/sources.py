"""A stored statement's coverage: its text with the sentences that became commitments
linked to them and their status, and a commitment's quote linked to its place. One
query each, and none for a source without a stored text."""

from __future__ import annotations

from django import template

from ..extraction.highlight import anchor, pieces
from ..models import SourceQuote

register = template.Library()


@register.inclusion_tag("commitments/extraction/_coverage.html")
def source_coverage(source):
    if not source.full_text:
        return {"source": source, "pieces": None}
    places = list(
        SourceQuote.objects.filter(source=source)
        .select_related("commitment")
        .only(
            "start",
            "end",
            "commitment__slug",
            "commitment__title",
            "commitment__status",
            "commitment__kind",
        )
        .order_by("start", "end", "id")
    )
    by_span: dict[tuple[int, int], list] = {}
    for place in places:
        by_span.setdefault((place.start, place.end), []).append(place.commitment)
    shown = pieces(source.full_text, [(s, e, "accepted") for s, e in by_span])
    for piece in shown:
        if piece.state:
            start, end = (int(x) for x in piece.anchor.split("-"))
            piece.commitments = by_span[(start, end)]
    return {"source": source, "pieces": shown, "count": len(by_span)}


@register.inclusion_tag("commitments/extraction/_quote_places.html")
def quote_places(commitment):
    source = commitment.source
    if source is None or not source.full_text:
        return {"places": []}
    places = (
        SourceQuote.objects.filter(commitment=commitment)
        .select_related("source")
        .only("start", "end", "source__slug", "source__title")
    )
    return {"places": [(p.source, anchor(p.start, p.end)) for p in places]}
