"""HTTP failures map to the error hierarchy; retries happen exactly where they are safe."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors
from tests.api.conftest import API_KEY, FAST_RETRY, project_reply_json
from tests.api.scripted_server import Reply, ScriptedServer


def api_error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


@pytest.mark.parametrize(
    ("status", "error_class", "words"),
    [
        (400, errors.ValidationError, "rejected the request: Prompt is empty"),
        (401, errors.AuthenticationError, "did not accept the API key"),
        (403, errors.PermissionDeniedError, "may not do that"),
        (404, errors.NotFoundError, "Check the project and website IDs"),
        (409, errors.ConflictError, "Wait for the website's build to finish"),
        (413, errors.ValidationError, "too large"),
        (422, errors.ValidationError, "rejected the request"),
        (429, errors.RateLimitError, "rate limit was reached"),
        (500, errors.ServerError, "HTTP 500"),
        (418, errors.CodaiqError, "HTTP 418"),
    ],
)
async def test_status_codes_map_to_error_classes_with_the_servers_message(
    client: CodaiqClient, api_server: ScriptedServer, status: int, error_class: type[errors.CodaiqError], words: str
) -> None:
    api_server.on(
        "GET",
        "/api/project",
        Reply(
            status,
            json=api_error("some_code", "Prompt is empty."),
            headers={"Retry-After": "999"} if status == 429 else {},
        ),
    )
    with pytest.raises(error_class) as info:
        await client.list_projects()
    error = info.value
    assert type(error) is error_class
    assert words in str(error)
    assert error.status_code == status and error.code == "some_code"
    assert error.server_message == "Prompt is empty"
    assert error.response is not None and error.response.status_code == status
    assert isinstance(error, errors.CodaiqError)


def test_permission_denied_is_an_authentication_error() -> None:
    assert issubclass(errors.PermissionDeniedError, errors.AuthenticationError)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(400, body="prompt must not be empty\n"), "rejected the request: prompt must not be empty."),
        (
            Reply(400, json={"detail": [{"loc": ["body", "email"], "msg": "value is not a valid email"}]}),
            "value is not a valid email",
        ),
        (Reply(400, json={"message": "Bad website id", "code": "bad_id"}), "Bad website id"),
        (Reply(400, json={"error": "Missing name"}), "Missing name"),
        (Reply(400, json=["unexpected", "list"]), "the input is invalid (HTTP 400)"),
        (Reply(400, body=b""), "the input is invalid (HTTP 400)"),
        (Reply(400, body=b"\xff\xfe binary", content_type="application/octet-stream"), "rejected the request"),
        (Reply(400, body="<html><body>Bad Request</body></html>", content_type="text/html"), "HTTP 400"),
    ],
)
async def test_odd_error_bodies_still_give_a_readable_message(
    client: CodaiqClient, api_server: ScriptedServer, reply: Reply, expected: str
) -> None:
    api_server.on("GET", "/api/project", reply)
    with pytest.raises(errors.ValidationError) as info:
        await client.list_projects()
    assert expected in str(info.value)
    assert "<html>" not in str(info.value)


async def test_a_404_html_page_hints_at_the_base_url(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(404, body="<h1>Not Found</h1>", content_type="text/html"))
    with pytest.raises(errors.NotFoundError, match="ends in /api"):
        await client.list_projects()


async def test_a_long_server_message_is_shortened(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(500, body="x" * 5000))
    with pytest.raises(errors.ServerError) as info:
        await client.get_project("p1")
    assert len(str(info.value)) < 500


async def test_non_json_success_is_an_invalid_response(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(200, body="<html>login</html>", content_type="text/html"))
    with pytest.raises(errors.InvalidResponseError, match="text/html where JSON was expected"):
        await client.list_projects()


@pytest.mark.parametrize(
    ("method", "path", "body", "call"),
    [
        ("POST", "/api/generate", {"projectId": "p"}, lambda c: c.generate("x")),
        ("GET", "/api/analytics", {"uniqueVisitors": 3}, lambda c: c.analytics("w1")),
        ("GET", "/api/project", {"items": []}, lambda c: c.list_projects()),
    ],
)
async def test_missing_documented_fields_are_invalid_responses(
    client: CodaiqClient, api_server: ScriptedServer, method: str, path: str, body: dict, call
) -> None:
    api_server.on(method, path, Reply(200, json=body))
    with pytest.raises(errors.InvalidResponseError, match="Codaiq API"):
        await call(client)


# --- retries -----------------------------------------------------------------------


async def test_get_is_retried_after_503_with_backoff(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on("GET", "/api/project", Reply(503, json=api_error("busy", "Busy")), Reply(json={"projects": []}))
    assert await client.list_projects() == []
    assert len(api_server.requests) == 2
    assert len(sleeps) == 1 and 0.005 <= sleeps[0] <= 0.01  # first backoff, with jitter


async def test_retries_stop_after_max_retries(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on("GET", "/api/project", Reply(502, body="Bad gateway"))
    with pytest.raises(errors.ServerError, match="HTTP 502"):
        await client.list_projects()
    attempts = api_server.requests_to("GET", "/api/project")
    assert len(attempts) == len(api_server.requests) == FAST_RETRY.max_retries + 1 == 4
    assert len(sleeps) == FAST_RETRY.max_retries
    # Backoff doubles from 0.01 s (under the 0.05 s cap); jitter 0.5 takes up to half of each wait off.
    for slept, ceiling in zip(sleeps, (0.01, 0.02, 0.04), strict=True):
        assert ceiling / 2 <= slept <= ceiling, sleeps


async def test_500_is_not_retried(client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]) -> None:
    api_server.on("GET", "/api/project", Reply(500, body="boom"))
    with pytest.raises(errors.ServerError):
        await client.list_projects()
    assert len(api_server.requests) == 1 and sleeps == []


async def test_patch_is_retried_as_idempotent(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("PATCH", "/api/project", Reply(504, body="timeout"), Reply(json={"website": {"id": "w1"}}))
    website = await client.update_website("p1", "w1", name="New")
    assert website.id == "w1"
    patches = api_server.requests_to("PATCH", "/api/project")
    assert len(patches) == 2 and patches[0].body == patches[1].body


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/api/generate", lambda c: c.generate("A site")),
        ("/api/leads/submit", lambda c: c.submit_lead("w1", "Jane", "jane@example.com")),
    ],
)
async def test_unsafe_posts_are_not_retried_after_a_5xx(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float], path: str, call
) -> None:
    api_server.on(
        "POST",
        path,
        Reply(503, body="unavailable"),
        Reply(201, json={"projectId": "p", "websiteId": "w", "status": "queued"}),
    )
    with pytest.raises(errors.ServerError):
        await call(client)
    assert len(api_server.requests_to("POST", path)) == 1 and sleeps == []


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/api/generate", lambda c: c.generate("A site")),
        ("/api/leads/submit", lambda c: c.submit_lead("w1", "Jane", "jane@example.com")),
    ],
)
async def test_unsafe_posts_are_not_retried_after_a_dropped_connection(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float], path: str, call
) -> None:
    api_server.on("POST", path, Reply(201, body=b'{"projectId": "p", "websiteId": "w"}', drop_after=5))
    with pytest.raises(errors.NetworkError, match="may still have been carried out") as info:
        await call(client)
    assert info.value.request_sent is True
    assert len(api_server.requests_to("POST", path)) == 1 and sleeps == []


async def test_get_is_retried_after_a_dropped_connection(client: CodaiqClient, api_server: ScriptedServer) -> None:
    body = b'{"projects": []}'
    api_server.on(
        "GET",
        "/api/project",
        Reply(body=body, content_type="application/json", drop_after=3),
        Reply(json={"projects": []}),
    )
    assert await client.list_projects() == []
    assert len(api_server.requests) == 2


async def test_read_timeout_is_retried_for_get_but_not_for_generate(api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(json={"projects": []}, delay=0.6), Reply(json={"projects": []}))
    api_server.on(
        "POST", "/api/generate", Reply(202, json={"projectId": "p", "websiteId": "w", "status": "queued"}, delay=0.6)
    )
    async with CodaiqClient(api_server.base_url, API_KEY, timeout=0.2, retry=FAST_RETRY) as client:
        assert await client.list_projects() == []
        with pytest.raises(errors.NetworkError, match="did not answer") as info:
            await client.generate("A site")
    assert "may still have been carried out" in str(info.value)
    assert len(api_server.requests_to("GET", "/api/project")) == 2
    assert len(api_server.requests_to("POST", "/api/generate")) == 1


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("method", ["get", "generate"])
async def test_connect_errors_are_retried_even_for_generate(sleeps: list[float], method: str) -> None:
    """Nothing reached the server, so even a POST is safe to try again."""
    port = _closed_port()
    async with CodaiqClient(f"http://127.0.0.1:{port}/api", API_KEY, retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError, match="Could not connect") as info:
            await (client.list_projects() if method == "get" else client.generate("A site"))
    assert info.value.request_sent is False
    assert f"127.0.0.1:{port}" in str(info.value)
    assert len(sleeps) == FAST_RETRY.max_retries


# --- 429 and Retry-After ----------------------------------------------------------


async def test_429_waits_retry_after_seconds_then_succeeds(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on(
        "GET",
        "/api/project",
        Reply(429, json=api_error("rate_limited", "Slow down"), headers={"Retry-After": "7"}),
        Reply(json={"projects": []}),
    )
    assert await client.list_projects() == []
    assert sleeps == [7.0]


async def test_429_waits_until_an_http_date(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    when = datetime.now(UTC) + timedelta(seconds=20)
    api_server.on(
        "GET",
        "/api/project",
        Reply(429, headers={"Retry-After": format_datetime(when, usegmt=True)}),
        Reply(json={"projects": []}),
    )
    await client.list_projects()
    assert len(sleeps) == 1 and 15.0 <= sleeps[0] <= 20.0


async def test_429_is_retried_for_generate_because_nothing_was_done(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on(
        "POST",
        "/api/generate",
        Reply(429, headers={"Retry-After": "2"}),
        Reply(202, json={"projectId": "p", "websiteId": "w", "status": "queued"}),
    )
    assert (await client.generate("A site")).website_id == "w"
    assert sleeps == [2.0]
    assert len(api_server.requests_to("POST", "/api/generate")) == 2


async def test_429_longer_than_the_cap_raises_at_once_with_retry_after(
    api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on(
        "GET", "/api/project", Reply(429, json=api_error("quota", "Daily quota used"), headers={"Retry-After": "3600"})
    )
    unbounded_total = RetryPolicy(max_retries=3, max_retry_after=30.0, total_time=None)  # only the cap can stop it
    async with CodaiqClient(api_server.base_url, API_KEY, retry=unbounded_total) as client:
        with pytest.raises(errors.RateLimitError) as info:
            await client.list_projects()
    assert info.value.retry_after == 3600.0
    assert str(info.value) == "The Codaiq API rate limit was reached; retry in 60 min."
    assert info.value.code == "quota" and info.value.server_message == "Daily quota used"
    assert sleeps == [] and len(api_server.requests) == 1


async def test_429_without_retry_after_uses_backoff_then_gives_up(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on("GET", "/api/project", Reply(429, body="Too many"))
    with pytest.raises(errors.RateLimitError, match="retry later") as info:
        await client.list_projects()
    assert info.value.retry_after is None
    assert len(sleeps) == FAST_RETRY.max_retries and all(s <= FAST_RETRY.backoff_max for s in sleeps)


async def test_total_time_bounds_the_retries(api_server: ScriptedServer, sleeps: list[float]) -> None:
    policy = RetryPolicy(max_retries=10, max_retry_after=30, total_time=10.0)
    api_server.on("GET", "/api/project", Reply(429, headers={"Retry-After": "4"}))
    async with CodaiqClient(api_server.base_url, API_KEY, retry=policy) as client:
        with pytest.raises(errors.RateLimitError):
            await client.list_projects()
    assert sleeps == [4.0, 4.0]  # a third wait would end past 10 s
    assert len(api_server.requests) == 3


async def test_disabled_policy_never_retries(api_server: ScriptedServer, sleeps: list[float]) -> None:
    api_server.on("GET", "/api/project", Reply(503, body="x"), Reply(json=project_reply_json()))
    async with CodaiqClient(api_server.base_url, API_KEY, retry=RetryPolicy.disabled()) as client:
        with pytest.raises(errors.ServerError):
            await client.get_project("p1")
    assert sleeps == [] and len(api_server.requests) == 1


async def test_503_with_retry_after_honours_it(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on("GET", "/api/project", Reply(503, headers={"Retry-After": "3"}), Reply(json={"projects": []}))
    await client.list_projects()
    assert sleeps == [3.0]
