"""A real ``serve`` process on each storage engine, for the connection tests.

``tests/ui/team/conftest.py``'s ``team_server`` runs on PostgreSQL only (for the Leads tab);
the connection is checked on both engines with the package fixture's server
(``tests.fixtures.team_server``: one agency, members alice and bob).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.team_server import TeamServerProcess, _start


def serve_on_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TeamServerProcess]:
    """Start ``serve`` on ``request.param`` ("sqlite" or "postgresql"); stop it afterwards."""
    running = _start(request, tmp_path, request.param)
    try:
        yield running
    finally:
        running.process.stop()
