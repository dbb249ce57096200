"""The async client of a team inbox server's API (``codaiq-desktop serve``).

One :class:`TeamClient` holds one pooled ``httpx.AsyncClient``. Failures become the typed
errors of :mod:`codaiq_desktop.team.errors`, worded for the user; the member token goes
out in the ``Authorization`` header only (added by an ``httpx.Auth`` as the request leaves)
and is never in a message, a repr or a log line. No Qt here: the desktop runs it on its
loop, the team store on its own I/O thread, tests on plain asyncio.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Generator, Mapping
from types import TracebackType
from typing import Any, Final, Self

import httpx

from codaiq_desktop.tls import ssl_context

from codaiq_desktop import __version__
from codaiq_desktop.store.models import ASSIGNEE_ME, ASSIGNEE_NONE, LeadFilter, StoredEvent

from .errors import EditConflict, LeadGoneError, TeamAuthError, TeamServerError, TeamUnreachable
from .invite import TeamServer
from .models import (
    CappedCount,
    ReceiverInfo,
    TeamChange,
    TeamHistoryEntry,
    TeamLead,
    TeamLeadPage,
    TeamMember,
    event_from_json,
    lead_from_json,
)

__all__ = ["DEFAULT_TIMEOUT", "MAX_PAGE", "TeamClient", "answers_as_inbox_server", "filter_params"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT: Final = 10.0
MAX_PAGE: Final = 500
"""The server's largest page of leads or events."""
USER_AGENT: Final = f"codaiq-desktop/{__version__} team"
_UNAVAILABLE = (502, 503, 504)


class _BearerAuth(httpx.Auth):
    """Adds the member token as the request goes out, so it lives in no header dict of ours."""

    def __init__(self, server: TeamServer) -> None:
        self._server = server

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._server.token}"
        yield request

    def __repr__(self) -> str:
        return "_BearerAuth(<hidden>)"


def filter_params(lead_filter: LeadFilter) -> dict[str, str]:
    """``LeadFilter`` as the server's query parameters; ``ValueError`` for what the server cannot filter."""
    if lead_filter.since is not None or lead_filter.until is not None:
        raise ValueError("A team inbox cannot filter leads by date yet; clear the date filter.")
    params: dict[str, str] = {}
    if lead_filter.text and lead_filter.text.strip():
        params["q"] = lead_filter.text.strip()[:500]
    if lead_filter.status is not None:
        params["status"] = lead_filter.status
    if lead_filter.website_id is not None:
        params["website"] = lead_filter.website_id
    if lead_filter.assignee is not None:
        params["assignee"] = lead_filter.assignee
    if lead_filter.unread_only:
        params["unread"] = "true"
    return params


assert ASSIGNEE_ME == "me" and ASSIGNEE_NONE == "none", "the server's spelling of Mine and Unassigned"


