"""How fast a long statement is read: a deterministic 30-page communiqué (about 15,000
words) extracted, and its review page rendered for an Editor.

    python -m bench.communique [--words 15000] [--repeat 15]

Extraction is timed as a pure function (median of the runs, with 200 actors and 20
themes to match against); the review page and the source page through the WSGI stack
(Django's test client, logged in as an Editor) in their own SQLite database,
bench/communique.sqlite3, rebuilt on every run. Budgets: extraction under 2 s, the
review page under 500 ms. It prints the figures and writes bench/communique.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "communique.json"
DATABASE = ROOT / "bench" / "communique.sqlite3"

COUNTRIES = [f"Country{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(200)]
SUBJECTS = ["We", "The Leaders", "Both sides", "{a} and {b}", "{a}"]
PROMISES = [
    "{s} will launch a joint programme on {topic} by {when}.",
    "{s} commit to doubling investment in {topic} before the end of {year}.",
    "{s} agreed to hold an annual dialogue on {topic}.",
    "{s} intend to conclude negotiations on {topic} in the first half of {year}.",
    "{s} will continue to support international cooperation on {topic}.",
    "{s} aim to publish a roadmap on {topic} in Q{q} {year}.",
]
OTHERS = [
    "{s} welcomed the progress made on {topic} since the last summit.",
    "{s} noted with satisfaction the report on {topic}.",
    "{s} recalled the declaration on {topic} adopted in {past}.",
    "{s} expressed concern about the situation regarding {topic}.",
    "The meeting took place in a warm and friendly atmosphere, and the discussions on {topic} were frank.",
    "{s} thanked the presidency for its work on {topic}.",
    "Trade in {topic} grew by {n} per cent last year, according to the secretariat.",
]
TOPICS = [
    "critical minerals",
    "offshore wind",
    "hydrogen",
    "semiconductors",
    "maritime security",
    "cyber defence",
    "health systems",
    "food security",
    "student exchanges",
    "space research",
    "climate adaptation",
    "export controls",
    "digital infrastructure",
    "nuclear safety",
    "disaster risk reduction",
    "supply chains",
    "artificial intelligence",
    "fisheries",
]


def communique(words: int, seed: int = 2026) -> str:
    rng = random.Random(seed)
    lines, count, number = ["Leaders' Communiqué", "Summit, 12 March 2026", ""], 0, 1

    def fill(template: str) -> str:
        a, b = rng.sample(COUNTRIES, 2)
        subject = rng.choice(SUBJECTS).format(a=a, b=b)
        return template.format(
            s=subject,
            topic=rng.choice(TOPICS),
            when=rng.choice(["2030", "March 2027", "the end of 2028", "next year"]),
            year=rng.randint(2026, 2035),
            q=rng.randint(1, 4),
            past=rng.randint(2010, 2025),
            n=rng.randint(2, 40),
        )

    while count < words:
        if number % 12 == 0:
            block = [f"{number}. To that end, we will:"] + [
                "- " + fill(rng.choice(PROMISES)).split(" ", 1)[1] for _ in range(4)
            ]
        else:
            sentences = [
                fill(rng.choice(PROMISES if rng.random() < 0.35 else OTHERS)) for _ in range(4)
            ]
            block = [f"{number}. " + " ".join(sentences)]
        lines.extend(block)
        count += sum(len(line.split()) for line in block)
        number += 1
    return "\n".join(lines) + "\n"


def time_extraction(text: str, repeat: int) -> dict:
    from commitments.extraction import ActorRef, ThemeRef, extract

    actors = [ActorRef(i, name, (name.upper(),)) for i, name in enumerate(COUNTRIES)]
    themes = [ThemeRef(i, topic.title(), "") for i, topic in enumerate(TOPICS[:20])]
    times, result = [], None
    for _ in range(max(repeat // 3, 3)):
        started = time.perf_counter()
        result = extract(text, actors=actors, themes=themes)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "candidates": len(result.candidates),
        "sentences": len(result.segments),
    }


def remove_database() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)


def setup_django() -> None:
    remove_database()
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def time_pages(text: str, repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from commitments.models import Actor, Source, Theme

    Actor.objects.bulk_create(
        [Actor(name=name, slug=name.lower(), kind="government") for name in COUNTRIES]
    )
    Theme.objects.bulk_create([Theme(name=t.title(), slug=t.replace(" ", "-")) for t in TOPICS])
    source = Source.objects.create(
        title="Leaders' Communiqué", kind="joint_statement", full_text=text.strip()
    )
    editor = get_user_model().objects.create_user("editor")
    editor.groups.set([Group.objects.get(name="Editors")])
    client = Client()
    client.force_login(editor)
    results = {}
    for name, url in (
        ("review page", f"/sources/{source.slug}/extract/"),
        ("source page", f"/sources/{source.slug}/"),
    ):
        queries: list[str] = []

        def count(run, sql, *rest, seen=queries):
            seen.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
            "queries": len(queries),
            "kilobytes": round(len(response.content) / 1024),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=int, default=15_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup_django()
    text = communique(args.words)
    extraction = time_extraction(text, args.repeat)
    pages = time_pages(text, args.repeat)
    results = {
        "words": len(text.split()),
        "characters": len(text),
        "extraction": extraction,
        "extraction_budget_met": extraction["p50_ms"] < 2000,
        **pages,
        "review_budget_met": pages["review page"]["p50_ms"] < 500,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    from django.db import connections

    connections.close_all()
    remove_database()


if __name__ == "__main__":
    main()
