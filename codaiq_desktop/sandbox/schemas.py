"""Request and response shapes, as published in the sandbox's ``/openapi.json``.

Request models are permissive about what the service checks itself (empty or overlong
prompts are a 400 by the API's rules, not a schema failure), and strict about types.
Response models describe exactly what the routes return, so a schema-driven fuzzer can
hold the sandbox to them.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from codaiq_desktop.sandbox.validation import BUILD_KEYS, EMAIL_PATTERN, MAX_FIELD_CHARS, MAX_NAME_CHARS

NON_BLANK = r"\S"


def documented(description: str | None = None, *, default: Any = ..., **constraints: Any) -> Any:
    """A field whose constraints are published in the schema but checked by the service, which
    answers 400/422 with the API's own messages instead of a generic schema error."""
    return Field(default, description=description, json_schema_extra=constraints)


def id_field(description: str | None = None) -> Any:
    return documented(description, minLength=1, pattern=NON_BLANK)


PlanName = Literal["free", "pro", "agency", "enterprise"]
RangeName = Literal["24h", "7d", "30d", "90d"]


BaseModelT = TypeVar("BaseModelT", bound=BaseModel)


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error: {"error": {"code", "message"}}."""

    error: ErrorDetail


# -- public API -----------------------------------------------------------------
class GenerateRequest(_Request):
    """Body of POST /api/generate."""

    prompt: str = documented(
        "What the site is for (1 to 4,000 characters; empty or longer is a 400). A prompt with no "
        "words at all is accepted but its build fails.",
        minLength=1,
        maxLength=4000,
        pattern=NON_BLANK,
    )
    name: str | None = documented(
        "The site's name; derived from the prompt when omitted.",
        minLength=1,
        maxLength=MAX_NAME_CHARS,
        pattern=NON_BLANK,
        default=None,
    )
    projectId: str | None = documented(
        "Sandbox extension: add the website to this existing project.", minLength=1, pattern=NON_BLANK, default=None
    )


class GenerateResponse(BaseModel):
    """The new website's ids and its first build status."""

    projectId: str
    websiteId: str
    status: str


class Website(BaseModel):
    """A website; metadata holds buildStatus, buildProgress, buildStep, seoTitle, seoDescription, publishedAt and custom keys."""

    id: str
    projectId: str
    name: str
    domain: str | None
    createdAt: str
    updatedAt: str
    metadata: dict[str, Any]


class Project(BaseModel):
    """A project and its websites."""

    id: str
    name: str
    createdAt: str
    websites: list[Website]


class ProjectList(BaseModel):
    """GET /api/project without projectId."""

    projects: list[Project]


class ProjectDetail(BaseModel):
    """GET /api/project?projectId=..."""

    project: Project
    websites: list[Website]


class UpdateWebsiteRequest(_Request):
    """Body of PATCH /api/project."""

    projectId: str = id_field()
    websiteId: str = id_field()
    name: str | None = documented(minLength=1, maxLength=MAX_NAME_CHARS, pattern=NON_BLANK, default=None)
    metadata: dict[str, Any] | None = documented(
        "Merged key by key; a key set to null is removed. Build keys cannot be set.",
        propertyNames={"not": {"enum": sorted(BUILD_KEYS)}},
        default=None,
    )


class WebsiteResponse(BaseModel):
    website: Website


class LeadRequest(_Request):
    """Body of POST /api/leads/submit."""

    websiteId: str = id_field()
    name: str = documented(minLength=1, maxLength=MAX_FIELD_CHARS["name"], pattern=NON_BLANK)
    email: str = documented(maxLength=MAX_FIELD_CHARS["email"], pattern=EMAIL_PATTERN)
    phone: str | None = documented(maxLength=MAX_FIELD_CHARS["phone"], default=None)
    message: str | None = documented(maxLength=MAX_FIELD_CHARS["message"], default=None)


class LeadReceipt(BaseModel):
    """The recorded lead's id."""

    leadId: str
    websiteId: str
    createdAt: str


class PageStat(BaseModel):
    path: str
    pageviews: int


class ReferrerStat(BaseModel):
    source: str
    visits: int


class TimePoint(BaseModel):
    date: str
    pageviews: int
    uniqueVisitors: int


class AnalyticsResponse(BaseModel):
    """Totals, top pages, referrers and a time series (hourly for 24h, daily otherwise) for [start, end)."""

    websiteId: str
    range: str
    start: str
    end: str
    totalPageviews: int
    uniqueVisitors: int
    topPages: list[PageStat]
    referrers: list[ReferrerStat]
    timeseries: list[TimePoint]


# -- sandbox-only -------------------------------------------------------------------
class KeyRequest(_Request):
    """Body of POST /api/sandbox/keys."""

    plan: PlanName = "agency"
    account: str | None = Field(default=None, max_length=100, description="Same account, same projects.")
    burstPerMinute: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="A custom per-minute burst (the docs' 'Custom' for enterprise, which has 1,000 without it).",
    )


class KeyResponse(BaseModel):
    key: str
    plan: str
    account: str


class WebhookRequest(_Request):
    """Where to send an account's or a project's events, and the signing secret."""

    url: str = documented("An http(s) URL that accepts POSTs.", maxLength=2000, pattern=r"^https?://\S+$")
    secret: str = documented("Shared secret for X-Codaiq-Signature (1 to 500 characters).", minLength=1, maxLength=500)


class WebhookResponse(BaseModel):
    url: str
    scope: str
    projectId: str | None = None


class Cleared(BaseModel):
    cleared: bool


class Delivery(BaseModel):
    """One webhook delivery and its outcome so far."""

    id: str
    eventId: str
    event: str
    projectId: str
    url: str
    attempts: int
    status: Literal["pending", "delivered", "failed"]
    lastStatusCode: int | None
    lastError: str | None
    createdAt: str
    updatedAt: str


class DeliveryList(BaseModel):
    deliveries: list[Delivery]


class SimulateRequest(_Request):
    """Body of POST /api/sandbox/simulate."""

    websiteId: str = id_field()
    days: int = documented("Days of history ending now.", minimum=1, maximum=365, default=30)


class SimulateResponse(BaseModel):
    pageviews: int


class FaultRuleModel(_Request):
    """One fault to inject; see PUT /api/sandbox/faults."""

    path: str = Field(description="Exact path, or a prefix ending in '*'.")
    method: str | None = None
    kind: Literal["latency", "error", "drop", "rate_limit"]
    status: int = Field(default=500, ge=400, le=599)
    delay: float = Field(default=2.0, ge=0, le=120)
    retryAfter: int = Field(default=3, ge=0, le=86_400)
    count: int | None = Field(default=None, ge=1)
    probability: float = Field(default=1.0, ge=0, le=1)


class FaultRuleState(BaseModel):
    path: str
    method: str | None
    kind: str
    status: int
    delay: float
    retryAfter: int
    count: int | None
    probability: float
    hits: int


class FaultsRequest(_Request):
    """The complete new set of fault rules."""

    rules: list[FaultRuleModel] = Field(max_length=100)


class FaultsResponse(BaseModel):
    rules: list[FaultRuleState]


class PlanInfo(BaseModel):
    requestsPerDay: int | None
    burstPerMinute: int | None


class InfoResponse(BaseModel):
    """Sandbox version and each plan's limits (``requestsPerDay`` null: no daily quota).

    Enterprise's ``burstPerMinute`` is the default for keys created without their own."""

    version: str
    plans: dict[str, PlanInfo]
