"""The missing-display / missing-library message, before Qt gets to abort the process.

Library detection is tested with an injected lookup (every case, quickly); the
message is tested end to end in real interpreters with ``QT_QPA_PLATFORM=xcb``:
once with no display at all, once with a library hidden from the loader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codaiq_desktop import platform_check
from codaiq_desktop.platform_check import XCB_LIBRARIES, check_gui_environment, find_missing_libraries

HIDDEN = ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")


def _all_present(_soname: str) -> bool:
    return True


def _hide(*sonames: str):
    return lambda soname: soname not in sonames


def _reachable(_display: str) -> bool:
    return True


def test_missing_libraries_are_named_with_the_apt_command() -> None:
    message = check_gui_environment(
        {"DISPLAY": ":0"}, platform="linux", library_available=_hide(*HIDDEN), display_reachable=_reachable
    )
    assert message is not None
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in message
    assert "2 system libraries" in message


def test_all_libraries_present_and_display_reachable_is_fine() -> None:
    env = {"DISPLAY": ":0"}
    assert (
        check_gui_environment(env, platform="linux", library_available=_all_present, display_reachable=_reachable)
        is None
    )


def test_no_display_at_all() -> None:
    message = check_gui_environment({}, platform="linux", library_available=_all_present, display_reachable=_reachable)
    assert message is not None and "no graphical display" in message


def test_unreachable_display_is_reported() -> None:
    message = check_gui_environment(
        {"DISPLAY": ":42"}, platform="linux", library_available=_all_present, display_reachable=lambda d: False
    )
    assert message is not None and "':42'" in message


@pytest.mark.parametrize("qpa", ["offscreen", "minimal", "offscreen:fontengine=freetype", "vnc;offscreen"])
def test_headless_platforms_need_neither_display_nor_xcb(qpa: str) -> None:
    env = {"QT_QPA_PLATFORM": qpa}
    assert check_gui_environment(env, platform="linux", library_available=_hide(*XCB_LIBRARIES)) is None


def test_wayland_session_does_not_require_x_libraries() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}
    assert check_gui_environment(env, platform="linux", library_available=_hide(*HIDDEN)) is None


def test_explicit_xcb_in_a_wayland_session_is_checked() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}
    message = check_gui_environment(
        env, platform="linux", library_available=_hide(*HIDDEN), display_reachable=_reachable
    )
    assert message is not None and "libxcb-icccm4" in message


def test_xcb_requested_without_display_is_a_missing_display() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}
    message = check_gui_environment(env, platform="linux", library_available=_all_present)
    assert message is not None and "no graphical display" in message


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_windows_and_macos_are_not_checked(system: str) -> None:
    assert check_gui_environment({}, platform=system, library_available=_hide(*XCB_LIBRARIES)) is None


def test_escape_hatch_turns_the_check_off() -> None:
    env = {"CODAIQ_SKIP_GUI_CHECK": "1"}
    assert check_gui_environment(env, platform="linux", library_available=_hide(*HIDDEN)) is None


def test_find_missing_libraries_maps_sonames_to_packages() -> None:
    missing = find_missing_libraries(["libEGL.so.1", "libxcb.so.1"], library_available=_hide("libEGL.so.1"))
    assert [(item.soname, item.package) for item in missing] == [("libEGL.so.1", "libegl1")]


def test_default_lookup_finds_a_real_library_and_not_a_made_up_one() -> None:
    lookup = platform_check._default_library_lookup(os.environ)
    assert lookup("libc.so.6")
    assert not lookup("libcodaiq-does-not-exist.so.7")


def _needed_sonames(binary: Path) -> set[str]:
    output = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True, check=True).stdout
    return {line.split("[", 1)[1].split("]", 1)[0] for line in output.splitlines() if "(NEEDED)" in line}


@pytest.mark.skipif(
    shutil.which("readelf") is None or not sys.platform.startswith("linux"), reason="needs readelf (binutils)"
)
def test_library_table_covers_what_the_installed_xcb_plugin_links_to() -> None:
    """When a PySide6 update adds a dependency to the xcb plugin, the table must learn it."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.origin is not None
    qt = Path(spec.origin).parent / "Qt"
    needed = _needed_sonames(qt / "plugins" / "platforms" / "libqxcb.so") | _needed_sonames(
        qt / "lib" / "libQt6XcbQpa.so.6"
    )
    system_libraries = {name for name in needed if not name.startswith(("libQt6", "libicu"))}
    system_libraries -= {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libpthread.so.0", "libdl.so.2"}
    assert system_libraries, "readelf found no dependencies: the plugin moved?"
    assert system_libraries <= set(XCB_LIBRARIES), (
        f"not in XCB_LIBRARIES: {sorted(system_libraries - set(XCB_LIBRARIES))}"
    )


def _gui_env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "CODAIQ_SKIP_GUI_CHECK")}
    env["QT_QPA_PLATFORM"] = "xcb"
    env.update(changes)
    return env


def _hide_libraries_plugin(tmp_path: Path, sonames: tuple[str, ...]) -> str:
    """A ``sitecustomize`` that makes the loader lookup blind to ``sonames`` in a child interpreter."""
    (tmp_path / "sitecustomize.py").write_text(
        textwrap.dedent(
            f"""
            import codaiq_desktop.platform_check as check
            _real = check._default_library_lookup
            check._default_library_lookup = lambda env: (lambda name: name not in {sonames!r} and _real(env)(name))
            """
        )
    )
    return str(tmp_path)


def test_module_entry_point_reports_no_display() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codaiq_desktop.platform_check"],
        env=_gui_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "no graphical display" in result.stderr


def test_module_entry_point_reports_a_hidden_library(tmp_path: Path) -> None:
    env = _gui_env(DISPLAY=":97", PYTHONPATH=_hide_libraries_plugin(tmp_path, HIDDEN))
    result = subprocess.run(
        [sys.executable, "-m", "codaiq_desktop.platform_check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in result.stderr


def test_app_calls_the_check_before_qt_starts() -> None:
    """The end-to-end tests below only prove something while the app still runs the check."""
    app = Path(platform_check.__file__).parent / "ui" / "app.py"
    source = app.read_text(encoding="utf-8")
    assert "check_gui_environment" in source, "ui/app.py no longer calls check_gui_environment()"
    assert source.index("check_gui_environment") < source.index("QApplication("), (
        "ui/app.py must run the check before it creates the QApplication"
    )


def test_app_without_display_says_so_instead_of_aborting() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codaiq_desktop"],
        env=_gui_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode not in (0, -6), result.stderr  # -6: Qt's abort()
    assert "no graphical display" in result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr
    assert "Traceback" not in result.stderr


def test_app_with_a_missing_xcb_library_names_it_and_the_install_command(tmp_path: Path) -> None:
    env = _gui_env(DISPLAY=":97", PYTHONPATH=_hide_libraries_plugin(tmp_path, HIDDEN))
    result = subprocess.run(
        [sys.executable, "-m", "codaiq_desktop"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode not in (0, -6), result.stderr
    assert "libxcb-icccm.so.4" in result.stderr
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr
    assert "Traceback" not in result.stderr
