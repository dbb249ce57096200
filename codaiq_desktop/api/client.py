"""The async client of the Codaiq REST API.

One :class:`CodaiqClient` holds one pooled ``httpx.AsyncClient``. Each endpoint
method sends a request, retries it when :mod:`~codaiq_desktop.api.retry` says
that is safe, maps failures to :mod:`~codaiq_desktop.api.errors`, and reads the
JSON into :mod:`~codaiq_desktop.api.models`. Nothing here imports Qt: the same
client serves the desktop app (on the qasync loop), the command line and plain
scripts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import errno
import logging
import os
import re
import secrets
import stat
import time
import urllib.parse
import zipfile
import zlib
from collections.abc import AsyncIterator, Callable, Generator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

import httpx

from codaiq_desktop import __version__
from codaiq_desktop.api import models
from codaiq_desktop.api.credentials import ApiKey
from codaiq_desktop.api.errors import (
    AuthenticationError,
    BuildTimeoutError,
    CodaiqError,
    ConflictError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from codaiq_desktop.api.retry import RetryPolicy, parse_retry_after
from codaiq_desktop.disks import mount_point

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, which does the same job
    fcntl = None  # type: ignore[assignment]

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "USER_AGENT", "CodaiqClient", "ProgressCallback"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://codaiq.com/api"
DEFAULT_TIMEOUT: Final = 30.0
USER_AGENT: Final = f"codaiq-desktop/{__version__} python-httpx/{httpx.__version__}"

ProgressCallback = Callable[[int, int | None], object]
RateLimitCallback = Callable[[models.RateLimitInfo], object]

# Indirections so tests can observe waits without slowing down; not public API.
_sleep = asyncio.sleep
_monotonic = time.monotonic

_CHUNK_SIZE: Final = 64 * 1024
_MAX_SERVER_TEXT: Final = 300


class _Replay(enum.Enum):
    """Whether a request may be sent again after a failure that left its fate unknown."""

    SAFE = "safe"  # GET, and PATCH /api/project with the same body
    UNSAFE = "unsafe"  # POST /api/generate, POST /api/leads/submit


class _ApiKeyAuth(httpx.Auth):
    """Adds ``X-API-Key`` as the request goes out, so the key lives in no header dict of ours."""

    def __init__(self, key: ApiKey) -> None:
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-API-Key"] = self._key.reveal()
        yield request

    def __repr__(self) -> str:
        return f"_ApiKeyAuth({self._key!r})"


class CodaiqClient:
    """Async client of the Codaiq REST API; use it as ``async with CodaiqClient(...) as client``.

    ``base_url`` ends in ``/api`` (``https://codaiq.com/api`` or a sandbox's
    ``http://127.0.0.1:PORT/api``). ``timeout`` is in seconds (or an
    ``httpx.Timeout``) and applies to connecting and to each read; ``None``
    turns it off, which is rarely wise. ``retry`` decides which failures are
    retried (see :mod:`codaiq_desktop.api.retry`). ``transport`` replaces the
    network layer (an ``httpx.AsyncBaseTransport``, e.g. for proxies or tests).
    ``on_rate_limit`` is called with a :class:`models.RateLimitInfo` whenever a
    response carries ``X-RateLimit-*`` headers, so a UI can show the quota.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | ApiKey,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        transport: httpx.AsyncBaseTransport | None = None,
        on_rate_limit: RateLimitCallback | None = None,
    ) -> None:
        self._base_url = _normalise_base_url(base_url)
        self._key = ApiKey(api_key)
        if not isinstance(retry, RetryPolicy):
            raise TypeError("retry must be a RetryPolicy")
        self._retry = retry
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._on_rate_limit = on_rate_limit
        self._rate_limit: models.RateLimitInfo | None = None
        self._generated: dict[str, str] = {}
        """Project id -> website id, from this client's ``generate`` results (context for
        a service that lists websites without ids)."""
        self._http = httpx.AsyncClient(
            base_url=self._base_url,
            auth=_ApiKeyAuth(self._key),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=self._timeout,
            transport=transport,
            follow_redirects=False,  # a redirect would resend the key to wherever it points
        )

    # --- lifecycle -------------------------------------------------------------

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close pooled connections. The client cannot be used afterwards."""
        await self._http.aclose()

    @property
    def closed(self) -> bool:
        return self._http.is_closed

    def __repr__(self) -> str:
        return f"CodaiqClient(base_url={self._base_url!r}, api_key={self._key!r})"

    # --- state -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def api_key(self) -> ApiKey:
        """The key, wrapped (masked in every printed form)."""
        return self._key

    @property
    def rate_limit(self) -> models.RateLimitInfo | None:
        """The quota from the last response that carried ``X-RateLimit-*`` headers."""
        return self._rate_limit

    # --- endpoints ---------------------------------------------------------------

    async def generate(self, prompt: str, name: str | None = None) -> models.GenerateResult:
        """Start generating a website from ``prompt`` (``POST /api/generate``).

        Never retried once the request may have reached the server: a repeat
        would create a second website. Poll with :meth:`wait_for_build`.
        """
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValidationError("Enter a prompt that describes the website to generate.")
        body: dict[str, Any] = {"prompt": prompt}
        if name is not None and name.strip():
            body["name"] = name.strip()
        response = await self._send("POST", "/generate", json=body, replay=_Replay.UNSAFE)
        result = models.GenerateResult.from_json(self._json(response))
        self._generated[result.project_id] = result.website_id
        return result

    async def list_projects(self) -> list[models.Project]:
        """All projects of the key's account, each with its websites (``GET /api/project``).

        The docs do not show this form, so every shape a service might send is read: a
        bare list (of projects, or of websites), ``{"projects": [...]}``,
        ``{"project": {...}, "websites": [...]}`` and ``{"websites": [...]}``. Websites
        listed without their project are grouped by ``projectId`` when they carry one,
        else into one project whose ``id`` is ``None``. Any other shape is an
        ``InvalidResponseError`` naming what arrived.
        """
        response = await self._send("GET", "/project")
        return _read_project_list(self._json(response))

    async def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """One ``GET`` under the base URL, its JSON exactly as the service sent it.

        For diagnostics that must see the raw fields (``service_check``); the endpoint
        methods above are the typed way to use the API.
        """
        if not path.startswith("/") or path.startswith("//"):
            raise ValueError("The path is relative to the base URL and starts with one '/', like /project.")
        response = await self._send("GET", path, params=params)
        return self._json(response)

    async def get_project(self, project_id: str) -> models.Project:
        """One project with its websites (``GET /api/project?projectId=``).

        Documented: a top-level ``websites`` list, each with ``metadata.buildStatus``;
        the ``project`` object and website ids are not promised. A website without an
        id keeps ``id=None`` unless the id is known from context: the only website of a
        project this client generated gets the ``websiteId`` that ``generate`` returned.
        """
        _require_id(project_id, "project")
        response = await self._send("GET", "/project", params={"projectId": project_id})
        data = self._json(response)
        if isinstance(data, list):  # a bare list of websites
            data = {"websites": data}
        if not isinstance(data, dict):
            raise InvalidResponseError("The server's project is not a JSON object.")
        project_obj = data.get("project")
        if not isinstance(project_obj, dict):
            project_obj = {"id": project_id}
        websites = data.get("websites")
        project = models.Project.from_json(project_obj, websites=websites, project_id=project_id)
        known = self._generated.get(project_id)
        if known is not None and len(project.websites) == 1 and project.websites[0].id is None:
            project = dataclasses.replace(project, websites=(dataclasses.replace(project.websites[0], id=known),))
        return project

    async def get_website(self, project_id: str, website_id: str, *, domain: str | None = None) -> models.Website:
        """One website of a project (read from ``GET /api/project``).

        Matched by id when the service sends ids. When it does not, the project's only
        website is the one meant (the usual case after ``generate``), or the one whose
        domain is ``domain``; the website returned carries ``website_id`` either way.
        ``InvalidResponseError`` when the service's answer cannot tell which website is
        meant; ``NotFoundError`` when ids are sent and none matches.
        """
        _require_id(website_id, "website")
        project = await self.get_project(project_id)
        return _pick_website(project, project_id, website_id, domain)

    async def update_website(
        self,
        project_id: str,
        website_id: str,
        name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        domain: str | None = None,
    ) -> models.Website:
        """Rename a website and/or merge ``metadata`` into it (``PATCH /api/project``).

        Metadata merges key by key on the server; a key set to ``None`` is
        removed. Retried like a ``GET``: the same body gives the same result.
        The response is not documented: when it carries no website, the website
        is read back (``domain`` helps find it when the service sends no ids).
        """
        _require_id(project_id, "project")
        _require_id(website_id, "website")
        if name is None and metadata is None:
            raise ValueError("Nothing to update: give a name, metadata, or both.")
        body: dict[str, Any] = {"projectId": project_id, "websiteId": website_id}
        if name is not None:
            if not name.strip():
                raise ValidationError("A website name cannot be empty.")
            body["name"] = name
        if metadata is not None:
            body["metadata"] = dict(metadata)
        response = await self._send("PATCH", "/project", json=body)
        data = self._json(response) if response.content else {}
        site = data.get("website") if isinstance(data, dict) else None
        if isinstance(site, dict):
            return models.Website.from_json(site, project_id=project_id, website_id=website_id)
        if isinstance(data, dict) and data.get("id") == website_id:
            return models.Website.from_json(data, project_id=project_id)
        # The response shape is undocumented; when it says nothing useful, read the site back.
        return await self.get_website(project_id, website_id, domain=domain)

    async def submit_lead(
        self,
        website_id: str,
        name: str,
        email: str,
        phone: str | None = None,
        message: str | None = None,
    ) -> models.LeadReceipt:
        """Record a lead against a website (``POST /api/leads/submit``).

        Never retried once the request may have reached the server: a repeat
        would record the lead twice and fire its webhooks twice.
        """
        _require_id(website_id, "website")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("Enter the lead's name.")
        if not isinstance(email, str) or not _looks_like_email(email):
            raise ValidationError("Enter the lead's email address (like jane@example.com).")
        body: dict[str, Any] = {"websiteId": website_id, "name": name.strip(), "email": email.strip()}
        if phone:
            body["phone"] = phone
        if message:
            body["message"] = message
        response = await self._send("POST", "/leads/submit", json=body, replay=_Replay.UNSAFE)
        data = self._json(response) if response.content else {}
        return models.LeadReceipt.from_json(data, website_id=website_id)

    async def analytics(
        self,
        website_id: str,
        range: str = "7d",
        end: datetime | None = None,
    ) -> models.Analytics:
        """Traffic for a website over ``range`` (``24h``, ``7d``, ``30d``, ``90d``).

        ``end`` (sandbox extension) asks for the window ``[end - range, end)``;
        a naive datetime is taken as UTC. Check ``Analytics.end``: a server that
        ignores it returns the current window and no ``end``.
        """
        _require_id(website_id, "website")
        if not isinstance(range, str) or not range.strip():
            raise ValidationError("Choose an analytics range such as 24h, 7d, 30d or 90d.")
        params = {"websiteId": website_id, "range": range}
        if end is not None:
            params["end"] = _iso_utc(end)
        response = await self._send("GET", "/analytics", params=params)
        return models.Analytics.from_json(self._json(response), website_id=website_id, range=range)

    async def export_website(
        self,
        project_id: str,
        website_id: str,
        dest: str | os.PathLike[str],
        progress: ProgressCallback | None = None,
    ) -> Path:
        """Download a website's code as a ZIP to ``dest``; return the path written.

        ``dest`` is a file path, or an existing directory to save under the
        server's filename. The body streams to a hidden temporary file next to
        the destination; ``progress(bytes_done, total)`` is called as bytes
        arrive (``total`` is ``None`` when the server does not say). The ZIP is
        opened and CRC-tested, then renamed over ``dest`` atomically. On any
        failure or cancellation nothing is written at ``dest`` (an existing file
        there is left as it was) and the temporary file is removed. A temporary
        file that a killed process left behind is removed by the next export to
        the same folder.

        Raises ``ConflictError`` while the site is not built yet,
        ``InvalidResponseError`` for a body that is not a sound ZIP,
        ``NetworkError`` when the download breaks off, ``OSError`` when the
        file cannot be written.
        """
        _require_id(project_id, "project")
        _require_id(website_id, "website")
        dest_path = Path(dest).expanduser()
        params = {"projectId": project_id, "websiteId": website_id}
        headers = {"Accept": "application/zip, application/json;q=0.5", "Accept-Encoding": "identity"}
        response = await self._send("GET", "/export", params=params, headers=headers, stream=True)
        try:
            target = dest_path
            if dest_path.is_dir():
                target = dest_path / _export_filename(response, website_id)
            total = _content_length(response)
            return await self._stream_to_file(response, target, total, progress)
        finally:
            await response.aclose()

    async def wait_for_build(
        self,
        project_id: str,
        website_id: str,
        interval: float = 1.0,
        max_interval: float = 8.0,
        timeout: float | None = None,
    ) -> AsyncIterator[models.BuildUpdate]:
        """Poll a website's build; yield a :class:`models.BuildUpdate` each time it changes.

        The first poll always yields. Polling starts every ``interval`` seconds
        and slows by half each unchanged poll up to ``max_interval``; a change
        resets it. Ends after yielding ``ready`` or ``failed``. A rate limit is
        sat out (``Retry-After``) rather than raised. Cancel the consuming task
        (or ``break``) to stop early; ``timeout`` raises ``BuildTimeoutError``.
        """
        _require_id(project_id, "project")
        _require_id(website_id, "website")
        if interval <= 0 or max_interval < interval:
            raise ValueError("interval must be positive and max_interval at least interval")
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be positive (or None to wait as long as it takes)")
        deadline = None if timeout is None else _monotonic() + timeout
        last: models.BuildUpdate | None = None
        delay = interval
        while True:
            try:
                website = await self.get_website(project_id, website_id)
            except RateLimitError as exc:
                wait = exc.retry_after if exc.retry_after is not None else delay
                logger.info("Build poll rate limited; waiting %.1f s", wait)
                await self._sleep_within(wait, deadline, timeout, last)
                continue
            update = models.BuildUpdate.from_website(website)
            if update != last:
                last = update
                delay = interval
                yield update
                if update.is_terminal:
                    return
            else:
                delay = min(max_interval, delay * 1.5)
            await self._sleep_within(delay, deadline, timeout, last)

    # --- transport --------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
        replay: _Replay = _Replay.SAFE,
        stream: bool = False,
    ) -> httpx.Response:
        """Send a request, retrying per the policy; return a 2xx response or raise a CodaiqError."""
        started = _monotonic()
        retries = 0
        label = f"{method} {path}"
        while True:
            request = self._http.build_request(method, path, params=params, json=json, headers=headers)
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                network_error = self._network_error(exc, replay)
                delay = self._retry.backoff(retries + 1) if _may_replay(exc, replay) else None
                if delay is not None and self._may_retry(retries, started, delay):
                    retries += 1
                    logger.info("%s failed (%s); retry %d in %.2f s", label, type(exc).__name__, retries, delay)
                    await _sleep(delay)
                    continue
                raise network_error from exc
            self._observe_rate_limit(response)
            logger.debug("%s -> %d", label, response.status_code)
            if response.is_success:
                return response
            if stream:
                try:
                    await response.aread()
                except httpx.HTTPError:
                    pass  # the status alone will do
                finally:
                    await response.aclose()
            error = self._status_error(response)
            delay = self._status_retry_delay(error, response, replay, retries + 1)
            if delay is not None and self._may_retry(retries, started, delay):
                retries += 1
                logger.info("%s got HTTP %d; retry %d in %.2f s", label, response.status_code, retries, delay)
                await _sleep(delay)
                continue
            raise error

    def _may_retry(self, retries_done: int, started: float, delay: float) -> bool:
        if retries_done >= self._retry.max_retries:
            return False
        total = self._retry.total_time
        return total is None or (_monotonic() - started) + delay <= total

    def _status_retry_delay(
        self, error: CodaiqError, response: httpx.Response, replay: _Replay, retry_number: int
    ) -> float | None:
        status = response.status_code
        if isinstance(error, RateLimitError):
            # The server refused before acting: safe to repeat even a POST.
            if error.retry_after is None:
                return self._retry.backoff(retry_number)
            return error.retry_after if error.retry_after <= self._retry.max_retry_after else None
        if replay is _Replay.SAFE and status in self._retry.retry_statuses:
            asked = parse_retry_after(response.headers.get("retry-after"))
            if asked is not None:
                return asked if asked <= self._retry.max_retry_after else None
            return self._retry.backoff(retry_number)
        return None

    def _observe_rate_limit(self, response: httpx.Response) -> None:
        info = models.RateLimitInfo.from_headers(response.headers)
        if info is None:
            return
        self._rate_limit = info
        if self._on_rate_limit is not None:
            try:
                self._on_rate_limit(info)
            except Exception:  # a display callback must not break the request
                logger.exception("on_rate_limit callback failed")

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("content-type", "").split(";")[0].strip() or "a non-JSON body"
            raise InvalidResponseError(
                f"The server at {self._origin()} sent {kind} where JSON was expected "
                f"(HTTP {response.status_code}); check that the base URL points at the Codaiq API "
                "(it ends in /api).",
                response.status_code,
                response=response,
            ) from None

    # --- error mapping ------------------------------------------------------------

    def _status_error(self, response: httpx.Response) -> CodaiqError:
        status = response.status_code
        code, server_message, is_api_error = _error_details(response)
        if server_message is not None:
            server_message = self._scrub(server_message)
        detail = f": {server_message}" if server_message else ""
        kwargs: dict[str, Any] = {"server_message": server_message, "response": response}
        if status == 401:
            return AuthenticationError(
                f"The Codaiq API did not accept the API key{detail}. "
                "Check the key (Account Settings lists yours) or choose another.",
                status,
                code,
                **kwargs,
            )
        if status == 403:
            return PermissionDeniedError(
                f"This API key may not do that{detail}. Use a key of the account that owns the project.",
                status,
                code,
                **kwargs,
            )
        if status == 404:
            hint = "Check the project and website IDs."
            if not is_api_error:
                hint += f" If they are right, check that the base URL ({self._base_url}) ends in /api."
            return NotFoundError(f"Not found{detail}. {hint}", status, code, **kwargs)
        if status == 413:
            return ValidationError(
                f"The request is too large for the Codaiq API{detail}. Shorten the text and try again.",
                status,
                code,
                **kwargs,
            )
        if status in (400, 422):
            what = detail[2:] if detail else f"the input is invalid (HTTP {status})"
            return ValidationError(f"The Codaiq API rejected the request: {what}.", status, code, **kwargs)
        if status == 409:
            what = detail[2:] if detail else "it conflicts with the website's current state"
            return ConflictError(
                f"The Codaiq API refused: {what}. Wait for the website's build to finish, then try again.",
                status,
                code,
                **kwargs,
            )
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            when = f"retry in {_human_seconds(retry_after)}" if retry_after is not None else "retry later"
            # The server's own text usually names the wait too ("retry in 600 s"): joined
            # with ours it would say it twice. Ours is the one in user words; the server's
            # stays on ``server_message`` and ``code``.
            return RateLimitError(
                f"The Codaiq API rate limit was reached; {when}.",
                status,
                code,
                retry_after=retry_after,
                **kwargs,
            )
        if status >= 500:
            return ServerError(
                f"The Codaiq service failed (HTTP {status}{detail}). This is usually temporary: try again in a moment.",
                status,
                code,
                **kwargs,
            )
        return CodaiqError(f"The Codaiq API answered HTTP {status}{detail}.", status, code, **kwargs)

    def _network_error(self, exc: httpx.TransportError, replay: _Replay) -> NetworkError:
        origin = self._origin()
        reason = self._scrub(str(exc).strip() or type(exc).__name__)
        caveat = ""
        if replay is _Replay.UNSAFE:
            caveat = " The request may still have been carried out: check before sending it again."
        if isinstance(exc, httpx.ConnectTimeout):
            return NetworkError(
                f"Timed out connecting to the Codaiq API at {origin}. "
                "Check your network connection and the base URL, then try again.",
                request_sent=False,
            )
        if isinstance(exc, httpx.ConnectError):
            return NetworkError(
                f"Could not connect to the Codaiq API at {origin} ({reason}). "
                "Check your network connection and the base URL, then try again.",
                request_sent=False,
            )
        if isinstance(exc, httpx.PoolTimeout):
            return NetworkError(
                "Too many requests were already waiting for a connection; try again in a moment.",
                request_sent=False,
            )
        if isinstance(exc, httpx.TimeoutException):
            seconds = self._timeout.read
            within = f" within {_human_seconds(seconds)}" if seconds is not None else ""
            return NetworkError(f"The Codaiq API at {origin} did not answer{within}. Try again in a moment.{caveat}")
        if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
            return NetworkError(
                f"The connection to the Codaiq API at {origin} broke off ({reason}). Try again.{caveat}"
            )
        return NetworkError(f"Could not send the request to {origin} ({reason}).", request_sent=False)

    def _scrub(self, text: str) -> str:
        """Mask the key if a server (or a lower layer) echoed it into text we pass on."""
        secret = self._key.reveal()
        return text.replace(secret, self._key.masked) if secret in text else text

    def _origin(self) -> str:
        url = httpx.URL(self._base_url)
        return f"{url.scheme}://{url.netloc.decode('ascii')}"

    # --- export helpers ---------------------------------------------------------------

    async def _stream_to_file(
        self,
        response: httpx.Response,
        target: Path,
        total: int | None,
        progress: ProgressCallback | None,
    ) -> Path:
        _remove_stale_temps(target.parent)
        temp_path, fd = _create_temp_beside(target)
        fd_open = True
        verify: asyncio.Future[None] | None = None
        try:
            if progress is not None:
                progress(0, total)
            try:
                async for chunk in response.aiter_bytes(_CHUNK_SIZE):
                    _write_all(fd, chunk, target)
                    if progress is not None:
                        progress(response.num_bytes_downloaded, total)
            except httpx.TransportError as exc:
                done = response.num_bytes_downloaded
                of = f" of {total:,}" if total is not None else ""
                raise NetworkError(
                    f"The export download broke off after {done:,}{of} bytes "
                    f"({self._scrub(str(exc) or type(exc).__name__)}); nothing was saved. Try again.",
                ) from exc
            if total is not None and response.num_bytes_downloaded < total:
                raise NetworkError(
                    f"The export download ended after {response.num_bytes_downloaded:,} of {total:,} "
                    "bytes; nothing was saved. Try again."
                )
            if fcntl is None:  # Windows: a file still open here could not be renamed
                os.close(fd)
                fd_open = False
            content_type = response.headers.get("content-type", "").split(";")[0].strip()
            verify = asyncio.ensure_future(asyncio.to_thread(_verify_zip, temp_path, content_type))
            try:
                await asyncio.shield(verify)
            except asyncio.CancelledError:
                # The check runs on in its thread; remove the file once it lets go of it.
                verify.add_done_callback(lambda _: _unlink_quietly(temp_path))
                raise
            os.replace(temp_path, target)
        except BaseException:
            if fd_open:
                os.close(fd)
                fd_open = False
            _unlink_quietly(temp_path)
            raise
        finally:
            if fd_open:  # held to the end: the lock tells other exports this file is in use
                os.close(fd)
        logger.info("Exported website to %s", target)
        return target

    async def _sleep_within(
        self,
        delay: float,
        deadline: float | None,
        timeout: float | None,
        last: models.BuildUpdate | None,
    ) -> None:
        if deadline is not None:
            remaining = deadline - _monotonic()
            if remaining <= 0:
                state = "no status yet"
                if last is not None:
                    state = f"last status {last.status!r}"
                    if last.progress is not None:
                        state += f" at {last.progress}%"
                raise BuildTimeoutError(
                    f"The website's build did not finish within {_human_seconds(timeout or 0)} "
                    f"({state}). It may still finish: check again later."
                )
            delay = min(delay, remaining)
        await _sleep(delay)


# --- module helpers -------------------------------------------------------------------


def _normalise_base_url(base_url: str) -> str:
    if not isinstance(base_url, str) or not base_url.strip():
        raise ValueError(f"A base URL is required, such as {DEFAULT_BASE_URL}.")
    text = base_url.strip().rstrip("/")
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ValueError(f"The base URL {text!r} is not a valid URL ({exc}).") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"The base URL must start with https:// or http:// and name a host, like {DEFAULT_BASE_URL}.")
    if url.userinfo or url.query or url.fragment:
        raise ValueError("The base URL must not contain a user name, password, query or fragment.")
    return text


def _may_replay(exc: httpx.TransportError, replay: _Replay) -> bool:
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True  # nothing reached the server
    if replay is _Replay.UNSAFE:
        return False
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def _error_details(response: httpx.Response) -> tuple[str | None, str | None, bool]:
    """``(code, message, is_api_error)`` from an error body of whatever shape it has.

    The API sends ``{"error": {"code", "message"}}``; proxies and frameworks send
    ``{"error": "..."}``, ``{"message": ...}``, ``{"detail": ...}``, plain text or
    an HTML page. ``is_api_error`` says the body was the API's own shape.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    except httpx.ResponseNotRead:  # a streamed error whose body broke off: the status must do
        return None, None, False
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            code = error.get("code")
            message = error.get("message")
            return (
                str(code) if code is not None else None,
                _clean_text(message) if isinstance(message, str) else None,
                True,
            )
        code = body.get("code")
        code_text = str(code) if isinstance(code, str | int) and not isinstance(code, bool) else None
        for key in ("error", "message", "detail", "error_description", "title"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return code_text, _clean_text(value), False
            if isinstance(value, list) and value:  # FastAPI / pydantic: [{"loc": [...], "msg": ...}]
                parts = [item.get("msg") for item in value if isinstance(item, dict)]
                text = "; ".join(part for part in parts if isinstance(part, str))
                if text:
                    return code_text, _clean_text(text), False
        return code_text, None, False
    if body is not None:
        return None, None, False
    content_type = response.headers.get("content-type", "")
    if "html" in content_type.lower():
        return None, None, False
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        return None, None, False
    return None, _clean_text(text) or None, False


def _clean_text(text: str) -> str:
    single_line = " ".join(text.split())
    if len(single_line) > _MAX_SERVER_TEXT:
        single_line = single_line[: _MAX_SERVER_TEXT - 1] + "…"
    return single_line.rstrip(".")


def _human_seconds(seconds: float) -> str:
    if seconds < 1:
        return "under a second" if seconds > 0 else "a moment"
    whole = round(seconds)
    if whole < 90:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 90:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _looks_like_project(item: Mapping[str, Any]) -> bool:
    """A list item is a project when it holds websites, else it is taken for a website."""
    return isinstance(item.get("websites"), list)


def _shape_of(data: object) -> str:
    """What arrived, for an error message: the JSON type and its top-level key names (never values)."""
    if isinstance(data, dict):
        keys = [str(key)[:40] for key in list(data)[:8]]
        more = ", ..." if len(data) > 8 else ""
        return f"a JSON object with keys: {', '.join(keys)}{more}" if keys else "an empty JSON object"
    if isinstance(data, list):
        return "a JSON array"
    return f"a JSON {type(data).__name__}" if data is not None else "JSON null"


def _websites_as_projects(items: list[Any]) -> list[models.Project]:
    """Websites listed without their projects, grouped by ``projectId`` (``None`` when absent)."""
    groups: dict[str | None, list[models.Website]] = {}
    for item in items:
        if not isinstance(item, Mapping):
            continue
        website = models.Website.from_json(item)
        groups.setdefault(website.project_id, []).append(website)
    return [models.Project.of_websites(project_id, tuple(sites)) for project_id, sites in groups.items()]


def _read_project_list(data: object) -> list[models.Project]:
    """Every documented-or-plausible shape of the list call, as projects (see ``list_projects``)."""
    if isinstance(data, list):
        objects = [item for item in data if isinstance(item, Mapping)]
        if objects and all(_looks_like_project(item) for item in objects):
            return [models.Project.from_json(item) for item in objects]
        return _websites_as_projects(objects)
    if isinstance(data, dict):
        projects = data.get("projects")
        if isinstance(projects, list):
            return [models.Project.from_json(item) for item in projects if isinstance(item, Mapping)]
        if isinstance(data.get("project"), dict):
            return [models.Project.from_json(data["project"], websites=data.get("websites"))]
        websites = data.get("websites")
        if isinstance(websites, list):
            return _websites_as_projects(websites)
    raise InvalidResponseError(
        f"The server's project list has a shape this app does not know ({_shape_of(data)}; "
        "expected a 'projects' or 'websites' list); it does not look like a Codaiq API response."
    )


def _pick_website(
    project: models.Project, project_id: str, website_id: str, domain: str | None
) -> models.Website:
    """The website ``website_id`` of ``project``, by id when the service sends ids (see ``get_website``)."""
    for website in project.websites:
        if website.id == website_id:
            return website
    unnamed = [website for website in project.websites if website.id is None]
    if not unnamed:
        raise NotFoundError(
            f"Website {website_id} is not part of project {project_id}. Check both IDs.",
            404,
            "website_not_found",
        )
    if len(project.websites) == 1:
        return dataclasses.replace(unnamed[0], id=website_id)
    if domain:
        by_domain = [website for website in unnamed if website.domain == domain]
        if len(by_domain) == 1:
            return dataclasses.replace(by_domain[0], id=website_id)
    raise InvalidResponseError(
        f"The service lists {len(project.websites)} websites in project {project_id} without their ids, "
        f"so this app cannot tell which one is website {website_id}."
    )


def _require_id(value: object, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"A {what} ID is required.")


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")


def _looks_like_email(text: str) -> bool:
    return bool(_EMAIL_RE.match(text.strip()))


def _iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value is None or response.headers.get("content-encoding", "identity").lower() != "identity":
        return None
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


_FILENAME_STAR_RE = re.compile(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.IGNORECASE)
_FILENAME_RE = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)


