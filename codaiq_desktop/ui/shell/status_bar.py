"""The status bar: account, connection, rate-limit quota, 429 countdown, receiver, sandbox.

Everything here follows ``AppServices`` signals; nothing polls the network. The 429
countdown ticks once a second from a timer that only runs while there is a wait.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from codaiq_desktop.ui.common.formatting import to_datetime
from codaiq_desktop.ui.common.widgets import restyle
from codaiq_desktop.ui.services import AppServices, ConnectionState, ReceiverState, SandboxState

if TYPE_CHECKING:
    from codaiq_desktop.accounts import Account
    from codaiq_desktop.api.models import RateLimitInfo

_CONNECTION_TEXT = {
    ConnectionState.NO_ACCOUNT: "No account",
    ConnectionState.CONNECTING: "Connecting\u2026",
    ConnectionState.REACHABLE: "Connected",
    ConnectionState.OFFLINE: "Offline",
    ConnectionState.AUTH_FAILED: "API key rejected",
    ConnectionState.RATE_LIMITED: "Rate limited",
}
_CONNECTION_TIPS = {
    ConnectionState.OFFLINE: "The API cannot be reached. Check the network, or the base URL in Accounts.",
    ConnectionState.AUTH_FAILED: "The server refused the API key. Update it in File \u203a Accounts.",
}


def _set_shown(widget: QWidget, shown: bool) -> None:
    """``setVisible`` only on a change: showing a widget polishes it, even one already shown."""
    if widget.isHidden() == shown:
        widget.setVisible(shown)


class AppStatusBar(QStatusBar):
    """Shows the state of the services; offers a restart when the sandbox crashed."""

    sig_restart_sandbox = Signal()
    """The user asked to restart the crashed local sandbox."""

    sig_stop_blocking_sandbox = Signal()
    """The user asked to stop the process that holds the sandbox's data folder (then start ours)."""

    sig_manage_accounts = Signal()
    """The user clicked the account name: open the accounts dialog."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setSizeGripEnabled(True)

        self.account_button = QPushButton("No account", self)
        self.account_button.setProperty("flat", True)
        self.account_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.account_button.setToolTip("Manage accounts (Ctrl+Shift+A)")
        self.account_button.clicked.connect(self.sig_manage_accounts)
        self.connection_label = QLabel(self)
        self.connection_label.setObjectName("connectionState")
        self.quota_label = QLabel(self)
        self.quota_label.setObjectName("rateLimitQuota")
        self.wait_label = QLabel(self)
        self.wait_label.setObjectName("rateLimitWait")
        self.wait_label.setProperty("state", ConnectionState.RATE_LIMITED)
        self.receiver_label = QLabel(self)
        self.receiver_label.setObjectName("receiverState")
        self.sandbox_label = QLabel(self)
        self.sandbox_label.setObjectName("sandboxState")
        self.restart_button = QPushButton("Restart sandbox", self)
        self.restart_button.clicked.connect(self.sig_restart_sandbox)
        self.restart_button.hide()
        self.stop_blocker_button = QPushButton("Stop it", self)
        self.stop_blocker_button.clicked.connect(self.sig_stop_blocking_sandbox)
        self.stop_blocker_button.hide()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_wait)
        # The first states before the widgets join the bar, which shows (and polishes) them:
        # polished once with their state, not polished, changed and re-polished. Re-polishing
        # goes through the style, and handing that to Python the first time builds all of
        # QStyle's enums: milliseconds of start-up.
        self._on_account(services.account)
        self._on_connection(services.connection_state)
        self._on_receiver(services.receiver_state)
        self._on_sandbox(services.sandbox_state)
        self._on_wait(services.resume_at)

        # The services' states are normal items (left): Qt hides them while a message shows,
        # so a sentence gets the width of the bar less the permanent items (right), which
        # are what a user must always see or act on.
        self.addWidget(self.receiver_label)
        self.addWidget(self.sandbox_label)
        self.addWidget(self.quota_label)
        self._permanent: tuple[QWidget, ...] = (
            self.wait_label,
            self.stop_blocker_button,
            self.restart_button,
            self.connection_label,
            self.account_button,
        )
        for widget in self._permanent:
            self.addPermanentWidget(widget)

        services.sig_account_changed.connect(self._on_account)
        services.sig_connection_state.connect(self._on_connection)
        services.sig_rate_limit.connect(self._on_rate_limit)
        services.sig_rate_limit_wait.connect(self._on_wait)
        services.sig_receiver_state.connect(self._on_receiver)
        services.sig_sandbox_state.connect(self._on_sandbox)
        services.sig_status_message.connect(self._on_message)
        self.messageChanged.connect(self._on_message_shown)

    # -- slots -----------------------------------------------------------------------
    def _on_account(self, account: Account | None) -> None:
        if account is None:
            self.account_button.setText("No account")
        else:
            plan = f" \u00b7 {account.plan}" if account.plan else ""
            if account.documented_only:  # the sandbox sends only documented fields
                plan += " \u00b7 documented fields only"
            self.account_button.setText(f"{account.name}{plan}")
        self._say(self.quota_label, "")

    def _on_connection(self, state: str) -> None:
        # Without an account the account button already says "No account": say it once.
        _set_shown(self.connection_label, state != ConnectionState.NO_ACCOUNT)
        self.connection_label.setText(_CONNECTION_TEXT.get(state, state))
        self.connection_label.setToolTip(_CONNECTION_TIPS.get(state, ""))
        self.connection_label.setProperty("state", state)
        restyle(self.connection_label)

    def _on_rate_limit(self, info: RateLimitInfo | None) -> None:
        if info is None or info.remaining is None:
            self._say(self.quota_label, "")
            return
        limit, remaining = info.limit, info.remaining
        reset = to_datetime(info.reset_at)
        reset = reset.astimezone() if reset is not None else None
        window = _quota_window(reset)
        text = f"{remaining:,} / {limit:,} requests left" if limit else f"{remaining:,} requests left"
        self._say(self.quota_label, f"{text} {window}" if window else text)
        self.quota_label.setToolTip(
            f"Rate-limit quota from the last response. Resets at {reset:%H:%M}."
            if reset
            else "Rate-limit quota from the last response."
        )

    def _on_wait(self, resume_at: float) -> None:
        if resume_at <= 0:
            self._tick.stop()
            self.wait_label.hide()
            return
        self._update_wait()
        self.wait_label.show()
        self._tick.start()

    def _update_wait(self) -> None:
        resume_at = self._services.resume_at
        left = max(0, int(round(resume_at - time.time())))
        when = dt.datetime.fromtimestamp(resume_at).strftime("%H:%M:%S")
        self.wait_label.setText(f"Rate limited: requests resume at {when} ({left} s)")
        self.wait_label.setToolTip(
            "The server asked the app to slow down. Waits of up to a minute are sat out "
            "automatically; your request goes through when they end."
        )
        if left <= 0:
            self._tick.stop()

    def _on_receiver(self, state: str) -> None:
        receiver = self._services.receiver
        if state == ReceiverState.LISTENING and receiver is not None:
            self._say(self.receiver_label, "Webhooks: listening")
            tip = f"Webhook receiver at {receiver.url}"
            if (
                self._services.webhook_secret_storage is not None
                and self._services.webhook_secret_storage.value == "session"
            ):
                tip += "\nNo keyring: the signing secret is kept for this session only."
            self.receiver_label.setToolTip(tip)
        elif state == ReceiverState.PORT_TAKEN and receiver is not None:
            chosen = self._services.receiver_port
            self._say(self.receiver_label, f"Webhooks: port {chosen} taken \u2014 receiving on {receiver.port}")
            self.receiver_label.setToolTip(self._services.receiver_error or f"Webhook receiver at {receiver.url}")
        elif state == ReceiverState.FAILED:
            self._say(self.receiver_label, "Webhooks: off")
            self.receiver_label.setToolTip(
                (self._services.receiver_error or "The webhook receiver did not start.")
                + "\nBuilds are followed by polling instead."
            )
        elif state == ReceiverState.STARTING:
            self._say(self.receiver_label, "Webhooks: starting\u2026")
        else:
            self._say(self.receiver_label, "")
        self.receiver_label.setProperty("state", state)
        restyle(self.receiver_label)

    def _on_sandbox(self, state: str) -> None:
        crashed = state == SandboxState.CRASHED
        self.restart_button.setVisible(crashed)
        blocker = self._services.sandbox_blocker
        stoppable = crashed and blocker is not None and blocker.is_codaiq_sandbox
        self.stop_blocker_button.setVisible(stoppable)
        if stoppable and blocker is not None:
            self.stop_blocker_button.setToolTip(
                f"Stop process {blocker.pid}, which holds the sandbox's data folder, and start the sandbox here"
            )
        texts = {
            SandboxState.STARTING: "Starting local sandbox\u2026",
            SandboxState.RUNNING: "Local sandbox running",
            SandboxState.CRASHED: "Local sandbox stopped",
        }
        self._say(self.sandbox_label, texts.get(state, ""))
        self.sandbox_label.setToolTip(self._services.sandbox_error or "")
        self.sandbox_label.setProperty("state", state)
        restyle(self.sandbox_label)
        if crashed and self._services.sandbox_error:
            self.showMessage(self._services.sandbox_error)

    def _on_message(self, message: str) -> None:
        self.showMessage(message, 15000)

    def _say(self, label: QLabel, text: str) -> None:
        """Set a state's words; a state with none takes no room in the bar (no empty gap)."""
        label.setText(text)
        if not text:
            label.hide()  # explicitly: the bar then leaves it hidden when a message goes
        elif label.isHidden():
            if self.currentMessage():
                # The bar hides its normal items under a message and shows again those not
                # hidden on purpose: this one is no longer.
                label.setAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide, False)
            else:
                label.show()

    def _on_message_shown(self, message: str) -> None:
        """A sentence wider than the room left of the permanent items is cut off where it
        ends: the whole of it is then the bar's tooltip, while it shows."""
        fits = self.fontMetrics().horizontalAdvance(message) <= self._message_room()
        self.setToolTip("" if fits else message)

    def _message_room(self) -> int:
        """Width a message has: the bar's, less the permanent items shown on the right."""
        lefts = [widget.geometry().left() for widget in self._permanent if not widget.isHidden()]
        right = min(lefts) if lefts and self.width() > 0 else self.width()
        return max(0, right - 12)  # the bar's margins


def _quota_window(reset: dt.datetime | None) -> str:
    """Which window the quota counts ("this minute", "today"), from when it resets.

    The headers describe whichever limit binds first: the per-minute burst (resets within
    a minute) or the day's quota (resets at midnight UTC).
    """
    if reset is None:
        return ""
    now = dt.datetime.now(reset.tzinfo) if reset.tzinfo else dt.datetime.now()
    seconds = (reset - now).total_seconds()
    if seconds <= 61:
        return "this minute"
    if seconds <= 24 * 3600 + 61:
        return "today"
    return ""
