"""A TCP proxy on 127.0.0.1 that breaks connections at a chosen byte, for faults a server cannot fake.

The sandbox's fault switch acts before a response starts (latency, an error status, a
dropped connection). Some faults happen later on a real network: the body of a download
stops half way, or the server hangs up while a large upload is still going out. This
proxy sits between a client and the sandbox, forwards bytes unchanged, and applies a
:class:`BreakRule` to the connection that carries a matching request:

- ``cut_response``: forward ``after_bytes`` of the response, then reset both sides;
- ``stall_response``: forward ``after_bytes`` of the response, then send nothing more
  (the connection stays open until the client gives up or goes away);
- ``cut_request``: forward ``after_bytes`` of the request, then reset both sides.

A rule matches on bytes of the request head (``b"GET /api/export"``), so it hits the
right request even on a kept-alive connection that served other requests first. It
runs on its own thread and loop, so sync tests, async tests and child processes alike
can be pointed at it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Self

BreakAction = Literal["cut_response", "stall_response", "cut_request"]
_READ_SIZE = 16 * 1024


@dataclass
class BreakRule:
    """Break the next ``count`` connections whose request contains ``marker``."""

    marker: bytes
    action: BreakAction
    after_bytes: int
    count: int = 1
    hits: int = field(default=0, compare=False)


@dataclass
class _Connection:
    rule: BreakRule | None = None
    request_bytes: int = 0  # request bytes forwarded since the rule armed
    response_bytes: int = 0  # response bytes forwarded since the rule armed


class FaultProxy:
    """Forward ``127.0.0.1:<port>`` to ``upstream``; break chosen connections (see the module doc)."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.connections = 0
        self._rules: list[BreakRule] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._release: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- control (any thread) ----------------------------------------------------------

    def add_rule(self, rule: BreakRule) -> BreakRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear_rules(self) -> None:
        with self._lock:
            self._rules.clear()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> Self:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="fault-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10) or not self.port:
            raise RuntimeError("The fault proxy did not start")
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._loop = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- the proxy's own thread --------------------------------------------------------

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def open_server() -> None:
            self._release = asyncio.Event()
            # IPPROTO_TCP keeps TCP_NODELAY on accepted sockets (no ~40 ms Nagle stalls).
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            listener.bind(("127.0.0.1", 0))
            self._server = await asyncio.start_server(self._handle, sock=listener)
            self.port = listener.getsockname()[1]

        loop.run_until_complete(open_server())
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _shutdown(self) -> None:
        assert self._release is not None
        self._release.set()
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _take_rule(self, head: bytes) -> BreakRule | None:
        with self._lock:
            for rule in self._rules:
                if rule.hits < rule.count and rule.marker in head:
                    rule.hits += 1
                    if rule.hits >= rule.count:
                        self._rules.remove(rule)
                    return rule
        return None

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        upstream_writer: asyncio.StreamWriter | None = None
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
            state = _Connection()
            pumps = {
                asyncio.ensure_future(self._pump_request(client_reader, upstream_writer, client_writer, state)),
                asyncio.ensure_future(self._pump_response(upstream_reader, client_writer, upstream_writer, state)),
            }
            try:
                await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for pump in pumps:
                    pump.cancel()
                for pump in pumps:
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await pump
        except OSError:
            pass
        finally:
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    writer.transport.abort()
            self._tasks.discard(task)

    async def _pump_request(
        self,
        reader: asyncio.StreamReader,
        upstream: asyncio.StreamWriter,
        client: asyncio.StreamWriter,
        state: _Connection,
    ) -> None:
        while chunk := await reader.read(_READ_SIZE):
            if state.rule is None:
                state.rule = self._take_rule(chunk)
            rule = state.rule
            if rule is not None and rule.action == "cut_request":
                room = rule.after_bytes - state.request_bytes
                if len(chunk) >= room:
                    upstream.write(chunk[: max(room, 0)])
                    await upstream.drain()
                    _reset(client)
                    _reset(upstream)
                    return
                state.request_bytes += len(chunk)
            upstream.write(chunk)
            await upstream.drain()
        with contextlib.suppress(OSError):
            upstream.write_eof()

    async def _pump_response(
        self,
        reader: asyncio.StreamReader,
        client: asyncio.StreamWriter,
        upstream: asyncio.StreamWriter,
        state: _Connection,
    ) -> None:
        while chunk := await reader.read(_READ_SIZE):
            rule = state.rule
            if rule is not None and rule.action in ("cut_response", "stall_response"):
                room = rule.after_bytes - state.response_bytes
                if len(chunk) >= room:
                    client.write(chunk[: max(room, 0)])
                    await client.drain()
                    if rule.action == "cut_response":
                        _reset(client)
                        _reset(upstream)
                        return
                    assert self._release is not None
                    await self._release.wait()  # hold the connection open, silent
                    return
                state.response_bytes += len(chunk)
            client.write(chunk)
            await client.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a crashed peer or a broken network would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    writer.transport.abort()


@contextlib.contextmanager
def fault_proxy(upstream_host: str, upstream_port: int) -> Iterator[FaultProxy]:
    """A started proxy, stopped afterwards."""
    proxy = FaultProxy(upstream_host, upstream_port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
