"""The Events tab's receiver panel: where webhooks are received and how they are signed.

The webhook URL and whether the receiver listens there, the port it listens on, and the
signing secret (shown masked, copied, replaced, or set to one the service gave the user),
with the sandbox's own address and key for outside tools. Outcomes the user should read
go out as ``sig_message`` for the tab's banner, so the panel owns no banner of its own.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QIntValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.accounts import MIN_WEBHOOK_SECRET_CHARS, Account, KeyStorage
from codaiq_desktop.ui.common.formatting import mask_secret
from codaiq_desktop.ui.common.widgets import restyle, tool_button
from codaiq_desktop.ui.services import WEBHOOK_SECRET_GRACE_SECONDS

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)

RECEIVER_STATE_TEXT = {
    "listening": "Listening",
    "starting": "Starting…",
    "stopped": "Stopped",
    "port_taken": "Port taken",
    "failed": "Not listening",
}


class ReceiverPanel(QFrame):
    """This computer's webhook receiver: its URL, state, port and signing secret."""

    sig_message = Signal(str, str)
    """Words for the user about a change they asked for (text, banner kind: ``error`` or ``info``)."""

    sig_copied = Signal(str)
    """Something was put on the clipboard (a short confirmation to show)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._secret_shown = False

        self.address = QLabel()
        self.address.setObjectName("receiverAddress")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_address_button = tool_button("Copy")
        self.copy_address_button.setToolTip("Copy the webhook URL")
        self.state = QLabel()
        self.state.setObjectName("receiverState")
        self.secret = QLabel()
        self.secret.setObjectName("receiverSecret")
        self.secret.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_secret_button = tool_button("Show")
        self.copy_secret_button = tool_button("Copy")
        self.copy_secret_button.setToolTip("Copy the signing secret, to paste into the project's webhook settings")
        self.new_secret_button = tool_button(
            "New secret…", tooltip="Replace the signing secret; the old one keeps working for a while"
        )
        self.set_secret_button = tool_button(
            "Use my secret…", tooltip="Enter a secret that Codaiq gave you for this project's webhooks"
        )
        self.secret_box: QMessageBox | None = None
        self.secret_dialog: QInputDialog | None = None
        # A plain field, not a spin box: a port is typed, not stepped through.
        self.port = QLineEdit(str(services.receiver_port))
        self.port.setObjectName("receiverPort")
        self.port.setValidator(QIntValidator(0, 65535, self.port))
        self.port.setPlaceholderText("0 = any free port")
        self.port.setAccessibleName("Receiver port")
        self.port.setToolTip("The port on this computer that receives webhooks (0: any free port)")
        self.port.setFixedWidth(120)
        self.apply_port_button = tool_button("Apply", tooltip="Move the receiver to this port")
        self.apply_port_button.setEnabled(False)
        self.state_detail = QLabel()
        self.state_detail.setObjectName("receiverStateDetail")
        self.state_detail.setWordWrap(True)
        self.state_detail.setVisible(False)
        self.secret_storage = QLabel()
        self.secret_storage.setObjectName("secretStorage")
        self.secret_storage.setWordWrap(True)
        self.registration = QLabel()
        self.registration.setObjectName("webhookRegistration")
        self.registration.setWordWrap(True)

        self.setProperty("card", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout()
        form.addRow("Webhook URL", _row(self.address, self.copy_address_button, self.state))
        form.addRow("Port", _row(self.port, self.apply_port_button))
        form.addRow(
            "Signing secret",
            _row(
                self.secret,
                self.show_secret_button,
                self.copy_secret_button,
                self.new_secret_button,
                self.set_secret_button,
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.state_detail)
        layout.addWidget(self.secret_storage)
        layout.addWidget(self.registration)
        from codaiq_desktop.ui.sandbox_tools.access_panel import SandboxAccessPanel

        self.sandbox_access = SandboxAccessPanel(services)
        layout.addWidget(self.sandbox_access)

        self.copy_address_button.clicked.connect(self._copy_address)
        self.show_secret_button.clicked.connect(self._toggle_secret)
        self.copy_secret_button.clicked.connect(self._copy_secret)
        self.new_secret_button.clicked.connect(self.ask_new_secret)
        self.set_secret_button.clicked.connect(self.ask_own_secret)
        self.port.textChanged.connect(self._on_port_edited)
        self.port.returnPressed.connect(self.apply_port)
        self.apply_port_button.clicked.connect(self.apply_port)
        services.sig_receiver_state.connect(self.update_receiver)
        services.sig_account_changed.connect(self._on_account_changed)
        services.sig_webhook_secret_changed.connect(self._show_secret_text)
        services.team.sig_state.connect(self.update_receiver)
        self.update_receiver()

    def update_receiver(self, _state: str | None = None) -> None:
        """Show the receiver's address, state and secret as the services know them."""
        services = self._services
        receiver = services.receiver
        state = services.receiver_state
        self.address.setText(receiver.url if receiver is not None else "—")
        self.copy_address_button.setEnabled(receiver is not None)
        text = RECEIVER_STATE_TEXT.get(state, state.replace("_", " ").capitalize())
        error = services.receiver_error
        if state == "failed" and error:
            text = f"Not listening: {error}"
        self.state.setText(f"● {text}")
        self.state.setProperty(
            "state", "reachable" if state == "listening" else "rate_limited" if state == "port_taken" else state
        )
        restyle(self.state)
        self.state_detail.setText(error if state == "port_taken" and error else "")
        self.state_detail.setVisible(state == "port_taken" and bool(error))
        if not self.port.hasFocus():
            self.port.setText(str(services.receiver_port))
        self._on_port_edited()
        self._show_secret_text()
        if services.is_sandbox and receiver is not None:
            self.registration.setText(
                "The local sandbox delivers its webhooks to this address (registered automatically)."
            )
        elif receiver is not None:
            self.registration.setText(
                "To receive events from Codaiq, enter this URL and secret in the project's webhook settings. "
                "The service must be able to reach this computer (for example through a tunnel)."
            )
        else:
            self.registration.setText("")

    def _on_account_changed(self, _account: Account | None) -> None:
        self.update_receiver()

    def _secret(self) -> tuple[str | None, KeyStorage | None]:
        try:
            return self._services.webhook_secret()
        except Exception:
            log.warning("The webhook secret could not be read", exc_info=True)
            return None, None

    def _show_secret_text(self) -> None:
        secret, storage = self._secret()
        if secret is None:
            self.secret.setText("unavailable")
            self.secret_storage.setText("The secret could not be read from the keyring.")
            return
        self.secret.setText(secret if self._secret_shown else mask_secret(secret))
        self.show_secret_button.setText("Hide" if self._secret_shown else "Show")
        where = storage.value if storage is not None else ""
        self.secret_storage.setText(
            "Kept in the system keyring."
            if where == "keyring"
            else "Kept in the file only you can read, next to this account's API key (no system keyring)."
            if where == "file"
            else "Kept for this session only: no system keyring is available, so a new secret is made "
            "next time (the sandbox is told automatically)."
            if where == "session"
            else ""
        )

    def ask_new_secret(self) -> None:
        """Confirm before replacing the secret: a service outside the sandbox must be told by hand."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the signing secret?",
            "A new secret will sign and verify webhooks from now on. Deliveries signed with the "
            "current secret are still accepted for the next "
            f"{int(WEBHOOK_SECRET_GRACE_SECONDS // 60)} minutes.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            "The local sandbox is told automatically. For Codaiq itself, paste the new secret "
            "into each project's webhook settings before that time is up."
        )
        box.addButton("Replace secret", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(self.rotate_secret)
        self.secret_box = box
        box.open()

    def rotate_secret(self, new_secret: str | None = None) -> None:
        """Use ``new_secret``, or make a new one (the old one stays accepted for the grace period)."""
        self.new_secret_button.setEnabled(False)
        self.set_secret_button.setEnabled(False)

        def done(_secret: str) -> None:
            self.new_secret_button.setEnabled(True)
            self.set_secret_button.setEnabled(True)
            self.sig_message.emit(
                "New signing secret in use. The previous one is still accepted for "
                f"{int(WEBHOOK_SECRET_GRACE_SECONDS // 60)} minutes.",
                "info",
            )

        def failed(exc: BaseException) -> None:
            self.new_secret_button.setEnabled(True)
            self.set_secret_button.setEnabled(True)
            message = str(exc) if isinstance(exc, ValueError) else self._services.describe_error(exc)
            self.sig_message.emit(f"The signing secret was not changed: {message}", "error")

        self._services.run(
            self._services.rotate_webhook_secret(new_secret), on_success=done, on_error=failed, owner=self
        )

    def ask_own_secret(self) -> None:
        """Let the user enter a secret of their own (e.g. one the service shows them)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Use your own signing secret")
        dialog.setLabelText(
            "Paste the signing secret from the project's webhook settings.\n"
            f"At least {MIN_WEBHOOK_SECRET_CHARS} characters. The current secret is still accepted for "
            f"{int(WEBHOOK_SECRET_GRACE_SECONDS // 60)} minutes."
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setOkButtonText("Use this secret")
        dialog.textValueSelected.connect(self.use_own_secret)
        self.secret_dialog = dialog
        dialog.open()

    def use_own_secret(self, text: str) -> None:
        """Use the pasted secret, or say why not (nothing changes when it is too short)."""
        secret = text.strip()
        if len(secret) < MIN_WEBHOOK_SECRET_CHARS:
            self.sig_message.emit(
                f"That secret is too short: use at least {MIN_WEBHOOK_SECRET_CHARS} characters. Nothing was changed.",
                "error",
            )
            return
        self.rotate_secret(secret)

    def chosen_port(self) -> int | None:
        """The port typed in the field, or None while it is not a port."""
        text = self.port.text().strip()
        return int(text) if text.isdigit() and int(text) <= 65535 else None

    def _on_port_edited(self, *_: object) -> None:
        receiver = self._services.receiver
        chosen = self.chosen_port()
        if chosen is None:
            self.apply_port_button.setEnabled(False)
            return
        current = self._services.receiver_port
        listening_there = receiver is not None and (chosen == 0 or receiver.port == chosen)
        self.apply_port_button.setEnabled(chosen != current or not listening_there)

    def apply_port(self) -> None:
        """Move the receiver to the port in the box; the state line shows how it went."""
        port = self.chosen_port()
        if port is None or not self.apply_port_button.isEnabled():
            return
        self.apply_port_button.setEnabled(False)

        def done(_: object) -> None:
            receiver = self._services.receiver
            if receiver is not None and self._services.receiver_state == "listening":
                self.sig_message.emit(
                    f"Receiving webhooks on port {receiver.port}. Update the URL in your projects' webhook settings.",
                    "info",
                )
            self.update_receiver()

        def failed(exc: BaseException) -> None:
            self.sig_message.emit(f"The port was not changed. {self._services.describe_error(exc)}", "error")
            self.update_receiver()

        self._services.run(self._services.change_receiver_port(port), on_success=done, on_error=failed, owner=self)

    def _toggle_secret(self) -> None:
        self._secret_shown = not self._secret_shown
        self._show_secret_text()

    def _copy_secret(self) -> None:
        secret, _ = self._secret()
        if secret:
            QGuiApplication.clipboard().setText(secret)
            self.sig_copied.emit("Secret copied.")

    def _copy_address(self) -> None:
        if self._services.receiver is not None:
            QGuiApplication.clipboard().setText(self._services.receiver.url)
            self.sig_copied.emit("Webhook URL copied.")


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return holder
