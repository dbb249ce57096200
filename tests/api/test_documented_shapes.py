"""The client against a server that sends only what the public docs promise (and the shapes
they leave open): websites without ids, every form of the list call, progress without
figures, analytics with only ``totalPageviews``, an export that is not a ZIP."""

from __future__ import annotations

from pathlib import Path

import pytest

from codaiq_desktop.api import CodaiqClient, errors, models
from tests.api.scripted_server import Reply, ScriptedServer


def documented_site(
    status: str = "ready", name: str = "Crumb", domain: str = "crumb.codaiq.site", **meta: object
) -> dict:
    """A website exactly as the docs describe one: name, domain, metadata (with buildStatus)."""
    return {"name": name, "domain": domain, "metadata": {"buildStatus": status, **meta}}


async def test_get_project_accepts_websites_without_ids(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(json={"websites": [documented_site()]}))
    project = await client.get_project("p1")
    assert project.id == "p1" and project.name is None
    (website,) = project.websites
    assert website.id is None and website.build_status == "ready" and website.domain == "crumb.codaiq.site"
    assert website.project_id == "p1"


async def test_a_website_with_website_id_instead_of_id_is_read(
    client: CodaiqClient, api_server: ScriptedServer
) -> None:
    api_server.on("GET", "/api/project", Reply(json={"websites": [{**documented_site(), "websiteId": "w5"}]}))
    (website,) = (await client.get_project("p1")).websites
    assert website.id == "w5"


