"""The app run as root (a container, a CI box) previews a site instead of vanishing.

Chromium refuses to start sandboxed as root and used to take the whole app down as soon
as a preview loaded. The real app runs here as a child process with none of the test
suite's WebEngine settings (no ``QTWEBENGINE_DISABLE_SANDBOX``, no ``--no-sandbox``):
it generates a site on its own sandbox and opens the preview the way a finished build
does (``sig_open_preview``), and the page must load with the app still running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codaiq_desktop.ui.app import turn_off_chromium_sandbox_as_root
from tests.reliability.app_child import make_app_home
from tests.reliability.conftest import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX root")]

# Runs the real app (``codaiq_desktop.cli.main`` with no command) and, once the window has
# connected to the sandbox, builds a site and opens its preview, printing how it loaded.
_DRIVER = textwrap.dedent(
    """
    import sys
    from codaiq_desktop.ui.shell import main_window

    original_start = main_window.MainWindow.start

    async def start(self):
        await original_start(self)
        client = self.services.client
        started = await client.generate("A bakery in Leeds with a wedding cake page", name="Root preview")
        async for _update in client.wait_for_build(started.project_id, started.website_id, interval=0.1):
            pass
        self.services.sig_open_preview.emit(started.project_id, started.website_id)
        preview = self.tab("projects").preview
        preview.sig_load_finished.connect(lambda ok: print("PREVIEW LOADED", ok, flush=True))

    main_window.MainWindow.start = start
    from codaiq_desktop.cli import main

    sys.exit(main([]))
    """
)


def test_as_root_the_sandbox_setting_is_made_and_elsewhere_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    environ: dict[str, str] = {}
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert turn_off_chromium_sandbox_as_root(environ) is True
    assert environ == {"QTWEBENGINE_DISABLE_SANDBOX": "1"}
    environ = {}
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert turn_off_chromium_sandbox_as_root(environ) is False
    assert environ == {}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (CI runs as root)")
def test_the_app_as_root_previews_a_site_and_keeps_running(tmp_path: Path) -> None:
    home = make_app_home(tmp_path / "home", "root-preview-secret-" + "1b2c3d4e5f60718293")
    driver = tmp_path / "drive_preview.py"
    driver.write_text(_DRIVER)
    env = home.env()
    env.pop("QTWEBENGINE_DISABLE_SANDBOX", None)
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--disable-gpu --disable-logging"  # no --no-sandbox
    output = tmp_path / "app-output.txt"
    with output.open("wb") as out:
        process = subprocess.Popen([sys.executable, str(driver)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(
            lambda: process.poll() is not None or "PREVIEW LOADED" in output.read_text(errors="replace"),
            "the preview to load (or the app to die)",
            timeout=150,
            step=0.1,
        )
        said = output.read_text(errors="replace")
        assert process.poll() is None, f"the app died while previewing (exit {process.returncode}):\n{said[-3000:]}"
        assert "PREVIEW LOADED True" in said, said[-3000:]
        assert "Running as root without --no-sandbox" not in said
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    logs = "".join(path.read_text(errors="replace") for path in (home.root / "state").rglob("*.log"))
    assert "Running as root: the preview runs with Chromium's sandbox turned off" in logs
