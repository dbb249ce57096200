"""The sandbox child process as the app runs it: started, reused, crashed, stopped."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from codaiq_desktop.ui.bridge.sandbox_supervisor import SandboxState, SandboxSupervisor
from tests.fixtures.receiver import TEST_SECRET


@pytest.fixture
def supervisor(qloop, qtbot, tmp_path: Path) -> Iterator[SandboxSupervisor]:
    watched = SandboxSupervisor(tmp_path, str)
    try:
        yield watched
    finally:
        watched.closing = True
        qloop.run(watched.stop())
        watched.deleteLater()


def test_start_reuse_crash_and_restart(qloop, until, supervisor: SandboxSupervisor) -> None:
    states: list[str] = []
    crashes: list[bool] = []
    supervisor.sig_sandbox_state.connect(states.append)
    supervisor.sig_crashed.connect(lambda: crashes.append(True))

    endpoint = qloop.run(supervisor.start(), timeout=60)
    assert supervisor.state == SandboxState.RUNNING and states == [SandboxState.STARTING, SandboxState.RUNNING]
    assert endpoint.base_url.startswith("http://127.0.0.1:") and endpoint.api_key
    assert qloop.run(supervisor.start()) is endpoint  # a running child is reused

    os.kill(endpoint.pid, signal.SIGKILL)
    until(lambda: crashes == [True], timeout=30)
    assert supervisor.state == SandboxState.CRASHED and supervisor.process is None
    assert supervisor.error is not None and "stopped unexpectedly" in supervisor.error

    again = qloop.run(supervisor.start(documented_only=True), timeout=60)
    assert again.pid != endpoint.pid and supervisor.documented_only
    qloop.run(supervisor.stop())
    assert supervisor.state == SandboxState.STOPPED and supervisor.endpoint is None
    assert crashes == [True]  # a stop that was asked for is no crash


def test_register_webhook_against_the_sandbox(qloop, sandbox) -> None:
    supervisor = SandboxSupervisor(Path("unused"), str)
    try:
        key = sandbox.new_key("enterprise")
        url = "http://127.0.0.1:9/webhooks/codaiq"
        assert qloop.run(supervisor.register_webhook(sandbox.base_url, key, url, TEST_SECRET))
        assert not qloop.run(supervisor.register_webhook(sandbox.base_url, "not-a-key", url, TEST_SECRET))
    finally:
        supervisor.deleteLater()
