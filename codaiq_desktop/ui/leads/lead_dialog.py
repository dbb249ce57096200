""" "Add lead…": submit a lead through the API, as a site's form would.

The lead is not written locally: it arrives like any other, through the webhook,
so this dialog also lets a user check the whole path end to end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

# Deliberately simple: one "@", a dot in the domain, no spaces. The service has the final word.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_lead(website_id: str | None, name: str, email: str) -> dict[str, str]:
    """Field name → what is wrong, in words; empty when the form can be sent."""
    problems: dict[str, str] = {}
    if not website_id:
        problems["website"] = "Choose the website the lead is for."
    if not name.strip():
        problems["name"] = "Enter a name."
    if not email.strip():
        problems["email"] = "Enter an email address."
    elif not _EMAIL.match(email.strip()):
        problems["email"] = "That does not look like an email address (name@example.com)."
    return problems


class AddLeadDialog(QDialog):
    """A small form; errors appear under the field they concern."""

    sig_submitted = Signal(object)
    """The service accepted the lead (an ``api.models.LeadReceipt``)."""

    def __init__(
        self,
        services: AppServices,
        websites: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        website_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add lead")
        self._services = services
        self._task: Any = None

        self.website = QComboBox()
        for site_id, label in websites:
            self.website.addItem(label, site_id)
        if website_id is not None and self.website.findData(website_id) >= 0:
            self.website.setCurrentIndex(self.website.findData(website_id))
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("Optional")
        self.message = QPlainTextEdit()
        self.message.setPlaceholderText("Optional")
        self.message.setMaximumHeight(120)
        self._errors = {key: _error_label() for key in ("website", "name", "email")}

        form = QFormLayout()
        form.addRow("Website", self.website)
        form.addRow("", self._errors["website"])
        form.addRow("Name", self.name)
        form.addRow("", self._errors["name"])
        form.addRow("Email", self.email)
        form.addRow("", self._errors["email"])
        form.addRow("Phone", self.phone)
        form.addRow("Message", self.message)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("addLeadStatus")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Submit lead")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if not websites:
            layout.addWidget(QLabel("There is no website yet: generate one first."))
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        for line in (self.name, self.email):
            line.textEdited.connect(self._clear_errors)

    def submit(self) -> None:
        """Check the fields; send the lead when they are fine."""
        website_id = self.website.currentData()
        problems = validate_lead(website_id, self.name.text(), self.email.text())
        for key, label in self._errors.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
        if problems:
            return
        client = self._services.client
        if client is None:
            self.status.setText("Connect an account first (the status bar shows the connection).")
            return
        self._set_busy(True)
        self.status.setText("Submitting…")
        self._task = self._services.run(
            client.submit_lead(
                str(website_id),
                self.name.text().strip(),
                self.email.text().strip(),
                phone=self.phone.text().strip() or None,
                message=self.message.toPlainText().strip() or None,
            ),
            on_success=self._on_success,
            on_error=self._on_error,
            owner=self,
        )

    def _on_success(self, receipt: Any) -> None:
        self._set_busy(False)
        self.sig_submitted.emit(receipt)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.status.setText(self._services.describe_error(exc))

    def _set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        for widget in (self.website, self.name, self.email, self.phone, self.message):
            widget.setEnabled(not busy)

    def _clear_errors(self) -> None:
        for label in self._errors.values():
            label.setVisible(False)

    def reject(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().reject()

    def error_text(self, field: str) -> str:
        label = self._errors[field]
        return label.text() if label.isVisibleTo(self) else ""


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setProperty("hint", "error")
    label.setWordWrap(True)
    label.setVisible(False)
    return label
