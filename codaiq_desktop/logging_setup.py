"""Logging to the OS-proper log dir, rotated, with secrets taken out of every line.

Users attach logs to support requests, so a log line must never carry an API
key or a webhook secret. Two layers make sure of it:

- secrets the app knows are *registered* (:func:`register_secret`) the moment it
  reads them (from the keyring, a profile, a ``--api-key``), and every occurrence
  is replaced;
- patterns catch what was never registered: ``X-API-Key``/``Authorization``
  headers, ``api_key=``/``"secret": ...`` pairs, and key-shaped tokens.

The filter sits on the *handlers* :func:`setup_logging` installs, so records
from every logger (ours, httpx, uvicorn) pass through it, exception tracebacks
included. The log lives in ``platformdirs.user_log_path("codaiq-desktop")``
(``~/.local/state/codaiq-desktop/log`` on Linux, ``~/Library/Logs/codaiq-desktop``
on macOS, ``%LOCALAPPDATA%\\codaiq-desktop\\Logs`` on Windows).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import platformdirs

APP_NAME = "codaiq-desktop"
LOG_FILE_NAME = "codaiq-desktop.log"
REDACTED = "[REDACTED]"

#: Registered secrets shorter than this are ignored: replacing "abc" everywhere would wreck the log.
MIN_SECRET_LENGTH = 4

_HANDLER_MARK = "_codaiq_handler"
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_secrets_pattern: re.Pattern[str] | None = None

# "X-API-Key: abc", "'x-api-key': 'abc'", (b'x-api-key', b'abc'), "Authorization: Bearer abc"
_HEADER_PATTERN = re.compile(
    r"""(?ix)
    (?P<name>\b(?:x-api-key|x-codaiq-key|authorization|proxy-authorization|cookie|set-cookie)\b)
    (?P<sep>["']?\s*(?:[:=]\s*(?:b?["'])?|,\s*b?["'])\s*)
    (?P<scheme>(?:bearer|basic|token)\s+)?
    (?P<value>[^\s"',;}\])]+)
    """
)
# "api_key=abc", "apiKey": "abc", secret='abc', "webhookSecret": "abc"
_PAIR_PATTERN = re.compile(
    r"""(?ix)
    (?P<name>(?:\b|_|-)(?:api[_-]?key|secret|webhook[_-]?secret|signing[_-]?secret|password|passwd
        |access[_-]?token|refresh[_-]?token|client[_-]?secret)\b)
    (?P<sep>["']?\s*[:=]\s*(?:b?["'])?)
    (?P<value>(?!\[REDACTED\])[^\s"',;}&\])]+)
    """
)
# Command-line flags: --api-key abc, --secret=abc
_FLAG_PATTERN = re.compile(
    r"(?P<name>--(?:api-key|secret|webhook-secret|password|token))(?P<sep>\s+|=)(?P<value>(?!\[REDACTED\])\S+)"
)
# Key-shaped tokens: known prefixes, or long random-looking strings mixing cases and digits.
_TOKEN_PATTERN = re.compile(
    r"""(?x)
    \b(?:(?:cq|cdq|codaiq|sk|pk|rk|whsec|key|ck)_(?:live_|test_|sandbox_|sbx_)?[A-Za-z0-9_\-]{12,})\b
    |
    \b(?=[A-Za-z0-9_\-]*[a-z])(?=[A-Za-z0-9_\-]*[A-Z])(?=[A-Za-z0-9_\-]*[0-9])[A-Za-z0-9_\-]{32,}\b
    """
)


def register_secret(value: str | None) -> None:
    """Never log ``value``: every occurrence in a record becomes ``[REDACTED]``.

    Call it as soon as a key or webhook secret is read or typed. Empty and very
    short values (under :data:`MIN_SECRET_LENGTH`) are ignored.
    """
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    global _secrets_pattern
    with _secrets_lock:
        if value in _secrets:
            return
        _secrets.add(value)
        _secrets_pattern = _compile_secrets(_secrets)


def forget_secret(value: str | None) -> None:
    """Stop redacting ``value`` (after the key was deleted and will never be logged by us again)."""
    global _secrets_pattern
    with _secrets_lock:
        if value in _secrets:
            _secrets.discard(value)
            _secrets_pattern = _compile_secrets(_secrets)


def clear_secrets() -> None:
    """Forget every registered secret (for tests, and when the user signs out of every profile)."""
    global _secrets_pattern
    with _secrets_lock:
        _secrets.clear()
        _secrets_pattern = None


def _compile_secrets(values: set[str]) -> re.Pattern[str] | None:
    if not values:
        return None
    # Longest first, so a secret containing another is replaced whole.
    return re.compile("|".join(re.escape(value) for value in sorted(values, key=len, reverse=True)))


def redact(text: str) -> str:
    """``text`` with registered secrets, secret headers/pairs and key-shaped tokens replaced."""
    if not text:
        return text
    pattern = _secrets_pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = _HEADER_PATTERN.sub(lambda m: f"{m['name']}{m['sep']}{m['scheme'] or ''}{REDACTED}", text)
    text = _PAIR_PATTERN.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)
    text = _FLAG_PATTERN.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)
    return _TOKEN_PATTERN.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, traceback and stack with :func:`redact`; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad %-format must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def log_dir() -> Path:
    """The OS-proper directory for the app's logs (not created here)."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def log_file_path(directory: Path | None = None) -> Path:
    """The current log file (older ones are ``.1`` ... ``.N`` beside it)."""
    return (directory or log_dir()) / LOG_FILE_NAME


def setup_logging(
    *,
    level: int = logging.INFO,
    directory: Path | None = None,
    console_level: int | None = None,
    max_bytes: int = 2_000_000,
    backup_count: int = 5,
) -> Path:
    """Send all logging to a rotating file (and optionally stderr), redacted; return the file's path.

    Safe to call again (e.g. with another level): it replaces the handlers it
    installed before rather than adding more. If the log dir cannot be written
    the app still runs, logging to stderr only, and says so once.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s")
    redacting = RedactingFilter()
    path = log_file_path(directory)
    handlers: list[logging.Handler] = []
    problem = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
        file_handler.setLevel(level)
        handlers.append(file_handler)
    except OSError as error:
        problem = (
            f"Codaiq Desktop cannot write its log to {path.parent} ({error.strerror or error}); "
            "logging to the terminal only."
        )
        console_level = min(console_level or logging.WARNING, level)
    if console_level is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(console_level)
        handlers.append(console)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(redacting)
        setattr(handler, _HANDLER_MARK, True)
        root.addHandler(handler)
    root.setLevel(min(h.level for h in handlers) if handlers else level)
    logging.captureWarnings(True)
    if problem:
        logging.getLogger(__name__).warning(problem)
    return path


def install_exception_logging(on_error: Callable[[str], None] | None = None) -> None:
    """Log uncaught exceptions (main and worker threads) instead of printing tracebacks.

    ``on_error`` receives a one-line, redacted summary (the UI shows it in a
    dialog or status bar); the full traceback goes to the log only.
    """
    logger = logging.getLogger("codaiq_desktop.crash")

    def handle(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, traceback)
            return
        logger.critical("Unexpected error: %s", value, exc_info=(kind, value, traceback))
        if on_error is not None:
            on_error(redact(f"{kind.__name__}: {value}"))

    def handle_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            handle(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = handle
    threading.excepthook = handle_thread
