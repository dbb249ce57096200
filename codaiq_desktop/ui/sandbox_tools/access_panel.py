"""The local sandbox's API address and key, for tools outside the app, and "Send a test lead".

The sandbox is a real HTTP server on this computer: a script, ``curl`` or a site under
development can call it like the real API. This panel gives its base URL and key (masked
until asked, copied with one click) and sends a lead the way a site's form would, so a
user can see one arrive in Leads and Events without building a form first.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from codaiq_desktop.ui.common.widgets import tool_button

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)

TEST_LEAD = {
    "name": "Test Lead",
    "email": "test.lead@example.com",
    "phone": "+44 20 7946 0000",
    "message": "A test lead sent from Codaiq Desktop to check that leads arrive.",
}


class SandboxAccessPanel(QWidget):
    """Base URL, masked key with Show/Copy, and Send a test lead; shown only for the sandbox."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxAccess")
        self._services = services
        self._key_shown = False
        self._sending: Any = None

        self.url_label = QLabel()
        self.url_label.setObjectName("sandboxBaseUrl")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_url_button = tool_button("Copy", tooltip="Copy the sandbox's API base URL")
        self.key_label = QLabel()
        self.key_label.setObjectName("sandboxApiKey")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_key_button = tool_button("Show", tooltip="Show the sandbox's API key")
        self.copy_key_button = tool_button("Copy", tooltip="Copy the sandbox's API key (X-API-Key header)")
        self.test_lead_button = QPushButton("Send a test lead")
        self.test_lead_button.setObjectName("sendTestLeadButton")
        self.test_lead_button.setToolTip(
            "Submit a lead to your newest site through the sandbox API, as a site's form would"
        )
        self.result_label = QLabel()
        self.result_label.setObjectName("sandboxAccessResult")
        self.result_label.setProperty("muted", True)
        self.result_label.setWordWrap(True)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Sandbox API")
        title.setToolTip("Call the local sandbox from scripts or curl like the real API")
        for widget in (
            title,
            self.url_label,
            self.copy_url_button,
            QLabel("Key"),
            self.key_label,
            self.show_key_button,
            self.copy_key_button,
            self.test_lead_button,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.result_label, 1)

        self.copy_url_button.clicked.connect(self.copy_url)
        self.copy_key_button.clicked.connect(self.copy_key)
        self.show_key_button.clicked.connect(self._toggle_key)
        self.test_lead_button.clicked.connect(self.send_test_lead)
        services.sig_account_changed.connect(lambda _account: self.update_from_services())
        self.update_from_services()

    @property
    def available(self) -> bool:
        """The active account is the local sandbox and it is connected."""
        return self._services.is_sandbox and self._services.client is not None

    def update_from_services(self) -> None:
        client = self._services.client if self._services.is_sandbox else None
        self._key_shown = False
        self.url_label.setText(client.base_url if client is not None else "")
        self._show_key()
        self.result_label.clear()
        self.setVisible(client is not None)

    def _toggle_key(self) -> None:
        self._key_shown = not self._key_shown
        self._show_key()

    def _show_key(self) -> None:
        client = self._services.client if self._services.is_sandbox else None
        if client is None:
            self.key_label.clear()
            return
        self.key_label.setText(client.api_key.reveal() if self._key_shown else client.api_key.masked)
        self.show_key_button.setText("Hide" if self._key_shown else "Show")

    def copy_url(self) -> None:
        client = self._services.client if self.available else None
        if client is not None:
            QGuiApplication.clipboard().setText(client.base_url)
            self.result_label.setText("Base URL copied.")

    def copy_key(self) -> None:
        client = self._services.client if self.available else None
        if client is not None:
            QGuiApplication.clipboard().setText(client.api_key.reveal())
            self.result_label.setText("API key copied. Send it as the X-API-Key header.")

    def send_test_lead(self) -> Any:
        """Submit a test lead to the newest website; the webhook brings it into Leads and Events."""
        services = self._services
        client = services.client
        if not self.available or client is None:
            return None
        self.test_lead_button.setEnabled(False)
        self.result_label.setText("Sending a test lead\u2026")

        async def send() -> tuple[str, str] | None:
            projects = await services.load_projects(fresh=True)
            websites = [(website.id, website) for project in projects for website in project.websites if website.id]
            if not websites:
                return None
            website_id, newest = max(websites, key=lambda pair: str(pair[1].created_at or ""))
            await client.submit_lead(website_id, **TEST_LEAD)
            return website_id, newest.name or website_id

        def done(sent: tuple[str, str] | None) -> None:
            self.test_lead_button.setEnabled(True)
            if sent is None:
                self.result_label.setText("Generate a site first: a lead belongs to a website.")
                return
            self.result_label.setText(f"Test lead sent to \u201c{sent[1]}\u201d. It appears in Leads in a moment.")

        def failed(exc: BaseException) -> None:
            self.test_lead_button.setEnabled(True)
            self.result_label.setText(f"The test lead was not sent: {services.describe_error(exc)}")

        self._sending = services.run(send(), on_success=done, on_error=failed, owner=self)
        return self._sending
