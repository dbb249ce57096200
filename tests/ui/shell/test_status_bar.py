"""The status bar's words: one "No account", which quota window, the webhook port."""

from __future__ import annotations

from pathlib import Path

from codaiq_desktop.ui.services import ReceiverState, SandboxState
from codaiq_desktop.ui.shell.status_bar import AppStatusBar
from tests.ui.conftest import make_services


def test_no_account_is_said_once(qtbot, qloop, tmp_path: Path) -> None:
    services = make_services(tmp_path / "fresh")
    bar = AppStatusBar(services)
    qtbot.addWidget(bar)
    bar.show()
    shown = [w.text() for w in (bar.account_button, bar.connection_label) if w.isVisible()]
    assert shown.count("No account") == 1


def test_the_quota_says_which_window_it_counts(qtbot, services, until) -> None:
    bar = AppStatusBar(services)
    qtbot.addWidget(bar)
    bar.show()
    done: list[object] = []
    services.run(services.client.list_projects(), done.append)  # a real call: real rate-limit headers
    until(lambda: done and bar.quota_label.text())
    text = bar.quota_label.text()
    assert text.endswith("requests left this minute"), text  # an enterprise key: a per-minute burst only
    assert bar.connection_label.isVisible() and bar.connection_label.text() == "Connected"


def test_a_pro_key_with_its_day_quota_binding_says_today(qtbot, qloop, services, sandbox) -> None:
    import datetime as dt

    from codaiq_desktop.api.models import RateLimitInfo

    bar = AppStatusBar(services)
    qtbot.addWidget(bar)
    tomorrow = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    services.sig_rate_limit.emit(RateLimitInfo(limit=1000, remaining=12, reset_at=tomorrow))
    assert bar.quota_label.text() == "12 / 1,000 requests left today"


def test_a_message_takes_the_room_of_the_states_and_a_long_one_is_a_tooltip(qtbot, qloop, tmp_path: Path) -> None:
    services = make_services(tmp_path / "fresh")
    bar = AppStatusBar(services)
    qtbot.addWidget(bar)
    bar.resize(900, bar.sizeHint().height())
    bar.show()
    services.sig_receiver_state.emit(ReceiverState.STARTING)
    services.sig_sandbox_state.emit(SandboxState.RUNNING)
    qtbot.waitExposed(bar)
    assert bar.receiver_label.isVisible() and bar.sandbox_label.isVisible()

    short = "Diagnostics copied to the clipboard."
    bar.showMessage(short)
    # The services' states give way to the message; the account stays, it is what a user clicks.
    assert not bar.receiver_label.isVisible() and not bar.sandbox_label.isVisible()
    assert bar.account_button.isVisible()
    assert bar.toolTip() == ""

    long = "The local inbox server runs at http://127.0.0.1:8790. " * 4
    bar.showMessage(long)
    assert bar.toolTip() == long  # cut off on the bar: whole in the tooltip

    bar.clearMessage()
    assert bar.receiver_label.isVisible() and bar.sandbox_label.isVisible()
    assert bar.toolTip() == ""


def test_a_state_with_nothing_to_say_takes_no_room(qtbot, qloop, tmp_path: Path) -> None:
    services = make_services(tmp_path / "fresh")
    bar = AppStatusBar(services)
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    services.sig_receiver_state.emit(ReceiverState.STOPPED)  # team mode: the inbox server receives
    assert not bar.receiver_label.isVisible()
    bar.showMessage("Saved.")
    bar.clearMessage()
    assert not bar.receiver_label.isVisible()  # not brought back empty after a message

    bar.showMessage("Saved.")
    services.sig_receiver_state.emit(ReceiverState.STARTING)
    assert not bar.receiver_label.isVisible()  # the message keeps the room while it shows ...
    bar.clearMessage()
    assert bar.receiver_label.isVisible() and bar.receiver_label.text().startswith("Webhooks")  # ... then it is back
