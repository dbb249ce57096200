"""Built sites served under /sites/<websiteId>/, their page views, and the lead form."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def site(sandbox):
    project_id, website_id = sandbox.generate("Emergency plumber serving Bristol")
    sandbox.wait_ready(project_id, website_id)
    return project_id, website_id


def analytics(sandbox, website_id: str, key: str | None = None) -> dict:
    response = sandbox.request(
        "GET", "/api/analytics", key=key or sandbox.api_key, params={"websiteId": website_id, "range": "24h"}
    )
    response.raise_for_status()
    return response.json()


def test_pages_styles_and_assets_are_served_with_types(sandbox, site) -> None:
    _, website_id = site
    root = f"/sites/{website_id}"
    expectations = {
        "/": "text/html",
        "/index.html": "text/html",
        "/pages/about.html": "text/html",
        "/pages/services.html": "text/html",
        "/pages/contact.html": "text/html",
        "/styles/main.css": "text/css",
        "/assets/logo.svg": "image/svg+xml",
        "/assets/favicon.svg": "image/svg+xml",
    }
    for path, content_type in expectations.items():
        response = sandbox.request("GET", root + path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(content_type), path


def test_site_root_without_slash_redirects_so_relative_links_work(sandbox, site) -> None:
    _, website_id = site
    response = sandbox.request("GET", f"/sites/{website_id}", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/sites/{website_id}/"


@pytest.mark.parametrize("path", ["/pages/missing.html", "/../../sandbox.sqlite3", "/%2e%2e/%2e%2e/sandbox.sqlite3"])
def test_missing_files_and_escapes_are_404(sandbox, site, path) -> None:
    _, website_id = site
    response = sandbox.request("GET", f"/sites/{website_id}{path}")
    assert response.status_code == 404
    assert b"SQLite" not in response.content


def test_unknown_site_is_404(sandbox) -> None:
    response = sandbox.request("GET", "/sites/web_unknown/")
    assert response.status_code == 404 and "not found" in response.text


def test_failed_site_page_explains(sandbox) -> None:
    project_id, website_id = sandbox.generate("§§§ 123")
    sandbox.wait_ready(project_id, website_id)
    response = sandbox.request("GET", f"/sites/{website_id}/")
    assert response.status_code == 404 and "failed" in response.text


def test_page_views_are_recorded_with_path_and_referrer(sandbox, site) -> None:
    _, website_id = site
    before = analytics(sandbox, website_id)
    sandbox.request(
        "GET", f"/sites/{website_id}/pages/about.html", headers={"Referer": "https://www.google.com/search?q=x"}
    )
    sandbox.request("GET", f"/sites/{website_id}/", headers={"Referer": "https://news.example.org/a"})
    # A click inside the site is a view, not a referral.
    sandbox.request(
        "GET", f"/sites/{website_id}/pages/contact.html", headers={"Referer": f"{sandbox.root_url}/sites/{website_id}/"}
    )
    sandbox.request("GET", f"/sites/{website_id}/styles/main.css")  # not a page view
    after = analytics(sandbox, website_id)
    assert after["totalPageviews"] == before["totalPageviews"] + 3
    referrers = {r["source"]: r["visits"] for r in after["referrers"]}
    previous = {r["source"]: r["visits"] for r in before["referrers"]}
    assert referrers["google.com"] == previous.get("google.com", 0) + 1
    assert referrers["news.example.org"] == previous.get("news.example.org", 0) + 1
    assert sandbox.root_url.split("//")[1] not in referrers
    pages = {p["path"] for p in after["topPages"]}
    assert {"/pages/about.html", "/", "/pages/contact.html"} <= pages


def test_visitors_are_counted_by_ip_and_user_agent(sandbox) -> None:
    project_id, website_id = sandbox.generate("A barber in Hull")
    sandbox.wait_ready(project_id, website_id)
    for agent in ("agent-one", "agent-one", "agent-two"):
        sandbox.request("GET", f"/sites/{website_id}/", headers={"User-Agent": agent})
    body = analytics(sandbox, website_id)
    assert body["totalPageviews"] == 3
    assert body["uniqueVisitors"] == 2


def test_the_form_posts_a_lead_without_an_api_key(sandbox, site, webhook_sink) -> None:
    project_id, website_id = site
    url = webhook_sink.new_url()
    response = sandbox.request(
        "PUT", f"/api/sandbox/projects/{project_id}/webhook", key=sandbox.api_key, json={"url": url, "secret": "form"}
    )
    response.raise_for_status()
    page = sandbox.request("GET", f"/sites/{website_id}/pages/contact.html").text
    assert 'action="../lead"' in page and sandbox.api_key not in page
    form = {"name": "Sam Form", "email": "sam@example.com", "phone": "", "message": "Leaking tap"}
    posted = sandbox.request("POST", f"/sites/{website_id}/lead", data=form, follow_redirects=False)
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/sites/{website_id}/pages/thanks.html"
    thanks = sandbox.request("GET", posted.headers["location"])
    assert thanks.status_code == 200 and "Thank you" in thanks.text
    posts = webhook_sink.wait_for(url, 2)
    payloads = [json.loads(p.body) for p in posts]
    submitted = next(p for p in payloads if p["event"] == "form.submitted")
    assert submitted["data"]["source"] == "site" and submitted["data"]["name"] == "Sam Form"
    assert submitted["data"]["phone"] is None
    sandbox.request("DELETE", f"/api/sandbox/projects/{project_id}/webhook", key=sandbox.api_key)


def test_the_form_reports_bad_input_as_a_page(sandbox, site) -> None:
    _, website_id = site
    response = sandbox.request("POST", f"/sites/{website_id}/lead", data={"name": "No Email"})
    assert response.status_code == 422
    assert "email" in response.text and "<html" in response.text


def test_the_form_endpoint_speaks_json_too(sandbox, site) -> None:
    _, website_id = site
    ok = sandbox.request("POST", f"/sites/{website_id}/lead", json={"name": "J", "email": "j@example.com"})
    assert ok.status_code == 201 and ok.json()["websiteId"] == website_id
    bad = sandbox.request(
        "POST", f"/sites/{website_id}/lead", content=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_json"
    missing = sandbox.request("POST", "/sites/web_missing/lead", json={"name": "J", "email": "j@example.com"})
    assert missing.status_code == 404


def test_head_requests_are_not_page_views(sandbox) -> None:
    project_id, website_id = sandbox.generate("A bike repair shop in Cambridge")
    sandbox.wait_ready(project_id, website_id)
    assert sandbox.request("HEAD", f"/sites/{website_id}/").status_code == 200
    assert analytics(sandbox, website_id)["totalPageviews"] == 0
    sandbox.request("GET", f"/sites/{website_id}/")
    assert analytics(sandbox, website_id)["totalPageviews"] == 1


def test_the_owners_preview_is_served_but_not_counted(sandbox) -> None:
    project_id, website_id = sandbox.generate("A locksmith in Norwich")
    sandbox.wait_ready(project_id, website_id)
    marked = sandbox.request("GET", f"/sites/{website_id}/", headers={"X-Codaiq-Preview": "1"})
    assert marked.status_code == 200 and "<html" in marked.text.lower()
    assert sandbox.request("GET", f"/sites/{website_id}/pages/about.html?codaiqPreview=1").status_code in (200, 404)
    assert sandbox.request("GET", f"/sites/{website_id}/?codaiqPreview=1").status_code == 200
    assert analytics(sandbox, website_id)["totalPageviews"] == 0
    sandbox.request("GET", f"/sites/{website_id}/")  # a visitor
    assert analytics(sandbox, website_id)["totalPageviews"] == 1


async def test_the_apps_own_site_check_is_not_counted_either(sandbox) -> None:
    from codaiq_desktop.site_check.sources import ServedSite

    project_id, website_id = sandbox.generate("A picture framer in Lewes")
    sandbox.wait_ready(project_id, website_id)
    site = ServedSite(f"{sandbox.root_url}/sites/{website_id}/")
    try:
        fetched = await site.fetch(site.root_url)
    finally:
        await site.aclose()
    assert fetched.status == 200
    assert analytics(sandbox, website_id)["totalPageviews"] == 0
