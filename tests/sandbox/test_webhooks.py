"""Webhooks out: what fires when, how it is signed, retries and the delivery log.

Signatures are checked with an HMAC-SHA256 written out here from RFC 2104 and hashlib's
SHA-256, not with the product's signing module, so a shared bug cannot hide.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest


def independent_hmac_sha256(key: bytes, message: bytes) -> str:
    """RFC 2104 HMAC over SHA-256 (block size 64), spelled out."""
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\x00")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key) + message).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in key) + inner).hexdigest()


def test_independent_hmac_matches_a_published_vector() -> None:
    # RFC 4231, test case 2.
    assert (
        independent_hmac_sha256(b"Jefe", b"what do ya want for nothing?")
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


@pytest.fixture
def account(sandbox):
    """A fresh account (its own key) so webhook settings don't leak between tests."""
    return sandbox.new_key("enterprise")


def set_webhook(sandbox, key: str, url: str, secret: str, project_id: str | None = None) -> None:
    path = f"/api/sandbox/projects/{project_id}/webhook" if project_id else "/api/sandbox/webhook"
    response = sandbox.request("PUT", path, key=key, json={"url": url, "secret": secret})
    assert response.status_code == 200, response.text


def events_of(posts) -> list[str]:
    return [json.loads(post.body)["event"] for post in posts]


def test_lifecycle_events_are_signed_and_shaped_as_documented(sandbox, webhook_sink, account) -> None:
    url = webhook_sink.new_url()
    secret = "whsec_test_ünïcode"
    set_webhook(sandbox, account, url, secret)
    project_id, website_id = sandbox.generate("A bakery in Leeds", key=account)
    sandbox.wait_ready(project_id, website_id, key=account)
    sandbox.request(
        "PATCH",
        "/api/project",
        key=account,
        json={"projectId": project_id, "websiteId": website_id, "metadata": {"seoTitle": "New"}},
    ).raise_for_status()
    sandbox.request(
        "POST",
        "/api/leads/submit",
        key=account,
        json={"websiteId": website_id, "name": "Jane Smith", "email": "jane@example.com", "message": "Hi"},
    ).raise_for_status()
    posts = webhook_sink.wait_for(url, 5)
    assert sorted(events_of(posts)) == sorted(
        ["website.created", "website.published", "website.updated", "lead.captured", "form.submitted"]
    )
    # When each fired (its payload's timestamp), not when it happened to arrive.
    fired = {
        payload["event"]: datetime.fromisoformat(payload["timestamp"])
        for payload in (json.loads(p.body) for p in posts)
    }
    assert fired["website.created"] < fired["website.published"]  # the build took 0.3 s in between
    assert fired["website.published"] <= fired["website.updated"] <= fired["lead.captured"]
    assert fired["lead.captured"] <= fired["form.submitted"]
    arrival = events_of(posts)
    assert arrival.index("website.created") < arrival.index("website.published")
    ids = set()
    for post in posts:
        assert post.headers["content-type"] == "application/json"
        assert post.headers["x-codaiq-signature"] == independent_hmac_sha256(secret.encode(), post.body)
        payload = json.loads(post.body)
        assert {"id", "event", "timestamp", "websiteId", "projectId", "data"} <= set(payload)
        assert payload["websiteId"] == website_id and payload["projectId"] == project_id
        assert payload["timestamp"].endswith("Z")
        assert post.headers["x-codaiq-event-id"] == payload["id"]
        ids.add(payload["id"])
    assert len(ids) == 5
    lead = next(json.loads(p.body) for p in posts if json.loads(p.body)["event"] == "lead.captured")
    assert lead["data"]["name"] == "Jane Smith" and lead["data"]["email"] == "jane@example.com"
    assert lead["data"]["leadId"].startswith("lead_") and lead["data"]["message"] == "Hi"


def test_a_tampered_body_does_not_verify(sandbox, webhook_sink, account) -> None:
    url = webhook_sink.new_url()
    set_webhook(sandbox, account, url, "s3cret")
    sandbox.generate("An electrician in Hull", key=account)
    post = webhook_sink.wait_for(url, 1)[0]
    tampered = post.body.replace(b"website.created", b"website.updated")
    assert post.headers["x-codaiq-signature"] != independent_hmac_sha256(b"s3cret", tampered)
    assert post.headers["x-codaiq-signature"] != independent_hmac_sha256(b"other", post.body)


def test_failed_deliveries_are_retried_until_delivered(sandbox, webhook_sink, account) -> None:
    url = webhook_sink.new_url(statuses=[500, 503])
    set_webhook(sandbox, account, url, "retry-secret")
    project_id, _ = sandbox.generate("A yoga studio in Brighton", key=account)
    posts = webhook_sink.wait_for(url, 3)
    assert len(posts) >= 3
    assert posts[0].body == posts[1].body == posts[2].body  # same event, same bytes every try
    sandbox.settle()
    deliveries = sandbox.request(
        "GET", "/api/sandbox/deliveries", key=account, params={"projectId": project_id}
    ).json()["deliveries"]
    created = next(d for d in deliveries if d["event"] == "website.created")
    assert created["status"] == "delivered"
    assert created["attempts"] == 3
    assert created["lastStatusCode"] == 200
    assert created["eventId"] == json.loads(posts[0].body)["id"]


