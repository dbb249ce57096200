"""The API key never shows in repr, str, exception text, tracebacks or log records."""

from __future__ import annotations

import logging
import pickle
import traceback

import pytest

from codaiq_desktop.api import ApiKey, CodaiqClient, RetryPolicy, errors
from tests.api.conftest import API_KEY, FAST_RETRY
from tests.api.scripted_server import Reply, ScriptedServer


def test_api_key_masks_itself_everywhere() -> None:
    key = ApiKey(API_KEY)
    logging_style = "%s %r" % (key, key)  # noqa: UP031 - what logging does with arguments
    for text in (repr(key), str(key), f"{key}", f"{key!r}", logging_style):
        assert API_KEY not in text
    assert repr(key) == "ApiKey('****0042')"
    assert key.reveal() == API_KEY
    assert str(ApiKey("short-key")) == "****"
    assert key == ApiKey(API_KEY) and key != ApiKey("other-key-000000000000")
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(key)


def test_client_repr_hides_the_key() -> None:
    client = CodaiqClient("https://codaiq.com/api", API_KEY)
    assert API_KEY not in repr(client) and API_KEY not in str(client)
    assert API_KEY not in repr(client._http.auth)
    assert API_KEY not in repr(vars(client))


def _full_text(error: BaseException) -> str:
    """Everything a user or a crash report could see of an error, locals included."""
    plain = "".join(traceback.format_exception(error))
    with_locals = "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())
    return "\n".join([str(error), repr(error), plain, with_locals, repr(error.args)])


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 429, 500])
async def test_errors_never_contain_the_key_even_when_the_server_echoes_it(
    api_server: ScriptedServer, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api_server.on(
        "GET",
        "/api/project",
        Reply(
            status,
            json={"error": {"code": "x", "message": f"Key {API_KEY} is not valid"}},
            headers={"Retry-After": "0"},
        ),
    )
    async with CodaiqClient(api_server.base_url, API_KEY, retry=RetryPolicy.disabled()) as client:
        with pytest.raises(errors.CodaiqError) as info:
            await client.get_project("p1")
    error = info.value
    assert "****0042" in (error.server_message or "")  # the echo was masked, not dropped
    if status != 429:  # a 429 is told in the client's words only (the server's would repeat the wait)
        assert "****0042" in str(error)
    assert API_KEY not in _full_text(error)
    assert API_KEY not in (error.server_message or "")
    restored = pickle.loads(pickle.dumps(error))
    assert type(restored) is type(error) and str(restored) == str(error)
    assert API_KEY not in caplog.text


async def test_network_errors_and_logs_never_contain_the_key(
    api_server: ScriptedServer, caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    caplog.set_level(logging.DEBUG)
    api_server.on("GET", "/api/project", Reply(503, body=API_KEY), Reply(body=b"xx", drop_after=1))
    async with CodaiqClient(api_server.base_url, API_KEY, retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError) as info:
            await client.list_projects()
    assert API_KEY not in _full_text(info.value)
    assert sleeps  # the retries ran and logged
    records = caplog.records
    assert any(r.name.startswith("codaiq_desktop.api") for r in records)
    assert any(r.name.startswith("httpcore") or r.name.startswith("httpx") for r in records)
    for record in records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in repr(record.args)
    assert API_KEY not in caplog.text


async def test_invalid_key_error_does_not_echo_it() -> None:
    with pytest.raises(ValueError) as info:
        ApiKey("abc def-" + "x" * 20)
    error = info.value
    error.__traceback__ = error.__traceback__.tb_next  # ApiKey's own frames only: the test's hold the value
    text = _full_text(error)
    assert "credentials.py" in text
    assert "abc def-" + "x" * 20 not in text
