"""The website detail pane: facts, all metadata, and the editor for name, SEO and custom keys.

Saving sends one ``PATCH`` with only what changed (a removed custom key is sent as
``null``, which the service deletes). On success the pane shows the server's answer;
on failure it puts the saved values back and says why, next to the Save button.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.api.models import Website
from codaiq_desktop.ui.common.formatting import format_time
from codaiq_desktop.ui.projects.projects_model import NO_ID_NOTE
from codaiq_desktop.ui.seo.detail_panels import SeoPanels
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.shell.theme import icon
from codaiq_desktop.ui.common.widgets import MessageBanner, open_in_browser, restyle, status_text

log = logging.getLogger(__name__)

READ_ONLY_KEYS = frozenset({"buildStatus", "buildProgress", "buildStep", "buildError", "publishedAt"})
"""Metadata the build owns; the service refuses changes to them."""
EDITED_KEYS = frozenset({"seoTitle", "seoDescription"})
"""Metadata with their own fields in the editor."""

SEO_TITLE_RANGE = (30, 60)
SEO_DESCRIPTION_RANGE = (70, 160)


def length_hint(length: int, good: tuple[int, int], what: str) -> tuple[str, str]:
    """Words and a tone (``ok``/``warning``) for an SEO field's length."""
    low, high = good
    if length == 0:
        return f"Empty: search engines will make up a {what} from the page.", "warning"
    if length < low:
        return f"{length} characters: a bit short; {low}\u2013{high} works best.", "warning"
    if length > high:
        return f"{length} characters: search results cut it after about {high}.", "warning"
    return f"{length} characters: a good length.", "ok"


