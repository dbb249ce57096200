"""Typed views of the Codaiq API's JSON, read tolerantly.

The public docs guarantee only a few fields (see docs/ARCHITECTURE.md, section "api"); everything
else is this project's decision and may be absent from the real service. So each
model requires only what it cannot work without, turns a missing optional field
into ``None`` or an empty tuple, keeps unknown fields reachable through ``raw``
(the JSON object exactly as received), and passes an unknown ``buildStatus``
through as the string it is. A field of the wrong type is treated as missing
rather than crashing the reader: a malformed timestamp reads as ``None`` while
``raw`` still holds the original.

Models are frozen dataclasses: safe to share between the client, the UI models
and background tasks. ``raw`` and ``metadata`` are plain dicts; treat them as
read-only.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from codaiq_desktop.api.errors import InvalidResponseError

__all__ = [
    "Analytics",
    "BuildStatus",
    "BuildUpdate",
    "GenerateResult",
    "LeadReceipt",
    "PageStat",
    "Project",
    "RateLimitInfo",
    "ReferrerStat",
    "TimePoint",
    "Website",
    "is_terminal",
    "parse_timestamp",
]

JSONObject = dict[str, Any]


class BuildStatus:
    """The documented values of ``metadata.buildStatus``.

    Plain string constants rather than an enum: the service may add values, and
    an unknown one must flow through as a string, compared with ``==``.
    """

    QUEUED: Final = "queued"
    BUILDING: Final = "building"
    READY: Final = "ready"
    FAILED: Final = "failed"
    KNOWN: Final = (QUEUED, BUILDING, READY, FAILED)
    TERMINAL: Final = frozenset({READY, FAILED})

    @staticmethod
    def is_terminal(status: str | None) -> bool:
        """True when a build in this state will not change any more (``ready`` or ``failed``)."""
        return status in BuildStatus.TERMINAL


def is_terminal(status: str | None) -> bool:
    """True for ``ready`` and ``failed``; see :meth:`BuildStatus.is_terminal`."""
    return BuildStatus.is_terminal(status)


# --- tolerant field readers --------------------------------------------------


def parse_timestamp(value: object) -> datetime | None:
    """An aware UTC ``datetime`` from ISO-8601 text (``Z`` allowed) or epoch seconds; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        seconds = value / 1000.0 if value > 1e11 else float(value)  # milliseconds, as JavaScript sends
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _str(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # ids sent as numbers
    return None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value.strip()))
        except ValueError:
            return None
    return None


def _dict(value: object) -> JSONObject:
    return dict(value) if isinstance(value, Mapping) else {}


def _objects(value: object) -> list[JSONObject]:
    if not isinstance(value, list):
        return []
    return [dict(item) for item in value if isinstance(item, Mapping)]


def _require_object(data: object, what: str) -> JSONObject:
    if not isinstance(data, Mapping):
        raise InvalidResponseError(
            f"The server sent {what} that is not a JSON object; check that the base URL points at the Codaiq API."
        )
    return dict(data)


def _require_str(data: Mapping[str, Any], key: str, what: str) -> str:
    value = _str(data.get(key))
    if not value:
        raise InvalidResponseError(f"The server's {what} has no {key!r}; it does not look like a Codaiq API response.")
    return value


