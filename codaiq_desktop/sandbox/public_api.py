"""The public API routes (``/api/generate``, ``/api/project``, ``/api/leads/submit``,
``/api/analytics``, ``/api/export``), served lean.

These are the routes programs hammer, so they run as plain Starlette endpoints: one
``Request`` in, one ``Response`` out, inputs validated by the same pydantic models
(compiled validators, no dependency injection per request). FastAPI still lists them in
``/openapi.json`` from the declarations below, and the schema fuzz test holds the served
behaviour to that document. FastAPI's per-request dependency solving is a large share
of a bare endpoint's cost; ``benchmarks/bench_sandbox.py`` holds these routes to a share
of a bare Starlette endpoint's requests/s.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.routing import request_response

from codaiq_desktop.sandbox import builds, documented, errors, schemas
from codaiq_desktop.sandbox.analytics import RANGES
from codaiq_desktop.sandbox.clock import parse_iso_utc
from codaiq_desktop.sandbox.gateway import BODY_KEY, Endpoint
from codaiq_desktop.sandbox.service import Caller, SandboxService, slugify

ERROR_RESPONSES: dict[int, str] = {
    400: "Malformed request (invalid JSON, empty or overlong prompt)",
    401: "Missing or unknown API key",
    403: "The key may not access this project or website",
    404: "Unknown id",
    409: "The site is not built (yet)",
    413: "Body larger than 1 MiB",
    422: "Well-formed but invalid input",
    429: "Rate limited; see Retry-After",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": schemas.ErrorBody, "description": ERROR_RESPONSES[status]} for status in statuses}


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),
        status,
        media_type="application/json",
    )


def caller_of(request: Request) -> Caller:
    caller = request.scope.get("state", {}).get("caller")
    if not isinstance(caller, Caller):  # the gateway authenticates every public route; this guards misuse
        raise errors.unauthorized("Missing API key: send it in the X-API-Key header.")
    return caller


async def read_model(request: Request, model: type[schemas.BaseModelT]) -> schemas.BaseModelT:
    """The body parsed and validated as ``model``; 400 when it is not a JSON object, 422 when a field is wrong."""
    raw = request.scope.get(BODY_KEY)
    if raw is None:
        raw = await request.body()
    if not raw.strip():
        raise errors.bad_request("A JSON object body is required.", "invalid_json")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise errors.from_validation_errors(exc.errors(include_url=False)) from None


def query_value(request: Request, name: str, *, required: bool = False) -> str | None:
    value = request.query_params.get(name)
    if value is None and required:
        raise errors.unprocessable(f"'{name}': Field required.")
    return value


def _query_parameter(name: str, description: str = "", required: bool = False, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string", **schema},
    }


def _body_spec(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {
            "application/json": {"schema": model.model_json_schema(ref_template="#/components/schemas/{model}")}
        },
    }


def add_public_routes(app: FastAPI, sandbox: SandboxService) -> dict[tuple[str, str], Endpoint]:
    """Declare the public API on ``app`` (for the document, and served lean by ``app`` too);
    returns ``{(method, path): endpoint}`` for the gateway to dispatch directly."""

    async def generate(request: Request) -> Response:
        body = await read_model(request, schemas.GenerateRequest)
        website = sandbox.generate(caller_of(request), body.prompt, body.name, body.projectId)
        return json_response(
            {"projectId": website.project_id, "websiteId": website.id, "status": website.metadata["buildStatus"]}, 202
        )

    documented_only = sandbox.config.documented_only

    async def get_project(request: Request) -> Response:
        caller = caller_of(request)
        project_id = query_value(request, "projectId")
        if project_id is None:
            projects = sandbox.list_projects(caller)
            if documented_only:
                return json_response(documented.documented_websites(w for p in projects for w in p["websites"]))
            return json_response({"projects": projects})
        project = sandbox.get_project(caller, project_id)
        if documented_only:
            return json_response(documented.documented_websites(project["websites"]))
        return json_response(project)

    async def update_website(request: Request) -> Response:
        body = await read_model(request, schemas.UpdateWebsiteRequest)
        website = sandbox.update_website(caller_of(request), body.projectId, body.websiteId, body.name, body.metadata)
        if sandbox.changes_site_details(body.name, body.metadata):
            await sandbox.apply_site_details(website.id)
        return json_response({} if documented_only else {"website": website.to_json()})

    async def submit_lead(request: Request) -> Response:
        body = await read_model(request, schemas.LeadRequest)
        receipt = sandbox.submit_lead(caller_of(request), body.websiteId, body.model_dump(), source="api")
        await sandbox.db.committed()
        return json_response({} if documented_only else receipt, 201)

    async def analytics(request: Request) -> Response:
        caller = caller_of(request)
        website_id = query_value(request, "websiteId", required=True)
        range_name = query_value(request, "range") or "7d"
        if range_name not in RANGES:
            raise errors.unprocessable(f"'range' must be one of: {', '.join(RANGES)}.")
        end_text = query_value(request, "end")
        end_at = None
        if end_text is not None:
            try:
                end_at = parse_iso_utc(end_text)
            except (ValueError, OverflowError, OSError):
                raise errors.unprocessable("'end' must be an ISO-8601 timestamp.") from None
        website = sandbox.website_for(caller, str(website_id))
        report = sandbox.analytics.report(website.id, range_name, end_at)
        return json_response(documented.documented_analytics(report) if documented_only else report)

    async def export(request: Request) -> Response:
        caller = caller_of(request)
        project_id = str(query_value(request, "projectId", required=True))
        website_id = str(query_value(request, "websiteId", required=True))
        sandbox.project_for(caller, project_id)
        website = sandbox.website_for(caller, website_id, project_id)
        status = website.metadata.get("buildStatus")
        if status != builds.READY or not sandbox.sites.is_built(website.id):
            raise errors.conflict(
                f"The website is not built yet (status: {status}); export it once it is ready.", "not_built"
            )
        return StreamingResponse(
            sandbox.sites.export_chunks(website.id),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{slugify(website.name)}.zip"'},
        )

    security: list[dict[str, list[str]]] = [{"APIKeyHeader": []}]
    routes: list[tuple[str, str, Endpoint, int, dict[int | str, dict[str, Any]], dict[str, Any], str]] = [
        (
            "POST",
            "/api/generate",
            generate,
            202,
            {202: {"model": schemas.GenerateResponse}, **error_responses(400, 401, 403, 404, 413, 422, 429)},
            {"requestBody": _body_spec(schemas.GenerateRequest)},
            "Generate a website from a text prompt",
        ),
        (
            "GET",
            "/api/project",
            get_project,
            200,
            {
                200: {
                    "description": "Without projectId: every project of the key's account. With it: that project.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "anyOf": [
                                    {"$ref": "#/components/schemas/ProjectList"},
                                    {"$ref": "#/components/schemas/ProjectDetail"},
                                ]
                            }
                        }
                    },
                },
                **error_responses(401, 403, 404, 429),
            },
            {"parameters": [_query_parameter("projectId", "Omit to list every project.")]},
            "List projects, or get one project and its websites",
        ),
        (
            "PATCH",
            "/api/project",
            update_website,
            200,
            {200: {"model": schemas.WebsiteResponse}, **error_responses(400, 401, 403, 404, 413, 422, 429)},
            {"requestBody": _body_spec(schemas.UpdateWebsiteRequest)},
            "Update a website's name or metadata",
        ),
        (
            "POST",
            "/api/leads/submit",
            submit_lead,
            201,
            {201: {"model": schemas.LeadReceipt}, **error_responses(400, 401, 403, 404, 413, 422, 429)},
            {"requestBody": _body_spec(schemas.LeadRequest)},
            "Submit a lead",
        ),
        (
            "GET",
            "/api/analytics",
            analytics,
            200,
            {200: {"model": schemas.AnalyticsResponse}, **error_responses(401, 403, 404, 422, 429)},
            {
                "parameters": [
                    _query_parameter("websiteId", required=True),
                    _query_parameter("range", "Default 7d.", enum=list(RANGES), default="7d"),
                    _query_parameter(
                        "end", "Sandbox extension: the window is [end - range, end), ISO-8601 UTC.", format="date-time"
                    ),
                ]
            },
            "Page views, visitors, top pages, referrers and a time series",
        ),
        (
            "GET",
            "/api/export",
            export,
            200,
            {
                200: {"description": "ZIP of the built site", "content": {"application/zip": {}}},
                **error_responses(401, 403, 404, 409, 422, 429),
            },
            {
                "parameters": [
                    _query_parameter("projectId", required=True),
                    _query_parameter("websiteId", required=True),
                ]
            },
            "Export the website's code as a ZIP",
        ),
    ]
    served: list[APIRoute] = []
    for method, path, endpoint, status, responses, extra, summary in routes:
        app.add_api_route(
            path,
            endpoint,
            methods=[method],
            status_code=status,
            response_model=None,
            responses=responses,
            openapi_extra={**extra, "security": security},
            summary=summary,
            name=endpoint.__name__,
        )
        route = app.router.routes.pop()
        assert isinstance(route, APIRoute) and route.endpoint is endpoint
        route.app = request_response(endpoint)  # run lean; the declaration above is for the document
        served.append(route)
    # First in the routing table (routes are matched in order), and first in the document.
    app.router.routes[:0] = served
    return {(method, path): endpoint for method, path, endpoint, *_ in routes}
