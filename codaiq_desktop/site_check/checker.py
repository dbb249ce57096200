"""The site check: crawl a site from its home page, check every page, resolve every reference.

Pages are found by following the site's own links from ``index.html`` (so shared fragments
such as ``components/header.html`` in an export are not mistaken for pages). Each page gets
the single-page checks of :mod:`page_checks`; then the links and resources of all pages are
resolved against the site (dead links, missing anchors, broken images, page weight), and
the optional accessibility audit (axe-core in a browser, given by the caller because it
needs Qt WebEngine) runs on the pages found.

It is a plain coroutine: cancel its task to stop it (the HTTP client is closed on the way out).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from codaiq_desktop.site_check.findings import (
    AXE_IMPACTS,
    ERROR,
    INFO,
    ORIGIN_GENERATOR,
    ORIGIN_SERVER,
    WARNING,
    Finding,
    PageReport,
    SiteReport,
)
from codaiq_desktop.site_check.html_document import HtmlDocument
from codaiq_desktop.site_check.page_checks import PageContext, Reference, check_page
from codaiq_desktop.site_check.sources import ExportedZip, Fetched, SiteSource, ZipSiteServer

MAX_PAGES = 60
"""A generated site has a handful of pages; a crawl that finds more stops here and says so."""
PARALLEL_FETCHES = 6
HEAVY_PAGE_BYTES = 1_500_000
"""Above this, a page (with its images, styles and scripts) is slow on a phone connection."""
VERY_HEAVY_PAGE_BYTES = 5_000_000


@dataclass(frozen=True)
class AuditOutcome:
    """What the accessibility audit returns: axe-core's violations per page, and pages it could not audit."""

    violations: dict[str, list[dict[str, Any]]]
    failures: dict[str, str] = field(default_factory=dict)
    """page path -> why it was not audited, in words."""


AuditPages = Callable[[Sequence[tuple[str, str]]], Awaitable[AuditOutcome]]
"""The accessibility audit: ``[(page path, url)] -> AuditOutcome`` (axe-core in a browser), run after the crawl."""


@runtime_checkable
class PageAuditor(Protocol):
    """The accessibility audit fed while the crawl runs: each page as soon as it is found."""

    def add(self, path: str, url: str) -> None: ...

    async def finish(self) -> AuditOutcome:
        """No more pages: the outcome once the queued ones are audited."""
        ...

    def cancel(self) -> None: ...


Progress = Callable[[str], None]


@dataclass
class _Page:
    path: str
    fetched: Fetched
    document: HtmlDocument | None = None
    findings: list[Finding] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


