"""The real start-up path, in a fresh process, up to the first window: what it has done by then.

``run_app`` with a fresh data folder and the local sandbox as the saved account (no first-run
dialog), offscreen. At the first turn of the event loop after ``show()`` the child reports
what the window looks like and what start-up had loaded, then quits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_CHILD = r"""
import json, sys
from codaiq_desktop.ui.shell import main_window

shown = main_window.MainWindow.show

def show(self):
    shown(self)
    from PySide6 import QtWidgets
    from PySide6.QtCore import QTimer

    def report():
        facts = {
            # Read before asking for the style: asking builds QStyle's Python type.
            "qstyle_built": "QStyle" in QtWidgets.__dict__,
            "modules": sorted(name for name in ("subprocess", "ctypes", "hashlib", "httpx") if name in sys.modules),
            "tab": self.current_tab_key(),
            "title": self.windowTitle(),
        }
        app = QtWidgets.QApplication.instance()
        app.setStyleSheet("")  # the theme's sheet wraps the style; without it, the style itself
        facts["style"] = app.style().name()
        print(json.dumps(facts), flush=True)
        self.close()

    QTimer.singleShot(0, report)

main_window.MainWindow.show = show
from codaiq_desktop.ui.app import run_app
sys.exit(run_app(sys.argv[:1]))
"""


def _start_once(home: Path) -> dict[str, object]:
    accounts = home / "config" / "codaiq-desktop" / "accounts.json"
    accounts.parent.mkdir(parents=True)
    sandbox = {"name": "Local sandbox", "base_url": "", "plan": "", "kind": "sandbox", "key_storage": "none"}
    accounts.write_text(json.dumps({"accounts": [sandbox], "active": "Local sandbox"}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    result = subprocess.run(
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report from the app (exit {result.returncode}): {result.stderr[-3000:]}"
    facts: dict[str, object] = json.loads(lines[0])
    return facts


def test_the_first_window_is_fusion_styled_without_building_what_it_does_not_show(tmp_path: Path) -> None:
    facts = _start_once(tmp_path)

    assert facts["style"] == "fusion"
    assert facts["tab"] == "overview"
    assert "Codaiq Desktop" in str(facts["title"])
    # Each of these cost start-up milliseconds that bought nothing on screen: QStyle's
    # Python type (all its enums, built when the style is first handed to Python), the
    # ldconfig process and ctypes of the display check (only asked when a library seems
    # missing), OpenSSL's digests (the single-instance name takes a checksum), and the
    # HTTP stack (loaded on the loop, after the window).
    assert facts["qstyle_built"] is False
    assert facts["modules"] == []
