"""A bounded schema fuzz run: schemathesis against the sandbox's own /openapi.json.

Every operation gets a few generated requests (valid and invalid); none may produce a
5xx, and every response must match the status codes, content types and schemas the
document declares. Bounded so it stays a few seconds; it runs in every test run.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

MAX_EXAMPLES = 12

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzz_key(sandbox) -> str:
    """Its own enterprise account, so generated projects don't crowd the shared one."""
    return sandbox.new_key("enterprise", account="fuzz")


@pytest.fixture(scope="module")
def schema(sandbox):
    return schemathesis.openapi.from_url(f"{sandbox.root_url}/openapi.json")


def operations(schema) -> list:
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())
    return found


def test_the_schema_covers_every_route(schema) -> None:
    labels = {op.label for op in operations(schema)}
    assert {
        "POST /api/generate",
        "GET /api/project",
        "PATCH /api/project",
        "POST /api/leads/submit",
        "GET /api/analytics",
        "GET /api/export",
        "POST /api/sandbox/keys",
        "PUT /api/sandbox/webhook",
        "DELETE /api/sandbox/webhook",
        "PUT /api/sandbox/projects/{projectId}/webhook",
        "DELETE /api/sandbox/projects/{projectId}/webhook",
        "GET /api/sandbox/deliveries",
        "POST /api/sandbox/simulate",
        "GET /api/sandbox/faults",
        "PUT /api/sandbox/faults",
        "DELETE /api/sandbox/faults",
        "GET /api/sandbox/info",
    } <= labels


def fuzz(operation, key: str) -> None:
    """Send ``MAX_EXAMPLES`` generated requests to one operation; raises on the first failure found."""

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case) -> None:
        case.call_and_validate(headers={"X-API-Key": key}, timeout=30)

    check()


def test_fuzzing_finds_no_server_errors_or_schema_violations(sandbox, schema, fuzz_key) -> None:
    failures: list[str] = []
    # An account with no projects: a generated webhook URL there never receives an event, so
    # the run cannot send anything to a made-up host.
    isolated_key = sandbox.new_key("enterprise")
    for operation in operations(schema):
        if operation.label.startswith("PUT /api/sandbox/faults"):
            continue  # would inject faults into the rest of the run
        key = isolated_key if operation.label == "PUT /api/sandbox/webhook" else fuzz_key
        try:
            fuzz(operation, key)
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{operation.label}: {exc}")
    sandbox.request("DELETE", "/api/sandbox/faults")
    assert not failures, "\n\n".join(failures)
    deliveries = sandbox.request("GET", "/api/sandbox/deliveries", key=fuzz_key).json()["deliveries"]
    assert deliveries == [], "the fuzz run must not send webhooks anywhere"
