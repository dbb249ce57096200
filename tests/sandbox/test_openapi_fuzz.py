"""A bounded schema fuzz run: schemathesis against the sandbox's own /openapi.json.

Two passes over every operation. The positive pass sends requests that match the document;
each must be answered without a 5xx, with a declared status code, content type and schema,
and must be accepted. The negative pass sends requests that break the document (wrong
types, missing or extra fields, out-of-range values, malformed bodies): none may produce a
5xx, and the answers (mostly 4xx) must still match what the document declares. Bounded so
the whole file stays well under a minute; it runs in every test run.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 12
FUZZ_BURST = 100_000
"""Per-minute burst of the run's keys: the fuzz run measures answers, not the rate limiter."""

NEGATIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
"""What invalid requests are held to. Not ``negative_data_rejection``: every case is sent with
a valid ``X-API-Key`` (so it reaches the routes rather than stopping at 401), which undoes
the header mutations that check would count, and unknown query parameters are ignored by design."""

pytestmark = [pytest.mark.slow, pytest.mark.fuzz]


def fuzz_account_key(sandbox, account: str | None = None) -> str:
    body = {"plan": "enterprise", "burstPerMinute": FUZZ_BURST}
    if account is not None:
        body["account"] = account
    response = sandbox.request("POST", "/api/sandbox/keys", json=body)
    response.raise_for_status()
    return str(response.json()["key"])


@pytest.fixture(scope="module")
def fuzz_key(sandbox) -> str:
    """Its own enterprise account, so generated projects don't crowd the shared one."""
    return fuzz_account_key(sandbox, account="fuzz")


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


def fuzz(operation, key: str, mode: GenerationMode) -> int:
    """Send ``MAX_EXAMPLES`` generated requests to one operation; raises on the first failure found.

    Returns how many of the requests sent were generated in ``mode``."""
    sent_in_mode = 0
    checks = NEGATIVE_CHECKS if mode is GenerationMode.NEGATIVE else None  # None: every check

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:
        nonlocal sent_in_mode
        sent_in_mode += case.meta is not None and case.meta.generation.mode is mode
        case.call_and_validate(headers={"X-API-Key": key}, timeout=30, checks=checks)

    check()
    return sent_in_mode


def has_inputs(operation) -> bool:
    """Whether the operation takes anything a request could get wrong."""
    groups = (operation.path_parameters, operation.headers, operation.query, operation.body)
    return any(len(group) for group in groups)


def fuzz_every_operation(sandbox, schema, fuzz_key: str, mode: GenerationMode) -> tuple[dict[str, int], list[str]]:
    """Fuzz each operation in ``mode``: ({label: requests sent in that mode}, reports of the failures)."""
    failures: list[str] = []
    fuzzed: dict[str, int] = {}
    # An account with no projects: a generated webhook URL there never receives an event, so
    # the run cannot send anything to a made-up host.
    isolated_key = fuzz_account_key(sandbox)
    for operation in operations(schema):
        if operation.label.startswith("PUT /api/sandbox/faults"):
            continue  # would inject faults into the rest of the run
        if mode is GenerationMode.NEGATIVE and not has_inputs(operation):
            continue  # nothing to get wrong
        key = isolated_key if operation.label == "PUT /api/sandbox/webhook" else fuzz_key
        try:
            fuzzed[operation.label] = fuzz(operation, key, mode)
        except (Exception, FailureGroup) as exc:
            failures.append(f"{operation.label}: {exc}")
    sandbox.request("DELETE", "/api/sandbox/faults")
    return fuzzed, failures


def test_fuzzing_finds_no_server_errors_or_schema_violations(sandbox, schema, fuzz_key) -> None:
    fuzzed, failures = fuzz_every_operation(sandbox, schema, fuzz_key, GenerationMode.POSITIVE)
    assert not failures, "\n\n".join(failures)
    assert len(fuzzed) == len(operations(schema)) - 1  # all but PUT /api/sandbox/faults
    assert all(fuzzed.values()), fuzzed
    deliveries = sandbox.request("GET", "/api/sandbox/deliveries", key=fuzz_key).json()["deliveries"]
    assert deliveries == [], "the fuzz run must not send webhooks anywhere"


def test_invalid_requests_get_no_server_errors_and_answers_the_schema_declares(sandbox, schema, fuzz_key) -> None:
    fuzzed, failures = fuzz_every_operation(sandbox, schema, fuzz_key, GenerationMode.NEGATIVE)
    assert not failures, "\n\n".join(failures)
    # Every operation that takes input; those without any (GET /api/sandbox/info ...) have no invalid form.
    assert len(fuzzed) == len([op for op in operations(schema) if has_inputs(op)]) - 1
    assert len(fuzzed) >= 12
    assert all(fuzzed.values()), f"operations that got no invalid request: {fuzzed}"
    deliveries = sandbox.request("GET", "/api/sandbox/deliveries", key=fuzz_key).json()["deliveries"]
    assert deliveries == [], "the fuzz run must not send webhooks anywhere"
