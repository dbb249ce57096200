"""Test configuration shared by every test tree.

Qt runs offscreen, every XDG directory points into a throw-away folder (so no
test reads or writes a real user's settings, keys or store), and each feature
area brings its fixtures as a plugin module under ``tests/fixtures``.
"""

from __future__ import annotations

import os
import tempfile

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu --disable-logging")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

_SESSION_HOME = tempfile.mkdtemp(prefix="codaiq-tests-")
for _var, _sub in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_STATE_HOME", "state"),
    ("XDG_CACHE_HOME", "cache"),
):
    os.environ[_var] = os.path.join(_SESSION_HOME, _sub)
    os.makedirs(os.environ[_var], exist_ok=True)
os.environ.setdefault("XDG_RUNTIME_DIR", os.path.join(_SESSION_HOME, "runtime"))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
# Never touch a real keyring from tests; tests that need one install their own backend.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.pop("CODAIQ_API_KEY", None)
os.environ.pop("CODAIQ_BASE_URL", None)

pytest_plugins = [
    "tests.fixtures.qt_async",
    "tests.fixtures.qt_leaks",
    "tests.fixtures.sandbox",
    "tests.fixtures.receiver",
    "tests.fixtures.keyring",
    "tests.fixtures.app",
    "tests.fixtures.postgres",
    "tests.fixtures.team_server",
    "tests.fixtures.stalls",
]


def pytest_unconfigure(config: object) -> None:
    """The throw-away XDG folders go with the run (one per test process: a run left one behind each time)."""
    import shutil

    shutil.rmtree(_SESSION_HOME, ignore_errors=True)
