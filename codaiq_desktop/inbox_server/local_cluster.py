"""A throw-away local PostgreSQL cluster: ``initdb`` + ``pg_ctl`` in a temporary folder.

For the tests, the benchmarks and trying the server on one machine; production points
``--db`` at a real database. PostgreSQL refuses to run as root, so as root the cluster
belongs to the ``postgres`` user (``runuser``). ``fsync=False`` (tests) trades
durability for speed; benchmarks keep it on, as production does.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PostgresCluster:
    host: str
    port: int
    user: str
    directory: Path

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"


def find_postgres_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: Debian's versioned one, else ``PATH``."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_cluster(fsync: bool = False) -> tuple[PostgresCluster, Callable[[], None]]:
    """Start a cluster; returns it and a function that stops it and removes its files."""
    bindir = find_postgres_bin()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL (initdb, pg_ctl) is not installed; run scripts/install-system-deps.sh.")
    directory = Path(tempfile.mkdtemp(prefix="codaiq-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    port = _free_port()
    subprocess.run(
        _as_owner(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "codaiq",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync={'on' if fsync else 'off'}"
        " -c max_connections=200 -c full_page_writes=" + ("on" if fsync else "off")
    )
    subprocess.run(
        _as_owner(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-w", "-o", options, "start"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster = PostgresCluster("127.0.0.1", port, "codaiq", directory)

    def stop() -> None:
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(directory, ignore_errors=True)

    return cluster, stop


def create_database(cluster: PostgresCluster) -> str:
    """A new, empty database in ``cluster``; returns its DSN (the cluster's superuser)."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(cluster.dsn(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return cluster.dsn(name)
