"""The bundle's size and start-up time, next to ``python -m codaiq_desktop``'s.

A desktop app is judged in its first seconds: how big the download is and how
long until the window is there. This measures, when ``packaging/dist/codaiq-desktop``
exists (build it with ``packaging/build.sh``):

- the bundle's size on disk and file count;
- start-up to the main window (the app logs "Main window shown"), offscreen, in a
  fresh home each time: the first run after the build (coldest the page cache
  allows without root) and the median of the next runs;
- the command line's start-up (``--version``) for both.

The same figures for ``python -m codaiq_desktop`` are always measured, for comparison.
Run with ``python -m benchmarks.bench_bundle [--runs N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))

import smoke_test  # noqa: E402 - found through the path set just above

BUNDLE = REPO / "packaging" / "dist" / "codaiq-desktop"
START_TARGET_S = 5.0
CLI_TARGET_S = 1.5


def bundle_size(bundle: Path) -> tuple[int, int]:
    """(bytes, files) of the bundle folder, symlinks not followed."""
    total = files = 0
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def time_to_main_window(command: Sequence[str], timeout: float = 90.0) -> float:
    """Seconds from exec to the "Main window shown" log line, in a fresh home; the app is then stopped."""
    with tempfile.TemporaryDirectory(prefix="codaiq-bench-") as root:
        home = smoke_test.AppHome(Path(root))
        home.prepare()
        started = time.perf_counter()
        process = smoke_test.start_app(command, home, Path(root) / "output.txt")
        try:
            smoke_test.wait_for_main_window(process, home, timeout)
            return time.perf_counter() - started
        finally:
            children = smoke_test.sandbox_children(process.pid)  # before they lose their parent
            smoke_test.kill_group(process)
            process.wait(timeout=10)
            for pid in children:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)


def time_cli(command: Sequence[str], runs: int = 5) -> float:
    """Median seconds for ``command --version``."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*command, "--version"], capture_output=True, check=True, timeout=60)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _measure_starts(label: str, command: Sequence[str], runs: int) -> list[dict]:
    rows: list[dict] = []
    try:
        first = time_to_main_window(command)
        warm = [time_to_main_window(command) for _ in range(max(0, runs - 1))]
    except smoke_test.SmokeTestFailure as failure:
        print(f"{label}: start-up not measured: {str(failure).splitlines()[0]}")
        return [
            {
                "scenario": f"{label}: start to main window",
                "figure": "not measured",
                "target": f"< {START_TARGET_S:.0f} s",
                "ok": False,
            }
        ]
    print(f"{label}: first start {first:.2f} s; next starts {', '.join(f'{s:.2f}' for s in warm) or '-'} s")
    rows.append(
        {
            "scenario": f"{label}: first start to main window",
            "figure": f"{first:.2f} s",
            "target": f"< {START_TARGET_S:.0f} s",
            "ok": first < START_TARGET_S,
        }
    )
    if warm:
        median = statistics.median(warm)
        rows.append(
            {
                "scenario": f"{label}: warm start (median)",
                "figure": f"{median:.2f} s",
                "target": f"< {START_TARGET_S:.0f} s",
                "ok": median < START_TARGET_S,
            }
        )
    cli = time_cli(command)
    print(f"{label}: `--version` {cli:.3f} s (median of 5)")
    rows.append(
        {
            "scenario": f"{label}: CLI --version",
            "figure": f"{cli:.2f} s",
            "target": f"< {CLI_TARGET_S} s",
            "ok": cli < CLI_TARGET_S,
        }
    )
    return rows


def main(argv: Sequence[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="starts per variant (first one counts as cold)")
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    args = parser.parse_args([] if argv is None else argv)
    rows: list[dict] = []
    if (args.bundle / "codaiq-desktop").is_file():
        size, files = bundle_size(args.bundle)
        megabytes = size / 1_000_000
        print(f"bundle: {args.bundle} - {megabytes:.0f} MB in {files} files")
        rows.append(
            {
                "scenario": "bundle size",
                "figure": f"{megabytes:.0f} MB, {files} files",
                # Recorded, not held to a bound: Qt WebEngine (the preview's Chromium) alone is
                # about 204 MB, already stripped; nothing else comes near it.
                "target": "report",
                "ok": None,
            }
        )
        rows += _measure_starts("bundle", [str(args.bundle / "codaiq-desktop")], args.runs)
    else:
        print(f"no bundle at {args.bundle}: build it with packaging/build.sh to measure it")
        rows.append({"scenario": "bundle", "figure": "not built", "target": "-", "ok": None})
    rows += _measure_starts("python -m", [sys.executable, "-m", "codaiq_desktop"], args.runs)
    return rows


if __name__ == "__main__":
    parser_args = sys.argv[1:]
    result_rows = main(parser_args)
    sys.exit(0 if all(row["ok"] is not False for row in result_rows) else 1)
