"""`make bench`: how fast the tracker is at N commitments, and whether query counts grow.

    python -m bench [--n 100000] [--small 500] [--repeat 15] [--explain]

Builds (once per N) a deterministic synthetic register in a separate benchmark database:
a SQLite file under bench/, or, when DATABASE_URL points at PostgreSQL, a database named
after it with a `_bench_<N>` suffix. It then measures every page through the WSGI stack
(Django's test client), the dashboard, list and a commitment in Italian beside English
(bench/languages.py), the plain SQL floor of the dashboard's numbers, the streamed CSV
export of everything (peak memory, in a separate process), a 10,000-row import, the review
queue for an analyst and the digests of `--digest-users` followers (bench/keep_current.py).
It prints a table and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
# The past day the as-of pages and their floor are measured for.
AS_OF = "2024-06-30"


def bench_database_url(n: int) -> str:
    # setup_django replaces DATABASE_URL; the original stays in BENCH_BASE_DATABASE_URL so
    # the export probe and the second size's run derive their database from it too.
    base = os.environ.get("BENCH_BASE_DATABASE_URL", os.environ.get("DATABASE_URL", "")).strip()
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        name = (parts.path.lstrip("/") or "tracker") + f"_bench_{n}"
        return urlunsplit(parts._replace(path=f"/{name}"))
    return f"sqlite:///{ROOT / 'bench' / f'bench-{n}.sqlite3'}"


def setup_django(n: int) -> None:
    os.environ.setdefault("BENCH_BASE_DATABASE_URL", os.environ.get("DATABASE_URL", ""))
    os.environ["DATABASE_URL"] = bench_database_url(n)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    sys.path.insert(0, str(ROOT))
    _create_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


def _create_postgres_database(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_dataset(n: int) -> float:
    """Migrate and fill the benchmark database unless it already holds N commitments."""
    from django.core.management import call_command

    from bench import dataset
    from commitments.models import Commitment

    call_command("migrate", verbosity=0, interactive=False)
    # DEBUG is off, as in production: pages need the hashed static files' manifest.
    call_command("collectstatic", verbosity=0, interactive=False)
    count = Commitment.objects.count()
    if count == n:
        print(f"Reusing the benchmark database with {n:,} commitments.")
        dataset.add_translations()
        return 0.0
    if count:
        raise SystemExit(
            f"The benchmark database holds {count:,} commitments, not {n:,}: delete it and run again."
        )
    print(f"Building {n:,} synthetic commitments (once for this N)...")
    started = time.perf_counter()
    dataset.build(n)
    dataset.add_translations()
    seconds = time.perf_counter() - started
    print(f"Built in {seconds:.0f} s.")
    return seconds


def pages() -> list[tuple[str, str]]:
    from commitments.models import Actor, Commitment, Theme

    theme = Theme.objects.order_by("slug").first()
    actor = Actor.objects.order_by("slug").first()
    # A plain deliverable, so both sizes open the same kind of page (a framework adds its children).
    deliverables = (
        Commitment.objects.filter(kind="deliverable").exclude(status="not_rated").order_by("slug")
    )
    middle = deliverables.values_list("slug", flat=True)[deliverables.count() // 2]
    return [
        ("dashboard", "/"),
        ("dashboard as_of", f"/?as_of={AS_OF}"),
        ("dashboard theme+party", f"/?theme={theme.slug}&party={actor.slug}"),
        ("list", "/commitments/"),
        (
            "list status+theme",
            f"/commitments/?status=in_progress&status=stalled&theme={theme.slug}",
        ),
        ("list health+party", f"/commitments/?health=overdue&party={actor.slug}&sort=-updated"),
        (
            "list deadline+kind",
            "/commitments/?deadline_after=2030&deadline_before=2035&kind=deliverable&sort=progress",
        ),
        ("list search", "/commitments/?q=semiconductor+hydrogen"),
        # A word inside Japanese titles (no spaces): the translations' trigram index.
        ("list search ja", "/commitments/?q=%E6%AC%A1%E6%9C%9F%E6%88%A6%E9%97%98%E6%A9%9F"),
        ("commitment", f"/commitments/{middle}/"),
        ("api list", "/api/commitments/"),
        ("scorecard", "/scorecard/"),
        ("scorecard theme", f"/scorecard/?theme={theme.slug}&order=-compliance_percent"),
        ("api scorecard", "/api/scorecard/"),
    ]


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    queries = len(ctx.captured_queries)
    if not repeat:
        return {"p50_ms": None, "p95_ms": None, "queries": queries}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], 1),
        "queries": queries,
    }


def sql_floor(repeat: int, as_of=None) -> float:
    """The dashboard's numbers as plain SQL aggregates, run directly on the database.

    With `as_of` (a past day), the same aggregates over the register as it stood that
    day: each commitment announced by then with the status and progress of its status
    period covering the day (a derived table in place of the commitments table)."""
    import datetime as dt

    from django.db import connection

    today = as_of or dt.date.today()
    soon = today + dt.timedelta(days=90)
    stale = today - dt.timedelta(days=180)
    closed = "('partially_achieved','achieved','broken')"
    register = "commitments_commitment"
    if as_of:
        register = f"""(SELECT c.id, c.source_id, c.deadline, c.created_at, c.last_update_at,
                               COALESCE(p.status, 'not_rated') AS status, p.progress
                          FROM commitments_commitment c
                          LEFT JOIN commitments_statusperiod p ON p.commitment_id = c.id
                               AND p.valid_from <= '{as_of}'
                               AND (p.valid_to IS NULL OR p.valid_to > '{as_of}')
                         WHERE c.announced_on IS NULL OR c.announced_on <= '{as_of}')"""
    statements = [
        f"SELECT status, COUNT(*) FROM {register} c GROUP BY status",
        f"""SELECT
              COUNT(*) FILTER (WHERE status IN {closed}),
              COUNT(*) FILTER (WHERE status NOT IN {closed} AND deadline < %s),
              COUNT(*) FILTER (WHERE status NOT IN {closed} AND deadline BETWEEN %s AND %s),
              COUNT(*) FILTER (WHERE status NOT IN {closed} AND (deadline IS NULL OR deadline > %s)
                               AND COALESCE(last_update_at, created_at) < %s)
            FROM {register} c""",
        f"""SELECT t.theme_id, c.status, COUNT(*), AVG(c.progress)
             FROM {register} c JOIN commitments_commitment_themes t ON t.commitment_id = c.id
            GROUP BY t.theme_id, c.status""",
        f"""SELECT p.actor_id, c.status, COUNT(*), AVG(c.progress)
             FROM {register} c JOIN commitments_party p ON p.commitment_id = c.id
            GROUP BY p.actor_id, c.status""",
        f"""SELECT source_id, status, COUNT(*), AVG(progress)
             FROM {register} c GROUP BY source_id, status""",
    ]
    params = [[], [today, today, soon, soon, stale], [], [], []]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, args in zip(statements, params, strict=True):
                cursor.execute(sql, args)
                cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def export_probe(n: int) -> dict:
    """Stream the CSV export of everything in a fresh process and report its peak memory growth."""
    env = {**os.environ, "DATABASE_URL": bench_database_url(n)}
    result = subprocess.run(
        [sys.executable, "-m", "bench.export_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def import_rate(rows: int = 10_000) -> dict:
    """Import a generated CSV of `rows` new commitments, then roll it back."""
    import csv
    import tempfile

    from django.core.management import call_command
    from django.db import transaction

    from bench.dataset import WORDS

    header = [
        "slug",
        "title",
        "summary",
        "quote",
        "source",
        "themes",
        "parties",
        "kind",
        "deadline",
        "status",
        "progress",
    ]
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, newline="", encoding="utf-8"
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            writer.writerow(
                [
                    f"import-{i:06d}",
                    f"Imported commitment {i}",
                    "Imported for the benchmark.",
                    "The parties will cooperate.",
                    f"Joint statement {i % 300:03d}",
                    f"Theme {i % 12:02d} {WORDS[i % 12]}",
                    f"Country {i % 60:02d}:lead; Country {(i + 7) % 60:02d}:partner",
                    "deliverable",
                    str(2027 + i % 10),
                    "not_rated",
                    "",
                ]
            )
        path = handle.name

    class Rollback(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            call_command("import_commitments", path, verbosity=0)
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    finally:
        os.unlink(path)
    return {"rows": rows, "rows_per_s": round(rows / seconds)}


def explain() -> None:
    import datetime as dt

    from commitments.filters import CommitmentFilterSet
    from commitments.models import Commitment

    today = dt.date.today()
    print("\nEXPLAIN: list, first page (status + theme)")
    filterset = CommitmentFilterSet({"status": ["in_progress"], "theme": "theme-00"}, day=today)
    print(filterset.qs.for_list(today)[:50].explain())
    print("\nEXPLAIN: list, text search")
    filterset = CommitmentFilterSet({"q": "semiconductor"}, day=today)
    print(filterset.qs[:50].explain())
    print("\nEXPLAIN: dashboard health counts")
    print(Commitment.objects.on(today).values("status").explain())


def count_queries_at(n_small: int) -> dict[str, int]:
    """Query counts of every page on a small dataset, to compare with those at N."""
    env = {**os.environ}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--n", str(n_small), "--queries-only"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=500, help="a second size for query counts")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--digest-users", type=int, default=1000)
    parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    setup_django(args.n)
    from django.db import connection
    from django.test import Client

    if args.queries_only:
        with _quiet():
            ensure_dataset(args.n)
        client = Client()
        print(json.dumps({name: measure(client, url, 0)["queries"] for name, url in pages()}))
        return

    build_seconds = ensure_dataset(args.n)
    client = Client()
    rows = []
    for name, url in pages():
        result = measure(client, url, args.repeat)
        rows.append({"name": name, "url": url, **result})
        print(
            f"  {name:<32} p50 {result['p50_ms']:>8.1f} ms   p95 {result['p95_ms']:>8.1f} ms   {result['queries']:>3} queries"
        )
    from bench import languages

    language_overhead = languages.overhead(pages(), args.repeat)
    for name, result in language_overhead.items():
        print(f"  {name + ', it / en':<32} {result['ratio']:>8} x p50")
    # The dashboard's widgets and the lists' counts are cached per register version;
    # measure them computed afresh too, as the first visit after any change sees them.
    from django.test.utils import override_settings

    afresh = [(name, url) for name, url in pages() if name.startswith("dashboard")]
    afresh += [(name, url) for name, url in pages() if name in ("list", "list status+theme")]
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        for name, url in afresh:
            result = measure(client, url, min(args.repeat, 5))
            rows.append({"name": f"{name}, uncached", "url": url, **result})
            print(
                f"  {name + ', uncached':<32} p50 {result['p50_ms']:>8.1f} ms   p95 {result['p95_ms']:>8.1f} ms   {result['queries']:>3} queries"
            )
    from bench import keep_current

    keep_current.prepare_reviews()
    result = measure(keep_current.analyst_client(), "/review/", args.repeat)
    rows.append({"name": "review queue", "url": "/review/", **result})
    print(
        f"  {'review queue':<32} p50 {result['p50_ms']:>8.1f} ms   p95 {result['p95_ms']:>8.1f} ms   {result['queries']:>3} queries"
    )
    digests = keep_current.build_digests(args.digest_users)
    print(f"  digests: {digests}")
    floor = sql_floor(args.repeat)
    asof_floor = sql_floor(args.repeat, as_of=dt.date.fromisoformat(AS_OF))
    dashboard = next(r for r in rows if r["name"] == "dashboard")
    uncached = next(r for r in rows if r["name"] == "dashboard, uncached")
    asof_uncached = next(r for r in rows if r["name"] == "dashboard as_of, uncached")
    export = export_probe(args.n)
    imported = import_rate()
    small = count_queries_at(args.small) if args.small and args.small != args.n else {}

    results = {
        "n": args.n,
        "database": connection.vendor,
        "build_seconds": round(build_seconds),
        "floor_ms": floor,
        "dashboard_over_floor": round(dashboard["p50_ms"] / floor, 2) if floor else None,
        "uncached_dashboard_over_floor": round(uncached["p50_ms"] / floor, 2) if floor else None,
        "asof_floor_ms": asof_floor,
        "asof_uncached_over_floor": (
            round(asof_uncached["p50_ms"] / asof_floor, 2) if asof_floor else None
        ),
        "pages": [
            {k: r[k] for k in ("name", "p50_ms", "p95_ms", "queries")}
            | ({"queries_small": small[r["name"]]} if r["name"] in small else {})
            for r in rows
        ],
        "language_overhead": language_overhead,
        "export": export,
        "import": imported,
        "digests": digests,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    _print_table(results, args.small)
    if args.explain:
        explain()


def _print_table(results: dict, small: int) -> None:
    print()
    print(f"Benchmark: N = {results['n']:,} on {results['database']}")
    print(f"{'page':<32} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} {f'at N={small}':>10}")
    for page in results["pages"]:
        print(
            f"{page['name']:<32} {page['p50_ms']:>9.1f} {page['p95_ms']:>9.1f} {page['queries']:>8} "
            f"{page.get('queries_small', ''):>10}"
        )
    print(
        f"SQL floor of the dashboard's numbers: {results['floor_ms']} ms; dashboard / floor = "
        f"{results['dashboard_over_floor']} (uncached: {results['uncached_dashboard_over_floor']})"
    )
    print(
        f"SQL floor of the as-of dashboard's numbers (status periods): {results['asof_floor_ms']} ms;"
        f" as-of dashboard, uncached / floor = {results['asof_uncached_over_floor']}"
    )
    for name, result in results["language_overhead"].items():
        print(
            f"In Italian, {name}: p50 {result['it_p50_ms']} ms against {result['en_p50_ms']} ms "
            f"in English ({result['ratio']} x; at most 1.10)"
        )
    export = results["export"]
    print(
        f"CSV export: {export['rows']:,} rows in {export['seconds']} s, peak memory growth {export['peak_mb']} MB"
    )
    # The export against PostgreSQL's own COPY of the same columns (bench/export_probe.py).
    from bench.export_probe import floor_line

    print(floor_line(export))
    print(
        f"Import: {results['import']['rows']:,} rows at {results['import']['rows_per_s']:,} rows/s"
    )
    built = results["digests"]
    print(
        f"Digests: {built['users']:,} users in {built['seconds']} s, {built['items']:,} items, "
        f"peak memory {built['peak_mb']} MB"
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


class _quiet:
    def __enter__(self):
        self._stdout = sys.stdout
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115

    def __exit__(self, *exc):
        sys.stdout.close()
        sys.stdout = self._stdout


if __name__ == "__main__":
    main()
