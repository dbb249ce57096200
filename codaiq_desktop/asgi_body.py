"""Reading a request body straight from ASGI ``receive``, with a size limit.

Shared by the sandbox's gateway, the webhook receiver and the inbox server, which read
bodies before any framework does (to refuse an oversized one at once, and to hash or verify
the exact bytes), then hand them on with :func:`replay_body`. Qt-free, framework-free.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


class ClientGoneError(Exception):
    """The client disconnected before its body was complete: what arrived is not the body
    it meant to send, so it must not be handed on as if it were."""


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or ``None`` as soon as it passes ``limit`` bytes.

    Raises :class:`ClientGoneError` when the client disconnects first.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # "http.disconnect": the body ends unfinished
            raise ClientGoneError
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    if len(chunks) == 1:
        return chunks[0]  # the usual case: the whole body in one message
    return b"".join(chunks)


def replay_body(body: bytes, original: Receive) -> Receive:
    """A ``receive`` that hands the already-read ``body`` to an app in one message, then
    passes on the connection's later messages (so a disconnect still reaches it)."""
    sent = False

    async def receive() -> MutableMapping[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
