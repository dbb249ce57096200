"""The text behind "Copy diagnostics": versions, platform, paths and recent problems.

A support request needs the same facts every time, and a user should not have
to find them. This module gathers them without Qt (so ``codaiq-desktop`` can
print them from a terminal too, and the test suite can check them), and passes
everything - including the log lines it quotes - through the log redactor: the
text is meant to be pasted into an e-mail, so it holds no keys or secrets.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import platformdirs

from codaiq_desktop import __version__
from codaiq_desktop.logging_setup import APP_NAME, log_file_path, redact
from codaiq_desktop.platform_check import check_gui_environment
from codaiq_desktop.resources import ResourceNotFoundError, is_frozen, resources_dir

#: Distributions whose versions matter when something breaks.
LIBRARIES = (
    "PySide6",
    "shiboken6",
    "qasync",
    "pyqtgraph",
    "httpx",
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic",
    "keyring",
    "platformdirs",
    "numpy",
)

#: Environment variables that explain display and Qt behaviour; their values are not secret.
ENVIRONMENT_VARIABLES = (
    "XDG_SESSION_TYPE",
    "XDG_CURRENT_DESKTOP",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "QT_QPA_PLATFORM",
    "QT_SCALE_FACTOR",
    "QTWEBENGINE_DISABLE_SANDBOX",
    "CODAIQ_BASE_URL",
    "LANG",
)

_LOG_ENTRY_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} (?P<level>[A-Z]+)\s")
_PROBLEM_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.IGNORECASE)


def collect_diagnostics(
    *,
    extra: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    max_problems: int = 20,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The full diagnostics text, redacted. ``extra`` adds lines (e.g. the Qt runtime version)."""
    env = os.environ if environ is None else environ
    log_path = log_path or log_file_path()
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        ("Application", _application_lines()),
        ("Platform", _platform_lines(env)),
        ("Libraries", [(name, _distribution_version(name)) for name in LIBRARIES]),
        ("Paths", _path_lines(log_path)),
    ]
    if extra:
        sections.append(("Session", [(str(key), str(value)) for key, value in extra.items()]))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    out = [f"Codaiq Desktop {__version__} - diagnostics generated {now}"]
    for title, lines in sections:
        out.append("")
        out.append(f"[{title}]")
        width = max((len(key) for key, _ in lines), default=0)
        out.extend(f"{key:<{width}}  {_clean(value)}" for key, value in lines)
    out.append("")
    problems = recent_problems(log_path, limit=max_problems)
    out.append(f"[Recent problems] (last {len(problems)} warnings and errors in the log)")
    out.extend(problems or ["none"])
    return redact("\n".join(out)) + "\n"


def recent_problems(log_path: Path, *, limit: int = 20, tail_bytes: int = 512_000) -> list[str]:
    """The last ``limit`` warning/error entries of the log, one line each, redacted.

    A multi-line entry (one with a traceback) is shown as its first line plus the
    traceback's last line, which names the exception; the rest stays in the log.
    """
    text = _read_tail(log_path, tail_bytes)
    if not text:
        return []
    entries: list[list[str]] = []
    for line in text.splitlines():
        if _LOG_ENTRY_START.match(line):
            entries.append([line])
        elif entries:
            entries[-1].append(line)
    problems = []
    for entry in entries:
        match = _LOG_ENTRY_START.match(entry[0])
        if match and match["level"] in _PROBLEM_LEVELS:
            summary = entry[0]
            tail = [line.strip() for line in entry[1:] if line.strip()]
            if tail:
                summary += f"  | {tail[-1]}"
            problems.append(redact(summary))
    return problems[-limit:] if limit > 0 else []


def _read_tail(path: Path, size: int) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            length = handle.tell()
            handle.seek(max(0, length - size))
            data = handle.read()
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace")
    if len(data) == size and "\n" in text:
        text = text.split("\n", 1)[1]  # drop the partial first line
    return text


def _application_lines() -> list[tuple[str, str]]:
    if is_frozen():
        layout = "app bundle"
    elif "site-packages" in Path(__file__).parts:
        layout = "installed package"
    else:
        layout = "source checkout"
    return [
        ("version", __version__),
        ("layout", layout),
        ("executable", sys.executable),
        ("python", f"{platform.python_version()} ({platform.python_implementation()}, {platform.architecture()[0]})"),
    ]


def _platform_lines(env: Mapping[str, str]) -> list[tuple[str, str]]:
    lines = [("system", platform.platform()), ("machine", platform.machine())]
    distribution = _os_release_name()
    if distribution:
        lines.append(("distribution", distribution))
    lines.extend((name, env.get(name, "(not set)")) for name in ENVIRONMENT_VARIABLES)
    try:
        gui_problem = check_gui_environment(env)
    except Exception as error:  # noqa: BLE001 - diagnostics must come out even when a probe fails
        gui_problem = f"check failed: {error}"
    lines.append(("gui check", "ok" if gui_problem is None else gui_problem.splitlines()[0]))
    lines.append(("keyring", _keyring_backend()))
    return lines


def _path_lines(log_path: Path) -> list[tuple[str, str]]:
    try:
        resources = str(resources_dir())
    except ResourceNotFoundError:
        resources = "MISSING"
    return [
        ("resources", resources),
        ("log file", str(log_path)),
        ("config", str(platformdirs.user_config_path(APP_NAME, appauthor=False))),
        ("data", str(platformdirs.user_data_path(APP_NAME, appauthor=False))),
        ("cache", str(platformdirs.user_cache_path(APP_NAME, appauthor=False))),
    ]


def _distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        module = sys.modules.get(name)
        version = getattr(module, "__version__", None)
        return str(version) if version else "not installed"


def _os_release_name(paths: Sequence[str] = ("/etc/os-release", "/usr/lib/os-release")) -> str | None:
    for candidate in paths:
        try:
            text = Path(candidate).read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip().strip('"')
    return None


def _keyring_backend() -> str:
    """The keyring backend's class name; never touches a stored password."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as error:  # noqa: BLE001 - a broken D-Bus must not stop diagnostics
        return f"unavailable ({type(error).__name__})"
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _clean(value: str) -> str:
    """One line, no user:password@ in URLs."""
    value = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{'[REDACTED]'}@", value)
    return " ".join(value.split())
