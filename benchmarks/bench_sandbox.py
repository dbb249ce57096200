"""Sandbox speed: requests/s for GET /api/project and POST /api/leads/submit, next to a bare
Starlette endpoint served the same way in the same run; and CPU time to generate one site.

Each server runs in its own child process with the same uvicorn settings (loopback, h11,
no access log), one at a time, so on two cores the server has one and the load generator
the other. The load generator is a minimal keep-alive HTTP/1.1 client on asyncio streams,
so the figure measures the server, not the client. The sandbox's key is rate limited (an
enterprise key with a burst far above the load), so the figure includes the gateway's
key lookup, the rate limiter and its ``X-RateLimit-*`` headers, as for every real key. Rounds alternate baseline and sandbox
and the median is reported, which keeps machine noise out of the ratio.

Targets: each sandbox route >= 50% of the bare endpoint's requests/s; one site generated
in < 200 ms of CPU.

    python -m benchmarks.bench_sandbox [--seconds 3] [--concurrency 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import exit_status
from codaiq_desktop.tls import ssl_context

SECONDS = 3.0
CONCURRENCY = 8
ROUNDS = 3
RATIO_TARGET = 0.5
BENCH_BURST = 1_000_000
"""Per-minute burst of the benchmark's key: far above what a run sends in a minute."""
GENERATION_TARGET_MS = 200.0

PROMPTS = (
    "A modern SaaS landing page for a project management tool",
    "A cosy Italian restaurant in Leeds with wood-fired pizza",
    "Portfolio for a wedding photographer in Bath",
    "Emergency plumber serving Bristol and the surrounding area",
    "An online shop selling handmade candles",
    "A two-day conference on climate tech in Berlin",
    "A blog about sourdough recipes and bread baking",
    "Website for a dog grooming salon called Fluffy Paws in York",
)


# -- the bare baseline server (child process) ---------------------------------------------
def serve_baseline() -> None:
    """A bare Starlette endpoint on uvicorn with the sandbox's settings; prints its port."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def endpoint(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"ok": True, "projects": []}, 201 if request.method == "POST" else 200)

    app = Starlette(routes=[Route("/ping", endpoint, methods=["GET", "POST"])])
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_level="warning",
        access_log=False,
        server_header=False,
        http="h11",
    )
    server = uvicorn.Server(config)

    async def run() -> None:
        config.load()
        server.lifespan = config.lifespan_class(config)
        await server.startup()
        port = server.servers[0].sockets[0].getsockname()[1]
        print(json.dumps({"rootUrl": f"http://127.0.0.1:{port}"}), flush=True)
        await server.main_loop()

    asyncio.run(run())


# -- load generation ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    label: str
    root_url: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""

    def request_bytes(self) -> bytes:
        host = urlsplit(self.root_url).netloc
        lines = [
            f"{self.method} {self.path} HTTP/1.1",
            f"Host: {host}",
            *(f"{k}: {v}" for k, v in self.headers.items()),
        ]
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            lines += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


async def _connection(target: Target, stop_at: float, counts: list[int], statuses: dict[int, int]) -> None:
    parts = urlsplit(target.root_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    request = target.request_bytes()
    done = 0
    try:
        while time.perf_counter() < stop_at:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            statuses[status] = statuses.get(status, 0) + 1
            done += 1
    finally:
        counts.append(done)
        writer.close()


async def measure(target: Target, seconds: float, concurrency: int) -> tuple[float, dict[int, int]]:
    """Requests per second over ``seconds`` with ``concurrency`` keep-alive connections."""
    warm_stop = time.perf_counter() + min(0.5, seconds / 4)
    await asyncio.gather(*(_connection(target, warm_stop, [], {}) for _ in range(concurrency)))
    counts: list[int] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    await asyncio.gather(*(_connection(target, started + seconds, counts, statuses) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return sum(counts) / elapsed, statuses


# -- servers -------------------------------------------------------------------------------------
class Child:
    """A server child process that prints one JSON line once it listens."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"server did not start: {command}")
        self.ready: dict[str, Any] = json.loads(line)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _json_call(
    root_url: str, method: str, path: str, body: dict[str, Any] | None = None, key: str | None = None
) -> dict[str, Any]:
    import httpx

    headers = {"X-API-Key": key} if key else {}
    response = httpx.request(
        method, root_url + path, verify=ssl_context(), json=body, headers=headers, trust_env=False, timeout=30
    )
    response.raise_for_status()
    return dict(response.json())


def prepare_sandbox(root_url: str) -> tuple[str, str]:
    """A rate-limited key and one built website, so the measured routes do real work.

    The key is enterprise with a custom burst of ``BENCH_BURST`` per minute: each request
    still passes through the limiter (counted, ``X-RateLimit-*`` added) as every key's do,
    but the run never reaches the limit (a 429 would fail the status check)."""
    import httpx

    key = _json_call(root_url, "POST", "/api/sandbox/keys", {"plan": "enterprise", "burstPerMinute": BENCH_BURST})[
        "key"
    ]
    probe = httpx.get(
        root_url + "/api/project", verify=ssl_context(), headers={"X-API-Key": key}, trust_env=False, timeout=30
    )
    if probe.headers.get("x-ratelimit-limit") != str(BENCH_BURST):
        raise RuntimeError(f"the benchmark key is not rate limited as meant: {dict(probe.headers)}")
    created = _json_call(root_url, "POST", "/api/generate", {"prompt": PROMPTS[0], "name": "Bench Site"}, key)
    for _ in range(200):
        detail = _json_call(root_url, "GET", f"/api/project?projectId={created['projectId']}", key=key)
        if detail["websites"][0]["metadata"]["buildStatus"] == "ready":
            break
        time.sleep(0.05)
    return key, created["websiteId"]


