"""Running the sandbox: in-process on the current loop, or on a thread of its own.

:class:`SandboxServer` drives uvicorn's server object directly rather than through
``serve()``, so it never installs signal handlers: it can live inside a test or inside
the desktop app's own loop. uvicorn binds the socket itself, which keeps TCP_NODELAY on
(a socket made with ``socket.socket()`` would lose it and add ~40 ms per response).

A taken port is found before uvicorn tries to bind (a probe socket), so the caller gets a
``SandboxPortInUseError`` with a free port to suggest instead of uvicorn's own
``[Errno 98]`` log line and ``sys.exit``; uvicorn's bind error is kept out of the log
and turned into the same error if the port is taken between the probe and the bind.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import logging
import os
import socket
import sys
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import uvicorn

from codaiq_desktop.sandbox.app import create_app
from codaiq_desktop.sandbox.config import SandboxConfig
from codaiq_desktop.sandbox.data_dir_lock import DataDirLock
from codaiq_desktop.sandbox.service import SandboxService

T = TypeVar("T")

_ADDRESS_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)}


class SandboxPortInUseError(OSError):
    """The sandbox's port is taken. ``suggested_port`` is a free port near it (or ``None``)."""

    def __init__(self, host: str, port: int, suggested_port: int | None) -> None:
        self.host = host
        self.port = port
        self.suggested_port = suggested_port
        hint = f" Port {suggested_port} is free." if suggested_port is not None else ""
        super().__init__(
            errno.EADDRINUSE, f"Port {port} on {host} is already in use (is another sandbox running?).{hint}"
        )

    def __str__(self) -> str:
        return str(self.args[1])

    def __reduce__(self) -> tuple[type[SandboxPortInUseError], tuple[str, int, int | None]]:
        return (type(self), (self.host, self.port, self.suggested_port))


class SandboxListenError(OSError):
    """The address cannot be listened on (not on this machine, not allowed...): one plain sentence."""

    def __init__(self, host: str, port: int, code: int | None) -> None:
        self.host = host
        self.port = port
        reason = f": {os.strerror(code).lower()}" if code else ""
        super().__init__(code or errno.EADDRNOTAVAIL, f"Could not listen on {host}:{port}{reason}")

    def __str__(self) -> str:
        return str(self.args[1])

    def __reduce__(self) -> tuple[type[SandboxListenError], tuple[str, int, int | None]]:
        return (type(self), (self.host, self.port, self.errno))


def _probe(host: str, port: int) -> None:
    """Bind ``host:port`` the way uvicorn will and let go at once; raises its ``OSError``."""
    family, _type, _proto, _name, sockaddr = socket.getaddrinfo(
        host.strip("[]"), port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
    )[0]
    with socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        if sys.platform != "win32":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        probe.bind(sockaddr)


def free_port_near(host: str, port: int, tries: int = 20) -> int | None:
    """A port a little above ``port`` that is free on ``host`` right now, or ``None``."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        try:
            _probe(host, candidate)
        except OSError:
            continue
        return candidate
    return None


def check_port_free(host: str, port: int) -> None:
    """Raise ``SandboxPortInUseError`` when ``host:port`` is taken (port 0 is always free)."""
    if port == 0:
        return
    try:
        _probe(host, port)
    except OSError as exc:
        if exc.errno in _ADDRESS_IN_USE:
            raise SandboxPortInUseError(host, port, free_port_near(host, port)) from None
        # Any other problem (an address not on this machine...) is uvicorn's to report.


class _BindErrorCatcher(logging.Filter):
    """Keeps uvicorn's bind error out of the log and remembers it for a plain error instead."""

    def __init__(self) -> None:
        super().__init__()
        self.error: OSError | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, OSError):
            self.error = record.msg
            return False
        return True


@contextlib.contextmanager
def _catching_bind_errors() -> Iterator[_BindErrorCatcher]:
    catcher = _BindErrorCatcher()
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addFilter(catcher)
    try:
        yield catcher
    finally:
        uvicorn_log.removeFilter(catcher)


