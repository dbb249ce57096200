"""Can Qt open a window here? Checked before ``QApplication`` exists, without Qt.

When Qt's ``xcb`` platform plugin cannot load, Qt prints "Could not load the Qt
platform plugin" and aborts the process - and from Qt 6.5 it blames
``libxcb-cursor0`` even when another library is the one missing. A user cannot
act on that. So, before Qt is imported, the app calls
:func:`check_gui_environment`, which looks for a display and for the system
libraries the ``xcb`` plugin links to, and returns one message naming what is
missing and the command that installs it (or ``None`` when all is well).

The library table lists the direct dependencies of PySide6's ``libqxcb.so`` and
``libQt6XcbQpa.so.6`` that come from the system rather than from the wheel;
``tests/packaging/test_platform_check.py`` keeps it in step with the installed
PySide6. A library is reported missing only when neither the loader cache, the
library path, the bundle nor ``dlopen`` can find it, so the check never stops
an app that Qt could have started.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

#: ``soname -> Debian/Ubuntu package`` for every system library the xcb plugin needs.
XCB_LIBRARIES: Mapping[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}

#: Platforms that need no display server; nothing to check for them.
_HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"})

LibraryLookup = Callable[[str], bool]
"""Answers "can the dynamic loader find this soname?"; injected by tests."""

DisplayProbe = Callable[[str], bool]
"""Answers "does an X server accept connections on this DISPLAY?"; injected by tests."""


@dataclass(frozen=True)
class MissingLibrary:
    """A shared library the xcb plugin needs and the loader cannot find."""

    soname: str
    package: str


def check_gui_environment(
    environ: Mapping[str, str] | None = None,
    *,
    platform: str | None = None,
    library_available: LibraryLookup | None = None,
    display_reachable: DisplayProbe | None = None,
) -> str | None:
    """Return a message saying why Qt cannot open a window here, or ``None`` if it can.

    Call it before creating ``QApplication``; print the message and exit when it is
    not ``None``. Only Linux (and other X11 systems) are checked: Windows and macOS
    ship what Qt needs. ``CODAIQ_SKIP_GUI_CHECK=1`` turns the check off, for the odd
    system where it guesses wrong.
    """
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if not system.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    if env.get("CODAIQ_SKIP_GUI_CHECK") == "1":
        return None
    platforms = _requested_platforms(env)
    if platforms and all(name in _HEADLESS_PLATFORMS for name in platforms):
        return None
    display = env.get("DISPLAY", "")
    wayland = env.get("WAYLAND_DISPLAY", "")
    if not display and not wayland:
        return no_display_message()
    if not platforms:
        # What Qt 6 does by itself: Wayland in a Wayland session, X11 otherwise.
        session_is_wayland = env.get("XDG_SESSION_TYPE") == "wayland" and bool(wayland)
        platforms = ["wayland", "xcb"] if session_is_wayland else ["xcb"]
    if platforms[0].startswith("wayland") and wayland:
        return None  # Qt's own messages name a Wayland problem; xcb is only its fallback.
    if "xcb" not in platforms:
        return None
    if not display:
        return no_display_message()
    missing = find_missing_libraries(library_available=library_available or _default_library_lookup(env))
    if missing:
        return missing_libraries_message(missing)
    probe = display_reachable or _default_display_probe
    if not probe(display):
        return unreachable_display_message(display)
    return None


def find_missing_libraries(
    sonames: Iterable[str] | None = None, *, library_available: LibraryLookup | None = None
) -> list[MissingLibrary]:
    """The libraries of :data:`XCB_LIBRARIES` (or ``sonames``) the loader cannot find."""
    lookup = library_available or _default_library_lookup(os.environ)
    names = list(XCB_LIBRARIES) if sonames is None else list(sonames)
    return [MissingLibrary(name, XCB_LIBRARIES.get(name, name)) for name in names if not lookup(name)]


def missing_libraries_message(missing: Iterable[MissingLibrary]) -> str:
    """One paragraph a user can act on: which libraries, and the command to install them."""
    missing = list(missing)
    packages = sorted({item.package for item in missing})
    sonames = ", ".join(item.soname for item in missing)
    return (
        "Codaiq Desktop cannot open its window: the X11 (xcb) display support needs "
        f"{len(missing)} system {'library' if len(missing) == 1 else 'libraries'} that "
        f"{'is' if len(missing) == 1 else 'are'} not installed: {sonames}.\n"
        "On Debian or Ubuntu, install them with:\n"
        f"    sudo apt-get install {' '.join(packages)}\n"
        "On other systems, install the packages that provide those files, then start Codaiq Desktop again.\n"
        "(The command line - codaiq-desktop --help - works without them.)"
    )


def no_display_message() -> str:
    """The message for a session with neither an X11 nor a Wayland display."""
    return (
        "Codaiq Desktop cannot open its window: there is no graphical display "
        "(neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
        "Start it from a desktop session, or over SSH with X forwarding (ssh -X). "
        "The command line - codaiq-desktop --help - works without a display."
    )


def unreachable_display_message(display: str) -> str:
    """The message for a DISPLAY that names an X server nobody answers at."""
    return (
        f"Codaiq Desktop cannot open its window: no X server answers on display {display!r}.\n"
        "Check that the desktop session (or Xvfb) is running and that DISPLAY is right. "
        "The command line - codaiq-desktop --help - works without a display."
    )


def _requested_platforms(env: Mapping[str, str]) -> list[str]:
    """Qt's platform list from ``QT_QPA_PLATFORM`` ("wayland;xcb", "xcb:option=1" ...)."""
    value = env.get("QT_QPA_PLATFORM", "").strip()
    return [part.split(":", 1)[0].strip() for part in value.split(";") if part.strip()]


