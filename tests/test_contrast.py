"""The "Corrected" badge is legible: its text against its background, as the
stylesheets draw them (opacity on the corrected entry included), reaches WCAG's 4.5:1."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parent.parent / "static" / "css"
WHITE = (255, 255, 255)


def rules(css: str) -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def hex_rgb(value: str) -> tuple[int, int, int]:
    value = value.strip().lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def luminance(rgb) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(rgb, opacity: float, under=WHITE):
    return tuple(round(opacity * c + (1 - opacity) * u) for c, u in zip(rgb, under, strict=True))


def declared(all_rules, selector_part: str, prop: str) -> str | None:
    found = None
    for selector, body in all_rules:
        if selector_part in selector.split(","):
            match = re.search(rf"(?:^|;)\s*{re.escape(prop)}\s*:\s*([^;]+)", body)
            if match:
                found = match.group(1).strip()
    return found


def corrected_badge_contrast() -> float:
    all_rules = rules("".join(p.read_text(encoding="utf-8") for p in sorted(CSS.glob("*.css"))))
    bg = hex_rgb(declared(all_rules, ".badge-corrected", "--vocab-bg"))
    fg = hex_rgb(declared(all_rules, ".badge-corrected", "--vocab-fg"))
    # An opacity on the corrected history entry fades the badge inside it too.
    opacity = float(declared(all_rules, ".timeline .corrected", "opacity") or 1)
    return contrast(blend(fg, opacity), blend(bg, opacity))


def test_it_draws_the_corrected_badge_at_4_5_to_1_or_better():
    assert corrected_badge_contrast() >= 4.5


def test_it_measures_contrast_as_wcag_does():
    assert round(contrast((0, 0, 0), WHITE), 1) == 21.0
    assert round(contrast(hex_rgb("#767676"), WHITE), 2) == 4.54
    assert contrast(hex_rgb("#777777"), WHITE) < 4.5  # just below the line
    assert contrast(blend(hex_rgb("#767676"), 0.9), WHITE) < 4.5  # faded below it


def test_it_keeps_the_badge_class_the_template_uses():
    template = Path(__file__).resolve().parent.parent / "templates/commitments/browse/detail.html"
    assert (
        '<span class="badge badge-corrected">{% translate "Corrected" %}</span>'
        in template.read_text()
    )
