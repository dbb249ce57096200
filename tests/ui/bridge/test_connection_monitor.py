"""The connection state read from real HTTP exchanges on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from codaiq_desktop.api.models import RateLimitInfo
from codaiq_desktop.ui.bridge.connection_monitor import ConnectionMonitor, ConnectionState, parse_retry_after


@pytest.fixture
def status_server() -> Iterator[str]:
    """``GET /<status>`` answers that status (a 429 with ``Retry-After: 30``)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = int(self.path.strip("/"))
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "30")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def monitor(qtbot) -> Iterator[ConnectionMonitor]:
    watched = ConnectionMonitor()
    yield watched
    watched.deleteLater()


def _get(qloop, monitor: ConnectionMonitor, url: str) -> None:
    async def call() -> None:
        async with httpx.AsyncClient(transport=monitor.transport()) as http:
            await http.get(url)

    qloop.run(call())


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (200, ConnectionState.REACHABLE),
        (404, ConnectionState.REACHABLE),
        (500, ConnectionState.REACHABLE),
        (401, ConnectionState.AUTH_FAILED),
        (503, ConnectionState.OFFLINE),
        (502, ConnectionState.OFFLINE),
    ],
)
def test_each_answer_sets_its_state(qloop, monitor, status_server: str, status: int, state: str) -> None:
    states: list[str] = []
    monitor.sig_connection_state.connect(states.append)
    monitor.begin()
    _get(qloop, monitor, f"{status_server}/{status}")
    assert monitor.state == state
    assert states == [ConnectionState.CONNECTING, state]


def test_a_429_sets_when_requests_resume_and_the_next_answer_clears_it(qloop, monitor, status_server: str) -> None:
    waits: list[float] = []
    monitor.sig_rate_limit_wait.connect(waits.append)
    before = time.time()
    _get(qloop, monitor, f"{status_server}/429")
    assert monitor.state == ConnectionState.RATE_LIMITED
    assert monitor.resume_at >= before + 30
    _get(qloop, monitor, f"{status_server}/200")
    assert monitor.state == ConnectionState.REACHABLE
    assert monitor.resume_at == 0.0
    assert len(waits) == 2 and waits[1] == 0.0


def test_a_refused_connection_is_offline(qloop, monitor) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(httpx.ConnectError):
        _get(qloop, monitor, f"http://127.0.0.1:{port}/")
    assert monitor.state == ConnectionState.OFFLINE


def test_nothing_changes_once_closing(qloop, monitor, status_server: str) -> None:
    monitor.closing = True
    _get(qloop, monitor, f"{status_server}/401")
    assert monitor.state == ConnectionState.NO_ACCOUNT


def test_rate_limit_figures_are_kept_and_signalled(monitor) -> None:
    seen: list[object] = []
    monitor.sig_rate_limit.connect(seen.append)
    info = RateLimitInfo(limit=100, remaining=99, reset_at=None)
    monitor.on_client_rate_limit(info)
    monitor.on_client_rate_limit(None)  # a response without the headers changes nothing
    assert monitor.rate_limit is info
    assert seen == [info]
    monitor.begin()  # a new client: no figures yet
    assert monitor.rate_limit is None


@pytest.mark.parametrize(("header", "seconds"), [(None, 1.0), ("", 1.0), ("12", 12.0), ("-3", 0.0), ("soon", 1.0)])
def test_retry_after(header: str | None, seconds: float) -> None:
    assert parse_retry_after(header) == seconds
