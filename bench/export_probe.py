"""Stream the CSV export of every commitment and report its peak memory growth (run by bench)."""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    # ru_maxrss is the process's peak resident size, in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    before = rss_mb()
    started = time.perf_counter()
    response = client.get("/commitments/export.csv")
    assert response.streaming, "the CSV export must stream"
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": lines - 1,
                "seconds": round(seconds, 1),
                "peak_mb": round(rss_mb() - before, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
