"""Shared by the page benchmarks: a throwaway Django database and a page's server time."""

from __future__ import annotations

import os
import statistics
import time
from typing import Any


def setup_django(tmp: str) -> None:
    """Django on a fresh SQLite file under ``tmp`` (or the DATABASE_URL given), migrated."""
    os.environ.setdefault("TRADEMISSION_DATA_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trademission.settings")
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # lets the test client's host in, mail to memory
    call_command("migrate", verbosity=0)


def measure(client: Any, url: str, runs: int) -> dict[str, Any]:
    """One warm-up request (its queries counted), then ``runs`` timed ones."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log is capped: a full one would hide this page's queries
    with CaptureQueriesContext(connection) as ctx:
        warm = client.get(url)
    times = []
    status = warm.status_code
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        status = max(status, response.status_code)
    return {
        "status": status,
        "queries": len(ctx.captured_queries),
        "kb": len(warm.content) / 1024,
        "median": statistics.median(times),
        "max": max(times),
    }
