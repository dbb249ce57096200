"""Fixtures for the UI tests: real ``AppServices`` on the session's sandbox, and a waiter.

- ``services``: an ``AppServices`` with its own settings file, account list, key file,
  data folder and store (all under ``tmp_path``), its webhook receiver started on the
  qasync loop, and connected to the session ``sandbox`` with a fresh enterprise key (a
  new sandbox account: the test sees only its own projects, and the sandbox's default
  webhook for that account points at this receiver). Closed after the test.
- ``services_key``: that key (to drive the sandbox directly as the same account).
- ``until``: ``until(predicate, timeout=20)`` runs Qt and asyncio until ``predicate()`` is
  true (fails the test on timeout). Use it instead of ``qtbot.waitUntil`` whenever the
  condition depends on asyncio work: pytest-qt's waits do not run the asyncio loop.
- ``main_window``: a ``MainWindow`` over ``services`` (not started: no first-run dialog).
- ``memory_keyring``: a real keyring backend kept in memory (the machine has none).

Tabs are built as in the app: ``XxxTab(services)``; add them with ``qtbot.addWidget``.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from codaiq_desktop.accounts import Account, AccountStore, KeyVault
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.settings import make_settings
from tests.fixtures.qt_async import QtAsyncRunner

# The preview loads Qt WebEngine lazily, which needs this before QApplication exists
# (the app sets it in run_app; conftest modules are imported before any test runs).
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

_UI_DIR = Path(__file__).parent

# Messages of the headless test machine, not of our code: the offscreen plugin on every
# shown top-level window, and Qt WebEngine finding no GPU/OpenGL (it falls back to software).
# The one list for every UI test (test files add none of their own); they belong with the
# other machine noise in pyproject's ``qt_log_ignore`` and are kept here until they move.
_HEADLESS_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",
    r"QRhiGles2: Failed to create",
    r"Failed to create RHI",
    r"GPUInfo not initialized",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _UI_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*_HEADLESS_NOISE))


@pytest.fixture(autouse=True)
def _qt_objects_die_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep Python's cyclic GC from deleting Qt objects on a background thread.

    The sandbox and the store run threads in this process; a collection they trigger
    could destroy a widget there ("Timers cannot be stopped from another thread", or a
    crash). As in the app (see ``ui/app.py``), automatic collection is off while a UI
    test runs, and garbage is collected on the GUI thread afterwards, once the widgets
    pytest-qt closed have really been deleted. Autouse here, so it covers every test
    under ``tests/ui``: test modules need no collecting fixture of their own.
    """
    if _UI_DIR not in Path(str(request.node.path)).parents:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        gc.enable()


def make_services(root: Path) -> AppServices:
    """An ``AppServices`` whose every file lives under ``root``."""
    return AppServices(
        make_settings(root / "settings.ini"),
        accounts=AccountStore(root / "accounts.json"),
        vault=KeyVault(root / "keys.json"),
        app_data_dir=root / "data",
    )


@pytest.fixture
def services_key(sandbox) -> str:  # noqa: ANN001 - the sandbox fixture's handle
    return sandbox.new_key("enterprise")


@pytest.fixture
def services(qloop: QtAsyncRunner, sandbox, services_key: str, tmp_path: Path) -> Iterator[AppServices]:  # noqa: ANN001
    svc = make_services(tmp_path / "app")
    qloop.run(svc.start(store_path=tmp_path / "app" / "store.sqlite3"))
    qloop.run(
        svc.activate(Account.sandbox(), services_key, base_url=sandbox.base_url, sandbox_root_url=sandbox.root_url)
    )
    try:
        yield svc
    finally:
        qloop.run(svc.aclose())


@pytest.fixture
def until(qloop: QtAsyncRunner) -> Callable[..., None]:
    def wait(predicate: Callable[[], object], timeout: float = 20.0, message: str = "") -> None:
        async def poll() -> None:
            deadline = time.monotonic() + timeout
            while not predicate():
                if time.monotonic() > deadline:
                    raise AssertionError(message or f"condition not met within {timeout} s")
                await asyncio.sleep(0.02)

        qloop.run(poll(), timeout=timeout + 5)

    return wait


@pytest.fixture
def main_window(qtbot, services: AppServices):  # noqa: ANN001, ANN201
    from codaiq_desktop.ui.main_window import MainWindow

    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    return window
