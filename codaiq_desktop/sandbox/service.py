"""What the sandbox does, apart from HTTP: keys, projects, builds, leads, analytics, webhooks.

Routes validate and translate; this class owns the rules (who may see what, which event
fires when) so the command line and tests can drive the same behaviour without a socket.
Everything here runs on the sandbox's event loop.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from codaiq_desktop.sandbox import builds, errors
from codaiq_desktop.sandbox.analytics import Analytics, PageView, TrafficSimulator
from codaiq_desktop.sandbox.clock import iso_utc
from codaiq_desktop.sandbox.config import SandboxConfig
from codaiq_desktop.sandbox.database import KeyRecord, ProjectRow, SandboxDatabase, WebsiteRow
from codaiq_desktop.sandbox.faults import FaultSwitch
from codaiq_desktop.sandbox.plans import PLANS, RateLimiter
from codaiq_desktop.sandbox.site_files import SiteFiles
from codaiq_desktop.sandbox.site_generator import (
    GeneratedSite,
    GenerationError,
    SiteDetails,
    business_name,
    generate_site,
)
from codaiq_desktop.sandbox.validation import BUILD_KEYS, MAX_NAME_CHARS, validate_lead
from codaiq_desktop.sandbox.webhooks import WebhookDispatcher, account_scope, project_scope

SITE_DETAIL_KEYS = frozenset({"seoTitle", "seoDescription"})
"""Metadata that the built pages show (title, description, Open Graph), besides the name."""

log = logging.getLogger(__name__)

VERSION = "1.0.0"
DEFAULT_ACCOUNT = "default"
DEFAULT_PLAN = "agency"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's account and plan."""

    key_id: str
    account: str
    plan: str


def shown(identifier: str, limit: int = 64) -> str:
    """An id as echoed in an error message: shortened, so a huge input is not sent back whole."""
    return identifier if len(identifier) <= limit else identifier[: limit - 3] + "..."


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:48].strip("-") or "site"


