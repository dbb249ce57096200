"""The Events tab's receiver panel: its address, state, port and signing secret (real receiver and sandbox)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from codaiq_desktop.ui.events.events_model import RESULT_VERIFIED
from tests.fixtures.receiver import make_event
from tests.ui.events.conftest import make_tab, post


def test_receiver_address_state_and_secret(qtbot, services) -> None:
    tab = make_tab(qtbot, services)
    assert tab.receiver_panel.address.text() == services.receiver.url
    assert tab.receiver_panel.state.text().endswith("Listening")
    secret, _ = services.vault.webhook_secret()
    assert secret not in tab.receiver_panel.secret.text() and tab.receiver_panel.secret.text().endswith(secret[-4:])
    assert "session only" in tab.receiver_panel.secret_storage.text()  # tests run without a keyring
    assert "registered automatically" in tab.receiver_panel.registration.text()
    tab.receiver_panel.show_secret_button.click()
    assert tab.receiver_panel.secret.text() == secret
    tab.receiver_panel.show_secret_button.click()
    assert secret not in tab.receiver_panel.secret.text()
    tab.receiver_panel.copy_address_button.click()
    assert QGuiApplication.clipboard().text() == services.receiver.url

    services.receiver_error = "Port 8787 is taken by another program."
    services.receiver_state = "failed"
    services.sig_receiver_state.emit("failed")
    assert tab.receiver_panel.state.text().endswith("Not listening: Port 8787 is taken by another program.")


def test_new_secret_keeps_the_old_one_for_the_grace_period_and_the_sandbox_signs_with_the_new(
    qtbot, qloop, sandbox, services, services_key, until
) -> None:
    tab = make_tab(qtbot, services)
    old, _ = services.vault.webhook_secret()

    # The button asks first; cancelling changes nothing.
    tab.receiver_panel.new_secret_button.click()
    assert tab.receiver_panel.secret_box is not None and tab.receiver_panel.secret_box.isVisible()
    tab.receiver_panel.secret_box.reject()
    assert services.vault.webhook_secret()[0] == old

    tab.receiver_panel.new_secret_button.click()
    tab.receiver_panel.secret_box.accept()
    until(lambda: services.vault.webhook_secret()[0] != old, message="the secret was not replaced")
    new, _ = services.vault.webhook_secret()
    until(lambda: tab.receiver_panel.new_secret_button.isEnabled(), message="the rotation did not finish")
    assert tab.receiver_panel.secret.text().endswith(new[-4:])
    assert services.receiver.secret_count == 2

    # During the grace period a delivery signed with the old secret is still accepted.
    late = post(qloop, services.receiver.url, make_event("website.updated", website_id="web_late"), old)
    assert late.status_code < 300

    # Once a grace period ends only the current secret is accepted (a second, short one here).
    newest = qloop.run(services.rotate_webhook_secret(grace_seconds=0.05))
    assert newest not in (old, new)
    until(lambda: services.receiver.secret_count == 1, message="the previous secret was never dropped")
    for stale in (old, new):
        refused = post(qloop, services.receiver.url, make_event("website.updated", website_id="web_old"), stale)
        assert refused.status_code in (401, 403)

    # The sandbox was re-registered: its next delivery verifies with the new secret alone.
    _project_id, website_id = sandbox.generate("A bakery in Lyon", key=services_key)
    until(
        lambda: any(
            row.website_id == website_id and row.result == RESULT_VERIFIED for row in tab.inspector.model.rows()
        ),
        message="no verified delivery from the sandbox after the secret changed",
    )


def test_a_short_secret_is_refused_in_words(services, qloop) -> None:
    old, _ = services.vault.webhook_secret()
    with pytest.raises(ValueError, match="at least 16 characters"):
        qloop.run(services.rotate_webhook_secret("short"))
    assert services.vault.webhook_secret()[0] == old


def test_a_port_taken_at_start_up_is_shown_and_the_user_can_move_the_receiver(
    qtbot, qloop, sandbox, services, services_key, until
) -> None:
    import socket

    from codaiq_desktop.ui.common.settings import SettingsKeys
    from codaiq_desktop.ui.shell.status_bar import AppStatusBar

    tab = make_tab(qtbot, services)
    bar = AppStatusBar(services)
    qtbot.addWidget(bar)
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    taken = blocker.getsockname()[1]
    try:
        # Start-up with the chosen port taken: the receiver listens elsewhere for now, and says so.
        qloop.run(services.receiver.stop())
        services.receiver = None
        services.settings.setValue(SettingsKeys.RECEIVER_PORT, taken)
        qloop.run(services.start_receiver())
        qloop.run(services.switcher.register_sandbox_webhook(services.client.base_url, services_key))  # as at start-up
        until(lambda: services.receiver_state == "port_taken")
        assert services.receiver.port != taken
        assert bar.receiver_label.text() == f"Webhooks: port {taken} taken \u2014 receiving on {services.receiver.port}"
        assert tab.receiver_panel.state.text().endswith("Port taken")
        assert tab.receiver_panel.state_detail.isVisible()
        assert f"Port {taken} is used by another program" in tab.receiver_panel.state_detail.text()
        assert str(services.receiver.port) in tab.receiver_panel.state_detail.text()
        assert tab.receiver_panel.address.text() == services.receiver.url
        assert tab.receiver_panel.apply_port_button.isEnabled()  # not listening where the user asked
        # Live updates go on: the sandbox was told the fallback address.
        _project_id, website_id = sandbox.generate("A tailor in Porto", key=services_key)
        until(
            lambda: any(row.website_id == website_id for row in tab.inspector.model.rows()),
            message="no delivery reached the receiver on its fallback port",
        )
    finally:
        blocker.close()

    # The port is free again: Apply moves the receiver there and remembers it.
    tab.receiver_panel.port.setText(str(taken))
    assert tab.receiver_panel.apply_port_button.isEnabled()
    tab.receiver_panel.apply_port_button.click()
    until(lambda: "Update the URL" in tab.banner.text(), message="no word that the port changed")
    assert services.receiver_state == "listening" and services.receiver.port == taken
    assert bar.receiver_label.text() == "Webhooks: listening"
    assert not tab.receiver_panel.apply_port_button.isEnabled()
    assert int(services.settings.value(SettingsKeys.RECEIVER_PORT)) == taken
    assert tab.receiver_panel.address.text().startswith(f"http://127.0.0.1:{taken}/")
    assert not tab.receiver_panel.state_detail.isVisible()
    _project_id, website_id = sandbox.generate("A cobbler in Gent", key=services_key)
    until(
        lambda: any(row.website_id == website_id for row in tab.inspector.model.rows()),
        message="no delivery reached the receiver on its new port",
    )


def test_choosing_a_taken_port_keeps_the_working_one(qtbot, sandbox, services, services_key, until) -> None:
    import socket

    from codaiq_desktop.ui.common.settings import SettingsKeys

    tab = make_tab(qtbot, services)
    working = services.receiver.port
    url = services.receiver.url
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    taken = blocker.getsockname()[1]
    try:
        tab.receiver_panel.port.setText(str(taken))
        tab.receiver_panel.apply_port_button.click()
        until(lambda: "not changed" in tab.banner.text(), message="no word that the port was not changed")
        assert f"Port {taken} is used by another program" in tab.banner.text()
        assert f"stays on port {working}" in tab.banner.text()
        assert services.receiver.port == working and services.receiver.url == url
        assert services.receiver_state == "listening"
        assert int(services.settings.value(SettingsKeys.RECEIVER_PORT)) == 0  # the choice is unchanged
        assert tab.receiver_panel.address.text() == url
        _project_id, website_id = sandbox.generate("A glazier in Lille", key=services_key)
        until(
            lambda: any(row.website_id == website_id for row in tab.inspector.model.rows()),
            message="deliveries stopped reaching the receiver on its working port",
        )
    finally:
        blocker.close()


def test_a_secret_of_the_users_own_is_checked_then_used(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    old, _ = services.vault.webhook_secret()
    tab.receiver_panel.set_secret_button.click()
    assert tab.receiver_panel.secret_dialog is not None and tab.receiver_panel.secret_dialog.isVisible()
    tab.receiver_panel.secret_dialog.reject()
    assert services.vault.webhook_secret()[0] == old

    tab.receiver_panel.use_own_secret("too-short")
    assert "too short" in tab.banner.text()
    assert services.vault.webhook_secret()[0] == old

    mine = "whsec_pasted_from_the_project_settings_42"
    tab.receiver_panel.set_secret_button.click()
    tab.receiver_panel.secret_dialog.setTextValue(f"  {mine}\n")
    tab.receiver_panel.secret_dialog.accept()
    until(lambda: services.vault.webhook_secret()[0] == mine, message="the pasted secret was not used")
    until(lambda: tab.receiver_panel.set_secret_button.isEnabled())
    accepted = post(qloop, services.receiver.url, make_event("website.updated", website_id="web_mine"), mine)
    assert accepted.status_code < 300
    assert tab.receiver_panel.secret.text().endswith(mine[-4:]) and mine not in tab.receiver_panel.secret.text()
