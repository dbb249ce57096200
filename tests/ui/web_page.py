"""Driving a page in a real ``QWebEngineView`` from a test: load it, run a script, read its value."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def run_js(until: Callable[..., None], page: Any, script: str, timeout: float = 15.0) -> Any:
    """Run ``script`` (an expression, may be a Promise) in ``page``; returns ``{"ok": value}``
    or ``{"error": text}`` (the value went through JSON)."""
    box: list[Any] = []
    page.runJavaScript(
        "window.__probe = undefined; Promise.resolve(" + script + ")"
        ".then(v => { window.__probe = JSON.stringify({ok: v}); },"
        " e => { window.__probe = JSON.stringify({error: String(e)}); });"
    )

    def keep(value: Any) -> None:
        if value and not box:
            box.append(value)

    def poll() -> bool:
        page.runJavaScript("window.__probe || ''", 0, keep)
        return bool(box)

    until(poll, timeout=timeout, message=f"no answer from the page for: {script[:60]}")
    return json.loads(box[0])


def load(until: Callable[..., None], view: Any, url: str, timeout: float = 30.0) -> None:
    """Load ``url`` in ``view`` and wait until it finished loading, successfully."""
    from PySide6.QtCore import QUrl

    results: list[bool] = []
    view.loadFinished.connect(results.append)
    try:
        view.setUrl(QUrl(url))
        until(lambda: bool(results), timeout=timeout, message=f"{url} never finished loading")
    finally:
        view.loadFinished.disconnect(results.append)
    assert results[-1], f"{url} did not load"
