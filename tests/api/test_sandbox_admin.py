"""The sandbox-only endpoints' client, against the real sandbox on loopback."""

from __future__ import annotations

import socket

import pytest

from codaiq_desktop.api.errors import CodaiqError, NetworkError
from codaiq_desktop.api.sandbox_admin import SandboxAdminClient

SECRET = "whsec_admin_client_0123456789abcdef"


async def test_set_webhook_is_accepted(sandbox) -> None:
    async with SandboxAdminClient(sandbox.base_url, sandbox.new_key("enterprise")) as admin:
        await admin.set_webhook("http://127.0.0.1:9/webhooks/codaiq", SECRET)


async def test_a_refused_key_is_a_codaiq_error_with_its_status(sandbox) -> None:
    async with SandboxAdminClient(sandbox.base_url, "not-a-key") as admin:
        with pytest.raises(CodaiqError) as caught:
            await admin.set_webhook("http://127.0.0.1:9/webhooks/codaiq", SECRET)
    assert caught.value.status_code == 401
    assert "not-a-key" not in str(caught.value) and "not-a-key" not in repr(caught.value)


async def test_simulating_an_unknown_website_is_refused(sandbox) -> None:
    async with SandboxAdminClient(sandbox.base_url, sandbox.new_key("enterprise")) as admin:
        with pytest.raises(CodaiqError) as caught:
            await admin.simulate_traffic("web_does_not_exist", days=3)
    assert caught.value.status_code is not None and caught.value.status_code >= 400


async def test_an_unreachable_sandbox_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with SandboxAdminClient(f"http://127.0.0.1:{port}/api", "key") as admin:
        with pytest.raises(NetworkError, match="could not be reached"):
            await admin.set_webhook("http://127.0.0.1:9/webhooks/codaiq", SECRET)


def test_the_key_is_never_in_the_repr() -> None:
    admin = SandboxAdminClient("http://127.0.0.1:1/api", "sk_secret_value")
    assert "sk_secret_value" not in repr(admin)
