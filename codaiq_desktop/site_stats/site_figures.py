"""One website's figures for a period and the one before, fetched for every site of an account.

``SiteFiguresFetcher`` lists the account's websites (one request), then asks the
analytics of each site that can have any, under a :class:`~.pacing.QuotaPacer`
(bounded concurrency, paced under the key's remaining quota). Each site's result is
handed to ``on_figures`` as soon as it is known, so a view fills in row by row and
can say "38 of 212 sites updated".

Refreshing is incremental: a previous period that ended before today's window is
fixed history, so it is taken from the figures already known (``known``) instead of
being asked again — a second refresh costs one request per site, not two.

A figure the service did not send stays ``None`` (a view says "not provided", never 0),
and a site that cannot have analytics says why in ``unavailable``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from codaiq_desktop.api import errors
from codaiq_desktop.api.models import BuildStatus, parse_timestamp
from codaiq_desktop.site_stats.change import change_percent
from codaiq_desktop.site_stats.pacing import QuotaExhaustedError, QuotaPacer
from codaiq_desktop.site_stats.periods import Period

__all__ = ["FetchProgress", "SiteFigures", "SiteFiguresFetcher", "SiteInfo", "change_percent"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What the projects list says about a website (every field may be missing)."""

    website_id: str | None
    project_id: str | None
    name: str | None
    domain: str | None
    build_status: str | None
    updated_at: datetime | None
    project_name: str | None = None

    @classmethod
    def from_website(cls, website: Any, project: Any = None) -> SiteInfo:
        """Read a ``models.Website`` tolerantly (a service may send no id, no name, no metadata)."""
        site_id = getattr(website, "id", None)
        return cls(
            website_id=str(site_id) if site_id else None,
            project_id=getattr(website, "project_id", None) or getattr(project, "id", None),
            name=getattr(website, "name", None),
            domain=getattr(website, "domain", None),
            build_status=getattr(website, "build_status", None),
            updated_at=getattr(website, "updated_at", None),
            project_name=getattr(project, "name", None),
        )

    @property
    def label(self) -> str:
        return self.name or self.domain or self.website_id or "Unnamed website"

    def why_no_analytics(self) -> str | None:
        """Why this site cannot have analytics, or ``None`` when it can be asked for."""
        if not self.website_id:
            return "The service sent no id for this website, so its analytics cannot be asked for."
        if self.build_status == BuildStatus.FAILED:
            return "The build failed: the site was never published, so it has no visitors."
        if self.build_status in (BuildStatus.QUEUED, BuildStatus.BUILDING):
            return "Not built yet: analytics start once the site is published."
        return None


