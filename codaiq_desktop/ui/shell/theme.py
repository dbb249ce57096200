"""Light and dark themes: a QSS template filled from a palette, following the OS by default.

The palettes (``resources/styles/palettes.json``) are the single source of colours: the
style sheet template, the ``QPalette`` (for widgets QSS does not reach), the action
icons (recoloured SVGs) and the few painted items (status badges) all read them.
"""

from __future__ import annotations

import contextlib
import json
import logging
from string import Template

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from codaiq_desktop.ui.common.resources import action_icon, resource_path

log = logging.getLogger(__name__)

THEME_MODES = ("system", "light", "dark")


def _load_palettes() -> dict[str, dict[str, str]]:
    try:
        return json.loads(resource_path("styles", "palettes.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # a broken install still starts, unstyled
        log.warning("Theme palettes unreadable: %s", exc)
        return {"light": {}, "dark": {}}


class ThemeManager(QObject):
    """Applies the chosen theme to the application and tells widgets when it changes."""

    sig_theme_changed = Signal(str)
    """The effective theme changed to ``light`` or ``dark``: re-fetch icons and painted colours."""

    def __init__(self, app: QApplication | None = None, mode: str = "system") -> None:
        super().__init__()
        self._app = app
        self._palettes = _load_palettes()
        self.mode = mode if mode in THEME_MODES else "system"
        self._effective = self._resolve()
        self._icons: dict[str, QPixmap] = {}
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._on_os_scheme_changed)

    @property
    def effective(self) -> str:
        """``light`` or ``dark``: what is on screen now."""
        return self._effective

    def color(self, name: str) -> QColor:
        return QColor(self._palettes.get(self._effective, {}).get(name, "#808080"))

    def icon(self, name: str, role: str = "text") -> QIcon:
        """An action icon that always draws in the current theme's text colour.

        The icon's engine picks the colour when it paints, so a theme switch recolours
        every button and action at once, with nothing to refresh by hand.
        """
        return QIcon(ThemedIconEngine(name, role))

    def pixmap(self, name: str, size: QSize, disabled: bool, role: str = "text") -> QPixmap:
        """Icon ``name`` drawn in the current theme's colour for ``role`` (cached per theme and size)."""
        role = "disabled" if disabled else role
        key = f"{self._effective}:{name}:{role}:{size.width()}x{size.height()}"
        pixmap = self._icons.get(key)
        if pixmap is None:
            rendered = action_icon(name, self.color(role))
            pixmap = rendered.pixmap(size)
            self._icons[key] = pixmap
        return pixmap

    def set_mode(self, mode: str) -> None:
        self.mode = mode if mode in THEME_MODES else "system"
        self.apply()

    def apply(self) -> None:
        """Set the style sheet and palette for the current mode; emit if the look changed."""
        previous = self._effective
        self._effective = self._resolve()
        app = self._app or QApplication.instance()
        if isinstance(app, QApplication):
            colours = dict(self._palettes.get(self._effective, {}))
            for name, file in (
                ("combo_arrow", f"chevron-down-{self._effective}.svg"),
                ("combo_arrow_disabled", f"chevron-down-{self._effective}-disabled.svg"),
                ("check_mark", f"check-{self._effective}.svg"),
            ):
                with contextlib.suppress(Exception):  # no arrow image: Qt draws its own
                    colours[name] = resource_path("styles", file).as_posix()
            # Palette first: the style sheet re-polishes every widget from the palette in
            # force, so set the other way round hidden widgets (scroll bars of a tab not on
            # screen) would keep the previous theme's colours.
            app.setPalette(self._qpalette())
            try:
                template = resource_path("styles", "app.qss").read_text(encoding="utf-8")
                app.setStyleSheet(Template(template).safe_substitute(colours))
            except OSError as exc:
                log.warning("Theme style sheet unreadable: %s", exc)
        if previous != self._effective:
            self.sig_theme_changed.emit(self._effective)

    def _resolve(self) -> str:
        if self.mode in ("light", "dark"):
            return self.mode
        hints = QGuiApplication.styleHints()
        if hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark:
            return "dark"
        return "light"

    def _on_os_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode == "system":
            self.apply()

    def _qpalette(self) -> QPalette:
        c = self.color
        palette = QPalette()
        role = QPalette.ColorRole
        for r, name in (
            (role.Window, "window"),
            (role.WindowText, "text"),
            (role.Base, "base"),
            (role.AlternateBase, "alternate"),
            (role.Text, "text"),
            (role.Button, "base"),
            (role.ButtonText, "text"),
            (role.Highlight, "highlight"),
            (role.HighlightedText, "text"),
            (role.ToolTipBase, "base"),
            (role.ToolTipText, "text"),
            (role.PlaceholderText, "muted"),
            (role.Link, "accent"),
            (role.Mid, "border"),
        ):
            palette.setColor(r, c(name))
        for r in (role.Text, role.WindowText, role.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, r, c("disabled"))
        return palette


class ThemedIconEngine(QIconEngine):
    """Renders an action icon (a ``currentColor`` SVG) in the theme's colour at paint time."""

    def __init__(self, name: str, role: str = "text") -> None:
        super().__init__()
        self._name = name
        self._role = role

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return theme_manager().pixmap(self._name, size, mode == QIcon.Mode.Disabled, self._role)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        size = QSize(max(1, round(rect.width() * ratio)), max(1, round(rect.height() * ratio)))
        pixmap = self.pixmap(size, mode, state)
        painter.drawPixmap(rect, pixmap)

    def clone(self) -> QIconEngine:
        return ThemedIconEngine(self._name, self._role)

    def key(self) -> str:
        return "codaiq-themed-icon"


_current: ThemeManager | None = None


def theme_manager() -> ThemeManager:
    """The app's theme manager (made on first use, so widgets work in tests without the app)."""
    global _current
    if _current is None:
        _current = ThemeManager()
    return _current


def install_theme(app: QApplication, mode: str) -> ThemeManager:
    """Create the app-wide manager in ``mode`` and apply it.

    Dialog buttons carry no platform icons (on Linux the platform theme puts a green arrow
    on OK and a red cross on Cancel, noise beside the app's own icons): the style sheet says
    so (``dialogbuttonbox-buttons-have-icons``). A Python style overriding ``styleHint`` did
    it before, and Qt called it thousands of times while building and painting widgets.
    """
    global _current
    _current = ThemeManager(app, mode)
    _current.apply()
    return _current


def icon(name: str, role: str = "text") -> QIcon:
    """Shorthand: an action icon in the current theme (``role``: a palette colour name)."""
    return theme_manager().icon(name, role)
