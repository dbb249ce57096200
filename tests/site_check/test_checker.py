"""The site check against real sites on loopback: deliberately broken ones, a sandbox site, ZIPs."""

from __future__ import annotations

import asyncio
import io
import zipfile
from pathlib import Path

import pytest

from codaiq_desktop.sandbox.site_generator import generate_site
from codaiq_desktop.site_check import (
    ERROR,
    ORIGIN_EDITS,
    ORIGIN_GENERATOR,
    USER_AGENT,
    WARNING,
    CheckHistory,
    ExportedZip,
    ServedSite,
    SiteCheckError,
    SiteReport,
    check_site,
)
from tests.site_check.site_server import LOGO, page, serve

GOOD_SITE = {
    "index.html": page(
        body='<h1>Fresh bread</h1><h2>Menu</h2><p><a href="pages/about.html#team">Our team</a></p>'
        '<img src="logo.svg" alt="Crumb logo"><form action="lead" method="post">'
        '<label for="email">Email</label><input id="email" name="email" type="email">'
        '<label>Name <input name="name"></label><button type="submit">Send</button></form>'
    ),
    "pages/about.html": page(
        title="About Crumb, a bakery in Leeds since 1998",
        body='<h1>About us</h1><h2 id="team">Team</h2><a href="../index.html">Home</a>',
        og_image="../logo.svg",
    ),
    "logo.svg": LOGO,
}


async def run(url: str, **kwargs: object) -> SiteReport:
    source = ServedSite(url)
    try:
        return await check_site(source, website_id="w_test", **kwargs)  # type: ignore[arg-type]
    finally:
        await source.aclose()


async def test_a_well_made_site_passes_every_check() -> None:
    with serve(GOOD_SITE) as site:
        report = await run(site.url)
    assert [p.path for p in report.pages] == ["/", "/pages/about.html"]
    assert report.findings == ()
    assert not report.has_errors
    assert report.pages[0].status == 200
    assert report.pages[0].weight_bytes == len(GOOD_SITE["index.html"].encode()) + len(LOGO)  # the page and its image
    assert report.accessibility == "skipped"