async def check_site(
    source: SiteSource,
    *,
    website_id: str,
    seo_title: str | None = None,
    seo_description: str | None = None,
    audit: AuditPages | PageAuditor | None = None,
    progress: Progress | None = None,
) -> SiteReport:
    """Check the site ``source`` serves; ``audit`` adds the accessibility audit of every page."""
    started = time.perf_counter()
    checked_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    say = progress or (lambda _text: None)
    notes: list[str] = []
    semaphore = asyncio.Semaphore(PARALLEL_FETCHES)
    cache: dict[str, Fetched] = {}

    async def fetch(url: str) -> Fetched:
        if url not in cache:
            async with semaphore:
                if url not in cache:
                    cache[url] = await source.fetch(url)
        return cache[url]

    root = source.root_url
    auditor = audit if isinstance(audit, PageAuditor) else None
    audit_after_crawl = None if isinstance(audit, PageAuditor) else audit
    server: ZipSiteServer | None = None
    try:
        if auditor is not None and isinstance(source, ExportedZip):
            server = ZipSiteServer(source)  # the browser loads the export's pages from loopback
        say(f"Reading {source.description}\u2026")
        first = await fetch(root)
        if first.status is None:
            from codaiq_desktop.site_check.sources import SiteCheckError

            raise SiteCheckError(f"The site at {root} could not be read: {first.error}.")

        # -- crawl: follow the site's own links to its pages ---------------------------------------
        pages: dict[str, _Page] = {}
        queue = [root]
        seen = {root}
        while queue:
            batch, queue = queue[:PARALLEL_FETCHES], queue[PARALLEL_FETCHES:]
            results = await asyncio.gather(*(fetch(url) for url in batch))
            for url, fetched in zip(batch, results, strict=True):
                if not fetched.is_html or fetched.status is None or fetched.status >= 400:
                    continue
                path = _page_path(root, fetched.url if fetched.url.startswith(root) else url)
                if path in pages:
                    continue
                page = _Page(path, fetched)
                pages[path] = page
                if auditor is not None:  # audit it while the crawl goes on
                    auditor.add(path, server.url_for(fetched.url) if server is not None else fetched.url)
                context = PageContext(
                    path=path,
                    url=fetched.url,
                    is_home=path == "/",
                    seo_title=seo_title,
                    seo_description=seo_description,
                )
                # Parsing is CPU work: on a worker thread, so the app's loop (its UI) keeps going.
                page.document, page.findings, page.references = await asyncio.to_thread(_analyse, fetched, context)
                for reference in page.references:
                    target = reference.url
                    if reference.kind != "link" or target in seen or not target.startswith(root):
                        continue
                    if not _looks_like_page(target):
                        continue
                    seen.add(target)
                    if len(seen) > MAX_PAGES:
                        notes.append(
                            f"The site links to more than {MAX_PAGES} pages; only the first {MAX_PAGES} were checked."
                        )
                        break
                    queue.append(target)
            say(f"Read {len(pages)} page{'s' if len(pages) != 1 else ''}\u2026")

        # -- references: dead links, missing anchors, broken resources, weight -----------------
        say("Checking links, images and styles\u2026")
        targets = sorted({ref.url for page in pages.values() for ref in page.references if ref.url.startswith(root)})
        await asyncio.gather(*(fetch(url) for url in targets))
        origin = _origin(root)
        ids_by_url: dict[str, set[str]] = {}
        for page in pages.values():
            if page.document is not None:
                ids_by_url[page.fetched.url] = set(page.document.by_id())
                ids_by_url.setdefault(_url_of(root, page.path), ids_by_url[page.fetched.url])
        external = 0
        for page in pages.values():
            _resolve_references(page, root, origin, cache, ids_by_url)
            external += sum(1 for ref in page.references if ref.is_resource and _origin(ref.url) != origin)
        if external:
            notes.append(
                f"{external} image, style or script reference{'s' if external != 1 else ''} to other sites "
                "were not fetched and are not in the page weights."
            )

        # -- accessibility -----------------------------------------------------------------------
        accessibility = "skipped"
        if audit is not None and pages:
            say(f"Auditing accessibility of {len(pages)} page{'s' if len(pages) != 1 else ''}\u2026")
            if auditor is not None:
                outcome = await auditor.finish()
            elif audit_after_crawl is not None:
                outcome = await _run_audit(audit_after_crawl, source, pages)
            accessibility, axe_by_page = _audit_findings(outcome, pages)
            for path, findings in axe_by_page.items():
                pages[path].findings.extend(findings)
        elif auditor is not None:
            await auditor.finish()

        reports = []
        for page in pages.values():
            weight = _weight(page, cache, root)
            _check_weight(page, weight)
            title = page.document.title.text if page.document is not None and page.document.title is not None else None
            reports.append(
                PageReport(
                    path=page.path,
                    url=page.fetched.url,
                    status=page.fetched.status if not isinstance(source, ExportedZip) else None,
                    title=title,
                    html_bytes=len(page.fetched.body),
                    weight_bytes=weight,
                    findings=tuple(sorted(page.findings, key=_finding_order)),
                )
            )
        return SiteReport(
            website_id=website_id,
            source=source.description,
            checked_at=checked_at,
            duration_seconds=time.perf_counter() - started,
            pages=tuple(reports),
            accessibility=accessibility,
            notes=tuple(notes),
        )
    except BaseException:
        if auditor is not None:
            auditor.cancel()  # stop the browser part too (cancelled, or the site could not be read)
        raise
    finally:
        if server is not None:
            await asyncio.to_thread(server.stop)


