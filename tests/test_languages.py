"""The interface in English, Italian and Japanese: choosing the language (Accept-Language
on a first visit, the header's switcher, the cookie), URLs without a prefix, `<html lang>`,
unknown codes falling back to English, one cached dashboard per language, and dates and
numbers as each language writes them."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import translation
from django.utils.formats import date_format, number_format

from commitments import charts, dates, deadlines
from commitments.choices import Precision, Status
from commitments.models import Milestone
from commitments.security import DatabaseUnavailableMiddleware
from commitments.services import record_status_update
from commitments.services.assessments import record_party_assessment

TODAY = dt.date(2026, 3, 12)
COOKIE = "django_language"


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2026, 3, 12, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


# -- choosing the language ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "lang", "heading"),
    [
        ("it-IT,it;q=0.9,en;q=0.5", "it", "Cruscotto dell'attuazione"),
        ("ja,en-US;q=0.7", "ja", "実施状況ダッシュボード"),
        ("en-US,en;q=0.9", "en-gb", "Execution dashboard"),
        ("", "en-gb", "Execution dashboard"),
    ],
)
def test_it_answers_in_the_accept_language_on_a_first_visit(client, db, header, lang, heading):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert response["Content-Language"] == lang
    assert heading in response.content.decode()


@pytest.mark.parametrize(
    "header",
    ["xx", "klingon-KL", "*", "zz;q=abc", ",,,;;;", "ja-" + "x" * 600, "\u65e5\u672c\u8a9e"],
)
def test_it_falls_back_to_english_for_an_unknown_accept_language(client, db, header):
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert html_lang(response) == "en-gb"


@pytest.mark.parametrize("code", ["xx", "de", "", "it<script>", "ja" * 100])
def test_it_falls_back_to_english_for_an_unknown_language_cookie(client, db, code):
    client.cookies[COOKIE] = code
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert html_lang(response) == "en-gb"


def test_it_keeps_the_language_chosen_in_the_switcher(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "it", "next": "/about/?x=1"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 302
    assert response["Location"] == "/about/?x=1"  # back to the same page
    assert client.cookies[COOKIE].value == "it"
    # The choice wins over the browser's own language on every later page.
    later = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")
    assert html_lang(later) == "it"
    assert "Cruscotto dell'attuazione" in later.content.decode()


@pytest.mark.parametrize("code", ["xx", "", "de", "it-XX-extra" * 20])
def test_it_refuses_an_unknown_language_from_the_switcher_without_an_error(client, db, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert COOKIE not in client.cookies
    assert html_lang(client.get("/about/")) == "en-gb"


def test_it_never_sends_the_switcher_off_site(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "ja", "next": "https://evil.example/"}, HTTP_REFERER=""
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_it_shows_the_switcher_in_the_header_as_a_plain_form(client, db):
    html = client.get("/commitments/?q=gcap", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    form = re.search(r'<form method="post" action="/i18n/setlang/".*?</form>', html, re.S)[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="/commitments/?q=gcap"' in form
    # Each language named in its own language, whatever the page's language.
    for code, name in [("en-gb", "English"), ("it", "Italiano"), ("ja", "日本語")]:
        assert f'value="{code}" lang="{code}"' in form
        assert f">{name}</button>" in form
    assert 'value="ja" lang="ja" class="link-button" aria-pressed="true"' in form


def test_it_lets_a_visitor_choose_a_language_when_the_tracker_is_private(client, db, settings):
    settings.TRACKER_PUBLIC = False
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    login = client.get("/accounts/login/")
    assert html_lang(login) == "ja"
    assert "ログイン" in login.content.decode()


def test_it_keeps_addresses_without_a_language_prefix(client, db):
    assert client.get("/it/").status_code == 404
    assert client.get("/ja/about/").status_code == 404
    assert client.get("/about/", HTTP_ACCEPT_LANGUAGE="ja").status_code == 200


def test_it_varies_every_page_on_the_language_header_and_cookie(client, db):
    vary = client.get("/about/")["Vary"]
    assert "Accept-Language" in vary
    assert "Cookie" in vary


def test_it_sets_html_lang_on_pages_that_do_not_extend_the_base(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = client.get("/commitments/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 503
    assert html_lang(response) == "ja"
    assert "トラッカーは一時的に利用できません" in response.content.decode()
    with translation.override("it"):
        outage = DatabaseUnavailableMiddleware(lambda request: None).process_exception(
            RequestFactory().get("/"), OperationalError("gone")
        )
    assert '<html lang="it">' in outage.content.decode()


def test_it_answers_the_not_found_page_in_the_readers_language(client, db):
    response = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 404
    assert html_lang(response) == "it"
    assert "Pagina non trovata" in response.content.decode()


# -- the dashboard's cache ---------------------------------------------------------------------
def test_it_never_serves_one_languages_cached_dashboard_to_another(client, make, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    make.commitment("GCAP", deadline=dt.date(2035, 12, 31), precision=Precision.YEAR)
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    italian = client.get("/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    japanese = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    cache.clear()
    assert "All commitments" in english and "entro il 2035" not in english
    assert "Tutti gli impegni" in italian and "All commitments" not in italian
    assert "全コミットメント" in japanese and "Tutti gli impegni" not in japanese
    assert "Tutti gli impegni" in again  # the Italian entry, served from the cache


def test_it_keys_the_cached_widgets_by_the_language(db, settings):
    from commitments import caching

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    computed = []

    def compute():
        computed.append(translation.get_language())
        return {"label": translation.gettext("All commitments")}

    with translation.override("it"):
        assert caching.cached({}, compute) == {"label": "Tutti gli impegni"}
        assert caching.cached({}, compute) == {"label": "Tutti gli impegni"}
    with translation.override("ja"):
        assert caching.cached({}, compute) == {"label": "全コミットメント"}
    cache.clear()
    assert computed == ["it", "ja"]


# -- dates with their precision ----------------------------------------------------------------
DEADLINES = [
    (dt.date(2035, 12, 31), Precision.YEAR, "by 2035", "entro il 2035", "2035年まで"),
    (
        dt.date(2026, 9, 30),
        Precision.QUARTER,
        "by Q3 2026",
        "entro il T3 2026",
        "2026年第3四半期まで",
    ),
    (
        dt.date(2026, 3, 31),
        Precision.QUARTER,
        "by Q1 2026",
        "entro il T1 2026",
        "2026年第1四半期まで",
    ),
    (
        dt.date(2026, 12, 31),
        Precision.QUARTER,
        "by Q4 2026",
        "entro il T4 2026",
        "2026年第4四半期まで",
    ),
    (dt.date(2025, 9, 30), Precision.MONTH, "by Sep 2025", "entro settembre 2025", "2025年9月まで"),
    (dt.date(2025, 1, 31), Precision.MONTH, "by Jan 2025", "entro gennaio 2025", "2025年1月まで"),
    (
        dt.date(2026, 3, 12),
        Precision.DAY,
        "by 12 Mar 2026",
        "entro il 12 marzo 2026",
        "2026年3月12日まで",
    ),
]


@pytest.mark.parametrize(("day", "precision", "en", "it", "ja"), DEADLINES)
def test_it_writes_a_deadline_with_its_precision_in_each_language(day, precision, en, it, ja):
    for language, expected in (("en-gb", en), ("it", it), ("ja", ja)):
        with translation.override(language):
            assert dates.format_deadline(day, precision) == expected


def test_it_writes_no_deadline_in_each_language():
    expected = {"en-gb": "No deadline", "it": "Nessuna scadenza", "ja": "期限なし"}
    for language, text in expected.items():
        with translation.override(language):
            assert dates.format_deadline(None, "") == text


@pytest.mark.parametrize("language", ["it", "ja"])
def test_it_keeps_the_typed_form_of_a_period_in_english_for_the_date_reader(language):
    with translation.override(language):
        assert dates.plain_period(dt.date(2026, 9, 30), Precision.QUARTER) == "Q3 2026"
        assert dates.plain_period(dt.date(2025, 9, 30), Precision.MONTH) == "Sep 2025"


DISTANCES = [
    (365, "in 1 year", "tra 1 anno", "1年後"),
    (730, "in 2 years", "tra 2 anni", "2年後"),
    (9 * 365 + 3, "in 9 years", "tra 9 anni", "9年後"),
    (60, "in 2 months", "tra 2 mesi", "2か月後"),
    (59, "in 59 days", "tra 59 giorni", "59日後"),
    (1, "in 1 day", "tra 1 giorno", "1日後"),
    (0, "due today", "in scadenza oggi", "本日が期限"),
    (-1, "1 day overdue", "scaduto da 1 giorno", "期限を1日超過"),
    (-90, "3 months overdue", "scaduto da 3 mesi", "期限を3か月超過"),
    (-365, "1 year overdue", "scaduto da 1 anno", "期限を1年超過"),
    (-800, "2 years overdue", "scaduto da 2 anni", "期限を2年超過"),
]


@pytest.mark.parametrize(("days", "en", "it", "ja"), DISTANCES)
def test_it_says_how_far_a_deadline_is_in_each_language(days, en, it, ja):
    deadline = TODAY + dt.timedelta(days=days)
    for language, expected in (("en-gb", en), ("it", it), ("ja", ja)):
        with translation.override(language):
            assert dates.describe_distance(deadline, TODAY) == expected


def change(old, new, reason="rescheduled"):
    return SimpleNamespace(
        old_deadline=old,
        old_precision=Precision.YEAR,
        new_deadline=new,
        new_precision=Precision.YEAR,
        reason=reason,
    )


def test_it_writes_a_deadline_history_in_each_language():
    twice = [
        change(dt.date(2026, 12, 31), dt.date(2027, 12, 31)),
        change(dt.date(2027, 12, 31), dt.date(2028, 12, 31)),
    ]
    three = [*twice, change(dt.date(2028, 12, 31), dt.date(2029, 12, 31))]
    expected = {
        "en-gb": (
            "slipped twice: 2026 → 2027 → 2028",
            "slipped 3 times: 2026 → 2027 → 2028 → 2029",
        ),
        "it": (
            "slittata due volte: 2026 → 2027 → 2028",
            "slittata 3 volte: 2026 → 2027 → 2028 → 2029",
        ),
        "ja": (
            "期限を2回延期：2026年 → 2027年 → 2028年",
            "期限を3回延期：2026年 → 2027年 → 2028年 → 2029年",
        ),
    }
    for language, (two_text, three_text) in expected.items():
        with translation.override(language):
            assert deadlines.summary(twice) == two_text
            assert deadlines.summary(three) == three_text


def test_it_writes_full_dates_as_each_language_does():
    day = dt.date(2026, 11, 28)
    expected = {
        "en-gb": ("28 November 2026", "28 Nov 2026", "Nov 2026"),
        "it": ("28 novembre 2026", "28 nov 2026", "novembre 2026"),
        "ja": ("2026年11月28日", "2026年11月28日", "2026年11月"),
    }
    for language, (full, short, month) in expected.items():
        with translation.override(language):
            assert date_format(day, "DATE_FORMAT") == full
            assert date_format(day, "SHORT_DATE_FORMAT") == short
            assert charts.month_label(day) == month


def test_it_writes_decimals_as_each_language_does():
    expected = {"en-gb": "1234.5", "it": "1234,5", "ja": "1234.5"}
    for language, text in expected.items():
        with translation.override(language):
            assert number_format(1234.5) == text
            assert number_format(1234.5, force_grouping=True) in ("1,234.5", "1.234,5")


# -- pages in each language --------------------------------------------------------------------
def test_it_draws_the_charts_with_plain_coordinates_in_every_language(client, make, today):
    theme = make.theme("Defence")
    make.commitment(
        "GCAP", themes=[theme], deadline=dt.date(2035, 12, 31), precision=Precision.YEAR
    )
    make.commitment(
        "Space",
        themes=[theme],
        deadline=dt.date(2026, 9, 30),
        precision=Precision.QUARTER,
        announced_on=dt.date(2025, 1, 1),
        announced_precision=Precision.DAY,
    )
    for language in ("it", "ja"):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        svg = "".join(re.findall(r"<svg.*?</svg>", html, re.S))
        assert svg
        # A decimal comma in an SVG attribute would break the drawing.
        assert not re.search(r'(?:x|y|width|height|cx|cy)="-?\d+,\d', svg)


def test_it_writes_the_dashboards_deadlines_in_the_readers_language(client, make, today):
    make.commitment("GCAP", deadline=dt.date(2035, 12, 31), precision=Precision.YEAR)
    italian = client.get("/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    japanese = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "entro il 2035" in italian and "tra 9 anni" in italian
    assert "12 marzo 2026" in italian
    assert "2035年まで" in japanese and "9年後" in japanese
    assert "2026年3月12日" in japanese


def test_it_writes_times_of_day_as_each_language_does():
    moment = dt.datetime(2026, 11, 28, 9, 5)
    expected = {
        "en-gb": "28 Nov 2026, 09:05",
        "it": "28 nov 2026, 09:05",
        "ja": "2026年11月28日 09:05",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert date_format(moment, "SHORT_DATETIME_FORMAT") == text


@pytest.fixture
def dated(make, today):
    """A commitment with a dated source, a status update recorded today and a finished milestone."""
    source = make.source("Tokyo statement", date=dt.date(2025, 9, 4))
    commitment = make.commitment("GCAP", source=source, quote="We will build it.")
    record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        progress=40,
        by=None,
        rationale="Work has begun.",
        evidence=[make.evidence(commitment)],
        effective_on=dt.date(2026, 3, 2),
    )
    Milestone.objects.create(
        commitment=commitment, title="Design", completed_on=dt.date(2026, 2, 9)
    )
    return commitment


@pytest.mark.parametrize(
    ("language", "written", "unwritten"),
    [
        ("en-gb", ["12 Mar 2026"], []),
        ("it", ["12 mar 2026"], ["12 Mar 2026"]),
        ("ja", ["2026年3月12日"], ["12 Mar 2026", "12 3月 2026"]),
    ],
)
def test_it_writes_the_lists_dates_in_the_readers_language(
    client, dated, language, written, unwritten
):
    html = client.get("/commitments/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in written:
        assert text in html
    for text in unwritten:
        assert text not in html


@pytest.mark.parametrize(
    ("language", "written", "unwritten"),
    [
        ("en-gb", ["4 September 2025", "12 Mar 2026", "9 Feb 2026"], []),
        (
            "it",
            ["4 settembre 2025", "12 mar 2026", "9 feb 2026"],
            ["September", "12 Mar 2026", "Feb 2026"],
        ),
        (
            "ja",
            ["2025年9月4日", "2026年3月12日", "2026年2月9日"],
            ["September", "3月 2026", "2月 2026"],
        ),
    ],
)
def test_it_writes_a_commitments_dates_in_the_readers_language(
    client, dated, language, written, unwritten
):
    html = client.get(dated.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in written:
        assert text in html
    for text in unwritten:
        assert text not in html


@pytest.fixture
def scored(make):
    """Two parties with compliance scores whose percentages are not whole numbers."""
    italy, japan = make.actor("Italy"), make.actor("Japan")
    for title, scores in (("Fighter", (1, 0)), ("Radar", (0, -1)), ("Port", (1, 1))):
        commitment = make.commitment(title, parties=[italy, japan])
        evidence = make.evidence(commitment)
        for actor, score in zip((italy, japan), scores, strict=True):
            record_party_assessment(
                commitment=commitment,
                actor=actor,
                status=Status.ACHIEVED if score == 1 else Status.IN_PROGRESS,
                score=score,
                rationale="Research Group report.",
                evidence=[evidence],
                effective_on=dt.date(2026, 3, 1),
                by=None,
            )


def test_it_draws_the_scorecard_with_plain_coordinates_in_every_language(client, scored):
    for language in ("it", "ja"):
        html = client.get("/scorecard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        svg = re.search(r"<svg.*?</svg>", html, re.S)[0]
        assert not re.search(r'(?:x|y|width|height|x1|x2)="-?\d+,\d', svg)


def test_it_explains_a_locked_login_in_the_readers_language(client, analyst):
    def fail(language):
        return client.post(
            "/accounts/login/",
            {"username": "ana", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    first = fail("it")
    assert "Inserisci" in first.content.decode()  # Django's own form message, in Italian
    for _ in range(3):
        fail("it")
    locked = fail("ja")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert html_lang(locked) == "ja"
    assert "<strong>ana</strong>のログインに5回失敗したため" in html
    assert "15分後に再開します。" in html


@pytest.mark.parametrize(
    ("language", "description"),
    [
        ("en", "What governments promised each other"),
        ("it", "Ciò che i governi si sono impegnati a fare"),
        ("ja", "各国政府が互いに約束したこと"),
    ],
)
def test_every_page_describes_itself_in_the_readers_language_and_has_an_icon(
    client, language, description
):
    page = client.get("/about/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert re.search(r'<meta name="description" content="[^"]*' + description, page)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)[1]
    assert icon.endswith(".svg") and "//" not in icon  # ours, under static/, no CDN
