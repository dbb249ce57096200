"""The single-instance server taking over the socket file a killed instance left behind.

Real local sockets under ``tmp_path``; the whole-app behaviour (two launches as processes) is
in ``tests/reliability/test_single_instance.py``.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from codaiq_desktop.ui.shell.single_instance import SingleInstanceServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")


def test_a_socket_file_left_by_a_killed_instance_is_taken_over(qtbot, tmp_path: Path) -> None:
    name = str(tmp_path / "instance")
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(name)  # the file stays, nobody listens on it: what a killed instance leaves
    stale.close()

    server = SingleInstanceServer(name)
    try:
        assert server.listen() is True
        assert Path(name).is_socket()
    finally:
        server.close()
