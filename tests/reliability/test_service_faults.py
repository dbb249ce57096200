"""Service-side faults against the real client: what it retries, what it refuses to repeat, what it says.

Faults come from the sandbox's fault switch (latency, error statuses, 429, a dropped
connection before any answer) and from a TCP proxy for what the sandbox cannot fake
(a response cut half way, a download that breaks off, an upload cut short). For each
fault the test checks three things: the words the user gets, whether the request was
sent again (only when that is safe), and what the server ended up with (never a
duplicate website or lead).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors
from tests.fixtures.sandbox import RunningSandbox, SandboxFaults
from tests.reliability.conftest import FAST_RETRY, BuiltSite, server_lead_count
from tests.reliability.fault_proxy import BreakRule, FaultProxy

PROJECT = "/api/project"
LEADS = "/api/leads/submit"
GENERATE = "/api/generate"


def _only_rule(faults: SandboxFaults) -> dict:
    (rule,) = faults.active()
    return rule


# --- latency ------------------------------------------------------------------------------


async def test_a_latency_spike_past_the_timeout_is_a_plain_network_error_and_gets_is_retried(
    sandbox: RunningSandbox, built_site: BuiltSite, sandbox_faults: SandboxFaults
) -> None:
    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "latency", "delay": 5.0})
    async with CodaiqClient(sandbox.base_url, built_site.key, timeout=0.3, retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError) as info:
            await client.list_projects()
    message = str(info.value)
    assert "did not answer within under a second" in message and "Try again" in message
    assert "ReadTimeout" not in message and "Traceback" not in message
    assert _only_rule(sandbox_faults)["hits"] == 1 + FAST_RETRY.max_retries  # a GET is sent again


async def test_one_latency_spike_is_ridden_out_by_a_retry(
    sandbox: RunningSandbox, built_site: BuiltSite, sandbox_faults: SandboxFaults
) -> None:
    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "latency", "delay": 10.0, "count": 1})
    async with CodaiqClient(sandbox.base_url, built_site.key, timeout=1.0, retry=FAST_RETRY) as client:
        projects = await client.list_projects()
    assert [p.id for p in projects] == [built_site.project_id]
    assert sandbox_faults.active() == []  # the slow attempt happened, then the retry went through


async def test_a_generate_that_times_out_is_not_sent_again(
    sandbox: RunningSandbox, sandbox_faults: SandboxFaults
) -> None:
    key = sandbox.new_key("enterprise")
    sandbox_faults.set({"path": GENERATE, "kind": "latency", "delay": 5.0})
    async with CodaiqClient(sandbox.base_url, key, timeout=0.3, retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError) as info:
            await client.generate("A slow florist", name="Slow Florist")
    assert "may still have been carried out" in str(info.value)
    assert info.value.request_sent
    assert _only_rule(sandbox_faults)["hits"] == 1  # never repeated
    sandbox_faults.clear()
    projects = sandbox.request("GET", PROJECT, key=key).json()["projects"]
    assert sum(len(project["websites"]) for project in projects) <= 1  # never two sites from one click


# --- error statuses -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [502, 503])
async def test_a_gateway_error_on_a_get_is_retried_and_succeeds(
    site_client: CodaiqClient, built_site: BuiltSite, sandbox_faults: SandboxFaults, status: int
) -> None:
    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "error", "status": status, "count": 2})
    project = await site_client.get_project(built_site.project_id)
    assert [w.id for w in project.websites] == [built_site.website_id]
    assert sandbox_faults.active() == []  # both faulty answers were seen, the third attempt went through


async def test_a_500_is_reported_at_once_by_default_and_retried_when_the_policy_says_so(
    sandbox: RunningSandbox, built_site: BuiltSite, sandbox_faults: SandboxFaults
) -> None:
    """500 is an application error that usually repeats; the default policy retries only 502/503/504."""
    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "error", "status": 500})
    async with CodaiqClient(sandbox.base_url, built_site.key, retry=FAST_RETRY) as client:
        with pytest.raises(errors.ServerError) as info:
            await client.list_projects()
    assert str(info.value).startswith("The Codaiq service failed (HTTP 500")
    assert "try again in a moment" in str(info.value)
    assert _only_rule(sandbox_faults)["hits"] == 1

    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "error", "status": 500, "count": 1})
    with_500 = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.02, retry_statuses=frozenset({500, 503}))
    async with CodaiqClient(sandbox.base_url, built_site.key, retry=with_500) as client:
        assert [p.id for p in await client.list_projects()] == [built_site.project_id]
    assert sandbox_faults.active() == []


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_generate_and_submit_lead_are_never_repeated_after_a_5xx(
    sandbox: RunningSandbox, built_site: BuiltSite, sandbox_faults: SandboxFaults, status: int
) -> None:
    sandbox_faults.set(
        {"path": GENERATE, "kind": "error", "status": status}, {"path": LEADS, "kind": "error", "status": status}
    )
    async with CodaiqClient(sandbox.base_url, built_site.key, retry=FAST_RETRY) as client:
        with pytest.raises(errors.ServerError, match=f"HTTP {status}"):
            await client.generate("A second bakery")
        with pytest.raises(errors.ServerError, match=f"HTTP {status}"):
            await client.submit_lead(built_site.website_id, "Jane Smith", "jane@example.com")
    assert [rule["hits"] for rule in sandbox_faults.active()] == [1, 1]
    assert server_lead_count(sandbox, built_site.website_id) == 0


async def test_an_update_is_retried_after_a_503_because_the_same_body_gives_the_same_result(
    site_client: CodaiqClient, built_site: BuiltSite, sandbox_faults: SandboxFaults
) -> None:
    sandbox_faults.set({"path": PROJECT, "method": "PATCH", "kind": "error", "status": 503, "count": 1})
    website = await site_client.update_website(
        built_site.project_id, built_site.website_id, metadata={"clientRef": "ACME-7"}
    )
    assert website.metadata["clientRef"] == "ACME-7"
    assert sandbox_faults.active() == []


# --- 429 ---------------------------------------------------------------------------------------


async def test_a_429_burst_is_sat_out_for_what_retry_after_asks_and_then_succeeds(
    site_client: CodaiqClient, built_site: BuiltSite, sandbox_faults: SandboxFaults, sleeps: list[float]
) -> None:
    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "rate_limit", "retryAfter": 2, "count": 3})
    projects = await site_client.list_projects()
    assert [p.id for p in projects] == [built_site.project_id]
    assert sleeps == [2.0, 2.0, 2.0]  # the server's wait, not the client's own backoff
    assert sandbox_faults.active() == []


async def test_a_429_on_submit_lead_is_retried_and_records_the_lead_once(
    sandbox: RunningSandbox,
    site_client: CodaiqClient,
    built_site: BuiltSite,
    sandbox_faults: SandboxFaults,
    sleeps: list[float],
) -> None:
    """A 429 means the server did not act, so even a POST is safe to repeat."""
    sandbox_faults.set({"path": LEADS, "kind": "rate_limit", "retryAfter": 1, "count": 2})
    receipt = await site_client.submit_lead(built_site.website_id, "Jane Smith", "jane@example.com")
    assert receipt.lead_id
    assert sleeps == [1.0, 1.0]
    assert server_lead_count(sandbox, built_site.website_id) == 1


async def test_a_retry_after_longer_than_the_client_will_wait_is_raised_at_once_with_when(
    site_client: CodaiqClient, sandbox_faults: SandboxFaults, sleeps: list[float]
) -> None:
    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "rate_limit", "retryAfter": 600})
    with pytest.raises(errors.RateLimitError) as info:
        await site_client.list_projects()
    assert info.value.retry_after == 600
    assert "rate limit was reached" in str(info.value) and "retry in 10 min" in str(info.value)
    assert sleeps == []
    assert _only_rule(sandbox_faults)["hits"] == 1


# --- dropped connections ---------------------------------------------------------------------


async def test_a_dropped_connection_on_a_get_is_retried(
    site_client: CodaiqClient, built_site: BuiltSite, sandbox_faults: SandboxFaults
) -> None:
    sandbox_faults.set({"path": PROJECT, "method": "GET", "kind": "drop", "count": 2})
    assert [p.id for p in await site_client.list_projects()] == [built_site.project_id]
    assert sandbox_faults.active() == []


async def test_a_dropped_connection_on_submit_lead_is_reported_not_repeated(
    sandbox: RunningSandbox, site_client: CodaiqClient, built_site: BuiltSite, sandbox_faults: SandboxFaults
) -> None:
    sandbox_faults.set({"path": LEADS, "kind": "drop"})
    with pytest.raises(errors.NetworkError) as info:
        await site_client.submit_lead(built_site.website_id, "Jane Smith", "jane@example.com")
    message = str(info.value)
    assert message.startswith("The connection to the Codaiq API at http://127.0.0.1:")
    assert "broke off" in message and "may still have been carried out" in message
    assert _only_rule(sandbox_faults)["hits"] == 1
    assert server_lead_count(sandbox, built_site.website_id) == 0


async def test_a_response_cut_mid_way_is_retried_for_a_get(proxy: FaultProxy, built_site: BuiltSite) -> None:
    rule = proxy.add_rule(BreakRule(b"GET /api/project", "cut_response", after_bytes=120, count=2))
    async with CodaiqClient(proxy.url("/api"), built_site.key, retry=FAST_RETRY) as client:
        projects = await client.list_projects()
    assert [p.id for p in projects] == [built_site.project_id]
    assert rule.hits == 2


async def test_a_lead_whose_answer_is_cut_off_is_recorded_once_and_the_user_is_told_to_check(
    sandbox: RunningSandbox, proxy: FaultProxy, built_site: BuiltSite
) -> None:
    """The server did record the lead; only its answer was lost. Repeating would record it twice."""
    rule = proxy.add_rule(BreakRule(b"POST /api/leads/submit", "cut_response", after_bytes=40, count=5))
    async with CodaiqClient(proxy.url("/api"), built_site.key, retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError) as info:
            await client.submit_lead(built_site.website_id, "Jane Smith", "jane@example.com")
    assert "may still have been carried out: check before sending it again" in str(info.value)
    assert rule.hits == 1
    sandbox.settle()
    assert server_lead_count(sandbox, built_site.website_id) == 1


# --- downloads and uploads cut short -----------------------------------------------------------


async def test_an_export_that_breaks_off_mid_download_leaves_nothing_and_is_not_redownloaded(
    proxy: FaultProxy, built_site: BuiltSite, tmp_path: Path
) -> None:
    dest = tmp_path / "exports"
    dest.mkdir()
    (dest / "leeds-bakery.zip").write_bytes(b"last week's export")
    rule = proxy.add_rule(BreakRule(b"GET /api/export", "cut_response", after_bytes=4000, count=5))
    async with CodaiqClient(proxy.url("/api"), built_site.key, retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError) as info:
            await client.export_website(built_site.project_id, built_site.website_id, dest)
        assert "The export download broke off after" in str(info.value)
        assert "nothing was saved" in str(info.value)
        assert rule.hits == 1
        assert sorted(p.name for p in dest.iterdir()) == ["leeds-bakery.zip"]  # no temp file left
        assert (dest / "leeds-bakery.zip").read_bytes() == b"last week's export"

        proxy.clear_rules()
        path = await client.export_website(built_site.project_id, built_site.website_id, dest)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None and "index.html" in archive.namelist()
    assert sorted(p.name for p in dest.iterdir()) == ["leeds-bakery.zip"]


async def test_an_update_whose_large_upload_is_cut_short_is_sent_again_and_applied(
    proxy: FaultProxy, built_site: BuiltSite
) -> None:
    notes = "Brief from the client meeting. " * 20_000  # ~600 KB, under the 1 MiB limit
    rule = proxy.add_rule(BreakRule(b"PATCH /api/project", "cut_request", after_bytes=64 * 1024, count=1))
    async with CodaiqClient(proxy.url("/api"), built_site.key, retry=FAST_RETRY) as client:
        website = await client.update_website(built_site.project_id, built_site.website_id, metadata={"notes": notes})
    assert rule.hits == 1
    assert website.metadata["notes"] == notes


async def test_a_lead_whose_upload_is_cut_short_is_not_repeated_and_not_recorded(
    sandbox: RunningSandbox, proxy: FaultProxy, built_site: BuiltSite
) -> None:
    rule = proxy.add_rule(BreakRule(b"POST /api/leads/submit", "cut_request", after_bytes=16 * 1024, count=5))
    async with CodaiqClient(proxy.url("/api"), built_site.key, retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError) as info:
            await client.submit_lead(
                built_site.website_id, "Jane Smith", "jane@example.com", message="Wedding cake. " * 60_000
            )
    assert "broke off" in str(info.value)
    assert rule.hits == 1
    sandbox.settle()
    assert server_lead_count(sandbox, built_site.website_id) == 0


async def test_a_body_over_the_servers_limit_is_refused_early_in_plain_words(
    sandbox: RunningSandbox, site_client: CodaiqClient, built_site: BuiltSite
) -> None:
    """The sandbox answers 413 from the declared length and closes without reading 8 MB."""
    with pytest.raises(errors.ValidationError) as info:
        await site_client.submit_lead(built_site.website_id, "Jane Smith", "jane@example.com", message="x" * 8_000_000)
    assert info.value.status_code == 413
    assert "too large" in str(info.value) and "Shorten the text" in str(info.value)
    assert server_lead_count(sandbox, built_site.website_id) == 0
