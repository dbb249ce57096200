"""The rule "one way to move work off the UI thread", checked on the source of ``codaiq_desktop.ui``.

Work leaves the Qt thread through the coroutine runner (``AppServices.run``, awaiting the
async calls of the store, the API and team clients, the site check, ...) or through a
``StoreReader``. Threads, executors and ``asyncio.to_thread`` belong to the lower layers
that own the blocking work, and HTTP to the typed clients (``api``, ``api.sandbox_admin``,
``team``). This scan fails on any other use in ``ui``, so a new one is either moved down
or added to the allow-list below with its reason (and to docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

import codaiq_desktop.ui

UI_DIR = Path(codaiq_desktop.ui.__file__).parent

#: Names whose use in ui starts a thread or an executor, or is raw HTTP.
OFF_THREAD_NAMES = frozenset(
    {"to_thread", "run_in_executor", "ThreadPoolExecutor", "ProcessPoolExecutor", "Thread", "QThread", "QThreadPool"}
)
RAW_HTTP_MODULES = frozenset({"httpx", "requests", "urllib.request", "aiohttp", "http.client"})

#: (module path under ui, name) -> why it may stay there.
ALLOWED: dict[tuple[str, str], str] = {
    ("common/store_reader.py", "ThreadPoolExecutor"): "the store reader itself: its one worker thread",
    ("common/background_imports.py", "Thread"): "importing modules ahead of use: loads code, not data (no async API)",
    ("common/background_imports.py", "to_thread"): "awaiting those imports from a coroutine",
}


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines inside ``if TYPE_CHECKING:`` blocks (imports there are for annotations only)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _uses(path: Path) -> list[tuple[int, str]]:
    """``(line, name)`` of every off-thread name and raw HTTP import in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    annotations_only = _type_checking_lines(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in OFF_THREAD_NAMES:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Name) and node.id in OFF_THREAD_NAMES:
            found.append((node.lineno, node.id))
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno not in annotations_only:
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                if module in RAW_HTTP_MODULES or module.split(".")[0] in RAW_HTTP_MODULES - {"urllib.request"}:
                    found.append((node.lineno, module))
            if isinstance(node, ast.ImportFrom):
                found.extend((node.lineno, alias.name) for alias in node.names if alias.name in OFF_THREAD_NAMES)
    return found


def _all_uses() -> dict[tuple[str, str], list[int]]:
    uses: dict[tuple[str, str], list[int]] = {}
    for path in sorted(UI_DIR.rglob("*.py")):
        relative = path.relative_to(UI_DIR).as_posix()
        for line, name in _uses(path):
            uses.setdefault((relative, name), []).append(line)
    return uses


def test_ui_moves_work_off_the_ui_thread_one_way_only() -> None:
    offenders = {key: lines for key, lines in _all_uses().items() if key not in ALLOWED}
    assert not offenders, (
        "Work leaves the UI thread through AppServices.run (awaiting a lower layer's async call) or a "
        "StoreReader; raw HTTP goes through the api / team clients. Move these down, or allow-list them "
        f"with a reason: {offenders}"
    )


def test_every_allowed_use_is_still_there() -> None:
    """An allow-list entry whose use has gone must go too, or it would hide a new one later."""
    uses = _all_uses()
    stale = [key for key in ALLOWED if key not in uses]
    assert not stale, f"allow-listed but no longer used: {stale}"


def test_the_scan_sees_each_kind_of_use(tmp_path: Path) -> None:
    """The scanner itself: each form it must catch is caught, annotations-only imports are not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from __future__ import annotations\n"
        "import asyncio, threading\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import httpx\n"
        "async def f(loop):\n"
        "    await asyncio.to_thread(print)\n"
        "    await loop.run_in_executor(None, print)\n"
        "    threading.Thread(target=print).start()\n"
        "    import httpx\n"
        "    from PySide6.QtCore import QThread\n",
        encoding="utf-8",
    )
    names = sorted(name for _line, name in _uses(sample))
    assert names == ["QThread", "Thread", "ThreadPoolExecutor", "httpx", "run_in_executor", "to_thread"]
