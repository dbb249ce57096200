"""Live notifications: a new lead, a site published, a lead a colleague assigned to you.

Each event kind raises an in-app toast (bottom right of the main window) with an
action ("Open lead", "Preview"), and a system tray message when a tray exists and
the window is not in front. Each kind can be turned off (settings, menu).

Bursts are summarised: events are gathered for a moment before anything is shown,
and while a summary toast is on screen further events of its kind update its count
instead of raising new pop-ups, so 100 leads in a second make one "100 new leads".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QEnterEvent, QIcon
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.ui.common.widgets import tool_button
from codaiq_desktop.webhook_events import LEAD_CAPTURED, WEBSITE_PUBLISHED

if TYPE_CHECKING:
    from codaiq_desktop.store import StoredEvent
    from codaiq_desktop.team import TeamChange
    from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)

LEAD_ASSIGNED = "lead.assigned"
"""Not a webhook: a colleague assigned a lead to this member on the team inbox server."""
KIND_LABELS = {
    LEAD_CAPTURED: "Notify me of new leads",
    WEBSITE_PUBLISHED: "Notify me when a website is published",
    LEAD_ASSIGNED: "Notify me when a lead is assigned to me",
}
SETTINGS_PREFIX = "notifications/"
GATHER_MS = 400  # how long the first event of a quiet spell waits for company
GROW_MS = 200  # how often a summary on screen takes in the events that came meanwhile
TOAST_MS = 8000
MAX_TOASTS = 3


@dataclass
class Notice:
    """What one toast (or tray message) says and does."""

    kind: str
    title: str
    text: str
    action_label: str
    action: Callable[[], None]
    count: int = 1


_CONTROL_TYPES = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)
"""What a toast must not sit on: things a user clicks or types in (tables and text may be covered)."""


class Toast(QFrame):
    """A small card over the main window: text, one action, a close button."""

    sig_closed = Signal()
    """The toast went away (timeout, close button or action)."""

    def __init__(self, notice: Notice, parent: QWidget) -> None:
        super().__init__(parent)
        self.notice = notice
        self.setObjectName("toast")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # A card of the app's theme; without a theme (tests, bare Qt), one of the palette.
        self.setProperty("card", True)
        app = QApplication.instance()
        if not (isinstance(app, QApplication) and app.styleSheet()):
            self.setStyleSheet(
                "#toast { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
            )
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.setGraphicsEffect(shadow)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.action_button = QPushButton()
        self.close_button = tool_button("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.close_button)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.action_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.text)
        layout.addLayout(footer)
        self.setFixedWidth(340)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TOAST_MS)
        self._timer.timeout.connect(self.dismiss)
        self.close_button.clicked.connect(self.dismiss)
        self.action_button.clicked.connect(self._act)
        self.show_notice(notice)

    def show_notice(self, notice: Notice) -> None:
        """Show (or update, for a growing summary) what the toast says; restarts its timer."""
        self.notice = notice
        self.title.setText(notice.title)
        self.text.setText(notice.text)
        self.action_button.setText(notice.action_label)
        self.adjustSize()
        self._timer.start()

    def _act(self) -> None:
        action = self.notice.action
        self.dismiss()
        action()

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()
        self.sig_closed.emit()
        self.deleteLater()

    def enterEvent(self, event: QEnterEvent) -> None:
        self._timer.stop()  # reading it: do not take it away
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._timer.start()
        super().leaveEvent(event)


class NotificationCenter(QObject):
    """Turns stored events into toasts and tray messages for ``main_window``.

    Create it once, after the main window: ``NotificationCenter(services, window)``.
    """

    sig_notified = Signal(object)
    """A notice was shown or a summary updated (a :class:`Notice`)."""

    def __init__(self, services: AppServices, main_window: QWidget) -> None:
        super().__init__(main_window)
        self._services = services
        self._window = main_window
        self._pending: list[StoredEvent] = []
        self._toasts: list[Toast] = []
        self._summaries: dict[str, Toast] = {}
        self.toasts_shown = 0
        self.summaries_shown = 0
        self._tray_action: Callable[[], None] | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(_app_icon(main_window), self)
            self.tray.setToolTip("Codaiq Desktop")
            self.tray.messageClicked.connect(self._on_tray_clicked)
            self.tray.show()
        self._gather = QTimer(self)
        self._gather.setSingleShot(True)
        self._gather.setInterval(GATHER_MS)
        self._gather.timeout.connect(self.flush)
        # A burst can store hundreds of events a second: a summary on screen takes them in a
        # few times a second (re-wording, re-sizing and re-stacking it per event froze the window).
        self._growing: dict[str, list[StoredEvent]] = {}
        self._grow = QTimer(self)
        self._grow.setSingleShot(True)
        self._grow.setInterval(GROW_MS)
        self._grow.timeout.connect(self._grow_summaries)
        self._menu: QMenu | None = None
        services.sig_event_stored.connect(self._on_event_stored)
        services.team.sig_lead_changed.connect(self._on_team_change)
        main_window.installEventFilter(self)
        tabs = getattr(main_window, "tabs", None)
        if isinstance(tabs, QTabWidget):  # another tab has other controls in the corner
            tabs.currentChanged.connect(lambda _index: self._place_toasts())

    # ----- settings -----------------------------------------------------------------------
    def is_enabled(self, kind: str) -> bool:
        value = self._services.settings.value(SETTINGS_PREFIX + kind, True)
        return value not in (False, "false", "0", 0)

    def set_enabled(self, kind: str, enabled: bool) -> None:
        """Turn notifications of ``kind`` on or off (saved in the settings file)."""
        self._services.settings.setValue(SETTINGS_PREFIX + kind, bool(enabled))
        if self._menu is not None:
            for action in self._menu.actions():
                if action.data() == kind:
                    action.setChecked(bool(enabled))

    def menu(self, parent: QWidget | None = None) -> QMenu:
        """A "Notifications" menu with one checkable entry per kind, for the menu bar."""
        if self._menu is None:
            self._menu = QMenu("&Notifications", parent or self._window)
            for kind, label in KIND_LABELS.items():
                action = QAction(label, self._menu)
                action.setCheckable(True)
                action.setChecked(self.is_enabled(kind))
                action.setData(kind)
                action.toggled.connect(lambda on, k=kind: self.set_enabled(k, on))
                self._menu.addAction(action)
        return self._menu

    # ----- events ---------------------------------------------------------------------------
    def _on_event_stored(self, event: StoredEvent) -> None:
        kind = event.type
        if kind not in KIND_LABELS or not self.is_enabled(kind):
            return
        if not event.verified:
            return  # nothing vouches for it: no pop-up (the Events tab still lists it)
        if not self._services.is_active_account_event(event):
            return  # another account's: in its inbox when the user switches to it
        if kind in self._summaries:
            # A summary of this kind is on screen: it grows instead of a new pop-up.
            self._growing.setdefault(kind, []).append(event)
            if not self._grow.isActive():
                self._grow.start()
            return
        self._pending.append(event)
        if not self._gather.isActive():
            self._gather.start()

    def _on_team_change(self, change: TeamChange) -> None:
        """A change on the team inbox: "Alice assigned Ada Lovelace to you" when it is one."""
        store = self._services.team.store
        if store is None or store.member is None or "assignee" not in change.fields:
            return
        me, lead, by = store.member.id, change.lead, change.by
        if lead.assignee != me or by == me or not self.is_enabled(LEAD_ASSIGNED):
            return
        from codaiq_desktop.ui.team.members import member_label

        who = member_label(store.member_name(by)) if by else "A colleague"
        name = lead.name or lead.email or "A lead"
        lead_id = lead.id
        self._show(
            Notice(
                LEAD_ASSIGNED,
                "Assigned to you",
                f"{who} assigned {_clip(str(name))} to you.",
                "Open lead",
                lambda: self._services.sig_open_lead.emit(lead_id),
            )
        )

    def flush(self) -> None:
        """Show what was gathered: one notice per event, or a summary per kind."""
        self._gather.stop()
        self._grow_summaries()
        events, self._pending = self._pending, []
        by_kind: dict[str, list[StoredEvent]] = {}
        for event in events:
            by_kind.setdefault(event.type, []).append(event)
        for kind, group in by_kind.items():
            if kind in self._summaries:
                self._grow_summary(self._summaries[kind], group)
            elif len(group) == 1:
                self._show(self._notice_for(group[0]))
            else:
                toast = self._show(self._summary_for(kind, group, len(group)))
                if toast is not None:
                    self._summaries[kind] = toast
                    toast.sig_closed.connect(lambda k=kind: self._summaries.pop(k, None))
                self.summaries_shown += 1

    def _grow_summaries(self) -> None:
        self._grow.stop()
        growing, self._growing = self._growing, {}
        for kind, events in growing.items():
            summary = self._summaries.get(kind)
            if summary is not None:
                self._grow_summary(summary, events)
            else:  # closed meanwhile: they start a new notice
                self._pending.extend(events)
                if not self._gather.isActive():
                    self._gather.start()

    def _grow_summary(self, toast: Toast, events: list[StoredEvent]) -> None:
        notice = self._summary_for(toast.notice.kind, events, toast.notice.count + len(events))
        size = toast.size()
        toast.show_notice(notice)  # re-sizes it
        if toast.size() != size:
            self._place_toasts()
        self.sig_notified.emit(notice)

    # ----- wording ---------------------------------------------------------------------------
    def _notice_for(self, event: StoredEvent) -> Notice:
        payload = event.payload or {}
        raw_data = payload.get("data")
        data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
        replay = event.replay
        if event.type == LEAD_CAPTURED:
            who = data.get("name") or data.get("email") or "Someone"
            message = str(data.get("message") or "").strip()
            text = f"{who} filled in a form." + (f" “{_clip(message)}”" if message else "")
            if replay:  # a replay stores a copy of the event; the lead was there already
                text = f"{who}\u2019s lead was already in the inbox; the replayed event is listed in Events."
            lead_id = event.lead_id
            return Notice(
                LEAD_CAPTURED,
                "Replayed \u2014 no new lead (already in the inbox)" if replay else "New lead",
                text,
                "Open lead",
                lambda: self._services.sig_open_lead.emit(lead_id) if lead_id is not None else None,
            )
        website = payload.get("websiteId") or event.website_id or ""
        project = payload.get("projectId") or event.project_id or ""
        name = data.get("name") or data.get("domain") or "A website"
        text = f"{name} is built and published."
        if replay:
            text = f"{name} was published before; the replayed event is listed in Events."
        return Notice(
            WEBSITE_PUBLISHED,
            "Replayed \u2014 nothing new was published" if replay else "Website published",
            text,
            "Preview",
            lambda: self._services.sig_open_preview.emit(str(project), str(website)),
        )

    def _summary_for(self, kind: str, events: list[StoredEvent], count: int) -> Notice:
        last = events[-1]
        if kind == LEAD_CAPTURED:
            return Notice(
                kind,
                f"{count:,} new leads",
                "They are in the Leads tab, newest first.",
                "Show leads",
                self._notice_for(last).action,
                count,
            )
        return Notice(
            kind,
            f"{count:,} websites published",
            "They are ready to preview in the Projects tab.",
            "Preview the latest",
            self._notice_for(last).action,
            count,
        )

    # ----- showing ---------------------------------------------------------------------------
    def _show(self, notice: Notice) -> Toast | None:
        toast = Toast(notice, self._window)
        toast.sig_closed.connect(lambda t=toast: self._forget(t))
        self._toasts.append(toast)
        while len(self._toasts) > MAX_TOASTS:
            self._toasts[0].dismiss()
        toast.show()
        toast.raise_()
        self._place_toasts()
        self.toasts_shown += 1
        self._tray(notice)
        self.sig_notified.emit(notice)
        return toast

    def _tray(self, notice: Notice) -> None:
        window_in_front = self._window.isActiveWindow() and not self._window.isMinimized()
        if self.tray is None or window_in_front:
            return
        self._tray_action = notice.action
        self.tray.showMessage(notice.title, notice.text, QSystemTrayIcon.MessageIcon.Information, TOAST_MS)

    def _on_tray_clicked(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
        if self._tray_action is not None:
            self._tray_action()

    def _forget(self, toast: Toast) -> None:
        if toast in self._toasts:
            self._toasts.remove(toast)
        for kind, shown in list(self._summaries.items()):
            if shown is toast:
                del self._summaries[kind]
        self._place_toasts()

    def _place_toasts(self) -> None:
        """Stack the toasts from the bottom right corner of the window upwards, above any
        control there (a button, field or list choice stays reachable while a toast shows)."""
        if not self._toasts:
            return  # most resizes: nothing to place, and no walk over every widget of the window
        margin = 16
        bottom = self._window.height() - margin
        if isinstance(self._window, QMainWindow):
            bar = self._window.statusBar()
            if bar.isVisible():
                bottom -= bar.height()
        controls = self._control_rects()
        lowest_top = self._window.height() // 3  # never pushed past the upper third: cover rather than vanish
        for toast in reversed(self._toasts):
            toast.adjustSize()
            left = self._window.width() - toast.width() - margin
            top = bottom - toast.height()
            moved = True
            while moved:
                moved = False
                for rect in controls:
                    if (
                        rect.intersects(QRect(left, top, toast.width(), toast.height()))
                        and rect.top() - 8 - toast.height() >= lowest_top
                    ):
                        top = rect.top() - 8 - toast.height()
                        moved = True
            toast.move(left, top)
            bottom = top - 8

    def _control_rects(self) -> list[QRect]:
        """Where the window's visible small controls are (in window coordinates)."""
        rects: list[QRect] = []
        for widget in self._window.findChildren(QWidget):
            if not isinstance(widget, _CONTROL_TYPES) or not widget.isVisible() or isinstance(widget.window(), Toast):
                continue
            if widget.window() is not self._window or _inside_toast(widget):
                continue
            rects.append(QRect(widget.mapTo(self._window, QPoint(0, 0)), widget.size()))
        return rects

    def visible_toasts(self) -> list[Toast]:
        return [t for t in self._toasts if t.isVisible()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self._place_toasts()
        return False


def _inside_toast(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, Toast):
            return True
        parent = parent.parentWidget()
    return False


def _clip(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _app_icon(window: QWidget) -> QIcon:
    icon = window.windowIcon()
    if icon.isNull():
        app = QApplication.instance()
        icon = app.windowIcon() if isinstance(app, QApplication) else QIcon()
    return icon
