"""The inbox server's HTTP side: the per-agency webhook path, the inbox API and its stream.

``POST /webhooks/codaiq/{agency}`` speaks ASGI directly (:mod:`.webhook_path`: size and
content type checked before reading, the agency's own secrets only, 200 only after the
storage committed, 503 rather than 500 when it cannot).

Everything else is a FastAPI app (so ``/openapi.json`` describes it): the versioned
inbox API under ``/api/v1`` behind ``Authorization: Bearer``, where the agency always
comes from the token, and ``/healthz`` / ``/readyz``.

(No ``from __future__ import annotations`` here: FastAPI reads the routes' annotations,
which name aliases local to ``create_app``, when each route is defined.)
"""

import base64
import json
import logging
import time
from collections.abc import AsyncIterator, Mapping
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from codaiq_desktop.asgi_body import ClientGoneError, read_body, replay_body
from codaiq_desktop.receiver.app import _error_body, _reply, _request_headers

from .change_hub import ChangeHub
from .limits import RateLimiter
from .models import InboxLead, LeadQuery, Member
from .storage import MAX_OFFSET, InboxStorage, InvalidEditError, LeadNotFoundError, VersionConflictError
from .tokens import token_hash
from .webhook_path import WEBHOOK_PREFIX, ServerSettings, WebhookCounters, WebhookReceiver

_log = logging.getLogger(__name__)

API_MAX_BODY = 64 * 1024
"""API request bodies (a lead edit): 64 KiB."""
STREAM_POLL_SECONDS = 2.0
STREAM_HEARTBEAT_SECONDS = 15.0
MAX_LEAD_ID = 2**63 - 1
ASSIGNEE_ME = "me"
"""``assignee=me``: the leads assigned to the token's member."""
ASSIGNEE_NONE = "none"
"""``assignee=none``: the leads assigned to nobody (member ids never take this form)."""


class ApiError(Exception):
    """An answer with the project's error shape ``{"error": {"code", "message"}}`` (plus extras)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}


def _error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None, extra: dict[str, Any] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}, **(extra or {})}, status, headers=headers)


# -- cursors -------------------------------------------------------------------------------


def encode_cursor(before_id: int | None) -> str | None:
    if before_id is None:
        return None
    return base64.urlsafe_b64encode(f"v1:{before_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        version, _, number = text.partition(":")
        value = int(number)
        if version != "v1" or not 0 < value <= MAX_LEAD_ID or not number.isdigit():
            raise ValueError
        return value
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            400, "invalid_cursor", "The cursor is not one this server gave out; start from the first page."
        ) from None


def _clean_text(name: str, value: str | None, limit: int = 200) -> str | None:
    if value is None or value == "":
        return None
    if len(value) > limit or "\x00" in value:
        raise ApiError(400, "invalid_parameter", f"'{name}' must be text of at most {limit} characters.")
    return value


def _parse_if_match(value: str | None) -> int:
    if value is None:
        raise ApiError(
            428,
            "precondition_required",
            "Send If-Match with the lead's version (its ETag) so a concurrent edit is not overwritten.",
        )
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 9:
        raise ApiError(400, "invalid_if_match", 'If-Match must be the lead\'s version, e.g. "3".')
    return int(text)


# -- request bodies ------------------------------------------------------------------------


class LeadEdit(BaseModel):
    """What a member may change on a lead; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["new", "contacted", "qualified", "won", "lost"] | None = None
    notes: str | None = None
    assignee: str | None = None
    read: bool | None = None


# -- the whole app -------------------------------------------------------------------------


