"""Bounded fuzzing of a real ``serve`` process on PostgreSQL: the inbox API and the webhook path.

schemathesis drives every inbox operation from ``/openapi.json`` (valid and invalid
requests) with agency B's token while agency A holds leads: no answer may be a 5xx, and
none may carry anything of A's. hypothesis posts made-up, mis-signed and cross-signed
bodies at both agencies' webhook paths: no 5xx, and afterwards each agency holds exactly
the events that were correctly signed for it. Bounded to stay within a minute or two.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from codaiq_desktop.signing import sign
from codaiq_desktop.tls import ssl_context

from .serve_process import ServeProcess, admin, start_serve

pytestmark = pytest.mark.slow

SECRETS = {"A": "fuzz-secret-of-agency-a-0123456789", "B": "fuzz-secret-of-agency-b-0123456789"}
A_MARK = "Zyxwvu"  # in every one of A's leads; must never appear in an answer to B
MAX_EXAMPLES = 10


@pytest.fixture(scope="module")
def served(postgres_cluster: Any) -> Iterator[tuple[ServeProcess, dict[str, Any]]]:
    from codaiq_desktop.inbox_server.local_cluster import create_database

    db = create_database(postgres_cluster)
    env = {"SA": SECRETS["A"], "SB": SECRETS["B"]}
    agencies = {name: admin(db, "add-agency", name, "--webhook-secret-env", f"S{name}", env=env) for name in "AB"}
    tokens = {
        name: admin(
            db, "add-member", "--agency", agencies[name]["agency"], "--email", f"x@{name}.example", "--role", "admin"
        )["token"]
        for name in "AB"
    }
    serve = start_serve(db)
    with httpx.Client(verify=ssl_context(), base_url=serve.url) as client:
        for number in range(5):
            body = json.dumps(
                {
                    "id": f"evt_a_{number}",
                    "event": "lead.captured",
                    "websiteId": "web_a",
                    "data": {
                        "leadId": f"a_{number}",
                        "name": f"{A_MARK} {number}",
                        "email": f"{A_MARK.lower()}{number}@a.example",
                    },
                }
            ).encode()
            answer = client.post(
                agencies["A"]["webhookPath"],
                content=body,
                headers={"Content-Type": "application/json", "X-Codaiq-Signature": sign(body, SECRETS["A"])},
            )
            assert answer.status_code == 200
    try:
        yield serve, {"agencies": agencies, "tokens": tokens, "db": db}
    finally:
        serve.stop()


def test_schema_fuzz_finds_no_server_error_and_no_cross_tenant_read(
    served: tuple[ServeProcess, dict[str, Any]],
) -> None:
    serve, info = served
    schema = schemathesis.openapi.from_url(f"{serve.url}/openapi.json")
    headers = {"Authorization": f"Bearer {info['tokens']['B']}"}
    failures: list[str] = []
    fuzzed: dict[str, int] = {}

    def leaks(case: Any, response: Any) -> bool:
        if A_MARK.lower() in response.text.lower():
            raise AssertionError(f"B's answer carries A's data: {response.text[:300]}")
        return True

    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label == "GET /api/v1/stream":
            continue  # never ends by itself; covered by the stream tests
        count = 0
        takes_input = any(len(group) for group in (operation.path_parameters, operation.query, operation.body))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if takes_input else (GenerationMode.POSITIVE,):

            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                nonlocal count
                count += 1
                response = case.call(headers=headers, timeout=30)
                case.validate_response(response, checks=[not_a_server_error])
                leaks(case, response)

            try:
                check()
            except (Exception, FailureGroup) as exc:
                failures.append(f"{operation.label} ({mode.name}): {exc}")
        fuzzed[operation.label] = count
    assert not failures, "\n\n".join(failures)
    assert {"GET /api/v1/leads", "PATCH /api/v1/leads/{lead_id}", "GET /api/v1/events"} <= set(fuzzed)
    assert all(fuzzed.values()), fuzzed
    # B's own fuzzed edits never reached A's leads.
    with httpx.Client(verify=ssl_context(), base_url=serve.url) as client:
        a_leads = client.get("/api/v1/leads", headers={"Authorization": f"Bearer {info['tokens']['A']}"}).json()
    assert [lead["version"] for lead in a_leads["leads"]] == [1] * 5


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_bodies = st.one_of(
    st.binary(max_size=200),
    st.builds(
        lambda event, ident, data, extra: json.dumps({"event": event, "id": ident, "data": data, **extra}).encode(),
        st.sampled_from(["lead.captured", "form.submitted", "website.updated"]) | st.text(max_size=30),
        st.text(max_size=30) | st.integers() | st.none(),
        st.dictionaries(
            st.sampled_from(["leadId", "name", "email", "phone", "message", "fields"]), _json_values, max_size=5
        )
        | _json_values,
        st.dictionaries(st.sampled_from(["websiteId", "projectId", "timestamp"]), _json_values, max_size=3),
    ),
)


def test_webhook_fuzz_stores_no_forged_event_and_answers_no_5xx(served: tuple[ServeProcess, dict[str, Any]]) -> None:
    serve, info = served
    expected: dict[str, set[str]] = {"A": {f"evt_a_{n}" for n in range(5)}, "B": set()}

    @settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(
        body=_bodies,
        target=st.sampled_from("AB"),
        signer=st.sampled_from(["own", "other", "garbage", "none", "prefixed"]),
        content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain"]),
    )
    def check(body: bytes, target: str, signer: str, content_type: str) -> None:
        other = "B" if target == "A" else "A"
        headers = {"Content-Type": content_type}
        if signer == "own":
            headers["X-Codaiq-Signature"] = sign(body, SECRETS[target])
        elif signer == "prefixed":
            headers["X-Codaiq-Signature"] = "sha256=" + sign(body, SECRETS[target]).upper()
        elif signer == "other":
            headers["X-Codaiq-Signature"] = sign(body, SECRETS[other])
        elif signer == "garbage":
            headers["X-Codaiq-Signature"] = "0" * 64
        answer = client.post(info["agencies"][target]["webhookPath"], content=body, headers=headers)
        assert answer.status_code in (200, 400, 401, 413, 415), (answer.status_code, answer.text)
        if answer.status_code == 200:
            assert signer in ("own", "prefixed") and content_type != "text/plain"
            expected[target].add(answer.json()["id"])

    with httpx.Client(verify=ssl_context(), base_url=serve.url, timeout=30) as client:
        check()
        for name in "AB":
            stored: set[str] = set()
            cursor = None
            while True:
                page = client.get(
                    "/api/v1/events",
                    params={"limit": 500, **({"cursor": cursor} if cursor else {})},
                    headers={"Authorization": f"Bearer {info['tokens'][name]}"},
                ).json()
                stored |= {event["eventId"] for event in page["events"]}
                cursor = page["next"]
                if cursor is None:
                    break
            assert stored == expected[name], name
