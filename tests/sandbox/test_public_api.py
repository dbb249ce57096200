"""The public API, endpoint by endpoint and status by status, over real HTTP."""

from __future__ import annotations

import asyncio
import io
import zipfile

import httpx
import pytest

from codaiq_desktop.sandbox import SandboxConfig, SandboxServer
from codaiq_desktop.sandbox.builds import BUILD_STEPS
from codaiq_desktop.tls import ssl_context


@pytest.fixture(scope="module")
def built_site(sandbox):
    """One ready site shared by the read-only tests of this module: (projectId, websiteId)."""
    project_id, website_id = sandbox.generate(
        "A modern SaaS landing page for a project management tool", "My SaaS Site"
    )
    website = sandbox.wait_ready(project_id, website_id)
    assert website["metadata"]["buildStatus"] == "ready"
    return project_id, website_id


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# -- authentication -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/generate"),
        ("GET", "/api/project"),
        ("PATCH", "/api/project"),
        ("POST", "/api/leads/submit"),
        ("GET", "/api/analytics"),
        ("GET", "/api/export"),
    ],
)
@pytest.mark.parametrize("key", [None, "cdq_sbx_not_a_real_key"])
def test_every_public_route_needs_a_known_key(sandbox, method, path, key) -> None:
    response = sandbox.request(method, path, key=key, json={})
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert "cdq_sbx_not_a_real_key" not in response.text


# -- generate ---------------------------------------------------------------------------------
def test_generate_accepts_the_documented_body(sandbox) -> None:
    response = sandbox.request(
        "POST",
        "/api/generate",
        key=sandbox.api_key,
        json={"prompt": "A modern SaaS landing page for a project management tool", "name": "My SaaS Site"},
    )
    assert response.status_code == 202
    body = response.json()
    assert body["projectId"].startswith("prj_") and body["websiteId"].startswith("web_")
    assert body["status"] in {"queued", "building", "ready"}


async def test_build_passes_through_queued_building_ready(tmp_path) -> None:
    """Its own sandbox with 1.5 s builds: 0.2 s queued and 0.2 s a step, far longer than a poll."""
    async with SandboxServer(SandboxConfig(data_dir=tmp_path, build_seconds=1.5)) as server:
        headers = {"X-API-Key": server.default_api_key}
        async with httpx.AsyncClient(
            verify=ssl_context(), base_url=server.root_url, headers=headers, trust_env=False
        ) as client:
            created = await client.post("/api/generate", json={"prompt": "A family-run bakery in York with sourdough"})
            assert created.status_code == 202 and created.json()["status"] == "queued"
            project_id, website_id = created.json()["projectId"], created.json()["websiteId"]
            seen: list[tuple[str, int, str]] = []
            for _ in range(1000):  # ~20 s at most
                project = (await client.get("/api/project", params={"projectId": project_id})).json()
                metadata = next(w for w in project["websites"] if w["id"] == website_id)["metadata"]
                entry = (metadata["buildStatus"], metadata["buildProgress"], metadata["buildStep"])
                if not seen or seen[-1] != entry:
                    seen.append(entry)
                if metadata["buildStatus"] in ("ready", "failed"):
                    break
                await asyncio.sleep(0.02)
    statuses = [status for index, (status, _, _) in enumerate(seen) if index == 0 or seen[index - 1][0] != status]
    assert statuses == ["queued", "building", "ready"], seen
    progress = [p for _, p, _ in seen]
    assert progress[0] == 0 and progress == sorted(progress) and progress[-1] == 100
    building_steps = [step for status, _, step in seen if status == "building"]
    documented = [step for _, step in BUILD_STEPS]
    assert len(building_steps) >= 3, seen  # several steps of 0.2 s each are seen at 20 ms polls
    assert building_steps == sorted(building_steps, key=documented.index)  # in the documented order
    assert all(step for _, _, step in seen)
    assert metadata["publishedAt"] and metadata["seoTitle"] and metadata["seoDescription"]


def test_a_prompt_without_words_fails_the_build_with_a_reason(sandbox) -> None:
    project_id, website_id = sandbox.generate("1234 !!! ???")
    website = sandbox.wait_ready(project_id, website_id)
    assert website["metadata"]["buildStatus"] == "failed"
    assert "words" in website["metadata"]["buildError"]
    export = sandbox.request(
        "GET", "/api/export", key=sandbox.api_key, params={"projectId": project_id, "websiteId": website_id}
    )
    assert export.status_code == 409


@pytest.mark.parametrize("prompt", ["", "   ", "x" * 4001])
def test_generate_rejects_empty_or_overlong_prompts_with_400(sandbox, prompt) -> None:
    response = sandbox.request("POST", "/api/generate", key=sandbox.api_key, json={"prompt": prompt})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_prompt"


