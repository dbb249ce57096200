"""The site preview: a locked-down ``QWebEngineView`` at desktop, tablet or mobile width.

The preview shows pages generated from a prompt, so it is treated as untrusted:
an off-the-record profile (nothing written to disk), no plugins, no local-file
access, no pop-up windows, no permission prompts (camera, location ... are denied),
and only http(s), data and blob URLs load. Links that leave the site open in the
system browser instead of inside the app. Forms posting to the site itself (the
lead form) work as on the real site.

Qt WebEngine is loaded on first use, not at start-up: it is the heaviest part of Qt.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.sandbox.analytics import PREVIEW_HEADER
from codaiq_desktop.ui.shell.theme import icon

log = logging.getLogger(__name__)

WIDTHS = {"desktop": 1280, "tablet": 768, "mobile": 375}
"""Viewport widths in CSS pixels. A pane narrower than that shows the page scaled down to
fit, so "Desktop" lays the page out as a 1280 px screen would, not at the pane's width;
a pane wider than 1280 px gives the desktop page all of it."""

DEVICE_TIPS = {
    "desktop": "Desktop: the page laid out 1280 px wide, scaled to fit",
    "tablet": "Tablet: 768 px wide (portrait)",
    "mobile": "Mobile: 375 px wide (a typical phone)",
}

MIN_ZOOM = 0.25
"""Qt WebEngine's smallest zoom factor."""

ALLOWED_SCHEMES = frozenset({"http", "https", "data", "blob", "about"})


def _make_web_classes() -> tuple[type, type, type]:
    """Define the WebEngine subclasses when first needed (importing WebEngine is slow)."""
    from PySide6.QtWebEngineCore import (
        QWebEnginePage,
        QWebEngineProfile,
        QWebEngineSettings,
        QWebEngineUrlRequestInfo,
        QWebEngineUrlRequestInterceptor,
    )
    from PySide6.QtWebEngineWidgets import QWebEngineView

    class SchemeGuard(QWebEngineUrlRequestInterceptor):
        """Blocks every request that is not http(s)/data/blob: no ``file:``, no custom schemes.

        Requests to the previewed site carry the preview marker, so the owner's own looks
        are not counted as visits (the sandbox honours it; see ``PREVIEW_HEADER``).
        """

        site_origin: tuple[str, str, int] | None = None

        def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
            url = info.requestUrl()
            scheme = url.scheme().lower()
            if scheme not in ALLOWED_SCHEMES:
                log.info("Preview blocked a %s request", url.scheme())
                info.block(True)
                return
            if self.site_origin is not None and (scheme, url.host(), url.port(-1)) == self.site_origin:
                info.setHttpHeader(PREVIEW_HEADER.encode(), b"1")

    class PreviewPage(QWebEnginePage):
        """Keeps navigation on the previewed site; everything else goes to the system browser."""

        def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
            super().__init__(profile, parent)
            self.site_origin: tuple[str, str, int] | None = None
            if hasattr(self, "permissionRequested"):  # Qt 6.8+
                self.permissionRequested.connect(lambda permission: permission.deny())
            else:
                self.featurePermissionRequested.connect(self._deny_feature)

        def acceptNavigationRequest(  # type: ignore[override]
            self, url: QUrl, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
        ) -> bool:
            scheme = url.scheme().lower()
            if scheme not in ALLOWED_SCHEMES:
                return False
            origin = (scheme, url.host(), url.port(-1))
            if (
                not is_main_frame
                or self.site_origin is None
                or origin == self.site_origin
                or scheme in ("data", "blob", "about")
            ):
                return True
            if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked and scheme in ("http", "https"):
                QDesktopServices.openUrl(url)
            return False

        def createWindow(self, _type: QWebEnginePage.WebWindowType) -> None:  # type: ignore[override]
            return None

        def _deny_feature(self, origin: QUrl, feature: QWebEnginePage.Feature) -> None:
            self.setFeaturePermission(origin, feature, QWebEnginePage.PermissionPolicy.PermissionDeniedByUser)

        def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:
            log.debug("Preview console: %s (%s:%s)", message, source, line)

    def make_profile(parent: Any) -> QWebEngineProfile:
        profile = QWebEngineProfile(parent)  # no storage name: off the record, nothing on disk
        profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        guard = SchemeGuard(profile)
        profile.setUrlRequestInterceptor(guard)
        profile._scheme_guard = guard  # type: ignore[attr-defined]  # noqa: SLF001 - alive as long as the profile
        settings = profile.settings()
        attr = QWebEngineSettings.WebAttribute
        for attribute, on in (
            (attr.LocalContentCanAccessFileUrls, False),
            (attr.LocalContentCanAccessRemoteUrls, False),
            (attr.PluginsEnabled, False),
            (attr.JavascriptCanOpenWindows, False),
            (attr.JavascriptCanAccessClipboard, False),
            (attr.JavascriptCanPaste, False),
            (attr.AllowRunningInsecureContent, False),
            (attr.AllowGeolocationOnInsecureOrigins, False),
            (attr.ScreenCaptureEnabled, False),
            (attr.WebRTCPublicInterfacesOnly, True),
            (attr.PdfViewerEnabled, False),
            (attr.FullScreenSupportEnabled, False),
            (attr.JavascriptEnabled, True),  # generated sites use it (menus, forms)
        ):
            settings.setAttribute(attribute, on)
        return profile

    return QWebEngineView, PreviewPage, make_profile  # type: ignore[return-value]


