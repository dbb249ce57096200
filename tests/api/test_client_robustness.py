"""Whatever a server or a header sends, the client answers with a model or a CodaiqError.

Property tests on the pieces that read untrusted input (error bodies, Retry-After,
Content-Disposition), plus concurrent use of one client on a real server.
"""

from __future__ import annotations

import asyncio
import json

import httpx
from hypothesis import given
from hypothesis import strategies as st

from codaiq_desktop.api import CodaiqClient, errors
from codaiq_desktop.api.error_mapping import error_details
from codaiq_desktop.api.export_file import export_filename
from codaiq_desktop.api.retry import parse_retry_after
from tests.api.conftest import API_KEY
from tests.api.scripted_server import Reply, ScriptedServer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=15,
)


@given(
    st.one_of(json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=300)),
    st.sampled_from(["application/json", "text/plain", "text/html", "application/octet-stream", ""]),
)
def test_any_error_body_gives_text_or_nothing(body: bytes, content_type: str) -> None:
    response = httpx.Response(400, content=body, headers={"content-type": content_type} if content_type else {})
    code, message, _ = error_details(response)
    assert code is None or isinstance(code, str)
    assert message is None or (isinstance(message, str) and "\n" not in message and len(message) <= 300)


@given(st.text(max_size=60))
def test_any_retry_after_parses_to_a_wait_or_none(value: str) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or seconds >= 0.0


@given(
    st.one_of(
        st.text(max_size=80),
        st.text(max_size=40).map(lambda s: f'attachment; filename="{s}"'),
        st.text(max_size=40).map(lambda s: f"attachment; filename*=UTF-8''{s}"),
    ),
    st.one_of(st.just("w1"), st.just("../../etc/passwd"), st.text(max_size=300)),
)
def test_any_content_disposition_gives_a_plain_zip_name(value: str, website_id: str) -> None:
    header = value.encode("utf-8")  # as raw bytes on the wire
    response = httpx.Response(200, headers=[(b"content-disposition", header)])
    name = export_filename(response, website_id)
    assert name.lower().endswith(".zip")
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert name == name.strip() and name.lower() != ".zip" and name.isprintable()
    assert len(name.encode()) <= 210


async def test_one_client_serves_many_concurrent_calls(api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(json={"projects": [{"id": "p1", "websites": []}]}))
    api_server.on("GET", "/api/analytics", Reply(json={"totalPageviews": 5}))
    async with CodaiqClient(api_server.base_url, API_KEY) as client:
        results = await asyncio.gather(
            *[client.list_projects() for _ in range(15)], *[client.analytics("w1") for _ in range(15)]
        )
    assert [len(r) for r in results[:15]] == [1] * 15
    assert {r.total_pageviews for r in results[15:]} == {5}
    assert len(api_server.requests) == 30


async def test_a_closed_client_says_so(api_server: ScriptedServer) -> None:
    client = CodaiqClient(api_server.base_url, API_KEY)
    await client.aclose()
    assert client.closed
    try:
        await client.list_projects()
    except (RuntimeError, errors.CodaiqError) as exc:
        assert "closed" in str(exc).lower()
    else:
        raise AssertionError("a closed client must refuse to send")
