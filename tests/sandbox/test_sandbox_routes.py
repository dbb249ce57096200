"""Sandbox-only routes: keys, info, traffic simulation and faults."""

from __future__ import annotations

import httpx
import pytest

from codaiq_desktop.sandbox.site_generator import generate_site


def test_keys_are_created_per_plan_and_account(sandbox) -> None:
    response = sandbox.request("POST", "/api/sandbox/keys", json={"plan": "pro", "account": "acme"})
    assert response.status_code == 201
    body = response.json()
    assert body["plan"] == "pro" and body["account"] == "acme" and body["key"]
    fresh = sandbox.request("POST", "/api/sandbox/keys", json={"plan": "free"}).json()
    assert fresh["account"] != "acme"
    default = sandbox.request("POST", "/api/sandbox/keys", json={}).json()
    assert default["plan"] == "agency"


@pytest.mark.parametrize("body", [{"plan": "platinum"}, {"plan": 3}, {"account": "x" * 101}, {"burstPerMinute": 0}])
def test_bad_key_requests_are_422(sandbox, body) -> None:
    assert sandbox.request("POST", "/api/sandbox/keys", json=body).status_code == 422


def test_info_lists_the_documented_plans(sandbox) -> None:
    info = sandbox.request("GET", "/api/sandbox/info").json()
    assert info["version"]
    assert info["plans"] == {
        "free": {"requestsPerDay": 100, "burstPerMinute": 10},
        "pro": {"requestsPerDay": 2000, "burstPerMinute": 60},
        "agency": {"requestsPerDay": 20000, "burstPerMinute": 200},
        "enterprise": {"requestsPerDay": None, "burstPerMinute": 1000},  # "Custom": the default
    }


def test_simulate_fills_analytics_through_the_recording_path(sandbox) -> None:
    project_id, website_id = sandbox.generate("A wedding photographer in Bath")
    sandbox.wait_ready(project_id, website_id)
    response = sandbox.request(
        "POST", "/api/sandbox/simulate", key=sandbox.api_key, json={"websiteId": website_id, "days": 30}
    )
    assert response.status_code == 200
    recorded = response.json()["pageviews"]
    assert recorded > 300
    report = sandbox.request(
        "GET", "/api/analytics", key=sandbox.api_key, params={"websiteId": website_id, "range": "30d"}
    ).json()
    assert report["totalPageviews"] == recorded
    assert 0 < report["uniqueVisitors"] < recorded
    assert report["topPages"][0]["path"] == "/"
    sources = [r["source"] for r in report["referrers"]]
    assert sources[0] == "google.com" and "direct" in sources
    built_pages = set(generate_site("A wedding photographer in Bath").pages)  # its pages: gallery, not services
    assert {p["path"] for p in report["topPages"]} <= built_pages


@pytest.mark.parametrize(("days", "status"), [(0, 422), (366, 422), ("many", 422)])
def test_simulate_validates_days(sandbox, days, status) -> None:
    _, website_id = sandbox.generate("A cafe")
    response = sandbox.request(
        "POST", "/api/sandbox/simulate", key=sandbox.api_key, json={"websiteId": website_id, "days": days}
    )
    assert response.status_code == status


def test_simulate_needs_a_key_and_a_known_own_website(sandbox) -> None:
    _, website_id = sandbox.generate("A cafe in Hove")
    assert sandbox.request("POST", "/api/sandbox/simulate", json={"websiteId": website_id}).status_code == 401
    other = sandbox.new_key("free")
    assert (
        sandbox.request("POST", "/api/sandbox/simulate", key=other, json={"websiteId": website_id}).status_code == 403
    )
    assert sandbox.request("POST", "/api/sandbox/simulate", key=other, json={"websiteId": "web_x"}).status_code == 404


# -- faults ----------------------------------------------------------------------------------
def test_error_fault_hits_only_its_route_and_method(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "error", "status": 502})
    assert sandbox.request("GET", "/api/project", key=sandbox.api_key).status_code == 502
    assert sandbox.request("GET", "/api/analytics", key=sandbox.api_key).status_code != 502
    patched = sandbox.request("PATCH", "/api/project", key=sandbox.api_key, json={})
    assert patched.status_code == 422
    assert sandbox_faults.active()[0]["hits"] == 1


def test_count_limited_faults_are_spent(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/project", "kind": "error", "status": 500, "count": 2})
    statuses = [sandbox.request("GET", "/api/project", key=sandbox.api_key).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert sandbox_faults.active() == []


def test_rate_limit_fault_returns_429_with_retry_after(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/leads/*", "kind": "rate_limit", "retryAfter": 7})
    response = sandbox.request("POST", "/api/leads/submit", key=sandbox.api_key, json={})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["error"]["code"] == "rate_limited"


def test_drop_fault_closes_the_connection_without_an_answer(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/project", "kind": "drop", "count": 1})
    with pytest.raises(httpx.RemoteProtocolError):
        sandbox.request("GET", "/api/project", key=sandbox.api_key)
    assert sandbox.request("GET", "/api/project", key=sandbox.api_key).status_code == 200


def test_latency_fault_delays_but_answers(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/sandbox/info", "kind": "latency", "delay": 0.05})
    assert sandbox.request("GET", "/api/sandbox/info").status_code == 200
    assert sandbox_faults.active()[0]["hits"] == 1


def test_probability_zero_never_fires(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/project", "kind": "error", "probability": 0.0})
    assert all(sandbox.request("GET", "/api/project", key=sandbox.api_key).status_code == 200 for _ in range(5))


def test_fault_routes_are_never_faulted(sandbox, sandbox_faults) -> None:
    sandbox_faults.set({"path": "/api/sandbox/*", "kind": "error", "status": 500})
    assert sandbox.request("GET", "/api/sandbox/faults").status_code == 200
    assert sandbox.request("GET", "/api/sandbox/info").status_code == 500


@pytest.mark.parametrize(
    "rule",
    [
        {"path": "/x", "kind": "explode"},
        {"path": "/x", "kind": "error", "status": 200},
        {"path": "/x", "kind": "latency", "delay": -1},
        {"path": "/x", "kind": "error", "probability": 2},
        {"kind": "error"},
    ],
)
def test_bad_fault_rules_are_422(sandbox, sandbox_faults, rule) -> None:
    response = sandbox.request("PUT", "/api/sandbox/faults", json={"rules": [rule]})
    assert response.status_code == 422
    assert sandbox_faults.active() == []