# --- models ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Website:
    """One generated website. Build state lives in ``metadata`` (documented: ``buildStatus``).

    ``id`` is ``None`` when the service did not send one (the docs never promise it):
    the caller may know it from context (the ``generate`` result, the app's registry).
    """

    id: str | None
    project_id: str | None
    name: str | None
    domain: str | None
    created_at: datetime | None
    updated_at: datetime | None
    metadata: JSONObject = field(default_factory=dict)
    raw: JSONObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: object, *, project_id: str | None = None, website_id: str | None = None) -> Website:
        """Read a website object; ``project_id`` and ``website_id`` fill in what the object omits.

        The id is read from ``id``, else ``websiteId`` (the name ``generate`` uses).
        """
        obj = _require_object(data, "a website")
        return cls(
            id=_str(obj.get("id")) or _str(obj.get("websiteId")) or website_id,
            project_id=_str(obj.get("projectId")) or project_id,
            name=_str(obj.get("name")),
            domain=_str(obj.get("domain")),
            created_at=parse_timestamp(obj.get("createdAt")),
            updated_at=parse_timestamp(obj.get("updatedAt")),
            metadata=_dict(obj.get("metadata")),
            raw=obj,
        )

    @property
    def build_status(self) -> str | None:
        """``metadata.buildStatus`` as sent, including values this client does not know."""
        return _str(self.metadata.get("buildStatus"))

    @property
    def build_progress(self) -> int | None:
        """``metadata.buildProgress``, 0 to 100, when the server reports it."""
        progress = _int(self.metadata.get("buildProgress"))
        return None if progress is None else max(0, min(100, progress))

    @property
    def build_step(self) -> str | None:
        return _str(self.metadata.get("buildStep"))

    @property
    def build_error(self) -> str | None:
        return _str(self.metadata.get("buildError"))

    @property
    def seo_title(self) -> str | None:
        return _str(self.metadata.get("seoTitle"))

    @property
    def seo_description(self) -> str | None:
        return _str(self.metadata.get("seoDescription"))

    @property
    def published_at(self) -> datetime | None:
        return parse_timestamp(self.metadata.get("publishedAt"))


