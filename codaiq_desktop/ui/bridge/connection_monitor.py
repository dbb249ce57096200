"""Whether the Codaiq API can be reached, read from every response the client gets.

The client's transport reports each exchange here, so the status bar knows the
connection's state without any extra request: 401 means the key was refused, 429 a
rate limit (with the time requests resume), 502–504 or a transport failure that the
service cannot be reached.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

if TYPE_CHECKING:
    import httpx

    from codaiq_desktop.api.models import RateLimitInfo


class ConnectionState:
    """Values of :attr:`ConnectionMonitor.state` (plain strings, for tabs to compare)."""

    NO_ACCOUNT = "no_account"
    CONNECTING = "connecting"
    REACHABLE = "reachable"
    OFFLINE = "offline"
    AUTH_FAILED = "auth_failed"
    RATE_LIMITED = "rate_limited"


class ConnectionMonitor(QObject):
    """Turns the client's responses into the connection state and the rate-limit figures."""

    sig_connection_state = Signal(str)
    """The state changed (a :class:`ConnectionState` value)."""

    sig_rate_limit = Signal(object)
    """The latest rate-limit figures from response headers (a ``RateLimitInfo``)."""

    sig_rate_limit_wait = Signal(float)
    """A 429 arrived: requests resume at this ``time.time()``; ``0.0`` once they flow again."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = ConnectionState.NO_ACCOUNT
        self.rate_limit: RateLimitInfo | None = None
        self.resume_at = 0.0
        self.closing = False
        """Set at shutdown: responses that still arrive change nothing."""

    def transport(self) -> httpx.AsyncBaseTransport:
        """A transport for a new client that reports every exchange here."""
        from codaiq_desktop.api.observing_transport import ObservingTransport

        return ObservingTransport(on_response=self.on_response, on_failure=self.on_transport_error)

    def begin(self) -> None:
        """A new client is about to make its first call: no figures yet, connecting."""
        self.rate_limit = None
        self.set_resume_at(0.0)
        self.set_state(ConnectionState.CONNECTING)

    def on_client_rate_limit(self, info: RateLimitInfo | None) -> None:
        if info is None or not isValid(self):
            return
        self.rate_limit = info
        self.sig_rate_limit.emit(info)

    def on_response(self, status_code: int, headers: httpx.Headers) -> None:
        if not isValid(self) or self.closing:
            return
        if status_code == 429:
            self.set_resume_at(time.time() + parse_retry_after(headers.get("retry-after")))
            self.set_state(ConnectionState.RATE_LIMITED)
            return
        self.set_resume_at(0.0)
        if status_code == 401:
            self.set_state(ConnectionState.AUTH_FAILED)
        elif status_code < 500 or status_code in (500, 501):
            self.set_state(ConnectionState.REACHABLE)
        else:
            # 502/503/504: a proxy answered but the service did not.
            self.set_state(ConnectionState.OFFLINE)

    def on_transport_error(self, exc: BaseException | None = None) -> None:
        if isValid(self) and not self.closing:
            self.set_state(ConnectionState.OFFLINE)

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.sig_connection_state.emit(state)

    def set_resume_at(self, when: float) -> None:
        if when != self.resume_at:
            self.resume_at = when
            self.sig_rate_limit_wait.emit(when)


def parse_retry_after(value: str | None) -> float:
    """Seconds to wait from a ``Retry-After`` header (1 s when missing or unreadable)."""
    try:
        return max(0.0, float(value)) if value else 1.0
    except ValueError:
        return 1.0
