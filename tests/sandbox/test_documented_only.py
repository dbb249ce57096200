"""Documented-only mode: every public answer carries exactly the fields the public docs name."""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

import pytest

from codaiq_desktop.cli.sandbox_commands import register
from codaiq_desktop.sandbox.process import sandbox_command
from tests.fixtures.sandbox import RunningSandbox


def _ready_site(sandbox: RunningSandbox, key: str, prompt: str, name: str) -> tuple[str, str]:
    project_id, website_id = sandbox.generate(prompt, name, key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    return project_id, website_id


def test_generate_sends_exactly_the_documented_fields(documented_sandbox: RunningSandbox) -> None:
    key = documented_sandbox.new_key("enterprise")
    response = documented_sandbox.request("POST", "/api/generate", key=key, json={"prompt": "A florist in York"})
    assert response.status_code == 202
    assert set(response.json()) == {"projectId", "websiteId", "status"}
    assert not [name for name in response.headers if name.lower().startswith("x-ratelimit")]


def test_project_lists_websites_without_ids_or_progress(documented_sandbox: RunningSandbox) -> None:
    sandbox = documented_sandbox
    key = sandbox.new_key("enterprise")
    project_id, website_id = _ready_site(sandbox, key, "A bakery in Leeds", "Crumb")
    second_project, _ = _ready_site(sandbox, key, "A dentist in Hull", "Smile")
    patched = sandbox.request(
        "PATCH",
        "/api/project",
        key=key,
        json={
            "projectId": project_id,
            "websiteId": website_id,
            "metadata": {"clientRef": "ACME-7", "seoTitle": "Bread"},
        },
    )
    assert patched.status_code == 200 and patched.json() == {}

    one = sandbox.request("GET", "/api/project", key=key, params={"projectId": project_id}).json()
    assert list(one) == ["websites"]
    (website,) = one["websites"]
    assert set(website) == {"name", "domain", "metadata"}
    assert website["name"] == "Crumb" and website["domain"].endswith(".sandbox.codaiq.site")
    metadata = website["metadata"]
    assert metadata["buildStatus"] == "ready" and metadata["clientRef"] == "ACME-7" and metadata["seoTitle"] == "Bread"
    for undocumented in ("buildProgress", "buildStep", "buildError", "publishedAt", "siteKind"):
        assert undocumented not in metadata
    assert all(value is not None for value in metadata.values())

    listed = sandbox.request("GET", "/api/project", key=key).json()
    assert list(listed) == ["websites"]  # no "projects", no ids: every website of the account
    assert sorted(w["name"] for w in listed["websites"]) == ["Crumb", "Smile"]
    assert all(set(w) == {"name", "domain", "metadata"} for w in listed["websites"])
    assert second_project not in str(listed) and website_id not in str(listed)


def test_lead_analytics_and_export(documented_sandbox: RunningSandbox) -> None:
    sandbox = documented_sandbox
    key = sandbox.new_key("enterprise")
    project_id, website_id = _ready_site(sandbox, key, "A yoga studio", "Yoga")
    lead = sandbox.request(
        "POST",
        "/api/leads/submit",
        key=key,
        json={"websiteId": website_id, "name": "Jane", "email": "jane@example.com"},
    )
    assert lead.status_code == 201 and lead.json() == {}
    sandbox.request(
        "POST", "/api/sandbox/simulate", key=key, json={"websiteId": website_id, "days": 7}
    ).raise_for_status()
    stats = sandbox.request("GET", "/api/analytics", key=key, params={"websiteId": website_id, "range": "7d"})
    assert stats.status_code == 200 and list(stats.json()) == ["totalPageviews"] and stats.json()["totalPageviews"] > 0
    export = sandbox.request("GET", "/api/export", key=key, params={"projectId": project_id, "websiteId": website_id})
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        assert "index.html" in archive.namelist()


def test_errors_keep_their_shape_and_a_rate_limit_keeps_retry_after(documented_sandbox: RunningSandbox) -> None:
    sandbox = documented_sandbox
    missing = sandbox.request("GET", "/api/project", key=sandbox.api_key, params={"projectId": "prj_nope"})
    assert missing.status_code == 404 and missing.json()["error"]["code"]
    key = sandbox.new_key("free")
    statuses = [
        sandbox.request("GET", "/api/project", key=key) for _ in range(25)
    ]  # 10/min: a 429 even if a minute turns over
    limited = [r for r in statuses if r.status_code == 429]
    assert limited and int(limited[0].headers["retry-after"]) > 0
    assert not [name for r in statuses for name in r.headers if name.lower().startswith("x-ratelimit")]


@pytest.mark.parametrize("mode", ["normal", "documented-only"])
def test_a_site_is_served_by_its_domain(mode: str, request: pytest.FixtureRequest) -> None:
    sandbox: RunningSandbox = request.getfixturevalue("sandbox" if mode == "normal" else "documented_sandbox")
    key = sandbox.new_key("enterprise")
    project_id, website_id = _ready_site(sandbox, key, "A bike repair shop in Bristol", "Spokes")
    domain = sandbox.website(project_id, website_id, key=key)["domain"]
    page = sandbox.request("GET", f"/domains/{domain}/")
    assert page.status_code == 200 and "Spokes" in page.text
    same = sandbox.request("GET", f"/sites/{website_id}/")
    assert same.text == page.text
    assert sandbox.request("GET", "/domains/nowhere.example/").status_code == 404


def test_the_flag_reaches_the_server_and_the_child_command() -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sandbox", "--documented-only", "--port", "0"])
    assert args.documented_only is True
    assert parser.parse_args(["sandbox"]).documented_only is False
    assert "--documented-only" in sandbox_command(Path("/tmp/x"), documented_only=True)
    assert "--documented-only" not in sandbox_command(Path("/tmp/x"))
