"""Real signed HTTP posts to a running receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.receiver import PortInUseError, WebhookReceiver, is_loopback
from codaiq_desktop.signing import SIGNATURE_HEADER, sign
from codaiq_desktop.store import Store, StoredEvent
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import RunningReceiver, encode, make_event, signed_headers


async def _post(receiver: RunningReceiver, body: bytes, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
        return await client.post(receiver.url, content=body, headers=headers)


async def test_a_valid_delivery_is_stored_before_the_answer(receiver: RunningReceiver) -> None:
    payload = make_event(event_id="evt_valid")
    response = await receiver.deliver(payload)

    assert response.status_code == 200
    assert response.json() == {"received": True, "id": "evt_valid", "duplicate": False}
    [event] = receiver.store.list_events()
    assert event.event_id == "evt_valid" and event.verified
    assert event.payload == payload
    assert event.headers[SIGNATURE_HEADER.lower()] == sign(encode(payload), receiver.secret)
    assert receiver.store.count_leads() == 1


async def test_prefixed_and_uppercase_signatures_are_accepted(receiver: RunningReceiver) -> None:
    for variant in ("sha256={}", "SHA256={}", "{}"):
        body = encode(make_event())
        digest = sign(body, receiver.secret)
        response = await _post(
            receiver, body, {"Content-Type": "application/json", SIGNATURE_HEADER: variant.format(digest.upper())}
        )
        assert response.status_code == 200, variant
    assert receiver.store.count_events() == 3


@pytest.mark.parametrize(
    ("case", "expected_code"),
    [
        ("tampered_body", "invalid_signature"),
        ("wrong_secret", "invalid_signature"),
        ("missing_header", "missing_signature"),
        ("garbage_header", "invalid_signature"),
        ("signature_of_other_body", "invalid_signature"),
    ],
)
async def test_unverified_deliveries_get_401_and_are_recorded_without_their_body(
    receiver: RunningReceiver, case: str, expected_code: str
) -> None:
    payload = make_event(data={"leadId": "forged", "name": "Forged Person"})
    body = encode(payload)
    headers = {"Content-Type": "application/json"}
    if case == "tampered_body":
        headers[SIGNATURE_HEADER] = sign(body, receiver.secret)
        body = body.replace(b"Forged Person", b"Forged Persom")
    elif case == "wrong_secret":
        headers[SIGNATURE_HEADER] = sign(body, "not-the-secret")
    elif case == "garbage_header":
        headers[SIGNATURE_HEADER] = "sha256=zz-not-hex"
    elif case == "signature_of_other_body":
        headers[SIGNATURE_HEADER] = sign(encode(make_event()), receiver.secret)

    response = await _post(receiver, body, headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == expected_code
    assert receiver.store.count_events() == 0 and receiver.store.count_leads() == 0
    [attempt] = receiver.store.list_rejected()
    assert attempt.status_code == 401 and attempt.size == len(body)
    assert attempt.body_sha256 is not None and attempt.remote.startswith("127.0.0.1:")
    assert "Forged" not in repr(attempt)


async def test_rotated_secrets_take_effect_on_the_next_request(receiver: RunningReceiver) -> None:
    old, new = receiver.secret, "whsec_rotated_new"
    receiver.receiver.set_secrets([old, new])
    for secret in (old, new):
        body = encode(make_event())
        assert (await _post(receiver, body, signed_headers(body, secret))).status_code == 200

    receiver.receiver.set_secrets([new])
    body = encode(make_event())
    assert (await _post(receiver, body, signed_headers(body, old))).status_code == 401
    assert (await _post(receiver, body, signed_headers(body, new))).status_code == 200
    assert receiver.store.count_events() == 3


async def test_no_secret_configured_refuses_everything(receiver: RunningReceiver) -> None:
    receiver.receiver.set_secrets([])
    body = encode(make_event())
    response = await _post(receiver, body, signed_headers(body, receiver.secret))
    assert response.status_code == 401 and response.json()["error"]["code"] == "no_secret"
    assert receiver.store.count_events() == 0


async def test_an_oversized_body_is_refused_with_413(store: Store) -> None:
    small = WebhookReceiver(store, ["s"], max_body=2048)
    await small.start()
    try:
        padding = "x" * 4000
        body = encode(make_event(data={"leadId": "big", "message": padding}))
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
            declared = await client.post(small.url, content=body, headers=signed_headers(body, "s"))

            async def chunks():  # no Content-Length: the limit must hold while reading
                for start in range(0, len(body), 512):
                    yield body[start : start + 512]

            streamed = await client.post(small.url, content=chunks(), headers=signed_headers(body, "s"))
            fits = encode(make_event())
            ok = await client.post(small.url, content=fits, headers=signed_headers(fits, "s"))
    finally:
        await small.stop()
    assert declared.status_code == 413 and streamed.status_code == 413
    assert ok.status_code == 200
    assert store.count_events() == 1
    reasons = [(a.status_code, a.body_sha256) for a in store.list_rejected()]
    assert reasons == [(413, None), (413, None)]


async def test_the_default_limit_is_one_mebibyte(receiver: RunningReceiver) -> None:
    body = b'{"event": "x", "pad": "' + b"y" * (1024 * 1024) + b'"}'
    response = await _post(receiver, body, signed_headers(body, receiver.secret))
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"no_event": 1}', b'{"event": "x", "data": "text"}', b"\xff\xfe"]
)
async def test_signed_but_malformed_bodies_get_400(receiver: RunningReceiver, body: bytes) -> None:
    response = await _post(receiver, body, signed_headers(body, receiver.secret))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"
    assert receiver.store.count_events() == 0
    assert [a.status_code for a in receiver.store.list_rejected()] == [400]


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_a_non_json_content_type_gets_415(receiver: RunningReceiver, content_type: str | None) -> None:
    body = encode(make_event())
    headers = signed_headers(body, receiver.secret)
    del headers["Content-Type"]
    if content_type:
        headers["Content-Type"] = content_type
    response = await _post(receiver, body, headers)
    assert response.status_code == 415
    assert receiver.store.count_events() == 0


async def test_json_content_type_variants_are_accepted(receiver: RunningReceiver) -> None:
    for content_type in ("application/json; charset=utf-8", "APPLICATION/JSON", "application/cloudevents+json"):
        body = encode(make_event())
        headers = signed_headers(body, receiver.secret) | {"Content-Type": content_type}
        assert (await _post(receiver, body, headers)).status_code == 200, content_type


async def test_a_redelivery_answers_200_duplicate_and_changes_nothing(receiver: RunningReceiver) -> None:
    payload = make_event(event_id="evt_twice")
    first = await receiver.deliver(payload)
    receiver.store.update_lead(receiver.store.list_leads()[0].id, notes="called")
    second = await receiver.deliver(payload)

    assert first.status_code == second.status_code == 200
    assert second.json()["duplicate"] is True and first.json()["duplicate"] is False
    assert receiver.store.count_events() == 1
    [lead] = receiver.store.list_leads()
    assert lead.notes == "called" and lead.event_count == 1


@pytest.mark.parametrize("with_id", [False, True], ids=["no_payload_id", "payload_id"])
async def test_a_signed_body_replayed_with_a_fresh_event_id_header_is_a_duplicate(
    receiver: RunningReceiver, with_id: bool
) -> None:
    """The X-Codaiq-Event-Id header is not signed: changing it must not make a captured body new."""
    # No leadId either, so a second copy would also have filed a second lead.
    payload = make_event("lead.captured", data={"name": "Captured Once", "email": "once@example.com"}, with_id=with_id)
    body = encode(payload)
    first = await _post(receiver, body, signed_headers(body, receiver.secret, event_id="evt_header_1"))
    second = await _post(receiver, body, signed_headers(body, receiver.secret, event_id="evt_header_2"))

    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert second.json()["id"] == first.json()["id"]
    assert receiver.store.count_events() == 1
    [lead] = receiver.store.list_leads()
    assert lead.event_count == 1 and lead.name == "Captured Once"
    assert receiver.receiver.stats.accepted == 1 and receiver.receiver.stats.duplicates == 1


async def test_unknown_event_types_are_stored(receiver: RunningReceiver) -> None:
    response = await receiver.deliver(make_event("invoice.paid", data={"amount": 12}))
    assert response.status_code == 200
    assert receiver.store.event_types() == ["invoice.paid"]


async def test_subscribers_run_after_the_answer_and_cannot_break_it(receiver: RunningReceiver) -> None:
    heard: list[StoredEvent] = []

    def listener(event: StoredEvent) -> None:
        heard.append(event)
        raise RuntimeError("a broken listener")

    receiver.store.bus.subscribe(listener)
    response = await receiver.deliver(make_event(event_id="evt_heard"))
    for _ in range(50):
        if heard:
            break
        await asyncio.sleep(0.01)
    assert response.status_code == 200
    assert [event.event_id for event in heard] == ["evt_heard"]
    await receiver.deliver(make_event(event_id="evt_heard"))  # duplicate: no second notice
    await receiver.deliver(make_event(event_id="evt_after"))  # notices keep their order: this one comes next
    for _ in range(500):
        if len(heard) >= 2:
            break
        await asyncio.sleep(0.01)
    assert [event.event_id for event in heard] == ["evt_heard", "evt_after"]


async def test_many_concurrent_deliveries_are_all_stored(receiver: RunningReceiver) -> None:
    payloads = [make_event("website.updated", data={"n": n}) for n in range(200)]
    limits = httpx.Limits(max_connections=32)
    async with httpx.AsyncClient(verify=ssl_context(), timeout=30, limits=limits) as client:
        responses = await asyncio.gather(*(receiver.deliver(p, client) for p in payloads))
    assert [r.status_code for r in responses] == [200] * 200
    assert receiver.store.count_events() == 200


async def test_other_paths_and_methods_are_not_found(receiver: RunningReceiver) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
        assert (await client.get(receiver.url)).status_code == 405
        assert (await client.post(receiver.url.replace("/webhooks/codaiq", "/other"), content=b"{}")).status_code == 404
        health = await client.get(receiver.url.replace("/webhooks/codaiq", "/health"))
    assert health.status_code == 200 and health.json()["status"] == "ok"


async def test_accepted_connections_keep_tcp_nodelay(receiver: RunningReceiver) -> None:
    """Without TCP_NODELAY every keep-alive answer waits for Nagle (tens of ms)."""
    async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
        await receiver.deliver(make_event(), client)
        server = receiver.receiver._server  # the live connections are the thing to inspect
        assert server is not None
        connections = list(server.server_state.connections)
        assert connections
        for connection in connections:
            sock = connection.transport.get_extra_info("socket")
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


async def test_a_taken_port_raises_port_in_use_with_a_suggestion(receiver: RunningReceiver, store: Store) -> None:
    second = WebhookReceiver(store, ["s"], port=receiver.port)
    with pytest.raises(PortInUseError) as caught:
        await second.start()
    error = caught.value
    assert error.port == receiver.port
    assert str(receiver.port) in str(error) and error.suggestion in str(error)
    assert error.suggested_port is not None and error.suggested_port != receiver.port
    assert not second.is_running


async def test_stop_then_start_again_serves(store: Store) -> None:
    running = WebhookReceiver(store, ["s"])
    await running.start()
    port = running.port
    await running.stop()
    await running.stop()
    assert not running.is_running
    again = WebhookReceiver(store, ["s"], port=port)
    await again.start()
    try:
        body = encode(make_event())
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
            assert (await client.post(again.url, content=body, headers=signed_headers(body, "s"))).status_code == 200
    finally:
        await again.stop()


def test_repr_never_shows_secrets(store: Store) -> None:
    running = WebhookReceiver(store, ["super-secret-value"])
    assert "super-secret-value" not in repr(running)
    assert running.secret_count == 1


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.com", False),
    ],
)
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_receiver_thread_fixture_serves_sync_tests(receiver_thread) -> None:
    response = receiver_thread.deliver(make_event(event_id="evt_thread"))
    assert response.status_code == 200 and json.loads(response.text)["id"] == "evt_thread"
    assert receiver_thread.store.list_events()[0].event_id == "evt_thread"


async def test_a_store_that_cannot_write_answers_503_so_the_sender_retries(tmp_path: Path) -> None:
    broken = Store(tmp_path / "s.sqlite3")
    running = WebhookReceiver(broken, ["s"])
    await running.start()
    try:
        broken.close()  # from now on every write fails: our fault, not the sender's
        body = encode(make_event())
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
            response = await client.post(running.url, content=body, headers=signed_headers(body, "s"))
    finally:
        await running.stop()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert running.stats.failed == 1 and running.stats.accepted == 0


async def _raw_post(port: int, body: bytes, headers: dict[str, str]) -> tuple[bytes, list[tuple[bytes, bytes]], bytes]:
    """One POST over a plain socket: the status line, the header lines in order, the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [b"POST /webhooks/codaiq HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [f"{name}: {value}".encode("latin-1") for name, value in headers.items()]
    lines.append(b"Content-Length: %d" % len(body))
    writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    raw = await reader.read()
    writer.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    status, *header_lines = head.split(b"\r\n")
    parsed = [(name.lower(), value.strip()) for name, _, value in (line.partition(b":") for line in header_lines)]
    return status, parsed, rest


def _app_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in headers if name not in (b"date", b"connection")]


