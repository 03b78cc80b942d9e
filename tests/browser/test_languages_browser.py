"""Every page in Italian and in Japanese, in a real Chromium: no English interface text.

The pages' visible text, their accessible names (aria-label, title, alt, placeholder) and
their titles are compared with the English msgids of the catalogue: a text that is one
of them, or holds a phrase of three words or more from one, was left untranslated. Data
(commitments' titles, actors, themes, sources, user names) is taken out first. Japanese
pages in `STRICT` must also show no run of English words at all, which finds strings
that were never marked. `PAGES` is the one list of pages to walk; add each new page to it.

Italian is chosen with the switcher's cookie, Japanese with the browser's own language
(Accept-Language), so both ways are walked.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from commitments import digests
from commitments.choices import Status
from commitments.models import (
    Actor,
    Commitment,
    Milestone,
    PartyAssessment,
    Source,
    StatusUpdate,
    Theme,
)
from commitments.services.assessments import record_party_assessment
from tests.conftest import PASSWORD
from tests.test_dashboard import TODAY, build_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Page:
    path: str
    status: int = 200
    user: str = ""  # logged in as "reader" or "analyst"; anonymous when empty


PAGES = [
    Page("/"),
    Page("/?since=2025-12-31&as_of=2026-05-31"),
    Page("/about/"),
    Page("/accounts/login/"),
    Page("/a-page-that-is-not-here/", status=404),
    Page("/review/", status=403, user="reader"),
    Page("/accounts/password/", user="analyst"),
    Page("/accounts/password/done/", user="analyst"),
    Page("/commitments/"),
    Page("/commitments/?status=in_progress&sort=deadline"),
    Page("/commitments/?q=nothing-matches-this"),
    Page("/commitments/?as_of=2026-05-31"),
    Page("/commitments/fighter/"),
    Page("/commitments/dialogue/"),
    Page("/actors/"),
    Page("/actors/japan/"),
    Page("/themes/"),
    Page("/themes/defence/"),
    Page("/sources/"),
    Page("/sources/leaders-statement/"),
    Page("/scorecard/"),
    Page("/activity/"),
    Page("/review/", user="analyst"),
    Page("/watching/", user="analyst"),
    Page("/commitments/fighter/update/", user="analyst"),
    Page("/commitments/fighter/milestones/add/", user="analyst"),
    Page("/commitments/fighter/parties/assess/", user="analyst"),
    Page("/commitments/update-several/?status=in_progress", user="analyst"),
    Page("/import/", user="editor"),
    Page("/sources/add/", user="editor"),
    Page("/sources/leaders-statement/text/", user="editor"),
    Page("/review/assign/?c=fighter&c=port", user="editor"),
    Page("/review/assign/", status=400, user="editor"),
    Page("/watching/unsubscribe/not-a-real-token/", status=400),
    # Addresses with an id or a token in them name it in braces; `register` fills it in.
    Page("/watching/unsubscribe/{token}/"),
    Page("/actors/italy/"),
    Page("/commitments/fighter/updates/{update}/correct/", user="analyst"),
    Page("/commitments/fighter/milestones/{milestone}/complete/", user="analyst"),
    Page("/sources/action-plan/extract/", user="editor"),
    Page("/sources/leaders-statement/extract/", user="editor"),
    Page("/sources/action-plan/text/", user="editor"),
    Page("/commitments/dialogue/parties/assess/?corrects={assessment}", user="analyst"),
    Page("/admin/", user="superuser"),
    Page("/admin/commitments/commitment/", user="superuser"),
    Page("/admin/commitments/commitment/{commitment}/change/", user="superuser"),
    Page("/admin/commitments/statusupdate/", user="superuser"),
    Page("/admin/commitments/actor/", user="superuser"),
]
# Japanese pages on which every word must be Japanese (or an allowed name): strings that
# were never marked show up here too.
# All but those that show a source's English text and the extraction's English cues, and
# the admin's commitment form, whose date boxes are read in English ("end of 2027").
STRICT = {p.path for p in PAGES} - {
    "/sources/add/",
    "/sources/action-plan/extract/",
    "/sources/leaders-statement/extract/",
    "/sources/action-plan/text/",
    "/admin/commitments/commitment/{commitment}/change/",
}
# Words that stay as they are in every language.
# Two English words in a row, on a page that should have none.
ENGLISH_WORDS = r"[A-Za-z][A-Za-z'-]+(?:\s+[A-Za-z][A-Za-z'-]+)+"
KEPT = {
    "API",
    "CSV",
    "JSON",
    "XLSX",
    "Excel",
    "Atom",
    "English",
    "Italiano",
    "YYYY-MM-DD",
    "G7",
    "G20",
}

TEXTS = """() => {
  const out = [document.title];
  const page = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, code")) continue;
    const lang = el.closest("[lang]");
    if (lang && lang.lang !== page) continue;  // a language's own name in the switcher
    out.push(node.textContent);
  }
  for (const el of document.body.querySelectorAll("[aria-label], [title], [alt], [placeholder]")) {
    const lang = el.closest("[lang]");
    if (lang && lang.lang !== page) continue;
    for (const name of ["aria-label", "title", "alt", "placeholder"]) {
      if (el.hasAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  return out.map((t) => t.replace(/\\s+/g, " ").trim()).filter(Boolean);
}"""


def catalogue(language: str) -> list[tuple[str, list[str]]]:
    """Each entry's English texts (msgid, msgid_plural) and its translations."""
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    text = subprocess.run(
        [shutil.which("msgcat") or "msgcat", "--no-wrap", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result, english, translated = [], [], []
    for line in text.splitlines() + [""]:
        if line.startswith(("msgid ", "msgid_plural ")):
            english.append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith("msgstr"):
            translated.append(ast.literal_eval(line.split(" ", 1)[1]))
        elif not line.strip() and english:
            if english[0]:
                result.append((english, translated))
            english, translated = [], []
    return result


def fragments(language: str) -> set[str]:
    """The English words of every msgid, cut at its placeholders and tags, without those
    that read the same in the translation (API, Password, 2035...) or are another entry's
    translation."""
    found = set()
    entries = catalogue(language)
    # A word that is itself a translation reads right: Italian "Date" (dates) is not "Date".
    translations = {t for _english, translated in entries for t in translated}
    for english, translated in entries:
        for msgid in english:
            plain = re.sub(r"<[^>]+>", " ", msgid.replace("%%", "%"))
            for piece in re.split(r"%\(\w+\)[sd]", plain):
                piece = re.sub(r"\s+", " ", piece).strip(" .,:;·()“”\"'—-")
                if len(re.findall(r"[A-Za-z]", piece)) < 2:
                    continue
                if any(piece in t for t in translated) or piece in translations:
                    continue
                found.add(piece)
    return found


def data_words() -> list[str]:
    names = [
        *Commitment.objects.values_list("title", flat=True),
        *Actor.objects.values_list("name", flat=True),
        *Theme.objects.values_list("name", flat=True),
        *Source.objects.values_list("title", flat=True),
        *Milestone.objects.values_list("title", flat=True),
        *StatusUpdate.objects.values_list("rationale", flat=True),
        *PartyAssessment.objects.values_list("rationale", flat=True),
        "ana",
    ]
    return sorted({n for n in names if n}, key=len, reverse=True)


def untranslated(texts: list[str], english: set[str], data: list[str], strict: bool) -> list[str]:
    found = []
    for text in texts:
        for name in data:
            text = text.replace(name, " ")
        text = re.sub(r"\s+", " ", text).strip(" .,:;·()“”\"'—-")
        if not text:
            continue
        for piece in english:
            if text == piece or (len(piece.split()) >= 3 and piece in text):
                found.append(f"{text!r} (msgid text {piece!r})")
                break
        else:
            if strict:
                runs = re.findall(ENGLISH_WORDS, text)
                words = [w for w in runs if not all(part in KEPT for part in w.split())]
                found.extend(f"{text!r} (English words {w!r})" for w in words)
    return found


SOURCE_TEXT = (
    "Italy and Japan will deliver the next fighter by 2035. "
    "Both sides will hold a dialogue on energy every year."
)


@pytest.fixture
def register(make, reader, analyst, editor, superuser):
    register = build_register(make)
    fighter, italy = register["Fighter"], Actor.objects.get(slug="italy")
    # A source with its text, for the extraction's review page; party assessments, for
    # an actor's scorecard.
    Source.objects.filter(slug="action-plan").update(full_text=SOURCE_TEXT)
    for commitment in (register["Treaty"], register["Dialogue"]):
        record_party_assessment(
            commitment=commitment,
            actor=italy,
            status=Status.IN_PROGRESS,
            score=0,
            rationale="Work under way.",
            evidence=[make.evidence(commitment)],
            effective_on=dt.date(2026, 1, 5),
            by=None,
        )
    ids = {
        "token": digests.unsubscribe_token(reader),
        "update": StatusUpdate.objects.filter(commitment=fighter).latest("pk").pk,
        "milestone": Milestone.objects.get(commitment=fighter, title="Design").pk,
        "assessment": PartyAssessment.objects.filter(party__commitment=register["Dialogue"])
        .get()
        .pk,
        "commitment": fighter.pk,
    }
    with time_machine.travel(TODAY, tick=True):
        yield {
            **register,
            "ids": ids,
            "users": {
                "reader": reader,
                "analyst": analyst,
                "editor": editor,
                "superuser": superuser,
            },
        }


def log_in(page, live_server, user, language: str):
    """Log `user` in, leaving the language as it was chosen (cookie or browser)."""
    page.context.clear_cookies()
    if language == "it":
        choose_italian(page, live_server)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.get_username())
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def choose_italian(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "it", "url": live_server.url}])


def walk(page, live_server, register, language: str) -> dict[str, list[str]]:
    users = register["users"]
    english = fragments(language)
    data = data_words()
    problems: dict[str, list[str]] = {}
    current = ""
    for entry in sorted(PAGES, key=lambda p: p.user):
        if entry.user != current:
            log_in(page, live_server, users[entry.user], language)
            current = entry.user
        response = page.goto(f"{live_server.url}{entry.path.format(**register['ids'])}")
        assert response is not None and response.status == entry.status, entry.path
        assert page.locator("html").get_attribute("lang") == language, entry.path
        strict = language == "ja" and entry.path in STRICT
        found = untranslated(page.evaluate(TEXTS), english, data, strict)
        if found:
            problems[entry.path] = found
    return problems


def test_it_shows_every_page_in_italian(page, live_server, register):
    choose_italian(page, live_server)
    assert walk(page, live_server, register, "it") == {}


def test_it_shows_every_page_in_japanese(browser, live_server, register):
    context = browser.new_context(locale="ja-JP")  # Accept-Language: ja-JP
    try:
        page = context.new_page()
        assert walk(page, live_server, register, "ja") == {}
    finally:
        context.close()


def test_it_switches_language_from_the_header_and_stays_on_the_page(page, live_server, register):
    page.goto(f"{live_server.url}/about/#health")
    page.get_by_role("button", name="日本語").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/about/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == "トラッカーの仕組み"
    page.goto(f"{live_server.url}/")  # the choice is kept
    assert page.locator("h1").inner_text() == "実施状況ダッシュボード"
    page.get_by_role("button", name="Italiano").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Cruscotto dell'attuazione"


@pytest.mark.parametrize("language", ["it", "ja"])
def test_it_has_no_serious_accessibility_violations_in_each_language(
    page, live_server, register, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/?since=2025-12-31")
    assert page.locator("html").get_attribute("lang") == language
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
