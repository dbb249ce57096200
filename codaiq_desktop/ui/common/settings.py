"""Where the app's ``QSettings`` live, and the keys it uses.

One INI file under the platform's config folder (``platformdirs``: XDG on Linux,
``~/Library/Application Support`` on macOS, ``%APPDATA%`` on Windows), rather than
Qt's per-platform default (the Windows registry, plist files), so a person can find,
back up or delete it, and tests redirect it with ``XDG_CONFIG_HOME``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from codaiq_desktop.accounts import config_dir


class SettingsKeys:
    """Every settings key in one place, so a typo cannot create a second setting."""

    GEOMETRY = "window/geometry"
    WINDOW_STATE = "window/state"
    LAST_TAB = "window/lastTab"
    THEME = "appearance/theme"  # "system" | "light" | "dark"
    SPLITTER_PREFIX = "splitters/"  # + objectName of the splitter
    PREVIEW_WIDTH = "projects/previewWidth"  # "desktop" | "tablet" | "mobile"
    RECEIVER_PORT = "receiver/port"  # 0 = any free port; unset = DEFAULT_RECEIVER_PORT
    LAST_EXPORT_DIR = "export/lastDir"


#: Where the webhook receiver listens unless the user chose another port: a fixed port,
#: so the webhook URL entered in a project's settings stays valid from one run to the next.
DEFAULT_RECEIVER_PORT = 8788


def settings_path() -> Path:
    return config_dir() / "settings.ini"


def make_settings(path: Path | None = None) -> QSettings:
    """The app's settings file (created on first write)."""
    target = path or settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(target), QSettings.Format.IniFormat)