class SandboxService:
    """The sandbox's state and rules; one instance per data dir, used from one event loop."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.clock = config.clock
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = SandboxDatabase(config.data_dir / "sandbox.sqlite3")
        self.sites = SiteFiles(config.data_dir / "sites")
        self.limiter = RateLimiter(self.clock)
        self.faults = FaultSwitch()
        self.analytics = Analytics(self.db, self.clock)
        self.simulator = TrafficSimulator(self.analytics, self.clock)
        self.webhooks = WebhookDispatcher(
            self.db,
            self.clock,
            config.webhook_retry_delays,
            config.webhook_timeout,
            user_agent=f"Codaiq-Sandbox-Webhooks/{VERSION}",
        )
        self.builds = builds.BuildRunner(
            self.sites, config.build_seconds, self._apply_build_status, self._build_finished, self.site_details
        )
        self._detail_writes: dict[str, asyncio.Lock] = {}
        self._detail_tasks: set[asyncio.Task[None]] = set()
        self._keys: dict[str, KeyRecord | None] = {}
        self.default_api_key = self._ensure_default_key()
        self._started = False

    # -- lifecycle ------------------------------------------------------------
    async def start(self) -> None:
        """Start background work: webhook deliveries, and builds a restart interrupted."""
        if self._started:
            return
        self._started = True
        await self.webhooks.start()
        for website in self.db.websites_with_status({builds.QUEUED, builds.BUILDING}):
            self.builds.start(website.id, website.prompt, website.requested_name)

    async def stop(self) -> None:
        if not self._started:
            self.db.close()
            return
        self._started = False
        await self.builds.stop()
        await self.webhooks.stop()
        self.db.close()

    async def settle(self) -> None:
        """Wait for running builds and webhook deliveries (tests and the simulator use it)."""
        await self.builds.wait_idle()
        await self.webhooks.drain()

    def now(self) -> str:
        return iso_utc(self.clock())

    # -- keys -------------------------------------------------------------------
    def _ensure_default_key(self) -> str:
        key = self.db.get_meta("default_api_key")
        if key is None:
            key = self.create_key(DEFAULT_PLAN, DEFAULT_ACCOUNT)[0]
            self.db.set_meta("default_api_key", key)
        return key

    def create_key(self, plan: str, account: str | None = None, per_minute: int | None = None) -> tuple[str, str]:
        """A new key on ``plan`` for ``account`` (a new account when omitted); returns (key, account)."""
        if plan not in PLANS:
            raise errors.unprocessable(f"'plan' must be one of: {', '.join(PLANS)}.")
        account = account or f"acct_{secrets.token_hex(6)}"
        key = f"cdq_sbx_{secrets.token_hex(20)}"
        self.db.add_key(key, f"key_{secrets.token_hex(6)}", plan, account, per_minute, self.now())
        return key, account

    def authenticate(self, api_key: str | None) -> tuple[Caller, int | None, int]:
        """The caller behind ``api_key`` and its (day quota, per-minute) limits; 401 otherwise."""
        if not api_key:
            raise errors.unauthorized("Missing API key: send it in the X-API-Key header.")
        record = self._keys.get(api_key)
        if record is None:
            record = self.db.find_key(api_key)
            if record is None:
                raise errors.unauthorized("Unknown API key.")
            self._keys[api_key] = record
        plan = PLANS[record.plan]
        per_minute = record.per_minute if record.per_minute is not None else plan.per_minute
        return Caller(record.key_id, record.account, record.plan), plan.day_quota, per_minute

    # -- projects and websites ------------------------------------------------------
    def project_for(self, caller: Caller, project_id: str) -> ProjectRow:
        """The project, if the caller's account owns it: 404 when unknown, 403 when someone else's."""
        project = self.db.get_project(project_id)
        if project is None:
            raise errors.not_found(f"No project with id '{shown(project_id)}'.")
        if project.account != caller.account:
            raise errors.forbidden("This API key may not access that project.")
        return project

    def website_for(self, caller: Caller | None, website_id: str, project_id: str | None = None) -> WebsiteRow:
        """The website, if the caller may see it (``None``: the site's own form, open to all).

        With ``project_id`` (already checked with :meth:`project_for`), the website must also
        belong to that project.
        """
        website = self.db.get_website(website_id)
        if website is None:
            raise errors.not_found(f"No website with id '{shown(website_id)}'.")
        if caller is not None and website.account != caller.account:
            raise errors.forbidden("This API key may not access that website.")
        if project_id is not None and website.project_id != project_id:
            raise errors.not_found(f"Website '{shown(website_id)}' is not part of project '{shown(project_id)}'.")
        return website

    def generate(self, caller: Caller, prompt: str, name: str | None, project_id: str | None) -> WebsiteRow:
        prompt = prompt.strip() if isinstance(prompt, str) else prompt
        if not prompt:
            raise errors.bad_request("'prompt' must not be empty.", "invalid_prompt")
        if len(prompt) > self.config.max_prompt_chars:
            raise errors.bad_request(
                f"'prompt' is too long (at most {self.config.max_prompt_chars} characters).", "invalid_prompt"
            )
        if name is not None:
            name = name.strip()
            if not name:
                raise errors.unprocessable("'name' must not be empty when given.")
            if len(name) > MAX_NAME_CHARS:
                raise errors.unprocessable(f"'name' is too long (at most {MAX_NAME_CHARS} characters).")
        now = self.now()
        display_name = (name or business_name(prompt))[:MAX_NAME_CHARS]
        if project_id is not None:
            project = self.project_for(caller, project_id)
        else:
            project = ProjectRow(f"prj_{secrets.token_hex(8)}", caller.account, display_name, now)
            self.db.add_project(project)
        website_id = f"web_{secrets.token_hex(8)}"
        metadata: dict[str, Any] = {
            "buildStatus": builds.QUEUED,
            "buildProgress": 0,
            "buildStep": "Waiting for a builder",
            "seoTitle": None,
            "seoDescription": None,
            "publishedAt": None,
        }
        website = WebsiteRow(
            id=website_id,
            project_id=project.id,
            account=caller.account,
            name=display_name,
            domain=f"{slugify(display_name)}-{website_id[-6:]}.sandbox.codaiq.site",
            prompt=prompt,
            created_at=now,
            updated_at=now,
            metadata=metadata,
            requested_name=name,
        )
        self.db.add_website(website)
        self.webhooks.emit(
            "website.created",
            account=caller.account,
            project_id=project.id,
            website_id=website_id,
            data={"name": display_name, "prompt": prompt, "status": builds.QUEUED},
        )
        self.builds.start(website_id, prompt, name)
        return website

    def list_projects(self, caller: Caller) -> list[dict[str, Any]]:
        projects = self.db.list_projects(caller.account)
        websites = self.db.websites_of_projects([p.id for p in projects])
        return [
            {
                "id": project.id,
                "name": project.name,
                "createdAt": project.created_at,
                "websites": [w.to_json() for w in websites[project.id]],
            }
            for project in projects
        ]

    def get_project(self, caller: Caller, project_id: str) -> dict[str, Any]:
        project = self.project_for(caller, project_id)
        websites = [w.to_json() for w in self.db.websites_of_projects([project.id])[project.id]]
        return {
            "project": {"id": project.id, "name": project.name, "createdAt": project.created_at, "websites": websites},
            "websites": websites,
        }

    def update_website(
        self, caller: Caller, project_id: str, website_id: str, name: str | None, metadata: dict[str, Any] | None
    ) -> WebsiteRow:
        self.project_for(caller, project_id)
        website = self.website_for(caller, website_id, project_id)
        if name is not None:
            name = name.strip()
            if not name:
                raise errors.unprocessable("'name' must not be empty.")
            if len(name) > MAX_NAME_CHARS:
                raise errors.unprocessable(f"'name' is too long (at most {MAX_NAME_CHARS} characters).")
        changes = dict(metadata or {})
        owned = sorted(BUILD_KEYS & changes.keys())
        if owned:
            raise errors.unprocessable(f"Metadata key '{owned[0]}' is set by the build and cannot be changed.")
        merged = dict(website.metadata)
        for key, value in changes.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        now = self.now()
        self.db.update_website(website_id, name=name, metadata=merged, updated_at=now)
        updated = self.db.get_website(website_id)
        assert updated is not None
        changed = sorted(changes) + (["name"] if name is not None else [])
        self.webhooks.emit(
            "website.updated",
            account=website.account,
            project_id=website.project_id,
            website_id=website_id,
            data={"name": updated.name, "metadata": updated.metadata, "changed": changed},
        )
        return updated

    @staticmethod
    def changes_site_details(name: str | None, metadata: dict[str, Any] | None) -> bool:
        """Whether a PATCH with these fields changes what the built pages show."""
        return name is not None or bool(SITE_DETAIL_KEYS & (metadata or {}).keys())

    def site_details(self, website_id: str) -> SiteDetails:
        """The name and search metadata the website's pages must show right now."""
        website = self.db.get_website(website_id)
        if website is None:
            return SiteDetails()
        title, description = (website.metadata.get(key) for key in ("seoTitle", "seoDescription"))
        return SiteDetails(
            name=website.name,
            seo_title=title if isinstance(title, str) else None,
            seo_description=description if isinstance(description, str) else None,
        )

    async def apply_site_details(self, website_id: str) -> None:
        """Write the website's current name, title and description into its built pages.

        A PATCH changes what the site shows without a new build: the pages are rendered
        again from the same prompt (same copy, same seed) with the new details, and replace
        the old files atomically. A website still building picks them up when it is written.
        """
        lock = self._detail_writes.setdefault(website_id, asyncio.Lock())
        async with lock:
            website = self.db.get_website(website_id)
            if website is None or website.metadata.get("buildStatus") != builds.READY:
                return
            if not self.sites.is_built(website_id):
                return
            try:
                site = await asyncio.to_thread(
                    generate_site, website.prompt, website.requested_name, self.site_details(website_id)
                )
                await asyncio.to_thread(self.sites.write, website_id, site.files)
            except (GenerationError, OSError) as exc:
                log.warning("Could not apply the new details to the site of %s: %s", website_id, exc)

    def _apply_build_status(self, website_id: str, changes: dict[str, object]) -> None:
        website = self.db.get_website(website_id)
        if website is None:
            return
        merged = dict(website.metadata)
        merged.pop("buildError", None)
        merged.update(changes)
        self.db.update_website(website_id, name=None, metadata=merged, updated_at=self.now())

    def _build_finished(self, website_id: str, site: GeneratedSite | None, error: str | None) -> None:
        website = self.db.get_website(website_id)
        if website is None or site is None:
            return
        now = self.now()
        merged = dict(website.metadata)
        merged.pop("buildError", None)
        merged.update({"buildStatus": builds.READY, "buildProgress": 100, "buildStep": "Published", "publishedAt": now})
        merged["seoTitle"] = merged.get("seoTitle") or site.seo_title
        merged["seoDescription"] = merged.get("seoDescription") or site.seo_description
        merged["siteKind"] = site.kind
        self.db.update_website(website_id, name=None, metadata=merged, updated_at=now)
        current = self.site_details(website_id)
        if (current.name, current.seo_title, current.seo_description) != (
            site.business_name,
            site.seo_title,
            site.seo_description,
        ):  # a PATCH landed after the pages were rendered
            task = asyncio.get_running_loop().create_task(self.apply_site_details(website_id))
            self._detail_tasks.add(task)
            task.add_done_callback(self._detail_tasks.discard)
        self.webhooks.emit(
            "website.published",
            account=website.account,
            project_id=website.project_id,
            website_id=website_id,
            data={"name": website.name, "domain": website.domain, "publishedAt": now, "siteKind": site.kind},
        )

    # -- leads ----------------------------------------------------------------------
    def submit_lead(
        self, caller: Caller | None, website_id: str, fields: dict[str, Any], source: str
    ) -> dict[str, Any]:
        """Record a lead (``caller`` is ``None`` for the site's own form) and fire its two events."""
        if not isinstance(website_id, str) or not website_id.strip():
            raise errors.unprocessable("'websiteId' is required.")
        lead = validate_lead(fields)
        website = self.website_for(caller, website_id)
        lead_id = f"lead_{secrets.token_hex(8)}"
        now = self.now()
        self.db.add_lead(lead_id, website, lead.name, lead.email, lead.phone, lead.message, source, now)
        contact = {
            "leadId": lead_id,
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "message": lead.message,
        }
        for event, data in (
            ("lead.captured", contact),
            ("form.submitted", {**contact, "form": "contact", "source": source}),
        ):
            self.webhooks.emit(
                event, account=website.account, project_id=website.project_id, website_id=website.id, data=data
            )
        return {"leadId": lead_id, "websiteId": website.id, "createdAt": now}

    # -- analytics ------------------------------------------------------------------
    def record_view(self, view: PageView) -> None:
        self.analytics.record([view])

    def simulate(self, caller: Caller | None, website_id: str, days: int) -> int:
        if not 1 <= days <= 365:
            raise errors.unprocessable("'days' must be between 1 and 365.")
        website = self.website_for(caller, website_id)
        pages = self.sites.html_pages(website.id)
        if len(pages) == 1:
            pages = ["/", "/pages/about.html", "/pages/services.html", "/pages/contact.html"]
        return self.simulator.simulate(website.id, days, pages)

    # -- webhooks config ---------------------------------------------------------------
    def set_account_webhook(self, caller: Caller, url: str, secret: str) -> None:
        self.webhooks.configure(account_scope(caller.account), url, secret, self.now())

    def clear_account_webhook(self, caller: Caller) -> bool:
        return self.webhooks.clear(account_scope(caller.account))

    def set_project_webhook(self, caller: Caller, project_id: str, url: str, secret: str) -> None:
        self.project_for(caller, project_id)
        self.webhooks.configure(project_scope(project_id), url, secret, self.now())

    def clear_project_webhook(self, caller: Caller, project_id: str) -> bool:
        self.project_for(caller, project_id)
        return self.webhooks.clear(project_scope(project_id))
