"""The Events tab's receiver card for an account whose leads come from a team inbox server.

There is no receiver on this computer then: the server receives the webhooks. The card
shows the server's webhook URL for this agency (to put in the Codaiq project settings,
with a Copy button), whether the server is ready, and how the connection stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from codaiq_desktop.ui.common.widgets import restyle, tool_button
from codaiq_desktop.ui.team.team_connection import TeamState

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

STATE_TEXT = {
    TeamState.CONNECTING: "Connecting\u2026",
    TeamState.ONLINE: "Connected",
    TeamState.OFFLINE: "Offline \u2014 showing what was last received",
    TeamState.FAILED: "Not connected",
    TeamState.OFF: "Not in use",
}
STATE_STYLE = {
    TeamState.ONLINE: "reachable",
    TeamState.CONNECTING: "connecting",
    TeamState.OFFLINE: "offline",
    TeamState.FAILED: "failed",
}


class TeamReceiverPanel(QFrame):
    """Webhook URL (Copy), server readiness and connection state of the active team server."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamReceiverPanel")
        self.setProperty("card", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._services = services
        self.webhook_url = QLabel("\u2014")
        self.webhook_url.setObjectName("teamWebhookUrl")
        self.webhook_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = tool_button("Copy")
        self.copy_button.setObjectName("copyTeamWebhookUrl")
        self.copy_button.setToolTip("Copy the webhook URL, to paste into the Codaiq project's webhook settings")
        self.server_url = QLabel("\u2014")
        self.server_url.setObjectName("teamServerAddress")
        self.server_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel()
        self.state.setObjectName("teamConnectionState")
        self.receiver_state = QLabel("\u2014")
        self.receiver_state.setObjectName("teamReceiverState")
        self.receiver_state.setWordWrap(True)
        self.help = QLabel()
        self.help.setObjectName("teamReceiverHelp")
        self.help.setWordWrap(True)
        self.help.setProperty("muted", True)

        form = QFormLayout()
        url_row = QWidget()
        url_layout = QHBoxLayout(url_row)
        url_layout.setContentsMargins(0, 0, 0, 0)
        url_layout.addWidget(self.webhook_url, 1)
        url_layout.addWidget(self.copy_button)
        form.addRow("Webhook URL", url_row)
        form.addRow("Team inbox server", self.server_url)
        form.addRow("Connection", self.state)
        form.addRow("Server's receiver", self.receiver_state)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.help)

        self.copy_button.clicked.connect(self.copy_webhook_url)
        team = services.team
        team.sig_state.connect(self.update_view)
        team.sig_receiver_info.connect(self.update_view)
        self.update_view()

    def update_view(self, *_: object) -> None:
        """Show what the team connection knows now."""
        team = self._services.team
        info = team.receiver_info
        account = team.account
        self.server_url.setText(account.team_url if account is not None and account.team_url else "\u2014")
        self.webhook_url.setText(info.webhook_url if info is not None else "\u2014")
        self.copy_button.setEnabled(info is not None)
        state_text = STATE_TEXT.get(team.state, team.state)
        if team.state == TeamState.FAILED and team.error:
            state_text = f"Not connected: {team.error}"
        self.state.setText(f"\u25cf {state_text}")
        self.state.setWordWrap(True)
        self.state.setProperty("state", STATE_STYLE.get(team.state, "stopped"))
        restyle(self.state)
        if info is None:
            self.receiver_state.setText("\u2014")
        elif info.ready:
            detail = info.detail if info.detail and info.detail.lower() != "ok" else ""
            self.receiver_state.setText("Receiving webhooks" + (f" ({detail})." if detail else "."))
        else:
            self.receiver_state.setText(f"Not ready: {info.detail or 'the server says its database is not ready.'}")
        if account is not None and account.team_local:
            self.help.setText(
                "This is the local inbox server this app runs. The local sandbox delivers its webhooks to it "
                "(registered automatically); nothing is received on this computer's own receiver."
            )
        else:
            self.help.setText(
                "Leads reach your agency's inbox server, not this computer: enter this URL in each Codaiq "
                "project's webhook settings, with the agency's webhook secret from the server's admin."
            )

    def copy_webhook_url(self) -> None:
        info = self._services.team.receiver_info
        if info is not None:
            QGuiApplication.clipboard().setText(info.webhook_url)
            self._services.sig_status_message.emit("Webhook URL copied.")
