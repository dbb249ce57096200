"""Loading the app's icons in the theme's colour.

Where ``resources/`` is (checkout, wheel, bundle) is :mod:`codaiq_desktop.resources`'s
business. Action icons are monochrome SVGs drawn with ``currentColor``; they are recoloured at
run time so one set serves the light and the dark theme (as napari does).
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from codaiq_desktop.resources import resources_dir


def resource_path(*parts: str) -> Path:
    """A path inside the app's resources folder (see :mod:`codaiq_desktop.resources`)."""
    return resources_dir().joinpath(*parts)


@functools.cache
def _svg_bytes(name: str) -> bytes | None:
    try:
        return resource_path("icons", "actions", f"{name}.svg").read_bytes()
    except OSError:
        return None


def action_icon(name: str, color: str | QColor, disabled_color: str | QColor | None = None) -> QIcon:
    """The action icon ``name`` drawn in ``color`` (an empty icon if it is missing)."""
    data = _svg_bytes(name)
    icon = QIcon()
    if data is None:
        return icon
    for mode, tint in ((QIcon.Mode.Normal, color), (QIcon.Mode.Disabled, disabled_color)):
        if tint is None:
            continue
        svg = data.replace(b"currentColor", QColor(tint).name().encode())
        renderer = QSvgRenderer(QByteArray(svg))
        for size in (16, 24, 32, 48):
            image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
            icon.addPixmap(QPixmap.fromImage(image), mode)
    return icon


def app_icon() -> QIcon:
    """The application icon (window, task bar); the Generate action's mark as a fallback."""
    icon = QIcon()
    try:
        folder = resource_path("icons", "app")
    except OSError:
        return action_icon("logo", "#4f46e5")
    for size in (16, 24, 32, 48, 64, 128, 256):
        png = folder / f"codaiq-{size}.png"
        if png.exists():
            icon.addFile(str(png), QSize(size, size))
    if icon.isNull() and (folder / "codaiq.svg").exists():
        icon = QIcon(str(folder / "codaiq.svg"))
    return icon if not icon.isNull() else action_icon("logo", "#4f46e5")
