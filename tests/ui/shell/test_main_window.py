"""The main window: first run, accounts and key storage, status bar, faults, persistence."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from codaiq_desktop.accounts import KeyStorage
from codaiq_desktop.ui.accounts.account_dialogs import AccountForm, FirstRunDialog, KeyStorageFallbackDialog
from codaiq_desktop.ui.shell.main_window import TABS, MainWindow, TabSpec, load_tab_class
from codaiq_desktop.ui.services import AppServices, ConnectionState, SandboxState
from codaiq_desktop.ui.shell.theme import theme_manager
from tests.ui.conftest import make_services


@pytest.fixture
def fresh(qtbot, qloop, tmp_path: Path) -> Iterator[tuple[AppServices, MainWindow]]:
    """A first run: no account list yet, nothing started."""
    services = make_services(tmp_path / "fresh")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    try:
        yield services, window
    finally:
        qloop.run(services.aclose())


def _dialog(window: MainWindow, cls: type[QDialog]) -> QDialog | None:
    found = [d for d in window.findChildren(cls) if d.isVisible()]
    return found[0] if found else None


def test_first_run_offers_the_sandbox_by_default_and_survives_a_crash(fresh, until) -> None:
    services, window = fresh
    startup = asyncio.ensure_future(window.start())
    until(lambda: _dialog(window, FirstRunDialog) is not None, message="no first-run question")
    dialog = _dialog(window, FirstRunDialog)
    assert dialog.sandbox_radio.isChecked()
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    until(lambda: startup.done(), timeout=60, message="the local sandbox never came up")
    startup.result()
    assert services.sandbox_state == SandboxState.RUNNING
    until(lambda: services.connection_state == ConnectionState.REACHABLE)
    assert services.is_sandbox and services.account.is_sandbox
    assert window.status.account_button.text().startswith("Local sandbox")
    assert services.account_store.exists()  # next start skips the question

    # The sandbox child dies: the user is told and can restart it.
    os.kill(services.sandbox_process.endpoint.pid, signal.SIGKILL)
    until(lambda: window.status.restart_button.isVisible(), message="crash not reported")
    assert "stopped unexpectedly" in window.status.sandbox_label.toolTip()
    window.status.restart_button.click()
    until(lambda: services.sandbox_state == SandboxState.RUNNING, timeout=60)
    until(lambda: services.connection_state == ConnectionState.REACHABLE)
    assert not window.status.restart_button.isVisible()


def _connect_account_through_first_run(window: MainWindow, sandbox, until) -> None:
    asyncio.ensure_future(window.start())
    until(lambda: _dialog(window, FirstRunDialog) is not None)
    first = _dialog(window, FirstRunDialog)
    first.account_radio.setChecked(True)
    first.accept()
    until(lambda: _dialog(window, AccountForm) is not None)
    form = _dialog(window, AccountForm)
    form.name_edit.setText("Agency")
    form.url_edit.setText(sandbox.base_url)
    form.key_edit.setText(sandbox.new_key("pro"))
    assert form.key_edit.echoMode() == form.key_edit.EchoMode.Password
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_no_keyring_backend_asks_and_stores_in_a_private_file(fresh, sandbox, until) -> None:
    services, window = fresh
    _connect_account_through_first_run(window, sandbox, until)
    until(lambda: _dialog(window, KeyStorageFallbackDialog) is not None, message="no-keyring choice not offered")
    fallback = _dialog(window, KeyStorageFallbackDialog)
    ok = fallback.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert fallback.session_radio.isChecked()  # the safe choice is the default
    fallback.file_radio.setChecked(True)
    assert not ok.isEnabled()  # needs the explicit confirmation
    fallback.confirm_box.setChecked(True)
    assert ok.isEnabled()
    ok.click()
    until(lambda: services.account is not None and services.account.name == "Agency")
    until(lambda: services.connection_state == ConnectionState.REACHABLE)

    key_file = services.vault.key_file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert services.accounts.get("Agency").key_storage is KeyStorage.FILE
    assert services.vault.get_key(services.accounts.get("Agency"))
    accounts_text = services.account_store.path.read_text()
    assert services.vault.get_key(services.accounts.get("Agency")) not in accounts_text
    assert json.loads(accounts_text)["active"] == "Agency"
    assert not services.is_sandbox


def test_no_keyring_backend_session_only_keeps_no_file(fresh, sandbox, until) -> None:
    services, window = fresh
    _connect_account_through_first_run(window, sandbox, until)
    until(lambda: _dialog(window, KeyStorageFallbackDialog) is not None)
    _dialog(window, KeyStorageFallbackDialog).buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    until(lambda: services.connection_state == ConnectionState.REACHABLE)
    assert services.accounts.get("Agency").key_storage is KeyStorage.SESSION
    assert not services.vault.key_file.exists()
    assert services.webhook_secret_storage is KeyStorage.SESSION


def test_with_a_keyring_the_key_goes_there_without_asking(fresh, sandbox, until, memory_keyring) -> None:
    services, window = fresh
    _connect_account_through_first_run(window, sandbox, until)
    until(lambda: services.account is not None and services.account.name == "Agency")
    assert _dialog(window, KeyStorageFallbackDialog) is None
    assert services.accounts.get("Agency").key_storage is KeyStorage.KEYRING
    assert ("codaiq-desktop", "Agency") in memory_keyring.passwords
    assert not services.vault.key_file.exists()


def test_rate_limit_shows_when_requests_resume_and_waits(main_window, sandbox_faults, until) -> None:
    main_window.show_tab("projects")
    projects = main_window.tab("projects")
    until(lambda: projects.summary_label.text().startswith("No projects"))
    sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "rate_limit", "retryAfter": 2, "count": 1})
    projects.refresh()
    wait = main_window.status.wait_label
    until(lambda: wait.isVisible(), message="the 429 wait was not shown")
    assert "resume at" in wait.text()
    assert main_window.status.connection_label.text() == "Rate limited"
    # The app waits instead of failing: the list arrives after Retry-After.
    until(lambda: not wait.isVisible(), timeout=15)
    assert not projects.banner.isVisible()
    assert projects.summary_label.text().startswith("No projects")
    assert main_window.status.connection_label.text() == "Connected"


def test_long_rate_limit_and_server_error_are_explained(main_window, sandbox_faults, until) -> None:
    main_window.show_tab("projects")
    projects = main_window.tab("projects")
    until(lambda: projects.summary_label.text().startswith("No projects"))
    sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "rate_limit", "retryAfter": 600})
    projects.refresh()
    until(lambda: projects.banner.isVisible())
    assert "rate limit" in projects.banner.label.text()
    assert "10 min" in projects.banner.label.text() or "600" in projects.banner.label.text()
    assert main_window.status.wait_label.isVisible()

    sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "error", "status": 500})
    projects.refresh()
    until(lambda: "HTTP 500" in projects.banner.label.text(), message="the 500 was not shown")
    assert "try again" in projects.banner.label.text().lower()
    assert "Traceback" not in projects.banner.label.text()
    assert projects.banner.action_button.text() == "Try again"

    sandbox_faults.clear()
    projects.banner.action_button.click()
    until(lambda: not projects.banner.isVisible())
    assert projects.summary_label.text().startswith("No projects")


def test_generate_failure_shows_reason_and_try_again(main_window, sandbox_faults, until) -> None:
    main_window.show_tab("generate")  # the Overview is the first tab
    generate = main_window.tab("generate")
    sandbox_faults.set({"path": "/api/generate", "method": "POST", "kind": "error", "status": 500, "count": 1})
    generate.use_prompt("A dentist in Cardiff")
    generate.generate()
    card = generate.cards()[0]
    until(lambda: card.error_label.isVisible())
    assert "HTTP 500" in card.error_label.text()
    assert card.retry_button.isVisible()
    assert "not generated" in generate.banner.label.text()
    card.retry_button.click()  # the fault was for one request only
    until(lambda: generate.cards() and generate.cards()[0].status == "ready", timeout=30)


def test_layout_tab_and_theme_persist(qtbot, services, until) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.resize(760, 540)  # fits the offscreen screen (restoreGeometry keeps windows on screen)
    window.show_tab("projects")
    splitter = window.tab("projects").splitter
    splitter.setSizes([300, 700])
    window.set_theme("dark")
    assert theme_manager().effective == "dark"
    saved_sizes = splitter.sizes()
    window.save_layout()

    again = MainWindow(services)
    qtbot.addWidget(again)
    again.show()
    assert again.current_tab_key() == "projects"
    assert "generate" not in again.built  # tabs not shown are not built
    assert again.size().width() == 760
    restored = again.tab("projects").splitter.sizes()
    assert abs(restored[0] / sum(restored) - saved_sizes[0] / sum(saved_sizes)) < 0.02, (restored, saved_sizes)
    assert services.settings.value("appearance/theme") == "dark"
    window.set_theme("system")


def test_every_tab_is_built_from_its_module(main_window) -> None:
    for spec in TABS:
        assert isinstance(main_window.tab(spec.key), load_tab_class(spec))
    with pytest.raises(ImportError):  # a missing tab module is a broken build, not a placeholder
        load_tab_class(TabSpec("x", "no_such_tab_module", "X", "X", "info"))


def test_tabs_not_yet_opened_are_imported_in_the_background(main_window, monkeypatch) -> None:
    """After start-up the modules of the tabs the user has not opened are imported off the UI
    thread (a first click on Leads or Analytics would otherwise freeze the window while they
    import); tabs already built are not imported again."""
    from codaiq_desktop.ui.common import background_imports

    asked: list[tuple[list[str], str]] = []
    monkeypatch.setattr(
        background_imports,
        "import_in_background",
        lambda names, *, thread_name: asked.append((list(names), thread_name)),
    )
    built = main_window.current_tab_key()
    main_window.warm_up_tabs()
    ((names, thread_name),) = asked
    assert thread_name == "tab-warm-up"
    expected = {f"codaiq_desktop.ui.{spec.module}" for spec in TABS if spec.key in main_window.pending}
    assert {"codaiq_desktop.ui.leads.leads_tab", "codaiq_desktop.ui.analytics.analytics_tab"} <= expected
    assert expected <= set(names)
    assert all(f"codaiq_desktop.ui.{spec.module}" not in names for spec in TABS if spec.key == built)
    background_imports.import_modules(names)  # each name is a module that imports


def test_about_dialog_lists_versions(main_window) -> None:
    import PySide6
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QLabel

    from codaiq_desktop.ui.shell.about_dialog import AboutDialog

    main_window.show_about()
    dialog = main_window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QLabel, "versionTable")
    assert PySide6.__version__ in table.text()
    assert "Codaiq Desktop" in table.text()
    dialog.copy_versions()
    assert "PySide6" in QGuiApplication.clipboard().text()
    dialog.accept()


def test_copy_diagnostics_puts_no_secret_on_the_clipboard(main_window, services, services_key) -> None:
    from PySide6.QtGui import QGuiApplication

    secret, _storage = services.vault.webhook_secret()
    QGuiApplication.clipboard().setText("")
    main_window.copy_diagnostics()
    text = QGuiApplication.clipboard().text()
    assert "Qt runtime" in text
    assert services_key not in text
    assert secret not in text
