"""Dry-run import of a generated CSV and its peak memory (python -m bench.import_probe ROWS).

Builds a file of ROWS commitments (titles, summaries, themes, parties, deadlines, and a
status with its source on one row in ten), migrates a scratch SQLite database, and reports
the import's peak Python allocations (tracemalloc) and the process's peak resident size."""

import argparse
import csv
import io
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
THEMES = ["Defence", "Energy", "Space", "Health", "Trade", "Culture"]
ACTORS = ["Italy", "Japan", "United Kingdom", "France", "Germany", "Canada"]


def rss_mb() -> float:
    # ru_maxrss is the process's peak resident size, in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generated_csv(rows: int, rated_every: int = 10) -> bytes:
    """`rows` commitments; every `rated_every`-th has a status with its source (0: none)."""
    out = io.StringIO()
    write_csv(out, rows, rated_every)
    return out.getvalue().encode()


def write_csv(out: TextIO, rows: int, rated_every: int = 10) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["external_id", "title", "summary", "themes", "parties", "deadline", "status"]
        + ["source", "source_date", "effective"]
    )
    for n in range(rows):
        rated = bool(rated_every) and n % rated_every == 0
        writer.writerow(
            [
                f"probe-{n}",
                f"Commitment number {n} to deliver something measurable",
                f"What commitment {n} promises, in a sentence or two of plain words. " * 3,
                f"{THEMES[n % 6]}; {THEMES[(n + 1) % 6]}",
                f"{ACTORS[n % 6]}:lead; {ACTORS[(n + 2) % 6]}:partner",
                str(2030 + n % 10),
                "in_progress" if rated else "",
                "Probe summit statement" if rated else "",
                "2025-01-15" if rated else "",
                "2025-02-01" if rated else "",
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=200_000)
    parser.add_argument(
        "--rated-every", type=int, default=10, help="A status on every n-th row (0: none)."
    )
    parser.add_argument(
        "--no-trace", action="store_true", help="Resident size only (tracemalloc slows it)."
    )
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="import-probe-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/probe.sqlite3")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from commitments.importing import import_file

    call_command("migrate", verbosity=0)
    path = Path(scratch) / "probe.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv(out, args.rows, args.rated_every)
    before = rss_mb()
    if not args.no_trace:
        tracemalloc.start()
    started = time.perf_counter()
    with path.open("rb") as stream:
        result = import_file(stream, path.name, dry_run=True)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "rows": result.rows,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "created": len(result.created),
                "statuses": result.statuses,
                "seconds": round(seconds, 1),
                "traced_peak_mb": None if args.no_trace else round(peak / 2**20, 1),
                "rss_growth_mb": round(rss_mb() - before, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