async def test_answers_have_the_bytes_and_headers_of_a_json_response(receiver: RunningReceiver) -> None:
    """The webhook path writes its answers itself: the same bytes and headers as Starlette's ``JSONResponse``."""
    body = encode(make_event(event_id="evt_bytes_é"))
    status, headers, answer = await _raw_post(receiver.port, body, signed_headers(body, receiver.secret))
    expected = b'{"received":true,"id":"evt_bytes_\xc3\xa9","duplicate":false}'
    assert status == b"HTTP/1.1 200 OK" and answer == expected
    assert _app_headers(headers) == [(b"content-length", b"%d" % len(expected)), (b"content-type", b"application/json")]

    _, _, again = await _raw_post(receiver.port, body, signed_headers(body, receiver.secret))
    assert again == expected.replace(b"false", b"true")

    status, headers, answer = await _raw_post(receiver.port, body, signed_headers(body, "wrong"))
    expected = b'{"error":{"code":"invalid_signature","message":"The signature does not match the body."}}'
    assert status == b"HTTP/1.1 401 Unauthorized" and answer == expected
    assert _app_headers(headers) == [(b"content-length", b"%d" % len(expected)), (b"content-type", b"application/json")]


async def test_a_503_keeps_its_retry_after_header_first(tmp_path: Path) -> None:
    broken = Store(tmp_path / "s.sqlite3")
    running = WebhookReceiver(broken, ["s"])
    await running.start()
    try:
        broken.close()
        body = encode(make_event())
        status, headers, answer = await _raw_post(running.port, body, signed_headers(body, "s"))
    finally:
        await running.stop()
    expected = b'{"error":{"code":"store_unavailable","message":"The event could not be stored; retry later."}}'
    assert status == b"HTTP/1.1 503 Service Unavailable" and answer == expected
    assert _app_headers(headers) == [
        (b"retry-after", b"5"),
        (b"content-length", b"%d" % len(expected)),
        (b"content-type", b"application/json"),
    ]