class InboxServerApp:
    """The ASGI app: the webhook path served directly, API bodies capped, the rest to FastAPI."""

    def __init__(self, webhook: WebhookReceiver, api: FastAPI) -> None:
        self.webhook = webhook
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if scope["method"] == "POST" and scope["path"].startswith(WEBHOOK_PREFIX):
                return await self.webhook(scope, receive, send)
            headers = _request_headers(scope)
            declared = headers.get("content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > API_MAX_BODY):
                return await _reply(
                    send, 413, _error_body("payload_too_large", f"Request bodies are limited to {API_MAX_BODY} bytes.")
                )
            if scope["method"] in ("POST", "PUT", "PATCH") and (declared is None or int(declared) > 0):
                # Read it here, capped (a chunked body has no length to check first), and hand it on whole.
                try:
                    body = await read_body(receive, API_MAX_BODY)
                except ClientGoneError:
                    return
                if body is None:
                    return await _reply(
                        send,
                        413,
                        _error_body("payload_too_large", f"Request bodies are limited to {API_MAX_BODY} bytes."),
                    )
                receive = replay_body(body, receive)
        await self.api(scope, receive, send)


def create_app(
    storage: InboxStorage,
    hub: ChangeHub | None = None,
    settings: ServerSettings | None = None,
    counters: WebhookCounters | None = None,
) -> InboxServerApp:
    """The server's ASGI app over an opened ``storage``. ``hub`` wakes the streams (one per process)."""
    settings = settings or ServerSettings()
    counters = counters or WebhookCounters()
    hub = hub or ChangeHub()
    per_token = RateLimiter(settings.token_rate, settings.token_burst)
    per_ip = RateLimiter(settings.ip_rate, settings.ip_burst)

    api = FastAPI(
        title="Codaiq inbox server",
        version="1",
        description="The shared lead inbox of an agency. Every /api/v1 call needs `Authorization: Bearer <token>`; "
        "the agency is the token's.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )

    @api.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.headers, exc.extra)

    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', 'invalid')}"
            for error in exc.errors()[:5]
        )
        return _error(422, "invalid_request", f"The request is not valid ({problems}).")

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed"}
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail), exc.headers)

    def client_ip(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    async def member(
        request: Request, authorization: Annotated[str | None, Header(description="Bearer <token>")] = None
    ) -> Member:
        ip = client_ip(request)
        if not per_ip.allow(ip):
            raise ApiError(
                429,
                "rate_limited",
                "Too many requests from this address; slow down.",
                {"Retry-After": str(max(1, round(per_ip.retry_after(ip))))},
            )
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 200:
            raise ApiError(
                401,
                "unauthorized",
                "Send Authorization: Bearer <token> with a member token.",
                {"WWW-Authenticate": "Bearer"},
            )
        key = token_hash(token)
        if not per_token.allow(key):
            raise ApiError(
                429,
                "rate_limited",
                "Too many requests with this token; slow down.",
                {"Retry-After": str(max(1, round(per_token.retry_after(key))))},
            )
        try:
            found = await storage.authenticate(token)
        except UnicodeError:
            found = None
        if found is None:
            raise ApiError(
                401, "unauthorized", "This token is not valid (unknown or revoked).", {"WWW-Authenticate": "Bearer"}
            )
        return found

    Authenticated = Annotated[Member, Depends(member)]  # noqa: N806 - type aliases
    LeadId = Annotated[int, Path(ge=1, le=MAX_LEAD_ID, description="The lead's id")]  # noqa: N806

    @api.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/readyz", summary="Readiness: the database answers and its schema is current")
    async def readyz() -> JSONResponse:
        ok, detail = await storage.ready()
        return JSONResponse(
            {"status": "ready" if ok else "not_ready", "detail": detail, "engine": storage.engine}, 200 if ok else 503
        )

    @api.get("/api/v1/leads", summary="A page of the agency's leads, newest first")
    async def list_leads(
        who: Authenticated,
        q: Annotated[str | None, Query(max_length=500, description="Words, each matched as a prefix")] = None,
        status: Annotated[Literal["new", "contacted", "qualified", "won", "lost"] | None, Query()] = None,
        website: Annotated[str | None, Query(max_length=200)] = None,
        assignee: Annotated[str | None, Query(max_length=200)] = None,
        unread: Annotated[bool | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Query(max_length=100)] = None,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (after the cursor, if any)")] = 0,
    ) -> dict[str, Any]:
        wanted = _clean_text("assignee", assignee)
        query = LeadQuery(
            text=_clean_text("q", q, 500),
            status=status,
            website_id=_clean_text("website", website),
            assignee=who.id if wanted == ASSIGNEE_ME else None if wanted == ASSIGNEE_NONE else wanted,
            unassigned=wanted == ASSIGNEE_NONE,
            unread=unread,
            limit=limit,
            before_id=decode_cursor(cursor),
            offset=offset,
            reader=who.id,
        )
        page = await storage.list_leads(who.agency_id, query)
        return {
            "leads": await _as_read_by(storage, who, page.leads),
            "next": encode_cursor(page.next_before_id),
            "total": page.total_label,
        }

    @api.get("/api/v1/leads/{lead_id}", summary="One lead")
    async def get_lead(who: Authenticated, lead_id: LeadId) -> JSONResponse:
        lead = await storage.get_lead(who.agency_id, lead_id)
        if lead is None:
            raise ApiError(404, "not_found", f"No lead {lead_id} in your agency.")
        (shown,) = await _as_read_by(storage, who, [lead])
        return JSONResponse(shown, headers={"ETag": f'"{lead.version}"'})

    @api.patch("/api/v1/leads/{lead_id}", summary="Change status, notes, assignee or read, if still at If-Match")
    async def patch_lead(
        who: Authenticated,
        lead_id: LeadId,
        edit: LeadEdit,
        if_match: Annotated[str | None, Header(description="The lead's version, as its ETag gave it")] = None,
    ) -> JSONResponse:
        changes = {name: getattr(edit, name) for name in edit.model_fields_set}
        for name in ("status", "read", "notes"):
            if name in changes and changes[name] is None:
                raise ApiError(400, "invalid_edit", f"'{name}' cannot be null.")
        # Read is the caller's own mark: it changes no version and needs no If-Match on its own.
        read = changes.pop("read", None)
        if not changes and read is None:
            raise ApiError(
                400, "invalid_edit", "Nothing to change: give at least one of status, notes, assignee, read."
            )
        try:
            if changes:
                lead = await storage.update_lead(who.agency_id, lead_id, who.id, _parse_if_match(if_match), changes)
            if read is not None:
                lead = await storage.set_read(who.agency_id, lead_id, who.id, read)
        except LeadNotFoundError:
            raise ApiError(404, "not_found", f"No lead {lead_id} in your agency.") from None
        except InvalidEditError as exc:
            raise ApiError(400, "invalid_edit", str(exc)) from None
        except VersionConflictError as exc:
            (current,) = await _as_read_by(storage, who, [exc.current])
            raise ApiError(
                412,
                "version_conflict",
                str(exc),
                {"ETag": f'"{exc.current.version}"'},
                {"currentVersion": exc.current.version, "lead": current},
            ) from None
        (shown,) = await _as_read_by(storage, who, [lead])
        return JSONResponse(shown, headers={"ETag": f'"{lead.version}"'})

    @api.get("/api/v1/leads/{lead_id}/history", summary="Every change members made to a lead: who, when, what")
    async def lead_history(who: Authenticated, lead_id: LeadId) -> dict[str, Any]:
        try:
            history = await storage.lead_history(who.agency_id, lead_id)
        except LeadNotFoundError:
            raise ApiError(404, "not_found", f"No lead {lead_id} in your agency.") from None
        return {"history": [entry.to_json() for entry in history]}

    @api.get("/api/v1/leads/{lead_id}/events", summary="The webhook events that fed a lead, oldest first")
    async def lead_events(who: Authenticated, lead_id: LeadId) -> dict[str, Any]:
        try:
            events = await storage.lead_events(who.agency_id, lead_id)
        except LeadNotFoundError:
            raise ApiError(404, "not_found", f"No lead {lead_id} in your agency.") from None
        return {"events": [event.to_json() for event in events]}

    @api.get("/api/v1/events", summary="The agency's stored webhook events, newest first")
    async def list_events(
        who: Authenticated,
        type: Annotated[str | None, Query(max_length=200)] = None,
        website: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Query(max_length=100)] = None,
    ) -> dict[str, Any]:
        page = await storage.list_events(
            who.agency_id, _clean_text("type", type), _clean_text("website", website), limit, decode_cursor(cursor)
        )
        return {"events": [event.to_json() for event in page.events], "next": encode_cursor(page.next_before_id)}

    @api.get("/api/v1/members", summary="The agency's members")
    async def list_members(who: Authenticated) -> dict[str, Any]:
        return {"members": [m.to_json() for m in await storage.list_members(who.agency_id)]}

    @api.get("/api/v1/stats", summary="Lead counts per website and status")
    async def stats(who: Authenticated) -> dict[str, Any]:
        return await storage.stats(who.agency_id)

    @api.get("/api/v1/me", summary="Who this token belongs to")
    async def me(who: Authenticated) -> dict[str, Any]:
        agency = await storage.get_agency(who.agency_id)
        # streamHead: the stream's current sequence number, so a desktop that reads its first page
        # now can follow every change after it (Last-Event-ID) without a gap in between.
        return {
            "member": who.to_json(),
            "agency": {"id": who.agency_id, "name": agency.name if agency else None},
            "streamHead": await storage.head_seq(who.agency_id),
        }

    @api.get(
        "/api/v1/stream",
        summary="Server-sent events: every change in the agency, resumable with Last-Event-ID",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def stream(
        who: Authenticated, last_event_id: Annotated[str | None, Header(max_length=20)] = None
    ) -> StreamingResponse:
        if last_event_id is not None and last_event_id.strip():
            text = last_event_id.strip()
            if not text.isdigit() or len(text) > 18:
                raise ApiError(
                    400, "invalid_last_event_id", "Last-Event-ID must be a sequence number this stream sent."
                )
            start = int(text)
        else:
            start = await storage.head_seq(who.agency_id)
        return StreamingResponse(
            _changes(storage, hub, who, start),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    api.state.counters = counters
    return InboxServerApp(WebhookReceiver(storage, settings, counters), api)


async def _as_read_by(storage: InboxStorage, who: Member, leads: list[InboxLead]) -> list[dict[str, Any]]:
    """The leads as the API shows them to ``who``: ``read`` is that member's own mark."""
    marks = await storage.read_marks(who.agency_id, who.id, [lead.id for lead in leads])
    return [{**lead.to_json(), "read": lead.id in marks} for lead in leads]


async def _changes(storage: InboxStorage, hub: ChangeHub, who: Member, after: int) -> AsyncIterator[bytes]:
    """The stream's body: every change after ``after`` in order, then each new one as it commits.

    ``read`` in each lead is the streaming member's own mark as it is now; a colleague's
    read mark is theirs alone and is not sent (its sequence number is simply passed over).
    """
    yield b"retry: 1000\n\n"
    last = after
    quiet_since = time.monotonic()
    while True:
        changes = await storage.changes_since(who.agency_id, last, 200)
        shown = [c for c in changes if c.kind != "lead.read" or c.member_id == who.id]
        marks = await storage.read_marks(who.agency_id, who.id, [c.lead_id for c in shown]) if shown else set()
        for change in changes:
            last = change.seq
            if change.kind == "lead.read" and change.member_id != who.id:
                continue
            message = change.to_json()
            message["lead"] = {**message["lead"], "read": change.lead_id in marks}
            data = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
            yield f"id: {change.seq}\nevent: {change.kind}\ndata: {data}\n\n".encode()
        if changes:
            quiet_since = time.monotonic()
            if len(changes) == 200:
                continue
        await hub.wait(who.agency_id, last, STREAM_POLL_SECONDS)
        if time.monotonic() - quiet_since >= STREAM_HEARTBEAT_SECONDS:
            quiet_since = time.monotonic()
            # A revoked member's stream ends at the next heartbeat.
            members = await storage.list_members(who.agency_id)
            if not any(m.id == who.id and m.active for m in members):
                return
            yield b": keep-alive\n\n"
