"""The Projects tab: projects and websites, detail and metadata editor, preview, export.

The list reloads on demand (F5, the Refresh button), on account switch, and - debounced -
when the services say projects changed (a generation, an edit, a ``website.*`` webhook).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.api.models import Project, Website
from codaiq_desktop.ui.projects.export_flow import ExportFlow
from codaiq_desktop.ui.projects.preview_pane import PreviewPane
from codaiq_desktop.ui.projects.projects_model import (
    COL_CREATED,
    COL_DOMAIN,
    COL_NAME,
    COL_STATUS,
    COL_UPDATED,
    KindRole,
    ObjectRole,
    ProjectsFilterProxy,
    ProjectsTreeModel,
    StatusBadgeDelegate,
)
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.common.settings import SettingsKeys
from codaiq_desktop.ui.shell.theme import icon, theme_manager
from codaiq_desktop.ui.projects.website_detail import WebsiteDetail, site_url
from codaiq_desktop.ui.common.widgets import MessageBanner

log = logging.getLogger(__name__)

REFRESH_DEBOUNCE_MS = 400


class ProjectsTab(QWidget):
    """Browse, inspect, edit, preview and export this account's websites."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._refresh_task: Any = None
        self._pending_select: str | None = None
        self._preview_for: str | None = None
        self.export_flow: ExportFlow | None = None

        # --- toolbar ------------------------------------------------------------------
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("projectSearch")
        self.search_edit.setPlaceholderText("Search name, domain or id (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.refresh_button = QPushButton(icon("refresh"), "Refresh")
        self.refresh_button.setToolTip("Reload projects from the server (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(icon("export"), "Export ZIP\u2026")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip("Download the selected website's code as a ZIP (Ctrl+E)")
        self.export_button.clicked.connect(self.export_selected)
        self.copy_button = QPushButton(icon("copy"), "Copy id")
        self.copy_button.setToolTip("Copy the selected project's or website's id")
        self.copy_button.clicked.connect(self.copy_selected_id)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.search_edit, 1)
        toolbar.addWidget(self.refresh_button)
        toolbar.addWidget(self.copy_button)
        toolbar.addWidget(self.export_button)

        # --- tree -----------------------------------------------------------------------
        self.model = ProjectsTreeModel(self)
        self.proxy = ProjectsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setObjectName("projectsTree")
        self.tree.setModel(self.proxy)
        self.tree.setItemDelegateForColumn(COL_STATUS, StatusBadgeDelegate(self.tree))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSortingEnabled(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_NAME, 190)
        header.resizeSection(COL_STATUS, 90)
        header.resizeSection(COL_DOMAIN, 190)
        header.setSectionResizeMode(COL_CREATED, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_UPDATED, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.search_edit.textChanged.connect(self._on_search)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("projectsSummary")
        self.summary_label.setProperty("muted", True)
        self.banner = MessageBanner()
        self.banner.setObjectName("projectsBanner")
        self.banner.sig_action.connect(self.refresh)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.summary_label)

        # --- detail and preview ----------------------------------------------------------
        self.detail = WebsiteDetail(services)
        self.detail.sig_saved.connect(self._on_saved)
        self.detail.sig_copied.connect(services.sig_status_message)
        self.preview = PreviewPane()
        self.preview.set_width(str(services.settings.value(SettingsKeys.PREVIEW_WIDTH, "desktop")))
        for mode, button in self.preview.width_buttons.items():
            button.clicked.connect(lambda _=False, m=mode: services.settings.setValue(SettingsKeys.PREVIEW_WIDTH, m))
        self.right_tabs = QTabWidget()
        self.right_tabs.setObjectName("projectDetailTabs")
        # Alt+D and Alt+P switch between them from the keyboard.
        self.right_tabs.addTab(self.detail, icon("info"), "&Details")
        self.right_tabs.addTab(self.preview, icon("eye"), "&Preview")
        self.right_tabs.currentChanged.connect(lambda _i: self._update_preview())

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("projectsSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right_tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([480, 720])
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.splitter, 1)

        shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.search_edit.setFocus)
        export = QShortcut(QKeySequence("Ctrl+E"), self)
        export.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.activated.connect(self.export_selected)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(REFRESH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        services.sig_projects_changed.connect(self._debounce.start)
        services.sig_account_changed.connect(self._on_account_changed)
        services.sig_open_preview.connect(self.open_preview)
        theme_manager().sig_theme_changed.connect(self._repaint_badges)
        self._sync_actions()
        if services.client is not None:
            QTimer.singleShot(0, self, self.refresh)

    def _repaint_badges(self, _theme: str) -> None:
        self.tree.viewport().update()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Reload projects; the selection is kept by id."""
        client = self.services.client
        if client is None:
            return
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_task.cancel()
        self.refresh_button.setEnabled(False)
        self.summary_label.setText("Loading\u2026")
        self._refresh_task = self.services.run(
            self.services.load_projects(fresh=True), on_success=self._loaded, on_error=self._load_failed, owner=self
        )
        self._refresh_task.add_done_callback(lambda _t: self.refresh_button.setEnabled(True))

    def _loaded(self, projects: list[Project]) -> None:
        selected = self.selected_website()
        keep = self._pending_select or (selected.id if selected is not None else None)
        self.banner.hide()
        unnamed = sum(1 for p in projects for w in p.websites if w.id is None)
        if self.services.projects_note:
            self.banner.show_message(self.services.projects_note, "info")
        elif unnamed:
            self.banner.show_message(
                f"The service listed {unnamed} website{'s' if unnamed != 1 else ''} without an id. "
                "They can be previewed by their domain; saving changes, exporting and analytics need the id, "
                "which this app knows only for sites generated here.",
                "info",
            )
        self.model.set_projects(projects)
        self.tree.expandAll()
        sites = sum(len(p.websites) for p in projects)
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.summary_label.setText(
            f"{len(projects)} project{'s' if len(projects) != 1 else ''}, {sites} website{'s' if sites != 1 else ''}"
            f" \u00b7 updated {now}"
            if projects
            else "No projects yet. Generate a site in the Generate tab."
        )
        if keep:
            self.select_website(keep)
            fresh = self.selected_website()
            if fresh is not None:
                self.detail.update_from_server(fresh)
                self._update_preview()
        self._sync_actions()

    def _load_failed(self, exc: BaseException) -> None:
        self.summary_label.clear()
        self.banner.show_message(
            f"Projects could not be loaded. {self.services.describe_error(exc)}", action="Try again"
        )

    def _on_account_changed(self, _account: Any) -> None:
        self.model.set_projects([])
        self.detail.show_website(None, None)
        self.preview.show_message("Select a website that is ready to preview it.")
        self._pending_select = None
        self.banner.hide()
        self.summary_label.clear()
        self._sync_actions()
        self.refresh()

    # ------------------------------------------------------------------ selection
    def _on_search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip().lower())
        self.tree.expandAll()

    def selected_index(self) -> QModelIndex:
        return self.proxy.mapToSource(self.tree.currentIndex())

    def selected_website(self) -> Website | None:
        index = self.selected_index()
        if index.isValid() and index.data(KindRole) == "website":
            return index.data(ObjectRole)
        return None

    def selected_project_id(self) -> str | None:
        """The selected row's project id (``None`` also when the service did not send one)."""
        index = self.selected_index()
        if not index.isValid():
            return None
        if index.data(KindRole) == "project":
            return index.data(ObjectRole).id
        parent = index.parent()
        return parent.data(ObjectRole).id if parent.isValid() else None

    def select_website(self, website_id: str) -> bool:
        source = self.model.find_website(website_id)
        if not source.isValid():
            return False
        proxy_index = self.proxy.mapFromSource(source)
        if not proxy_index.isValid():  # hidden by the search: clear it to show the site
            self.search_edit.clear()
            proxy_index = self.proxy.mapFromSource(source)
        self._pending_select = None
        self.tree.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.scrollTo(proxy_index)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        website = self.selected_website()
        if website is None or website.id != self._pending_select:
            self._pending_select = None  # the user chose something else meanwhile
        if website is None or (self.detail.website is None or self.detail.website.id != website.id):
            self.detail.show_website(self.selected_project_id() if website is not None else None, website)
        self._update_preview()
        self._sync_actions()

    def _sync_actions(self) -> None:
        website = self.selected_website()
        ready = website is not None and website.build_status == "ready"
        has_ids = website is not None and website.id is not None and self.selected_project_id() is not None
        self.export_button.setEnabled(ready and has_ids and self.services.client is not None)
        if ready and not has_ids:
            tip = "Export needs the website's id, which the service did not send."
        elif ready:
            tip = "Download the selected website's code as a ZIP (Ctrl+E)"
        else:
            tip = "Select a website that is ready to export it."
        self.export_button.setToolTip(tip)
        index = self.selected_index()
        self.copy_button.setEnabled(index.isValid() and index.data(ObjectRole).id is not None)

    # ------------------------------------------------------------------ preview
    def open_preview(self, project_id: str, website_id: str) -> None:
        """Show ``website_id`` in the Preview tab (refreshing first if it is not listed yet)."""
        self.right_tabs.setCurrentWidget(self.preview)
        found = self.select_website(website_id)
        website = self.selected_website() if found else None
        if website is None or website.build_status != "ready":
            # Not listed yet, or listed before it was ready: fetch now rather than show stale state.
            self._pending_select = website_id
            self.refresh()
            return
        self._update_preview()

    def preview_url(self, website: Website) -> str | None:
        """By id on the sandbox; by domain where ids are not promised (documented-only, or none sent)."""
        return site_url(
            website,
            self.services.sandbox_root_url if self.services.is_sandbox else None,
            by_domain=self.services.sandbox_documented_only,
        )

    def _update_preview(self) -> None:
        if self.right_tabs.currentWidget() is not self.preview:
            return  # WebEngine loads only when someone looks at the preview
        website = self.selected_website()
        if website is None:
            self._preview_for = None
            self.preview.show_message("Select a website that is ready to preview it.")
            return
        if website.build_status != "ready":
            self._preview_for = None
            status = website.build_status or "unknown"
            self.preview.show_message(
                f"\u201c{website.name or website.id}\u201d is {status}. The preview opens when it is ready."
            )
            return
        url = self.preview_url(website)
        if url is None:
            self.preview.show_message("This website has no address to preview yet.")
            return
        key = f"{website.id}@{website.updated_at}"
        if self._preview_for != key:
            self._preview_for = key
            self.preview.show_url(url)

    def _on_saved(self, website: Website) -> None:
        self.model.replace_website(website)
        self._preview_for = None
        self._update_preview()
        self.services.sig_status_message.emit(f"Saved \u201c{website.name or website.id}\u201d.")

    # ------------------------------------------------------------------ actions
    def export_selected(self) -> None:
        website = self.selected_website()
        project_id = self.selected_project_id()
        if website is None or project_id is None or website.id is None or website.build_status != "ready":
            return
        flow = ExportFlow(self.services, project_id, website, self)
        self.export_flow = flow
        flow.start()

    def copy_selected_id(self) -> None:
        index = self.selected_index()
        if index.isValid() and index.data(ObjectRole).id is not None:
            obj = index.data(ObjectRole)
            QGuiApplication.clipboard().setText(obj.id)
            kind = "Website" if index.data(KindRole) == "website" else "Project"
            self.services.sig_status_message.emit(f"{kind} id copied: {obj.id}")

    def shutdown(self) -> None:
        self.preview.shutdown()