def test_generate_accepts_a_prompt_of_exactly_4000_chars(sandbox) -> None:
    response = sandbox.request("POST", "/api/generate", key=sandbox.api_key, json={"prompt": "cafe " * 800})
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"", "application/json", 400),
        (b'{"name": "no prompt"}', "application/json", 422),
        (b'{"prompt": 42}', "application/json", 422),
        (b'{"prompt": "ok", "name": ["x"]}', "application/json", 422),
    ],
)
def test_generate_bad_bodies(sandbox, body, content_type, status) -> None:
    response = sandbox.request(
        "POST", "/api/generate", key=sandbox.api_key, content=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == status
    error_of(response)


def test_bodies_over_one_mebibyte_get_413(sandbox) -> None:
    big = b'{"prompt": "' + b"a" * (1024 * 1024) + b'"}'
    response = sandbox.request(
        "POST", "/api/generate", key=sandbox.api_key, content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_chunked_bodies_over_the_limit_get_413_too(sandbox) -> None:
    def chunks():
        for _ in range(20):
            yield b"a" * 65536

    response = sandbox.request(
        "POST", "/api/leads/submit", key=sandbox.api_key, content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_generate_into_an_existing_project(sandbox, built_site) -> None:
    project_id, _ = built_site
    response = sandbox.request(
        "POST", "/api/generate", key=sandbox.api_key, json={"prompt": "A blog about the team", "projectId": project_id}
    )
    assert response.status_code == 202
    assert response.json()["projectId"] == project_id


def test_generate_into_another_accounts_project_is_403_and_unknown_is_404(sandbox, built_site) -> None:
    outsider = sandbox.new_key("enterprise")
    project_id, _ = built_site
    denied = sandbox.request("POST", "/api/generate", key=outsider, json={"prompt": "x site", "projectId": project_id})
    assert denied.status_code == 403
    missing = sandbox.request("POST", "/api/generate", key=outsider, json={"prompt": "x site", "projectId": "prj_nope"})
    assert missing.status_code == 404


# -- project ------------------------------------------------------------------------------------
def test_project_list_and_detail_shapes(sandbox, built_site) -> None:
    project_id, website_id = built_site
    listed = sandbox.request("GET", "/api/project", key=sandbox.api_key)
    assert listed.status_code == 200
    projects = {p["id"]: p for p in listed.json()["projects"]}
    assert project_id in projects
    assert {"id", "name", "createdAt", "websites"} <= set(projects[project_id])

    detail = sandbox.request("GET", "/api/project", key=sandbox.api_key, params={"projectId": project_id})
    assert detail.status_code == 200
    body = detail.json()
    assert body["project"]["id"] == project_id
    website = next(w for w in body["websites"] if w["id"] == website_id)
    assert set(website) == {"id", "projectId", "name", "domain", "createdAt", "updatedAt", "metadata"}
    assert website["name"] == "My SaaS Site"
    # The docs' JavaScript reads websites[0]?.metadata?.buildStatus
    assert body["websites"][0]["metadata"]["buildStatus"] == "ready"


def test_project_of_another_account_is_403_unknown_is_404(sandbox, built_site) -> None:
    outsider = sandbox.new_key("pro")
    project_id, _ = built_site
    assert sandbox.request("GET", "/api/project", key=outsider, params={"projectId": project_id}).status_code == 403
    missing = sandbox.request("GET", "/api/project", key=outsider, params={"projectId": "prj_missing"})
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"
    assert sandbox.request("GET", "/api/project", key=outsider).json() == {"projects": []}


def test_patch_merges_metadata_and_removes_null_keys(sandbox, built_site) -> None:
    project_id, website_id = built_site
    first = sandbox.request(
        "PATCH",
        "/api/project",
        key=sandbox.api_key,
        json={
            "projectId": project_id,
            "websiteId": website_id,
            "name": "Updated Site Name",
            "metadata": {"seoTitle": "My Updated Title", "color": "teal", "tier": 2},
        },
    )
    assert first.status_code == 200
    website = first.json()["website"]
    assert website["name"] == "Updated Site Name"
    assert website["metadata"]["seoTitle"] == "My Updated Title"
    assert website["metadata"]["buildStatus"] == "ready"
    second = sandbox.request(
        "PATCH",
        "/api/project",
        key=sandbox.api_key,
        json={"projectId": project_id, "websiteId": website_id, "metadata": {"color": None}},
    )
    metadata = second.json()["website"]["metadata"]
    assert "color" not in metadata and metadata["tier"] == 2 and metadata["seoTitle"] == "My Updated Title"
    assert second.json()["website"]["name"] == "Updated Site Name"
    assert second.json()["website"]["updatedAt"] >= website["updatedAt"]


@pytest.mark.parametrize(
    ("patch", "status"),
    [
        ({"metadata": {"buildStatus": "ready"}}, 422),
        ({"name": ""}, 422),
        ({"name": "x" * 201}, 422),
        ({"metadata": ["not", "an", "object"]}, 422),
        ({"websiteId": "web_missing"}, 404),
        ({"projectId": "prj_missing"}, 404),
        ({"projectId": None}, 422),
    ],
)
def test_patch_rejects_bad_updates(sandbox, built_site, patch, status) -> None:
    project_id, website_id = built_site
    body = {"projectId": project_id, "websiteId": website_id, **patch}
    response = sandbox.request("PATCH", "/api/project", key=sandbox.api_key, json=body)
    assert response.status_code == status
    error_of(response)


def test_patch_website_from_another_project_is_404(sandbox, built_site) -> None:
    other_project, _ = sandbox.generate("A landscaping firm in Kent")
    _, website_id = built_site
    response = sandbox.request(
        "PATCH", "/api/project", key=sandbox.api_key, json={"projectId": other_project, "websiteId": website_id}
    )
    assert response.status_code == 404


def test_patch_by_another_account_is_403(sandbox, built_site) -> None:
    project_id, website_id = built_site
    response = sandbox.request(
        "PATCH", "/api/project", key=sandbox.new_key("agency"), json={"projectId": project_id, "websiteId": website_id}
    )
    assert response.status_code == 403


# -- leads ----------------------------------------------------------------------------------------
def test_submit_lead_returns_a_receipt(sandbox, built_site) -> None:
    _, website_id = built_site
    response = sandbox.request(
        "POST",
        "/api/leads/submit",
        key=sandbox.api_key,
        json={
            "websiteId": website_id,
            "name": "Jane Smith",
            "email": "jane@example.com",
            "phone": "+44 7700 900000",
            "message": "I am interested in your services.",
        },
    )
    assert response.status_code == 201
    receipt = response.json()
    assert receipt["leadId"].startswith("lead_") and receipt["websiteId"] == website_id and receipt["createdAt"]


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"name": "Jane"}, 422),
        ({"email": "jane@example.com"}, 422),
        ({"name": "Jane", "email": "not-an-email"}, 422),
        ({"name": "Jane", "email": "jane@@example.com"}, 422),
        ({"name": "   ", "email": "jane@example.com"}, 422),
        ({"name": "J" * 201, "email": "jane@example.com"}, 422),
        ({"name": "Jane", "email": "jane@example.com", "message": "m" * 5001}, 422),
        ({"name": "Jane", "email": "jane@example.com", "phone": "1" * 41}, 422),
        ({"name": 7, "email": "jane@example.com"}, 422),
    ],
)
def test_submit_lead_validates_fields(sandbox, built_site, fields, status) -> None:
    _, website_id = built_site
    response = sandbox.request(
        "POST", "/api/leads/submit", key=sandbox.api_key, json={"websiteId": website_id, **fields}
    )
    assert response.status_code == status
    assert error_of(response)["code"] == "validation_error"


