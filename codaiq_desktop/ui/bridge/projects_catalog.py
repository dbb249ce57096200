"""The active account's projects list, loaded once for every tab that wants it.

Several tabs want the list when an account connects (names for filters and columns);
one request serves them all, and the website names are remembered so tabs that show
only ids (Events, Leads) can name sites without asking the service again. Sites this
app generated are added from the store's registry: a service may list them without the
ids the docs promise only in the ``generate`` answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    import asyncio

    from codaiq_desktop.api import CodaiqClient
    from codaiq_desktop.api.models import GenerateResult, Project
    from codaiq_desktop.store import Store
    from codaiq_desktop.ui.common.store_reader import StoreReader

#: Website webhooks within this many milliseconds make one :attr:`ProjectsCatalog.sig_projects_changed`.
PROJECTS_CHANGED_DEBOUNCE_MS = 300

#: What the catalog reads from its owner at each call: the client, the store's reader and the account label.
Context = Callable[[], "tuple[CodaiqClient | None, StoreReader[Store] | None, str | None]"]


class ProjectsCatalog(QObject):
    """Shared loads of the projects list, the website names it taught, the generated-sites registry."""

    sig_projects_changed = Signal()
    """Projects or websites changed on the server (a generation, an edit, a webhook)."""

    sig_website_names = Signal()
    """:attr:`website_names` changed (a tab loaded the projects list)."""

    def __init__(self, context: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.website_names: dict[str, str] = {}
        """Website id → name of the active account, from the last projects list any tab loaded."""
        self.projects_note: str | None = None
        """Why the last projects load could not use the service's list (shown by the Projects tab)."""
        self._load: asyncio.Future[list[Project]] | None = None
        self._load_client: CodaiqClient | None = None
        self._changed_timer: QTimer | None = None

    def forget_names(self) -> None:
        """Another account is active: the names learned so far are not its sites."""
        if self.website_names:
            self.website_names = {}
            self.sig_website_names.emit()

    def note_website_event(self) -> None:
        """A website webhook arrived: a burst of them makes one ``sig_projects_changed``."""
        if self._changed_timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(PROJECTS_CHANGED_DEBOUNCE_MS)
            timer.timeout.connect(self.sig_projects_changed)
            self._changed_timer = timer
        if not self._changed_timer.isActive():
            self._changed_timer.start()

    def remember(self, projects: list[Project]) -> None:
        """Keep the website names of a freshly loaded projects list, for tabs that show only ids."""
        names = {
            website.id: website.name or website.domain or website.id
            for project in projects
            for website in project.websites
            if website.id is not None
        }
        if names != self.website_names:
            self.website_names = names
            self.sig_website_names.emit()

    async def load(self, *, fresh: bool = False) -> list[Project]:
        """The active account's projects; callers at the same moment share one request.

        Cancelling one caller does not cancel the others' request. ``fresh`` starts a new
        request even if one is in flight (after a change, an older answer is stale).
        """
        import asyncio

        client = self._context()[0]
        if client is None:
            raise RuntimeError("No account is connected; choose one under Account first.")
        shared = self._load
        if fresh or shared is None or shared.done() or self._load_client is not client:
            shared = asyncio.ensure_future(self._load_known(client))
            shared.add_done_callback(_retrieve_exception)
            self._load, self._load_client = shared, client
        projects = list(await asyncio.shield(shared))
        if client is self._context()[0]:
            self.remember(projects)
        return projects

    async def load_names(self) -> dict[str, str]:
        """Load the projects list only for its names (when no tab has loaded it yet)."""
        if self._context()[0] is not None:
            await self.load()
        return self.website_names

    async def _load_known(self, client: CodaiqClient) -> list[Project]:
        """The service's list completed with the sites this app generated (``known_projects``)."""
        from codaiq_desktop.known_projects import load_known_projects

        _, reader, account = self._context()
        generated = await reader.read(lambda store: store.generated_sites(account)) if reader is not None else []
        known = await load_known_projects(client, generated)
        if reader is not None and known.learned_domains:
            await reader.store.set_generated_site_domains_async(account, known.learned_domains)
        if client is self._context()[0]:
            self.projects_note = known.list_note
        return known.projects

    async def record_generated(self, result: GenerateResult, prompt: str, name: str | None) -> None:
        """Keep a ``generate`` result in the store's registry: the ids the docs promise only there."""
        import datetime as dt

        from codaiq_desktop.store import GeneratedSite

        _, reader, account = self._context()
        if reader is None:
            return
        site = GeneratedSite(
            account=account,
            project_id=result.project_id,
            website_id=result.website_id,
            prompt=prompt,
            name=name or None,
            created_at=dt.datetime.now(dt.UTC),
        )
        await reader.store.record_generated_site_async(site)

    async def note_site_domain(self, website_id: str, domain: str) -> None:
        """The service named a generated site's domain: keep it, to find the site in id-less lists."""
        _, reader, account = self._context()
        if reader is not None and domain:
            await reader.store.set_generated_site_domains_async(account, {website_id: domain})


def _retrieve_exception(future: asyncio.Future[Any]) -> None:
    """A shared load whose every caller was cancelled: its error is nobody's to report."""
    if not future.cancelled():
        future.exception()
