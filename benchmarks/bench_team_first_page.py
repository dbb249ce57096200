"""Team mode over loopback: the Leads table's first page from a ``serve`` holding 1,000,000 leads.

What the desktop's lazy table does when a team account's Leads tab opens or a filter
changes: ``TeamStore.count_leads`` then ``list_leads(offset=0, limit=200)`` on its reader
thread (one round trip: the count's answer carries the first page). Measured against a
real ``codaiq-desktop serve`` (SQLite, the default engine, or PostgreSQL) over 127.0.0.1, next to the
bare HTTP request for the same page in the same run (the baseline: what the server and
the network cost without the desktop's parsing and offline copy). Also: a page deep in
the capped range (a scroll-bar drag), Mine, unread (per member) and a text search.

Run: ``python -m benchmarks --only team_first_page`` (``BENCH_TEAM_LEADS`` to change the
count, ``BENCH_TEAM_ENGINE=postgresql`` for a throw-away PostgreSQL cluster; loading a
million leads takes a minute or two).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_inbox_server import _admin, _load_postgres, _load_sqlite, _serve, _stop
from codaiq_desktop.store import ASSIGNEE_ME, LeadFilter
from codaiq_desktop.team import TeamServer, TeamStore
from codaiq_desktop.tls import ssl_context

LEADS = 1_000_000
TARGET_SECONDS = 0.300
RUNS = 7


def _timed(action: Callable[[], Any]) -> tuple[float, float]:
    """(first run, median of the others) in seconds."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return timings[0], statistics.median(timings[1:])


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_team_first_page", description=__doc__)
    parser.add_argument("--leads", type=int, default=int(os.environ.get("BENCH_TEAM_LEADS", LEADS)))
    parser.add_argument(
        "--engine", choices=("sqlite", "postgresql"), default=os.environ.get("BENCH_TEAM_ENGINE", "sqlite")
    )
    args = parser.parse_args(argv if argv is not None else [])
    if args.engine == "postgresql":
        from codaiq_desktop.inbox_server.local_cluster import create_database, start_cluster

        cluster, stop_cluster = start_cluster(fsync=True)
        try:
            return _run(create_database(cluster), args.leads, "postgresql")
        finally:
            stop_cluster()
    return _run(None, args.leads, "sqlite")


def _run(dsn: str | None, leads: int, engine: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-team-") as directory:
        db = dsn or str(Path(directory) / "inbox.sqlite3")
        agency = _admin(db, "add-agency", "Bench", "--webhook-secret-env", "BENCH_SECRET")["agency"]
        token = _admin(db, "add-member", "--agency", agency, "--email", "alice@bench.example")["token"]
        started = time.perf_counter()
        if dsn is None:
            _load_sqlite(Path(db), agency, leads)
        else:
            _load_postgres(dsn, agency, leads)
        print(f"{engine}: loaded {leads:,} leads in {time.perf_counter() - started:.0f} s")
        process, url = _serve(db)
        store = TeamStore(TeamServer(url, token), Path(directory) / "cache")
        try:
            started = time.perf_counter()
            store.open()
            print(
                f"TeamStore.open (checks the server, reads who I am): {(time.perf_counter() - started) * 1000:.1f} ms"
            )
            with httpx.Client(verify=ssl_context(), base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
                bare = _timed(lambda: http.get("/api/v1/leads", params={"limit": 200}).raise_for_status())

            def first_page(lead_filter: LeadFilter) -> Callable[[], Any]:
                def read() -> None:
                    total = store.count_leads(lead_filter)
                    store.list_leads(lead_filter, offset=0, limit=200)
                    assert int(total) >= 0

                return read

            cases = [
                ("first page, all leads", first_page(LeadFilter())),
                ("first page, Mine", first_page(LeadFilter(assignee=ASSIGNEE_ME))),
                ("first page, unread (per member)", first_page(LeadFilter(unread_only=True))),
                ("first page, search 'quote'", first_page(LeadFilter(text="quote"))),
                ("page at row 9,800 (scroll)", lambda: store.list_leads(LeadFilter(), offset=9_800, limit=200)),
            ]
            print(
                f"  {'bare GET /api/v1/leads?limit=200 (baseline)':44s} median {bare[1] * 1000:7.1f} ms"
                f"  (first {bare[0] * 1000:7.1f} ms)"
            )
            worst = 0.0
            for label, action in cases:
                first, median = _timed(action)
                worst = max(worst, median, first)
                print(
                    f"  {label:44s} median {median * 1000:7.1f} ms  (first {first * 1000:7.1f} ms)"
                    f"  {median / bare[1]:.1f}x baseline"
                )
            total = store.count_leads(LeadFilter())
            print(f"  count shown: {total.label} leads")
            rows.append(
                {
                    "scenario": f"team Leads first page, {leads:,} leads, {engine}, loopback",
                    "figure": f"worst {worst * 1000:.1f} ms",
                    "target": "< 300 ms",
                    "ok": worst < TARGET_SECONDS,
                }
            )
            rows.append(
                {
                    "scenario": "team first page vs bare HTTP page",
                    "figure": f"baseline {bare[1] * 1000:.1f} ms",
                    "target": "-",
                    "ok": None,
                }
            )
        finally:
            store.close()
            _stop(process)
    return rows


if __name__ == "__main__":
    result_rows = main(sys.argv[1:])
    sys.exit(0 if all(row["ok"] is not False for row in result_rows) else 1)
