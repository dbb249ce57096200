"""The inbox server over real HTTP on 127.0.0.1, on both engines: webhooks, the API, isolation."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from .conftest import RunningInbox, lead_body, signed
from codaiq_desktop.tls import ssl_context


async def _deliver(
    client: httpx.AsyncClient, inbox: RunningInbox, agency: str, body: bytes, secret: str | None = None
) -> httpx.Response:
    return await client.post(
        inbox.webhook_url(agency), content=body, headers=signed(body, secret or inbox.secrets[agency])
    )


async def test_webhook_is_acknowledged_after_storing_and_deduped(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context()) as client:
        first = await _deliver(client, inbox, "A", lead_body(1))
        again = await _deliver(client, inbox, "A", lead_body(1))
        assert first.status_code == 200 and first.json() == {
            "received": True,
            "id": "evt_lead.captured_1",
            "duplicate": False,
        }
        assert again.status_code == 200 and again.json()["duplicate"] is True
        leads = (await client.get(f"{inbox.url}/api/v1/leads", headers=inbox.auth("A-member"))).json()
        assert leads["total"] == 1 and leads["next"] is None, leads
        assert leads["leads"][0]["email"] == "person1@example.com"


async def test_webhook_refusals_are_4xx_never_5xx(inbox: RunningInbox) -> None:
    body = lead_body(2)
    async with httpx.AsyncClient(verify=ssl_context()) as client:
        url = inbox.webhook_url("A")
        no_signature = await client.post(url, content=body, headers={"Content-Type": "application/json"})
        assert no_signature.status_code == 401
        other_agency_secret = await _deliver(client, inbox, "A", body, secret=inbox.secrets["B"])
        assert other_agency_secret.status_code == 401
        wrong_type = await client.post(
            url, content=body, headers={**signed(body, inbox.secrets["A"]), "Content-Type": "text/plain"}
        )
        assert wrong_type.status_code == 415
        too_big = b"{" + b" " * (1024 * 1024) + b"}"
        assert (await _deliver(client, inbox, "A", too_big)).status_code == 413
        not_json = b"not json"
        assert (await _deliver(client, inbox, "A", not_json)).status_code == 400
        no_event = json.dumps({"data": {}}).encode()
        assert (await _deliver(client, inbox, "A", no_event)).status_code == 400
        unknown = await client.post(
            f"{inbox.url}/webhooks/codaiq/agc_nobody", content=body, headers=signed(body, inbox.secrets["A"])
        )
        assert unknown.status_code == 401
        odd_path = await client.post(
            f"{inbox.url}/webhooks/codaiq/../../x", content=body, headers=signed(body, inbox.secrets["A"])
        )
        assert odd_path.status_code in (401, 404)
        leads = (await client.get(f"{inbox.url}/api/v1/leads", headers=inbox.auth("A-member"))).json()
        assert leads["total"] == 0  # nothing refused was stored


async def test_isolation_between_agencies_through_every_endpoint(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url) as client:
        for number in range(3):
            assert (await _deliver(client, inbox, "A", lead_body(number))).status_code == 200
        a_leads = (await client.get("/api/v1/leads", headers=inbox.auth("A-member"))).json()["leads"]
        assert len(a_leads) == 3
        b = inbox.auth("B-admin")
        assert (await client.get("/api/v1/leads", headers=b)).json() == {"leads": [], "next": None, "total": 0}
        assert (await client.get("/api/v1/leads", params={"q": "person"}, headers=b)).json()["total"] == 0
        for lead in a_leads:
            assert (await client.get(f"/api/v1/leads/{lead['id']}", headers=b)).status_code == 404
            assert (await client.get(f"/api/v1/leads/{lead['id']}/history", headers=b)).status_code == 404
            patched = await client.patch(
                f"/api/v1/leads/{lead['id']}", json={"status": "won"}, headers={**b, "If-Match": '"1"'}
            )
            assert patched.status_code == 404
        assert (await client.get("/api/v1/events", headers=b)).json()["events"] == []
        assert (await client.get("/api/v1/stats", headers=b)).json()["total"] == 0
        members = (await client.get("/api/v1/members", headers=b)).json()["members"]
        assert {m["email"] for m in members} == {"admin@b.example", "member@b.example"}
        # A's secret is refused at B's path, and the lead did not land anywhere.
        body = lead_body(99)
        assert (
            await client.post(inbox.webhook_url("B"), content=body, headers=signed(body, inbox.secrets["A"]))
        ).status_code == 401
        assert (await client.get("/api/v1/stats", headers=inbox.auth("A-admin"))).json()["total"] == 3


async def test_revoked_token_is_refused_at_once(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url) as client:
        headers = inbox.auth("A-member")
        assert (await client.get("/api/v1/members", headers=headers)).status_code == 200
        await inbox.server.storage.revoke_member(inbox.agencies["A"].id, inbox.members["A-member"].id)
        refused = await client.get("/api/v1/members", headers=headers)
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert (await client.get("/api/v1/leads")).status_code == 401
        assert (await client.get("/api/v1/leads", headers={"Authorization": "Bearer cqi_made_up"})).status_code == 401


async def test_patch_needs_if_match_and_answers_412_with_the_current_version(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url) as client:
        await _deliver(client, inbox, "A", lead_body(1))
        (lead,) = (await client.get("/api/v1/leads", headers=inbox.auth("A-member"))).json()["leads"]
        url = f"/api/v1/leads/{lead['id']}"
        got = await client.get(url, headers=inbox.auth("A-member"))
        assert got.headers["etag"] == '"1"'
        missing = await client.patch(url, json={"status": "contacted"}, headers=inbox.auth("A-member"))
        assert missing.status_code == 428
        first = await client.patch(
            url,
            json={"status": "contacted", "assignee": inbox.members["A-admin"].id},
            headers={**inbox.auth("A-member"), "If-Match": got.headers["etag"]},
        )
        assert first.status_code == 200 and first.json()["version"] == 2 and first.headers["etag"] == '"2"'
        stale = await client.patch(url, json={"notes": "mine"}, headers={**inbox.auth("A-admin"), "If-Match": '"1"'})
        assert stale.status_code == 412
        assert stale.json()["currentVersion"] == 2 and stale.json()["lead"]["status"] == "contacted"
        history = (await client.get(f"{url}/history", headers=inbox.auth("A-admin"))).json()["history"]
        assert history[0]["by"] == inbox.members["A-member"].id
        assert history[0]["changes"]["status"] == ["new", "contacted"]
        bad = await client.patch(url, json={"status": "sold"}, headers={**inbox.auth("A-admin"), "If-Match": '"2"'})
        assert bad.status_code == 422
        extra = await client.patch(url, json={"name": "x"}, headers={**inbox.auth("A-admin"), "If-Match": '"2"'})
        assert extra.status_code == 422
        foreign = await client.patch(
            url, json={"assignee": inbox.members["B-admin"].id}, headers={**inbox.auth("A-admin"), "If-Match": '"2"'}
        )
        assert foreign.status_code == 400  # B's member cannot be assigned A's lead


async def test_lead_list_pages_filters_and_bad_parameters(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url) as client:
        await asyncio.gather(*(_deliver(client, inbox, "A", lead_body(n)) for n in range(12)))
        headers = inbox.auth("A-member")
        ids: list[int] = []
        cursor = None
        while True:
            page = (
                await client.get(
                    "/api/v1/leads", params={"limit": 5, **({"cursor": cursor} if cursor else {})}, headers=headers
                )
            ).json()
            assert page["total"] == 12
            ids += [lead["id"] for lead in page["leads"]]
            cursor = page["next"]
            if cursor is None:
                break
        assert len(ids) == 12 == len(set(ids)) and ids == sorted(ids, reverse=True)
        assert (await client.get("/api/v1/leads", params={"q": "person1"}, headers=headers)).json()["total"] == 3
        assert (await client.get("/api/v1/leads", params={"unread": "true"}, headers=headers)).json()["total"] == 12
        for params in ({"cursor": "garbage"}, {"limit": 0}, {"status": "sold"}, {"q": "a\x00b"}, {"limit": "x"}):
            answer = await client.get("/api/v1/leads", params=params, headers=headers)
            assert 400 <= answer.status_code < 500, params
        assert (await client.get("/api/v1/leads/99999999999999999999", headers=headers)).status_code == 422
        events = (await client.get("/api/v1/events", params={"limit": 5}, headers=headers)).json()
        assert len(events["events"]) == 5 and events["next"] is not None


async def test_health_readiness_and_openapi(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready"
        spec = (await client.get("/openapi.json")).json()
        assert {
            "/api/v1/leads",
            "/api/v1/leads/{lead_id}",
            "/api/v1/stream",
            "/api/v1/events",
            "/api/v1/members",
            "/api/v1/stats",
        } <= set(spec["paths"])


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
async def test_api_rate_limit_per_token(storage: object, tmp_path: object) -> None:
    from codaiq_desktop.inbox_server.app import ServerSettings
    from codaiq_desktop.inbox_server.server import InboxServer, ServeOptions

    await storage.close()  # type: ignore[attr-defined]
    server = InboxServer(storage, ServeOptions(port=0, settings=ServerSettings(token_rate=1, token_burst=3)))  # type: ignore[arg-type]
    await server.start()
    try:
        agency = await server.storage.add_agency("A", "webhook-secret-of-a")
        _member, token = await server.storage.add_member(agency.id, "a@a.example", "member")
        async with httpx.AsyncClient(verify=ssl_context(), base_url=server.url) as client:
            codes = [
                (await client.get("/api/v1/stats", headers={"Authorization": f"Bearer {token}"})).status_code
                for _ in range(6)
            ]
        assert codes[:3] == [200, 200, 200] and 429 in codes[3:]
    finally:
        await server.stop()


async def test_api_bodies_are_capped_even_without_a_length(inbox: RunningInbox) -> None:
    async def chunks():
        for _ in range(20):
            yield b" " * 8192

    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url) as client:
        headers = {**inbox.auth("A-admin"), "If-Match": '"1"', "Content-Type": "application/json"}
        declared = await client.patch("/api/v1/leads/1", content=b" " * (70 * 1024), headers=headers)
        assert declared.status_code == 413
        chunked = await client.patch("/api/v1/leads/1", content=chunks(), headers=headers)
        assert chunked.status_code == 413