@dataclass(frozen=True, slots=True)
class SiteFigures:
    """A site's figures for one range: the current period, the one before, and a series.

    ``None`` means "not provided" (the service did not send it, or it could not be
    asked for: ``unavailable`` / ``previous_unavailable`` say why).
    """

    site: SiteInfo
    range: str
    pageviews: int | None = None
    visitors: int | None = None
    previous_pageviews: int | None = None
    previous_visitors: int | None = None
    series: tuple[int, ...] = ()
    period: Period | None = None
    previous_period: Period | None = None
    fetched_at: datetime | None = None
    unavailable: str | None = None
    previous_unavailable: str | None = None

    @property
    def website_id(self) -> str | None:
        return self.site.website_id

    @property
    def pageviews_change(self) -> float | None:
        return change_percent(self.pageviews, self.previous_pageviews)

    @property
    def visitors_change(self) -> float | None:
        return change_percent(self.visitors, self.previous_visitors)

    # ----- cache form ---------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        site = self.site
        return {
            "site": {
                "websiteId": site.website_id,
                "projectId": site.project_id,
                "name": site.name,
                "domain": site.domain,
                "buildStatus": site.build_status,
                "updatedAt": site.updated_at.isoformat() if site.updated_at else None,
                "projectName": site.project_name,
            },
            "range": self.range,
            "pageviews": self.pageviews,
            "visitors": self.visitors,
            "previousPageviews": self.previous_pageviews,
            "previousVisitors": self.previous_visitors,
            "series": list(self.series),
            "period": self.period.to_json() if self.period else None,
            "previousPeriod": self.previous_period.to_json() if self.previous_period else None,
            "fetchedAt": self.fetched_at.isoformat() if self.fetched_at else None,
            "unavailable": self.unavailable,
            "previousUnavailable": self.previous_unavailable,
        }

    @classmethod
    def from_json(cls, data: Any) -> SiteFigures | None:
        """Read a cached entry; ``None`` when it is not one (an old or damaged file)."""
        if not isinstance(data, dict) or not isinstance(data.get("site"), dict):
            return None
        raw_site = data["site"]
        site = SiteInfo(
            website_id=_opt_str(raw_site.get("websiteId")),
            project_id=_opt_str(raw_site.get("projectId")),
            name=_opt_str(raw_site.get("name")),
            domain=_opt_str(raw_site.get("domain")),
            build_status=_opt_str(raw_site.get("buildStatus")),
            updated_at=parse_timestamp(raw_site.get("updatedAt")),
            project_name=_opt_str(raw_site.get("projectName")),
        )
        range_key = data.get("range")
        if not isinstance(range_key, str):
            return None
        series = data.get("series")
        return cls(
            site=site,
            range=range_key,
            pageviews=_opt_int(data.get("pageviews")),
            visitors=_opt_int(data.get("visitors")),
            previous_pageviews=_opt_int(data.get("previousPageviews")),
            previous_visitors=_opt_int(data.get("previousVisitors")),
            series=tuple(int(v) for v in series if isinstance(v, int)) if isinstance(series, list) else (),
            period=Period.from_json(data.get("period")),
            previous_period=Period.from_json(data.get("previousPeriod")),
            fetched_at=parse_timestamp(data.get("fetchedAt")),
            unavailable=_opt_str(data.get("unavailable")),
            previous_unavailable=_opt_str(data.get("previousUnavailable")),
        )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class FetchProgress:
    """How far a refresh is: ``done`` of ``total`` sites, and the requests it made."""

    total: int = 0
    done: int = 0
    failed: int = 0
    requests: int = 0
    waiting_until: float = 0.0
    """Epoch seconds the pacer waits for (the quota's reset), ``0.0`` when not waiting."""
    stopped_reason: str | None = None
    """Set when the refresh stopped early (a spent daily quota), in user words."""
    errors: list[str] = field(default_factory=list)

    def text(self) -> str:
        return f"{self.done} of {self.total} sites updated"


FiguresCallback = Callable[[SiteFigures], Any]
ProgressCallback = Callable[[FetchProgress], Any]


