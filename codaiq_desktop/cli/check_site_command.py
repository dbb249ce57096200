"""``codaiq-desktop check-site PROJECT_ID WEBSITE_ID``: is the site in shape before the client sees it?

Asks the API for the website (its address and saved SEO metadata), reads the served pages
(or an exported ZIP), runs the static checks of :mod:`codaiq_desktop.site_check` and, unless
``--no-accessibility``, axe-core in Qt WebEngine (offscreen when there is no display). The
run is stored with the site's earlier runs (the app's data dir), so the output says what
changed. Exit 0 when no finding is an error, 1 otherwise (or when the site could not be read).
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from codaiq_desktop.cli import client_commands

if TYPE_CHECKING:
    from codaiq_desktop.api import CodaiqClient
    from codaiq_desktop.site_check import AuditOutcome, SiteReport

EXIT_PASSED = 0
EXIT_FINDINGS = 1

CHECK_EXIT_HELP = """\
check-site exit codes:
  0  no error-level finding (warnings may remain)
  1  at least one error-level finding, or the site could not be read
  2-7, 130  as below (usage, API key, not found, rate limit, network, bad answer, interrupted)

"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``check-site`` to the `codaiq-desktop` parser (sharing the API commands' connection options)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check-site",
        help="check a website's pages for SEO, broken links and accessibility problems",
        description=(
            "Check a website before the client sees it: title and description, one h1, heading order, "
            "image alt text, links within the site, form labels, lang, viewport, Open Graph tags, page "
            "weight, mixed content, and axe-core's accessibility rules (WCAG 2.1 A/AA) in Qt WebEngine. "
            "Each run is kept, so the output says what changed since the last check of the site."
        ),
        parents=[client_commands.connection_options()],
        epilog=CHECK_EXIT_HELP + client_commands.EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project_id", metavar="PROJECT_ID")
    parser.add_argument("website_id", metavar="WEBSITE_ID")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--zip", metavar="FILE", type=Path, help="check this exported ZIP instead of the served pages")
    where.add_argument(
        "--export",
        action="store_true",
        help="download the site's export from the API and check that (what a client would upload)",
    )
    where.add_argument(
        "--url",
        metavar="URL",
        help="where the site is served (default: the sandbox's /sites/WEBSITE_ID/ on a local "
        "sandbox, else https://DOMAIN/)",
    )
    parser.add_argument(
        "--no-accessibility",
        action="store_true",
        help="skip the axe-core audit (no Qt WebEngine needed; static checks only)",
    )
    parser.add_argument("--no-history", action="store_true", help="do not store this run with the site's earlier runs")
    parser.set_defaults(handler=client_commands.handler_for(_check_site))


async def _check_site(client: CodaiqClient, args: argparse.Namespace, output: client_commands.Output) -> int:
    from codaiq_desktop.site_check import CheckHistory, ExportedZip, ServedSite, SiteCheckError, SiteSource, check_site

    website = await client.get_website(args.project_id, args.website_id)
    # The service may leave the id out of the website object; it is the one asked for.
    website_id: str = website.id or args.website_id
    source: SiteSource
    with tempfile.TemporaryDirectory(prefix="codaiq-check-") as temp:
        try:
            if args.zip is not None:
                source = ExportedZip(args.zip.expanduser())
            elif args.export:
                if not output.as_json:
                    output.note("Downloading the export\u2026")
                path = await client.export_website(args.project_id, args.website_id, Path(temp))
                source = ExportedZip(path)
            else:
                url = args.url or served_url(client.base_url, website_id, website.domain)
                if url is None:
                    output.note("error: the website has no domain yet; pass --url, --zip or --export.")
                    return client_commands.EXIT_USAGE
                source = ServedSite(url)
        except SiteCheckError as exc:
            output.note(f"error: {exc}")
            return EXIT_FINDINGS
        audit = None if args.no_accessibility else _blocking_audit
        progress = None if output.as_json else output.note
        try:
            report = await check_site(
                source,
                website_id=website_id,
                seo_title=website.seo_title,
                seo_description=website.seo_description,
                audit=audit,
                progress=progress,
            )
        except SiteCheckError as exc:
            output.note(f"error: {exc}")
            return EXIT_FINDINGS
        finally:
            await source.aclose()
    if not args.no_history:
        try:
            report = CheckHistory.default().record(report)
        except OSError as exc:
            output.note(f"note: this run could not be stored with the site's history ({exc.strerror or exc}).")
    if output.as_json:
        output.json(report.to_json())
    else:
        output.result(format_report(report))
    return EXIT_FINDINGS if report.has_errors else EXIT_PASSED


async def _blocking_audit(targets: Sequence[tuple[str, str]]) -> AuditOutcome:
    """axe-core in Qt WebEngine; the command line has nothing else to do meanwhile, so it blocks."""
    from codaiq_desktop.site_check import AuditOutcome

    try:
        from codaiq_desktop.ui.seo.axe_audit import audit_pages_blocking
    except ImportError as exc:  # Qt WebEngine missing from this installation
        reason = f"Qt WebEngine is not available ({exc}); run with --no-accessibility"
        return AuditOutcome({}, {path: reason for path, _url in targets})
    return audit_pages_blocking(targets)


def served_url(base_url: str, website_id: str, domain: str | None) -> str | None:
    """Where the site is served: a sandbox on this computer serves it itself, the service at its domain."""
    parts = urlsplit(base_url)
    from codaiq_desktop.site_check.page_checks import is_loopback

    if is_loopback(base_url):
        root = f"{parts.scheme}://{parts.netloc}"
        return f"{root}/sites/{website_id}/"
    if not domain:
        return None
    return domain if domain.startswith(("http://", "https://")) else f"https://{domain}/"


def format_report(report: SiteReport) -> str:
    """The report for a terminal: per page, errors first, each with its element, fix and origin."""
    lines = [f"Site check of {report.source} ({report.checked_at}, {report.duration_seconds:.1f} s)"]
    for page in report.pages:
        weight = client_commands.format_bytes(page.weight_bytes)
        lines.append("")
        lines.append(f"{page.path}  \u2014 {page.title or '(no title)'}  [{weight}]")
        if not page.findings:
            lines.append("  no findings")
        for finding in page.findings:
            label = finding.severity.upper()
            if finding.impact:
                label += f" ({finding.impact})"
            lines.append(f"  {label}  {finding.check}: {finding.message}")
            if finding.element:
                lines.append(f"      element: {finding.element}")
            lines.append(f"      fix: {finding.fix}")
            lines.append(f"      {finding.origin_note}")
    lines.append("")
    if report.accessibility != "checked":
        lines.append(f"Accessibility (axe-core): {report.accessibility}.")
    for note in report.notes:
        lines.append(f"Note: {note}")
    if report.changes is not None:
        lines.append(report.changes.summary())
        for finding in report.changes.new:
            lines.append(f"  new:   {finding.page} {finding.check} {finding.element}")
        for finding in report.changes.fixed:
            lines.append(f"  fixed: {finding.page} {finding.check} {finding.element}")
    lines.append(report.summary())
    return "\n".join(lines)
