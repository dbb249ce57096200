"""Logs go to a rotating file, and no API key or webhook secret ever reaches it."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from codaiq_desktop import logging_setup
from codaiq_desktop.logging_setup import REDACTED, clear_secrets, forget_secret, redact, register_secret, setup_logging

API_KEY = "cq_live_9fKx2LmQ7rT4vW8yZ1aB3cD5"
WEBHOOK_SECRET = "whk-0a1b2c3d4e5f6071"


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    """Install the app's handlers into a temp dir; restore the root logger afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    clear_secrets()
    # Servers started by earlier tests (uvicorn's dictConfig) may have disabled or
    # raised the level of these loggers; this test needs them as a fresh app has them.
    for name in ("codaiq_desktop.api", "httpx", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.disabled = False
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    yield tmp_path
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(saved_level)
    logging.captureWarnings(False)
    clear_secrets()


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_registered_secrets_and_key_patterns_never_reach_the_file(log_dir: Path) -> None:
    path = setup_logging(directory=log_dir)
    register_secret(API_KEY)
    register_secret(WEBHOOK_SECRET)
    log = logging.getLogger("codaiq_desktop.api")
    log.info("Connecting with key %s", API_KEY)
    log.info("Signing webhooks with %r", WEBHOOK_SECRET)
    logging.getLogger("httpx").warning(
        "request headers: {'X-API-Key': 'unregistered-key-1234', 'Accept': 'application/json'}"
    )
    logging.getLogger("uvicorn.error").error("scope headers [(b'x-api-key', b'other-key-5678')]")
    log.info('body {"apiKey": "json-key-abcd", "plan": "agency"} and api_key=query-key-efgh&x=1')
    log.info("Authorization: Bearer bearer-token-ijkl")
    try:
        raise ValueError(f"server rejected {API_KEY}")
    except ValueError:
        log.exception("Request failed")
    _flush()
    text = path.read_text(encoding="utf-8")
    for secret in (
        API_KEY,
        WEBHOOK_SECRET,
        "unregistered-key-1234",
        "other-key-5678",
        "json-key-abcd",
        "query-key-efgh",
        "bearer-token-ijkl",
    ):
        assert secret not in text, f"{secret} leaked into the log"
    assert text.count(REDACTED) >= 8, text
    assert "Traceback" in text and "ValueError: server rejected [REDACTED]" in text
    assert "'Accept': 'application/json'" in text  # the rest of the line survives


def test_key_shaped_tokens_are_caught_without_registration() -> None:
    assert redact("key sk_live_ABCdef1234567890xyz used") == f"key {REDACTED} used"
    assert redact("whsec_0123456789abcdefXYZ") == REDACTED
    assert redact("aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zQ") == REDACTED
    assert (
        redact("codaiq-desktop generate --api-key abc123def --prompt x")
        == f"codaiq-desktop generate --api-key {REDACTED} --prompt x"
    )


def test_ordinary_identifiers_are_left_alone() -> None:
    text = (
        "website 123e4567-e89b-12d3-a456-426614174000 built; sha256 "
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08; x-api-key header missing"
    )
    assert redact(text) == text


def test_forget_and_short_values() -> None:
    register_secret("abc")  # too short to redact safely
    assert redact("abc") == "abc"
    register_secret("longer-secret-value")
    assert redact("x longer-secret-value y") == f"x {REDACTED} y"
    forget_secret("longer-secret-value")
    assert redact("x longer-secret-value y") == "x longer-secret-value y"


def test_log_rotates(log_dir: Path) -> None:
    path = setup_logging(directory=log_dir, max_bytes=2_000, backup_count=2)
    log = logging.getLogger("codaiq_desktop.rotation")
    for index in range(200):
        log.info("line %04d %s", index, "x" * 40)
    _flush()
    assert path.exists()
    assert (log_dir / f"{path.name}.1").exists() and (log_dir / f"{path.name}.2").exists()
    assert not (log_dir / f"{path.name}.3").exists()
    assert path.stat().st_size <= 2_000


def test_setting_up_twice_does_not_double_lines(log_dir: Path) -> None:
    setup_logging(directory=log_dir)
    path = setup_logging(directory=log_dir, level=logging.DEBUG)
    logging.getLogger("codaiq_desktop.twice").debug("only once")
    _flush()
    assert path.read_text(encoding="utf-8").count("only once") == 1


def test_default_location_is_the_platform_log_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path = logging_setup.log_file_path()
    assert path.is_relative_to(tmp_path) and path.name == "codaiq-desktop.log"


def test_unwritable_dir_falls_back_to_stderr(log_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = log_dir / "not-a-dir"
    blocker.write_text("a file where the log dir should be")
    setup_logging(directory=blocker / "log")
    logging.getLogger("codaiq_desktop.fallback").error("still visible %s", API_KEY)
    err = capsys.readouterr().err
    assert "cannot write its log" in err and "still visible" in err
    assert "cq_live_" not in err  # the stderr handler redacts too


def test_uncaught_exception_is_logged_redacted_not_printed(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import threading

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = setup_logging(directory=log_dir)
    summaries: list[str] = []
    logging_setup.install_exception_logging(on_error=summaries.append)
    try:
        raise RuntimeError(f"boom with {API_KEY}")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    _flush()
    assert summaries == [f"RuntimeError: boom with {REDACTED}"]
    text = path.read_text(encoding="utf-8")
    assert "CRITICAL" in text and API_KEY not in text


def test_python_warnings_reach_the_log(log_dir: Path) -> None:
    path = setup_logging(directory=log_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("deprecated thing", DeprecationWarning, stacklevel=1)
    _flush()
    assert "deprecated thing" in path.read_text(encoding="utf-8")
