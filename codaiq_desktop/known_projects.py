"""The service's projects list, completed with the app's registry of generated sites.

The public docs promise ids only from ``POST /api/generate``; the list call may send
websites without ids, without their projects, or not answer with a list at all. The app
keeps every ``generate`` result (``store.GeneratedSite``), so its own sites are matched
back into the list and carry their ids again:

1. a listed website with the registered id is that site;
2. else an id-less listed website with the registered domain (learned the first time the
   service named the site), or the only id-less website of the registered project;
3. else, when the list could not be read or names websites without ids, one
   ``GET /api/project?projectId=`` (documented) per site, at most ``max_lookups`` per
   load, picks the site out of its project;
4. a site still not found is shown from the registry alone (status unknown), so it
   stays reachable; one whose project the service says is gone (404/403) is left out.

A list that names every website by id is taken at its word: a registered site missing
from it is gone (deleted, or made on another sandbox), and costs no request.

Websites the service lists without ids that are not the app's stay listed with
``id=None``; the UI says which actions need an id. No Qt here.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from codaiq_desktop.api import CodaiqClient, errors, models
from codaiq_desktop.store.generated_sites import GeneratedSite

log = logging.getLogger(__name__)

MAX_LOOKUPS = 10
"""Project reads per load for registered sites the list did not name (a free plan allows 10 a minute)."""


@dataclass
class KnownProjects:
    """What a load found: the projects to show, and what was learned or could not be read."""

    projects: list[models.Project]
    learned_domains: dict[str, str] = field(default_factory=dict)
    """Website id -> the domain the service gave it (to keep in the registry)."""
    list_note: str | None = None
    """Why the list call gave nothing to show (it failed, or its shape was unknown)."""
    from_registry_only: list[str] = field(default_factory=list)
    """Website ids shown from the registry alone: the service did not list or show them."""


@dataclass
class _Pool:
    """The listed websites, grouped by project (``None``: listed without one), that may be claimed."""

    by_project: dict[str | None, list[models.Website]]

    def claim(self, project_id: str | None, predicate: object) -> models.Website | None:
        sites = self.by_project.get(project_id, [])
        for index, website in enumerate(sites):
            if callable(predicate) and predicate(website):
                return sites.pop(index)
        return None

    def unnamed(self, project_id: str | None) -> list[models.Website]:
        return [website for website in self.by_project.get(project_id, []) if website.id is None]

    def drop_domain(self, domain: str | None) -> None:
        if not domain:
            return
        for sites in self.by_project.values():
            sites[:] = [w for w in sites if not (w.id is None and w.domain == domain)]


async def load_known_projects(
    client: CodaiqClient, generated: Sequence[GeneratedSite], *, max_lookups: int = MAX_LOOKUPS
) -> KnownProjects:
    """The account's projects from the service, with the registry's sites matched in (see above).

    Raises what the list call raises for the key, the network or the quota; a list whose
    shape is unknown (or that the service does not offer) is a ``list_note`` instead.
    """
    note = None
    try:
        listed = await client.list_projects()
    except (errors.InvalidResponseError, errors.NotFoundError, errors.ValidationError) as exc:
        if not generated:
            raise
        log.warning("The projects list could not be read (%s); showing the sites generated here", type(exc).__name__)
        note = f"The service did not list the projects ({exc}) Showing the sites generated in this app."
        listed = []
    return await complete_with_registry(client, listed, generated, max_lookups=max_lookups, list_note=note)


async def complete_with_registry(
    client: CodaiqClient,
    listed: Sequence[models.Project],
    generated: Sequence[GeneratedSite],
    *,
    max_lookups: int = MAX_LOOKUPS,
    list_note: str | None = None,
) -> KnownProjects:
    """Match the registry's sites into ``listed`` (see the module docstring)."""
    known_ids: set[str] = {website.id for project in listed for website in project.websites if website.id}
    meta = {project.id: project for project in listed}
    pool = _Pool({project.id: list(project.websites) for project in listed})
    found: dict[str, list[models.Website]] = {}  # project id -> registered sites found without their id
    learned: dict[str, str] = {}
    registry_only: list[str] = []
    lookups = 0
    by_id = {website.id: website for project in listed for website in project.websites if website.id}
    ids_complete = list_note is None and all(w.id is not None for project in listed for w in project.websites)
    for site in generated:
        if site.website_id in known_ids:
            listed_site = by_id.get(site.website_id)
            if listed_site is not None and listed_site.domain and listed_site.domain != site.domain:
                learned[site.website_id] = listed_site.domain
            continue
        website = _claim_listed(pool, site)
        if website is None and ids_complete:
            continue  # the service lists its websites by id, and this one is not among them
        if website is None and lookups < max_lookups:
            lookups += 1
            try:
                website = await _look_up(client, site)
            except (errors.NotFoundError, errors.PermissionDeniedError):
                log.info("Generated site %s is no longer on the service; not shown", site.website_id)
                continue
            except errors.CodaiqError as exc:
                log.info("Could not look up generated site %s: %s", site.website_id, type(exc).__name__)
                website = None
            if website is not None:
                pool.drop_domain(website.domain)  # the same site, listed without its id
        if website is None:
            registry_only.append(site.website_id)
            website = _from_registry(site)
        else:
            website = dataclasses.replace(website, id=site.website_id, project_id=site.project_id)
            if website.domain and website.domain != site.domain:
                learned[site.website_id] = website.domain
        found.setdefault(site.project_id, []).append(website)
        known_ids.add(site.website_id)
    projects: list[models.Project] = []
    for project_id, websites in pool.by_project.items():
        extra = tuple(found.pop(project_id, [])) if project_id is not None else ()
        if not websites and not extra:
            continue
        if project_id is not None and project_id in meta:
            projects.append(dataclasses.replace(meta[project_id], websites=tuple(websites) + extra))
        elif websites or extra:
            projects.append(models.Project.of_websites(project_id, tuple(websites) + extra))
    for project_id, websites in found.items():
        projects.append(_registry_project(project_id, websites, generated))
    # Keep the list's own projects, even empty ones (the service said they exist).
    shown = {project.id for project in projects}
    projects += [project for project in listed if project.id not in shown and project.id is not None]
    return KnownProjects(projects, learned, list_note, registry_only)


