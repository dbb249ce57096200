"""A PATCH of name and search metadata reaches the served pages and the export; an exported
site's lead forms post to the documented lead endpoint, never to this machine."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest

from codaiq_desktop.sandbox.site_files import HOSTED_LEAD_ENDPOINT

LOOPBACK = re.compile(rb"127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0", re.I)


class HeadAndName(HTMLParser):
    """The <title>, the meta description, the Open Graph tags and the brand name of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.brand = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = attributes.get("name") or attributes.get("property")
            if key:
                self.meta[key] = attributes.get("content") or ""
        elif tag == "a" and attributes.get("class") == "brand":
            self._in = "brand"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "a"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "brand":
            self.brand += data.strip()


def head_of(html: str) -> HeadAndName:
    parser = HeadAndName()
    parser.feed(html)
    return parser


def export_zip(sandbox, project_id: str, website_id: str) -> zipfile.ZipFile:
    response = sandbox.request(
        "GET", "/api/export", key=sandbox.api_key, params={"projectId": project_id, "websiteId": website_id}
    )
    assert response.status_code == 200, response.text
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.fixture
def site(sandbox):
    project_id, website_id = sandbox.generate("A family-run Italian restaurant in Leeds with online booking")
    sandbox.wait_ready(project_id, website_id)
    return project_id, website_id


def test_a_patch_of_name_title_and_description_reaches_served_pages_and_export(sandbox, site) -> None:
    project_id, website_id = site
    before = head_of(sandbox.request("GET", f"/sites/{website_id}/").text)
    assert before.title and before.meta["description"] and before.meta["og:title"] == before.title

    title = "Nonna Rosa \u2014 Italian cooking in Leeds"
    description = "Handmade pasta and a wood-fired oven, five minutes from Leeds station."
    response = sandbox.request(
        "PATCH",
        "/api/project",
        key=sandbox.api_key,
        json={
            "projectId": project_id,
            "websiteId": website_id,
            "name": "Nonna Rosa",
            "metadata": {"seoTitle": title, "seoDescription": description},
        },
    )
    assert response.status_code == 200, response.text

    home = head_of(sandbox.request("GET", f"/sites/{website_id}/").text)
    assert home.title == title
    assert home.meta["description"] == description
    assert home.meta["og:title"] == title and home.meta["og:description"] == description
    assert home.meta["og:site_name"] == "Nonna Rosa"
    assert home.brand == "Nonna Rosa"
    about_html = sandbox.request("GET", f"/sites/{website_id}/pages/about.html").text
    about = head_of(about_html)
    assert about.title.endswith("| Nonna Rosa") and about.meta["description"] == description
    assert "Nonna Rosa" in about_html and before.brand not in about_html

    archive = export_zip(sandbox, project_id, website_id)
    exported = head_of(archive.read("index.html").decode("utf-8"))
    assert exported.title == title and exported.meta["description"] == description
    assert exported.meta["og:title"] == title and exported.brand == "Nonna Rosa"


def test_removing_the_title_brings_back_the_generated_one(sandbox, site) -> None:
    project_id, website_id = site
    original = head_of(sandbox.request("GET", f"/sites/{website_id}/").text).title
    patch = {"projectId": project_id, "websiteId": website_id}
    sandbox.request(
        "PATCH", "/api/project", key=sandbox.api_key, json={**patch, "metadata": {"seoTitle": "Temporary title"}}
    )
    assert head_of(sandbox.request("GET", f"/sites/{website_id}/").text).title == "Temporary title"
    sandbox.request("PATCH", "/api/project", key=sandbox.api_key, json={**patch, "metadata": {"seoTitle": None}})
    assert head_of(sandbox.request("GET", f"/sites/{website_id}/").text).title == original


def test_other_metadata_leaves_the_pages_alone(sandbox, site) -> None:
    project_id, website_id = site
    index = sandbox.service.sites.folder(website_id) / "index.html"
    written = index.stat().st_mtime_ns
    response = sandbox.request(
        "PATCH",
        "/api/project",
        key=sandbox.api_key,
        json={"projectId": project_id, "websiteId": website_id, "metadata": {"googleAnalyticsId": "G-1"}},
    )
    assert response.status_code == 200
    assert index.stat().st_mtime_ns == written


def test_a_name_given_while_building_is_on_the_built_pages(sandbox) -> None:
    project_id, website_id = sandbox.generate("A dental clinic in Bristol")
    sandbox.request(
        "PATCH",
        "/api/project",
        key=sandbox.api_key,
        json={"projectId": project_id, "websiteId": website_id, "name": "Smile Bristol"},
    )
    sandbox.wait_ready(project_id, website_id)
    sandbox.settle()
    home = head_of(sandbox.request("GET", f"/sites/{website_id}/").text)
    assert home.brand == "Smile Bristol" and home.meta["og:site_name"] == "Smile Bristol"


def test_no_exported_file_holds_a_loopback_url(sandbox, site) -> None:
    project_id, website_id = site
    archive = export_zip(sandbox, project_id, website_id)
    forms = 0
    for name in archive.namelist():
        content = archive.read(name)
        assert not LOOPBACK.search(content), (name, LOOPBACK.search(content))
        assert sandbox.api_key.encode() not in content, name
        if name.endswith(".html") and b"data-codaiq-lead-form" in content:
            html = content.decode("utf-8")
            for tag in re.findall(r"<form [^>]*>", html):
                assert f'action="{HOSTED_LEAD_ENDPOINT}"' in tag, (name, tag)
                assert f'data-website-id="{website_id}"' in tag, (name, tag)
            assert f'<input type="hidden" name="websiteId" value="{website_id}">' in html
            forms += 1
    assert forms >= 2  # the home page and the contact page at least
    script = archive.read("assets/lead-form.js").decode("utf-8")
    assert "X-API-Key" not in script and "websiteId" in script


def test_the_served_site_keeps_its_working_form(sandbox, site, webhook_sink) -> None:
    project_id, website_id = site
    export_zip(sandbox, project_id, website_id)  # exporting changes nothing on the served site
    page = sandbox.request("GET", f"/sites/{website_id}/pages/contact.html").text
    assert 'action="../lead"' in page and HOSTED_LEAD_ENDPOINT not in page
    url = webhook_sink.new_url()
    sandbox.request(
        "PUT", f"/api/sandbox/projects/{project_id}/webhook", key=sandbox.api_key, json={"url": url, "secret": "form"}
    ).raise_for_status()
    posted = sandbox.request(
        "POST",
        f"/sites/{website_id}/lead",
        data={"name": "Ana", "email": "ana@example.com", "detail_party_size": "4", "message": "Window seat"},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    # The way the page's script sends it: JSON, answered with the receipt.
    sent = sandbox.request(
        "POST", f"/sites/{website_id}/lead", json={"name": "Bo", "email": "bo@example.com", "websiteId": website_id}
    )
    assert sent.status_code == 201 and sent.json()["websiteId"] == website_id
    payloads = [json.loads(p.body) for p in webhook_sink.wait_for(url, 4)]
    messages = {p["data"]["name"]: p["data"]["message"] for p in payloads if p["event"] == "lead.captured"}
    assert messages == {"Ana": "Party size: 4\n\nWindow seat", "Bo": None}
    sandbox.request("DELETE", f"/api/sandbox/projects/{project_id}/webhook", key=sandbox.api_key)