def test_a_delivery_that_never_succeeds_ends_failed_after_five_tries(sandbox, webhook_sink, account) -> None:
    url = webhook_sink.new_url(statuses=[500] * 10)
    set_webhook(sandbox, account, url, "s")
    project_id, _ = sandbox.generate("A locksmith in Derby", key=account)
    webhook_sink.wait_for(url, 5)
    sandbox.settle()
    deliveries = sandbox.request("GET", "/api/sandbox/deliveries", key=account).json()["deliveries"]
    created = next(d for d in deliveries if d["event"] == "website.created" and d["projectId"] == project_id)
    assert created["status"] == "failed"
    assert created["attempts"] == 5
    assert created["lastStatusCode"] == 500 and created["lastError"] == "HTTP 500"


def test_unreachable_endpoints_are_recorded_as_failures(sandbox, account) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    set_webhook(sandbox, account, f"http://127.0.0.1:{port}/nobody-home", "s")
    sandbox.generate("A roofer in Leeds", key=account)
    sandbox.settle()
    deliveries = sandbox.request("GET", "/api/sandbox/deliveries", key=account).json()["deliveries"]
    assert deliveries[0]["status"] == "failed"
    assert deliveries[0]["lastStatusCode"] is None and deliveries[0]["lastError"]


def test_project_webhook_overrides_the_account_default_until_cleared(sandbox, webhook_sink, account) -> None:
    default_url = webhook_sink.new_url()
    project_url = webhook_sink.new_url()
    set_webhook(sandbox, account, default_url, "default-secret")
    project_id, website_id = sandbox.generate("A vet clinic in Bath", key=account)
    sandbox.wait_ready(project_id, website_id, key=account)
    set_webhook(sandbox, account, project_url, "project-secret", project_id=project_id)
    lead = {"websiteId": website_id, "name": "A", "email": "a@example.com"}
    sandbox.request("POST", "/api/leads/submit", key=account, json=lead).raise_for_status()
    project_posts = webhook_sink.wait_for(project_url, 2)
    assert sorted(events_of(project_posts)) == ["form.submitted", "lead.captured"]
    assert all(
        p.headers["x-codaiq-signature"] == independent_hmac_sha256(b"project-secret", p.body) for p in project_posts
    )
    cleared = sandbox.request("DELETE", f"/api/sandbox/projects/{project_id}/webhook", key=account)
    assert cleared.json() == {"cleared": True}
    sandbox.request("POST", "/api/leads/submit", key=account, json=lead).raise_for_status()
    default_posts = webhook_sink.wait_for(default_url, 4)
    assert events_of(default_posts).count("lead.captured") == 1
    assert len(webhook_sink.posts(project_url)) == 2


def test_no_webhook_means_no_deliveries(sandbox, account) -> None:
    sandbox.generate("A tutor in Oxford", key=account)
    sandbox.settle()
    assert sandbox.request("GET", "/api/sandbox/deliveries", key=account).json() == {"deliveries": []}


def test_clearing_the_account_webhook(sandbox, webhook_sink, account) -> None:
    set_webhook(sandbox, account, webhook_sink.new_url(), "s")
    assert sandbox.request("DELETE", "/api/sandbox/webhook", key=account).json() == {"cleared": True}
    assert sandbox.request("DELETE", "/api/sandbox/webhook", key=account).json() == {"cleared": False}


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://example.com/hook", "secret": "s"},
        {"url": "http://example.com/hook", "secret": ""},
        {"url": "not a url", "secret": "s"},
        {"url": "http://example.com/hook"},
        {"secret": "s"},
    ],
)
def test_webhook_settings_are_validated(sandbox, account, body) -> None:
    response = sandbox.request("PUT", "/api/sandbox/webhook", key=account, json=body)
    assert response.status_code == 422


def test_webhook_routes_need_a_key_and_the_right_project(sandbox, account) -> None:
    body = {"url": "http://127.0.0.1:9/hook", "secret": "s"}
    assert sandbox.request("PUT", "/api/sandbox/webhook", json=body).status_code == 401
    assert sandbox.request("GET", "/api/sandbox/deliveries").status_code == 401
    project_id, _ = sandbox.generate("A gym in Leeds")  # the session account's project
    assert (
        sandbox.request("PUT", f"/api/sandbox/projects/{project_id}/webhook", key=account, json=body).status_code == 403
    )
    assert sandbox.request("DELETE", f"/api/sandbox/projects/{project_id}/webhook", key=account).status_code == 403
    assert sandbox.request("PUT", "/api/sandbox/projects/prj_nope/webhook", key=account, json=body).status_code == 404
    assert (
        sandbox.request("GET", "/api/sandbox/deliveries", key=account, params={"projectId": project_id}).status_code
        == 403
    )
    assert sandbox.request("GET", "/api/sandbox/deliveries", key=account, params={"limit": 0}).status_code == 422