def _claim_listed(pool: _Pool, site: GeneratedSite) -> models.Website | None:
    """An id-less listed website that is ``site``: by domain, else its project's only one."""
    if site.domain:
        for project_id in (site.project_id, None):
            website = pool.claim(project_id, lambda w, d=site.domain: w.id is None and w.domain == d)
            if website is not None:
                return website
        # Listed under another project the list named: still the same domain.
        for project_id in list(pool.by_project):
            website = pool.claim(project_id, lambda w, d=site.domain: w.id is None and w.domain == d)
            if website is not None:
                return website
    unnamed = pool.unnamed(site.project_id)
    if len(unnamed) == 1 and len(pool.by_project.get(site.project_id, [])) == 1:
        return pool.claim(site.project_id, lambda w: w.id is None)
    return None


async def _look_up(client: CodaiqClient, site: GeneratedSite) -> models.Website | None:
    """The site read from its project (documented call); ``None`` when the answer cannot say which."""
    try:
        return await client.get_website(site.project_id, site.website_id, domain=site.domain)
    except errors.InvalidResponseError:
        return None


def _from_registry(site: GeneratedSite) -> models.Website:
    """What the app knows of a site the service did not show: ids, name, domain; status unknown."""
    return models.Website(
        id=site.website_id,
        project_id=site.project_id,
        name=site.name,
        domain=site.domain,
        created_at=site.created_at,
        updated_at=None,
        metadata={},
        raw={},
    )


def _registry_project(
    project_id: str, websites: list[models.Website], generated: Sequence[GeneratedSite]
) -> models.Project:
    """A project the list did not name, known from the registry (named after its first site)."""
    first = next((site for site in reversed(generated) if site.project_id == project_id), None)
    name = (first.name if first is not None else None) or next((w.name for w in websites if w.name), None)
    created = first.created_at if first is not None else None
    return models.Project(id=project_id, name=name, created_at=created, websites=tuple(websites), raw={})
