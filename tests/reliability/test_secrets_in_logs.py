"""The API key never reaches a log file, the terminal or an error text, on success or failure.

Users attach logs and paste terminal output into support requests. This test runs the
client in-process and the command line as child processes, with every logger (ours,
httpx, httpcore, uvicorn) at DEBUG into a plain file with no redaction filter, through
successful calls and through every kind of failure the fault switch can make; then it
searches all of it for the key. Redaction in the app's own log set-up is a second line
of defence; this checks the first one: the key is never handed to a logger at all.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors
from tests.fixtures.sandbox import RunningSandbox, SandboxFaults
from tests.reliability.conftest import child_env

INVALID_KEY = "ck_live_CANARYq8Zt3Wv6Yx1Nb4Mc7Kd0Pf"
QUICK = RetryPolicy(max_retries=1, backoff_base=0.01, backoff_max=0.02, jitter=0.0, max_retry_after=5.0)

_CLI_WITH_DEBUG_LOG = (
    "import logging, sys\n"
    "logging.basicConfig(filename=sys.argv[1], level=logging.DEBUG,"
    " format='%(asctime)s %(name)s %(levelname)s %(message)s')\n"
    "from codaiq_desktop.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every record of every logger at DEBUG into one file, unfiltered."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def _error_texts(error: BaseException) -> str:
    """All a user or a crash report could see of an error: message, repr, traceback with locals."""
    return "\n".join(
        [
            str(error),
            repr(error),
            "".join(traceback.format_exception(error)),
            "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format()),
        ]
    )


def _closed_port() -> int:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.mark.slow
async def test_the_key_is_in_no_log_line_and_no_error_text_across_success_and_failure(
    sandbox: RunningSandbox, sandbox_faults: SandboxFaults, debug_log: Path, tmp_path: Path
) -> None:
    key = sandbox.new_key("enterprise")
    texts: list[str] = []

    async def expect_failure(call: object) -> None:
        try:
            await call  # type: ignore[misc]
        except errors.CodaiqError as exc:
            texts.append(_error_texts(exc))
        else:
            pytest.fail("the call was expected to fail")

    async with CodaiqClient(sandbox.base_url, key, timeout=10.0, retry=QUICK) as client:
        texts.append(repr(client))
        started = await client.generate("A bakery in Leeds", name="Leeds Bakery")
        async for _update in client.wait_for_build(started.project_id, started.website_id, interval=0.05):
            pass
        await client.update_website(started.project_id, started.website_id, metadata={"clientRef": "ACME-7"})
        await client.submit_lead(started.website_id, "Jane Smith", "jane@example.com", message="Cake?")
        await client.analytics(started.website_id, range="7d")
        await client.export_website(started.project_id, started.website_id, tmp_path)

        for rule, call in (
            ({"path": "/api/project", "kind": "error", "status": 503}, client.list_projects()),
            ({"path": "/api/project", "kind": "error", "status": 500}, client.get_project(started.project_id)),
            ({"path": "/api/leads/submit", "kind": "drop"}, client.submit_lead(started.website_id, "J", "j@e.co")),
            ({"path": "/api/project", "kind": "rate_limit", "retryAfter": 600}, client.list_projects()),
            ({"path": "/api/export", "kind": "error", "status": 502}, client.export_website("p", "w", tmp_path)),
        ):
            sandbox_faults.set(rule)
            await expect_failure(call)
        sandbox_faults.set({"path": "/api/generate", "kind": "latency", "delay": 5.0})
        async with CodaiqClient(sandbox.base_url, key, timeout=0.3, retry=QUICK) as impatient:
            await expect_failure(impatient.generate("A slow one"))  # a read timeout
        sandbox_faults.clear()
        await expect_failure(client.get_project("no-such-project"))

    async with CodaiqClient(sandbox.base_url, INVALID_KEY, retry=QUICK) as stranger:
        await expect_failure(stranger.list_projects())
    async with CodaiqClient(f"http://127.0.0.1:{_closed_port()}/api", key, timeout=0.5, retry=QUICK) as offline:
        await expect_failure(offline.list_projects())

    log_text = debug_log.read_text(encoding="utf-8")
    # The log really caught the traffic at DEBUG, so an absent key means something.
    assert "codaiq_desktop.api" in log_text and "httpcore" in log_text and "retry" in log_text
    assert len(texts) == 1 + 6 + 3  # the repr, the six faults, not found, bad key, offline
    for secret in (key, INVALID_KEY):
        assert secret not in log_text
        for text in texts:
            assert secret not in text


@pytest.mark.slow
def test_the_command_line_keeps_the_key_out_of_its_output_and_its_debug_log(
    sandbox: RunningSandbox, sandbox_faults: SandboxFaults, tmp_path: Path
) -> None:
    key = sandbox.new_key("enterprise")
    project_id, website_id = sandbox.generate("A florist in York", name="York Florist", key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    log = tmp_path / "cli-debug.log"
    outputs: list[str] = []

    def run(*argv: str, api_key: str = key, base_url: str = sandbox.base_url) -> int:
        result = subprocess.run(
            [sys.executable, "-c", _CLI_WITH_DEBUG_LOG, str(log), *argv, "--timeout", "10"],
            env=child_env(CODAIQ_BASE_URL=base_url, CODAIQ_API_KEY=api_key),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        outputs.append(result.stdout + result.stderr)
        return result.returncode

    assert run("projects", "--json") == 0
    assert run("analytics", website_id) == 0
    assert run("export", project_id, website_id, "-o", str(tmp_path)) == 0
    assert run("lead", "submit", "--website", website_id, "--name", "Jane", "--email", "jane@example.com") == 0
    assert run("projects", api_key=INVALID_KEY) == 3
    assert run("projects", base_url=f"http://127.0.0.1:{_closed_port()}/api") == 6
    sandbox_faults.set({"path": "/api/leads/submit", "kind": "drop"})
    assert run("lead", "submit", "--website", website_id, "--name", "Jane", "--email", "jane@example.com") == 6
    sandbox_faults.set({"path": "/api/project", "kind": "error", "status": 500})
    assert run("projects", project_id) == 1
    sandbox_faults.clear()
    # The key on the command line too (the help warns against it, but it must not leak either).
    assert run("projects", "--api-key", INVALID_KEY) == 3

    log_text = log.read_text(encoding="utf-8")
    assert "codaiq_desktop.api" in log_text and "httpcore" in log_text
    assert all(output.strip() for output in outputs)
    for secret in (key, INVALID_KEY):
        assert secret not in log_text
        for output in outputs:
            assert secret not in output
