"""An httpx transport that reports every response or failure, for the status bar.

The API client takes a ``transport``; wrapping the default one is how the app knows
reachable / offline / auth failed / rate limited for every call any tab makes,
without each tab having to report it. Qt-free: the desktop wraps it in Qt signals
(``ui.bridge.connection_monitor``).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from codaiq_desktop.tls import ssl_context


class ObservingTransport(httpx.AsyncBaseTransport):
    """Delegates to ``httpx.AsyncHTTPTransport`` and calls back after each exchange."""

    def __init__(
        self,
        on_response: Callable[[int, httpx.Headers], None],
        on_failure: Callable[[BaseException], None],
        inner: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport(verify=ssl_context())
        self._on_response = on_response
        self._on_failure = on_failure

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._inner.handle_async_request(request)
        except httpx.TransportError as exc:
            self._on_failure(exc)
            raise
        self._on_response(response.status_code, response.headers)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