# -- generation ------------------------------------------------------------------------------------
def generation_cpu_ms(repeats: int = 5) -> tuple[float, float, int]:
    """Mean and max CPU milliseconds to generate one site (first call warms caches)."""
    from codaiq_desktop.sandbox.site_generator import generate_site

    generate_site("warm up the regular expressions")
    samples = []
    for round_number in range(repeats):
        for prompt in PROMPTS:
            started = time.process_time()
            generate_site(prompt, None if round_number % 2 else f"Name {round_number}")
            samples.append((time.process_time() - started) * 1000)
    return statistics.fmean(samples), max(samples), len(samples)


# -- main ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_sandbox", description=__doc__)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--serve-baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.serve_baseline:
        serve_baseline()
        return []

    print(
        f"sandbox benchmark: {os.cpu_count()} cores, loopback, {args.concurrency} connections, "
        f"{args.seconds:g} s x {args.rounds} rounds (median)",
        flush=True,
    )
    results: dict[str, list[float]] = {"bare GET": [], "bare POST": [], "project": [], "leads": []}
    lead_body = {
        "websiteId": "",
        "name": "Jane Smith",
        "email": "jane@example.com",
        "message": "Interested in your services.",
    }
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as data_dir:
        from codaiq_desktop.sandbox.process import sandbox_command

        for _ in range(args.rounds):
            baseline = Child([sys.executable, "-m", "benchmarks.bench_sandbox", "--serve-baseline"])
            try:
                bare = baseline.ready["rootUrl"]
                get_target = Target("bare GET", bare, "GET", "/ping", {})
                rate, statuses = asyncio.run(measure(get_target, args.seconds, args.concurrency))
                assert set(statuses) == {200}, statuses
                results["bare GET"].append(rate)
                body = json.dumps({**lead_body, "websiteId": "web_0123456789abcdef"}).encode()
                post_target = Target("bare POST", bare, "POST", "/ping", {}, body)
                rate, statuses = asyncio.run(measure(post_target, args.seconds, args.concurrency))
                assert set(statuses) == {201}, statuses
                results["bare POST"].append(rate)
            finally:
                baseline.stop()

            sandbox = Child(sandbox_command(Path(data_dir), build_seconds=0))
            try:
                root = sandbox.ready["rootUrl"]
                key, website_id = prepare_sandbox(root)
                auth = {"X-API-Key": key}
                rate, statuses = asyncio.run(
                    measure(Target("project", root, "GET", "/api/project", auth), args.seconds, args.concurrency)
                )
                assert set(statuses) == {200}, statuses
                results["project"].append(rate)
                lead = json.dumps(
                    {
                        "websiteId": website_id,
                        "name": "Jane Smith",
                        "email": "jane@example.com",
                        "message": "Interested in your services.",
                    }
                ).encode()
                rate, statuses = asyncio.run(
                    measure(
                        Target("leads", root, "POST", "/api/leads/submit", auth, lead), args.seconds, args.concurrency
                    )
                )
                assert set(statuses) == {201}, statuses
                results["leads"].append(rate)
            finally:
                sandbox.stop()

    rows: list[dict[str, Any]] = []
    comparisons = (
        ("project", "sandbox GET /api/project", "bare GET"),
        ("leads", "sandbox POST /api/leads/submit", "bare POST"),
    )
    for key, label, baseline_key in comparisons:
        rate, baseline_rate = statistics.median(results[key]), statistics.median(results[baseline_key])
        ratio = rate / baseline_rate
        print(f"  {'bare Starlette ' + baseline_key.split()[1] + ' (baseline)':<40} {baseline_rate:>9,.0f} req/s")
        print(f"  {label:<40} {rate:>9,.0f} req/s  {ratio:6.0%} of baseline (target >= {RATIO_TARGET:.0%})")
        rows.append(
            {
                "scenario": label,
                "figure": f"{rate:,.0f} req/s ({ratio:.0%})",
                "target": f">= {RATIO_TARGET:.0%} of bare",
                "ok": ratio >= RATIO_TARGET,
            }
        )

    mean_ms, max_ms, count = generation_cpu_ms()
    print(
        f"  {'site generation (CPU per site)':<40} mean {mean_ms:.2f} ms, max {max_ms:.2f} ms over {count} sites "
        f"(target < {GENERATION_TARGET_MS:.0f} ms)"
    )
    rows.append(
        {
            "scenario": "sandbox site generation CPU",
            "figure": f"{mean_ms:.2f} ms mean, {max_ms:.2f} max",
            "target": f"< {GENERATION_TARGET_MS:.0f} ms",
            "ok": max_ms < GENERATION_TARGET_MS,
        }
    )
    return rows


if __name__ == "__main__":
    sys.exit(exit_status(main(sys.argv[1:])))
