"""Every HTTP client of the app shares one TLS context: making a client loads no CA bundle."""

from __future__ import annotations

import ssl

import pytest

from codaiq_desktop.api.client import CodaiqClient
from codaiq_desktop.api.observing_transport import ObservingTransport
from codaiq_desktop.api.sandbox_admin import SandboxAdminClient
from codaiq_desktop.tls import ssl_context


async def test_clients_reuse_the_shared_context(monkeypatch: pytest.MonkeyPatch) -> None:
    ssl_context()  # built once, as the start-up warm-up does
    loads: list[object] = []
    real = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    clients = [
        CodaiqClient("https://codaiq.example/api", "cdq_live_example"),
        CodaiqClient(
            "https://codaiq.example/api",
            "cdq_live_example",
            transport=ObservingTransport(lambda _status, _headers: None, lambda _exc: None),
        ),
        SandboxAdminClient("http://127.0.0.1:9/api", "cdq_sbx_example"),
    ]
    for client in clients:
        await client.aclose()
    assert loads == [], "a client built its own TLS context (a CA bundle load on the UI thread)"
    assert ssl_context() is ssl_context()
