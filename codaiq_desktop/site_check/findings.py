"""What a site check found: findings per page, a whole-site report, and its JSON form.

Plain frozen dataclasses (no Qt), so the command line, the Projects tab and the stored
history all read and write the same shape. The JSON written by :meth:`SiteReport.to_json`
is the documented output of ``codaiq-desktop check-site --json`` (see the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, INFO)
"""Most serious first. An ``error`` is something a client or a visitor would hit."""

ORIGIN_GENERATOR = "generator"
"""The generated code caused it: fix it by regenerating or in the exported code."""
ORIGIN_EDITS = "edits"
"""The metadata the user edited (SEO title, description, name) caused it: fix it in the editor."""
ORIGIN_SERVER = "server"
"""How the site is served (status codes, addresses), neither the code nor the edits."""
ORIGINS: tuple[str, ...] = (ORIGIN_GENERATOR, ORIGIN_EDITS, ORIGIN_SERVER)

AXE_IMPACTS: tuple[str, ...] = ("critical", "serious", "moderate", "minor")
"""axe-core's impact levels, most serious first; critical and serious count as errors."""

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Finding:
    """One problem on one page: which check, how bad, which element, and how to fix it."""

    check: str
    """Stable id of the check (``h1-count``, ``img-alt``, ``axe:color-contrast`` ...)."""
    severity: str
    page: str
    """The page's path within the site (``/``, ``/pages/about.html``)."""
    element: str
    """The element in CSS-like words, e.g. ``img[src="assets/hero.svg"] (line 12)``; ``""`` for the page."""
    message: str
    fix: str
    origin: str = ORIGIN_GENERATOR
    impact: str | None = None
    """axe-core's impact for accessibility findings, else ``None``."""

    @property
    def fingerprint(self) -> tuple[str, str, str]:
        """What stays the same between two runs when the problem is the same one (not the line)."""
        return (self.check, self.page, _without_line(self.element))

    @property
    def origin_note(self) -> str:
        """The sentence that says where the finding comes from."""
        if self.origin == ORIGIN_GENERATOR:
            return "Comes from the generated site, not from your edits."
        if self.origin == ORIGIN_EDITS:
            return "Comes from your edits in Projects \u203a Details."
        return "Comes from how the site is served."

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "check": self.check,
            "severity": self.severity,
            "page": self.page,
            "element": self.element,
            "message": self.message,
            "fix": self.fix,
            "origin": self.origin,
            "fromGenerator": self.origin == ORIGIN_GENERATOR,
        }
        if self.impact is not None:
            data["impact"] = self.impact
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(
            check=str(data["check"]),
            severity=str(data["severity"]),
            page=str(data["page"]),
            element=str(data.get("element", "")),
            message=str(data.get("message", "")),
            fix=str(data.get("fix", "")),
            origin=str(data.get("origin", ORIGIN_GENERATOR)),
            impact=data.get("impact"),
        )


@dataclass(frozen=True)
class PageReport:
    """One page of the site and what was found on it."""

    path: str
    url: str
    status: int | None
    """HTTP status (``200``), or ``None`` for a page read from an exported ZIP."""
    title: str | None
    html_bytes: int
    weight_bytes: int
    """The page plus the images, styles and scripts it loads (each counted once per page)."""
    findings: tuple[Finding, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "url": self.url,
            "status": self.status,
            "title": self.title,
            "htmlBytes": self.html_bytes,
            "weightBytes": self.weight_bytes,
            "findings": [finding.to_json() for finding in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageReport:
        return cls(
            path=str(data["path"]),
            url=str(data.get("url", "")),
            status=data.get("status"),
            title=data.get("title"),
            html_bytes=int(data.get("htmlBytes", 0)),
            weight_bytes=int(data.get("weightBytes", 0)),
            findings=tuple(Finding.from_json(f) for f in data.get("findings", ())),
        )


@dataclass(frozen=True)
class Changes:
    """What changed since the previous check of the same site."""

    previous_checked_at: str
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: int

    def summary(self) -> str:
        parts = []
        if self.new:
            parts.append(f"{len(self.new)} new")
        if self.fixed:
            parts.append(f"{len(self.fixed)} fixed")
        if not parts:
            return f"Nothing changed since the check of {self.previous_checked_at}."
        return f"Since the check of {self.previous_checked_at}: {', '.join(parts)}, {self.unchanged} unchanged."

    def to_json(self) -> dict[str, Any]:
        return {
            "previousCheckedAt": self.previous_checked_at,
            "new": [f.to_json() for f in self.new],
            "fixed": [f.to_json() for f in self.fixed],
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True)
class SiteReport:
    """A whole site's check: every page, in crawl order, and the run's own facts."""

    website_id: str
    source: str
    """What was checked: the served site's root URL, or ``zip:<file name>``."""
    checked_at: str
    """ISO-8601 UTC."""
    duration_seconds: float
    pages: tuple[PageReport, ...]
    accessibility: str
    """``checked`` (axe-core ran on every page), ``skipped`` (not asked for) or a sentence why not."""
    changes: Changes | None = None
    notes: tuple[str, ...] = field(default=())
    """Facts about the run a person should know (pages not followed, a page limit reached ...)."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(finding for page in self.pages for finding in page.findings)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count(ERROR) > 0

    def summary(self) -> str:
        errors, warnings = self.count(ERROR), self.count(WARNING)
        pages = len(self.pages)
        return (
            f"{pages} page{'s' if pages != 1 else ''} checked: "
            f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}."
        )

    def with_changes(self, changes: Changes | None) -> SiteReport:
        return replace(self, changes=changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "websiteId": self.website_id,
            "source": self.source,
            "checkedAt": self.checked_at,
            "durationSeconds": round(self.duration_seconds, 3),
            "accessibility": self.accessibility,
            "summary": {
                "pages": len(self.pages),
                "errors": self.count(ERROR),
                "warnings": self.count(WARNING),
                "info": self.count(INFO),
            },
            "passed": not self.has_errors,
            "pages": [page.to_json() for page in self.pages],
            "changes": self.changes.to_json() if self.changes is not None else None,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SiteReport:
        return cls(
            website_id=str(data["websiteId"]),
            source=str(data.get("source", "")),
            checked_at=str(data["checkedAt"]),
            duration_seconds=float(data.get("durationSeconds", 0.0)),
            pages=tuple(PageReport.from_json(p) for p in data.get("pages", ())),
            accessibility=str(data.get("accessibility", "skipped")),
            notes=tuple(str(n) for n in data.get("notes", ())),
        )


def compare(previous: SiteReport, current: SiteReport) -> Changes:
    """Findings that appeared and disappeared between two checks of one site."""
    before = {finding.fingerprint: finding for finding in previous.findings}
    after = {finding.fingerprint: finding for finding in current.findings}
    return Changes(
        previous_checked_at=previous.checked_at,
        new=tuple(f for key, f in after.items() if key not in before),
        fixed=tuple(f for key, f in before.items() if key not in after),
        unchanged=sum(1 for key in after if key in before),
    )


def _without_line(element: str) -> str:
    """``img[src="a.svg"] (line 12)`` -> ``img[src="a.svg"]``: lines move when text is edited."""
    head, sep, tail = element.rpartition(" (line ")
    return head if sep and tail.endswith(")") and tail[:-1].isdigit() else element
