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
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Callable, Generator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

import httpx

from codaiq_desktop.tls import ssl_context

from codaiq_desktop import __version__
from codaiq_desktop.api import models
from codaiq_desktop.api.credentials import ApiKey
from codaiq_desktop.api.errors import (
    BuildTimeoutError,
    CodaiqError,
    InvalidResponseError,
    RateLimitError,
    ValidationError,
)
from codaiq_desktop.api.error_mapping import Replay, human_seconds, may_replay, network_error, status_error
from codaiq_desktop.api.export_file import ProgressCallback, content_length, export_filename, save_download
from codaiq_desktop.api.project_list import pick_website, read_project_list
from codaiq_desktop.api.retry import RetryPolicy, parse_retry_after

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "USER_AGENT", "CodaiqClient", "ProgressCallback"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://codaiq.com/api"
DEFAULT_TIMEOUT: Final = 30.0
USER_AGENT: Final = f"codaiq-desktop/{__version__} python-httpx/{httpx.__version__}"

RateLimitCallback = Callable[[models.RateLimitInfo], object]

# Indirections so tests can observe waits without slowing down; not public API.
_sleep = asyncio.sleep
_monotonic = time.monotonic


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
            verify=ssl_context(),
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
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
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
        response = await self._send("POST", "/generate", json=body, replay=Replay.UNSAFE)
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
        return read_project_list(self._json(response))

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
        return pick_website(project, project_id, website_id, domain)

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
        self, website_id: str, name: str, email: str, phone: str | None = None, message: str | None = None
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
        response = await self._send("POST", "/leads/submit", json=body, replay=Replay.UNSAFE)
        data = self._json(response) if response.content else {}
        return models.LeadReceipt.from_json(data, website_id=website_id)

    async def analytics(self, website_id: str, range: str = "7d", end: datetime | None = None) -> models.Analytics:
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
        self, project_id: str, website_id: str, dest: str | os.PathLike[str], progress: ProgressCallback | None = None
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
                target = dest_path / export_filename(response, website_id)
            total = content_length(response)
            return await save_download(response, target, total, progress, self._scrub)
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
        replay: Replay = Replay.SAFE,
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
                failure = network_error(
                    exc, replay, origin=self._origin(), read_timeout=self._timeout.read, scrub=self._scrub
                )
                delay = self._retry.backoff(retries + 1) if may_replay(exc, replay) else None
                if delay is not None and self._may_retry(retries, started, delay):
                    retries += 1
                    logger.info("%s failed (%s); retry %d in %.2f s", label, type(exc).__name__, retries, delay)
                    await _sleep(delay)
                    continue
                raise failure from exc
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
            error = status_error(response, base_url=self._base_url, scrub=self._scrub)
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
        self, error: CodaiqError, response: httpx.Response, replay: Replay, retry_number: int
    ) -> float | None:
        status = response.status_code
        if isinstance(error, RateLimitError):
            # The server refused before acting: safe to repeat even a POST.
            if error.retry_after is None:
                return self._retry.backoff(retry_number)
            return error.retry_after if error.retry_after <= self._retry.max_retry_after else None
        if replay is Replay.SAFE and status in self._retry.retry_statuses:
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

    def _scrub(self, text: str) -> str:
        """Mask the key if a server (or a lower layer) echoed it into text we pass on."""
        secret = self._key.reveal()
        return text.replace(secret, self._key.masked) if secret in text else text

    def _origin(self) -> str:
        url = httpx.URL(self._base_url)
        return f"{url.scheme}://{url.netloc.decode('ascii')}"

    async def _sleep_within(
        self, delay: float, deadline: float | None, timeout: float | None, last: models.BuildUpdate | None
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
                    f"The website's build did not finish within {human_seconds(timeout or 0)} "
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