def _display_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class WebsiteDetail(QWidget):
    """Shows one website and edits its name and metadata."""

    sig_saved = Signal(object)
    """The server accepted an edit; carries the updated ``Website``."""

    sig_copied = Signal(str)
    """Something was copied to the clipboard (a short description, for the status bar)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.website: Website | None = None
        self.project_id: str | None = None
        self._save_task: Any = None

        # --- facts -------------------------------------------------------------------
        self.title_label = QLabel("Select a website")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)  # a site's name is text, never markup
        self.title_label.setObjectName("detailTitle")
        self.title_label.setProperty("heading", True)
        self.badge = QLabel()
        self.badge.setObjectName("detailStatusBadge")
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.badge)

        self.domain_label = QLabel()
        self.domain_label.setObjectName("detailDomain")
        self.domain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_domain_button = QPushButton(icon("globe"), "Open site")
        self.open_domain_button.clicked.connect(self.open_domain)
        self.website_id_label = QLabel()
        self.website_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.project_id_label = QLabel()
        self.project_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_website_button = QPushButton(icon("copy"), "")
        self.copy_website_button.setToolTip("Copy the website id")
        self.copy_website_button.clicked.connect(
            lambda: self._copy(self.website.id if self.website else "", "Website id")
        )
        self.copy_project_button = QPushButton(icon("copy"), "")
        self.copy_project_button.setToolTip("Copy the project id")
        self.copy_project_button.clicked.connect(lambda: self._copy(self.project_id or "", "Project id"))
        self.created_label = QLabel()
        self.updated_label = QLabel()
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)

        facts = QFormLayout()
        domain_row = QHBoxLayout()
        domain_row.addWidget(self.domain_label, 1)
        domain_row.addWidget(self.open_domain_button)
        facts.addRow("Domain", domain_row)
        facts.addRow("Website id", _row(self.website_id_label, self.copy_website_button))
        facts.addRow("Project id", _row(self.project_id_label, self.copy_project_button))
        facts.addRow("Created", self.created_label)
        facts.addRow("Updated", self.updated_label)
        facts.addRow("Build", self.step_label)

        # --- editor ------------------------------------------------------------------
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("detailNameEdit")
        self.name_edit.setMaxLength(200)
        self.seo_title_edit = QLineEdit()
        self.seo_title_edit.setObjectName("seoTitleEdit")
        self.seo_title_hint = QLabel()
        self.seo_title_hint.setObjectName("seoTitleHint")
        self.seo_description_edit = QPlainTextEdit()
        self.seo_description_edit.setObjectName("seoDescriptionEdit")
        self.seo_description_edit.setFixedHeight(70)
        self.seo_description_edit.setTabChangesFocus(True)
        self.seo_description_hint = QLabel()
        self.seo_description_hint.setObjectName("seoDescriptionHint")
        self.custom_table = QTableWidget(0, 2)
        self.custom_table.setObjectName("customMetadataTable")
        self.custom_table.setHorizontalHeaderLabels(["Key", "Value"])
        self.custom_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        # Room to type a new key: fitted to its contents, an empty key's column is a sliver.
        self.custom_table.horizontalHeader().setMinimumSectionSize(self.fontMetrics().horizontalAdvance("M") * 12)
        self.custom_table.horizontalHeader().setStretchLastSection(True)
        self.custom_table.verticalHeader().hide()
        self.custom_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.custom_table.setMinimumHeight(110)
        self.add_key_button = QPushButton(icon("plus"), "Add key")
        self.add_key_button.clicked.connect(self.add_custom_row)
        self.remove_key_button = QPushButton(icon("trash"), "Remove key")
        self.remove_key_button.clicked.connect(self.remove_custom_row)
        custom_buttons = QHBoxLayout()
        custom_buttons.addWidget(self.add_key_button)
        custom_buttons.addWidget(self.remove_key_button)
        custom_buttons.addStretch(1)

        editor_form = QFormLayout()
        # Mnemonics (Alt+N, Alt+S, Alt+E) reach each field from the keyboard.
        editor_form.addRow("&Name", self.name_edit)
        editor_form.addRow("&SEO title", self.seo_title_edit)
        editor_form.addRow("", self.seo_title_hint)
        editor_form.addRow("S&EO description", self.seo_description_edit)
        editor_form.addRow("", self.seo_description_hint)
        editor_form.addRow("Custom", self.custom_table)
        editor_form.addRow("", custom_buttons)

        self.save_button = QPushButton(icon("save", "accent_text"), "Save")
        self.save_button.setObjectName("saveMetadataButton")
        self.save_button.setProperty("primary", True)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setToolTip("Save the changes to the server (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(icon("undo"), "Revert")
        self.revert_button.setToolTip("Discard unsaved changes")
        self.revert_button.clicked.connect(self.revert)
        self.result_label = QLabel()
        self.result_label.setObjectName("saveResult")
        self.result_label.setWordWrap(True)
        self.banner = MessageBanner()
        self.banner.setObjectName("detailBanner")
        self.no_id_label = QLabel(NO_ID_NOTE)
        self.no_id_label.setObjectName("detailNoIdNote")
        self.no_id_label.setWordWrap(True)
        self.no_id_label.setProperty("hint", "warning")
        self.no_id_label.hide()
        save_row = QHBoxLayout()
        save_row.addWidget(self.result_label, 1)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)

        editor_box = QGroupBox("Edit")
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.addWidget(self.no_id_label)
        editor_layout.addLayout(editor_form)
        editor_layout.addWidget(self.banner)
        editor_layout.addLayout(save_row)

        self.metadata_table = QTableWidget(0, 2)
        self.metadata_table.setObjectName("allMetadataTable")
        self.metadata_table.setHorizontalHeaderLabels(["Key", "Value"])
        self.metadata_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.metadata_table.horizontalHeader().setStretchLastSection(True)
        self.metadata_table.verticalHeader().hide()
        self.metadata_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.metadata_table.setMinimumHeight(140)
        metadata_box = QGroupBox("All metadata (as the server sent it)")
        QVBoxLayout(metadata_box).addWidget(self.metadata_table)

        body = QWidget()
        body.setObjectName("detailBody")
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(header)
        body_layout.addLayout(facts)
        self.seo = SeoPanels(services, self)  # search-result preview beside the editor, site check below
        body_layout.addWidget(self.seo.beside(editor_box))
        body_layout.addWidget(self.seo.check_box)
        body_layout.addWidget(metadata_box)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        # With nothing selected, a sentence instead of an empty form that looks editable.
        self.empty_label = QLabel(
            "Select a website in the list to see its details, edit its name and SEO, or export it.\n"
            "No websites yet? Generate one in the Generate tab."
        )
        self.empty_label.setObjectName("detailEmpty")
        self.empty_label.setProperty("muted", True)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty_label)
        self.pages.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.seo_title_edit.textChanged.connect(self._update_hints)
        self.seo_description_edit.textChanged.connect(self._update_hints)
        for signal in (
            self.name_edit.textChanged,
            self.seo_title_edit.textChanged,
            self.seo_description_edit.textChanged,
            self.custom_table.itemChanged,
        ):
            signal.connect(self._sync_buttons)
        self.show_website(None, None)

    # ------------------------------------------------------------------ showing
    def show_website(self, project_id: str | None, website: Website | None) -> None:
        """Show ``website`` (or nothing); unsaved edits of the previous one are dropped."""
        if self._save_task is not None and not self._save_task.done():
            self._save_task.cancel()
        self.website = website
        self.project_id = project_id
        self.seo.show_website(website, self.site_url())
        self.banner.hide()
        self.result_label.clear()
        self.pages.setCurrentIndex(1 if website is not None else 0)
        # Editing needs both ids (PATCH names them); the service may have sent neither.
        enabled = website is not None and website.id is not None and project_id is not None
        for widget in (
            self.name_edit,
            self.seo_title_edit,
            self.seo_description_edit,
            self.custom_table,
            self.add_key_button,
            self.remove_key_button,
        ):
            widget.setEnabled(enabled)
        self.copy_website_button.setEnabled(website is not None and website.id is not None)
        self.copy_project_button.setEnabled(website is not None and project_id is not None)
        self.no_id_label.setVisible(website is not None and not enabled)
        if website is None:
            self.title_label.setText("Select a website")
            self.badge.hide()
            for label in (
                self.domain_label,
                self.website_id_label,
                self.project_id_label,
                self.created_label,
                self.updated_label,
                self.step_label,
            ):
                label.clear()
            self.open_domain_button.setEnabled(False)
            self._fill_editor(None)
            self._fill_metadata({})
            self._sync_buttons()
            return
        self._show_facts(website)
        self._fill_editor(website)
        self._sync_buttons()

    def update_from_server(self, website: Website) -> None:
        """A fresher copy arrived (refresh, webhook): update facts; keep the user's unsaved edits."""
        if self.website is None or website.id != self.website.id:
            return
        dirty = self.is_dirty()
        self.website = website
        self.seo.show_website(website, self.site_url())
        self._show_facts(website)
        if not dirty:
            self._fill_editor(website)
        self._sync_buttons()

    def _show_facts(self, website: Website) -> None:
        self.title_label.setText(website.name or website.id or website.domain or "Unnamed website")
        status = website.build_status or "unknown"
        self.badge.setText(status_text(status))
        self.badge.setProperty("badge", status if status in ("ready", "failed", "building", "queued") else "other")
        restyle(self.badge)
        self.badge.show()
        self.domain_label.setText(website.domain or "No domain yet")
        local = self._sandbox_root()
        self.open_domain_button.setEnabled(bool(local or website.domain))
        self.open_domain_button.setToolTip(
            "Open the site the local sandbox serves, in your browser (sandbox domains are not on the internet)"
            if local
            else "Open the site's domain in your browser"
        )
        self.website_id_label.setText(website.id or "Not sent by the service")
        self.project_id_label.setText(self.project_id or "Not sent by the service")
        self.created_label.setText(format_time(website.created_at))
        self.updated_label.setText(format_time(website.updated_at))
        step = website.build_step or ""
        if website.build_progress is not None and website.build_status not in ("ready", None):
            step = f"{step} ({website.build_progress}%)"
        if website.build_error:
            step = f"{step}: {website.build_error}"
        published = website.published_at
        if published is not None and website.build_status == "ready":
            step = f"Published {format_time(published)}"
        self.step_label.setText(step)
        self._fill_metadata(website.metadata)

    def _fill_metadata(self, metadata: dict[str, Any]) -> None:
        self.metadata_table.setRowCount(0)
        for key in sorted(metadata):
            row = self.metadata_table.rowCount()
            self.metadata_table.insertRow(row)
            self.metadata_table.setItem(row, 0, QTableWidgetItem(key))
            self.metadata_table.setItem(row, 1, QTableWidgetItem(_display_value(metadata[key])))

    def _fill_editor(self, website: Website | None) -> None:
        blockers = [self.name_edit, self.seo_title_edit, self.seo_description_edit, self.custom_table]
        for widget in blockers:
            widget.blockSignals(True)
        try:
            metadata = website.metadata if website is not None else {}
            self.name_edit.setText((website.name or "") if website is not None else "")
            self.seo_title_edit.setText(
                _display_value(metadata.get("seoTitle", "")) if metadata.get("seoTitle") is not None else ""
            )
            self.seo_description_edit.setPlainText(
                _display_value(metadata["seoDescription"]) if metadata.get("seoDescription") is not None else ""
            )
            self.custom_table.setRowCount(0)
            for key in sorted(metadata):
                if key in READ_ONLY_KEYS or key in EDITED_KEYS:
                    continue
                self._append_custom(key, metadata[key])
        finally:
            for widget in blockers:
                widget.blockSignals(False)
        self._update_hints()

    def _append_custom(self, key: str, value: Any) -> None:
        row = self.custom_table.rowCount()
        self.custom_table.insertRow(row)
        key_item = QTableWidgetItem(key)
        value_item = QTableWidgetItem(_display_value(value))
        # Remember the original key and whether the value was JSON (number, bool, list...).
        key_item.setData(Qt.ItemDataRole.UserRole, key)
        value_item.setData(Qt.ItemDataRole.UserRole, not isinstance(value, str))
        self.custom_table.setItem(row, 0, key_item)
        self.custom_table.setItem(row, 1, value_item)

    def _update_hints(self) -> None:
        for label, length, good, what in (
            (self.seo_title_hint, len(self.seo_title_edit.text().strip()), SEO_TITLE_RANGE, "title"),
            (
                self.seo_description_hint,
                len(self.seo_description_edit.toPlainText().strip()),
                SEO_DESCRIPTION_RANGE,
                "description",
            ),
        ):
            text, tone = length_hint(length, good, what)
            label.setText(text)
            label.setProperty("hint", tone)
            restyle(label)
        self.seo.typed()

    # ------------------------------------------------------------------ editing
    def add_custom_row(self) -> None:
        row = self.custom_table.rowCount()
        self.custom_table.insertRow(row)
        self.custom_table.setItem(row, 0, QTableWidgetItem(""))
        self.custom_table.setItem(row, 1, QTableWidgetItem(""))
        self.custom_table.setCurrentCell(row, 0)
        key_item = self.custom_table.item(row, 0)
        if key_item is not None:
            self.custom_table.editItem(key_item)
        self._sync_buttons()

    def remove_custom_row(self) -> None:
        row = self.custom_table.currentRow()
        if row >= 0:
            self.custom_table.removeRow(row)
            self._sync_buttons()

    def changes(self) -> tuple[str | None, dict[str, Any]]:
        """(new name or None, metadata changes) relative to the website shown; raises ValueError on bad input."""
        if self.website is None:
            return None, {}
        original = self.website.metadata
        name = self.name_edit.text().strip()
        new_name = name if name != (self.website.name or "") else None
        if new_name == "":
            raise ValueError("The name cannot be empty.")
        metadata: dict[str, Any] = {}
        for key, text in (
            ("seoTitle", self.seo_title_edit.text().strip()),
            ("seoDescription", self.seo_description_edit.toPlainText().strip()),
        ):
            before = original.get(key)
            if text != (_display_value(before) if before is not None else ""):
                metadata[key] = text if text else None
        seen: set[str] = set()
        for row in range(self.custom_table.rowCount()):
            key_item = self.custom_table.item(row, 0)
            value_item = self.custom_table.item(row, 1)
            key = key_item.text().strip() if key_item else ""
            text = value_item.text() if value_item else ""
            if not key:
                if text.strip():
                    raise ValueError("A custom value has no key. Give it a key or remove the row.")
                continue
            if key in READ_ONLY_KEYS:
                raise ValueError(f"\u201c{key}\u201d is set by the build and cannot be changed.")
            if key in EDITED_KEYS:
                raise ValueError(f"Edit \u201c{key}\u201d in its own field above.")
            if key in seen:
                raise ValueError(f"The key \u201c{key}\u201d appears twice.")
            seen.add(key)
            was_json = bool(value_item.data(Qt.ItemDataRole.UserRole)) if value_item else False
            value: Any = text
            if was_json:
                try:
                    value = json.loads(text)
                except ValueError:
                    value = text
            if key not in original or original[key] != value:
                metadata[key] = value
        for key in original:
            if key not in READ_ONLY_KEYS and key not in EDITED_KEYS and key not in seen:
                metadata[key] = None  # removed: the service deletes a key sent as null
        return new_name, metadata

    def is_dirty(self) -> bool:
        try:
            name, metadata = self.changes()
        except ValueError:
            return True
        return name is not None or bool(metadata)

    def _sync_buttons(self, *_: object) -> None:
        dirty = self.website is not None and self.is_dirty()
        saving = self._save_task is not None and not self._save_task.done()
        self.save_button.setEnabled(dirty and not saving)
        self.revert_button.setEnabled(dirty and not saving)

    def revert(self) -> None:
        self._fill_editor(self.website)
        self.banner.hide()
        self.result_label.clear()
        self._sync_buttons()

    def save(self) -> None:
        """PATCH what changed; on error, show the saved values again and say why."""
        if self.website is None or self.website.id is None or self.project_id is None or self.services.client is None:
            return
        try:
            name, metadata = self.changes()
        except ValueError as exc:
            self.banner.show_message(str(exc), "warning")
            return
        if name is None and not metadata:
            return
        self.banner.hide()
        self.result_label.setText("Saving\u2026")
        self.result_label.setProperty("hint", None)
        restyle(self.result_label)
        website_id = self.website.id
        task = self.services.run(
            self.services.client.update_website(
                self.project_id, website_id, name=name, metadata=metadata or None, domain=self.website.domain
            ),
            on_success=self._saved,
            on_error=self._save_failed,
            owner=self,
        )
        self._save_task = task
        task.add_done_callback(lambda _t: self._sync_buttons())
        self._sync_buttons()

    def _saved(self, website: Website) -> None:
        self.website = website
        self.seo.show_website(website, self.site_url())
        self._show_facts(website)
        self._fill_editor(website)
        self.result_label.setText(f"Saved. The server now has \u201c{website.name or website.id}\u201d as shown.")
        self.result_label.setProperty("hint", "ok")
        restyle(self.result_label)
        self._sync_buttons()
        self.sig_saved.emit(website)

    def _save_failed(self, exc: BaseException) -> None:
        message = self.services.describe_error(exc)
        self._fill_editor(self.website)
        self.result_label.clear()
        self.banner.show_message(
            f"Your changes were not saved: {message} The fields show the saved values again.", "error"
        )
        self._sync_buttons()

    # ------------------------------------------------------------------ actions
    def _sandbox_root(self) -> str | None:
        return self.services.sandbox_root_url if self.services.is_sandbox else None

    def site_url(self) -> str | None:
        """What "Open site" opens: the served site on the sandbox, the domain otherwise."""
        if self.website is None:
            return None
        return site_url(self.website, self._sandbox_root(), by_domain=self.services.sandbox_documented_only)

    def open_domain(self) -> Any:
        """Open the site in the browser (or say there is none and offer to copy the address)."""
        url = self.site_url()
        return open_in_browser(url, self) if url else None

    def _copy(self, text: str, what: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)
            self.sig_copied.emit(f"{what} copied: {text}")


def site_url(website: Website, sandbox_root_url: str | None = None, *, by_domain: bool = False) -> str | None:
    """Where a person sees ``website``: the local sandbox serves its sites itself (their
    domains resolve nowhere) by id, or by domain under ``/domains/`` when ``by_domain`` or
    the service sent no id; otherwise its domain, as https unless it names a scheme."""
    if sandbox_root_url:
        if website.id is not None and not by_domain:
            return f"{sandbox_root_url}/sites/{website.id}/"
        return f"{sandbox_root_url}/domains/{quote(website.domain)}/" if website.domain else None
    domain = website.domain
    if not domain:
        return None
    return domain if domain.startswith(("http://", "https://")) else f"https://{domain}"


def _row(label: QLabel, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(label, 1)
    row.addWidget(button)
    return row
