"""No network for a real account: nothing listening, or a host that never answers.

Both are made on loopback: a port nobody listens on (connection refused, as when the
network or a VPN is down) and a listener whose accept queue is full, so the kernel drops
every new SYN (the connection hangs, as with an unroutable address or a firewall that
drops packets). The client must give up within its timeout and retries and say what to
check; a request that never left is safe to repeat even for ``generate``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors
from tests.reliability.conftest import child_env, cli_command

KEY = "ck_live_9fQ2xYb7LmN4pR8sT1vW3zA6"
RETRIES = RetryPolicy(max_retries=2, backoff_base=0.05, backoff_max=0.1, jitter=0.0, total_time=10.0)


def _closed_port() -> int:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # bound and released: nothing listens there now
    return port


@contextlib.contextmanager
def _black_hole() -> Iterator[int]:
    """A port whose SYNs are dropped: a listener with a full accept queue that never accepts."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_nothing_listening_is_a_plain_network_error_after_the_retries(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="codaiq_desktop.api")
    port = _closed_port()
    async with CodaiqClient(f"http://127.0.0.1:{port}/api", KEY, timeout=2.0, retry=RETRIES) as client:
        with pytest.raises(errors.NetworkError) as info:
            await asyncio.wait_for(client.list_projects(), 30)  # a hang guard, not a timing check
        with pytest.raises(errors.NetworkError):
            await asyncio.wait_for(client.generate("A bakery"), 30)
    message = str(info.value)
    assert message == (
        f"Could not connect to the Codaiq API at http://127.0.0.1:{port} (All connection attempts failed). "
        "Check your network connection and the base URL, then try again."
    )
    assert info.value.request_sent is False
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    # Nothing was sent, so even generate is tried again: 2 retries for each call.
    assert sum("GET /project" in r for r in retries) == 2 and sum("POST /generate" in r for r in retries) == 2


@pytest.mark.skipif(sys.platform != "linux", reason="relies on Linux dropping SYNs to a full accept queue")
async def test_a_host_that_never_answers_times_out_with_plain_words() -> None:
    with _black_hole() as port:
        async with CodaiqClient(f"http://127.0.0.1:{port}/api", KEY, timeout=0.3, retry=RETRIES) as client:
            with pytest.raises(errors.NetworkError) as info:
                await asyncio.wait_for(client.list_projects(), 30)  # the timeout ends it, not this guard
    assert str(info.value) == (
        f"Timed out connecting to the Codaiq API at http://127.0.0.1:{port}. "
        "Check your network connection and the base URL, then try again."
    )
    assert info.value.request_sent is False


@pytest.mark.slow
def test_the_command_line_with_no_network_exits_6_with_one_line() -> None:
    port = _closed_port()
    result = subprocess.run(
        [*cli_command(), "projects", "--timeout", "2"],
        env=child_env(CODAIQ_BASE_URL=f"http://127.0.0.1:{port}/api", CODAIQ_API_KEY=KEY),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 6
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"error: Could not connect to the Codaiq API at http://127.0.0.1:{port} (All connection attempts failed). "
        "Check your network connection and the base URL, then try again."
    )
    assert KEY not in result.stderr
