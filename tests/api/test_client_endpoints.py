"""Every endpoint against a real HTTP server: what the client sends and how it reads the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from codaiq_desktop import __version__
from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors, models
from tests.api.conftest import API_KEY, project_reply_json, website_json
from tests.api.scripted_server import Reply, ScriptedServer


async def test_generate_posts_prompt_and_name_with_key_and_user_agent(
    client: CodaiqClient, api_server: ScriptedServer
) -> None:
    api_server.on("POST", "/api/generate", Reply(202, json={"projectId": "p9", "websiteId": "w9", "status": "queued"}))
    result = await client.generate("A landing page for a bakery", name="Bakery")
    assert result == models.GenerateResult(project_id="p9", website_id="w9", status="queued")
    (request,) = api_server.requests_to("POST", "/api/generate")
    assert request.json() == {"prompt": "A landing page for a bakery", "name": "Bakery"}
    assert request.headers["x-api-key"] == API_KEY
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == f"codaiq-desktop/{__version__} python-httpx/{httpx.__version__}"


async def test_generate_accepts_200_and_omits_absent_name(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("POST", "/api/generate", Reply(200, json={"projectId": 7, "websiteId": "w", "status": "building"}))
    result = await client.generate("Shop")
    assert (result.project_id, result.status) == ("7", "building")
    assert api_server.requests_to("POST", "/api/generate")[0].json() == {"prompt": "Shop"}


async def test_generate_refuses_empty_prompt_without_sending(client: CodaiqClient, api_server: ScriptedServer) -> None:
    with pytest.raises(errors.ValidationError, match="prompt"):
        await client.generate("   ")
    assert api_server.requests == []


async def test_list_projects_reads_projects_and_their_websites(
    client: CodaiqClient, api_server: ScriptedServer
) -> None:
    api_server.on(
        "GET",
        "/api/project",
        Reply(
            json={
                "projects": [
                    {"id": "p1", "name": "One", "createdAt": "2026-01-02T03:04:05Z", "websites": [website_json()]},
                    {"id": "p2", "name": "Two", "websites": []},
                ]
            }
        ),
    )
    projects = await client.list_projects()
    assert [p.id for p in projects] == ["p1", "p2"]
    assert projects[0].created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert projects[0].websites[0].build_status == "ready"
    assert projects[1].websites == ()
    assert api_server.requests_to("GET", "/api/project")[0].query == {}


async def test_get_project_sends_id_and_fills_websites(client: CodaiqClient, api_server: ScriptedServer) -> None:
    sites = [website_json("w1", status="building", buildProgress=40), website_json("w2")]
    api_server.on("GET", "/api/project", Reply(json=project_reply_json("p1", sites)))
    project = await client.get_project("p1")
    assert project.id == "p1" and project.name == "Bakery project"
    assert [w.id for w in project.websites] == ["w1", "w2"]
    assert project.websites[0].build_progress == 40
    assert api_server.requests_to("GET", "/api/project")[0].query == {"projectId": "p1"}


async def test_get_project_with_only_the_documented_websites_key(
    client: CodaiqClient, api_server: ScriptedServer
) -> None:
    api_server.on("GET", "/api/project", Reply(json={"websites": [{"id": "w1", "metadata": {"buildStatus": "ready"}}]}))
    project = await client.get_project("p5")
    assert project.id == "p5" and project.name is None
    assert project.websites[0].project_id == "p5"


async def test_get_website_finds_it_or_raises_not_found(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(json=project_reply_json("p1", [website_json("w1"), website_json("w2")])))
    assert (await client.get_website("p1", "w2")).id == "w2"
    with pytest.raises(errors.NotFoundError, match="w3"):
        await client.get_website("p1", "w3")


async def test_update_website_patches_name_and_metadata(client: CodaiqClient, api_server: ScriptedServer) -> None:
    updated = website_json("w1", seoTitle="New title")
    updated["name"] = "Renamed"
    api_server.on("PATCH", "/api/project", Reply(json={"website": updated}))
    website = await client.update_website("p1", "w1", name="Renamed", metadata={"seoTitle": "New title", "old": None})
    assert website.name == "Renamed" and website.seo_title == "New title"
    (request,) = api_server.requests_to("PATCH", "/api/project")
    assert request.json() == {
        "projectId": "p1",
        "websiteId": "w1",
        "name": "Renamed",
        "metadata": {"seoTitle": "New title", "old": None},
    }


async def test_update_website_reads_back_when_response_is_empty(
    client: CodaiqClient, api_server: ScriptedServer
) -> None:
    api_server.on("PATCH", "/api/project", Reply(200, json={"ok": True}))
    api_server.on("GET", "/api/project", Reply(json=project_reply_json("p1", [website_json("w1", seoTitle="T")])))
    website = await client.update_website("p1", "w1", metadata={"seoTitle": "T"})
    assert website.seo_title == "T"
    assert len(api_server.requests_to("GET", "/api/project")) == 1


async def test_update_website_needs_something_to_change(client: CodaiqClient) -> None:
    with pytest.raises(ValueError, match="Nothing to update"):
        await client.update_website("p1", "w1")


async def test_submit_lead_posts_all_fields(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on(
        "POST",
        "/api/leads/submit",
        Reply(201, json={"leadId": "l1", "websiteId": "w1", "createdAt": "2026-04-21T10:00:00Z", "extra": 1}),
    )
    receipt = await client.submit_lead("w1", "Jane Smith", "jane@example.com", phone="+44 7700 900000", message="Hi")
    assert receipt.lead_id == "l1" and receipt.website_id == "w1"
    assert receipt.created_at == datetime(2026, 4, 21, 10, tzinfo=UTC)
    assert receipt.raw["extra"] == 1
    assert api_server.requests_to("POST", "/api/leads/submit")[0].json() == {
        "websiteId": "w1",
        "name": "Jane Smith",
        "email": "jane@example.com",
        "phone": "+44 7700 900000",
        "message": "Hi",
    }


async def test_submit_lead_tolerates_an_empty_201(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("POST", "/api/leads/submit", Reply(201, body=b""))
    receipt = await client.submit_lead("w1", "Jane", "jane@example.com")
    assert receipt.lead_id is None and receipt.website_id == "w1"
    assert api_server.requests_to("POST", "/api/leads/submit")[0].json() == {
        "websiteId": "w1",
        "name": "Jane",
        "email": "jane@example.com",
    }


@pytest.mark.parametrize(("name", "email"), [("", "jane@example.com"), ("Jane", "not-an-email"), ("Jane", "")])
async def test_submit_lead_checks_name_and_email_first(
    client: CodaiqClient, api_server: ScriptedServer, name: str, email: str
) -> None:
    with pytest.raises(errors.ValidationError):
        await client.submit_lead("w1", name, email)
    assert api_server.requests == []


async def test_analytics_reads_every_field(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on(
        "GET",
        "/api/analytics",
        Reply(
            json={
                "websiteId": "w1",
                "range": "30d",
                "totalPageviews": 120,
                "uniqueVisitors": 45,
                "topPages": [{"path": "/", "pageviews": 80}, {"path": "/about", "pageviews": 40}],
                "referrers": [{"source": "google", "visits": 30}],
                "timeseries": [
                    {"date": "2026-04-02", "pageviews": 70, "uniqueVisitors": 20},
                    {"date": "2026-04-01", "pageviews": 50, "uniqueVisitors": 25},
                ],
            }
        ),
    )
    result = await client.analytics("w1", range="30d")
    assert result.total_pageviews == 120 and result.unique_visitors == 45
    assert result.top_pages == (models.PageStat("/", 80), models.PageStat("/about", 40))
    assert result.referrers == (models.ReferrerStat("google", 30),)
    assert [p.pageviews for p in result.timeseries] == [50, 70]  # sorted by date
    assert result.end is None
    assert api_server.requests_to("GET", "/api/analytics")[0].query == {"websiteId": "w1", "range": "30d"}


async def test_analytics_sends_end_as_utc_and_reads_it_back(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/analytics", Reply(json={"totalPageviews": 3, "end": "2026-04-08T00:00:00Z"}))
    end = datetime(2026, 4, 8, 2, 0, tzinfo=timezone(timedelta(hours=2)))
    result = await client.analytics("w1", end=end)
    assert api_server.requests_to("GET", "/api/analytics")[0].query["end"] == "2026-04-08T00:00:00Z"
    assert result.end == datetime(2026, 4, 8, tzinfo=UTC)
    assert (result.website_id, result.range) == ("w1", "7d")


async def test_rate_limit_headers_are_exposed_and_reported(api_server: ScriptedServer) -> None:
    seen: list[models.RateLimitInfo] = []
    api_server.on(
        "GET",
        "/api/project",
        Reply(
            json={"projects": []},
            headers={"X-RateLimit-Limit": "200", "X-RateLimit-Remaining": "199", "X-RateLimit-Reset": "1893456000"},
        ),
    )
    async with CodaiqClient(api_server.base_url, API_KEY, on_rate_limit=seen.append) as client:
        assert client.rate_limit is None
        await client.list_projects()
    expected = models.RateLimitInfo(200, 199, datetime(2030, 1, 1, tzinfo=UTC))
    assert client.rate_limit == expected
    assert seen == [expected]


async def test_a_failing_rate_limit_callback_does_not_break_the_request(
    api_server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(info: models.RateLimitInfo) -> None:
        raise RuntimeError("display failed")

    api_server.on("GET", "/api/project", Reply(json={"projects": []}, headers={"X-RateLimit-Remaining": "5"}))
    async with CodaiqClient(api_server.base_url, API_KEY, on_rate_limit=broken) as client:
        assert await client.list_projects() == []
    assert client.rate_limit is not None and client.rate_limit.remaining == 5
    assert "on_rate_limit callback failed" in caplog.text


async def test_base_url_with_trailing_slash_and_no_redirect_following(api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(302, headers={"Location": "http://127.0.0.1:9/steal"}))
    async with CodaiqClient(api_server.base_url + "/", API_KEY, retry=RetryPolicy.disabled()) as client:
        with pytest.raises(errors.CodaiqError, match="HTTP 302"):
            await client.list_projects()
    assert len(api_server.requests) == 1


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("", "base URL is required"),
        ("codaiq.com/api", "https://"),
        ("ftp://codaiq.com/api", "https://"),
        ("https://user:pw@codaiq.com/api", "password"),
    ],
)
def test_bad_base_url_is_a_clear_error(base_url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CodaiqClient(base_url, API_KEY)


def test_bad_api_key_is_a_clear_error_that_does_not_echo_it() -> None:
    with pytest.raises(ValueError, match="API key is required"):
        CodaiqClient("https://codaiq.com/api", "  ")
    with pytest.raises(ValueError, match="cannot be sent") as info:
        CodaiqClient("https://codaiq.com/api", "secret with\nnewline")
    assert "secret" not in str(info.value)


async def test_timeouts_are_on_by_default() -> None:
    async with CodaiqClient("https://codaiq.com/api", API_KEY) as client:
        assert client._http.timeout.read == 30.0
        assert client._http.timeout.connect == 30.0