@dataclass(frozen=True, slots=True)
class Project:
    """A project and its websites (from ``GET /api/project``).

    ``id`` is ``None`` for websites the service listed without saying which project
    they belong to (the ``{"websites": [...]}`` form of the list call).
    """

    id: str | None
    name: str | None
    created_at: datetime | None
    websites: tuple[Website, ...] = ()
    raw: JSONObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: object, *, websites: object = None, project_id: str | None = None) -> Project:
        """Read a project object.

        ``websites`` is the separate top-level list the single-project form sends
        (``{"project": {...}, "websites": [...]}``); without it the project's own
        ``websites`` key is used. ``project_id`` fills in a missing ``id``.
        """
        obj = _require_object(data, "a project")
        pid = _str(obj.get("id")) or _str(obj.get("projectId")) or project_id
        site_list = websites if websites is not None else obj.get("websites")
        return cls(
            id=pid,
            name=_str(obj.get("name")),
            created_at=parse_timestamp(obj.get("createdAt")),
            websites=tuple(Website.from_json(site, project_id=pid) for site in _objects(site_list)),
            raw=obj,
        )

    @classmethod
    def of_websites(cls, project_id: str | None, websites: tuple[Website, ...]) -> Project:
        """A project known only through its websites (the list call sent websites, not projects)."""
        return cls(id=project_id, name=None, created_at=None, websites=websites, raw={})


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """What ``POST /api/generate`` returns: ids to poll, and the initial build status."""

    project_id: str
    website_id: str
    status: str
    raw: JSONObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: object) -> GenerateResult:
        obj = _require_object(data, "a generate result")
        return cls(
            project_id=_require_str(obj, "projectId", "generate result"),
            website_id=_require_str(obj, "websiteId", "generate result"),
            status=_require_str(obj, "status", "generate result"),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class LeadReceipt:
    """The answer to ``POST /api/leads/submit`` (undocumented shape: every field optional)."""

    lead_id: str | None
    website_id: str | None
    created_at: datetime | None
    raw: JSONObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: object, *, website_id: str | None = None) -> LeadReceipt:
        obj = _dict(data)
        return cls(
            lead_id=_str(obj.get("leadId")) or _str(obj.get("id")),
            website_id=_str(obj.get("websiteId")) or website_id,
            created_at=parse_timestamp(obj.get("createdAt")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class PageStat:
    path: str
    pageviews: int


@dataclass(frozen=True, slots=True)
class ReferrerStat:
    source: str
    visits: int


@dataclass(frozen=True, slots=True)
class TimePoint:
    """One bucket of the time series: hourly for ``24h``, daily otherwise."""

    date: datetime
    pageviews: int
    unique_visitors: int | None


@dataclass(frozen=True, slots=True)
class Analytics:
    """``GET /api/analytics``. Only ``totalPageviews`` is documented, so only it is required.

    Everything else is ``None`` when the service did not send it, never zero or empty:
    ``()`` means "sent, and empty"; ``None`` means "not provided by the service".
    ``end`` is set only when the server echoed the window's end (a sandbox
    extension): without it the caller cannot know which window it got.
    """

    website_id: str
    range: str
    total_pageviews: int
    unique_visitors: int | None = None
    top_pages: tuple[PageStat, ...] | None = None
    referrers: tuple[ReferrerStat, ...] | None = None
    timeseries: tuple[TimePoint, ...] | None = None
    end: datetime | None = None
    raw: JSONObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: object, *, website_id: str, range: str) -> Analytics:
        obj = _require_object(data, "analytics")
        total = _int(obj.get("totalPageviews"))
        if total is None:
            raise InvalidResponseError(
                "The server's analytics have no 'totalPageviews'; it does not look like a Codaiq API response."
            )
        top_pages = tuple(
            PageStat(path=path, pageviews=_int(item.get("pageviews")) or 0)
            for item in _objects(obj.get("topPages"))
            if (path := _str(item.get("path"))) is not None
        )
        referrers = tuple(
            ReferrerStat(source=source, visits=_int(item.get("visits")) or 0)
            for item in _objects(obj.get("referrers"))
            if (source := _str(item.get("source"))) is not None
        )
        points = []
        for item in _objects(obj.get("timeseries")):
            date = parse_timestamp(item.get("date"))
            if date is None:
                continue
            points.append(
                TimePoint(
                    date=date,
                    pageviews=_int(item.get("pageviews")) or 0,
                    unique_visitors=_int(item.get("uniqueVisitors")),
                )
            )
        points.sort(key=lambda point: point.date)
        return cls(
            website_id=_str(obj.get("websiteId")) or website_id,
            range=_str(obj.get("range")) or range,
            total_pageviews=total,
            unique_visitors=_int(obj.get("uniqueVisitors")),
            top_pages=top_pages if isinstance(obj.get("topPages"), list) else None,
            referrers=referrers if isinstance(obj.get("referrers"), list) else None,
            timeseries=tuple(points) if isinstance(obj.get("timeseries"), list) else None,
            end=parse_timestamp(obj.get("end")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class BuildUpdate:
    """One observed change in a website's build, yielded by ``wait_for_build``."""

    status: str | None
    progress: int | None
    step: str | None
    error: str | None
    website: Website = field(compare=False)

    @classmethod
    def from_website(cls, website: Website) -> BuildUpdate:
        return cls(
            status=website.build_status,
            progress=website.build_progress,
            step=website.build_step,
            error=website.build_error,
            website=website,
        )

    @property
    def is_terminal(self) -> bool:
        return BuildStatus.is_terminal(self.status)


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """The quota the server last reported in ``X-RateLimit-*`` headers; any part may be unknown."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], *, now: datetime | None = None) -> RateLimitInfo | None:
        """Read ``X-RateLimit-Limit/-Remaining/-Reset``; ``None`` when none is present.

        ``Reset`` is read as epoch seconds (a large number), seconds from now (a
        small one), or an ISO-8601 / HTTP date, as services differ.
        """
        limit_text = headers.get("x-ratelimit-limit")
        remaining_text = headers.get("x-ratelimit-remaining")
        reset_text = headers.get("x-ratelimit-reset")
        if limit_text is None and remaining_text is None and reset_text is None:
            return None
        return cls(
            limit=_int(limit_text) if limit_text is not None else None,
            remaining=_int(remaining_text) if remaining_text is not None else None,
            reset_at=_parse_reset(reset_text, now=now),
        )


def _parse_reset(value: str | None, *, now: datetime | None) -> datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        parsed = parse_timestamp(text)
        if parsed is not None:
            return parsed
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    if not math.isfinite(number) or number < 0:
        return None
    if number > 1e9:  # an epoch timestamp (seconds, or milliseconds)
        return parse_timestamp(number)
    current = now if now is not None else datetime.now(UTC)
    return current + timedelta(seconds=number)
