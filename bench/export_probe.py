"""Stream the CSV export of every commitment and report its time and peak memory growth
(run by bench), and on PostgreSQL the floor: the database's own `COPY` of the same columns,
themes and parties aggregated, in the same run.

    python -m bench.export_probe    # with DATABASE_URL set to the benchmark database
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The export's columns as plain SQL, in the list's default order (deadline, then title):
# each commitment's themes, parties, current status's date and each party's latest
# assessment aggregated per row, dates and numbers as the database writes them.
COPY_FLOOR = """
COPY (
  SELECT c.slug, c.title, c.summary, c.quote, s.title, s.date, s.url,
         th.themes, pa.parties, c.kind, c.announced_on, c.announced_precision,
         c.deadline, c.deadline_precision, c.status, c.progress,
         cur.effective_on, cur.effective_precision, parent.slug, c.external_id,
         pa.party_statuses, pa.party_scores
    FROM commitments_commitment c
    LEFT JOIN commitments_source s ON s.id = c.source_id
    LEFT JOIN commitments_commitment parent ON parent.id = c.parent_id
    LEFT JOIN LATERAL (
      SELECT string_agg(t.name, '; ' ORDER BY t.name) AS themes
        FROM commitments_commitment_themes ct JOIN commitments_theme t ON t.id = ct.theme_id
       WHERE ct.commitment_id = c.id) th ON true
    LEFT JOIN LATERAL (
      SELECT string_agg(a.name || ':' || p.role, '; ' ORDER BY p.id) AS parties,
             string_agg(a.name || ': ' || p.status || ' since ' || latest.effective_on, '; '
                        ORDER BY p.id) AS party_statuses,
             string_agg(a.name || ': ' || p.score, '; ' ORDER BY p.id) AS party_scores
        FROM commitments_party p
        JOIN commitments_actor a ON a.id = p.actor_id
        LEFT JOIN LATERAL (
          SELECT pa.effective_on, pa.effective_precision
            FROM commitments_partyassessment pa
           WHERE pa.party_id = p.id AND NOT EXISTS (
                 SELECT 1 FROM commitments_partyassessment x WHERE x.corrects_id = pa.id)
           ORDER BY pa.effective_on DESC, pa.recorded_at DESC, pa.id DESC LIMIT 1) latest ON true
       WHERE p.commitment_id = c.id) pa ON true
    LEFT JOIN LATERAL (
      SELECT u.effective_on, u.effective_precision
        FROM commitments_statusupdate u
       WHERE u.commitment_id = c.id AND NOT EXISTS (
             SELECT 1 FROM commitments_statusupdate x WHERE x.corrects_id = u.id)
       ORDER BY u.effective_on DESC, u.recorded_at DESC, u.id DESC LIMIT 1) cur ON true
   ORDER BY c.deadline ASC NULLS LAST, c.title ASC
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def rss_mb() -> float:
    # ru_maxrss is the process's peak resident size, in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_floor() -> tuple[float, int] | None:
    """Seconds and rows of the database's own CSV of the same columns (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    started = time.perf_counter()
    lines = 0
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_FLOOR) as copy:
        for data in copy:
            lines += bytes(data).count(b"\n")
    return time.perf_counter() - started, lines - 1


def floor_line(export: dict) -> str:
    if export.get("copy_floor_seconds") is None:
        return "CSV export's COPY floor: PostgreSQL only"
    return (
        f"CSV export's COPY floor: {export['copy_floor_seconds']} s; export / floor = "
        f"{export['over_floor']} (budget at 100,000: 2)"
    )


def main() -> None:
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    client = Client()
    client.get("/healthz")  # warm up imports and the connection
    # The floor before and after the export; the faster one counts (this machine is shared).
    floors = [copy_floor()]
    before = rss_mb()
    started = time.perf_counter()
    response = client.get("/commitments/export.csv")
    assert response.streaming, "the CSV export must stream"
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    peak = rss_mb() - before
    floors.append(copy_floor())
    result = {"rows": lines - 1, "seconds": round(seconds, 1), "peak_mb": round(peak, 1)}
    if floors[0] is not None:
        floor, rows = min(floors)
        assert rows == result["rows"], (rows, result["rows"])
        result["copy_floor_seconds"] = round(floor, 2)
        result["over_floor"] = round(seconds / floor, 2)
    else:
        result["copy_floor_seconds"] = result["over_floor"] = None
    print(json.dumps(result))


if __name__ == "__main__":
    main()
