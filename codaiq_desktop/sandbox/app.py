"""The sandbox's HTTP app: the public API (see ``public_api``), the sandbox-only routes under
``/api/sandbox/`` and the built sites under ``/sites/``, behind the gateway.

Routes are thin: they take validated input, call :class:`SandboxService` and shape JSON.
Every failure leaves as ``{"error": {"code", "message"}}``; bad input is a 4xx, never a 500.
"""

from __future__ import annotations

import json
import logging
import mimetypes
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, quote

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import APIKeyHeader
from starlette.exceptions import HTTPException as StarletteHTTPException

from codaiq_desktop.sandbox import builds, errors, schemas
from codaiq_desktop.sandbox.analytics import PageView, is_preview_request
from codaiq_desktop.sandbox.config import SandboxConfig
from codaiq_desktop.sandbox.faults import FaultRule
from codaiq_desktop.sandbox.gateway import SandboxGateway
from codaiq_desktop.sandbox.plans import PLANS
from codaiq_desktop.sandbox.public_api import add_public_routes, error_responses, json_response
from codaiq_desktop.sandbox.service import VERSION, Caller, SandboxService

log = logging.getLogger(__name__)

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="Your API key.")


def create_app(config: SandboxConfig | None = None, *, service: SandboxService | None = None) -> SandboxGateway:
    """Build the ASGI app for ``config`` (or around an existing ``service``).

    The returned app starts and stops the service's background work through the ASGI
    lifespan, so ``uvicorn --factory`` works too; :class:`SandboxServer` drives it
    directly. ``app.service`` is the service, ``app.app`` the FastAPI app inside.
    """
    if service is None:
        if config is None:
            raise TypeError("create_app needs a config or a service")
        service = SandboxService(config)
    sandbox = service

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await sandbox.start()
        try:
            yield
        finally:
            await sandbox.stop()

    app = FastAPI(
        title="Codaiq API (local sandbox)",
        version=VERSION,
        description=(
            "A local, Codaiq-compatible server: the public API under /api plus sandbox-only "
            'routes under /api/sandbox. Errors are {"error": {"code", "message"}}.'
        ),
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},  # local tool: nothing to report to
        docs_url="/docs",
        redoc_url=None,
    )
    _install_error_handlers(app)
    public_routes = add_public_routes(app, sandbox)
    _add_sandbox_routes(app, sandbox)
    _add_site_routes(app, sandbox)
    return SandboxGateway(app, sandbox, public_routes)


