"""The ASGI layer in front of the routes: faults, body size, API keys and rate limits.

It is plain ASGI rather than a framework middleware so it adds next to nothing per request
and can do what a response object cannot: hold a request back (latency) or cut the
connection (drop). Order matters: an injected fault comes first (it imitates the network
or the service failing), then the body-size guard, then authentication and the rate limit
(which only public API routes count; the sandbox's own routes are free).

Every answer on a public API route to a known key carries ``X-RateLimit-*``. Injected faults
and 413s are answered before the limiter runs: they report the key's current standing and use
no quota. A missing or unknown key gets a 401 without them (there is no window to report).

A client that goes away before its body is complete gets no answer and causes nothing:
the request is dropped here, before any route sees a body that was cut short (the first
300 bytes of a 1,000-byte lead can be valid JSON on their own).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from codaiq_desktop.asgi_body import ClientGoneError, read_body, replay_body
from codaiq_desktop.sandbox import errors
from codaiq_desktop.sandbox.faults import FaultRule
from codaiq_desktop.sandbox.service import SandboxService

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_PREFIX = "/api/"
SANDBOX_PREFIX = "/api/sandbox/"
FAULTS_PATH = "/api/sandbox/faults"
BODY_KEY = "codaiq.sandbox.body"
"""Scope key of the request body the gateway already read (routes may take it from there)."""
_METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


Endpoint = Callable[[Request], Awaitable[Response]]


class SandboxGateway:
    """ASGI app: the checks above, then ``direct_routes`` (the public API, dispatched by exact
    method and path without a framework in between), else the FastAPI ``app``."""

    def __init__(
        self, app: ASGIApp, service: SandboxService, direct_routes: Mapping[tuple[str, str], Endpoint] | None = None
    ) -> None:
        self.app = app
        """The FastAPI app behind the gateway (its ``openapi()`` is the published schema)."""
        self.service = service
        self.direct_routes = dict(direct_routes or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        public = path.startswith(API_PREFIX) and not path.startswith(SANDBOX_PREFIX)

        if not path.startswith(FAULTS_PATH):
            rule = self.service.faults.pick(method, path)
            if rule is not None and await self._inject(rule, send, self._standing(scope) if public else {}):
                return

        if method in _METHODS_WITH_BODY:
            limit = self.service.config.max_body_bytes
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                await _send_error(send, _too_large(limit, self._standing(scope) if public else {}))
                return
            try:
                body = await read_body(receive, limit)
            except ClientGoneError:
                log.debug("%s %s: the client disconnected before sending its whole body; ignored", method, path)
                return  # nobody to answer, and nothing may be done with half a request
            if body is None:
                await _send_error(send, _too_large(limit, self._standing(scope) if public else {}))
                return
            receive = replay_body(body, receive)
            scope[BODY_KEY] = body

        if public:
            try:
                caller, day_quota, per_minute = self.service.authenticate(_header(scope, b"x-api-key"))
            except errors.ApiError as exc:
                await _send_error(send, exc)  # no known key: nothing to count, no X-RateLimit-*
                return
            decision = self.service.limiter.check(caller.key_id, day_quota, per_minute)
            rate_headers = self._documented(decision.headers())
            if not decision.allowed:
                await _send_error(
                    send,
                    errors.ApiError(
                        429,
                        "rate_limited",
                        f"Rate limit reached for this API key; retry in {decision.retry_after} s.",
                        rate_headers,
                    ),
                )
                return
            scope.setdefault("state", {})["caller"] = caller
            send = _with_headers(send, rate_headers)
            endpoint = self.direct_routes.get((method, path))
            if endpoint is not None:
                await _serve(endpoint, scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _standing(self, scope: Scope) -> dict[str, str]:
        """``X-RateLimit-*`` of the request's key without counting the request, for answers
        given before the limiter runs; empty when the key is missing or unknown."""
        try:
            caller, day_quota, per_minute = self.service.authenticate(_header(scope, b"x-api-key"))
        except errors.ApiError:
            return {}
        return self._documented(self.service.limiter.peek(caller.key_id, day_quota, per_minute).headers())

    def _documented(self, headers: dict[str, str]) -> dict[str, str]:
        """In documented-only mode, only ``Retry-After`` (the docs name no ``X-RateLimit-*``)."""
        if not self.service.config.documented_only:
            return headers
        return {name: value for name, value in headers.items() if name.lower() == "retry-after"}

    async def _inject(self, rule: FaultRule, send: Send, rate_headers: dict[str, str]) -> bool:
        """Apply ``rule``; True when the request was answered (or dropped) here."""
        if rule.kind == "latency":
            await asyncio.sleep(rule.delay)
            return False
        if rule.kind == "error":
            await _send_error(
                send, errors.ApiError(rule.status, "injected_fault", "Injected fault (sandbox).", rate_headers)
            )
            return True
        if rule.kind == "rate_limit":
            await _send_error(
                send,
                errors.ApiError(
                    429,
                    "rate_limited",
                    f"Injected rate limit (sandbox); retry in {rule.retry_after} s.",
                    {**rate_headers, "Retry-After": str(rule.retry_after)},
                ),
            )
            return True
        # "drop": close the connection without a response, as a failing network would.
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is not None:
            transport.abort()
            return True
        raise ConnectionAbortedError("Injected dropped connection (sandbox)")


async def _serve(endpoint: Endpoint, scope: Scope, receive: Receive, send: Send) -> None:
    """Run one endpoint with the app's error contract: ApiError as JSON, anything else a 500."""
    try:
        response = await endpoint(Request(scope, receive, send))
    except errors.ApiError as exc:
        await _send_error(send, exc)
        return
    except Exception:
        log.exception("Unexpected error in the sandbox")
        await _send_error(send, errors.ApiError(500, "internal_error", "The sandbox hit an unexpected error."))
        return
    await response(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _too_large(limit: int, headers: Mapping[str, str]) -> errors.ApiError:
    return errors.ApiError(413, "payload_too_large", f"Request body is larger than {limit // 1024} KiB.", headers)


def _with_headers(send: Send, headers: dict[str, str]) -> Send:
    extra = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return send_with_headers


async def _send_error(send: Send, error: errors.ApiError) -> None:
    body = error.body()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in error.headers.items()),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
