"""The detail pane of the Leads tab: one lead, its contact actions, status and notes.

The pane shows a lead and says what the user changed (``sig_*``); the tab writes to
the store. That keeps the pane testable without a store and the writes in one place.
"""

from __future__ import annotations

import json
from typing import Literal
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.store.models import LEAD_STATUSES
from codaiq_desktop.ui.leads.lead_values import ShownLead, lead_version
from codaiq_desktop.ui.common.formatting import format_time
from codaiq_desktop.ui.common.widgets import tool_button

NOTES_SAVE_DELAY_MS = 800


class LeadDetailPanel(QWidget):
    """Everything about the selected lead; empty with a hint when none is selected."""

    sig_status_changed = Signal(int, str)
    """The user picked a new status for lead ``id``."""

    sig_notes_changed = Signal(int, str)
    """The user edited the notes of lead ``id`` (sent after a short pause in typing)."""

    sig_message = Signal(str)
    """A short confirmation for the user ("Email copied")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lead: ShownLead | None = None
        self._notes_base: ShownLead | None = None  # the lead whose notes the box started from
        self._loading = False
        self._website_names: dict[str, str] = {}

        self._empty = QLabel("Select a lead to see the whole message, contact details and notes.")
        self._empty.setWordWrap(True)
        self._empty.setObjectName("leadDetailEmpty")

        self._name = QLabel()
        self._name.setObjectName("leadDetailName")
        font = self._name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self._name.setFont(font)
        self._name.setWordWrap(True)

        self._email = QLabel()
        self._email.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._copy_email = tool_button("Copy")
        self._copy_email.setToolTip("Copy the email address")
        self._mail = tool_button("Write…")
        self._mail.setToolTip("Open your mail app with a message to this address")
        self._phone = QLabel()
        self._phone.setTextInteractionFlags(self._email.textInteractionFlags())
        self._copy_phone = tool_button("Copy")
        self._copy_phone.setToolTip("Copy the phone number")
        self._website = QLabel()
        self._received = QLabel()
        # Lead fields come from strangers on the web: a name like "<b>x</b>" must show as
        # typed, never be rendered as rich text (QLabel's default guesses from the text).
        for label in (self._name, self._email, self._phone, self._website, self._received):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self._status = QComboBox()
        for status in LEAD_STATUSES:
            self._status.addItem(status.capitalize(), status)
        self._status.setAccessibleName("Lead status")

        form = QFormLayout()
        self._form = form
        form.addRow("Email", _row(self._email, self._copy_email, self._mail))
        form.addRow("Phone", _row(self._phone, self._copy_phone))
        form.addRow("Website", self._website)
        form.addRow("Received", self._received)
        form.addRow("Status", self._status)

        self._message = QPlainTextEdit()
        self._message.setReadOnly(True)
        self._message.setAccessibleName("Message")
        self._notes = QPlainTextEdit()
        self._notes.setPlaceholderText("Notes for your team (kept on this computer)")
        self._notes.setAccessibleName("Notes")
        self._notes.setMaximumHeight(110)
        self._notes_state = QLabel()
        self._notes_state.setObjectName("notesState")

        self._raw = QPlainTextEdit()
        self._raw.setReadOnly(True)
        self._raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._raw.setVisible(False)
        self._raw_toggle = tool_button("Show the raw event")
        self._raw_toggle.setCheckable(True)
        self._raw_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._raw_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self._raw_toggle.setAutoRaise(True)
        self._raw_toggle.toggled.connect(self._on_raw_toggled)

        self._details = QWidget()
        details = QVBoxLayout(self._details)
        self._details_layout = details
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(self._name)
        details.addLayout(form)
        details.addWidget(QLabel("Message"))
        details.addWidget(self._message, 2)
        notes_header = QHBoxLayout()
        notes_header.addWidget(QLabel("Notes"))
        notes_header.addStretch(1)
        notes_header.addWidget(self._notes_state)
        details.addLayout(notes_header)
        details.addWidget(self._notes)
        details.addWidget(self._raw_toggle)
        details.addWidget(self._raw, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self._empty)
        layout.addWidget(self._details, 1)
        self._details.setVisible(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_SAVE_DELAY_MS)
        self._notes_timer.timeout.connect(self._save_notes)

        self._copy_email.clicked.connect(lambda: self._copy("email", "Email address copied."))
        self._copy_phone.clicked.connect(lambda: self._copy("phone", "Phone number copied."))
        self._mail.clicked.connect(self._open_mail)
        self._status.activated.connect(self._on_status_activated)
        self._notes.textChanged.connect(self._on_notes_edited)

    # ----- public --------------------------------------------------------------
    @property
    def lead(self) -> ShownLead | None:
        return self._lead

    @property
    def lead_id(self) -> int | None:
        return None if self._lead is None else self._lead.id

    def set_website_names(self, names: dict[str, str]) -> None:
        """Name the lead's website (the id stays in the tooltip); names may arrive after the lead."""
        self._website_names = dict(names)
        self._show_website()

    def _show_website(self) -> None:
        website = "" if self._lead is None else str(self._lead.website_id or "")
        self._website.setText(self._website_names.get(website, website) or "—")
        self._website.setToolTip(f"Website id: {website}" if website else "")

    def show_lead(self, lead: ShownLead | None, raw_event: str | None = None) -> None:
        """Show ``lead`` (or the empty hint for ``None``); pending notes are saved first."""
        if self._lead is not None and lead is not None and lead.id == self.lead_id:
            self._refresh_fields(lead, keep_notes=True)
            if raw_event is not None:
                self._raw.setPlainText(raw_event)
            return
        self.flush_notes()
        self._lead = lead
        self._empty.setVisible(lead is None)
        self._details.setVisible(lead is not None)
        if lead is None:
            return
        self._refresh_fields(lead, keep_notes=False)
        self._raw.setPlainText(raw_event or json.dumps(lead.data or {}, indent=2))

    def show_raw_event(self, text: str) -> None:
        """The events behind the shown lead, read after it was shown (the fields stay as they are)."""
        self._raw.setPlainText(text)

    def _on_raw_toggled(self, shown: bool) -> None:
        self._raw.setVisible(shown)
        self._raw_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._raw_toggle.setText("Hide the raw event" if shown else "Show the raw event")

    def raw_text(self) -> str:
        return self._raw.toPlainText()

    def flush_notes(self) -> None:
        """Send notes typed but not yet saved (before switching lead or closing)."""
        if self._notes_timer.isActive():
            self._notes_timer.stop()
            self._save_notes()

    def _save_notes(self) -> None:
        """The pause after typing is over (or the notes are flushed): send them. (A single-shot
        timer is no longer active in its own timeout, so the timer calls this, not flush_notes.)"""
        if self.lead_id is not None:
            self.sig_notes_changed.emit(self.lead_id, self._notes.toPlainText())
            self._notes_state.setText("Saved")

    def add_form_row(self, label: str, widget: QWidget) -> None:
        """One more labelled row under Status (a team inbox adds who the lead is assigned to)."""
        self._form.addRow(label, widget)

    def set_row_visible(self, widget: QWidget, visible: bool) -> None:
        """Show or hide a row added with :meth:`add_form_row` (its label too)."""
        self._form.setRowVisible(widget, visible)

    def add_section(self, widget: QWidget) -> None:
        """A box under the notes (a team inbox adds the lead's history)."""
        self._details_layout.insertWidget(self._details_layout.indexOf(self._notes) + 1, widget)

    def set_notes_shared(self, shared: bool) -> None:
        """Say where notes go: the team's inbox server, or this computer only."""
        self._notes.setPlaceholderText(
            "Notes for your team (shared through the team inbox)"
            if shared
            else "Notes for your team (kept on this computer)"
        )

    def notes_version(self) -> int | None:
        """The version of the lead the notes in the box were written on (a team inbox sends it
        with the edit, so a colleague's change made meanwhile is a conflict, not overwritten)."""
        return lead_version(self._notes_base) if self._notes_base is not None else None

    def take_notes_from(self, lead: ShownLead) -> None:
        """Show ``lead``'s notes in place of what was typed (the user chose a colleague's version)."""
        self._notes_timer.stop()
        self._loading = True
        try:
            self._notes.setPlainText(lead.notes or "")
        finally:
            self._loading = False
        self._notes_base = lead
        self._notes_state.setText("")

    def notes_state(self) -> str:
        return self._notes_state.text()

    def set_notes_state(self, text: str) -> None:
        """What happened to the notes typed here ("Saved", "Pending: sent when online", "Not saved")."""
        self._notes_state.setText(text)

    def status_combo(self) -> QComboBox:
        return self._status

    def notes_edit(self) -> QPlainTextEdit:
        return self._notes

    def message_text(self) -> str:
        return self._message.toPlainText()

    # ----- internals -----------------------------------------------------------
    def _refresh_fields(self, lead: ShownLead, *, keep_notes: bool) -> None:
        self._loading = True
        try:
            self._lead = lead
            self._name.setText(lead.name or "(no name)")
            email = lead.email or ""
            phone = lead.phone or ""
            self._email.setText(email or "—")
            self._copy_email.setEnabled(bool(email))
            self._mail.setEnabled(bool(email))
            self._phone.setText(phone or "—")
            self._copy_phone.setEnabled(bool(phone))
            self._show_website()
            self._received.setText(format_time(lead.received_at))
            position = self._status.findData(lead.status or "new")
            self._status.setCurrentIndex(max(position, 0))
            self._message.setPlainText(lead.message or "")
            typed = self._notes.toPlainText()
            incoming = lead.notes or ""
            base = self._notes_base.notes or "" if self._notes_base is not None else None
            if not keep_notes or (not self._notes_timer.isActive() and typed == base and typed != incoming):
                # A new lead, or someone else's notes while nothing typed here is unsaved.
                self._notes.setPlainText(incoming)
                self._notes_base = lead
                if not keep_notes:
                    self._notes_state.setText("")
            elif typed == incoming:
                self._notes_base = lead  # saved: the box and the store agree
            # Otherwise the user's unsaved text stays, and so does the version it started from.
        finally:
            self._loading = False

    def _copy(self, field: Literal["email", "phone"], confirmation: str) -> None:
        lead = self._lead
        value = None if lead is None else lead.email if field == "email" else lead.phone
        if value:
            QGuiApplication.clipboard().setText(str(value))
            self.sig_message.emit(confirmation)

    def mailto_url(self) -> QUrl | None:
        email = self._lead.email if self._lead is not None else None
        if not email:
            return None
        url = QUrl(f"mailto:{email}")
        url.setQuery(f"subject=Your enquiry on {self._website.text()}")
        return url

    def _open_mail(self) -> None:
        url = self.mailto_url()
        if url is not None and not QDesktopServices.openUrl(url):
            self.sig_message.emit("No mail app is set up on this computer; the address is copied instead.")
            self._copy("email", "")

    def _on_status_activated(self, position: int) -> None:
        if self._loading or self.lead_id is None:
            return
        self.sig_status_changed.emit(self.lead_id, str(self._status.itemData(position)))

    def _on_notes_edited(self) -> None:
        if self._loading or self.lead_id is None:
            return
        self._notes_state.setText("Editing…")
        self._notes_timer.start()


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for position, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if position == 0 else 0)
    return holder