# -- errors -------------------------------------------------------------------------
def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.ApiError)
    async def api_error(_: Request, exc: errors.ApiError) -> Response:
        return Response(exc.body(), exc.status, exc.headers, media_type="application/json")

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> Response:
        return _error_response(errors.from_validation_errors(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = {404: "No such route.", 405: "Method not allowed on this route."}.get(
            exc.status_code, str(exc.detail)
        )
        return Response(
            errors.error_body(code, message), exc.status_code, dict(exc.headers or {}), media_type="application/json"
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> Response:
        log.exception("Unexpected error in the sandbox")
        return _error_response(errors.ApiError(500, "internal_error", "The sandbox hit an unexpected error."))


def _error_response(error: errors.ApiError) -> Response:
    return Response(error.body(), error.status, error.headers, media_type="application/json")


# -- sandbox-only ---------------------------------------------------------------------
def _add_sandbox_routes(app: FastAPI, sandbox: SandboxService) -> None:
    from fastapi import Security

    def keyed(request: Request) -> Caller:
        return sandbox.authenticate(request.headers.get("x-api-key"))[0]

    security = [Security(_api_key)]

    @app.post(
        "/api/sandbox/keys",
        status_code=201,
        response_model=None,
        responses={201: {"model": schemas.KeyResponse}, **error_responses(400, 413, 422)},
        summary="Create an API key on a plan (no key needed: the sandbox is local)",
        tags=["sandbox"],
    )
    async def create_key(body: schemas.KeyRequest = Body(default_factory=schemas.KeyRequest)) -> Response:
        account = body.account.strip() if body.account else None
        key, account = sandbox.create_key(body.plan, account or None, body.burstPerMinute)
        return json_response({"key": key, "plan": body.plan, "account": account}, 201)

    @app.put(
        "/api/sandbox/webhook",
        response_model=None,
        dependencies=security,
        responses={200: {"model": schemas.WebhookResponse}, **error_responses(400, 401, 413, 422)},
        summary="Set the account's default webhook (all its projects without their own)",
        tags=["sandbox"],
    )
    async def set_account_webhook(request: Request, body: schemas.WebhookRequest) -> Response:
        caller = keyed(request)
        url, secret = _check_webhook(body)
        sandbox.set_account_webhook(caller, url, secret)
        return json_response({"url": url, "scope": "account", "projectId": None})

    @app.delete(
        "/api/sandbox/webhook",
        response_model=None,
        dependencies=security,
        responses={200: {"model": schemas.Cleared}, **error_responses(401)},
        summary="Clear the account's default webhook",
        tags=["sandbox"],
    )
    async def clear_account_webhook(request: Request) -> Response:
        return json_response({"cleared": sandbox.clear_account_webhook(keyed(request))})

    @app.put(
        "/api/sandbox/projects/{projectId}/webhook",
        response_model=None,
        dependencies=security,
        responses={200: {"model": schemas.WebhookResponse}, **error_responses(400, 401, 403, 404, 413, 422)},
        summary="Set one project's webhook",
        tags=["sandbox"],
    )
    async def set_project_webhook(request: Request, projectId: str, body: schemas.WebhookRequest) -> Response:
        caller = keyed(request)
        url, secret = _check_webhook(body)
        sandbox.set_project_webhook(caller, projectId, url, secret)
        return json_response({"url": url, "scope": "project", "projectId": projectId})

    @app.delete(
        "/api/sandbox/projects/{projectId}/webhook",
        response_model=None,
        dependencies=security,
        responses={200: {"model": schemas.Cleared}, **error_responses(401, 403, 404)},
        summary="Clear one project's webhook (it falls back to the account's)",
        tags=["sandbox"],
    )
    async def clear_project_webhook(request: Request, projectId: str) -> Response:
        return json_response({"cleared": sandbox.clear_project_webhook(keyed(request), projectId)})

    @app.get(
        "/api/sandbox/deliveries",
        response_model=None,
        dependencies=security,
        responses={200: {"model": schemas.DeliveryList}, **error_responses(401, 403, 404, 422)},
        summary="Webhook deliveries of the key's account, newest first",
        tags=["sandbox"],
    )
    async def deliveries(
        request: Request, projectId: str | None = Query(default=None), limit: int = Query(default=50, ge=1, le=500)
    ) -> Response:
        caller = keyed(request)
        if projectId is not None:
            sandbox.project_for(caller, projectId)
        rows = sandbox.db.list_deliveries(caller.account, projectId, limit)
        return json_response({"deliveries": [row.to_json() for row in rows]})

    @app.post(
        "/api/sandbox/simulate",
        response_model=None,
        dependencies=security,
        responses={200: {"model": schemas.SimulateResponse}, **error_responses(400, 401, 403, 404, 413, 422)},
        summary="Fill a website's analytics with simulated visits",
        tags=["sandbox"],
    )
    async def simulate(request: Request, body: schemas.SimulateRequest) -> Response:
        caller = keyed(request)
        return json_response({"pageviews": sandbox.simulate(caller, body.websiteId, body.days)})

    @app.get(
        "/api/sandbox/faults",
        response_model=None,
        responses={200: {"model": schemas.FaultsResponse}},
        summary="The active fault rules",
        tags=["sandbox"],
    )
    async def get_faults() -> Response:
        return json_response({"rules": [rule.to_json() for rule in sandbox.faults.rules]})

    @app.put(
        "/api/sandbox/faults",
        response_model=None,
        responses={200: {"model": schemas.FaultsResponse}, **error_responses(400, 413, 422)},
        summary="Replace the fault rules",
        tags=["sandbox"],
    )
    async def put_faults(body: schemas.FaultsRequest) -> Response:
        rules = [
            FaultRule(
                path=rule.path,
                kind=rule.kind,
                method=rule.method.upper() if rule.method else None,
                status=rule.status,
                delay=rule.delay,
                retry_after=rule.retryAfter,
                count=rule.count,
                probability=rule.probability,
            )
            for rule in body.rules
        ]
        sandbox.faults.replace(rules)
        return json_response({"rules": [rule.to_json() for rule in rules]})

    @app.delete(
        "/api/sandbox/faults",
        response_model=None,
        responses={200: {"model": schemas.FaultsResponse}},
        summary="Remove every fault rule",
        tags=["sandbox"],
    )
    async def clear_faults() -> Response:
        sandbox.faults.clear()
        return json_response({"rules": []})

    @app.get(
        "/api/sandbox/info",
        response_model=None,
        responses={200: {"model": schemas.InfoResponse}},
        summary="Sandbox version and the plans' limits",
        tags=["sandbox"],
    )
    async def info() -> Response:
        return json_response(
            {
                "version": VERSION,
                "plans": {
                    plan.name: {"requestsPerDay": plan.day_quota, "burstPerMinute": plan.per_minute}
                    for plan in PLANS.values()
                },
            }
        )


def _check_webhook(body: schemas.WebhookRequest) -> tuple[str, str]:
    url = body.url.strip()
    if not (url.startswith("http://") or url.startswith("https://")) or len(url) > 2000 or " " in url:
        raise errors.unprocessable("'url' must be an http:// or https:// URL.")
    if not body.secret or len(body.secret) > 500:
        raise errors.unprocessable("'secret' must be 1 to 500 characters.")
    return url, body.secret


# -- built sites ---------------------------------------------------------------------
_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


def _add_site_routes(app: FastAPI, sandbox: SandboxService) -> None:
    @app.api_route("/sites/{website_id}", methods=["GET", "HEAD"], include_in_schema=False)
    async def site_root(website_id: str) -> Response:
        return RedirectResponse(f"/sites/{quote(website_id)}/", status_code=308)

    @app.api_route("/sites/{website_id}/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def site_file(request: Request, website_id: str, path: str) -> Response:
        website = sandbox.db.get_website(website_id)
        if website is None:
            return _site_page(404, "Site not found", "There is no website with this id in the sandbox.")
        if not sandbox.sites.is_built(website_id):
            status = website.metadata.get("buildStatus")
            if status == builds.FAILED:
                reason = str(website.metadata.get("buildError") or "The build failed.")
                return _site_page(404, "This site failed to build", reason)
            step = website.metadata.get("buildStep") or "Queued"
            return _site_page(
                503,
                "This site is being built",
                f"{step} ({website.metadata.get('buildProgress', 0)}%). This page reloads by itself.",
                refresh=True,
            )
        file = sandbox.sites.resolve(website_id, path)
        if file is None:
            return _site_page(404, "Page not found", "This site has no such page.")
        media_type = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        counted = not is_preview_request(request.headers, request.query_params)  # the owner's preview is no visit
        if file.suffix == ".html" and request.method == "GET" and counted:  # HEAD is not a view
            page = "/" + file.relative_to(sandbox.sites.folder(website_id)).as_posix()
            sandbox.record_view(
                PageView(
                    website_id=website_id,
                    path="/" if page == "/index.html" else page,
                    referrer=request.headers.get("referer"),
                    ip=request.client.host if request.client else "0.0.0.0",
                    user_agent=request.headers.get("user-agent", ""),
                    at=sandbox.clock(),
                    own_host=request.headers.get("host"),
                )
            )
        return Response(file.read_bytes(), media_type=media_type, headers={"Cache-Control": "no-cache"})

    @app.post("/sites/{website_id}/lead", include_in_schema=False)
    async def site_lead(request: Request, website_id: str) -> Response:
        raw = await request.body()
        wants_json = "application/json" in request.headers.get("content-type", "")
        try:
            if wants_json:
                fields = json.loads(raw or b"null")
                if not isinstance(fields, dict):
                    raise errors.bad_request("The body must be a JSON object.", "invalid_json")
            else:
                parsed = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
                fields = {key: values[0] for key, values in parsed.items()}
            fields = with_details_in_message(fields)
            receipt = sandbox.submit_lead(None, website_id, fields, source="site")
            await sandbox.db.committed()
        except json.JSONDecodeError:
            return _error_response(errors.bad_request("The body is not valid JSON.", "invalid_json"))
        except errors.ApiError as exc:
            if wants_json:
                return _error_response(exc)
            return _site_page(exc.status, "Please check the form", exc.message, back=True)
        if wants_json:
            return json_response(receipt, 201)
        return RedirectResponse(f"/sites/{quote(website_id)}/pages/thanks.html", status_code=303)

    # A site by its domain, as the real service serves it (sandbox domains resolve nowhere, so
    # under /domains/<domain>/): how the app previews a site whose id the service did not send.
    @app.api_route("/domains/{domain}", methods=["GET", "HEAD"], include_in_schema=False)
    async def domain_root(domain: str) -> Response:
        return RedirectResponse(f"/domains/{quote(domain)}/", status_code=308)

    @app.api_route("/domains/{domain}/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def domain_file(request: Request, domain: str, path: str) -> Response:
        website_id = sandbox.db.website_id_for_domain(domain)
        if website_id is None:
            return _site_page(404, "Site not found", "There is no website with this domain in the sandbox.")
        return await site_file(request, website_id, path)

    @app.post("/domains/{domain}/lead", include_in_schema=False)
    async def domain_lead(request: Request, domain: str) -> Response:
        website_id = sandbox.db.website_id_for_domain(domain)
        if website_id is None:
            return _site_page(404, "Site not found", "There is no website with this domain in the sandbox.")
        return await site_lead(request, website_id)


_DETAIL_PREFIX = "detail_"


def with_details_in_message(fields: dict[str, object]) -> dict[str, object]:
    """A site form's extra fields (``detail_party_size`` ...) folded into the message as
    "Party size: 4" lines: a lead has name, email, phone and message, and nothing the
    visitor typed may be lost. The form script does the same for an exported site."""
    lines = []
    for key, value in fields.items():
        if key.startswith(_DETAIL_PREFIX) and isinstance(value, str) and value.strip():
            label = key[len(_DETAIL_PREFIX) :].replace("_", " ")
            lines.append(f"{label[:1].upper()}{label[1:]}: {value.strip()}")
    if not lines:
        return fields
    message = fields.get("message")
    text = "\n".join(lines)
    if isinstance(message, str) and message.strip():
        text += "\n\n" + message.strip()
    return {**fields, "message": text}


def _site_page(status: int, title: str, message: str, *, refresh: bool = False, back: bool = False) -> Response:
    from html import escape

    meta = '<meta http-equiv="refresh" content="2">' if refresh else ""
    link = '<p><a href="javascript:history.back()">Go back to the form</a></p>' if back else ""
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>{meta}'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">'
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>{link}</body></html>"
    )
    headers = {"Retry-After": "2"} if refresh else {}
    return HTMLResponse(html, status, headers)
