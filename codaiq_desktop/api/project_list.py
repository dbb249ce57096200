"""The service's project list and project objects, read in every shape they come in.

The documented list call answers ``{"projects": [...]}``; services seen in the field answer
a bare list, websites without their projects, or one project. Each is read into
:class:`~codaiq_desktop.api.models.Project`; anything else is an
:class:`~codaiq_desktop.api.errors.InvalidResponseError` that names what did arrive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from codaiq_desktop.api import models
from codaiq_desktop.api.errors import InvalidResponseError, NotFoundError


def _looks_like_project(item: Mapping[str, Any]) -> bool:
    """A list item is a project when it holds websites, else it is taken for a website."""
    return isinstance(item.get("websites"), list)


def _shape_of(data: object) -> str:
    """What arrived, for an error message: the JSON type and its top-level key names (never values)."""
    if isinstance(data, dict):
        keys = [str(key)[:40] for key in list(data)[:8]]
        more = ", ..." if len(data) > 8 else ""
        return f"a JSON object with keys: {', '.join(keys)}{more}" if keys else "an empty JSON object"
    if isinstance(data, list):
        return "a JSON array"
    return f"a JSON {type(data).__name__}" if data is not None else "JSON null"


def _websites_as_projects(items: list[Any]) -> list[models.Project]:
    """Websites listed without their projects, grouped by ``projectId`` (``None`` when absent)."""
    groups: dict[str | None, list[models.Website]] = {}
    for item in items:
        if not isinstance(item, Mapping):
            continue
        website = models.Website.from_json(item)
        groups.setdefault(website.project_id, []).append(website)
    return [models.Project.of_websites(project_id, tuple(sites)) for project_id, sites in groups.items()]


def read_project_list(data: object) -> list[models.Project]:
    """Every documented-or-plausible shape of the list call, as projects (see ``list_projects``)."""
    if isinstance(data, list):
        objects = [item for item in data if isinstance(item, Mapping)]
        if objects and all(_looks_like_project(item) for item in objects):
            return [models.Project.from_json(item) for item in objects]
        return _websites_as_projects(objects)
    if isinstance(data, dict):
        projects = data.get("projects")
        if isinstance(projects, list):
            return [models.Project.from_json(item) for item in projects if isinstance(item, Mapping)]
        if isinstance(data.get("project"), dict):
            return [models.Project.from_json(data["project"], websites=data.get("websites"))]
        websites = data.get("websites")
        if isinstance(websites, list):
            return _websites_as_projects(websites)
    raise InvalidResponseError(
        f"The server's project list has a shape this app does not know ({_shape_of(data)}; "
        "expected a 'projects' or 'websites' list); it does not look like a Codaiq API response."
    )


def pick_website(project: models.Project, project_id: str, website_id: str, domain: str | None) -> models.Website:
    """The website ``website_id`` of ``project``, by id when the service sends ids (see ``get_website``)."""
    for website in project.websites:
        if website.id == website_id:
            return website
    unnamed = [website for website in project.websites if website.id is None]
    if not unnamed:
        raise NotFoundError(
            f"Website {website_id} is not part of project {project_id}. Check both IDs.", 404, "website_not_found"
        )
    if len(project.websites) == 1:
        return dataclasses.replace(unnamed[0], id=website_id)
    if domain:
        by_domain = [website for website in unnamed if website.domain == domain]
        if len(by_domain) == 1:
            return dataclasses.replace(by_domain[0], id=website_id)
    raise InvalidResponseError(
        f"The service lists {len(project.websites)} websites in project {project_id} without their ids, "
        f"so this app cannot tell which one is website {website_id}."
    )