async def test_the_id_generate_returned_is_known_from_context(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("POST", "/api/generate", Reply(202, json={"projectId": "p1", "websiteId": "w1", "status": "queued"}))
    api_server.on("GET", "/api/project", Reply(json={"websites": [documented_site("queued")]}))
    await client.generate("A bakery")
    (website,) = (await client.get_project("p1")).websites
    assert website.id == "w1"
    # Another project's only website is not given that id.
    (other,) = (await client.get_project("p2")).websites
    assert other.id is None


async def test_wait_for_build_uses_the_only_website_and_never_invents_progress(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on(
        "GET",
        "/api/project",
        Reply(json={"websites": [documented_site("queued")]}),
        Reply(json={"websites": [documented_site("building")]}),
        Reply(json={"websites": [documented_site("ready")]}),
    )
    updates = [u async for u in client.wait_for_build("p1", "w1")]
    assert [(u.status, u.progress, u.step) for u in updates] == [
        ("queued", None, None),
        ("building", None, None),
        ("ready", None, None),
    ]
    assert all(u.website.id == "w1" for u in updates)


async def test_wait_for_build_matches_by_id_when_ids_are_present(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    sites = [{**documented_site("failed"), "id": "w0"}, {**documented_site("ready"), "id": "w1"}]
    api_server.on("GET", "/api/project", Reply(json={"websites": sites}))
    (update,) = [u async for u in client.wait_for_build("p1", "w1")]
    assert update.status == "ready" and update.website.id == "w1"


async def test_wait_for_build_says_so_when_it_cannot_tell_which_website(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on("GET", "/api/project", Reply(json={"websites": [documented_site(), documented_site(name="Other")]}))
    with pytest.raises(errors.InvalidResponseError, match="cannot tell which one is website w1"):
        async for _ in client.wait_for_build("p1", "w1"):
            pass


async def test_get_website_tells_id_less_websites_apart_by_domain(
    client: CodaiqClient, api_server: ScriptedServer
) -> None:
    sites = [documented_site(domain="a.codaiq.site"), documented_site(name="B", domain="b.codaiq.site")]
    api_server.on("GET", "/api/project", Reply(json={"websites": sites}))
    website = await client.get_website("p1", "w2", domain="b.codaiq.site")
    assert (website.id, website.name) == ("w2", "B")


async def test_ids_present_but_none_matching_is_not_found(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(json={"websites": [{**documented_site(), "id": "w0"}]}))
    with pytest.raises(errors.NotFoundError):
        await client.get_website("p1", "w1")


async def test_an_empty_patch_answer_reads_the_website_back(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("PATCH", "/api/project", Reply(json={}))
    api_server.on("GET", "/api/project", Reply(json={"websites": [documented_site(seoTitle="Fresh bread")]}))
    website = await client.update_website("p1", "w1", metadata={"seoTitle": "Fresh bread"})
    assert website.id == "w1" and website.seo_title == "Fresh bread"


async def test_an_empty_lead_answer_is_a_receipt_without_an_id(
    client: CodaiqClient, api_server: ScriptedServer
) -> None:
    api_server.on("POST", "/api/leads/submit", Reply(201, json={}))
    receipt = await client.submit_lead("w1", "Jane", "jane@example.com")
    assert receipt.lead_id is None and receipt.website_id == "w1"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A bare list of projects.
        (
            [{"id": "p1", "name": "Crumb", "websites": [{"id": "w1", "metadata": {"buildStatus": "ready"}}]}],
            [("p1", ["w1"])],
        ),
        # A bare list of websites, with their project.
        (
            [{"id": "w1", "projectId": "p1", "metadata": {}}, {"id": "w2", "projectId": "p1", "metadata": {}}],
            [("p1", ["w1", "w2"])],
        ),
        # The sandbox's form.
        (
            {"projects": [{"id": "p1", "websites": []}, {"id": "p2", "websites": [{"id": "w9"}]}]},
            [("p1", []), ("p2", ["w9"])],
        ),
        # The single-project form, sent for the list call.
        ({"project": {"id": "p1"}, "websites": [{"id": "w1"}]}, [("p1", ["w1"])]),
        # Websites only, as the docs' shape: no ids, no projects.
        ({"websites": [documented_site(), documented_site(name="B")]}, [(None, [None, None])]),
        # Websites that say which project they are in, some without their own id.
        (
            {"websites": [{"projectId": "p1", "metadata": {}}, {"projectId": "p2", "websiteId": "w2"}]},
            [("p1", [None]), ("p2", ["w2"])],
        ),
        ([], []),
        ({"websites": []}, []),
    ],
)
async def test_every_shape_of_the_list_call_is_read(
    client: CodaiqClient, api_server: ScriptedServer, body: object, expected: list[tuple[str | None, list[str | None]]]
) -> None:
    api_server.on("GET", "/api/project", Reply(json=body))
    projects = await client.list_projects()
    assert [(p.id, [w.id for w in p.websites]) for p in projects] == expected


@pytest.mark.parametrize("body", [{"items": [], "token": "sk_live_secret"}, "a string", 42, None, {"projects": "nope"}])
async def test_an_unknown_list_shape_is_a_clear_error_naming_what_arrived(
    client: CodaiqClient, api_server: ScriptedServer, body: object
) -> None:
    api_server.on("GET", "/api/project", Reply(json=body))
    with pytest.raises(errors.InvalidResponseError, match="shape this app does not know") as info:
        await client.list_projects()
    message = str(info.value)
    assert "sk_live_secret" not in message  # key names only, never values
    if isinstance(body, dict):
        assert "keys: " in message and all(key in message for key in body)


async def test_analytics_with_only_total_pageviews(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/analytics", Reply(json={"totalPageviews": 12}))
    result = await client.analytics("w1", "30d")
    assert result.total_pageviews == 12 and (result.website_id, result.range) == ("w1", "30d")
    assert result.unique_visitors is None and result.top_pages is None
    assert result.referrers is None and result.timeseries is None and result.end is None


async def test_an_export_that_is_not_a_zip_is_refused_and_leaves_nothing(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    api_server.on("GET", "/api/export", Reply(body=b"<html>not a zip</html>", content_type="text/html"))
    with pytest.raises(errors.InvalidResponseError, match="not a valid ZIP"):
        await client.export_website("p1", "w1", tmp_path / "site.zip")
    assert list(tmp_path.iterdir()) == []


def test_build_update_of_a_documented_website_has_no_progress() -> None:
    website = models.Website.from_json(documented_site("building"))
    update = models.BuildUpdate.from_website(website)
    assert (update.status, update.progress, update.step) == ("building", None, None)
