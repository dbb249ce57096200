""" "Copy diagnostics": the facts support needs, and never a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codaiq_desktop import __version__
from codaiq_desktop.diagnostics import collect_diagnostics, recent_problems
from codaiq_desktop.logging_setup import clear_secrets, register_secret

API_KEY = "cq_live_Zx81Qw72Er63Ty54Ui45Op36"
WEBHOOK_SECRET = "hook-secret-0f1e2d3c4b5a"

LOG = f"""\
2026-11-29 05:00:00,001 INFO     codaiq_desktop.ui.app: Started with key {API_KEY}
2026-11-29 05:00:01,002 WARNING  codaiq_desktop.receiver: Rejected a webhook signed with {WEBHOOK_SECRET}
2026-11-29 05:00:02,003 ERROR    codaiq_desktop.ui.services: Background task failed
Traceback (most recent call last):
  File "x.py", line 1, in <module>
codaiq_desktop.api.errors.NetworkError: Could not reach http://127.0.0.1:9/api (X-API-Key: {API_KEY})
2026-11-29 05:00:03,004 INFO     codaiq_desktop.ui.app: all good
2026-11-29 05:00:04,005 CRITICAL codaiq_desktop.crash: Unexpected error: boom
"""


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "codaiq-desktop.log"
    path.write_text(LOG, encoding="utf-8")
    clear_secrets()
    yield path
    clear_secrets()


def test_recent_problems_are_warnings_and_errors_with_the_exception_line(log_file: Path) -> None:
    register_secret(WEBHOOK_SECRET)
    problems = recent_problems(log_file)
    assert len(problems) == 3
    assert problems[1].startswith("2026-11-29 05:00:02,003 ERROR")
    assert problems[1].endswith("NetworkError: Could not reach http://127.0.0.1:9/api (X-API-Key: [REDACTED])")
    assert "Unexpected error: boom" in problems[2]
    assert recent_problems(log_file, limit=1) == problems[-1:]


def test_diagnostics_hold_versions_paths_and_problems_but_no_secrets(log_file: Path) -> None:
    register_secret(WEBHOOK_SECRET)  # the app registers what it reads
    text = collect_diagnostics(
        log_path=log_file,
        extra={"Qt runtime": "6.11.3", "account": "Agency (https://user:pa55word@codaiq.example/api)", "key": API_KEY},
        environ={"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen", "CODAIQ_API_KEY": API_KEY},
    )
    assert f"Codaiq Desktop {__version__}" in text
    for expected in (
        "PySide6",
        "httpx",
        "uvicorn",
        "[Paths]",
        str(log_file),
        "Qt runtime",
        "6.11.3",
        "Background task failed",
    ):
        assert expected in text
    for secret in (API_KEY, WEBHOOK_SECRET, "pa55word"):
        assert secret not in text
    assert "CODAIQ_API_KEY" not in text  # not an environment variable it reports


def test_missing_log_is_not_an_error(tmp_path: Path) -> None:
    text = collect_diagnostics(log_path=tmp_path / "absent.log")
    assert "[Recent problems] (last 0 warnings and errors in the log)\nnone" in text


def test_cli_prints_diagnostics_without_the_key_from_the_environment(tmp_path: Path) -> None:
    env = dict(os.environ, CODAIQ_API_KEY=API_KEY, XDG_STATE_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "codaiq_desktop", "diagnostics"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "[Libraries]" in result.stdout and str(tmp_path) in result.stdout
    assert API_KEY not in result.stdout