def test_submit_lead_unknown_website_is_404_foreign_is_403(sandbox, built_site) -> None:
    body = {"name": "Jane", "email": "jane@example.com"}
    missing = sandbox.request("POST", "/api/leads/submit", key=sandbox.api_key, json={"websiteId": "web_nope", **body})
    assert missing.status_code == 404
    _, website_id = built_site
    foreign = sandbox.request(
        "POST", "/api/leads/submit", key=sandbox.new_key("free"), json={"websiteId": website_id, **body}
    )
    assert foreign.status_code == 403


# -- analytics ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("range_name", "buckets"), [("24h", 24), ("7d", 7), ("30d", 30), ("90d", 90)])
def test_analytics_ranges_and_timeseries(sandbox, built_site, range_name, buckets) -> None:
    _, website_id = built_site
    assert sandbox.request("GET", f"/sites/{website_id}/").status_code == 200
    response = sandbox.request(
        "GET", "/api/analytics", key=sandbox.api_key, params={"websiteId": website_id, "range": range_name}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["websiteId"] == website_id and body["range"] == range_name
    assert len(body["timeseries"]) == buckets
    assert body["totalPageviews"] >= 1
    assert sum(point["pageviews"] for point in body["timeseries"]) == body["totalPageviews"]
    assert {"path", "pageviews"} == set(body["topPages"][0])
    assert {"source", "visits"} == set(body["referrers"][0])
    dates = [point["date"] for point in body["timeseries"]]
    assert dates == sorted(dates) and dates[0] == body["start"]


def test_analytics_default_range_is_7d(sandbox, built_site) -> None:
    _, website_id = built_site
    body = sandbox.request("GET", "/api/analytics", key=sandbox.api_key, params={"websiteId": website_id}).json()
    assert body["range"] == "7d"


def test_analytics_end_extension_moves_the_window(sandbox, built_site) -> None:
    _, website_id = built_site
    params = {"websiteId": website_id, "range": "7d", "end": "2020-01-08T00:00:00Z"}
    body = sandbox.request("GET", "/api/analytics", key=sandbox.api_key, params=params).json()
    assert body["end"] == "2020-01-08T00:00:00.000Z" and body["start"] == "2020-01-01T00:00:00.000Z"
    assert body["totalPageviews"] == 0
    assert body["timeseries"][0]["date"] == "2020-01-01T00:00:00.000Z"


@pytest.mark.parametrize(("params", "status"), [({"range": "1y"}, 422), ({"end": "yesterday"}, 422), ({}, 422)])
def test_analytics_bad_queries(sandbox, built_site, params, status) -> None:
    _, website_id = built_site
    query = {"websiteId": website_id, **params} if params else {}
    response = sandbox.request("GET", "/api/analytics", key=sandbox.api_key, params=query)
    assert response.status_code == status
    error_of(response)


def test_analytics_unknown_404_foreign_403(sandbox, built_site) -> None:
    _, website_id = built_site
    assert (
        sandbox.request("GET", "/api/analytics", key=sandbox.api_key, params={"websiteId": "web_x"}).status_code == 404
    )
    foreign = sandbox.request("GET", "/api/analytics", key=sandbox.new_key("pro"), params={"websiteId": website_id})
    assert foreign.status_code == 403


# -- export -----------------------------------------------------------------------------------------
def test_export_streams_the_site_as_a_zip(sandbox, built_site) -> None:
    project_id, website_id = built_site
    response = sandbox.request(
        "GET", "/api/export", key=sandbox.api_key, params={"projectId": project_id, "websiteId": website_id}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    names = set(archive.namelist())
    assert "index.html" in names
    for folder in ("pages/", "components/", "styles/", "assets/"):
        assert any(name.startswith(folder) for name in names), folder
    contact = archive.read("pages/contact.html").decode()
    # Hosted forms post to the documented lead endpoint with the website id, not to this sandbox.
    assert 'action="https://codaiq.com/api/leads/submit"' in contact
    assert f'data-website-id="{website_id}"' in contact and sandbox.root_url not in contact


def test_export_before_the_build_is_ready_is_409(sandbox) -> None:
    project_id, website_id = sandbox.generate("A conference about gardening")
    response = sandbox.request(
        "GET", "/api/export", key=sandbox.api_key, params={"projectId": project_id, "websiteId": website_id}
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "not_built"


def test_export_errors(sandbox, built_site) -> None:
    project_id, website_id = built_site
    key = sandbox.api_key
    assert sandbox.request("GET", "/api/export", key=key, params={"projectId": project_id}).status_code == 422
    assert (
        sandbox.request(
            "GET", "/api/export", key=key, params={"projectId": project_id, "websiteId": "web_x"}
        ).status_code
        == 404
    )
    assert (
        sandbox.request(
            "GET", "/api/export", key=key, params={"projectId": "prj_x", "websiteId": website_id}
        ).status_code
        == 404
    )
    foreign = sandbox.request(
        "GET", "/api/export", key=sandbox.new_key("pro"), params={"projectId": project_id, "websiteId": website_id}
    )
    assert foreign.status_code == 403


# -- generic HTTP ---------------------------------------------------------------------------------------
def test_unknown_api_route_is_a_json_404_and_wrong_method_a_json_405(sandbox) -> None:
    missing = sandbox.request("GET", "/api/nothing-here", key=sandbox.api_key)
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"
    wrong = sandbox.request("DELETE", "/api/generate", key=sandbox.api_key)
    assert wrong.status_code == 405
    assert error_of(wrong)["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["allow"]


def test_openapi_document_lists_the_public_routes(sandbox) -> None:
    document = sandbox.request("GET", "/openapi.json").json()
    for path in (
        "/api/generate",
        "/api/project",
        "/api/leads/submit",
        "/api/analytics",
        "/api/export",
        "/api/sandbox/keys",
        "/api/sandbox/faults",
        "/api/sandbox/deliveries",
    ):
        assert path in document["paths"], path