class SiteFiguresFetcher:
    """Fetch every site's figures for a range with bounded concurrency, paced under the quota."""

    def __init__(self, client: Any, *, pacer: QuotaPacer | None = None, concurrency: int = 4) -> None:
        self._client = client
        self.pacer = pacer or QuotaPacer(concurrency=concurrency)
        self.quota_exhausted: QuotaExhaustedError | None = None
        """Set when the quota ran out during a fetch (some previous periods are then missing)."""
        self.last_projects: list[Any] = []
        """The projects list behind the last :meth:`list_sites` (for names elsewhere)."""

    async def list_sites(self) -> list[SiteInfo]:
        """Every website of the account (one paced request)."""
        async with self.pacer.slot():
            try:
                projects = await self._client.list_projects()
            finally:
                self.pacer.observe(getattr(self._client, "rate_limit", None))
        self.last_projects = list(projects)
        return sites_of(projects)

    async def fetch_all(
        self,
        sites: Sequence[SiteInfo],
        range_key: str,
        *,
        known: Mapping[str, SiteFigures] | None = None,
        on_figures: FiguresCallback | None = None,
        on_progress: ProgressCallback | None = None,
        end: datetime | None = None,
    ) -> FetchProgress:
        """Fetch ``sites`` (oldest-known first is the caller's choice of order).

        Sites that cannot have analytics get figures with ``unavailable`` at once. On a
        spent quota (:class:`QuotaExhaustedError`) the rest keep their known figures and
        ``stopped_reason`` says until when; other errors are per site.
        """
        progress = FetchProgress(total=len(sites))
        known = known or {}
        started_requests = self.pacer.requests
        stop = asyncio.Event()

        def report() -> None:
            progress.requests = self.pacer.requests - started_requests
            if on_progress is not None:
                on_progress(progress)

        async def one(site: SiteInfo) -> None:
            if stop.is_set():
                return
            try:
                figures = await self.fetch_one(site, range_key, known=known.get(site.website_id or ""), end=end)
            except QuotaExhaustedError as exc:
                if not stop.is_set():
                    stop.set()
                    progress.stopped_reason = str(exc)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - one site's failure is that row's message
                progress.failed += 1
                figures = failed_figures(site, range_key, exc, known.get(site.website_id or ""))
            progress.done += 1
            if on_figures is not None:
                on_figures(figures)
            report()

        report()
        await asyncio.gather(*(one(site) for site in sites))
        if progress.stopped_reason is None and self.quota_exhausted is not None:
            progress.stopped_reason = f"Some previous periods are not provided: {self.quota_exhausted}"
        report()
        return progress

    async def fetch_one(
        self, site: SiteInfo, range_key: str, *, known: SiteFigures | None = None, end: datetime | None = None
    ) -> SiteFigures:
        """One site's figures: the current window, and the previous one unless ``known`` has it."""
        why = site.why_no_analytics()
        if why is not None:
            return SiteFigures(site=site, range=range_key, unavailable=why, fetched_at=datetime.now(UTC))
        assert site.website_id is not None
        current = await self._analytics(site.website_id, range_key, end)
        figures = figures_from_analytics(site, range_key, current)
        period = figures.period
        if period is None:
            return replace(
                figures,
                previous_unavailable="The service did not say which period it measured, so there is no previous period to compare with.",
            )
        previous_period = period.previous()
        if known is not None and known.previous_period == previous_period and known.previous_pageviews is not None:
            return replace(
                figures,
                previous_period=previous_period,
                previous_pageviews=known.previous_pageviews,
                previous_visitors=known.previous_visitors,
            )
        try:
            previous = await self._analytics(site.website_id, range_key, previous_period.end)
        except QuotaExhaustedError as exc:
            # The current period is in hand: keep it; the sites after this one stop on their own.
            self.quota_exhausted = exc
            return replace(figures, previous_unavailable=f"Previous period not provided: {exc}")
        except asyncio.CancelledError:
            raise
        except errors.CodaiqError as exc:
            log.info("Previous-period analytics of a site failed: %s", type(exc).__name__)
            return replace(figures, previous_unavailable=f"Previous period not provided: {exc}")
        echoed = Period.from_analytics(previous)
        if echoed is None or abs((echoed.end - previous_period.end).total_seconds()) > 1.0:
            return replace(
                figures,
                previous_unavailable="The service ignored the period asked for, so there is no previous period to compare with.",
            )
        return replace(
            figures,
            previous_period=echoed,
            previous_pageviews=_total(previous),
            previous_visitors=getattr(previous, "unique_visitors", None),
        )

    async def _analytics(self, website_id: str, range_key: str, end: datetime | None) -> Any:
        async with self.pacer.slot():
            try:
                return await self._client.analytics(website_id, range_key, end=end)
            except errors.RateLimitError as exc:
                # The client already sat out short waits; this one is long (a spent day quota).
                self.pacer.refused(exc.retry_after)
                raise QuotaExhaustedError(self.pacer.resume_at) from exc
            finally:
                self.pacer.observe(getattr(self._client, "rate_limit", None))


def sites_of(projects: Iterable[Any]) -> list[SiteInfo]:
    """Every website of a projects list, as :class:`SiteInfo`."""
    return [
        SiteInfo.from_website(website, project) for project in projects for website in getattr(project, "websites", ())
    ]


def _total(analytics: Any) -> int | None:
    value = getattr(analytics, "total_pageviews", None)
    return value if isinstance(value, int) else None


def figures_from_analytics(site: SiteInfo, range_key: str, analytics: Any) -> SiteFigures:
    """The current window's figures as the service sent them (missing ones stay ``None``)."""
    series = tuple(int(getattr(point, "pageviews", 0) or 0) for point in getattr(analytics, "timeseries", ()) or ())
    return SiteFigures(
        site=site,
        range=range_key,
        pageviews=_total(analytics),
        visitors=getattr(analytics, "unique_visitors", None),
        series=series,
        period=Period.from_analytics(analytics),
        fetched_at=datetime.now(UTC),
    )


def failed_figures(site: SiteInfo, range_key: str, exc: BaseException, known: SiteFigures | None) -> SiteFigures:
    """A site whose fetch failed: its last known numbers stay, with the reason."""
    reason = describe_failure(exc)
    if known is not None and known.pageviews is not None:
        return replace(known, site=site, unavailable=f"Not refreshed: {reason}")
    return SiteFigures(site=site, range=range_key, unavailable=reason, fetched_at=datetime.now(UTC))


def describe_failure(exc: BaseException) -> str:
    """User words for a failed fetch (the client's errors are already sentences)."""
    if isinstance(exc, errors.NotFoundError):
        return "The service does not know this website any more (404)."
    if isinstance(exc, errors.CodaiqError):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return "The service took too long to answer."
    return f"Could not be fetched ({type(exc).__name__})."
