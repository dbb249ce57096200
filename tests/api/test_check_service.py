"""`codaiq-desktop check-service` against both sandbox modes: the right lists, in text and JSON."""

from __future__ import annotations

import json

import pytest

from codaiq_desktop.api import CodaiqClient
from codaiq_desktop.api.service_check import check_service
from codaiq_desktop.cli import main
from tests.api.scripted_server import Reply, ScriptedServer
from tests.fixtures.sandbox import RunningSandbox


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check-service", *args])
    return code, capsys.readouterr().out


def test_check_service_reports_what_each_sandbox_mode_sends(
    any_sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = any_sandbox
    key = sandbox.new_key("enterprise")
    project_id, website_id = sandbox.generate("A bakery in Leeds", "Crumb", key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    monkeypatch.setenv("CODAIQ_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("CODAIQ_API_KEY", key)

    code, out = _run(capsys, "--json")
    assert code == 0
    report = json.loads(out)
    documented_website = [
        "websites[].name",
        "websites[].domain",
        "websites[].metadata",
        "websites[].metadata.buildStatus",
    ]
    features = {f["name"]: f["state"] for f in report["features"]}
    assert report["missing"] == [] and report["websites_seen"] == 1
    if sandbox.documented_only:
        # Nothing beyond the docs, and no id to ask analytics for: the probe says so.
        assert report["list_shape"] == '{"websites": [...]}'
        assert report["documented"] == documented_website and report["extra"] == []
        assert report["website_id"] is None and report["calls"] == ["GET /api/project"]
        assert features == {
            "Build progress": "degraded",
            "Projects": "degraded",
            "Preview": "degraded",
            "Analytics": "not checked",
            "Previous-period comparison": "not checked",
            "Quota display": "degraded",
        }
    else:
        assert report["list_shape"] == '{"projects": [...]}'
        assert report["documented"] == [*documented_website, "totalPageviews"]
        for extra in (
            "websites[].id",
            "websites[].metadata.buildProgress",
            "analytics.uniqueVisitors",
            "projects[].id",
        ):
            assert extra in report["extra"]
        assert report["website_id"] == website_id
        assert set(features.values()) == {"full"}

    # With the id given (as the app's registry would), analytics are checked in both modes.
    code, out = _run(capsys, "--website", website_id)
    assert code == 0
    assert "Documented fields that arrived:\n" in out and "  totalPageviews\n" in out
    if sandbox.documented_only:
        assert "Extra fields the service sends (not in the docs):\n  (none)" in out
        assert "degraded  Analytics: total page views only; not provided by the service: uniqueVisitors" in out
    else:
        assert "  analytics.topPages\n" in out and "full  Analytics:" in out
    assert key not in out


async def test_an_account_without_websites_is_said_plainly(api_server: ScriptedServer, client: CodaiqClient) -> None:
    api_server.on("GET", "/api/project", Reply(json={"websites": []}))
    report = await check_service(client)
    assert report.documented == [] and report.missing == [] and report.websites_seen == 0
    assert any("no websites yet" in note for note in report.notes)
    assert {f.state for f in report.features if f.name != "Quota display"} == {"not checked"}
    assert [call for call in report.calls] == ["GET /api/project"]


async def test_missing_documented_fields_are_listed(api_server: ScriptedServer, client: CodaiqClient) -> None:
    api_server.on("GET", "/api/project", Reply(json=[{"id": "w1", "name": "Crumb", "metadata": {}}]))
    api_server.on("GET", "/api/analytics", Reply(json={"pageviews": 3}))
    report = await check_service(client)
    assert report.list_shape == "a bare list of websites"
    assert report.missing == ["websites[].domain", "websites[].metadata.buildStatus", "totalPageviews"]
    assert "analytics.pageviews" in report.extra and report.website_id == "w1"
