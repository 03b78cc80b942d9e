"""A text cut into stretches for display, each sentence of interest marked with its state
and an anchor (`"<start>-<end>"`) that pages link to."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Piece:
    text: str
    state: str = ""  # "" for plain text; "open", "marked", "accepted", "linked", "rejected"
    anchor: str = ""
    href: str = ""
    commitments: list = field(default_factory=list)


def anchor(start: int, end: int) -> str:
    return f"{start}-{end}"


def pieces(text: str, spans: list[tuple[int, int, str]]) -> list[Piece]:
    """`text` cut at `spans` (start, end, state); a span overlapping one already shown
    stays plain."""
    result, at = [], 0
    for start, end, state in sorted(spans):
        if start < at:
            continue
        if start > at:
            result.append(Piece(text[at:start]))
        result.append(Piece(text[start:end], state, anchor(start, end)))
        at = end
    if at < len(text):
        result.append(Piece(text[at:]))
    return result
