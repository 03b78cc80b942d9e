"""What switching language costs: the dashboard, the list and one commitment read in
Italian (the `django_language` cookie the header's switcher sets) beside the same pages
in English, timed in alternation (each going first every other round) so that both see
the same database and caches. Each page's `ratio` is Italian p50 / English p50; the
target is at most 1.10."""

from __future__ import annotations

import statistics
import time

PAGES = ("dashboard", "list", "commitment")
LANGUAGE = "it"


def _time(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return (time.perf_counter() - started) * 1000


def overhead(pages: list[tuple[str, str]], repeat: int) -> dict[str, dict]:
    from django.test import Client

    english, italian = Client(), Client()
    italian.cookies["django_language"] = LANGUAGE
    results = {}
    for name, url in pages:
        if name not in PAGES:
            continue
        for client in (english, italian):  # warm each language's caches
            _time(client, url)
        times: dict[str, list[float]] = {"en": [], LANGUAGE: []}
        # A page of 20 ms differs by 15 % between two runs of 15: twice as many pairs.
        for round_ in range(max(2 * repeat, 30)):
            # Each language goes first in every other round, so neither gains by its place.
            order = (("en", english), (LANGUAGE, italian))
            for code, client in order if round_ % 2 == 0 else reversed(order):
                times[code].append(_time(client, url))
        en, other = statistics.median(times["en"]), statistics.median(times[LANGUAGE])
        results[name] = {
            "en_p50_ms": round(en, 1),
            f"{LANGUAGE}_p50_ms": round(other, 1),
            "ratio": round(other / en, 3) if en else None,
        }
    return results