class TeamClient:
    """Async client of one team inbox server; ``async with TeamClient(server) as client``.

    ``account`` labels the leads and events it returns (the desktop account they belong to).
    ``transport`` replaces the network layer (tests).
    """

    def __init__(
        self,
        server: TeamServer,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        account: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.server = server
        self.account = account
        self._timeout = timeout
        self._http = httpx.AsyncClient(
            verify=ssl_context(),
            base_url=server.url,
            auth=_BearerAuth(server),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"TeamClient({self.server.url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- plumbing --------------------------------------------------------------------------
    def _unreachable(self, exc: BaseException | None = None) -> TeamUnreachable:
        why = "it did not answer in time" if isinstance(exc, httpx.TimeoutException) else "it is not answering"
        return TeamUnreachable(
            f"The team inbox server at {self.server.url} cannot be reached ({why}). "
            "Check the network; the app keeps working from its copy and retries."
        )

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        try:
            response = await self._http.request(method, path, params=params, json=json_body, headers=headers)
        except httpx.TransportError as exc:  # connect, read, write, timeouts, protocol
            raise self._unreachable(exc) from None
        self._check(response)
        return response

    def _check(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        if status in (401, 403):
            raise TeamAuthError(
                f"The team inbox server at {self.server.url} refused this member token (revoked, or mistyped). "
                "Ask your admin for a new invite."
            )
        if status in _UNAVAILABLE:
            raise self._unreachable()
        code, message = _error_of(response)
        if status == 429:
            raise TeamServerError("The team inbox server asks to slow down; try again in a few seconds.", status, code)
        raise TeamServerError(
            f"The team inbox server answered {status}" + (f": {message}" if message else "."), status, code
        )

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise TeamServerError(
                "The team inbox server sent an answer that is not JSON; is this the right address?",
                response.status_code,
                "invalid_json",
            ) from None

    def _lead(self, document: dict[str, Any]) -> TeamLead:
        return lead_from_json(document, account=self.account)

    # -- who and where ---------------------------------------------------------------------
    async def me(self) -> tuple[TeamMember, str | None]:
        """The member this token belongs to and the agency's name; checks a connection before it is saved."""
        member, agency, _head = await self.whoami()
        return member, agency

    async def whoami(self) -> tuple[TeamMember, str | None, int]:
        """``me()`` plus the stream's current sequence number (to follow from without a gap)."""
        document = self._json(await self._request("GET", "/api/v1/me"))
        try:
            agency = (document.get("agency") or {}).get("name")
            return TeamMember.from_json(document["member"]), agency, int(document.get("streamHead") or 0)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise TeamServerError(
                "This address answers, but not as a Codaiq team inbox server.", 200, "not_inbox"
            ) from None

    async def members(self) -> list[TeamMember]:
        document = self._json(await self._request("GET", "/api/v1/members"))
        return [TeamMember.from_json(item) for item in document.get("members", [])]

    async def receiver_info(self) -> ReceiverInfo:
        """The agency's webhook URL (to put in the Codaiq project settings) and the server's readiness."""
        document = self._json(await self._request("GET", "/api/v1/me"))
        agency = document.get("agency") or {}
        agency_id = str(agency.get("id") or "")
        path = f"/webhooks/codaiq/{agency_id}"
        try:
            ready_answer = await self._http.get("/readyz")
            ready_doc = ready_answer.json()
            ready, detail = ready_answer.status_code == 200, str(ready_doc.get("detail") or "")
        except (httpx.TransportError, ValueError):
            ready, detail = False, "The server did not say whether it is ready."
        return ReceiverInfo(self.server.url + path, path, agency_id, agency.get("name"), ready, detail)

    async def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self._json(await self._request("GET", "/api/v1/stats"))
        return result

    # -- leads -------------------------------------------------------------------------------
    async def leads(
        self, lead_filter: LeadFilter | None = None, *, offset: int = 0, limit: int = 200, cursor: str | None = None
    ) -> TeamLeadPage:
        """A page of leads matching ``lead_filter``, newest first, from row ``offset`` (after ``cursor``)."""
        params: dict[str, Any] = filter_params(lead_filter or LeadFilter())
        params["limit"] = max(1, min(int(limit), MAX_PAGE))
        if offset:
            params["offset"] = int(offset)
        if cursor:
            params["cursor"] = cursor
        document = self._json(await self._request("GET", "/api/v1/leads", params=params))
        return TeamLeadPage(
            [self._lead(item) for item in document.get("leads", [])],
            document.get("next"),
            CappedCount.from_json(document.get("total", 0)),
        )

    async def lead(self, lead_id: int) -> TeamLead:
        response = await self._get_lead(lead_id)
        return self._lead(self._json(response))

    async def _get_lead(self, lead_id: int) -> httpx.Response:
        try:
            return await self._request("GET", f"/api/v1/leads/{int(lead_id)}")
        except TeamServerError as exc:
            if exc.status == 404:
                raise LeadGoneError(f"Lead {lead_id} is not in the team inbox (any more).") from None
            raise

    async def update_lead(self, lead_id: int, version: int | None, changes: Mapping[str, Any]) -> TeamLead:
        """Change a lead if it is still at ``version``; ``EditConflict`` (with the current lead) if not.

        ``changes`` uses the API's names: ``status``, ``notes``, ``assignee`` (a member id or
        ``None``), ``read``. ``version=None`` is allowed for ``read`` alone (a mark of my own).
        """
        body = dict(changes)
        headers = {"If-Match": f'"{int(version)}"'} if version is not None else {}
        try:
            response = await self._http.patch(f"/api/v1/leads/{int(lead_id)}", json=body, headers=headers)
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None
        if response.status_code in (409, 412):
            document = self._json(response)
            current = document.get("lead") if isinstance(document, dict) else None
            lead = self._lead(current) if isinstance(current, dict) else await self.lead(lead_id)
            raise EditConflict(int(lead_id), lead, body)
        if response.status_code == 404:
            raise LeadGoneError(f"Lead {lead_id} is not in the team inbox (any more).")
        self._check(response)
        return self._lead(self._json(response))

    async def history(self, lead_id: int) -> list[TeamHistoryEntry]:
        try:
            response = await self._request("GET", f"/api/v1/leads/{int(lead_id)}/history")
        except TeamServerError as exc:
            if exc.status == 404:
                raise LeadGoneError(f"Lead {lead_id} is not in the team inbox (any more).") from None
            raise
        return [TeamHistoryEntry.from_json(item) for item in self._json(response).get("history", [])]

    async def lead_events(self, lead_id: int) -> list[StoredEvent]:
        """The webhook events that fed a lead, oldest first."""
        try:
            response = await self._request("GET", f"/api/v1/leads/{int(lead_id)}/events")
        except TeamServerError as exc:
            if exc.status == 404:
                raise LeadGoneError(f"Lead {lead_id} is not in the team inbox (any more).") from None
            raise
        return [event_from_json(item, self.account) for item in self._json(response).get("events", [])]

    # -- events --------------------------------------------------------------------------------
    async def events(
        self, type: str | None = None, *, limit: int = 200, cursor: str | None = None
    ) -> tuple[list[StoredEvent], str | None]:
        """A page of the agency's stored webhook events, newest first, and the next page's cursor."""
        params: dict[str, Any] = {"limit": max(1, min(int(limit), MAX_PAGE))}
        if type:
            params["type"] = type
        if cursor:
            params["cursor"] = cursor
        document = self._json(await self._request("GET", "/api/v1/events", params=params))
        return [event_from_json(item, self.account) for item in document.get("events", [])], document.get("next")

    # -- the live stream ------------------------------------------------------------------------
    async def stream(
        self, last_event_id: int | None = None, on_open: Callable[[], object] | None = None
    ) -> AsyncIterator[TeamChange]:
        """Every change after ``last_event_id`` (``None``: from now on), as the server sends them.

        Runs until the connection ends: a dropped connection raises ``TeamUnreachable``
        (the follower reconnects with the last id it handled); the server closing the
        stream cleanly just ends the iteration.
        """
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(int(last_event_id))
        timeout = httpx.Timeout(self._timeout, connect=min(self._timeout, 5.0), read=45.0)
        try:
            async with self._http.stream("GET", "/api/v1/stream", headers=headers, timeout=timeout) as response:
                if response.status_code >= 400:
                    await response.aread()
                    self._check(response)
                if on_open is not None:
                    on_open()
                event_id: str | None = None
                data: list[str] = []
                async for line in response.aiter_lines():
                    if line == "":
                        if data and event_id is not None and event_id.isdigit():
                            yield TeamChange.from_json(int(event_id), json.loads("\n".join(data)), self.account)
                        event_id, data = None, []
                        continue
                    if line.startswith(":"):
                        continue
                    name, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if name == "id":
                        event_id = value
                    elif name == "data":
                        data.append(value)
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None


def _error_of(response: httpx.Response) -> tuple[str, str]:
    """The server's ``{"error": {"code", "message"}}``, cut short; empty when absent."""
    try:
        document = response.json()
        error = document.get("error") or {}
        return str(error.get("code") or ""), str(error.get("message") or "")[:300]
    except (ValueError, AttributeError):
        return "", ""


async def answers_as_inbox_server(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Whether ``url`` answers ``/readyz`` as an inbox server does (it names its storage engine).

    No token is sent: this tells an inbox server that refused a token from any other
    server that refuses an unknown bearer.
    """
    try:
        async with httpx.AsyncClient(verify=ssl_context(), timeout=timeout, follow_redirects=False) as http:
            answer = await http.get(url.rstrip("/") + "/readyz")
        document = answer.json()
    except (httpx.HTTPError, ValueError):
        return False
    return isinstance(document, dict) and "engine" in document
