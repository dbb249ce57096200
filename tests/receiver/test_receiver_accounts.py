"""One receiver, one webhook secret per account: each delivery is filed under the account that signed it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from codaiq_desktop.receiver import WebhookReceiver, WebhookSecret
from codaiq_desktop.signing import sign
from codaiq_desktop.store import LeadFilter, Store
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import encode, make_event, signed_headers

ALPHA = "whsec_alpha_0123456789abcdef"
BETA = "whsec_beta_0123456789abcdef"
PLAIN = "whsec_plain_0123456789abcdef"


@pytest_asyncio.fixture
async def accounts_receiver(store: Store) -> AsyncIterator[WebhookReceiver]:
    # The three spellings a caller may use: a WebhookSecret, a (secret, account) pair, a plain str.
    running = WebhookReceiver(store, [WebhookSecret(ALPHA, "alpha"), (BETA, "beta"), PLAIN])
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def _deliver(url: str, secret: str, payload: dict) -> httpx.Response:
    body = encode(payload)
    async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
        return await client.post(url, content=body, headers=signed_headers(body, secret))


async def test_each_event_and_lead_is_stored_under_the_account_whose_secret_signed_it(
    accounts_receiver: WebhookReceiver, store: Store
) -> None:
    account_of = {ALPHA: "alpha", BETA: "beta", PLAIN: None}
    for secret in account_of:
        for payload in (make_event("lead.captured"), make_event("lead.captured"), make_event("website.updated")):
            response = await _deliver(accounts_receiver.url, secret, payload)
            assert response.status_code == 200, response.text

    events = store.list_events(limit=100)
    assert len(events) == 9
    for event in events:  # the account follows the signature, event by event
        [signer] = [s for s in account_of if sign(event.raw_body, s) == event.headers["x-codaiq-signature"]]
        assert event.account == account_of[signer]
    for account in ("alpha", "beta"):
        leads = store.list_leads(LeadFilter(account=account))
        assert len(leads) == 2 and {lead.account for lead in leads} == {account}
        assert store.count_events(account=account) == 3
        assert store.event_types(account=account) == ["lead.captured", "website.updated"]
    assert store.count_leads() == 6
    assert sum(lead.account is None for lead in store.list_leads()) == 2  # the plain secret's


async def test_a_delivery_for_an_account_that_is_not_active_is_still_stored(
    accounts_receiver: WebhookReceiver, store: Store
) -> None:
    """All accounts' secrets are held at once: the app may show alpha while beta's leads arrive."""
    response = await _deliver(accounts_receiver.url, BETA, make_event("lead.captured", event_id="evt_beta"))
    assert response.status_code == 200
    assert store.count_leads(LeadFilter(account="alpha")) == 0
    [lead] = store.list_leads(LeadFilter(account="beta"))
    assert store.lead_events(lead.id)[0].event_id == "evt_beta"


async def test_set_secrets_relabels_from_the_next_request(accounts_receiver: WebhookReceiver, store: Store) -> None:
    accounts_receiver.set_secrets([(ALPHA, "alpha-renamed"), WebhookSecret(BETA, "beta")])
    assert accounts_receiver.accounts == ("alpha-renamed", "beta")
    assert (await _deliver(accounts_receiver.url, ALPHA, make_event())).status_code == 200
    assert (await _deliver(accounts_receiver.url, PLAIN, make_event())).status_code == 401  # no longer held
    [event] = store.list_events()
    assert event.account == "alpha-renamed"


async def test_a_rotation_keeps_both_secrets_of_one_account_under_its_label(
    accounts_receiver: WebhookReceiver, store: Store
) -> None:
    rotated = "whsec_alpha_new_0123456789abcdef"
    accounts_receiver.set_secrets([(rotated, "alpha"), (ALPHA, "alpha"), (BETA, "beta")])
    for secret in (rotated, ALPHA):
        assert (await _deliver(accounts_receiver.url, secret, make_event())).status_code == 200
    assert store.count_events(account="alpha") == 2


async def test_a_secret_listed_twice_goes_to_its_first_account(store: Store) -> None:
    async with WebhookReceiver(store, [(ALPHA, "first"), (f"  {ALPHA}  ", "second"), (BETA, "beta")]) as running:
        assert running.secret_count == 2 and running.accounts == ("first", "beta")
        assert (await _deliver(running.url, ALPHA, make_event())).status_code == 200
    [event] = store.list_events()
    assert event.account == "first"


def test_secrets_of_the_wrong_shape_are_refused(store: Store) -> None:
    for bad in ([b"bytes"], [(ALPHA, 7)], [(ALPHA,)], [WebhookSecret(ALPHA, "a"), 3]):
        with pytest.raises(TypeError):
            WebhookReceiver(store, bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WebhookReceiver(store, ALPHA)  # one string is not a list of secrets


def test_neither_repr_shows_a_secret(store: Store) -> None:
    labelled = WebhookSecret(ALPHA, "alpha")
    receiver = WebhookReceiver(store, [labelled])
    assert ALPHA not in repr(labelled) and "alpha" in repr(labelled)
    assert ALPHA not in repr(receiver)
