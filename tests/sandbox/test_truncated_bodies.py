"""A client that disconnects in the middle of its body: the request is dropped, nothing happens.

Each request here declares ``Content-Length: 1000`` and sends 300 bytes that are, on their
own, a complete and valid body (JSON followed by padding, or a form), then closes. Were
those 300 bytes handed on, a lead would be recorded or metadata changed. The same request
sent whole does exactly that, which shows the requests themselves are sound.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

DECLARED = 1000
SENT = 300


@pytest.fixture(scope="module")
def built_site(sandbox) -> tuple[str, str]:
    project_id, website_id = sandbox.generate("A family bakery in Leeds with wedding cakes", "Leeds Bakery")
    assert sandbox.wait_ready(project_id, website_id)["metadata"]["buildStatus"] == "ready"
    return project_id, website_id


def _raw_request(
    sandbox, method: str, path: str, body: bytes, content_type: str, *, key: str | None, whole: bool
) -> bytes:
    """Send ``body`` (padded to ``DECLARED`` bytes) whole, or only its first ``SENT`` bytes and close."""
    assert len(body) <= SENT, "the prefix must be a complete body by itself"
    padded = body + b" " * (DECLARED - len(body))
    parts = urlsplit(sandbox.root_url)
    head = [
        f"{method} {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Content-Type: {content_type}",
        f"Content-Length: {DECLARED}",
        "Connection: close",
    ]
    if key is not None:
        head.append(f"X-API-Key: {key}")
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        if not whole:
            conn.sendall(padded[:SENT])
            return b""  # closed here, 700 bytes short
        conn.sendall(padded)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        return answer


def _until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _dropped(caplog: pytest.LogCaptureFixture) -> bool:
    return "disconnected before sending its whole body" in caplog.text


def _lead_form(website_id: str, name: str) -> tuple[str, bytes, str]:
    body = json.dumps({"websiteId": website_id, "name": name, "email": "cut@example.com", "message": "Hi"}).encode()
    return "/api/leads/submit", body, "application/json"


def _site_form(website_id: str, name: str) -> tuple[str, bytes, str]:
    body = f"name={name}&email=cut%40example.com&message=Hello".encode()
    return f"/sites/{website_id}/lead", body, "application/x-www-form-urlencoded"


@pytest.mark.parametrize("form", [_lead_form, _site_form], ids=["api", "site-form"])
def test_a_lead_cut_off_mid_body_is_not_recorded(sandbox, built_site, caplog, form) -> None:
    _project_id, website_id = built_site
    caplog.set_level(logging.DEBUG, logger="codaiq_desktop.sandbox.gateway")
    before = sandbox.on_loop(sandbox.service.db.count_leads, website_id)
    path, body, content_type = form(website_id, "Cut")

    def leads() -> int:
        return sandbox.on_loop(sandbox.service.db.count_leads, website_id)

    _raw_request(sandbox, "POST", path, body, content_type, key=sandbox.api_key, whole=False)
    _until(lambda: _dropped(caplog) or leads() != before, "the sandbox to drop the request (or record it)")
    sandbox.settle()
    assert leads() == before, "a lead was recorded from a body cut short"
    assert _dropped(caplog)

    answer = _raw_request(sandbox, "POST", path, body, content_type, key=sandbox.api_key, whole=True)
    assert answer.split(b"\r\n", 1)[0] in (b"HTTP/1.1 201 Created", b"HTTP/1.1 200 OK", b"HTTP/1.1 303 See Other")
    assert sandbox.on_loop(sandbox.service.db.count_leads, website_id) == before + 1


def test_a_metadata_change_cut_off_mid_body_changes_nothing(sandbox, built_site, caplog) -> None:
    project_id, website_id = built_site
    caplog.set_level(logging.DEBUG, logger="codaiq_desktop.sandbox.gateway")
    before = sandbox.website(project_id, website_id)
    body = json.dumps(
        {"projectId": project_id, "websiteId": website_id, "name": "Cut Short", "metadata": {"owner": "cut"}}
    ).encode()

    _raw_request(sandbox, "PATCH", "/api/project", body, "application/json", key=sandbox.api_key, whole=False)
    _until(
        lambda: _dropped(caplog) or sandbox.website(project_id, website_id) != before,
        "the sandbox to drop the request (or apply it)",
    )
    sandbox.settle()
    after = sandbox.website(project_id, website_id)
    assert after == before  # same name, same metadata, same updatedAt

    answer = _raw_request(sandbox, "PATCH", "/api/project", body, "application/json", key=sandbox.api_key, whole=True)
    assert answer.startswith(b"HTTP/1.1 200")
    changed = sandbox.website(project_id, website_id)
    assert changed["name"] == "Cut Short" and changed["metadata"]["owner"] == "cut"
