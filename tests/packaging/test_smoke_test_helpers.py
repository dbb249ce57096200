"""The smoke test's own machinery, against real processes, sockets and HTTP (the bundle is not needed)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))

import smoke_test

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.fixture
def fake_sandbox() -> Iterator[str]:
    """A loopback HTTP server answering ``/api/sandbox/info`` like the sandbox does."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"version": "test"}).encode() if self.path == "/api/sandbox/info" else b"{}"
            self.send_response(200 if self.path == "/api/sandbox/info" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_environment_is_isolated_and_keyless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODAIQ_API_KEY", "cq_live_should_not_pass")
    monkeypatch.setenv("DISPLAY", ":0")
    env = smoke_test.AppHome(tmp_path).environment()
    assert "CODAIQ_API_KEY" not in env and "DISPLAY" not in env
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["XDG_CONFIG_HOME"] == str(tmp_path / "config") and env["HOME"] == str(tmp_path)


def test_prepare_answers_the_first_run_question(tmp_path: Path) -> None:
    home = smoke_test.AppHome(tmp_path)
    home.prepare()
    from codaiq_desktop.accounts import AccountStore

    store = AccountStore(tmp_path / "config" / "codaiq-desktop" / "accounts.json")
    assert store.exists()
    assert store.load().active_account is None  # no active account: the app uses its sandbox


@linux_only
def test_listening_ports_of_this_process() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert port in smoke_test._listening_ports(os.getpid())
    assert port not in smoke_test._listening_ports(os.getpid())


@linux_only
def test_sandbox_children_finds_a_real_child_by_its_command_line() -> None:
    code = "import time; time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", code, "sandbox", "--ready-json"])
    other = subprocess.Popen([sys.executable, "-c", code, "listen"])
    try:
        found = smoke_test.sandbox_children(os.getpid())
        assert child.pid in found and other.pid not in found
    finally:
        for process in (child, other):
            process.kill()
            process.wait()


def test_find_sandbox_from_the_log_line(tmp_path: Path, fake_sandbox: str) -> None:
    home = smoke_test.AppHome(tmp_path)
    home.log_file.parent.mkdir(parents=True)
    assert smoke_test.find_sandbox(999_999_999, home) is None
    home.log_file.write_text(f"2026-11-29 05:00:00,000 INFO     x: Sandbox ready at {fake_sandbox}/api\n")
    assert smoke_test.find_sandbox(999_999_999, home) == (fake_sandbox, None)


def test_website_id_from_either_shape() -> None:
    assert smoke_test.website_id_of({"websiteId": "web_1"}) == "web_1"
    assert smoke_test.website_id_of({"website": {"id": "web_2"}}) == "web_2"
    with pytest.raises(smoke_test.SmokeTestFailure):
        smoke_test.website_id_of({"projectId": "p"})


def test_missing_bundle_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(smoke_test.SmokeTestFailure, match="packaging/build.sh"):
        smoke_test.bundle_executable(tmp_path)


def test_wait_for_reports_a_dead_app() -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    with pytest.raises(smoke_test.SmokeTestFailure, match="status 3"):
        smoke_test.wait_for(lambda: False, 5, "something", process)
