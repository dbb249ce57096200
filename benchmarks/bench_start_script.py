"""What ``./scripts/start.sh`` adds to a start once set up: its install check, against the bare command.

``start.sh`` runs ``scripts/bootstrap.sh`` (which installs only when ``.venv`` is missing or
``pyproject.toml`` changed) and then execs ``.venv/bin/codaiq-desktop``. Both are timed
here with ``--version`` (the command's own start, without opening a window, so the figure
is the script's overhead and not Qt's), with the package index unreachable as on a train.

    python -m benchmarks --only start_script
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 15
OFFLINE = {"PIP_NO_INDEX": "1", "PIP_INDEX_URL": "http://127.0.0.1:9/simple"}


def _time(command: list[str]) -> float:
    env = dict(os.environ, **OFFLINE)
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> list[dict]:
    bare = [str(REPO / ".venv" / "bin" / "codaiq-desktop"), "--version"]
    script = [str(REPO / "scripts" / "start.sh"), "--version"]
    if not Path(bare[0]).exists():
        print("no .venv/bin/codaiq-desktop: run scripts/start.sh once first")
        return [{"scenario": "start.sh overhead", "figure": "not set up", "target": "-", "ok": None}]
    _time(script)  # installs if pyproject.toml changed since the last install; not measured
    bare_times: list[float] = []
    script_times: list[float] = []
    for _ in range(ROUNDS):  # interleaved, so both see the same machine load
        bare_times.append(_time(bare))
        script_times.append(_time(script))
    bare_ms = statistics.median(bare_times) * 1000
    script_ms = statistics.median(script_times) * 1000
    overhead = script_ms - bare_ms
    print(f".venv/bin/codaiq-desktop --version: median {bare_ms:.0f} ms over {ROUNDS} runs")
    print(
        f"scripts/start.sh --version (offline): median {script_ms:.0f} ms ({overhead:+.0f} ms, {script_ms / bare_ms:.2f}x)"
    )
    return [
        {
            "scenario": "start.sh vs .venv/bin/codaiq-desktop (set up, offline)",
            "figure": f"{script_ms:.0f} vs {bare_ms:.0f} ms ({script_ms / bare_ms:.2f}x)",
            "target": "<= 1.2x",
            "ok": script_ms <= 1.2 * bare_ms,
        }
    ]


if __name__ == "__main__":
    main()
