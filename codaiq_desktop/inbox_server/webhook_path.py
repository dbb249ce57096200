"""``POST /webhooks/codaiq/{agency}``: the inbox server's webhook path, spoken in ASGI directly.

It reuses the desktop receiver's body reader, signature check and answers: declared size
(413) and content type (415) before reading, the body read only up to the limit, the
agency's own secrets only (401), only a verified body parsed (400), and 200 only after
the storage committed. A storage failure is a 503 the sender retries, never a 500.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field

from starlette.types import Receive, Scope, Send

from codaiq_desktop.asgi_body import ClientGoneError, read_body
from codaiq_desktop.receiver.app import _error_body, _is_json_content_type, _reply, _request_headers
from codaiq_desktop.signing import SIGNATURE_HEADER, match
from codaiq_desktop.store.payload import InvalidPayloadError

from .storage import InboxStorage, prepare_event

_log = logging.getLogger(__name__)

WEBHOOK_PREFIX = "/webhooks/codaiq/"
DEFAULT_MAX_BODY = 1024 * 1024
"""Webhook bodies: 1 MiB (a real payload is a few hundred bytes)."""
SECRET_CACHE_SECONDS = 5.0
_AGENCY_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SIGNATURE_KEY = SIGNATURE_HEADER.lower()


@dataclass
class ServerSettings:
    max_body: int = DEFAULT_MAX_BODY
    token_rate: float = 50.0
    token_burst: float = 200.0
    ip_rate: float = 100.0
    ip_burst: float = 400.0


@dataclass
class WebhookCounters:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    failed: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


# -- the webhook path ----------------------------------------------------------------------


class WebhookReceiver:
    """``POST /webhooks/codaiq/{agency}``: verify against that agency's secrets only, store, answer."""

    def __init__(self, storage: InboxStorage, settings: ServerSettings, counters: WebhookCounters) -> None:
        self.storage = storage
        self.settings = settings
        self.counters = counters
        self._secrets: dict[str, tuple[float, list[str]]] = {}

    async def _agency_secrets(self, agency_id: str, fresh: bool = False) -> list[str]:
        cached = self._secrets.get(agency_id)
        now = time.monotonic()
        if cached is not None and not fresh and now - cached[0] < SECRET_CACHE_SECONDS:
            return cached[1]
        found = await self.storage.webhook_secrets(agency_id)
        if len(self._secrets) > 10_000:
            self._secrets.clear()
        self._secrets[agency_id] = (now, found)
        return found

    async def refuse(
        self, send: Send, status: int, code: str, message: str, extra: tuple[tuple[bytes, bytes], ...] = ()
    ) -> None:
        self.counters.rejected += 1
        self.counters.by_status[status] = self.counters.by_status.get(status, 0) + 1
        await _reply(send, status, _error_body(code, message), extra)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        agency_id = scope["path"][len(WEBHOOK_PREFIX) :]
        headers = _request_headers(scope)
        declared = headers.get("content-length")
        limit = self.settings.max_body
        if declared is not None:
            if not declared.isdigit():
                return await self.refuse(send, 400, "bad_request", "Content-Length is not a number.")
            if int(declared) > limit:
                return await self.refuse(
                    send, 413, "payload_too_large", f"Body of {declared} bytes is over the {limit}-byte limit."
                )
        if not _is_json_content_type(headers.get("content-type")):
            return await self.refuse(send, 415, "unsupported_media_type", "Content-Type must be application/json.")
        try:
            body = await read_body(receive, limit)
        except ClientGoneError:
            return
        if body is None:
            return await self.refuse(send, 413, "payload_too_large", f"Body is over the {limit}-byte limit.")
        if not _AGENCY_ID.match(agency_id):
            return await self.refuse(send, 404, "unknown_agency", "No agency receives webhooks at this path.")
        signature = headers.get(_SIGNATURE_KEY)
        if not signature:
            return await self.refuse(send, 401, "missing_signature", f"The {SIGNATURE_HEADER} header is missing.")
        try:
            secrets = await self._agency_secrets(agency_id)
            matched = match(body, signature, secrets)
            if matched is None:  # a secret rotated in another process a moment ago: look once more
                secrets = await self._agency_secrets(agency_id, fresh=True)
                matched = match(body, signature, secrets)
        except Exception:
            _log.warning("Could not read the webhook secrets; answering 503 so the sender retries.", exc_info=True)
            return await self._unavailable(send)
        if matched is None:
            # Unknown agency and wrong secret look alike: the path does not reveal which agencies exist.
            return await self.refuse(
                send,
                401,
                "invalid_signature",
                "The signature does not match the body under this agency's webhook secret.",
            )
        try:
            event = prepare_event(agency_id, body, headers)
        except InvalidPayloadError as exc:
            return await self.refuse(send, 400, "invalid_payload", f"Signed, but {exc}.")
        try:
            outcome = await self.storage.ingest(event)
        except Exception:
            _log.warning("Storing a webhook event failed; answering 503 so the sender retries.", exc_info=True)
            return await self._unavailable(send)
        if outcome.duplicate:
            self.counters.duplicates += 1
        else:
            self.counters.accepted += 1
        self.counters.by_status[200] = self.counters.by_status.get(200, 0) + 1
        answer = json.dumps(
            {"received": True, "id": outcome.event_id, "duplicate": outcome.duplicate}, separators=(",", ":")
        ).encode()
        await _reply(send, 200, answer)

    async def _unavailable(self, send: Send) -> None:
        self.counters.failed += 1
        self.counters.by_status[503] = self.counters.by_status.get(503, 0) + 1
        await _reply(
            send,
            503,
            _error_body("store_unavailable", "The event could not be stored; retry later."),
            ((b"retry-after", b"5"),),
        )
