"""Adding an account checks its key with the service first (one request), and the Plan combo."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from codaiq_desktop.accounts import Account, AccountList
from codaiq_desktop.ui.accounts.account_dialogs import PLAN_NOT_SET, AccountForm


@pytest.fixture
def form(qtbot, services):
    window = QWidget()  # as in the app, the dialog has a window behind it (closing the last one quits)
    qtbot.addWidget(window)
    window.show()
    dialog = AccountForm(AccountList(), parent=window, services=services)
    dialog.host_window = window  # keeps the window (and so the dialog) alive for the test
    dialog.show()
    dialog.name_edit.setText("Agency")
    return dialog


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_good_key_is_checked_then_accepted(qtbot, form, sandbox, until) -> None:
    form.url_edit.setText(sandbox.base_url)
    form.key_edit.setText(sandbox.new_key("pro"))
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    assert not form.connect_button.isEnabled() and "Checking the key" in form.error_label.text()
    until(lambda: form.result() == QDialog.DialogCode.Accepted, message="a valid key was not accepted")
    assert form.key_checked
    assert "Key accepted" in form.error_label.text()


def test_a_refused_key_is_said_and_nothing_is_accepted(qtbot, form, sandbox, until) -> None:
    form.url_edit.setText(sandbox.base_url)
    form.key_edit.setText("cq_not_a_real_key_0000000000")
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    until(lambda: form.connect_button.isEnabled(), message="the check never ended")
    assert form.isVisible() and form.result() != QDialog.DialogCode.Accepted
    assert "refused this key" in form.error_label.text()
    assert "cq_not_a_real_key" not in form.error_label.text()
    assert not form.save_anyway_button.isVisible()  # a wrong key is not saved "anyway"


def test_offline_the_user_may_save_anyway(qtbot, form, until) -> None:
    form.url_edit.setText(f"http://127.0.0.1:{_closed_port()}/api")
    form.key_edit.setText("cq_key_to_check_later_000000000")
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    until(lambda: form.save_anyway_button.isVisible(), message="no offer to save anyway")
    assert form.result() != QDialog.DialogCode.Accepted
    assert "could not be checked" in form.error_label.text()
    qtbot.mouseClick(form.save_anyway_button, Qt.MouseButton.LeftButton)
    assert form.result() == QDialog.DialogCode.Accepted and not form.key_checked
    assert form.account().name == "Agency"


@pytest.mark.qt_log_ignore(r"This plugin does not support")  # the offscreen platform and popups
def test_the_plan_combo_has_no_blank_item_and_opens_on_click(qtbot, form) -> None:
    combo = form.plan_combo
    assert not combo.isEditable()
    assert all(combo.itemText(i).strip() for i in range(combo.count()))
    assert combo.currentText() == PLAN_NOT_SET and form.account().plan == ""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    combo.hidePopup()
    combo.setCurrentIndex(combo.findText("Pro"))
    assert form.account().plan == "Pro"


def test_a_plan_saved_before_stays_choosable(qtbot) -> None:
    dialog = AccountForm(AccountList(), Account(name="Old", base_url="https://codaiq.com/api", plan="Agency+"))
    qtbot.addWidget(dialog)
    assert dialog.plan_combo.currentText() == "Agency+"
    assert dialog.account().plan == "Agency+"


def test_adding_an_account_says_how_the_key_check_went(main_window, sandbox, until, memory_keyring) -> None:
    import asyncio

    task = asyncio.ensure_future(main_window.accounts_controller.add_account())
    until(lambda: any(f.isVisible() for f in main_window.findChildren(AccountForm)))
    form = next(f for f in main_window.findChildren(AccountForm) if f.isVisible())
    form.name_edit.setText("Agency")
    form.url_edit.setText(sandbox.base_url)
    form.key_edit.setText(sandbox.new_key("pro"))
    form.connect_button.click()
    until(task.done, message="the account was never added")
    assert task.result() is True
    assert main_window.services.account.name == "Agency"
    assert main_window.statusBar().currentMessage().startswith("Key accepted")


def test_a_long_message_makes_the_dialog_taller_instead_of_squeezing_the_fields(qtbot, form) -> None:
    qtbot.waitExposed(form)
    fields = (form.name_edit, form.url_edit, form.plan_combo, form.key_edit)
    heights = [field.height() for field in fields]
    form.error_label.say(
        "The key could not be checked: Could not connect to the Codaiq API at https://codaiq.com "
        "([Errno -2] Name or service not known). Check your network connection and the base URL, "
        "then try again. You can save the account anyway; it connects when the service can be reached.",
        "warning",
    )
    qtbot.waitUntil(lambda: form.error_label.isVisible())
    qtbot.wait(50)  # the layout settles on the next turn of the loop
    assert [field.height() for field in fields] == heights
    message = form.error_label
    assert message.height() >= message.heightForWidth(message.width())  # every line of it shows
