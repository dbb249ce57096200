"""The API client through a bounded storm of service faults: what got through, what was said, what doubled.

A real sandbox (its own thread, a throw-away data dir) injects faults at random into
a share of API requests: ``503`` errors, connections dropped before an answer, and
``429`` with ``Retry-After: 1``, in equal parts. One client sends a fixed, seeded mix
of calls (project reads, analytics, metadata updates, lead submissions, generations)
with a few calls in flight at once, as the app does. The figures:

* requests attempted, succeeded, failed with a clear error (a ``CodaiqError``: a
  sentence for the user), failed otherwise (must be 0); retry-safe calls (reads,
  updates) must nearly all succeed, while a fault on ``generate`` or ``submit_lead``
  reaches the user instead of risking a duplicate;
* retries the client made (from its own INFO log lines);
* duplicates created on the server: leads and websites recorded beyond the calls that
  succeeded (must be 0: ``generate`` and ``submit_lead`` are never sent twice once the
  server may have acted), and acknowledged ones missing (must be 0);
* wall time.

    python -m benchmarks.reliability_faults [--requests 200] [--fault-rate 0.2] [--concurrency 8] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks import exit_status
from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors
from codaiq_desktop.sandbox import SandboxConfig, SandboxThread
from codaiq_desktop.tls import ssl_context

REQUESTS = 200
FAULT_RATE = 0.2
CONCURRENCY = 8
SEED = 7

# Operation mix: (name, weight). Leads and generations are the calls that must never double.
MIX: tuple[tuple[str, int], ...] = (
    ("list_projects", 25),
    ("get_project", 15),
    ("analytics", 10),
    ("update_website", 20),
    ("submit_lead", 25),
    ("generate", 5),
)

UNSAFE = frozenset({"submit_lead", "generate"})
"""Calls the client never repeats once the server may have acted; a fault there reaches the user."""

POLICY = RetryPolicy(max_retries=3, backoff_base=0.05, backoff_max=0.5, jitter=0.5, max_retry_after=5.0)


class _RetryCounter(logging.Handler):
    """Counts the client's "retry N in X s" log lines: the retries it really made."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "; retry " in record.getMessage():
            self.retries += 1


@dataclass
class Outcome:
    attempted: int = 0
    succeeded: int = 0
    clear_errors: int = 0
    unexpected: list[str] = field(default_factory=list)
    by_error: Counter[str] = field(default_factory=Counter)
    by_operation: Counter[str] = field(default_factory=Counter)
    succeeded_by_operation: Counter[str] = field(default_factory=Counter)
    lead_receipts: list[str] = field(default_factory=list)
    generated: int = 0


def fault_rules(rate: float) -> list[dict[str, Any]]:
    """Three rules on every API path that together fire on ``rate`` of requests, in equal parts.

    The switch tries rules in order and the first that fires wins, so each rule's
    probability is its share of what the rules before it let through.
    """
    share = rate / 3
    first = share
    second = share / (1 - first)
    third = share / (1 - first - share)
    return [
        {"path": "/api/*", "kind": "error", "status": 503, "probability": first},
        {"path": "/api/*", "kind": "drop", "probability": second},
        {"path": "/api/*", "kind": "rate_limit", "retryAfter": 1, "probability": third},
    ]


async def _operate(
    client: CodaiqClient, name: str, project_id: str, website_id: str, number: int, out: Outcome
) -> None:
    out.attempted += 1
    out.by_operation[name] += 1
    try:
        if name == "list_projects":
            await client.list_projects()
        elif name == "get_project":
            await client.get_project(project_id)
        elif name == "analytics":
            await client.analytics(website_id, range="7d")
        elif name == "update_website":
            await client.update_website(project_id, website_id, metadata={f"k{number % 7}": f"v{number}"})
        elif name == "submit_lead":
            receipt = await client.submit_lead(website_id, f"Person {number}", f"p{number}@example.com")
            out.lead_receipts.append(receipt.lead_id or "")
        elif name == "generate":
            await client.generate(f"A site number {number}", name=f"Site {number}")
            out.generated += 1
        else:  # pragma: no cover - the mix names only the above
            raise AssertionError(name)
    except errors.CodaiqError as exc:
        text = str(exc)
        if len(text) < 20 or "Traceback" in text:
            out.unexpected.append(f"{name}: {type(exc).__name__}: {text!r}")
        else:
            out.clear_errors += 1
            out.by_error[type(exc).__name__] += 1
    except Exception as exc:  # noqa: BLE001 - anything else breaks the client's contract: count it
        out.unexpected.append(f"{name}: {type(exc).__name__}: {exc}")
    else:
        out.succeeded += 1
        out.succeeded_by_operation[name] += 1


