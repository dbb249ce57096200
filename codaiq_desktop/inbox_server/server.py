"""Running the inbox server: storage opened and migrated, uvicorn on a socket, TLS or a proxy.

Exposed to the internet, the server must not speak plain HTTP by accident: a bind to a
non-loopback address needs ``--tls-cert``/``--tls-key`` (TLS here) or ``--behind-proxy``
(TLS at a reverse proxy such as Caddy, which also sets ``X-Forwarded-For``). Without
either it is refused with a sentence, before anything listens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from codaiq_desktop.receiver.server import _make_listening_socket, is_loopback

from .app import ServerSettings, WebhookCounters, create_app
from .change_hub import ChangeHub
from .storage import InboxStorage

_log = logging.getLogger(__name__)

DEFAULT_PORT = 8790


class UnsafeBindError(ValueError):
    """A non-loopback bind without TLS or a reverse proxy; ``str()`` says what to do."""


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    tls_cert: Path | None = None
    tls_key: Path | None = None
    behind_proxy: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    settings: ServerSettings | None = None


def check_exposure(options: ServeOptions) -> None:
    """Refuse a plain-HTTP bind that other machines can reach, and half a TLS configuration."""
    if bool(options.tls_cert) != bool(options.tls_key):
        raise UnsafeBindError("Give both --tls-cert and --tls-key (the certificate and its private key), or neither.")
    for given in (options.tls_cert, options.tls_key):
        if given is not None and not Path(given).is_file():
            raise UnsafeBindError(f"The TLS file {given} does not exist or is not a file.")
    if not is_loopback(options.host) and not options.tls_cert and not options.behind_proxy:
        raise UnsafeBindError(
            f"Refusing to serve plain HTTP on {options.host}, which other machines can reach: leads and member tokens "
            "would cross the network unencrypted. Give --tls-cert and --tls-key, or run behind a TLS reverse proxy "
            "and pass --behind-proxy (see the README's Caddy example), or bind 127.0.0.1."
        )


class InboxServer:
    """The inbox server on the running loop: ``await start()``, ``url``, ``await stop()``."""

    def __init__(self, storage: InboxStorage, options: ServeOptions) -> None:
        check_exposure(options)
        self.storage = storage
        self.options = options
        self.hub = ChangeHub()
        self.counters = WebhookCounters()
        self._server: uvicorn.Server | None = None
        self._socket: socket.socket | None = None
        self._main: asyncio.Task[None] | None = None
        self.port = options.port

    @property
    def url(self) -> str:
        scheme = "https" if self.options.tls_cert else "http"
        host = self.options.host if ":" not in self.options.host else f"[{self.options.host}]"
        return f"{scheme}://{host}:{self.port}"

    async def start(self) -> None:
        await self.storage.open()
        add_listener = getattr(self.storage, "add_change_listener", None)
        if add_listener is not None:
            add_listener(self.hub.notify)
        app = create_app(self.storage, self.hub, self.options.settings, self.counters)
        options = self.options
        config = uvicorn.Config(
            app,
            lifespan="off",
            log_level="warning",
            access_log=False,
            server_header=False,
            proxy_headers=options.behind_proxy,
            forwarded_allow_ips=options.forwarded_allow_ips if options.behind_proxy else None,
            ssl_certfile=str(options.tls_cert) if options.tls_cert else None,
            ssl_keyfile=str(options.tls_key) if options.tls_key else None,
            timeout_keep_alive=30,
            limit_concurrency=2048,
            h11_max_incomplete_event_size=16 * 1024,
        )
        config.load()
        self._socket = _make_listening_socket(options.host, options.port)
        self.port = int(self._socket.getsockname()[1])
        server = uvicorn.Server(config)
        server.lifespan = config.lifespan_class(config)
        await server.startup(sockets=[self._socket])
        self._server = server
        self._main = asyncio.create_task(server.main_loop(), name="inbox-server")

    async def serve_forever(self) -> None:
        if self._main is not None:
            await self._main

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.should_exit = True
            server.force_exit = True  # streams never end by themselves
            if self._main is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await self._main
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.shutdown(sockets=[self._socket] if self._socket else None), 5)
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        await self.storage.close()
