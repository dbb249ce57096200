"""The Generate tab against the real sandbox: validation, live build card, history."""

from __future__ import annotations

from PySide6.QtCore import Qt

from codaiq_desktop.ui.generate_tab import MAX_PROMPT_CHARS, GenerateTab


def _tab(qtbot, services) -> GenerateTab:  # noqa: ANN001
    tab = GenerateTab(services)
    qtbot.addWidget(tab)
    tab.show()
    tab.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(tab.isActiveWindow)
    return tab


def test_empty_prompt_is_explained_not_sent(qtbot, services) -> None:  # noqa: ANN001
    tab = _tab(qtbot, services)
    qtbot.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)
    assert tab.hint_label.isVisible()
    assert "Describe the site first" in tab.hint_label.text()
    assert tab.cards() == []
    assert tab.history_model.rowCount() == 0


def test_over_limit_prompt_counts_and_explains(qtbot, services) -> None:  # noqa: ANN001
    tab = _tab(qtbot, services)
    tab.prompt_edit.setPlainText("x" * (MAX_PROMPT_CHARS + 5))
    assert tab.count_label.text() == "4,005 / 4,000"
    assert "5 characters over" in tab.hint_label.text()
    tab.generate()
    assert tab.cards() == []
    tab.prompt_edit.setPlainText("A bakery")
    assert not tab.hint_label.isVisible()
    assert tab.count_label.text() == "8 / 4,000"


def test_generate_builds_live_until_ready_and_asks_for_preview(qtbot, services, until) -> None:  # noqa: ANN001
    tab = _tab(qtbot, services)
    opened: list[tuple[str, str]] = []
    services.sig_open_preview.connect(lambda p, w: opened.append((p, w)))
    tab.prompt_edit.setPlainText("A bakery in Leeds with a cake order form")
    tab.name_edit.setText("Crumb")
    qtbot.keyClick(tab.prompt_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert len(tab.cards()) == 1
    card = tab.cards()[0]
    seen: list[str | None] = []
    original_apply = card.apply
    card.apply = lambda update: (seen.append(update.status), original_apply(update))  # type: ignore[method-assign]
    until(lambda: card.status == "ready", message="the build card never showed ready")

    assert card.badge.text() == "Ready"
    assert card.progress.value() == 100
    assert card.preview_button.isVisible()
    assert seen[-1] == "ready"
    assert len(opened) == 1
    record = tab.history_model.record(0)
    assert record is not None and record.result == "ready" and record.name == "Crumb"
    assert opened[0] == (record.project_id, record.website_id)
    assert card.source_label.text() == "Live via webhooks"


def test_history_is_per_account_and_reusable(qtbot, services, until) -> None:  # noqa: ANN001
    tab = _tab(qtbot, services)
    tab.use_prompt("A yoga studio in Bristol", "Stillness")
    tab.generate()
    until(lambda: tab.cards()[0].status == "ready")
    tab.prompt_edit.clear()
    tab.name_edit.clear()
    tab.reuse(0)
    assert tab.prompt_edit.toPlainText() == "A yoga studio in Bristol"
    assert tab.name_edit.text() == "Stillness"
    # Another account sees its own (empty) history; coming back shows the record again.
    from codaiq_desktop.accounts import Account

    account = services.account
    services.sig_account_changed.emit(Account(name="Other agency"))
    assert tab.history_model.rowCount() == 0
    services.sig_account_changed.emit(account)
    assert tab.history_model.rowCount() == 1
