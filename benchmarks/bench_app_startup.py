"""Cold start of the desktop app to its first window shown, next to a bare PySide6 window,
and the app's peak memory idle with the local sandbox running.

Each start is a fresh process (offscreen, fresh XDG folders), timed from spawn to the
first event-loop turn after ``show()``: what a person waits for before seeing a window.
Target: the app within 2x the bare window. Memory is the peak RSS (``VmHWM``, Linux) of
the app process and of its sandbox child after 5 s idle.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import exit_status

RUNS = 5

_BARE = r"""
import json, sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 800)
window.show()
QTimer.singleShot(0, lambda: (print(json.dumps({"shown": time.time() - t0}), flush=True), app.quit()))
app.exec()
"""

_APP = r"""
import json, sys, time
t0 = float(sys.argv[1])
idle = float(sys.argv[2])
from codaiq_desktop.ui.shell import main_window as mw

original_show = mw.MainWindow.show

def _vmhwm(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None

def show(self):
    original_show(self)
    from PySide6.QtCore import QTimer
    shown = {}
    def first_turn():
        shown["shown"] = time.time() - t0
        if idle <= 0:
            print(json.dumps(shown), flush=True)
            self.close()
            return
        def after_idle():
            process = self.services.sandbox_process
            shown["sandbox_state"] = self.services.sandbox_state
            shown["app_peak_rss"] = _vmhwm("self")
            shown["sandbox_peak_rss"] = _vmhwm(process.endpoint.pid) if process and process.endpoint else None
            print(json.dumps(shown), flush=True)
            self.close()
        QTimer.singleShot(int(idle * 1000), after_idle)
    QTimer.singleShot(0, first_turn)

mw.MainWindow.show = show
from codaiq_desktop.ui.app import run_app
sys.exit(run_app(sys.argv[:1]))
"""


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return env


def _run(script: str, home: Path, *extra: str, timeout: float = 120) -> dict:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script, repr(started), *extra],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no figure from the child (exit {result.returncode}): {result.stderr[-2000:]}")


def _sandbox_account_home(root: Path) -> Path:
    """XDG folders where the local sandbox is already the chosen account (no first-run dialog)."""
    home = Path(tempfile.mkdtemp(dir=root))
    accounts = home / "config" / "codaiq-desktop" / "accounts.json"
    accounts.parent.mkdir(parents=True)
    accounts.write_text(
        json.dumps(
            {
                "accounts": [
                    {
                        "name": "Local sandbox",
                        "base_url": "",
                        "plan": "agency (sandbox)",
                        "kind": "sandbox",
                        "key_storage": "none",
                    }
                ],
                "active": "Local sandbox",
            }
        )
    )
    return home


def _compile_bytecode() -> None:
    """Compile the package's modules first, as installing it does (pip writes the ``.pyc``).

    With ``PYTHONDONTWRITEBYTECODE`` set (CI, these machines) a module edited since its
    last ``.pyc`` is compiled again on every start: the figure would time the compiler
    (about 20 ms for a dozen changed UI modules), which no installed app pays.
    """
    import compileall

    import codaiq_desktop

    compileall.compile_dir(str(Path(codaiq_desktop.__file__).parent), quiet=1)


def main() -> list[dict]:
    _compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="codaiq-bench-start-") as tmp:
        root = Path(tmp)
        bare, app = [], []
        for _ in range(RUNS):  # interleaved, so both see the same machine load
            bare.append(_run(_BARE, Path(tempfile.mkdtemp(dir=root)))["shown"])
            app.append(_run(_APP, _sandbox_account_home(root), "0")["shown"])
        idle = _run(_APP, _sandbox_account_home(root), "5")
    bare_ms = statistics.median(bare) * 1000
    app_ms = statistics.median(app) * 1000
    ratio = app_ms / bare_ms
    print(f"bare PySide6 window shown: median {bare_ms:.0f} ms  ({', '.join(f'{b * 1000:.0f}' for b in bare)})")
    print(f"Codaiq Desktop window shown: median {app_ms:.0f} ms  ({', '.join(f'{a * 1000:.0f}' for a in app)})")
    print(f"ratio {ratio:.2f}x (target <= 2x)")
    app_mb = (idle.get("app_peak_rss") or 0) / 2**20
    sandbox_mb = (idle.get("sandbox_peak_rss") or 0) / 2**20
    print(
        f"idle 5 s with the sandbox {idle.get('sandbox_state')}: app peak RSS {app_mb:.0f} MB, "
        f"sandbox child peak RSS {sandbox_mb:.0f} MB, together {app_mb + sandbox_mb:.0f} MB"
    )
    return [
        {
            "scenario": "app cold start to window (vs bare)",
            "figure": f"{app_ms:.0f} ms ({ratio:.2f}x of {bare_ms:.0f})",
            "target": "<= 2x bare",
            "ok": ratio <= 2.0,
        },
        {
            "scenario": "app idle peak memory (+ sandbox)",
            "figure": f"{app_mb:.0f} MB + {sandbox_mb:.0f} MB",
            "target": "report",
            "ok": None,
        },
    ]


if __name__ == "__main__":
    sys.exit(exit_status(main()))