class SandboxServer:
    """One sandbox listening on ``config.host:config.port`` (0 picks a free port)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.service: SandboxService | None = None
        self._server: uvicorn.Server | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._port: int | None = None
        self._lock = DataDirLock(config.data_dir)

    async def start(self) -> None:
        """Open the data dir, start background work and listen; returns once listening.

        Raises :class:`DataDirInUseError` when another sandbox runs on the same data dir,
        :class:`SandboxPortInUseError` when the port is taken, and ``OSError`` when the
        address cannot be bound for another reason.
        """
        if self._server is not None:
            raise RuntimeError("The sandbox is already running")
        self._lock.acquire()
        try:
            await self._start()
        except BaseException:
            self._lock.release()
            raise

    async def _start(self) -> None:
        check_port_free(self.config.host, self.config.port)
        service = SandboxService(self.config)
        app = create_app(service=service)
        uv_config = uvicorn.Config(
            app,
            host=self.config.host,
            port=self.config.port,
            lifespan="off",
            log_level=self.config.log_level,
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(uv_config)
        uv_config.load()
        server.lifespan = uv_config.lifespan_class(uv_config)
        await service.start()
        try:
            with _catching_bind_errors() as bind:
                await server.startup()
        except SystemExit as exc:  # uvicorn exits on a bind failure; make it an exception
            await service.stop()
            host, port, cause = self.config.host, self.config.port, bind.error
            if cause is not None and cause.errno in _ADDRESS_IN_USE:  # taken since the check
                raise SandboxPortInUseError(host, port, free_port_near(host, port)) from None
            raise SandboxListenError(host, port, cause.errno if cause is not None else None) from exc
        self.service = service
        self._server = server
        self._port = server.servers[0].sockets[0].getsockname()[1]
        # uvicorn's housekeeping loop (Date header, exit flag); not its signal handling.
        self._ticker = asyncio.get_running_loop().create_task(server.main_loop())

    async def stop(self) -> None:
        """Stop listening, finish open connections briefly, stop background work, close the store."""
        server, service = self._server, self.service
        if server is None or service is None:
            return
        server.should_exit = True
        if self._ticker is not None:
            await self._ticker
            self._ticker = None
        await server.shutdown()
        await service.stop()
        self._server = None
        self.service = None
        self._lock.release()

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("The sandbox is not running")
        return self._port

    @property
    def root_url(self) -> str:
        host = self.config.host
        shown = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::"):
            shown = "127.0.0.1"
        return f"http://{shown}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/api"

    @property
    def default_api_key(self) -> str:
        if self.service is None:
            raise RuntimeError("The sandbox is not running")
        return self.service.default_api_key


class SandboxThread:
    """A sandbox on a daemon thread with its own event loop.

    For synchronous callers (tests, a plain script) and for hosts whose loop should not
    carry the sandbox's work. ``call()`` runs a coroutine on the sandbox's loop.
    """

    def __init__(self, config: SandboxConfig) -> None:
        self.server = SandboxServer(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 30.0) -> SandboxThread:
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="codaiq-sandbox", daemon=True)
        self._thread.start()
        ready.result(timeout)
        return self

    def _run(self, ready: concurrent.futures.Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self.server.start())
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits for the start
            ready.set_exception(exc)
            loop.close()
            return
        ready.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def call(self, coro: Coroutine[Any, Any, T], timeout: float | None = 30.0) -> T:
        """Run ``coro`` on the sandbox's loop and return its result."""
        if self._loop is None:
            raise RuntimeError("The sandbox thread is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        if self._loop is None or self._thread is None:
            return
        self.call(self.server.stop(), timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._loop = None
        self._thread = None

    def __enter__(self) -> SandboxThread:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def service(self) -> SandboxService:
        if self.server.service is None:
            raise RuntimeError("The sandbox is not running")
        return self.server.service

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def root_url(self) -> str:
        return self.server.root_url

    @property
    def default_api_key(self) -> str:
        return self.server.default_api_key
