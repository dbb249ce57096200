"""``codaiq-desktop listen``: secrets, exposure warning, a taken port, a clean stop."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.cli import main
from codaiq_desktop.cli.listen_command import (
    EXIT_NO_SECRET,
    EXIT_PORT_IN_USE,
    KEYRING_SERVICE,
    KEYRING_WEBHOOK_SECRET,
    SecretError,
    exposure_warning,
    load_secrets,
)
from codaiq_desktop.tls import ssl_context
from tests.fixtures.keyring import MemoryKeyring
from tests.fixtures.receiver import encode, make_event, signed_headers


def _args(**overrides: object) -> argparse.Namespace:
    values: dict[str, object] = {"secret_from_keyring": False, "secret_env": None}
    values.update(overrides)
    return argparse.Namespace(**values)


def test_secrets_come_from_the_named_environment_variables() -> None:
    environ = {"A": " first ", "B": "second", "EMPTY": ""}
    assert load_secrets(_args(secret_env=["A", "B", "EMPTY"]), environ) == ["first", "second"]
    with pytest.raises(SecretError, match="MISSING"):
        load_secrets(_args(secret_env=["MISSING"]), environ)
    assert load_secrets(_args(), {"CODAIQ_WEBHOOK_SECRET": "default"}) == ["default"]


def test_secrets_come_from_the_keyring_entry_the_app_writes(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(SecretError, match="No webhook secret in the keyring"):
        load_secrets(_args(secret_from_keyring=True), {})
    memory_keyring.set_password(KEYRING_SERVICE, KEYRING_WEBHOOK_SECRET, "new\nold\n")
    assert load_secrets(_args(secret_from_keyring=True), {}) == ["new", "old"]


def test_without_a_keyring_backend_the_advice_is_the_environment() -> None:
    # tests run with the failing backend, like a headless machine
    with pytest.raises(SecretError, match="--secret-env"):
        load_secrets(_args(secret_from_keyring=True), {})


def test_missing_secret_exits_with_advice_not_a_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(
        ["listen", "--port", "0", "--store", str(tmp_path / "s.sqlite3"), "--secret-env", "CODAIQ_NOT_SET_ANYWHERE"]
    )
    captured = capsys.readouterr()
    assert code == EXIT_NO_SECRET
    assert "CODAIQ_NOT_SET_ANYWHERE" in captured.err and "Traceback" not in captured.err


def test_a_taken_port_exits_with_a_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODAIQ_TEST_LISTEN_SECRET", "s")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(
            [
                "listen",
                "--port",
                str(port),
                "--store",
                str(tmp_path / "s.sqlite3"),
                "--secret-env",
                "CODAIQ_TEST_LISTEN_SECRET",
            ]
        )
    err = capsys.readouterr().err
    assert code == EXIT_PORT_IN_USE
    assert f"port {port}" in err and "already in use" in err and "--port 0" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("host", "warned"), [("127.0.0.1", False), ("::1", False), ("0.0.0.0", True), ("10.0.0.5", True)]
)
def test_non_loopback_hosts_are_warned_about(host: str, warned: bool) -> None:
    warning = exposure_warning(host)
    assert (warning is not None) is warned
    if warning:
        assert host in warning and "other machines" in warning


def test_listen_serves_then_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    store_path = tmp_path / "s.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "codaiq_desktop", "listen", "--port", "0", "--store", str(store_path), "--ready-json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CODAIQ_WEBHOOK_SECRET": "cli-secret"},
    )
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert ready["store"] == str(store_path) and ready["port"] > 0
        body = encode(make_event("lead.captured", event_id="evt_cli"))
        response = httpx.post(
            ready["url"], verify=ssl_context(), content=body, headers=signed_headers(body, "cli-secret"), timeout=10
        )
        assert response.status_code == 200
        assert "evt_cli" in process.stdout.readline()  # one line per stored event
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "1 stored" in out
    assert "cli-secret" not in out + err
