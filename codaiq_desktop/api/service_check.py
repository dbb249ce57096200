"""A read-only probe of a Codaiq account: which documented fields arrive, what else the
service sends, and so which app features work fully or in a degraded form.

For support, and for the first day with a real key: one ``GET /api/project`` (the list
form) and, when a website id is known, one ``GET /api/analytics``. Nothing is created or
changed. The command line (``codaiq-desktop check-service``) and the desktop app
(Help › Check the service) print the same report. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal

from codaiq_desktop.api.client import CodaiqClient

FeatureState = Literal["full", "degraded", "not checked"]

DOCUMENTED_WEBSITE_FIELDS: Final = (
    "websites[].name",
    "websites[].domain",
    "websites[].metadata",
    "websites[].metadata.buildStatus",
)
"""What the docs promise of a website from ``GET /api/project``: build status, domain and
metadata (the docs' example reads ``websites[0]?.metadata?.buildStatus``), and the name a
``PATCH`` updates."""
USER_METADATA: Final = frozenset({"seoTitle", "seoDescription"})
"""Metadata keys a user sets (the docs' PATCH example sets ``seoTitle``): not the service's extras."""
DOCUMENTED_ANALYTICS_FIELDS: Final = ("totalPageviews",)
RICH_ANALYTICS: Final = ("uniqueVisitors", "topPages", "referrers", "timeseries")


@dataclass(frozen=True)
class FeatureStatus:
    """How well one app feature works with what the service sends."""

    name: str
    state: FeatureState
    detail: str


@dataclass(frozen=True)
class ServiceCheck:
    """The probe's findings (``to_json`` for scripts, ``to_text`` for people)."""

    base_url: str
    calls: list[str]
    list_shape: str
    websites_seen: int
    documented: list[str]
    missing: list[str]
    extra: list[str]
    features: list[FeatureStatus]
    website_id: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["features"] = [asdict(feature) for feature in self.features]
        return data

    def to_text(self) -> str:
        lines = [f"Checked {self.base_url} with {', '.join(self.calls)} (read-only)."]
        lines.append(f"The projects list arrived as {self.list_shape}, with {self.websites_seen} website(s).")
        lines += ["", "Documented fields that arrived:"]
        lines += [f"  {name}" for name in self.documented] or ["  (none)"]
        lines += ["", "Documented fields that did not arrive:"]
        lines += [f"  {name}" for name in self.missing] or ["  (none)"]
        lines += ["", "Extra fields the service sends (not in the docs):"]
        lines += [f"  {name}" for name in self.extra] or ["  (none)"]
        lines += ["", "App features:"]
        width = max(len(feature.state) for feature in self.features)
        lines += [f"  {feature.state:<{width}}  {feature.name}: {feature.detail}" for feature in self.features]
        if self.notes:
            lines += [""] + [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)


async def check_service(
    client: CodaiqClient, *, website_id: str | None = None, fallback_website_id: str | None = None
) -> ServiceCheck:
    """Probe the account behind ``client`` (see the module docstring).

    Analytics are asked for ``website_id`` when given, else for the first website id the
    list sends, else for ``fallback_website_id`` (e.g. a site the app generated); with
    none, analytics are "not checked". Raises the client's errors (key, network, quota).
    """
    data = await client.get_json("/project")
    calls = ["GET /api/project"]
    shape, websites, top_extra = _read_list(data)
    seen_fields: set[str] = set()
    for website in websites:
        seen_fields |= _website_fields(website)
    documented: list[str] = [name for name in DOCUMENTED_WEBSITE_FIELDS if name in seen_fields]
    missing: list[str] = [name for name in DOCUMENTED_WEBSITE_FIELDS if name not in seen_fields] if websites else []
    extra = sorted(top_extra | {name for name in seen_fields if name not in DOCUMENTED_WEBSITE_FIELDS})
    notes: list[str] = []
    if not websites:
        notes.append("The account has no websites yet, so website fields could not be checked. Generate one first.")

    listed_ids = [str(w.get("id") or w.get("websiteId")) for w in websites if w.get("id") or w.get("websiteId")]
    target = website_id or (listed_ids[0] if listed_ids else None) or fallback_website_id
    analytics: Mapping[str, Any] | None = None
    if target:
        answer = await client.get_json("/analytics", {"websiteId": target, "range": "7d"})
        calls.append(f"GET /api/analytics (website {target})")
        analytics = answer if isinstance(answer, Mapping) else {}
        documented += [name for name in DOCUMENTED_ANALYTICS_FIELDS if name in analytics]
        missing += [name for name in DOCUMENTED_ANALYTICS_FIELDS if name not in analytics]
        extra += sorted(f"analytics.{key}" for key in analytics if key not in DOCUMENTED_ANALYTICS_FIELDS)
    else:
        notes.append("No website id was known, so analytics were not checked (give one with --website).")
    features = _features(seen_fields, bool(websites), bool(listed_ids), analytics, client.rate_limit is not None)
    return ServiceCheck(
        base_url=client.base_url,
        calls=calls,
        list_shape=shape,
        websites_seen=len(websites),
        documented=documented,
        missing=missing,
        extra=extra,
        features=features,
        website_id=target,
        notes=notes,
    )


def _read_list(data: object) -> tuple[str, list[Mapping[str, Any]], set[str]]:
    """(the shape in words, the websites found, top-level fields beyond ``websites``)."""
    if isinstance(data, list):
        items = [item for item in data if isinstance(item, Mapping)]
        if items and all(isinstance(item.get("websites"), list) for item in items):
            return "a bare list of projects", _websites_of(items), {"[] (projects)"} | _project_fields(items)
        return "a bare list of websites", items, {"[] (a bare list)"}
    if not isinstance(data, Mapping):
        return f"something else ({type(data).__name__})", [], set()
    extra = {key for key in data if key != "websites"}
    if isinstance(data.get("projects"), list):
        projects = [item for item in data["projects"] if isinstance(item, Mapping)]
        websites = _websites_of(projects)
        return '{"projects": [...]}', websites, extra | _project_fields(projects)
    websites = [item for item in data.get("websites") or [] if isinstance(item, Mapping)]
    if isinstance(data.get("project"), Mapping):
        extra |= {f"project.{key}" for key in data["project"]} - {"project.websites"}
        return '{"project": {...}, "websites": [...]}', websites, extra
    if isinstance(data.get("websites"), list):
        return '{"websites": [...]}', websites, extra
    return f"an object with keys {', '.join(sorted(map(str, data))) or '(none)'}", [], extra


def _websites_of(projects: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [w for project in projects for w in project.get("websites") or [] if isinstance(w, Mapping)]


def _project_fields(projects: Iterable[Mapping[str, Any]]) -> set[str]:
    return {f"projects[].{key}" for project in projects for key in project if key != "websites"}


def _website_fields(website: Mapping[str, Any]) -> set[str]:
    fields = {f"websites[].{key}" for key in website}
    metadata = website.get("metadata")
    if isinstance(metadata, Mapping):
        for key in metadata:
            if key == "buildStatus" or key not in USER_METADATA:
                fields.add(f"websites[].metadata.{key}")
    return fields


def _features(
    fields: set[str], any_websites: bool, ids_listed: bool, analytics: Mapping[str, Any] | None, quota_headers: bool
) -> list[FeatureStatus]:
    unchecked = "no websites to look at yet"
    features: list[FeatureStatus] = []
    if not any_websites:
        features.append(FeatureStatus("Build progress", "not checked", unchecked))
    elif "websites[].metadata.buildProgress" in fields:
        features.append(FeatureStatus("Build progress", "full", "percentages and build steps are shown"))
    else:
        features.append(
            FeatureStatus("Build progress", "degraded", "no percentages, an indeterminate bar with the status word")
        )
    if not any_websites:
        features.append(FeatureStatus("Projects", "not checked", unchecked))
    elif ids_listed:
        features.append(FeatureStatus("Projects", "full", "every listed website can be edited, exported and charted"))
    else:
        features.append(
            FeatureStatus(
                "Projects",
                "degraded",
                "websites are listed without ids: saving, export and analytics work for the sites generated "
                "in this app (it keeps their ids); the others can only be previewed by domain",
            )
        )
    if not any_websites:
        features.append(FeatureStatus("Preview", "not checked", unchecked))
    elif ids_listed:
        features.append(FeatureStatus("Preview", "full", "by website id"))
    elif "websites[].domain" in fields:
        features.append(FeatureStatus("Preview", "degraded", "by domain only"))
    else:
        features.append(FeatureStatus("Preview", "degraded", "no ids and no domains: only sites generated here"))
    if analytics is None:
        features.append(FeatureStatus("Analytics", "not checked", "no website id known"))
        features.append(FeatureStatus("Previous-period comparison", "not checked", "no website id known"))
    else:
        absent = [key for key in RICH_ANALYTICS if key not in analytics]
        if not absent:
            features.append(FeatureStatus("Analytics", "full", "totals, visitors, top pages, referrers and a chart"))
        else:
            features.append(
                FeatureStatus(
                    "Analytics", "degraded", f"total page views only; not provided by the service: {', '.join(absent)}"
                )
            )
        if "end" in analytics:
            features.append(
                FeatureStatus("Previous-period comparison", "full", "the service says which period it measured")
            )
        else:
            features.append(
                FeatureStatus(
                    "Previous-period comparison", "degraded", "the service does not say which period it measured"
                )
            )
    if quota_headers:
        features.append(FeatureStatus("Quota display", "full", "X-RateLimit-* headers arrive"))
    else:
        features.append(FeatureStatus("Quota display", "degraded", "no X-RateLimit-* headers: shown only on a 429"))
    return features