BROKEN = {
    # name: (files, check, severity, page, element contains, message contains)
    "missing title": ({"index.html": page(title=None)}, "title", ERROR, "/", "head", "no <title>"),
    "two h1s": (
        {"index.html": page(body="<h1>Fresh bread</h1><h2>Menu</h2><h1>Second topic</h1>")},
        "h1-count",
        ERROR,
        "/",
        "h1 \u201cSecond topic\u201d (line",
        "2 <h1> headings",
    ),
    "no h1": ({"index.html": page(body="<h2>Menu</h2>")}, "h1-count", ERROR, "/", "body", "no <h1>"),
    "image without alt": (
        {"index.html": page(body='<h1>Bread</h1><img src="logo.svg">'), "logo.svg": LOGO},
        "img-alt",
        ERROR,
        "/",
        'img[src="logo.svg"]',
        "no alt attribute",
    ),
    "dead link": (
        {"index.html": page(body='<h1>Bread</h1><a href="pages/menu.html">Our menu</a>')},
        "link-broken",
        ERROR,
        "/",
        'a[href="pages/menu.html"] \u201cOur menu\u201d',
        "answers 404",
    ),
    "dead link on a second page": (
        {
            "index.html": page(body='<h1>Bread</h1><a href="about.html">About</a>'),
            "about.html": page(body='<h1>About</h1><a href="team.html">Team</a>'),
        },
        "link-broken",
        ERROR,
        "/about.html",
        'a[href="team.html"]',
        "team.html",
    ),
    "unlabeled input": (
        {
            "index.html": page(
                body='<h1>Bread</h1><form><input name="email" type="email" placeholder="Your email"></form>'
            )
        },
        "form-label",
        ERROR,
        "/",
        'input[name="email"]',
        "placeholder \u201cYour email\u201d",
    ),
    "no lang": ({"index.html": page(lang=None)}, "html-lang", ERROR, "/", "html (line", "no lang attribute"),
    "no viewport": ({"index.html": page(viewport=False)}, "viewport", ERROR, "/", "head", "no viewport"),
    "heading skips a level": (
        {"index.html": page(body="<h1>Bread</h1><h3>Rye</h3>")},
        "heading-order",
        WARNING,
        "/",
        "h3 \u201cRye\u201d",
        "level 2 is skipped",
    ),
    "broken image": (
        {"index.html": page(body='<h1>Bread</h1><img src="missing.png" alt="Loaf">')},
        "resource-broken",
        ERROR,
        "/",
        'img[src="missing.png"]',
        "could not be loaded (404)",
    ),
    "anchor that is not there": (
        {"index.html": page(body='<h1>Bread</h1><a href="#prices">Prices</a>')},
        "link-anchor",
        WARNING,
        "/",
        'a[href="#prices"]',
        "no element there has that id",
    ),
    "link outside the site's folder": (
        {"index.html": page(body='<h1>Bread</h1><a href="/about.html">About</a>')},
        "link-outside-site",
        ERROR,
        "/",
        'a[href="/about.html"]',
        "outside the site",
    ),
    "no open graph": (
        {
            "index.html": page(head="")
            .replace('<meta property="og:title" content="Crumb">', "")
            .replace('<meta property="og:description" content="Bread in Leeds">', "")
        },
        "open-graph",
        WARNING,
        "/",
        "head",
        "og:title, og:description",
    ),
    "description too long": (
        {"index.html": page(description="Bread " * 40)},
        "description-length",
        WARNING,
        "/",
        'meta[name="description"]',
        "cut it after about 160",
    ),
    "mixed content": (
        {"index.html": page(body='<h1>Bread</h1><img src="http://cdn.example.com/a.png" alt="A">'), "logo.svg": LOGO},
        "mixed-content",
        WARNING,
        "/",
        'img[src="http://cdn.example.com/a.png"]',
        "plain http",
    ),
    "form posting to this computer": (
        {
            "index.html": page(
                body='<h1>Bread</h1><form action="http://127.0.0.1:8787/sites/w/lead" method="post">'
                '<label>Name <input name="name"></label></form>'
            )
        },
        "mixed-content",
        ERROR,
        "/",
        'form[action="http://127.0.0.1:8787/sites/w/lead"]',
        "address on this computer",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
async def test_each_broken_site_gets_its_finding(name: str) -> None:
    files, check, severity, path, element, message = BROKEN[name]
    if name == "form posting to this computer":
        # Loopback addresses are fine on a page served from loopback: check it as an export would be seen.
        report = await _check_zip(files)
    else:
        with serve(files) as site:
            report = await run(site.url)
    matching = [f for f in report.findings if f.check == check]
    assert matching, f"{name}: no {check} finding in {[f.check for f in report.findings]}"
    finding = matching[0]
    assert finding.severity == severity
    assert finding.page == path
    assert element in finding.element, finding.element
    assert message in finding.message, finding.message
    assert finding.fix and finding.fix != finding.message  # every finding says how to fix it
    assert finding.origin in (ORIGIN_GENERATOR, "server")
    assert report.has_errors == (severity == ERROR or any(f.severity == ERROR for f in report.findings))


async def test_the_findings_of_a_broken_site_are_all_reported_together() -> None:
    broken = page(
        title=None,
        body='<h1>One</h1><h1>Two</h1><img src="logo.svg"><a href="gone.html">Gone</a><form><input name="q"></form>',
    )
    with serve({"index.html": broken, "logo.svg": LOGO}) as site:
        report = await run(site.url)
    checks = {f.check for f in report.findings if f.severity == ERROR}
    assert {"title", "h1-count", "img-alt", "link-broken", "form-label"} <= checks
    assert report.summary().startswith("1 page checked: 5 errors")


async def test_title_and_description_findings_say_when_they_come_from_the_users_edits() -> None:
    long_title = "Crumb, the bakery of Leeds: sourdough, rye, pastries and coffee every day"
    with serve({"index.html": page(title=long_title)}) as site:
        edited = await run(site.url, seo_title=long_title)
        generated = await run(site.url, seo_title="Crumb | Bakery in Leeds, fresh every morning")
    finding = next(f for f in edited.findings if f.check == "title-length")
    assert finding.origin == ORIGIN_EDITS
    assert "Projects \u203a Details" in finding.fix
    assert finding.origin_note == "Comes from your edits in Projects \u203a Details."
    assert next(f for f in generated.findings if f.check == "title-length").origin == ORIGIN_GENERATOR
    # ...and the page not showing the saved title is a finding of its own.
    assert any(f.check == "metadata-sync" for f in generated.findings)
    assert not any(f.check == "metadata-sync" for f in edited.findings)


async def test_the_check_says_it_is_a_bot_so_analytics_can_leave_it_out() -> None:
    with serve(GOOD_SITE) as site:
        await run(site.url)
        agents = {agent for _path, agent in site.requests}
        markers = set(site.markers)
    assert agents == {USER_AGENT}
    assert markers == {"site-check"}


async def test_an_unreachable_site_is_a_sentence_not_a_traceback() -> None:
    import socket

    # A port held but not listening refuses connections, and nobody else can take it meanwhile.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as held:
        held.bind(("127.0.0.1", 0))
        with pytest.raises(SiteCheckError, match="could not be read: could not connect"):
            await run(f"http://127.0.0.1:{held.getsockname()[1]}/site/")
    with pytest.raises(SiteCheckError, match="not a web address"):
        ServedSite("ftp://example.com/")


async def test_cancelling_stops_the_check_at_once() -> None:
    with serve(GOOD_SITE) as site:
        site.hold.clear()  # the server sits on every request
        task = asyncio.ensure_future(run(site.url))
        for _ in range(1000):  # until the check's first request sits in the server
            if site.requests:
                break
            await asyncio.sleep(0.01)
        assert site.requests and not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)


async def test_a_sandbox_site_has_no_error_level_finding(sandbox) -> None:
    project_id, website_id = sandbox.generate("A bakery in Leeds")
    website = sandbox.wait_ready(project_id, website_id)
    report = await run(
        f"{sandbox.root_url}/sites/{website_id}/",
        seo_title=website["metadata"]["seoTitle"],
        seo_description=website["metadata"]["seoDescription"],
    )
    assert len(report.pages) >= 4
    assert [f for f in report.findings if f.severity == ERROR] == []
    assert report.pages[0].path == "/" and report.pages[0].status == 200


async def _check_zip(files: dict[str, str | bytes], name: str = "site.zip") -> SiteReport:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    folder = Path(__import__("tempfile").mkdtemp())
    path = folder / name
    path.write_bytes(buffer.getvalue())
    source = ExportedZip(path)
    return await check_site(source, website_id="w_zip")


async def test_an_exported_zip_is_checked_like_the_served_site() -> None:
    site = generate_site("A plumber in Bristol")
    report = await _check_zip(dict(site.files))
    assert report.source == "zip:site.zip"
    assert [p.path for p in report.pages][0] == "/"
    assert {p.path for p in report.pages} == {"/" if p == "/" else p for p in site.pages}
    assert not any(p.path.startswith("/components/") for p in report.pages)  # fragments are not pages
    assert [f for f in report.findings if f.severity == ERROR] == []
    assert all(p.status is None for p in report.pages)


async def test_a_zip_that_is_not_a_site_is_refused_plainly(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_text("not a zip")
    with pytest.raises(SiteCheckError, match="not a readable ZIP"):
        ExportedZip(tmp_path / "x.zip")
    with pytest.raises(SiteCheckError, match="no index.html"):
        await _check_zip({"readme.txt": "hello"}, "other.zip")
    with pytest.raises(SiteCheckError, match="There is no file"):
        ExportedZip(tmp_path / "missing.zip")


async def test_a_second_run_shows_what_changed(tmp_path: Path) -> None:
    history = CheckHistory(tmp_path / "checks")
    files = {
        "index.html": page(body='<h1>Bread</h1><img src="logo.svg"><a href="gone.html">Gone</a>'),
        "logo.svg": LOGO,
    }
    with serve(files) as site:
        first = history.record(await run(site.url))
        assert first.changes is None
        # Fix the image, break a heading.
        site.files["index.html"] = page(
            body='<h1>Bread</h1><img src="logo.svg" alt="Logo"><a href="gone.html">Gone</a><h1>Again</h1>'
        ).encode()
        second = history.record(await run(site.url))
    assert second.changes is not None
    assert [f.check for f in second.changes.fixed] == ["img-alt"]
    assert [f.check for f in second.changes.new] == ["h1-count"]
    assert second.changes.unchanged == 1  # the dead link
    assert "1 new, 1 fixed, 1 unchanged" in second.changes.summary()
    stored = history.runs("w_test")
    assert [r.checked_at for r in stored] == [first.checked_at, second.checked_at]
    assert stored[-1].findings == second.findings


def test_an_unreadable_history_counts_as_none(tmp_path: Path) -> None:
    history = CheckHistory(tmp_path)
    history.path_for("w_1").write_text("{not json")
    assert history.runs("w_1") == []
    assert history.path_for("../../etc/passwd").parent == tmp_path


async def test_the_checks_requests_are_not_counted_as_visits(sandbox) -> None:
    from codaiq_desktop.sandbox.analytics import PREVIEW_HEADER
    from codaiq_desktop.site_check.sources import OWNER_HEADER

    assert OWNER_HEADER == PREVIEW_HEADER
    key = sandbox.new_key("enterprise")
    project_id, website_id = sandbox.generate("A bakery in Leeds", key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    report = await run(f"{sandbox.root_url}/sites/{website_id}/")
    assert len(report.pages) >= 4
    analytics = sandbox.request("GET", "/api/analytics", key=key, params={"websiteId": website_id, "range": "24h"})
    assert analytics.json()["totalPageviews"] == 0
