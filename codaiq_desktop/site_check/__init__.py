"""The site check: is a generated site in shape before the client sees it?

Qt-free, so ``codaiq-desktop check-site`` runs its static checks without a display. The
accessibility audit (axe-core inside Qt WebEngine) lives in ``codaiq_desktop.ui.seo`` and
is handed to :func:`check_site` as its ``audit`` argument.

    source = ServedSite("http://127.0.0.1:8787/sites/w_123/")   # or ExportedZip(path)
    try:
        report = await check_site(source, website_id="w_123", seo_title=..., seo_description=...)
    finally:
        await source.aclose()
    report = CheckHistory.default().record(report)     # .changes: what changed since last time
"""

from codaiq_desktop.site_check.checker import AuditOutcome, AuditPages, axe_findings, check_site
from codaiq_desktop.site_check.findings import (
    ERROR,
    INFO,
    ORIGIN_EDITS,
    ORIGIN_GENERATOR,
    ORIGIN_SERVER,
    WARNING,
    Changes,
    Finding,
    PageReport,
    SiteReport,
    compare,
)
from codaiq_desktop.site_check.history import CheckHistory
from codaiq_desktop.site_check.page_checks import DESCRIPTION_CHARS, TITLE_CHARS
from codaiq_desktop.site_check.sources import (
    USER_AGENT,
    ExportedZip,
    ServedSite,
    SiteCheckError,
    SiteSource,
    ZipSiteServer,
)

__all__ = [
    "DESCRIPTION_CHARS",
    "ERROR",
    "INFO",
    "ORIGIN_EDITS",
    "ORIGIN_GENERATOR",
    "ORIGIN_SERVER",
    "TITLE_CHARS",
    "USER_AGENT",
    "WARNING",
    "AuditOutcome",
    "AuditPages",
    "Changes",
    "CheckHistory",
    "ExportedZip",
    "Finding",
    "PageReport",
    "ServedSite",
    "SiteCheckError",
    "SiteReport",
    "SiteSource",
    "ZipSiteServer",
    "axe_findings",
    "check_site",
    "compare",
]
