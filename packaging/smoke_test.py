"""Smoke-test the built bundle: start it, use it through its own CLI, stop it cleanly.

What a fresh install must do, checked against ``packaging/dist/codaiq-desktop``:

1. the app starts offscreen (no display needed) in an empty home directory and
   logs that its main window is shown;
2. its embedded sandbox child comes up and answers ``/api/sandbox/info``;
3. the bundled command line generates a website on that sandbox and waits for the
   build; the site is then served at ``/sites/<websiteId>/``;
4. on SIGTERM the app exits with status 0, its sandbox child with it, and no
   traceback was printed or logged.

Run after ``packaging/build.sh``::

    .venv/bin/python packaging/smoke_test.py [--bundle DIR] [--timeout SECONDS] [--keep]

It needs only the standard library. Exit status 0 means every step passed; the
figures it prints (start-up, sandbox, generate times) feed ``benchmarks/bench_bundle.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = REPO / "packaging" / "dist" / "codaiq-desktop"

#: What the app logs once ``MainWindow.show()`` returned (``codaiq_desktop.ui.app``).
MAIN_WINDOW_LOGGED = re.compile(r"Main window shown")
#: What the app logs once its sandbox child listens, if it does; otherwise /proc tells.
SANDBOX_LOGGED = re.compile(r"Sandbox (?:ready|running|listening) (?:at|on) (?P<url>http://[^\s/]+(?::\d+)?)")

#: An account list with no active account: the app then starts on its sandbox without
#: asking the first-run question (which nobody could answer offscreen).
SANDBOX_ACCOUNTS: dict[str, Any] = {"accounts": [], "active": None}


class SmokeTestFailure(Exception):
    """One step of the smoke test failed; the message says which and why."""


@dataclass
class AppHome:
    """A throw-away home directory with its XDG dirs, so a run never sees a user's settings."""

    root: Path

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def log_file(self) -> Path:
        return self.state / "codaiq-desktop" / "log" / "codaiq-desktop.log"

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        for name in ("CODAIQ_API_KEY", "CODAIQ_BASE_URL", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
        env.update(
            HOME=str(self.root),
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_STATE_HOME=str(self.state),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_RUNTIME_DIR=str(self.root / "runtime"),
            QT_QPA_PLATFORM="offscreen",
            QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu --disable-logging",
            # No desktop keyring in a smoke test; the app falls back to a session secret.
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses to run as root otherwise
        return env

    def prepare(self, *, seed_sandbox_account: bool = True) -> None:
        """Create the dirs; optionally answer the first-run question ("use the local sandbox")."""
        for sub in ("config", "data", "state", "cache"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "runtime").mkdir(mode=0o700, exist_ok=True)
        if seed_sandbox_account:
            accounts = self.root / "config" / "codaiq-desktop" / "accounts.json"
            accounts.parent.mkdir(parents=True, exist_ok=True)
            accounts.write_text(json.dumps(SANDBOX_ACCOUNTS, indent=2), encoding="utf-8")


@dataclass
class Timings:
    """Seconds from launch; ``None`` when the step did not happen."""

    main_window: float | None = None
    sandbox_ready: float | None = None
    generate: float | None = None
    exit: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def bundle_executable(bundle: Path) -> Path:
    """The bundle's launcher (``codaiq-desktop``, ``codaiq-desktop.exe``), or a clear failure."""
    for name in ("codaiq-desktop", "codaiq-desktop.exe"):
        candidate = bundle / name
        if candidate.is_file():
            return candidate
    raise SmokeTestFailure(f"no bundle at {bundle}: build it first with packaging/build.sh")


#: Files a bundle must hold, relative to its ``_internal`` dir (globs): resources, and what
#: Qt WebEngine needs at run time (its helper process, resources, ICU data, a locale).
BUNDLE_REQUIRED_FILES = (
    "resources/icons/app/codaiq.svg",
    "resources/icons/app/codaiq-256.png",
    "resources/linux/com.codaiq.Desktop.desktop",
    "resources/linux/com.codaiq.Desktop.metainfo.xml",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/libexec/QtWebEngineProcess",
    "PySide6/Qt/resources/qtwebengine_resources.pak",
    "PySide6/Qt/resources/icudtl.dat",
    "PySide6/Qt/translations/qtwebengine_locales/en-US.pak",
)


def check_bundle_contents(bundle: Path) -> list[str]:
    """The :data:`BUNDLE_REQUIRED_FILES` missing from ``bundle`` (empty when all are there)."""
    internal = bundle / "_internal"
    return [pattern for pattern in BUNDLE_REQUIRED_FILES if not any(internal.glob(pattern))]


def wait_for(
    condition: Callable[[], Any], timeout: float, what: str, process: subprocess.Popen[bytes] | None = None
) -> Any:
    """Poll ``condition`` until it returns something truthy; fail if the app dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise SmokeTestFailure(f"the app exited (status {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise SmokeTestFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def log_text(home: AppHome) -> str:
    try:
        return home.log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def start_app(command: Sequence[str], home: AppHome, output: Path) -> subprocess.Popen[bytes]:
    """Start the app with its output in ``output`` (a file: a pipe nobody reads could block it)."""
    handle = output.open("wb")
    try:
        return subprocess.Popen(
            list(command),
            env=home.environment(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=home.root,
            start_new_session=True,  # so a failed run can be cleaned up as a group
        )
    finally:
        handle.close()


def wait_for_main_window(process: subprocess.Popen[bytes], home: AppHome, timeout: float) -> None:
    wait_for(
        lambda: MAIN_WINDOW_LOGGED.search(log_text(home)),
        timeout,
        "the main window (log line 'Main window shown')",
        process,
    )


def _children(pid: int) -> list[int]:
    """All descendants of ``pid`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found += kids
        frontier += kids
    return found


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _listening_ports(pid: int) -> list[int]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return []
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9 and parts[3] == "0A" and parts[9] in inodes:  # 0A: LISTEN
                ports.append(int(parts[1].rsplit(":", 1)[1], 16))
    return ports


def sandbox_children(app_pid: int) -> list[int]:
    """The app's sandbox child processes (``codaiq-desktop sandbox ...``)."""
    return [pid for pid in _children(app_pid) if "sandbox" in _cmdline(pid)[1:4] and "--ready-json" in _cmdline(pid)]


def find_sandbox(app_pid: int, home: AppHome) -> tuple[str, int | None] | None:
    """The sandbox's root URL (and child pid) once it answers, from the log or from /proc."""
    logged = SANDBOX_LOGGED.search(log_text(home))
    candidates: list[tuple[str, int | None]] = []
    if logged:
        candidates.append((logged["url"], None))
    for child in sandbox_children(app_pid):
        candidates += [(f"http://127.0.0.1:{port}", child) for port in _listening_ports(child)]
    for root_url, pid in candidates:
        try:
            info = http_json("GET", f"{root_url}/api/sandbox/info", timeout=2)
        except (OSError, ValueError):
            continue
        if isinstance(info, dict) and "version" in info:
            return root_url, pid
    return None


def http_json(
    method: str, url: str, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 10
) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def http_status(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(200_000).decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def generate_with_cli(command: Sequence[str], home: AppHome, root_url: str, timeout: float) -> dict[str, Any]:
    """``codaiq-desktop generate --wait --json`` against the app's sandbox, with a fresh key."""
    key = http_json("POST", f"{root_url}/api/sandbox/keys", {"plan": "agency", "account": "smoke-test"})["key"]
    env = home.environment()
    env.update(CODAIQ_BASE_URL=f"{root_url}/api", CODAIQ_API_KEY=key)
    command = [
        *command,
        "generate",
        "--prompt",
        "A family bakery in Leeds with a lead form",
        "--name",
        "Smoke Test Bakery",
        "--wait",
        "--json",
    ]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, cwd=home.root, check=False
    )
    if result.returncode != 0:
        raise SmokeTestFailure(
            f"the bundled CLI failed to generate a site (status {result.returncode}):\n{result.stderr.strip()}"
        )
    if key in result.stdout or key in result.stderr:
        raise SmokeTestFailure("the bundled CLI printed the API key")
    try:
        return json.loads(result.stdout)
    except ValueError as error:
        raise SmokeTestFailure(f"generate --json printed no JSON: {result.stdout[:300]!r}") from error


def website_id_of(result: dict[str, Any]) -> str:
    website = result.get("website")
    if not isinstance(website, dict):
        website = {}
    for value in (result.get("websiteId"), result.get("website_id"), website.get("id")):
        if value:
            return str(value)
    raise SmokeTestFailure(f"no website id in the generate result: {sorted(result)}")


def stop_app(process: subprocess.Popen[bytes], timeout: float) -> int:
    """SIGTERM, as a desktop session does at logout; the app must quit by itself, status 0."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise SmokeTestFailure(f"the app did not exit within {timeout:.0f} s of SIGTERM") from error


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """Last resort after a failure: nothing of this run may outlive it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_smoke_test(command: Sequence[str], timeout: float = 180.0, keep: bool = False) -> Timings:
    """Every step against the app started by ``command`` (the bundle's executable, or ``python -m``)."""
    root = Path(tempfile.mkdtemp(prefix="codaiq-smoke-"))
    home = AppHome(root)
    home.prepare()
    timings = Timings()
    output = root / "app-output.txt"
    step = "start"
    started = time.monotonic()
    process = start_app(command, home, output)
    sandbox_pid = None
    try:
        step = "main window"
        wait_for_main_window(process, home, timeout)
        timings.main_window = time.monotonic() - started
        print(f"ok  main window shown after {timings.main_window:.2f} s")

        step = "sandbox"
        root_url, sandbox_pid = wait_for(
            lambda: find_sandbox(process.pid, home), timeout, "the embedded sandbox", process
        )
        timings.sandbox_ready = time.monotonic() - started
        print(f"ok  embedded sandbox answers at {root_url} after {timings.sandbox_ready:.2f} s")

        step = "generate"
        generate_started = time.monotonic()
        result = generate_with_cli(command, home, root_url, timeout)
        timings.generate = time.monotonic() - generate_started
        website_id = website_id_of(result)
        status = result.get("status")
        if status != "ready":
            raise SmokeTestFailure(f"the build ended as {status!r}, not 'ready'")
        code, page = http_status(f"{root_url}/sites/{website_id}/")
        if code != 200 or "<html" not in page.lower():
            raise SmokeTestFailure(f"the generated site /sites/{website_id}/ answered {code}")
        print(f"ok  the CLI generated website {website_id} in {timings.generate:.2f} s; its page is served")

        step = "exit"
        if process.poll() is not None:
            raise SmokeTestFailure(f"the app exited (status {process.returncode}) during the test")
        stop_started = time.monotonic()
        returncode = stop_app(process, timeout=30)
        timings.exit = time.monotonic() - stop_started
        if returncode != 0:
            raise SmokeTestFailure(f"the app exited with status {returncode} on SIGTERM, not 0")
        if sandbox_pid is None:
            sandbox_pid = next(iter(sandbox_children(process.pid)), None)
        if sandbox_pid is not None:
            wait_for(
                lambda: not Path(f"/proc/{sandbox_pid}").exists() or _is_zombie(sandbox_pid),
                10,
                "the sandbox child to exit",
            )
        print(f"ok  app exited cleanly (status 0) {timings.exit:.2f} s after SIGTERM; sandbox child gone")

        step = "logs"
        combined = output.read_text(errors="replace") + log_text(home)
        if "Traceback" in combined:
            raise SmokeTestFailure("a traceback was printed or logged:\n" + _excerpt(combined, "Traceback"))
        print("ok  no traceback in the app's output or log")
        return timings
    except SmokeTestFailure as failure:
        kill_group(process)
        detail = output.read_text(errors="replace")[-3000:] if output.exists() else ""
        raise SmokeTestFailure(
            f"[{step}] {failure}\n--- app output (last lines) ---\n{detail}\n--- log ---\n{log_text(home)[-3000:]}"
        ) from None
    finally:
        if process.poll() is None:
            kill_group(process)
            process.wait(timeout=10)
        if keep:
            print(f"kept the test home at {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _excerpt(text: str, marker: str, lines: int = 25) -> str:
    all_lines = text.splitlines()
    index = next(i for i, line in enumerate(all_lines) if marker in line)
    return "\n".join(all_lines[index : index + lines])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bundle", type=Path, default=DEFAULT_BUNDLE, help=f"the bundle folder (default {DEFAULT_BUNDLE})"
    )
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds allowed per step (default 180)")
    parser.add_argument(
        "--from-source", action="store_true", help="test `python -m codaiq_desktop` instead of a bundle"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary home (logs, sandbox data) afterwards")
    parser.add_argument("--json", action="store_true", help="print the timings as JSON at the end")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        print("The smoke test drives the Linux bundle (it reads /proc); see packaging/README.md for Windows and macOS.")
        return 2
    try:
        if args.from_source:
            command = [sys.executable, "-m", "codaiq_desktop"]
        else:
            command = [str(bundle_executable(args.bundle))]
            missing = check_bundle_contents(args.bundle)
            if missing:
                raise SmokeTestFailure(f"[contents] the bundle lacks: {', '.join(missing)}")
            print(f"ok  the bundle holds its resources and Qt WebEngine's files ({len(BUNDLE_REQUIRED_FILES)} checked)")
        timings = run_smoke_test(command, timeout=args.timeout, keep=args.keep)
    except SmokeTestFailure as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        return 1
    print(
        f"PASS: {'the app' if args.from_source else 'the bundle'} starts, runs its sandbox, "
        "generates a site through its CLI and exits cleanly."
    )
    if args.json:
        print(json.dumps(timings.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
