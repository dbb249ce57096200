"""The client and the CLI end to end against the real sandbox (its own server, data and builds).

Every test here runs twice (``any_sandbox``): against the normal sandbox, and against the
documented-only one, which answers with only the fields the public docs name - as the real
service may. Where the two differ, the test says what each must give.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors, models
from codaiq_desktop.cli import main
from codaiq_desktop.sandbox import SandboxConfig, SandboxServer
from tests.fixtures.sandbox import RunningSandbox, SandboxFaults

POLL = {"interval": 0.05, "max_interval": 0.2, "timeout": 30.0}


async def test_generate_build_update_lead_analytics_export(any_sandbox: RunningSandbox, tmp_path: Path) -> None:
    sandbox = any_sandbox
    documented = sandbox.documented_only
    key = sandbox.new_key("agency")
    seen_quota: list[models.RateLimitInfo] = []
    async with CodaiqClient(sandbox.base_url, key, on_rate_limit=seen_quota.append) as client:
        started = await client.generate("A modern landing page for a bakery in Leeds", name="Leeds Bakery")
        assert started.status in models.BuildStatus.KNOWN
        assert set(started.raw) == {"projectId", "websiteId", "status"} or not documented

        updates = [u async for u in client.wait_for_build(started.project_id, started.website_id, **POLL)]
        assert updates[-1].status == models.BuildStatus.READY
        assert all(not u.is_terminal for u in updates[:-1])
        assert len(set(updates)) == len(updates)  # each yield is a change
        assert all(u.website.id == started.website_id for u in updates)
        if documented:  # no percentages are invented where none were sent
            assert all(u.progress is None and u.step is None for u in updates)

        project = await client.get_project(started.project_id)
        assert project.id == started.project_id
        # Documented-only sends no ids: this client knows the one it generated (context).
        (website,) = [w for w in project.websites if w.id == started.website_id]
        assert website.build_status == "ready" and website.project_id == started.project_id
        assert website.domain
        listed = await client.list_projects()
        if documented:
            domains = [w.domain for p in listed for w in p.websites]
            assert website.domain in domains and all(w.id is None for p in listed for w in p.websites)
        else:
            assert started.project_id in [p.id for p in listed]

        renamed = await client.update_website(
            started.project_id,
            started.website_id,
            name="Leeds Bakery & Cafe",
            metadata={"seoTitle": "Fresh bread in Leeds", "clientRef": "ACME-7"},
        )
        assert renamed.name == "Leeds Bakery & Cafe" and renamed.seo_title == "Fresh bread in Leeds"
        assert renamed.metadata["clientRef"] == "ACME-7" and renamed.id == started.website_id
        cleared = await client.update_website(started.project_id, started.website_id, metadata={"clientRef": None})
        assert "clientRef" not in cleared.metadata and cleared.seo_title == "Fresh bread in Leeds"

        receipt = await client.submit_lead(
            started.website_id, "Jane Smith", "jane@example.com", phone="+44 7700 900000", message="Wedding cake?"
        )
        assert receipt.website_id == started.website_id
        assert (receipt.lead_id is None) if documented else bool(receipt.lead_id)

        simulated = sandbox.request(
            "POST", "/api/sandbox/simulate", key=key, json={"websiteId": started.website_id, "days": 30}
        )
        simulated.raise_for_status()
        stats = await client.analytics(started.website_id, range="30d")
        assert stats.range == "30d" and stats.website_id == started.website_id
        assert stats.total_pageviews >= simulated.json()["pageviews"] > 0
        if documented:  # not sent is None, never zero
            assert stats.timeseries is None and stats.top_pages is None and stats.unique_visitors is None
            assert set(stats.raw) == {"totalPageviews"}
        else:
            assert stats.timeseries and stats.top_pages

        progress: list[tuple[int, int | None]] = []
        path = await client.export_website(
            started.project_id,
            started.website_id,
            tmp_path,
            progress=lambda done, total: progress.append((done, total)),
        )
        assert path.parent == tmp_path and path.suffix == ".zip"
        assert progress[-1][0] == path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        assert "index.html" in names
        assert {name.split("/")[0] + "/" for name in names if "/" in name} >= {"pages/", "styles/"}
        assert [p.name for p in tmp_path.iterdir()] == [path.name]

    if documented:  # the docs name no X-RateLimit-* headers
        assert client.rate_limit is None and not seen_quota
    else:
        assert client.rate_limit is not None and client.rate_limit.limit is not None
        assert seen_quota and seen_quota[-1] == client.rate_limit


async def test_sandbox_errors_map_to_the_hierarchy(any_sandbox: RunningSandbox, tmp_path: Path) -> None:
    sandbox = any_sandbox
    key = sandbox.new_key("enterprise")
    stranger = sandbox.new_key("enterprise")
    async with CodaiqClient(sandbox.base_url, key, retry=RetryPolicy.disabled()) as client:
        started = await client.generate("A florist", name="Florist")
        with pytest.raises(errors.NotFoundError):
            await client.get_project("no-such-project")
        with pytest.raises(errors.ValidationError):
            await client.generate("x" * 4001)
        with pytest.raises(errors.ValidationError):
            await client.analytics(started.website_id, range="1y")
    async with CodaiqClient(sandbox.base_url, stranger, retry=RetryPolicy.disabled()) as other:
        # Another account's project is 403 "key not allowed for that project" (API.md), not 404.
        with pytest.raises(errors.PermissionDeniedError) as denied:
            await other.get_project(started.project_id)
        assert type(denied.value) is errors.PermissionDeniedError and denied.value.status_code == 403
    async with CodaiqClient(sandbox.base_url, "ck_not_a_real_key_0000000000", retry=RetryPolicy.disabled()) as bad:
        with pytest.raises(errors.AuthenticationError) as info:
            await bad.list_projects()
    assert "ck_not_a_real_key_0000000000" not in str(info.value)


@pytest.mark.parametrize("documented_only", [False, True], ids=["normal", "documented-only"])
async def test_export_before_the_build_finishes_is_a_conflict(tmp_path: Path, documented_only: bool) -> None:
    """Its own in-process sandbox whose builds take a minute, so "not built yet" is certain."""
    server = SandboxServer(
        SandboxConfig(data_dir=tmp_path / "data", build_seconds=60.0, documented_only=documented_only)
    )
    await server.start()
    try:
        async with CodaiqClient(server.base_url, server.default_api_key, retry=RetryPolicy.disabled()) as client:
            started = await client.generate("A florist", name="Florist")
            dest = tmp_path / "out"
            dest.mkdir()
            with pytest.raises(errors.ConflictError, match="Wait for the website's build to finish"):
                await client.export_website(started.project_id, started.website_id, dest / "early.zip")
            assert list(dest.iterdir()) == []
            async with contextlib.aclosing(client.wait_for_build(started.project_id, started.website_id)) as builds:
                update = await anext(builds)
            assert update.status in (models.BuildStatus.QUEUED, models.BuildStatus.BUILDING)
    finally:
        await server.stop()


async def test_free_plan_burst_limit_raises_rate_limit_with_retry_after(any_sandbox: RunningSandbox) -> None:
    sandbox = any_sandbox
    key = sandbox.new_key("free")
    async with CodaiqClient(sandbox.base_url, key, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(errors.RateLimitError) as info:
            for _ in range(20):
                await client.list_projects()
        assert info.value.retry_after is not None and info.value.retry_after > 0  # Retry-After is documented
        if sandbox.documented_only:
            assert client.rate_limit is None
        else:
            assert client.rate_limit is not None and client.rate_limit.remaining == 0
    # One sentence in the client's words: the sandbox's own "retry in N s" is not appended.
    message = str(info.value)
    assert message.count("retry") == 1 and message.count(".") == 1, message
    assert re.fullmatch(r"The Codaiq API rate limit was reached; retry in \d+ (s|min)\.", message), message
    assert info.value.code == "rate_limited"
    assert info.value.server_message is not None and "retry in" in info.value.server_message


async def test_an_injected_rate_limit_reads_as_one_sentence(
    any_sandbox: RunningSandbox, any_sandbox_faults: SandboxFaults
) -> None:
    sandbox, sandbox_faults = any_sandbox, any_sandbox_faults
    sandbox_faults.set({"path": "/api/project", "kind": "rate_limit", "retryAfter": 600, "count": 1})
    async with CodaiqClient(sandbox.base_url, sandbox.api_key, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(errors.RateLimitError) as info:
            await client.list_projects()
    assert str(info.value) == "The Codaiq API rate limit was reached; retry in 10 min."
    assert info.value.retry_after == 600.0 and info.value.code == "rate_limited"


async def test_injected_503_is_retried_and_a_drop_on_generate_is_not(
    any_sandbox: RunningSandbox, any_sandbox_faults: SandboxFaults
) -> None:
    sandbox, sandbox_faults = any_sandbox, any_sandbox_faults
    policy = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.02)
    async with CodaiqClient(sandbox.base_url, sandbox.api_key, retry=policy) as client:
        sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "error", "status": 503, "count": 1})
        await client.list_projects()
        assert sandbox_faults.active() == []  # the fault fired once and the retry went through

        sandbox_faults.set({"path": "/api/generate", "kind": "drop", "count": 1})
        with pytest.raises(errors.NetworkError):
            await client.generate("Never sent twice")
        assert sandbox_faults.active() == []
        names = [p.name for p in await client.list_projects()]
        names += [w.name for p in await client.list_projects() for w in p.websites]
    assert "Never sent twice" not in names


def test_cli_generate_wait_and_projects(
    any_sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = any_sandbox
    key = sandbox.new_key("enterprise")
    monkeypatch.setenv("CODAIQ_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("CODAIQ_API_KEY", key)
    assert main(["generate", "--prompt", "A yoga studio", "--name", "Yoga", "--wait", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "ready" and result["website"]["metadata"]["buildStatus"] == "ready"
    assert main(["projects", result["projectId"]]) == 0
    out = capsys.readouterr().out
    assert "ready" in out and result["website"]["domain"] in out
    # A new process has no context: it says the service sent no id rather than invent one.
    assert (
        (result["websiteId"] not in out and "(no id sent)" in out)
        if sandbox.documented_only
        else result["websiteId"] in out
    )


def test_cli_projects_json_in_a_real_process(any_sandbox: RunningSandbox) -> None:
    sandbox = any_sandbox
    key = sandbox.new_key("enterprise")
    project_id, _ = sandbox.generate("A dentist", name="Dentist", key=key)
    script = Path(sys.executable).with_name("codaiq-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "codaiq_desktop"]
    environment = {**os.environ, "CODAIQ_BASE_URL": sandbox.base_url, "CODAIQ_API_KEY": key}
    result = subprocess.run(
        [*command, "projects", "--json"], capture_output=True, text=True, timeout=60, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr
    projects = json.loads(result.stdout)["projects"]
    if sandbox.documented_only:  # websites only, without ids or projects: listed, not invented
        assert [p["id"] for p in projects] == [None] and [w["name"] for w in projects[0]["websites"]] == ["Dentist"]
    else:
        assert [p["id"] for p in projects] == [project_id]
    assert key not in result.stdout + result.stderr
