"""The main window: tabs, menus and shortcuts, status bar, accounts, persisted layout.

The window is shown before anything touches the network: :meth:`MainWindow.start`
(run on the loop after ``show()``) opens the store, starts the webhook receiver, asks
the first-run question if there is no account yet, then connects the saved account.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget

from codaiq_desktop.ui.accounts.accounts_controller import AccountsController
from codaiq_desktop.ui.common.async_dialog import ask
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.common.settings import SettingsKeys
from codaiq_desktop.ui.shell.notifications import NotificationCenter
from codaiq_desktop.webhook_events import is_lead_event
from codaiq_desktop.ui.shell.status_bar import AppStatusBar
from codaiq_desktop.ui.shell.theme import THEME_MODES, icon, theme_manager
from codaiq_desktop.ui.common.widgets import show_unread_in_tab

if TYPE_CHECKING:
    from codaiq_desktop.store import StoredEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TabSpec:
    key: str
    module: str
    class_name: str
    title: str
    icon: str


TABS = (
    TabSpec("overview", "overview.overview_tab", "OverviewTab", "Overview", "globe"),
    TabSpec("generate", "generate.generate_tab", "GenerateTab", "Generate", "sparkles"),
    TabSpec("projects", "projects.projects_tab", "ProjectsTab", "Projects", "folder"),
    TabSpec("leads", "leads.leads_tab", "LeadsTab", "Leads", "inbox"),
    TabSpec("analytics", "analytics.analytics_tab", "AnalyticsTab", "Analytics", "chart"),
    TabSpec("events", "events.events_tab", "EventsTab", "Events", "pulse"),
)


#: A little after start-up the modules of the tabs not yet opened are imported on a
#: background thread, so the first click on a tab does not freeze the window while its
#: import runs on the UI thread (the Analytics tab loads numpy and pyqtgraph; the Leads
#: tab, a dozen modules of its own, is the one a team member opens first).
WARM_UP_AFTER_MS = 1500


def load_tab_class(spec: TabSpec) -> Callable[[AppServices], QWidget]:
    """The tab's class, imported when the tab is first built (see :class:`PendingTab`)."""
    module = importlib.import_module(f"codaiq_desktop.ui.{spec.module}")
    tab_class: Callable[[AppServices], QWidget] = getattr(module, spec.class_name)
    return tab_class


def _int_list(value: object) -> list[int]:
    """Splitter sizes as saved in the INI file (a list of numbers, possibly as strings)."""
    if isinstance(value, (list, tuple)):
        try:
            return [max(0, int(v)) for v in value]
        except (TypeError, ValueError):
            return []
    return []


class _SplitterRestorer(QObject):
    """Applies saved splitter sizes once the splitter has its real width.

    Sizes restored before the window is laid out get squeezed by stretch factors; so
    the saved proportions are applied when the splitter is first shown (it has its
    final width by then), scaled to that width.
    """

    def __init__(self, splitter: QSplitter, sizes: list[int]) -> None:
        super().__init__(splitter)
        self._splitter = splitter
        self._sizes = sizes
        splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize) and watched is self._splitter and watched.isVisible():
            splitter = self._splitter
            total = splitter.width() if splitter.orientation() == Qt.Orientation.Horizontal else splitter.height()
            saved_total = sum(self._sizes)
            if total > 0 and saved_total > 0:
                splitter.removeEventFilter(self)
                splitter.setSizes([round(size * total / saved_total) for size in self._sizes])
                self.deleteLater()
        return False


class PendingTab(QWidget):
    """Stands in the tab bar for a tab that is not built yet (replaced when first shown).

    Building a tab imports its module (the Analytics tab pulls in pyqtgraph and numpy)
    and often reads the store or the network; doing that for all five tabs before the
    window shows would make start-up several times slower. Only the visible tab is
    built at start; the others when first shown or asked for (``MainWindow.tab``).
    """

    def __init__(self, spec: TabSpec) -> None:
        super().__init__()
        self.spec = spec
        self.setObjectName(f"{spec.key}PendingTab")


