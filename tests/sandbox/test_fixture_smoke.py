"""The session sandbox fixture works end to end (the other test trees rely on it)."""

from __future__ import annotations


def test_fixture_generates_builds_and_serves(sandbox) -> None:
    project_id, website_id = sandbox.generate("A cosy bakery in Leeds with sourdough and cakes")
    website = sandbox.wait_ready(project_id, website_id)
    assert website["metadata"]["buildStatus"] == "ready"
    page = sandbox.request("GET", f"/sites/{website_id}/")
    assert page.status_code == 200
    assert "<html" in page.text


def test_fixture_faults_are_cleared_after_use(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "error", "status": 503})
    response = sandbox.request("GET", "/api/project", key=sandbox.api_key)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "injected_fault"
    sandbox_faults.clear()
    assert sandbox.request("GET", "/api/project", key=sandbox.api_key).status_code == 200


def test_new_key_shares_projects_within_an_account(sandbox) -> None:
    first = sandbox.new_key("pro", account="shared-acct")
    second = sandbox.new_key("free", account="shared-acct")
    project_id, _ = sandbox.generate("A plumber in Bristol", key=first)
    listed = sandbox.request("GET", "/api/project", key=second).json()["projects"]
    assert project_id in [p["id"] for p in listed]
