"""The projects list completed with the registry of generated sites: against the documented-only
sandbox (no ids anywhere), and against scripted answers for the shapes a sandbox never sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from codaiq_desktop.api import CodaiqClient, errors
from codaiq_desktop.known_projects import complete_with_registry, load_known_projects
from codaiq_desktop.store import GeneratedSite
from tests.api.scripted_server import Reply, ScriptedServer
from tests.fixtures.sandbox import RunningSandbox

T0 = datetime(2026, 4, 21, 10, 0, tzinfo=UTC)


def registered(
    project_id: str, website_id: str, name: str | None = None, domain: str | None = None, minutes: int = 0
) -> GeneratedSite:
    return GeneratedSite("Agency", project_id, website_id, "A prompt", name, T0 + timedelta(minutes=minutes), domain)


async def test_sites_generated_here_get_their_ids_back_from_a_documented_only_service(
    documented_sandbox: RunningSandbox,
) -> None:
    sandbox = documented_sandbox
    key = sandbox.new_key("enterprise")
    stranger_project, _ = sandbox.generate("A site made elsewhere", "Elsewhere", key=key)
    ours = [sandbox.generate(f"A shop {n}", f"Shop {n}", key=key) for n in (1, 2)]
    for project_id, website_id in ours:
        sandbox.wait_ready(project_id, website_id, key=key)
    registry = [registered(p, w, f"Shop {n}", minutes=n) for n, (p, w) in zip((1, 2), ours, strict=True)][::-1]
    async with CodaiqClient(sandbox.base_url, key) as client:
        first = await load_known_projects(client, registry)
        by_id = {w.id: (p.id, w) for p in first.projects for w in p.websites}
        for project_id, website_id in ours:
            assert by_id[website_id][0] == project_id and by_id[website_id][1].build_status == "ready"
        # The site made elsewhere stays listed, without an id, under no project.
        orphans = [w for p in first.projects if p.id is None for w in p.websites]
        assert [w.name for w in orphans] == ["Elsewhere"] and orphans[0].id is None
        assert stranger_project not in {p.id for p in first.projects}
        assert set(first.learned_domains) == {w for _, w in ours} and not first.from_registry_only

        # With the domains learned, the next load matches by domain: no project reads needed.
        learned = [
            registered(s.project_id, s.website_id, s.name, first.learned_domains[s.website_id]) for s in registry
        ]
        again = await load_known_projects(client, learned, max_lookups=0)
        assert {w.id for p in again.projects for w in p.websites if w.id} == {w for _, w in ours}
        assert not again.learned_domains and not again.from_registry_only


async def test_the_normal_sandbox_needs_nothing_from_the_registry(sandbox: RunningSandbox) -> None:
    key = sandbox.new_key("enterprise")
    project_id, website_id = sandbox.generate("A bakery", "Crumb", key=key)
    async with CodaiqClient(sandbox.base_url, key) as client:
        known = await load_known_projects(client, [registered(project_id, website_id, "Crumb")], max_lookups=0)
    ((listed_project, website),) = [(p.id, w) for p in known.projects for w in p.websites]
    assert (listed_project, website.id) == (project_id, website_id)
    assert known.learned_domains == {website_id: website.domain} and not known.from_registry_only


def _site(name: str, domain: str, status: str = "ready") -> dict:
    return {"name": name, "domain": domain, "metadata": {"buildStatus": status}}


@pytest.fixture
async def scripted_client(api_server: ScriptedServer):
    async with CodaiqClient(api_server.base_url, "ck_test_key_0000000000000000") as client:
        yield client


async def test_no_list_at_all_shows_the_registry_sites_from_their_projects(
    api_server: ScriptedServer, scripted_client: CodaiqClient
) -> None:
    api_server.on(
        "GET", "/api/project", Reply(400, json={"error": {"code": "bad_request", "message": "projectId is required"}})
    )
    known = await load_known_projects(scripted_client, [registered("p1", "w1", "Crumb")])
    # The list failed; the one project read also failed (same script): shown from the registry.
    assert known.list_note and "did not list the projects" in known.list_note
    ((project_id, website),) = [(p.id, w) for p in known.projects for w in p.websites]
    assert (project_id, website.id, website.name, website.build_status) == ("p1", "w1", "Crumb", None)
    assert known.from_registry_only == ["w1"]


async def test_no_list_and_nothing_generated_is_still_an_error(
    api_server: ScriptedServer, scripted_client: CodaiqClient
) -> None:
    api_server.on("GET", "/api/project", Reply(json={"weird": True}))
    with pytest.raises(errors.InvalidResponseError, match="keys: weird"):
        await load_known_projects(scripted_client, [])


async def test_lookups_are_capped_and_a_gone_project_is_left_out(
    api_server: ScriptedServer, scripted_client: CodaiqClient
) -> None:
    api_server.on("GET", "/api/project", Reply(404, json={"error": {"code": "not_found", "message": "No project"}}))
    registry = [registered(f"p{n}", f"w{n}", f"Site {n}") for n in range(5)]
    known = await complete_with_registry(scripted_client, [], registry, max_lookups=2, list_note="no list")
    assert len(api_server.requests) == 2  # two lookups, both 404: those sites are gone
    assert known.from_registry_only == ["w2", "w3", "w4"]  # the rest shown, unchecked, from the registry


async def test_an_id_less_list_is_matched_by_domain_and_by_the_projects_only_website(
    api_server: ScriptedServer, scripted_client: CodaiqClient
) -> None:
    api_server.on(
        "GET",
        "/api/project",
        Reply(
            json={
                "projects": [
                    {"id": "p1", "websites": [_site("Crumb", "crumb.site")]},
                    {"id": "p2", "websites": [_site("Two A", "a.site"), _site("Two B", "b.site")]},
                ]
            }
        ),
    )
    registry = [registered("p1", "w1"), registered("p2", "w2b", domain="b.site")]
    known = await load_known_projects(scripted_client, registry, max_lookups=0)
    sites = {(p.id, w.name): w.id for p in known.projects for w in p.websites}
    assert sites == {("p1", "Crumb"): "w1", ("p2", "Two A"): None, ("p2", "Two B"): "w2b"}
    assert known.learned_domains == {"w1": "crumb.site"}


async def test_a_list_with_ids_is_taken_at_its_word(api_server: ScriptedServer, scripted_client: CodaiqClient) -> None:
    """A registered site the service no longer lists (by id) is gone: not shown, and no request spent on it."""
    api_server.on(
        "GET", "/api/project", Reply(json={"projects": [{"id": "p1", "websites": [{"id": "w1", "metadata": {}}]}]})
    )
    known = await load_known_projects(scripted_client, [registered("p1", "w1"), registered("p9", "w9", "Deleted")])
    assert [w.id for p in known.projects for w in p.websites] == ["w1"]
    assert len(api_server.requests) == 1 and not known.from_registry_only