def _export_filename(response: httpx.Response, website_id: str) -> str:
    """A safe file name from ``Content-Disposition``, else ``<websiteId>.zip``."""
    header = response.headers.get("content-disposition", "")
    name = ""
    if match := _FILENAME_STAR_RE.search(header):
        charset = match.group(1) or "utf-8"
        try:
            name = urllib.parse.unquote(match.group(2).strip(), encoding=charset)
        except LookupError:
            name = ""
    if not name and (match := _FILENAME_RE.search(header)):
        name = (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()
    stem = _safe_stem(name) or _safe_stem(website_id) or "website"
    return f"{stem}.zip"


def _safe_stem(text: str) -> str:
    """A file name stem from untrusted text: no path, no hidden file, no control or reserved characters."""
    text = text.replace("\\", "/").rsplit("/", 1)[-1]  # never a path: only the last part
    text = "".join(char for char in text if char.isprintable() and char not in '<>:"|?*')
    text = text.strip().lstrip(".").strip()
    if text.lower().endswith(".zip"):
        text = text[:-4].rstrip()
    # File systems cap names at 255 bytes; leave room for ".zip" and the temporary suffix.
    return text.encode("utf-8")[:200].decode("utf-8", "ignore").rstrip()


_TEMP_NAME_RE = re.compile(r"^\..+\.codaiq-[0-9a-f]{8}\.part$")
"""Names of our temporary export files: ``.<name>.codaiq-<8 hex digits>.part``.

The ``codaiq-`` mark keeps the sweep off other programs' partial files (``tempfile``
names, browsers' downloads), which share the ``.part`` ending.
"""


def _create_temp_beside(target: Path) -> tuple[Path, int]:
    """Create ``.<name>.codaiq-<random>.part`` in the target's folder (same file system: rename is atomic).

    On POSIX the file is locked (``flock``) for as long as the returned descriptor is
    open: that is how a later export tells a live download from one whose process died.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        candidate = target.with_name(f".{target.name[:100]}.codaiq-{secrets.token_hex(4)}.part")
        try:
            fd = os.open(candidate, flags, 0o666)
        except FileExistsError:
            continue
        if fcntl is not None:
            try:
                # Blocking: only a sweep (below) can hold it, and only for a moment.
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                pass  # no locks on this file system: the sweep will then leave the file alone
            else:
                if not _is_same_file(fd, candidate):  # a sweep removed it before the lock was ours
                    os.close(fd)
                    continue
        return candidate, fd


def _remove_stale_temps(folder: Path) -> None:
    """Delete temporary export files in ``folder`` left by exports that died (killed, crashed, power cut).

    A live export holds its temporary file locked (POSIX) or open (Windows, where an
    open file cannot be deleted), so a file nobody holds is a leftover. Anything else
    (another program's file, a symlink, a file on a file system without locks) is left
    alone.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not _TEMP_NAME_RE.match(name):
            continue
        path = folder / name
        if fcntl is None:
            try:
                os.unlink(path)
            except OSError:
                continue  # in use by a live export
            logger.info("Removed a leftover temporary export file %s", path)
            continue
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # held by a live export (or no locks here: cannot tell, so keep it)
            if not _is_same_file(fd, path):
                continue
            try:
                os.unlink(path)
            except OSError:
                continue
            logger.info("Removed a leftover temporary export file %s", path)
        finally:
            os.close(fd)


def _is_same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _write_all(fd: int, data: bytes, target: Path) -> None:
    """Write all of ``data``; a failure becomes an ``OSError`` that names the folder and disk."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _write_error(exc, target) from exc


def _write_error(exc: OSError, target: Path) -> OSError:
    folder = target.parent
    if exc.errno == errno.EFBIG:
        text = (
            f"The export is larger than this system allows one file to be in {folder}. "
            "Choose a folder on another disk; nothing was saved."
        )
    elif exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        mount = mount_point(folder)
        where = f"{folder}" if mount == folder else f"{folder} (on the disk mounted at {mount})"
        text = (
            f"There is not enough free space to save the export in {where}. "
            "Free some space or choose another folder; nothing was saved."
        )
    else:
        text = f"The export could not be written in {folder} ({exc.strerror or exc}); nothing was saved."
    return OSError(exc.errno, text)


def _verify_zip(path: Path, content_type: str) -> None:
    """Open, list and CRC-test the archive; raise InvalidResponseError when it is not sound."""
    sent = f" (the server sent {content_type})" if content_type and "zip" not in content_type else ""
    try:
        with zipfile.ZipFile(path) as archive:
            archive.namelist()
            bad_member = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise InvalidResponseError(
            f"The export is not a valid ZIP archive{sent}: {exc}. Nothing was saved; try the export again."
        ) from None
    if bad_member is not None:
        raise InvalidResponseError(
            f"The export is damaged: {bad_member!r} fails its checksum. Nothing was saved; try the export again."
        )
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:  # e.g. still open elsewhere on Windows; say so, never mask the real error
        logger.warning("Could not remove temporary file %s: %s", path, exc)
