"""The Help menu of the real main window: documentation, shortcuts, a problem report."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QDesktopServices, QGuiApplication

from codaiq_desktop.ui.help.help_menu import API_DOCS_URL
from codaiq_desktop.ui.help.problem_report import ProblemReportDialog
from codaiq_desktop.ui.help.shortcuts_dialog import ShortcutsDialog
from codaiq_desktop.tls import ssl_context


def _texts(menu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_help_has_documentation_shortcuts_and_problem_report(main_window) -> None:
    texts = _texts(main_window.help_menu)
    assert "Documentation" in texts and "Keyboard shortcuts" in texts
    assert "Report a problem\u2026" in texts and "About Codaiq Desktop" in texts
    assert len(texts) >= 5


def test_documentation_opens_the_api_docs_and_the_running_sandboxs_reference(main_window, sandbox, monkeypatch) -> None:
    import httpx

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    menu = main_window.help_menu
    menu.api_docs_action.trigger()
    menu.docs_menu.aboutToShow.emit()
    assert menu.sandbox_docs_action.isEnabled()
    menu.sandbox_docs_action.trigger()
    assert opened == [API_DOCS_URL, f"{sandbox.root_url}/docs"]
    assert httpx.get(opened[1], verify=ssl_context(), trust_env=False, timeout=10).status_code == 200


def test_keyboard_shortcuts_lists_the_menus_and_the_tabs(main_window) -> None:
    dialog = main_window.help_menu.show_shortcuts()
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    rows = dialog.rows()
    actions = {what for _where, _keys, what in rows}
    assert {"Accounts", "Refresh", "Keyboard shortcuts"} <= actions
    assert any(where == "Generate" and ("Return" in keys or "Enter" in keys) for where, keys, _ in rows)
    assert all(keys for _where, keys, _what in rows)
    dialog.reject()


def test_report_a_problem_holds_diagnostics_without_secrets(
    main_window, services, services_key, tmp_path: Path
) -> None:
    dialog = main_window.help_menu.show_problem_report()
    assert isinstance(dialog, ProblemReportDialog) and dialog.isVisible()
    dialog.description.setPlainText("The preview stayed blank after Generate.")
    dialog.copy_button.click()
    report = QGuiApplication.clipboard().text()
    assert report.startswith("What happened") and "The preview stayed blank" in report
    assert "Qt runtime" in report and "Python" in report
    secret, _ = services.vault.webhook_secret()
    assert services_key not in report and secret not in report
    target = tmp_path / "report.txt"
    assert dialog.save_report(target) and target.read_text(encoding="utf-8") == report
    unwritable = Path("/sys/report.txt") if os.geteuid() == 0 else tmp_path / "missing-folder" / "report.txt"
    assert not dialog.save_report(unwritable)
    assert "not saved" in dialog.result_label.text()
    dialog.reject()


def test_readme_entry_is_disabled_when_there_is_no_readme(main_window, monkeypatch) -> None:
    from codaiq_desktop.ui.help import help_menu

    monkeypatch.setattr(help_menu, "readme_path", lambda: None)
    main_window.help_menu.docs_menu.aboutToShow.emit()
    assert not main_window.help_menu.readme_action.isEnabled()
