"""Whatever arrives, the receiver answers with a deliberate status: never a 500."""

from __future__ import annotations

import json

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codaiq_desktop.signing import SIGNATURE_HEADER, sign
from tests.fixtures.receiver import ReceiverThread

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
payload_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "event": st.text(max_size=30) | json_values,
        "timestamp": json_values,
        "websiteId": json_values,
        "projectId": json_values,
        "data": json_values,
    },
)
bodies = st.one_of(st.binary(max_size=300), payload_like.map(lambda p: json.dumps(p).encode()))
content_types = st.sampled_from([None, "application/json", "text/plain", "application/json; charset=utf-8", "", "*/*"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, content_type=content_types, signed=st.booleans(), prefix=st.booleans())
def test_any_request_gets_a_deliberate_answer(
    receiver_thread: ReceiverThread, body: bytes, content_type: str | None, signed: bool, prefix: bool
) -> None:
    headers: dict[str, str] = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if signed:
        digest = sign(body, receiver_thread.secret)
        headers[SIGNATURE_HEADER] = f"sha256={digest}" if prefix else digest
    before = receiver_thread.store.count_events()

    response = httpx.post(receiver_thread.url, content=body, headers=headers, timeout=10)

    assert response.status_code in (200, 400, 401, 415), response.text
    after = receiver_thread.store.count_events()
    if response.status_code == 200:
        assert signed and response.json()["received"] is True
        assert after == before + (0 if response.json()["duplicate"] else 1)
    else:
        assert after == before
        assert response.json()["error"]["code"]
