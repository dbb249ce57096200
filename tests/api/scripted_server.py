"""A real HTTP server on 127.0.0.1 that answers with scripted replies.

The client's tests need exact control over what the wire carries: a 503 then a
200, a ``Retry-After`` date, a body cut off mid-ZIP, a reply that never comes.
This raw ASGI app, served by uvicorn in a background thread, pops the next
scripted :class:`Reply` for each ``(method, path)`` (the last one repeats) and
records every request it sees, so tests can assert what the client sent and how
often.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_NO_JSON = object()


STALL_SECONDS = 170.0
"""How long a stalled reply waits for its client to go away: longer than any test takes to
react, even on a loaded machine (the per-test timeout is 180 s)."""


@dataclass
class Reply:
    """One scripted response.

    ``drop_after`` sends the headers (with the full ``Content-Length``) and that
    many body bytes, then hangs up. ``stall_after`` sends that many bytes and then
    waits, without finishing, until the client goes away. ``delay`` waits before
    answering at all (for read timeouts).
    """

    status: int = 200
    json: Any = _NO_JSON
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    delay: float = 0.0
    drop_after: int | None = None
    stall_after: int | None = None
    chunk_size: int = 16 * 1024

    def payload(self) -> tuple[bytes, str]:
        if self.json is not _NO_JSON:
            return json.dumps(self.json).encode(), self.content_type or "application/json"
        data = self.body.encode() if isinstance(self.body, str) else self.body
        return data, self.content_type or "text/plain; charset=utf-8"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class ScriptedServer:
    """Serve scripted replies on ``127.0.0.1:<free port>`` from a daemon thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scripts: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[RecordedRequest] = []
        self.disconnects = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- scripting -----------------------------------------------------------

    def on(self, method: str, path: str, *replies: Reply) -> None:
        """Answer ``method path`` with ``replies`` in order; the last one repeats."""
        if not replies:
            raise ValueError("script at least one reply")
        with self._lock:
            self._scripts[(method.upper(), path)] = list(replies)

    def reset(self) -> None:
        with self._lock:
            self._scripts.clear()
            self.requests.clear()
            self.disconnects = 0

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/api"

    # --- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        config = uvicorn.Config(
            self._app,
            host="127.0.0.1",
            port=0,
            lifespan="off",
            interface="asgi3",
            log_level="error",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="scripted-api-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the scripted test server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    # --- ASGI ---------------------------------------------------------------

    def _next_reply(self, method: str, path: str) -> Reply:
        with self._lock:
            replies = self._scripts.get((method, path))
            if not replies:
                return Reply(404, json={"error": {"code": "unscripted", "message": f"No script for {method} {path}"}})
            return replies.pop(0) if len(replies) > 1 else replies[0]

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        method = scope["method"]
        path = scope["path"]
        query = {k: v[-1] for k, v in parse_qs(scope["query_string"].decode(), keep_blank_values=True).items()}
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        with self._lock:
            self.requests.append(RecordedRequest(method, path, query, headers, body))
        reply = self._next_reply(method, path)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        data, content_type = reply.payload()
        response_headers = [(b"content-type", content_type.encode())]
        declared = {k.lower() for k in reply.headers}
        if "content-length" not in declared and "transfer-encoding" not in declared:
            response_headers.append((b"content-length", str(len(data)).encode()))
        response_headers += [(k.encode(), v.encode()) for k, v in reply.headers.items()]
        await send({"type": "http.response.start", "status": reply.status, "headers": response_headers})
        cut = reply.drop_after if reply.drop_after is not None else reply.stall_after
        to_send = data if cut is None else data[:cut]
        for chunk in _chunks(to_send, reply.chunk_size):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if reply.drop_after is not None:
            return  # uvicorn closes a connection whose response was left unfinished
        if reply.stall_after is not None:
            await self._wait_for_disconnect(receive)
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _wait_for_disconnect(self, receive: Receive) -> None:
        try:
            message = await asyncio.wait_for(receive(), timeout=STALL_SECONDS)
        except TimeoutError:
            return
        if message["type"] == "http.disconnect":
            with self._lock:
                self.disconnects += 1


def _chunks(data: bytes, size: int) -> Iterable[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
