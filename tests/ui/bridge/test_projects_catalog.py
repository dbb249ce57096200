"""One projects request shared by every tab; website events debounced into one signal."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from codaiq_desktop.api import CodaiqClient
from codaiq_desktop.api.models import Project, Website
from codaiq_desktop.store import Store
from codaiq_desktop.ui.bridge.projects_catalog import ProjectsCatalog
from codaiq_desktop.api.observing_transport import ObservingTransport
from codaiq_desktop.ui.common.store_reader import StoreReader


class Counted:
    """A client on the session sandbox whose responses are counted."""

    def __init__(self, sandbox) -> None:
        self.responses = 0
        transport = ObservingTransport(on_response=self._count, on_failure=lambda exc: None)
        self.client = CodaiqClient(sandbox.base_url, sandbox.new_key("enterprise"), transport=transport)

    def _count(self, status: int, headers: object) -> None:
        self.responses += 1


@pytest.fixture
def counted(qloop, sandbox) -> Iterator[Counted]:
    made = Counted(sandbox)
    yield made
    qloop.run(made.client.aclose())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def catalog(qtbot, counted: Counted, store: Store) -> Iterator[ProjectsCatalog]:
    reader = StoreReader(store)
    made = ProjectsCatalog(lambda: (counted.client, reader, "Acme"))
    yield made
    made.deleteLater()
    reader.close()
    reader.deleteLater()


def test_callers_at_the_same_moment_share_one_request(qloop, catalog: ProjectsCatalog, counted: Counted) -> None:
    async def three_tabs() -> list[list[Project]]:
        return list(await asyncio.gather(catalog.load(), catalog.load(), catalog.load()))

    lists = qloop.run(three_tabs())
    assert lists[0] == lists[1] == lists[2]
    assert counted.responses == 1
    qloop.run(catalog.load(fresh=True))
    assert counted.responses == 2


def test_a_cancelled_caller_does_not_cancel_the_others(qloop, catalog: ProjectsCatalog, counted: Counted) -> None:
    async def one_gives_up() -> list[Project]:
        first = asyncio.ensure_future(catalog.load())
        second = asyncio.ensure_future(catalog.load())
        await asyncio.sleep(0)
        first.cancel()
        return await second

    assert qloop.run(one_gives_up()) == []
    assert counted.responses == 1


def test_names_are_remembered_once_per_change(catalog: ProjectsCatalog) -> None:
    changes: list[bool] = []
    catalog.sig_website_names.connect(lambda: changes.append(True))
    site = Website(id="web_1", project_id="proj_1", name="Bakery", domain=None, created_at=None, updated_at=None)
    project = Project(id="proj_1", name="Bakery", created_at=None, websites=(site,))
    catalog.remember([project])
    catalog.remember([project])
    assert catalog.website_names == {"web_1": "Bakery"}
    catalog.forget_names()
    catalog.forget_names()
    assert catalog.website_names == {} and changes == [True, True]


def test_a_burst_of_website_events_makes_one_signal(qtbot, catalog: ProjectsCatalog) -> None:
    changed: list[bool] = []
    catalog.sig_projects_changed.connect(lambda: changed.append(True))
    with qtbot.waitSignal(catalog.sig_projects_changed, timeout=5000):
        for _ in range(5):
            catalog.note_website_event()
    assert changed == [True]
    assert catalog._changed_timer is not None and not catalog._changed_timer.isActive()  # nothing more to come


def test_a_generated_site_is_kept_in_the_store(qloop, catalog: ProjectsCatalog, store: Store) -> None:
    from codaiq_desktop.api.models import GenerateResult

    result = GenerateResult(project_id="proj_9", website_id="web_9", status="queued")
    qloop.run(catalog.record_generated(result, "A bakery in Lyon", "Lyon Bakery"))
    qloop.run(catalog.note_site_domain("web_9", "lyon-bakery.example"))
    [site] = store.generated_sites("Acme")
    assert (site.website_id, site.name, site.domain) == ("web_9", "Lyon Bakery", "lyon-bakery.example")