class PreviewPane(QWidget):
    """Width presets, reload, open in browser, and the web view (created on first use)."""

    sig_load_finished = Signal(bool)
    """The page finished loading (``True``) or failed (``False``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url: QUrl | None = None
        self.width_mode = "desktop"
        self.view: Any = None
        self.page: Any = None
        self._profile: Any = None

        self.width_group = QButtonGroup(self)
        self.width_group.setExclusive(True)
        toolbar = QHBoxLayout()
        self.width_buttons: dict[str, QToolButton] = {}
        for mode, label in (("desktop", "Desktop (1280)"), ("tablet", "Tablet (768)"), ("mobile", "Mobile (375)")):
            button = QToolButton()
            button.setIcon(icon(mode))
            button.setText(label)
            button.setToolTip(DEVICE_TIPS[mode])
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setAccessibleName(label)
            button.clicked.connect(lambda _=False, m=mode: self.set_width(m))
            self.width_group.addButton(button)
            self.width_buttons[mode] = button
            toolbar.addWidget(button)
        self.width_buttons["desktop"].setChecked(True)
        toolbar.addStretch(1)
        self.address_label = QLabel()
        self.address_label.setProperty("muted", True)
        # A long URL must not force the pane wider: it is cut to fit instead.
        self.address_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(self.address_label)
        self.reload_button = QPushButton(icon("refresh"), "")
        self.reload_button.setToolTip("Reload the preview (Ctrl+R)")
        self.reload_button.setShortcut("Ctrl+R")
        self.reload_button.clicked.connect(self.reload)
        self.browser_button = QPushButton(icon("external"), "")
        self.browser_button.setToolTip("Open the site in your web browser")
        self.browser_button.clicked.connect(self.open_in_browser)
        toolbar.addWidget(self.reload_button)
        toolbar.addWidget(self.browser_button)

        self.message = QLabel("Select a website that is ready to preview it.")
        self.message.setObjectName("previewMessage")
        self.message.setProperty("muted", True)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Until the first page has painted, a neutral placeholder: a fresh web view shows
        # black, then white, for a moment.
        self.placeholder = QLabel("Loading the preview\u2026")
        self.placeholder.setObjectName("previewPlaceholder")
        self.placeholder.setProperty("muted", True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._painted = False
        self.frame = QWidget()  # centres the view at tablet/mobile widths
        self.frame_layout = QHBoxLayout(self.frame)
        self.frame_layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.frame)
        self.stack.addWidget(self.placeholder)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        self._sync()

    # ------------------------------------------------------------------ web view
    def ensure_view(self) -> Any:
        """Create the web view (and load WebEngine) the first time a preview is needed."""
        if self.view is None:
            view_class, page_class, make_profile = _make_web_classes()
            self._profile = make_profile(self)
            self.view = view_class()
            self.view.setObjectName("previewView")
            self.page = page_class(self._profile, self.view)
            self.page.setBackgroundColor(self.palette().color(self.backgroundRole()))
            self.view.setPage(self.page)
            self.view.loadFinished.connect(self._on_load_finished)
            self.view.installEventFilter(self)
            self.frame_layout.addStretch(1)
            self.frame_layout.addWidget(self.view, 100)
            self.frame_layout.addStretch(1)
            self._apply_width()
        return self.view

    def show_url(self, url: str) -> None:
        """Load ``url`` (the site's root) in the preview."""
        self.url = QUrl(url)
        self.address_label.setText(url)
        self._sync()
        if self.view is None:
            # Starting WebEngine runs Qt's event loop for a moment. Called from a coroutine
            # (a build turning ready), that would re-enter asyncio mid-task; a zero timer
            # starts it from the plain Qt event loop instead.
            self.message.setText("Loading the preview\u2026")
            self.stack.setCurrentWidget(self.message)
            QTimer.singleShot(0, self, self._load_current)  # dropped if the pane is deleted first
            return
        self._load_current()

    def _load_current(self) -> None:
        if self.url is None:
            return
        self.ensure_view()
        origin = (self.url.scheme().lower(), self.url.host(), self.url.port(-1))
        self.page.site_origin = origin
        self._profile._scheme_guard.site_origin = origin  # noqa: SLF001
        self.stack.setCurrentWidget(self.frame if self._painted else self.placeholder)
        self.view.setUrl(self.url)

    def show_message(self, text: str) -> None:
        """No page to show (nothing selected, still building ...): say why instead."""
        self.url = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.address_label.clear()
        if self.view is not None:
            self.view.setUrl(QUrl("about:blank"))
        self._sync()

    def set_width(self, mode: str) -> None:
        if mode not in WIDTHS:
            return
        self.width_mode = mode
        self.width_buttons[mode].setChecked(True)
        self._apply_width()

    def _apply_width(self) -> None:
        """Size the view for the device; :meth:`_fit_zoom` then scales the page to the width it got."""
        if self.view is None:
            return
        available = max(1, self.stack.width())
        device = WIDTHS[self.width_mode]
        # A maximum, not a fixed width: the pane must stay free to shrink (a fixed width
        # would hold the splitter open at the old size).
        self.view.setMinimumWidth(0)
        self.view.setMaximumWidth(available if self.width_mode == "desktop" else max(1, min(device, available)))
        self._fit_zoom()

    def _fit_zoom(self) -> None:
        """Zoom so the page lays out at the device's CSS width in the width the view has."""
        if self.view is None:
            return
        shown = max(1, self.view.width())
        device = WIDTHS[self.width_mode]
        if self.width_mode == "desktop":
            device = max(device, shown)  # a wide pane gives the desktop page all of it
        zoom = max(MIN_ZOOM, min(1.0, shown / device))
        if abs(self.view.zoomFactor() - zoom) > 1e-3:
            self.view.setZoomFactor(zoom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit_zoom()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_width()

    def reload(self) -> None:
        if self.view is not None and self.url is not None:
            self.view.reload()

    def open_in_browser(self) -> Any:
        """Open the previewed page in the browser (or offer to copy its address when there is none)."""
        from codaiq_desktop.ui.common.widgets import open_in_browser

        return open_in_browser(self.url.toString(), self) if self.url is not None else None

    def _on_load_finished(self, ok: bool) -> None:
        self._apply_width()  # Chromium may reset the zoom on navigation: set it again
        if not self._painted and self.url is not None:
            self._painted = True
            self.stack.setCurrentWidget(self.frame)
        if not ok and self.url is not None:
            log.info("Preview of %s did not load", self.url.toString())
        self.sig_load_finished.emit(ok)

    def _sync(self) -> None:
        has_url = self.url is not None
        self.reload_button.setEnabled(has_url)
        self.browser_button.setEnabled(has_url)

    def shutdown(self) -> None:
        """Delete the page before its profile (WebEngine insists on that order)."""
        if self.view is not None:
            self.view.setPage(None)
            self.page.deleteLater()
            self.page = None