def _analyse(fetched: Fetched, context: PageContext) -> tuple[HtmlDocument, list[Finding], list[Reference]]:
    document = HtmlDocument(fetched.body.decode(_charset(fetched.content_type), "replace"))
    findings, references = check_page(document, context)
    return document, findings, references


def _resolve_references(
    page: _Page, root: str, origin: str, cache: dict[str, Fetched], ids_by_url: dict[str, set[str]]
) -> None:
    reported: set[tuple[str, str]] = set()
    for ref in page.references:
        key = (ref.url + "#" + ref.fragment, ref.element)
        if key in reported:
            continue
        if ref.kind == "link":
            if _origin(ref.url) != origin:
                continue  # another site: not "within the site", not fetched
            if not ref.url.startswith(root):
                reported.add(key)
                page.findings.append(
                    Finding(
                        "link-outside-site",
                        ERROR,
                        page.path,
                        ref.element,
                        f"The link points to {ref.url}, outside the site's folder ({root}): it will not resolve "
                        "where the site is published.",
                        "Use a path relative to the page (e.g. pages/about.html or ../index.html).",
                    )
                )
                continue
            fetched = cache.get(ref.url)
            if fetched is None or not fetched.ok:
                reported.add(key)
                why = (
                    f"answers {fetched.status}"
                    if fetched is not None and fetched.status
                    else (fetched.error if fetched is not None and fetched.error else "was not found")
                )
                page.findings.append(
                    Finding(
                        "link-broken",
                        ERROR,
                        page.path,
                        ref.element,
                        f"The link goes to {_shown(ref.url, root)}, which {why}: visitors get an error page.",
                        "Point the link at a page that exists, or remove it.",
                    )
                )
                continue
            if ref.fragment and fetched.is_html:
                ids = ids_by_url.get(fetched.url, ids_by_url.get(ref.url))
                if ids is not None and ref.fragment not in ids:
                    reported.add(key)
                    page.findings.append(
                        Finding(
                            "link-anchor",
                            WARNING,
                            page.path,
                            ref.element,
                            f"The link jumps to #{ref.fragment} on {_shown(ref.url, root)}, but no element there has that id.",
                            f'Give the target element id="{ref.fragment}", or fix the link\'s #part.',
                        )
                    )
            continue
        if _origin(ref.url) != origin:
            continue
        fetched = cache.get(ref.url)
        if fetched is None or not fetched.ok:
            reported.add(key)
            what = {
                "image": "image",
                "stylesheet": "style sheet",
                "script": "script",
                "og-image": "social-card image",
            }.get(ref.kind, "file")
            page.findings.append(
                Finding(
                    "resource-broken",
                    ERROR,
                    page.path,
                    ref.element,
                    f"The {what} {_shown(ref.url, root)} could not be loaded"
                    f"{f' ({fetched.status})' if fetched is not None and fetched.status else ''}.",
                    "Fix the path, or add the missing file to the site.",
                    ORIGIN_GENERATOR if ref.url.startswith(root) else ORIGIN_SERVER,
                )
            )


def _weight(page: _Page, cache: dict[str, Fetched], root: str) -> int:
    total = len(page.fetched.body)
    counted: set[str] = set()
    for ref in page.references:
        if not ref.is_resource or ref.kind == "og-image" or ref.url in counted:
            continue
        fetched = cache.get(ref.url)
        if fetched is not None and fetched.ok:
            counted.add(ref.url)
            total += len(fetched.body)
    return total


def _check_weight(page: _Page, weight: int) -> None:
    if weight > HEAVY_PAGE_BYTES:
        severity = ERROR if weight > VERY_HEAVY_PAGE_BYTES else WARNING
        page.findings.append(
            Finding(
                "page-weight",
                severity,
                page.path,
                "",
                f"The page weighs {weight / 1_000_000:.1f} MB with its images, styles and scripts: "
                f"slow on a phone connection (aim for under {HEAVY_PAGE_BYTES / 1_000_000:.1f} MB).",
                "Compress or resize the largest images (WebP, at the size they are shown) and drop unused scripts.",
            )
        )