def _default_library_lookup(env: Mapping[str, str]) -> LibraryLookup:
    directories = _extra_library_dirs(env)

    def available(soname: str) -> bool:
        # The loader itself first: for a library that is there (the usual case) that is
        # all it takes, and it loads nothing Qt would not load a moment later. Reading
        # the loader cache costs a process (``ldconfig -p``) on every start, so it is only
        # asked about a library the loader could not open.
        if _dlopen_succeeds(soname):
            return True
        if soname in _loader_cache():
            return True
        return any((directory / soname).exists() for directory in directories)

    return available


def _extra_library_dirs(env: Mapping[str, str]) -> list[Path]:
    """Where the loader looks besides its cache: LD_LIBRARY_PATH and a PyInstaller bundle."""
    dirs = [Path(part) for part in env.get("LD_LIBRARY_PATH", "").split(os.pathsep) if part]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs += [Path(bundle), Path(bundle) / "PySide6" / "Qt" / "lib"]
    return dirs


@functools.cache
def _loader_cache() -> frozenset[str]:
    """Sonames known to the dynamic loader's cache (``ldconfig -p``), read once."""
    import subprocess  # only when a library seems missing: not on a normal start

    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            output = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=5, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        names = {line.split(maxsplit=1)[0] for line in output.splitlines()[1:] if line.strip()}
        if names:
            return frozenset(names)
    return frozenset()


def _dlopen_succeeds(soname: str) -> bool:
    """Can the loader open the library (by soname, as Qt's plugin will)?"""
    import ctypes  # here, not at import: the check must cost a normal start next to nothing

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _default_display_probe(display: str) -> bool:
    """Connect to a *local* X display with libxcb; remote ones are assumed reachable.

    A remote display behind a firewall could hang a connect for minutes, so only
    ``:N`` and ``unix:N`` displays are probed.
    """
    if not display.startswith((":", "unix:")):
        return True
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # reported as a missing library instead
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return bool(xcb.xcb_connection_has_error(connection) == 0)
    finally:
        xcb.xcb_disconnect(connection)


def main() -> int:
    """``python -m codaiq_desktop.platform_check``: say whether the app can open a window here."""
    problem = check_gui_environment()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print("Codaiq Desktop can open its window here.")
    return 0


if __name__ == "__main__":
    # Through the imported module, so ``python -m`` and ``import`` share one set of functions.
    import importlib

    sys.exit(importlib.import_module("codaiq_desktop.platform_check").main())