async def _storm(
    sandbox: SandboxThread, key: str, requests: int, rate: float, concurrency: int, seed: int
) -> tuple[Outcome, dict[str, int], float]:
    rng = random.Random(seed)
    names = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]
    plan = rng.choices(names, weights, k=requests)
    admin = httpx.AsyncClient(verify=ssl_context(), base_url=sandbox.root_url, timeout=30, trust_env=False)
    try:
        async with CodaiqClient(sandbox.base_url, key, timeout=10.0, retry=POLICY) as client:
            base = await client.generate("A bakery in Leeds", name="Leeds Bakery")
            async for _update in client.wait_for_build(base.project_id, base.website_id, interval=0.05):
                pass
            (await admin.put("/api/sandbox/faults", json={"rules": fault_rules(rate)})).raise_for_status()
            out = Outcome()
            queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
            for number, name in enumerate(plan):
                queue.put_nowait((number, name))

            async def worker() -> None:
                while not queue.empty():
                    number, name = queue.get_nowait()
                    await _operate(client, name, base.project_id, base.website_id, number, out)

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            wall = time.perf_counter() - started
            rules = (await admin.get("/api/sandbox/faults")).json()["rules"]
            (await admin.delete("/api/sandbox/faults")).raise_for_status()
            fired = {rule["kind"]: int(rule["hits"]) for rule in rules}

            projects = await client.list_projects()
            websites = sum(len(project.websites) for project in projects)

        async def leads_on_server() -> int:
            return sandbox.service.db.count_leads(base.website_id)

        server_leads = sandbox.call(leads_on_server())
    finally:
        await admin.aclose()
    counts = {
        "server_leads": server_leads,
        "server_generated": websites - 1,  # the base site was made before the storm
        **{f"fired_{kind}": hits for kind, hits in fired.items()},
    }
    return out, counts, wall


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability_faults", description=__doc__)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--fault-rate", type=float, default=FAULT_RATE, help="share of requests faulted (0-0.9)")
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--seed", type=int, default=SEED)
    # No argv means the defaults: the benchmark runner calls main() with its own options in sys.argv.
    args = parser.parse_args(argv if argv is not None else [])
    if not 0 <= args.fault_rate <= 0.9:
        parser.error("--fault-rate must be between 0 and 0.9")

    counter = _RetryCounter()
    api_logger = logging.getLogger("codaiq_desktop.api")
    old_level = api_logger.level
    api_logger.addHandler(counter)
    api_logger.setLevel(logging.INFO)
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = SandboxConfig(data_dir=Path(folder), build_seconds=0.2, log_level="critical")
            with SandboxThread(config) as sandbox:
                key, _account = sandbox.call(_create_key(sandbox))
                out, counts, wall = asyncio.run(
                    _storm(sandbox, key, args.requests, args.fault_rate, args.concurrency, args.seed)
                )
    finally:
        api_logger.removeHandler(counter)
        api_logger.setLevel(old_level)

    lead_ok = len(out.lead_receipts)
    duplicate_leads = max(0, counts["server_leads"] - lead_ok)
    missing_leads = max(0, lead_ok - counts["server_leads"])
    duplicate_sites = max(0, counts["server_generated"] - out.generated)
    missing_sites = max(0, out.generated - counts["server_generated"])
    injected = sum(v for k, v in counts.items() if k.startswith("fired_"))
    success_rate = out.succeeded / out.attempted if out.attempted else 0.0
    safe_sent = sum(n for name, n in out.by_operation.items() if name not in UNSAFE)
    safe_ok = sum(n for name, n in out.succeeded_by_operation.items() if name not in UNSAFE)
    unsafe_sent = out.attempted - safe_sent
    unsafe_ok = out.succeeded - safe_ok
    safe_rate = safe_ok / safe_sent if safe_sent else 1.0

    print(
        f"{out.attempted} calls, {args.concurrency} in flight, fault rate {args.fault_rate:.0%} "
        f"(injected: {counts.get('fired_error', 0)} x 503, {counts.get('fired_drop', 0)} drops, "
        f"{counts.get('fired_rate_limit', 0)} x 429 = {injected} faulted requests)"
    )
    print(f"  mix: {dict(out.by_operation)}")
    print(
        f"  succeeded {out.succeeded} ({success_rate:.1%}), failed with a clear error {out.clear_errors} "
        f"{dict(out.by_error)}, failed otherwise {len(out.unexpected)}"
    )
    for line in out.unexpected[:5]:
        print(f"    unexpected: {line}")
    print(
        f"  retry-safe calls (reads, updates): {safe_ok}/{safe_sent} succeeded; "
        f"generate and submit_lead: {unsafe_ok}/{unsafe_sent} (the rest failed rather than risk a duplicate)"
    )
    print(f"  retries made by the client: {counter.retries}")
    print(
        f"  leads: {lead_ok} acknowledged, {counts['server_leads']} on the server "
        f"(duplicates {duplicate_leads}, missing {missing_leads}); "
        f"sites generated: {out.generated} acknowledged, {counts['server_generated']} on the server "
        f"(duplicates {duplicate_sites}, missing {missing_sites})"
    )
    print(f"  wall time {wall:.1f} s")
    every_call_answered = out.succeeded + out.clear_errors == out.attempted and not out.unexpected
    return [
        {
            "scenario": "faults: calls ending in success or a clear error",
            "figure": f"{out.succeeded + out.clear_errors}/{out.attempted} ({len(out.unexpected)} other)",
            "target": "all",
            "ok": every_call_answered,
        },
        {
            "scenario": f"faults: retry-safe calls ok, {args.fault_rate:.0%} faulted",
            "figure": f"{safe_ok}/{safe_sent} ({counter.retries} retries)",
            "target": ">= 99%",
            "ok": safe_rate >= 0.99,
        },
        {
            "scenario": "faults: generate/lead calls ok (never repeated)",
            "figure": f"{unsafe_ok}/{unsafe_sent}",
            "target": "-",
            "ok": None,
        },
        {
            "scenario": "faults: duplicate leads + sites on server",
            "figure": f"{duplicate_leads} + {duplicate_sites}",
            "target": "0",
            "ok": duplicate_leads == 0 and duplicate_sites == 0,
        },
        {
            "scenario": "faults: acknowledged leads + sites missing",
            "figure": f"{missing_leads} + {missing_sites}",
            "target": "0",
            "ok": missing_leads == 0 and missing_sites == 0,
        },
        {
            "scenario": f"faults: wall time, {out.attempted} calls",
            "figure": f"{wall:.1f} s",
            "target": "< 60 s",
            "ok": wall < 60,
        },
    ]


async def _create_key(sandbox: SandboxThread) -> tuple[str, str]:
    return sandbox.service.create_key("enterprise")


if __name__ == "__main__":
    sys.exit(exit_status(main(sys.argv[1:])))
