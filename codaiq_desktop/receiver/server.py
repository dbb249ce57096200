"""``WebhookReceiver``: the webhook app served by uvicorn on the caller's asyncio loop.

Running on the app's own loop (qasync in the desktop app, plain asyncio in ``listen``)
keeps one event loop in the process; the store's writer thread does the blocking part.

The listening socket is made here, not by uvicorn, for two reasons: a taken port must
become a ``PortInUseError`` with a suggestion (uvicorn would log and ``sys.exit``), and
the socket must be created with ``IPPROTO_TCP`` so accepted connections keep
``TCP_NODELAY`` (with protocol 0 every keep-alive answer waits ~40 ms for Nagle).
uvicorn's ``serve()`` also installs process signal handlers; ``startup``/``main_loop``/
``shutdown`` are called directly instead, so the host application keeps its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import socket
import sys
from collections.abc import Iterable, Sequence
from typing import Literal

import uvicorn

from codaiq_desktop.store import Store

from .app import DEFAULT_MAX_BODY, WEBHOOK_PATH, ReceiverStats, StoreHealth, StoreStateCallback, create_app
from .webhook_secret import SecretLike, WebhookSecret, normalise_secrets

_log = logging.getLogger(__name__)


HttpParser = Literal["auto", "h11", "httptools"]

MAX_CONNECTIONS = 256


class PortInUseError(OSError):
    """The port is taken. ``suggestion`` is a sentence for the user; ``suggested_port`` a free one."""

    def __init__(self, port: int, suggestion: str, host: str = "127.0.0.1", suggested_port: int | None = None) -> None:
        self.port = port
        self.host = host
        self.suggestion = suggestion
        self.suggested_port = suggested_port
        super().__init__(errno.EADDRINUSE, f"Port {port} on {host} is already in use. {suggestion}")

    def __str__(self) -> str:
        return f"Port {self.port} on {self.host} is already in use. {self.suggestion}"


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (``127.0.0.0/8``, ``::1``, ``localhost``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _make_listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket with the right protocol number (see module docstring).

    ``host`` may be an IPv4/IPv6 address or a name; a name binds its first address.
    """
    address = host.strip("[]")
    family, _type, _proto, _name, sockaddr = socket.getaddrinfo(
        address, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if sys.platform == "win32":  # pragma: no cover - platform specific
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:
            # Lets a restart bind while old connections sit in TIME_WAIT; on POSIX it never
            # lets two live listeners share the port.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(sockaddr)
        sock.listen(1024)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _free_port_near(host: str, port: int, tries: int = 20) -> int | None:
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        try:
            probe = _make_listening_socket(host, candidate)
        except OSError:
            continue
        probe.close()
        return candidate
    return None


class WebhookReceiver:
    """Serves the webhook endpoint into a ``Store`` until stopped.

    ``secrets`` may hold several secrets at once (rotation: add the new one, switch the
    sender, remove the old one); ``set_secrets`` replaces them while running. Each is a
    plain ``str`` (no account), a ``WebhookSecret(secret, account)`` or a ``(secret,
    account)`` pair: a verified event is stored with the account of the secret that
    matched (the first one listed, if a secret appears twice).
    """

    def __init__(
        self,
        store: Store,
        secrets: Iterable[SecretLike] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_body: int = DEFAULT_MAX_BODY,
        on_store_state: StoreStateCallback | None = None,
        http_parser: HttpParser = "auto",
    ) -> None:
        """``on_store_state(problem)`` is called (on the loop) when storing starts failing,
        with a sentence for the user, and with ``None`` when it works again.

        ``http_parser`` is uvicorn's: ``"auto"`` takes httptools when it is installed (the
        ``server`` extra brings it) and the pure-Python h11 otherwise, as a plain desktop
        install has it.
        """
        if not 0 <= int(port) <= 65535:
            raise ValueError("port must be between 0 and 65535")
        self.store = store
        self.host = host
        self.port = int(port)
        self.max_body = max_body
        self.http_parser: HttpParser = http_parser
        self.stats = ReceiverStats()
        self.store_health = StoreHealth(on_store_state)
        self._secrets = normalise_secrets(secrets)
        self._server: uvicorn.Server | None = None
        self._socket: socket.socket | None = None
        self._main_loop: asyncio.Task[None] | None = None

    def __repr__(self) -> str:  # never the secrets themselves
        state = "running" if self.is_running else "stopped"
        return f"WebhookReceiver({self.host}:{self.port}, {state}, {len(self._secrets)} secret(s))"

    # -- secrets ----------------------------------------------------------------------

    def set_secrets(self, secrets: Iterable[SecretLike]) -> None:
        """Replace the active secrets; the next request is checked against the new set."""
        self._secrets = normalise_secrets(secrets)

    @property
    def secret_count(self) -> int:
        return len(self._secrets)

    @property
    def accounts(self) -> tuple[str | None, ...]:
        """The account of each active secret, in order (``None`` for an unlabelled one); never the secrets."""
        return tuple(entry.account for entry in self._secrets)

    def _current_secrets(self) -> Sequence[WebhookSecret]:
        return self._secrets

    # -- running ----------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._server is not None and self._server.started and not self._server.should_exit

    @property
    def url(self) -> str:
        """Where to point the webhook, e.g. ``http://127.0.0.1:8787/webhooks/codaiq``."""
        host = self.host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}{WEBHOOK_PATH}"

    @property
    def is_loopback(self) -> bool:
        return is_loopback(self.host)

    async def start(self) -> None:
        """Bind and start serving. Raises ``PortInUseError`` when the port is taken."""
        if self._server is not None:
            raise RuntimeError("The receiver is already running.")
        try:
            sock = _make_listening_socket(self.host, self.port)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
                free = _free_port_near(self.host, self.port)
                suggestion = (
                    f"Another program (or another Codaiq Desktop) is listening there. Stop it, or use port {free}."
                    if free is not None
                    else "Stop the other program, or pick another port (0 picks any free one)."
                )
                raise PortInUseError(self.port, suggestion, self.host, free) from None
            raise
        self.port = sock.getsockname()[1]
        if not self.is_loopback:
            _log.warning("The webhook receiver listens on %s: other machines on the network can reach it.", self.host)
        if not self._secrets:
            _log.warning("The webhook receiver has no secret: every delivery will be refused until one is set.")
        app = create_app(
            self.store, self._current_secrets, max_body=self.max_body, stats=self.stats, health=self.store_health
        )
        config = uvicorn.Config(
            app,
            http=self.http_parser,
            lifespan="off",
            # Inside the app, uvicorn's records must reach the app's own (redacting, rotated)
            # log handlers: uvicorn's default config would send them to stderr past them.
            log_config=None,
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=5,
            timeout_keep_alive=15,
            # Past this many open connections uvicorn answers 503 (the sender retries) instead
            # of letting slow or idle clients pile up on a receiver exposed to a network.
            limit_concurrency=MAX_CONNECTIONS,
        )
        config.load()
        server = uvicorn.Server(config)
        server.lifespan = config.lifespan_class(config)  # what serve() would set up
        try:
            await server.startup(sockets=[sock])
        except BaseException:
            sock.close()
            raise
        self._server = server
        self._socket = sock
        self._main_loop = asyncio.create_task(server.main_loop(), name="webhook-receiver")

    async def stop(self) -> None:
        """Stop accepting, let requests in flight finish (answers already owed), close."""
        server, sock, ticker = self._server, self._socket, self._main_loop
        if server is None:
            return
        self._server = self._socket = self._main_loop = None
        server.should_exit = True
        if ticker is not None:
            ticker.cancel()  # it only refreshes the Date header; no need to wait for its tick
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
        await server.shutdown(sockets=[sock] if sock is not None else None)

    async def __aenter__(self) -> WebhookReceiver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
