"""One Codaiq Desktop per user: a second launch brings the running window forward and exits.

Two windows on one data folder would fight over the webhook port, the store and the
sandbox's folder, and the second would look broken. The first instance listens on a
local socket (``QLocalServer``, a Unix socket or a Windows named pipe only this user can
open); a later launch connects, asks it to show its window, waits for the answer and exits.

The name is per user and per data folder, so separate homes (another user, a test's
throw-away XDG folders) do not see each other.
"""

from __future__ import annotations

import logging
import os
import time
import zlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

#: What a second launch sends, and what the running instance answers once its window shows.
ACTIVATE = b"activate\n"
ACTIVATED = b"ok\n"
#: How long a second launch waits to connect, and then for the answer (milliseconds; it has
#: no window yet). The answer can take seconds on a loaded machine while the running
#: instance is still starting up (its event loop busy), so that wait is long.
CONNECT_TIMEOUT_MS = 3000
ANSWER_TIMEOUT_MS = 15000
#: Unix socket paths are limited to about 100 bytes.
_MAX_SOCKET_PATH = 100


def instance_name(data_dir: Path) -> str:
    """The local socket's name: the user, and a digest of the data folder the instance uses."""
    if hasattr(os, "getuid"):
        user = str(os.getuid())
    else:  # Windows
        import getpass

        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # pragma: no cover - a user without a name
            user = "user"
    # A checksum tells one user's data folders apart well enough (a clash needs two folders
    # with the same CRC); a cryptographic digest would load OpenSSL, ~3 ms of every start.
    folder = str(data_dir.expanduser().resolve()).encode("utf-8")
    digest = f"{zlib.crc32(folder):08x}{len(folder):04x}"
    name = f"codaiq-desktop-{user}-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    # In the user's private runtime folder where there is one (only the user can reach it);
    # otherwise Qt puts the socket in the temp folder and the access option below guards it.
    if os.name == "posix" and runtime and os.path.isdir(runtime):
        path = os.path.join(runtime, name)
        if len(path.encode()) <= _MAX_SOCKET_PATH:
            return path
    return name


class AlreadyRunningNoAnswer(RuntimeError):
    """Another instance holds the name but did not answer (it may be hung)."""


def ask_running_instance(name: str, answer_timeout_ms: int = ANSWER_TIMEOUT_MS) -> bool:
    """Ask a running instance to show its window: True once it answered, False if none runs.

    Raises :class:`AlreadyRunningNoAnswer` when one is connected to but never answers.
    Blocking, by design: it runs before this launch has a window or an event loop.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(ACTIVATE)
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    answer = b""
    deadline = time.monotonic() + answer_timeout_ms / 1000
    while ACTIVATED not in answer and time.monotonic() < deadline:
        if socket.waitForReadyRead(max(1, int((deadline - time.monotonic()) * 1000))):
            answer += bytes(socket.readAll().data())
        elif socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
            break
    socket.disconnectFromServer()
    if ACTIVATED not in answer:
        raise AlreadyRunningNoAnswer(name)
    return True


class SingleInstanceServer(QObject):
    """The running instance's end: emits :attr:`sig_activate` when a later launch asks."""

    sig_activate = Signal()
    """Another launch asked this instance to show its window (raise it, un-minimise it)."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)

    def listen(self) -> bool:
        """Take the name; False if a live instance took it first (it was asked to show itself).

        Two launches at the same moment both find nobody to ask; the one that listens
        second sees the name taken and asks the first instead.
        """
        if self._server.listen(self.name):
            return True
        if self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            try:
                if ask_running_instance(self.name):
                    return False
            except AlreadyRunningNoAnswer:
                return False
            # Nobody answers on it: a socket file left by an instance that was killed.
            QLocalServer.removeServer(self.name)
            if self._server.listen(self.name):
                return True
        log.warning(
            "Single-instance check unavailable (%s): a second launch opens a second window", self._server.errorString()
        )
        return True

    def close(self) -> None:
        self._server.close()

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.setParent(self)
            received = bytearray()

            def on_ready_read(socket: QLocalSocket = connection, buffer: bytearray = received) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if ACTIVATE in buffer:
                    log.info("Another launch asked for this window: bringing it to the front")
                    self.sig_activate.emit()
                    socket.write(ACTIVATED)
                    socket.flush()
                    socket.disconnectFromServer()

            connection.readyRead.connect(on_ready_read)
            connection.disconnected.connect(connection.deleteLater)
