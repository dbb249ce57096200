"""Soak: the app under a steady webhook stream, watched for leaks, freezes and lost events.

Run: ``python -m benchmarks.bench_soak [--rate 50] [--seconds 60 | --minutes 10]``.

The measured process is the app as a user runs it: a real ``MainWindow`` over real
``AppServices`` (SQLite store, webhook receiver on loopback, the app's GUI-thread
garbage collection), offscreen, with the Leads tab open. A separate sender process
posts signed ``lead.captured`` webhooks at a steady rate (one inside the measured
process would compete for its GIL), as the service would. Every few seconds the
process samples its resident memory, open file descriptors and Qt object counts; a
watchdog timer measures how late the Qt event loop turns (what a user feels as a
freeze, less the time the OS kept the thread waiting for a CPU).

Leak figures compare the end with a baseline taken after a warm-up (the first 15 % of
the run), so caches and pools filling once are not counted as growth. Events: sent
(by the sender), acknowledged (2xx), stored (rows in the store with the run's ids);
lost = acknowledged ids (the sender reports each one) missing from the store, which
must be 0. The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SENDER = """
import asyncio, json, sys, time, httpx
from codaiq_desktop.signing import SIGNATURE_HEADER, sign

url, secret, run, result = sys.argv[1], sys.argv[2], sys.argv[5], sys.argv[6]
rate, seconds = float(sys.argv[3]), float(sys.argv[4])
count = int(rate * seconds)

async def main():
    codes = {}
    acked = []
    semaphore = asyncio.Semaphore(32)
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=32), trust_env=False) as http:
        async def post(n):
            body = json.dumps({
                "id": f"evt_{run}_{n}", "event": "lead.captured", "timestamp": "2026-11-29T10:00:00.000Z",
                "websiteId": "web_soak", "projectId": "proj_soak",
                "data": {"leadId": f"{run}_{n}", "name": f"Soak {n}", "email": f"s{n}@example.com",
                         "message": "Steady stream " * 8},
            }).encode()
            async with semaphore:
                try:
                    response = await http.post(url, content=body, headers={
                        "Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)})
                    key = str(response.status_code)
                    if 200 <= response.status_code < 300:
                        acked.append(f"evt_{run}_{n}")
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
            codes[key] = codes.get(key, 0) + 1
        start = time.monotonic()
        tasks = []
        for n in range(count):  # a steady stream, not a burst: each post at its own time
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(n)))
        await asyncio.gather(*tasks)
    with open(result, "w", encoding="utf-8") as file:  # a file, not stdout: the id list outgrows a pipe's buffer
        json.dump({"sent": count, "acked": len(acked), "acked_ids": acked, "codes": codes}, file)

asyncio.run(main())
"""
"""The sender process: ``url secret rate seconds run-id result-file``; at the end it writes one JSON
object to the result file (counts, and the id of every event the receiver acknowledged)."""

# Targets: what "no leak" and "no freeze" mean for this run.
RSS_GROWTH_TARGET_MB = 40.0
FD_GROWTH_TARGET = 4
WIDGET_GROWTH_TARGET = 0
QOBJECT_GROWTH_TARGET = 50
LATENESS_TARGET_MS = 100.0  # issue 8 / README: no UI stall of 100 ms or more


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _open_fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


def _qt_counts() -> tuple[int, int]:
    """(live widgets, QObjects in every top-level widget's tree plus the application's children)."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    widgets = len(QApplication.allWidgets())
    objects = len(app.findChildren(QObject))
    for top in QApplication.topLevelWidgets():
        objects += 1 + len(top.findChildren(QObject))
    return widgets, objects


