"""End to end: the sandbox's real, signed deliveries into a running receiver and store."""

from __future__ import annotations

import time
from collections.abc import Callable

from codaiq_desktop.receiver import WebhookSecret
from codaiq_desktop.store import LeadFilter
from tests.fixtures.receiver import ReceiverThread
from tests.fixtures.sandbox import RunningSandbox


def _wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def _point_webhook(sandbox: RunningSandbox, key: str, url: str, secret: str) -> None:
    response = sandbox.request("PUT", "/api/sandbox/webhook", key=key, json={"url": url, "secret": secret})
    assert response.status_code == 200, response.text


def _deliveries(sandbox: RunningSandbox, key: str) -> list[dict]:
    response = sandbox.request("GET", "/api/sandbox/deliveries", key=key, params={"limit": 100})
    response.raise_for_status()
    return list(response.json()["deliveries"])


def test_sandbox_events_arrive_verified_and_a_lead_is_filed_once(
    sandbox: RunningSandbox, receiver_thread: ReceiverThread
) -> None:
    key = sandbox.new_key("enterprise")  # a fresh account: only this test's events
    _point_webhook(sandbox, key, receiver_thread.url, receiver_thread.secret)
    project_id, website_id = sandbox.generate("A florist in York", key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    receipt = sandbox.request(
        "POST",
        "/api/leads/submit",
        key=key,
        json={
            "websiteId": website_id,
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "message": "Wedding flowers",
        },
    )
    assert receipt.status_code in (200, 201), receipt.text
    lead_id = receipt.json()["leadId"]
    sandbox.settle()

    store = receiver_thread.store
    _wait_until(lambda: {"lead.captured", "form.submitted", "website.published"} <= set(store.event_types()))
    events = store.list_events(limit=100)
    assert all(event.verified and event.project_id == project_id for event in events)
    assert {"website.created", "website.published"} <= {event.type for event in events}

    [lead] = store.list_leads(LeadFilter(website_id=website_id))
    assert (lead.lead_id, lead.name, lead.email, lead.message) == (
        lead_id,
        "Ada Lovelace",
        "ada@example.com",
        "Wedding flowers",
    )
    assert sorted(event.type for event in store.lead_events(lead.id)) == ["form.submitted", "lead.captured"]
    assert store.count_leads(LeadFilter(text="wedding ada")) == 1

    delivered = _deliveries(sandbox, key)
    assert delivered and all(d["status"] == "delivered" and d["lastStatusCode"] == 200 for d in delivered)
    assert {d["eventId"] for d in delivered} == {event.event_id for event in events}


def test_a_refused_delivery_is_retried_by_the_sandbox_and_stored_once(
    sandbox: RunningSandbox, receiver_thread: ReceiverThread
) -> None:
    key = sandbox.new_key("enterprise")
    _point_webhook(sandbox, key, receiver_thread.url, "a-secret-the-receiver-does-not-know-yet")
    project_id, website_id = sandbox.generate("A bakery in Leeds", key=key)

    store = receiver_thread.store
    _wait_until(lambda: store.count_rejected() >= 1)
    assert store.count_events() == 0
    receiver_thread.receiver.set_secrets([receiver_thread.secret, "a-secret-the-receiver-does-not-know-yet"])
    sandbox.wait_ready(project_id, website_id, key=key)
    sandbox.settle()

    _wait_until(lambda: {"website.created", "website.published"} <= set(store.event_types()))
    created = store.list_events(type="website.created")
    assert len(created) == 1  # retries after the refusal, then one stored copy
    # Every try carried the same body with its own ``id``: that signed id is the key, not a header.
    assert all(event.event_id == event.payload["id"] for event in store.list_events(limit=100))
    assert all(r.status_code == 401 and r.body_sha256 for r in store.list_rejected())


def test_two_sandbox_accounts_with_their_own_secrets_are_filed_apart(
    sandbox: RunningSandbox, receiver_thread: ReceiverThread
) -> None:
    first_key, second_key = sandbox.new_key("enterprise"), sandbox.new_key("enterprise")
    secrets = {"first": "whsec_first_account_0123456789", "second": "whsec_second_account_0123456789"}
    receiver_thread.receiver.set_secrets([WebhookSecret(secret, label) for label, secret in secrets.items()])
    _point_webhook(sandbox, first_key, receiver_thread.url, secrets["first"])
    _point_webhook(sandbox, second_key, receiver_thread.url, secrets["second"])
    sites = {
        "first": sandbox.generate("A florist in York", key=first_key),
        "second": sandbox.generate("A bakery in Leeds", key=second_key),
    }
    for label, key in (("first", first_key), ("second", second_key)):
        sandbox.wait_ready(*sites[label], key=key)
        receipt = sandbox.request(
            "POST",
            "/api/leads/submit",
            key=key,
            json={"websiteId": sites[label][1], "name": f"Lead of {label}", "email": f"{label}@example.com"},
        )
        assert receipt.status_code in (200, 201), receipt.text
    sandbox.settle()

    store = receiver_thread.store
    _wait_until(lambda: store.count_leads() == 2 and store.count_events(type="form.submitted") == 2)
    for label, (project_id, website_id) in sites.items():
        [lead] = store.list_leads(LeadFilter(account=label))
        assert (lead.name, lead.website_id) == (f"Lead of {label}", website_id)
        events = store.list_events(account=label, limit=100)
        assert events and {event.project_id for event in events} == {project_id}
    assert store.count_rejected() == 0
