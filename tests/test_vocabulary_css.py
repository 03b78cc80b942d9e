"""The colours in static/css/vocabulary.css are the ones in commitments/choices.py, and no
page carries a style of its own (the Content Security Policy refuses inline styles)."""

import re
from pathlib import Path

from commitments.choices import HEALTH_STYLE, STATUS_STYLE

ROOT = Path(__file__).resolve().parent.parent
RULE = re.compile(r"\.(?P<vocabulary>status|health)-(?P<key>[a-z_]+)\s*\{(?P<body>[^}]*)\}")
PROPERTY = re.compile(r"--vocab-(?P<name>bg|fg)\s*:\s*(?P<value>#[0-9a-fA-F]{6})\s*;")


def vocabulary_css() -> dict[str, dict[str, dict[str, str]]]:
    found: dict[str, dict[str, dict[str, str]]] = {"status": {}, "health": {}}
    text = (ROOT / "static/css/vocabulary.css").read_text()
    for rule in RULE.finditer(text):
        colours = {m["name"]: m["value"].lower() for m in PROPERTY.finditer(rule["body"])}
        found[rule["vocabulary"]][rule["key"]] = colours
    return found


def expected(styles: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {str(key): {"bg": s["bg"].lower(), "fg": s["fg"].lower()} for key, s in styles.items()}


def test_it_colours_every_status_and_health_class_as_choices_py_says():
    css = vocabulary_css()
    assert css["status"] == expected(STATUS_STYLE)
    assert css["health"] == expected(HEALTH_STYLE)


def test_it_keeps_style_attributes_and_style_blocks_out_of_templates():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\sstyle\s*=|<style[\s>]", line, re.IGNORECASE)
    ]
    assert offenders == []


def test_it_links_the_vocabulary_colours_from_every_page(client, db):
    assert "css/vocabulary.css" in client.get("/commitments/").content.decode()
