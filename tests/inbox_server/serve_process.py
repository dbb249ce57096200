"""Starting ``codaiq-desktop serve`` and ``serve-admin`` as real processes, for tests and benchmarks.

These are the commands the systemd unit and the container image run (see
``packaging/server``): ``codaiq-desktop serve --db … --host … --port …``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "codaiq_desktop", *args]


def admin(db: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``codaiq-desktop serve-admin --db DB ARGS`` and return its JSON."""
    result = subprocess.run(
        cli("serve-admin", "--db", db, *args),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise AssertionError(f"serve-admin {args[0]} failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout)


@dataclass
class ServeProcess:
    process: subprocess.Popen[str]
    url: str
    pid: int
    stderr_text: str = ""
    """What the process wrote to stderr, once stopped or killed (its log)."""

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        self._close_pipes()
        return self.process.returncode

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(30)
        self._close_pipes()

    def _close_pipes(self) -> None:
        if self.process.stderr and not self.process.stderr.closed:
            self.stderr_text = self.process.stderr.read()
            self.process.stderr.close()
        if self.process.stdout:
            self.process.stdout.close()


def start_serve(db: str, *extra: str, port: int = 0) -> ServeProcess:
    """``codaiq-desktop serve --db DB --port PORT --ready-json`` until it says where it listens."""
    process = subprocess.Popen(
        cli(
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--ready-json",
            "--token-rate",
            "10000",
            "--ip-rate",
            "10000",
            *extra,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        error = process.stderr.read() if process.stderr else ""
        process.wait(30)
        raise AssertionError(f"serve exited ({process.returncode}) before listening: {error}")
    ready = json.loads(line)
    return ServeProcess(process, ready["url"], ready["pid"])
