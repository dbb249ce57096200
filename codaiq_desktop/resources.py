"""Where the app's resource files (icons, themes, desktop entry) live, without Qt.

The same code runs from three layouts, and each keeps ``resources/`` elsewhere:

- a source checkout or editable install: ``<repo>/resources`` next to the package;
- an installed wheel: ``codaiq_desktop/resources`` inside the package;
- a PyInstaller bundle: ``<sys._MEIPASS>/resources`` (the spec puts it there).

``CODAIQ_RESOURCES_DIR`` overrides all three, for packagers who install the files
somewhere else (``/usr/share/codaiq-desktop``). Everyone asks
:func:`resource_path` rather than building paths from ``__file__``.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

#: A file every layout has; it tells a real resources dir from a same-named stranger.
_MARKER = Path("icons") / "app" / "codaiq.svg"

#: The application id: the desktop entry, metainfo and icon names on Linux.
APP_ID = "com.codaiq.Desktop"


class ResourceNotFoundError(FileNotFoundError):
    """A resource the app needs is not where any layout puts it (a broken install)."""


def candidate_dirs() -> list[Path]:
    """The places :func:`resources_dir` looks, in order of preference."""
    candidates: list[Path] = []
    override = os.environ.get("CODAIQ_RESOURCES_DIR")
    if override:
        candidates.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    package_dir = Path(__file__).resolve().parent
    candidates.append(package_dir / "resources")
    candidates.append(package_dir.parent / "resources")
    return candidates


@functools.cache
def resources_dir() -> Path:
    """The directory holding the app's resources; raises if none of the layouts has it."""
    candidates = candidate_dirs()
    for directory in candidates:
        if (directory / _MARKER).is_file():
            return directory
    searched = ", ".join(str(path) for path in candidates)
    raise ResourceNotFoundError(
        f"Codaiq Desktop's resource files are missing (looked in: {searched}). Reinstall the app."
    )


def resource_path(relative: str | os.PathLike[str]) -> Path:
    """The absolute path of ``relative`` inside the resources dir, e.g. ``"icons/app/codaiq.svg"``.

    Raises :class:`ResourceNotFoundError` when the file does not exist, so a
    missing icon is a clear error at the call site rather than a blank widget.
    """
    path = resources_dir() / relative
    if not path.exists():
        raise ResourceNotFoundError(f"Codaiq Desktop resource not found: {relative} (in {resources_dir()}).")
    return path


def is_frozen() -> bool:
    """True inside a PyInstaller bundle (or another freezer that sets ``sys.frozen``)."""
    return bool(getattr(sys, "frozen", False))


def cli_command() -> list[str]:
    """The argv prefix that runs *this* installation's ``codaiq-desktop`` command line.

    For child processes (the sandbox: ``[*cli_command(), "sandbox", "--ready-json"]``):
    in a bundle the executable *is* the command line, so ``-m`` would be wrong there;
    elsewhere the running interpreter is used, so a child never picks up another
    installation from ``PATH``.
    """
    if is_frozen():
        return [sys.executable]
    return [sys.executable, "-m", "codaiq_desktop"]
