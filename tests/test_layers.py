"""The layer contract: only ``codaiq_desktop.ui`` may import Qt.

The client, sandbox, receiver, store, inbox server and command line must work from plain
asyncio and a terminal, so they are imported here in a fresh interpreter and
must not pull in PySide6, qasync or pyqtgraph.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import codaiq_desktop

PACKAGE_DIR = Path(codaiq_desktop.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "qasync", "pyqtgraph")


def _non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="codaiq_desktop."):
        if info.name.startswith("codaiq_desktop.ui") or info.name == "codaiq_desktop.__main__":
            continue
        names.append(info.name)
    return names


def test_non_ui_modules_import_no_qt_at_runtime() -> None:
    modules = _non_ui_modules()
    assert "codaiq_desktop.signing" in modules
    assert "codaiq_desktop.site_stats.pacing" in modules  # the Overview's and reports' fetching: no Qt
    assert "codaiq_desktop.inbox_server.app" in modules
    assert "codaiq_desktop.inbox_server.postgres_storage" in modules
    assert "codaiq_desktop.site_check.checker" in modules  # the site check runs without a display
    assert "codaiq_desktop.cli.check_site_command" in modules
    assert "codaiq_desktop.team.store" in modules  # team mode's client, cache and follower: no Qt
    assert "codaiq_desktop.team.follower" in modules
    assert "codaiq_desktop.team.io_thread" in modules  # the team store's own event loop and outbox: no Qt
    assert "codaiq_desktop.team.outbox" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"leaked = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt imported outside codaiq_desktop.ui: {result.stdout.strip()}"


def test_no_top_level_qt_import_statements_outside_ui() -> None:
    """Also catches imports hidden in functions that the runtime check never executes."""
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        relative = path.relative_to(PACKAGE_DIR)
        if relative.parts[0] == "ui":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            if any(name.split(".")[0] in QT_MODULES for name in names):
                offenders.append(f"{relative}:{node.lineno}")
    # The command line starts the GUI through codaiq_desktop.ui only.
    assert offenders == [], f"Qt imports outside codaiq_desktop.ui: {offenders}"


MAX_MODULE_LINES = 600
"""Past this a module holds more than one job: split it by job (CONTRIBUTING.md)."""
MAX_SERVICES_LINES = 300
"""``AppServices`` composes the services; the work is in the classes it composes."""


def test_modules_stay_small() -> None:
    sizes = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE_DIR.rglob("*.py")}
    assert len(sizes) > 100
    too_long = {str(path.relative_to(PACKAGE_DIR)): lines for path, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"
    assert sizes[PACKAGE_DIR / "ui" / "services.py"] <= MAX_SERVICES_LINES


def test_the_window_is_shown_before_the_http_stack_and_account_dialogs_load() -> None:
    """What start-up imports before the window shows: the main window's module and the app's
    services bring neither httpx (the API client loads on first use), asyncio (the loop starts
    after ``show()``) nor the account dialogs (loaded when one opens). Each took a noticeable
    part of a cold start."""
    code = (
        "import sys\n"
        "import codaiq_desktop.ui.app, codaiq_desktop.ui.shell.main_window, codaiq_desktop.ui.services\n"
        "import codaiq_desktop.api.models, codaiq_desktop.api.errors\n"
        "late = ['httpx', 'asyncio', 'codaiq_desktop.api.client', 'codaiq_desktop.ui.accounts.account_dialogs']\n"
        "print(','.join(name for name in late if name in sys.modules))\n"
        "from codaiq_desktop.api import CodaiqClient\n"
        "print(CodaiqClient.__module__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded_early, client_module = result.stdout.splitlines()
    assert loaded_early == "", f"imported before the window shows: {loaded_early}"
    assert client_module == "codaiq_desktop.api.client"
