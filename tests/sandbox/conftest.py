"""Helpers for the sandbox tests: a real HTTP endpoint that records webhook deliveries."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class ReceivedPost:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookSink:
    """Accepts POSTs on loopback; answers with scripted status codes per path (then 200)."""

    server: ThreadingHTTPServer
    received: list[ReceivedPost] = field(default_factory=list)
    scripts: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def root(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def new_url(self, statuses: list[int] | None = None) -> str:
        """A fresh path on the sink; it answers ``statuses`` in turn, then 200."""
        path = f"/hooks/{uuid.uuid4().hex}"
        with self.lock:
            self.scripts[path] = list(statuses or [])
        return self.root + path

    def posts(self, url: str) -> list[ReceivedPost]:
        path = url.removeprefix(self.root)
        with self.lock:
            return [post for post in self.received if post.path == path]

    def wait_for(self, url: str, count: int, timeout: float = 15.0) -> list[ReceivedPost]:
        deadline = time.monotonic() + timeout
        while True:
            posts = self.posts(url)
            if len(posts) >= count or time.monotonic() > deadline:
                return posts
            time.sleep(0.02)


@pytest.fixture(scope="session")
def webhook_sink() -> Iterator[WebhookSink]:
    sink: WebhookSink

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with sink.lock:
                sink.received.append(ReceivedPost(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                script = sink.scripts.get(self.path, [])
                status = script.pop(0) if script else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink = WebhookSink(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