async def _run_audit(audit: AuditPages, source: SiteSource, pages: dict[str, _Page]) -> AuditOutcome:
    """The after-the-crawl audit (the command line's): all pages at once."""
    server: ZipSiteServer | None = None
    try:
        if isinstance(source, ExportedZip):
            server = ZipSiteServer(source)
            targets = [(path, server.url_for(page.fetched.url)) for path, page in pages.items()]
        else:
            targets = [(path, page.fetched.url) for path, page in pages.items()]
        return await audit(targets)
    finally:
        if server is not None:
            await asyncio.to_thread(server.stop)


def _audit_findings(outcome: AuditOutcome, pages: dict[str, _Page]) -> tuple[str, dict[str, list[Finding]]]:
    findings: dict[str, list[Finding]] = {}
    for path, violations in outcome.violations.items():
        if path in pages:
            findings[path] = axe_findings(path, violations)
    missing = [path for path in pages if path not in outcome.violations]
    if missing:
        reasons = "; ".join(f"{path} ({outcome.failures.get(path, 'not audited')})" for path in missing)
        return f"not checked on {len(missing)} page{'s' if len(missing) != 1 else ''}: {reasons}", findings
    return "checked", findings


def axe_findings(path: str, violations: Sequence[dict[str, Any]]) -> list[Finding]:
    """axe-core's violations on one page as findings: one per rule and element (at most 5 elements a rule)."""
    findings = []
    for violation in violations:
        impact = str(violation.get("impact") or "minor")
        severity = ERROR if impact in ("critical", "serious") else WARNING
        rule = str(violation.get("id", "unknown"))
        help_text = str(violation.get("help") or rule)
        help_url = str(violation.get("helpUrl") or "")
        nodes = list(violation.get("nodes") or [{}])
        for node in nodes[:5]:
            target = " ".join(str(t) for t in node.get("target", ()) or ())
            html = " ".join(str(node.get("html") or "").split())
            element = target or "page"
            if html:
                element += " \u2014 " + (html if len(html) <= 80 else html[:77] + "\u2026")
            summary = " ".join(str(node.get("failureSummary") or "").split())
            fix = summary or help_text
            if help_url:
                fix += f" (more: {help_url})"
            findings.append(
                Finding(
                    f"axe:{rule}", severity, path, element, f"{help_text} [{impact}]", fix, ORIGIN_GENERATOR, impact
                )
            )
        if len(nodes) > 5:
            findings.append(
                Finding(
                    f"axe:{rule}",
                    INFO,
                    path,
                    f"{len(nodes) - 5} more elements",
                    f"{help_text}: {len(nodes) - 5} more elements have the same problem.",
                    help_text,
                    ORIGIN_GENERATOR,
                    impact,
                )
            )
    return findings


def _finding_order(finding: Finding) -> tuple[int, int, str]:
    impact = AXE_IMPACTS.index(finding.impact) if finding.impact in AXE_IMPACTS else len(AXE_IMPACTS)
    return ((ERROR, WARNING, INFO).index(finding.severity), impact, finding.check)


def _page_path(root: str, url: str) -> str:
    relative = url[len(root) :] if url.startswith(root) else url
    relative = relative.split("?", 1)[0]
    if relative in ("", "index.html"):
        return "/"
    return "/" + relative


def _url_of(root: str, path: str) -> str:
    return root if path == "/" else root + path.lstrip("/")


def _looks_like_page(url: str) -> bool:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return not last or "." not in last or last.lower().endswith((".html", ".htm", ".php", ".asp", ".aspx"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _shown(url: str, root: str) -> str:
    return url[len(root) :] or "the home page" if url.startswith(root) else url


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                "".encode(value.strip('"'))
                return value.strip('"')
            except LookupError:
                break
    return "utf-8"