class _TabMap(Mapping[str, QWidget]):
    """``window.tab_widgets[key]``: the tab's widget, built on first access."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, key: str) -> QWidget:
        return self._window.tab(key)

    def __iter__(self) -> Iterator[str]:
        return (spec.key for spec in TABS)

    def __len__(self) -> int:
        return len(TABS)


class MainWindow(QMainWindow):
    """Tabs over one ``AppServices``; owns account switching and the window's persistence."""

    sig_closed = Signal()
    """The window was closed: the app shuts the services down and quits."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("mainWindow")
        self.setWindowTitle("Codaiq Desktop")
        self.resize(1200, 800)
        self.setMinimumSize(720, 480)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(False)
        self.pending: dict[str, PendingTab] = {}
        self.built: dict[str, QWidget] = {}
        self._unread_count_running = False
        self._unread_count_again = False
        for spec in TABS:
            page = PendingTab(spec)
            self.pending[spec.key] = page
            self.tabs.addTab(page, icon(spec.icon), spec.title)
        self.tab_widgets: Mapping[str, QWidget] = _TabMap(self)
        self.setCentralWidget(self.tabs)

        self.status = AppStatusBar(services, self)
        self.setStatusBar(self.status)
        self.status.sig_restart_sandbox.connect(self.restart_sandbox)
        self.status.sig_stop_blocking_sandbox.connect(self.stop_blocking_sandbox)
        self.accounts_controller = AccountsController(services, self)
        self.status.sig_manage_accounts.connect(self.accounts_controller.show_accounts)

        self._build_menus()
        self.notifications = self._make_notifications()
        self._quit_confirmed = False
        self.quit_box: QMessageBox | None = None
        """The "changes not sent yet" question, while it is open."""
        # Bound methods, not lambdas: the connection must end with the window.
        services.sig_open_preview.connect(self._show_projects_tab)
        services.sig_open_lead.connect(self._show_leads_tab)
        services.sig_event_stored.connect(self._on_event_stored)
        services.sig_account_changed.connect(self._on_account_changed)
        self._restore_layout()
        self.tabs.currentChanged.connect(self._build_current)
        self._build_current()

    # ------------------------------------------------------------------ building
    def _make_notifications(self) -> NotificationCenter:
        """Toasts and tray messages for new leads and published sites."""
        center = NotificationCenter(self.services, self)
        self.view_menu.addSeparator()
        self.view_menu.addMenu(center.menu(self))
        return center

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.accounts_action = self._action(
            "Accounts\u2026", self.accounts_controller.show_accounts, "Ctrl+Shift+A", "user"
        )
        file_menu.addAction(self.accounts_action)
        self.refresh_action = self._action("Refresh", self.refresh_current, QKeySequence.StandardKey.Refresh, "refresh")
        file_menu.addAction(self.refresh_action)
        self.report_action = self._action("Client report\u2026", self.open_client_report, "Ctrl+Shift+R", "export")
        file_menu.addAction(self.report_action)
        self.local_inbox_action = self._action(
            "Start a local inbox server", self.start_local_inbox_server, None, "inbox"
        )
        self.local_inbox_action.setToolTip(
            "Try team mode on this computer: the sandbox's leads go to an inbox server here"
        )
        file_menu.addAction(self.local_inbox_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("Quit", self.close, QKeySequence.StandardKey.Quit))

        view_menu = menu.addMenu("&View")
        self.view_menu = view_menu
        for index, spec in enumerate(TABS, start=1):
            view_menu.addAction(self._action(spec.title, partial(self.show_tab, spec.key), f"Ctrl+{index}"))
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode in THEME_MODES:
            label = {"system": "Follow system", "light": "Light", "dark": "Dark"}[mode]
            action = QAction(label, self, checkable=True)
            action.setChecked(theme_manager().mode == mode)
            action.triggered.connect(lambda _=False, m=mode: self.set_theme(m))
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[mode] = action

        from codaiq_desktop.ui.help.help_menu import HelpMenu

        help_menu = HelpMenu(self, self.services, menu)
        menu.addMenu(help_menu)
        self.help_menu = help_menu
        help_menu.addAction(self._action("Check the Service\u2026", self.check_service, None, "info"))
        help_menu.addAction(self._action("Copy Diagnostics", self.copy_diagnostics, None, "copy"))
        help_menu.addAction(self._action("About Codaiq Desktop", self.show_about, "F1", "info"))

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
        icon_name: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    # ------------------------------------------------------------------ start-up
    async def start(self) -> None:
        """Bring the services up, then the account: first run asks, later runs reconnect."""
        QTimer.singleShot(WARM_UP_AFTER_MS, self, self.warm_up_tabs)
        try:
            await self.services.start()
            self.update_unread_title()
        except Exception as exc:
            log.error("Start-up of local services failed", exc_info=exc)
            self.status.showMessage(self.services.describe_error(exc))
        first_run = not self.services.account_store.exists()
        if first_run:
            from codaiq_desktop.ui.accounts import account_dialogs  # only on a first run

            dialog = account_dialogs.FirstRunDialog(self)
            await ask(dialog)
            if (
                dialog.choice() == account_dialogs.FirstRunDialog.ACCOUNT
                and await self.accounts_controller.add_account()
            ):
                return
            await self.accounts_controller.connect_or_report(self.services.use_sandbox())
            return
        await self.accounts_controller.connect_saved()

    def warm_up_tabs(self) -> None:
        """Import the modules of the tabs not yet opened, on a thread (:meth:`start` does it
        a little after start-up; returns at once)."""
        from codaiq_desktop.ui.common.background_imports import import_in_background

        names = [f"codaiq_desktop.ui.{spec.module}" for spec in TABS if spec.key in self.pending]
        # The shared TLS context too: the first HTTP client made on the loop would build it.
        import_in_background(["codaiq_desktop.tls_warm", *names], thread_name="tab-warm-up")

    def _report(self, exc: BaseException) -> None:
        self.accounts_controller.report(exc)

    def start_local_inbox_server(self) -> None:
        """File › Start a local inbox server: team mode on this computer, for the sandbox account."""
        from codaiq_desktop.ui.team.team_actions import start_local_inbox_server

        self.local_inbox_action.setEnabled(False)

        def done(said: str) -> None:
            self.local_inbox_action.setEnabled(True)
            self.status.showMessage(said, 20000)

        def failed(exc: BaseException) -> None:
            self.local_inbox_action.setEnabled(True)
            self._report(exc)

        self.services.run(start_local_inbox_server(self.services), on_success=done, on_error=failed, owner=self)

    def restart_sandbox(self) -> None:
        self.services.run(self.services.restart_sandbox(), on_error=self._report, owner=self)

    def stop_blocking_sandbox(self) -> None:
        self.services.run(self.services.stop_blocking_sandbox(), on_error=self._report, owner=self)

    # ------------------------------------------------------------------ actions
    def tab(self, key: str) -> QWidget:
        """The tab's widget, built (and swapped into the tab bar) now if it was not yet."""
        widget = self.built.get(key)
        if widget is not None:
            return widget
        page = self.pending.pop(key)
        spec = page.spec
        widget = load_tab_class(spec)(self.services)
        widget.setObjectName(f"{spec.key}Tab")
        index = self.tabs.indexOf(page)
        was_current = self.tabs.currentIndex() == index
        blocker = QSignalBlocker(self.tabs)  # a swap, not a change of tab
        self.tabs.insertTab(index, widget, icon(spec.icon), self.tabs.tabText(index))
        self.tabs.setTabToolTip(index, self.tabs.tabToolTip(index + 1))
        self.tabs.removeTab(index + 1)
        if was_current:
            self.tabs.setCurrentIndex(index)
        blocker.unblock()
        page.deleteLater()
        self.built[key] = widget
        self._tab_built(spec, widget)
        return widget

    def show_tab(self, key: str) -> None:
        if key in self.built or key in self.pending:
            self.tabs.setCurrentWidget(self.tab(key))

    def current_tab_key(self) -> str | None:
        current = self.tabs.currentWidget()
        if isinstance(current, PendingTab):
            return current.spec.key
        return next((key for key, widget in self.built.items() if widget is current), None)

    def _build_current(self, *_: object) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, PendingTab):
            self.tab(current.spec.key)

    def _tab_built(self, spec: TabSpec, widget: QWidget) -> None:
        """A tab was just built: connect the Overview's links, give its splitters their saved sizes."""
        if spec.key == "overview":
            from codaiq_desktop.ui.overview.overview_tab import OverviewTab

            if isinstance(widget, OverviewTab):
                widget.sig_open_analytics.connect(self._show_site_analytics)
                widget.sig_open_leads.connect(self._show_site_leads)
        for splitter in widget.findChildren(QSplitter):
            name = splitter.objectName()
            sizes = _int_list(self.services.settings.value(SettingsKeys.SPLITTER_PREFIX + name)) if name else []
            if sizes and len(sizes) == splitter.count():
                _SplitterRestorer(splitter, sizes)

    def open_client_report(self) -> None:
        """File › Client report…: for the Overview's selected sites, else the Analytics tab's site."""
        from codaiq_desktop.ui.reports.report_dialog import open_client_report

        open_client_report(self, self.services, self.built)

    def _show_site_analytics(self, website_id: str) -> None:
        from codaiq_desktop.ui.analytics.analytics_tab import AnalyticsTab
        from codaiq_desktop.ui.overview.navigation import select_in_combo

        self.show_tab("analytics")
        analytics = self.built["analytics"]
        if isinstance(analytics, AnalyticsTab):
            select_in_combo(analytics.website, website_id, lambda: analytics.select_website(website_id))

    def _show_site_leads(self, website_id: str) -> None:
        from codaiq_desktop.ui.leads.leads_tab import LeadsTab
        from codaiq_desktop.ui.overview.navigation import select_in_combo

        self.show_tab("leads")
        leads = self.built["leads"]
        if isinstance(leads, LeadsTab):
            select_in_combo(leads.website_filter, website_id)

    def _show_projects_tab(self, project_id: str, website_id: str) -> None:
        built = "projects" in self.built
        self.show_tab("projects")
        if not built:  # built during this very signal: it missed it
            opener = getattr(self.built.get("projects"), "open_preview", None)
            if callable(opener):
                opener(project_id, website_id)

    def _show_leads_tab(self, lead_id: int) -> None:
        built = "leads" in self.built
        self.show_tab("leads")
        if not built:
            opener = getattr(self.built.get("leads"), "open_lead", None)
            if callable(opener):
                opener(lead_id)

    def _on_event_stored(self, event: StoredEvent) -> None:
        if is_lead_event(event.type):
            self.update_unread_title()

    def _on_account_changed(self, _account: object) -> None:
        self.update_unread_title()  # the new account's unread leads

    def update_unread_title(self) -> None:
        """Until the Leads tab is built (it then keeps its title itself), count unread leads here.

        The count runs off the UI thread, one at a time: a burst of leads costs one
        count in flight and one more after it, not one per lead.
        """
        page = self.pending.get("leads")
        reader = self.services.store_reader
        if page is None or reader is None:
            return
        if self._unread_count_running:
            self._unread_count_again = True
            return
        self._unread_count_running = True
        self._unread_count_again = False

        def counted(unread: int) -> None:
            show_unread_in_tab(self.tabs, self.tabs.indexOf(page), unread)

        def failed(exc: BaseException) -> None:  # a title is not worth an error
            log.warning("Could not count unread leads", exc_info=exc)

        def finished(_: object) -> None:
            self._unread_count_running = False
            if self._unread_count_again:
                self.update_unread_title()

        account = self.services.account_label
        task = self.services.run(
            reader.read(lambda store: store.unread_count(account=account)), counted, failed, owner=self
        )
        task.add_done_callback(finished)

    def refresh_current(self) -> None:
        refresh = getattr(self.tabs.currentWidget(), "refresh", None)
        if callable(refresh):
            refresh()

    def set_theme(self, mode: str) -> None:
        theme_manager().set_mode(mode)
        self.services.settings.setValue(SettingsKeys.THEME, mode)

    def copy_diagnostics(self) -> None:
        """Put versions, platform, paths and recent errors (never secrets) on the clipboard."""
        from PySide6.QtCore import qVersion
        from PySide6.QtGui import QGuiApplication

        from codaiq_desktop.diagnostics import collect_diagnostics

        text = collect_diagnostics(extra={"Qt runtime": qVersion()})
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage("Diagnostics copied to the clipboard (no keys or secrets).", 5000)

    def check_service(self) -> None:
        """Help › Check the service: what the connected service sends (read-only)."""
        from codaiq_desktop.ui.service_check.service_check_dialog import ServiceCheckDialog

        dialog = ServiceCheckDialog(self.services, self)
        dialog.finished.connect(dialog.deleteLater)
        self.service_check_dialog = dialog
        dialog.open()
        dialog.start()

    def show_about(self) -> None:
        from codaiq_desktop.ui.shell.about_dialog import AboutDialog  # importlib.metadata: load on use

        dialog = AboutDialog(self.services, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # ------------------------------------------------------------------ persistence
    def _restore_layout(self) -> None:
        settings = self.services.settings
        geometry = settings.value(SettingsKeys.GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value(SettingsKeys.WINDOW_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        last = settings.value(SettingsKeys.LAST_TAB)
        if isinstance(last, str) and last in self.pending:
            self.tabs.setCurrentWidget(self.pending[last])  # built right after, as the current tab

    def save_layout(self) -> None:
        settings = self.services.settings
        settings.setValue(SettingsKeys.GEOMETRY, self.saveGeometry())
        settings.setValue(SettingsKeys.WINDOW_STATE, self.saveState())
        for splitter in self.findChildren(QSplitter):
            if splitter.objectName() and sum(splitter.sizes()) > 0:
                settings.setValue(SettingsKeys.SPLITTER_PREFIX + splitter.objectName(), splitter.sizes())
        key = self.current_tab_key()
        if key is not None:
            settings.setValue(SettingsKeys.LAST_TAB, key)
        settings.sync()

    def pending_team_edits(self) -> int:
        """Edits made offline that the team inbox server has not received yet."""
        team = getattr(self.built.get("leads"), "team", None)
        return int(getattr(team, "pending", 0) or 0)

    def _ask_before_quitting(self) -> bool:
        """With edits still queued, ask (non-modal) instead of closing; ``True`` if asked."""
        pending = self.pending_team_edits()
        if pending == 0 or self._quit_confirmed:
            return False
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Changes not sent yet",
            f"{pending:,} change{'s' if pending != 1 else ''} to leads could not reach the team inbox server yet. "
            "They are kept on this computer and sent the next time you open the app and the server answers.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("pendingEditsBox")
        quit_button = box.addButton("Quit anyway", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            self.quit_box = None
            if box.clickedButton() is quit_button:
                self._quit_confirmed = True
                self.close()

        box.finished.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.quit_box = box
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._ask_before_quitting():
            event.ignore()
            return
        self.save_layout()
        for widget in self.built.values():
            shutdown = getattr(widget, "shutdown", None)
            if callable(shutdown):
                shutdown()
        event.accept()
        self.sig_closed.emit()
