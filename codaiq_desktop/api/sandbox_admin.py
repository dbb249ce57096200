"""The local sandbox's own endpoints, which the Codaiq API does not have.

The embedded sandbox answers a few calls only it understands (where to send its
webhooks, simulated visits for the analytics). They are kept apart from
:class:`~codaiq_desktop.api.client.CodaiqClient` so that client stays the documented API,
and out of the UI so it holds no HTTP code: one small client with the same error
hierarchy (:class:`~codaiq_desktop.api.errors.CodaiqError`).
"""

from __future__ import annotations

from types import TracebackType

import httpx

from codaiq_desktop.tls import ssl_context

from codaiq_desktop.api.errors import CodaiqError, InvalidResponseError, NetworkError

#: Simulating a month of visits writes many rows; registering a webhook is quick.
SIMULATE_TIMEOUT = 60.0
DEFAULT_TIMEOUT = 10.0


class SandboxAdminClient:
    """``async with SandboxAdminClient(base_url, api_key) as sandbox: await sandbox.set_webhook(...)``.

    ``base_url`` is the sandbox account's API URL (``http://127.0.0.1:PORT/api``), the
    one its :class:`~codaiq_desktop.sandbox.process.SandboxEndpoint` names.
    """

    def __init__(self, base_url: str, api_key: str, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._http = httpx.AsyncClient(
            verify=ssl_context(),
            base_url=base_url.rstrip("/"),
            headers={"X-API-Key": api_key},
            timeout=DEFAULT_TIMEOUT,
            transport=transport,
            trust_env=False,  # the sandbox is on loopback: never through a proxy
        )

    def __repr__(self) -> str:
        return f"SandboxAdminClient({str(self._http.base_url)!r})"

    async def __aenter__(self) -> SandboxAdminClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def set_webhook(self, url: str, secret: str) -> None:
        """Send the account's webhooks to ``url``, signed with ``secret``."""
        await self._call("PUT", "/sandbox/webhook", {"url": url, "secret": secret}, DEFAULT_TIMEOUT)

    async def simulate_traffic(self, website_id: str, days: int = 30) -> int:
        """Record ``days`` of plausible visits for a website; returns how many pageviews."""
        body = await self._call("POST", "/sandbox/simulate", {"websiteId": website_id, "days": days}, SIMULATE_TIMEOUT)
        views = body.get("pageviews", 0)
        if not isinstance(views, int):
            raise InvalidResponseError("The sandbox answered the traffic simulation with something unexpected.")
        return views

    async def _call(self, method: str, path: str, body: dict[str, object], timeout: float) -> dict[str, object]:
        try:
            response = await self._http.request(method, path, json=body, timeout=timeout)
        except httpx.TransportError as exc:
            raise NetworkError("The local sandbox could not be reached.") from exc
        if response.status_code >= 400:
            raise CodaiqError(
                f"The local sandbox refused the request (HTTP {response.status_code}).",
                response.status_code,
                response=response,
            )
        try:
            data = response.json() if response.content else {}
        except ValueError as exc:
            raise InvalidResponseError("The local sandbox answered with something that is not JSON.") from exc
        return data if isinstance(data, dict) else {}