def _stored_event_ids(store: Any, prefix: str) -> set[str]:
    """Event ids in the store that start with ``prefix`` (this run's), read page by page."""
    ids: set[str] = set()
    offset, page_size = 0, 5000
    while True:
        page = store.list_events("lead.captured", offset=offset, limit=page_size)
        ids.update(event.event_id for event in page if event.event_id.startswith(prefix))
        if len(page) < page_size:
            return ids
        offset += page_size


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    """Run the soak; print samples and figures; return summary rows for ``python -m benchmarks``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_soak", description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="events per second (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the stream (default 60)")
    parser.add_argument("--minutes", type=float, default=None, help="length in minutes (the full soak: 10)")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between samples")
    args = parser.parse_args(argv if argv is not None else [])
    seconds = args.minutes * 60 if args.minutes is not None else args.seconds

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the user's keyring
    import asyncio
    import gc
    import uuid

    import qasync
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtWidgets import QApplication

    from codaiq_desktop.accounts import AccountStore, KeyVault
    from codaiq_desktop.ui.app import _collect_garbage_on_the_gui_thread
    from codaiq_desktop.ui.shell.main_window import MainWindow
    from codaiq_desktop.ui.services import AppServices
    from codaiq_desktop.ui.common.settings import make_settings
    from codaiq_desktop.ui.common.stall_watchdog import StallWatchdog

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    gc_timer = _collect_garbage_on_the_gui_thread(app)  # as the app does

    folder = Path(tempfile.mkdtemp(prefix="codaiq-soak-"))
    services = AppServices(
        make_settings(folder / "settings.ini"),
        accounts=AccountStore(folder / "accounts.json"),
        vault=KeyVault(folder / "keys.json"),
        app_data_dir=folder / "data",
    )
    loop.run_until_complete(services.start(store_path=folder / "data" / "store.sqlite3"))
    assert services.receiver is not None and services.store is not None
    secret, _ = services.vault.webhook_secret()
    window = MainWindow(services)
    window.resize(1300, 800)
    window.show()
    window.tabs.setCurrentWidget(window.tab("leads"))
    app.processEvents()
    gc.collect()
    gc.freeze()

    run = uuid.uuid4().hex[:10]
    root = Path(__file__).resolve().parents[1]
    result_file = folder / "sender.json"
    sender = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SENDER,
            services.receiver.url,
            secret,
            str(args.rate),
            str(seconds),
            run,
            str(result_file),
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    watchdog = StallWatchdog()
    watchdog.start()
    started = time.monotonic()
    samples: list[dict[str, float]] = []
    baseline: dict[str, float] | None = None

    def sample() -> dict[str, float]:
        widgets, objects = _qt_counts()
        return {
            "t": time.monotonic() - started,
            "rss_mb": _rss_mb(),
            "fds": _open_fds(),
            "widgets": widgets,
            "qobjects": objects,
            "stored": services.store.count_events("lead.captured") if services.store else 0,
        }

    async def watch() -> None:
        nonlocal baseline
        next_sample = started
        while sender.poll() is None:
            now = time.monotonic()
            if now >= next_sample:
                row = sample()
                samples.append(row)
                print(
                    f"t={row['t']:6.1f}s rss={row['rss_mb']:.1f} MB fds={row['fds']:.0f} "
                    f"widgets={row['widgets']:.0f} qobjects={row['qobjects']:.0f} stored={row['stored']:.0f}",
                    flush=True,
                )
                next_sample += args.sample
            if baseline is None and now - started >= 0.15 * seconds:
                gc.collect()
                baseline = sample()
            await asyncio.sleep(0.05)

    loop.run_until_complete(watch())
    if sender.wait(timeout=120) != 0:
        raise RuntimeError(f"the sender process failed (exit code {sender.returncode})")
    sent = json.loads(result_file.read_text(encoding="utf-8"))

    async def settle() -> None:  # the last acknowledged events are committed; let the table catch up
        await asyncio.sleep(1.0)

    loop.run_until_complete(settle())
    watchdog.stop()
    gc.collect()
    app.processEvents()
    end = sample()
    assert baseline is not None
    acked_ids = set(sent.pop("acked_ids"))
    stored_ids = _stored_event_ids(services.store, f"evt_{run}_")
    stored = len(stored_ids)
    missing = sorted(acked_ids - stored_ids)
    lost = len(missing)
    growth = {key: end[key] - baseline[key] for key in ("rss_mb", "fds", "widgets", "qobjects")}
    print(f"sender: {json.dumps(sent)}")
    print(f"baseline (t={baseline['t']:.0f} s): {json.dumps({k: round(v, 1) for k, v in baseline.items()})}")
    print(f"end      (t={end['t']:.0f} s): {json.dumps({k: round(v, 1) for k, v in end.items()})}")
    print(
        f"growth: rss {growth['rss_mb']:+.1f} MB, fds {growth['fds']:+.0f}, widgets {growth['widgets']:+.0f}, "
        f"qobjects {growth['qobjects']:+.0f}; loop lateness max {watchdog.longest_own_ms:.0f} ms own "
        f"({watchdog.longest_ms:.0f} ms wall); events sent {sent['sent']}, acked {sent['acked']}, "
        f"stored {stored}, lost {lost}"
    )
    if missing:
        print(f"acknowledged but not in the store: {', '.join(missing[:20])}{' ...' if lost > 20 else ''}")

    window.close()
    loop.run_until_complete(services.aclose())
    window.deleteLater()  # its tabs' reader threads finish on the GUI thread, before the interpreter exits
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc_timer.stop()
    loop.close()  # joins the loop's worker threads (store opening, CSV) before the interpreter exits

    label = f"soak {args.rate:g}/s {seconds / 60:g} min"
    return [
        {
            "scenario": f"{label}: RSS growth",
            "figure": f"{growth['rss_mb']:+.1f} MB",
            "target": f"<= {RSS_GROWTH_TARGET_MB:g} MB",
            "ok": growth["rss_mb"] <= RSS_GROWTH_TARGET_MB,
        },
        {
            "scenario": f"{label}: open fds growth",
            "figure": f"{growth['fds']:+.0f} ({end['fds']:.0f} open)",
            "target": f"<= {FD_GROWTH_TARGET}",
            "ok": growth["fds"] <= FD_GROWTH_TARGET,
        },
        {
            "scenario": f"{label}: widgets growth",
            "figure": f"{growth['widgets']:+.0f} ({end['widgets']:.0f})",
            "target": f"<= {WIDGET_GROWTH_TARGET}",
            "ok": growth["widgets"] <= WIDGET_GROWTH_TARGET,
        },
        {
            "scenario": f"{label}: QObjects growth",
            "figure": f"{growth['qobjects']:+.0f} ({end['qobjects']:.0f})",
            "target": f"<= {QOBJECT_GROWTH_TARGET}",
            "ok": growth["qobjects"] <= QOBJECT_GROWTH_TARGET,
        },
        {
            "scenario": f"{label}: UI max lateness",
            "figure": f"{watchdog.longest_own_ms:.0f} ms",
            "target": f"< {LATENESS_TARGET_MS:g} ms",
            "ok": watchdog.longest_own_ms < LATENESS_TARGET_MS,
        },
        {
            "scenario": f"{label}: events lost",
            "figure": f"{lost} of {sent['acked']} acked ({sent['sent']} sent)",
            "target": "0",
            "ok": lost == 0 and len(acked_ids) == sent["sent"],
        },
    ]


if __name__ == "__main__":
    rows = main(sys.argv[1:])
    for row in rows:
        print(row)
    sys.exit(0 if all(row["ok"] is not False for row in rows) else 1)
