"""The Events tab: the webhook inspector.

Composes the receiver panel (where the receiver listens, whether it does, the signing
secret) with the event inspector (every delivery that arrived, accepted or refused, with
its raw JSON and headers). A team account's webhooks go to its inbox server, so that
server's card takes the receiver panel's place. Both panels' messages land in one banner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from codaiq_desktop.ui.common.widgets import MessageBanner
from codaiq_desktop.ui.events.event_inspector import EventInspector
from codaiq_desktop.ui.events.receiver_panel import ReceiverPanel

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices


class EventsTab(QWidget):
    """The receiver's state and a live, filterable list of what it received."""

    sig_replayed = Signal(object)
    """A stored event was replayed (the new ``StoredEvent``, flagged ``replay``)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.receiver_panel = ReceiverPanel(services)
        from codaiq_desktop.ui.team.team_receiver_panel import TeamReceiverPanel

        # A team account's webhooks go to its inbox server: that server's card replaces this computer's.
        self.team_panel = TeamReceiverPanel(services)
        self.banner = MessageBanner()
        self.inspector = EventInspector(services)
        layout = QVBoxLayout(self)
        layout.addWidget(self.receiver_panel)
        layout.addWidget(self.team_panel)
        layout.addWidget(self.banner)
        layout.addWidget(self.inspector, 1)

        self.receiver_panel.sig_message.connect(self._show_message)
        self.receiver_panel.sig_copied.connect(self.inspector.message.setText)
        self.inspector.sig_error.connect(self.banner.show_message)
        self.inspector.sig_replayed.connect(self.sig_replayed)
        services.sig_receiver_state.connect(self._show_receiver_card)
        services.sig_account_changed.connect(self._show_receiver_card)
        services.team.sig_state.connect(self._show_receiver_card)
        self._show_receiver_card()

    def _show_receiver_card(self, *_: object) -> None:
        """This computer's receiver panel, or the team inbox server's card for a team account."""
        team = self._services.team.active
        self.receiver_panel.setVisible(not team)
        self.team_panel.setVisible(team)

    def _show_message(self, text: str, kind: str) -> None:
        self.banner.show_message(text, kind=kind)

    def refresh(self) -> None:
        """Read the list again (the main window's Refresh)."""
        self.inspector.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._show_receiver_card()
        self.receiver_panel.update_receiver()
        self.inspector.start_watching()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.inspector.stop_watching()