async def test_other_methods_on_the_webhook_path_still_get_405_with_allow(receiver: RunningReceiver) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
        for method in ("GET", "PUT", "DELETE"):
            response = await client.request(method, receiver.url)
            assert response.status_code == 405 and response.headers["allow"] == "POST", method


async def test_subscribers_are_called_on_the_loop_thread_after_the_answer(receiver: RunningReceiver) -> None:
    import threading

    heard: list[tuple[str, int]] = []
    answered: list[str] = []
    receiver.store.bus.subscribe(lambda event: heard.append((event.event_id, threading.get_ident())))
    response = await receiver.deliver(make_event(event_id="evt_loop_thread"))
    answered.append(response.json()["id"])
    for _ in range(50):
        if heard:
            break
        await asyncio.sleep(0.01)
    assert heard == [("evt_loop_thread", threading.get_ident())] and answered == ["evt_loop_thread"]


async def test_secrets_from_a_list_changed_in_place_take_effect_at_once(store: Store) -> None:
    """Only a tuple of secrets is labelled once and reused; a list is read again on every request."""
    from codaiq_desktop.receiver import create_app

    secrets = ["first"]
    app = create_app(store, lambda: secrets)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = encode(make_event())
        assert (
            await client.post("/webhooks/codaiq", content=body, headers=signed_headers(body, "first"))
        ).status_code == 200
        secrets[0] = "second"
        body = encode(make_event())
        assert (
            await client.post("/webhooks/codaiq", content=body, headers=signed_headers(body, "first"))
        ).status_code == 401
        assert (
            await client.post("/webhooks/codaiq", content=body, headers=signed_headers(body, "second"))
        ).status_code == 200


_PARSERS = ["h11"] + (["httptools"] if importlib.util.find_spec("httptools") else [])


async def test_both_http_parsers_answer_alike(tmp_path: Path) -> None:
    """The desktop serves with h11 (no extras), ``serve`` with httptools: the same bytes either way."""
    answers = {}
    for parser in _PARSERS:
        with Store(tmp_path / f"{parser}.sqlite3") as store:
            receiver = WebhookReceiver(store, ["parser-secret"], http_parser=parser)
            assert receiver.http_parser == parser
            await receiver.start()
            try:
                body = encode(make_event(event_id="evt_parser"))
                signed = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, "parser-secret")}
                forged = {**signed, SIGNATURE_HEADER: sign(body, "other")}
                async with httpx.AsyncClient(timeout=10) as client:
                    replies = [await client.post(receiver.url, content=body, headers=h) for h in (signed, forged)]
            finally:
                await receiver.stop()
            answers[parser] = [(r.status_code, r.headers.get("content-type"), r.content) for r in replies]
            assert [event.event_id for event in store.list_events()] == ["evt_parser"]
    assert answers["h11"][0][0] == 200 and answers["h11"][1][0] == 401
    assert all(answer == answers["h11"] for answer in answers.values())
