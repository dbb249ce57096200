"""packaging/server: the systemd unit's and the image's commands are run here as written.

Docker cannot run on the build machines, so instead of building the image, its CMD (and
the unit's ExecStart) is executed with only the install path, the data folder and the
port swapped for test ones, against a real database; the compose file and Caddyfile are
checked to wire the same image, port and health endpoint.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from codaiq_desktop.inbox_server.server import ServeOptions, UnsafeBindError, check_exposure
from codaiq_desktop.tls import ssl_context

from .serve_process import ROOT

SERVER = ROOT / "packaging" / "server"


def _run_until_ready(argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, **env}
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(30)
        raise AssertionError(f"exited {process.returncode}: {process.stderr.read() if process.stderr else ''}")
    return process, json.loads(line)["url"]


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    assert process.wait(30) == 0
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


def test_systemd_unit_exec_start_runs(postgres_dsn: str, tmp_path: Path) -> None:
    unit = (SERVER / "codaiq-inbox.service").read_text()
    (exec_start,) = re.findall(r"^ExecStart=(.+)$", unit, re.M)
    environment = dict(re.findall(r"^Environment=(\w+)=(\S+)$", unit, re.M))
    assert environment == {"CODAIQ_SERVE_PORT": "8790"}
    assert "EnvironmentFile=-/etc/codaiq-inbox/env" in unit  # where CODAIQ_SERVE_DB (and its password) live
    argv = shlex.split(exec_start.replace("${CODAIQ_SERVE_PORT}", "0"))
    assert argv[0] == "/opt/codaiq-inbox/venv/bin/codaiq-desktop"
    data = tmp_path / "state"
    argv = [
        sys.executable,
        "-m",
        "codaiq_desktop",
        *(str(data) if a == "/var/lib/codaiq-inbox" else a for a in argv[1:]),
    ]
    process, url = _run_until_ready(argv, {"CODAIQ_SERVE_DB": postgres_dsn})
    try:
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/readyz", verify=ssl_context()).json()["engine"] == "postgresql"
    finally:
        _stop(process)


def _dockerfile() -> str:
    return (SERVER / "Dockerfile").read_text()


def test_image_cmd_runs_and_its_healthcheck_passes(tmp_path: Path) -> None:
    dockerfile = _dockerfile()
    (cmd,) = re.findall(r"^CMD (\[.+\])$", dockerfile, re.M)
    argv = json.loads(cmd)
    assert argv[:2] == ["codaiq-desktop", "serve"]
    host = argv[argv.index("--host") + 1]
    assert host == "0.0.0.0" and "--behind-proxy" in argv
    check_exposure(ServeOptions(host=host, behind_proxy=True))  # the image's public bind is allowed...
    with pytest.raises(UnsafeBindError):
        check_exposure(ServeOptions(host=host))  # ...because of --behind-proxy
    local = [
        sys.executable,
        "-m",
        "codaiq_desktop",
        *("127.0.0.1" if a == "0.0.0.0" else str(tmp_path) if a == "/data" else a for a in argv[1:]),
    ]
    process, url = _run_until_ready(local, {"CODAIQ_SERVE_PORT": "0"})  # no CODAIQ_SERVE_DB: SQLite in /data
    try:
        assert (tmp_path / "inbox.sqlite3").exists()
        (health,) = re.findall(r"^HEALTHCHECK .* CMD (\[.+\])$", dockerfile, re.M)
        port = url.rsplit(":", 1)[1]
        check = subprocess.run(
            [sys.executable, *json.loads(health)[1:]],
            env={**os.environ, "CODAIQ_SERVE_PORT": port},
            capture_output=True,
            timeout=30,
        )
        assert check.returncode == 0, check.stderr
    finally:
        _stop(process)


def test_image_dependencies_cover_the_server_without_qt() -> None:
    """The image installs the package with --no-deps plus a list: that list must be enough to serve."""
    installed = re.findall(r'"([a-zA-Z][\w-]*)(?:\[\w+\])?[<>=]', _dockerfile())
    assert {"fastapi", "uvicorn", "psycopg", "psycopg-pool", "httpx", "platformdirs", "keyring"} <= set(installed)
    code = (
        "import sys\n"
        "for name in ('PySide6', 'shiboken6', 'qasync', 'pyqtgraph'):\n"
        "    sys.modules[name] = None\n"
        "import codaiq_desktop.inbox_server.postgres_storage, codaiq_desktop.inbox_server.server\n"
        "from codaiq_desktop.cli import main\n"
        "sys.exit(main(['serve', '--help']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_compose_runs_two_replicas_of_the_image_behind_caddy() -> None:
    compose = yaml.safe_load((SERVER / "compose.yaml").read_text())
    services = compose["services"]
    replicas = [name for name in services if name.startswith("inbox-")]
    assert replicas == ["inbox-1", "inbox-2"]
    for name in replicas:
        service = services[name]
        assert service["build"]["dockerfile"] == "packaging/server/Dockerfile"
        assert "command" not in service  # the image's CMD, as tested above
        assert service["environment"]["CODAIQ_SERVE_DB"].startswith("postgresql://codaiq:")
    assert services["postgres"]["image"] == "postgres:15"
    caddyfile = (SERVER / "Caddyfile").read_text()
    (upstreams,) = re.findall(r"^\s+reverse_proxy ([^{\n]+)\{", caddyfile, re.M)
    port = re.search(r"^ENV CODAIQ_SERVE_PORT=(\d+)", _dockerfile(), re.M)
    assert port is not None
    assert upstreams.split() == [f"{name}:{port.group(1)}" for name in replicas]
    assert "health_uri /readyz" in caddyfile and "flush_interval -1" in caddyfile
