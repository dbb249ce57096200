"""``codaiq-desktop install-desktop-entry``: put the app in the Linux desktop's launcher.

(Also ``codaiq-desktop diagnostics``, the terminal twin of "Copy diagnostics".)

A bundle or a virtualenv is not on the desktop's application menu until a
``.desktop`` file, its icons and its AppStream metadata sit in the user's XDG
data dir (``~/.local/share``). This command copies them there from the
resources dir, with ``Exec`` pointing at whatever launched it - the bundle's
executable, the virtualenv's ``codaiq-desktop`` script, or ``python -m
codaiq_desktop`` - so the menu entry starts this very installation.
``--uninstall`` removes exactly the files it installs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from codaiq_desktop.resources import APP_ID, ResourceNotFoundError, is_frozen, resource_path

#: PNG sizes shipped in ``resources/icons/app`` and installed into the hicolor theme.
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

#: Characters that force an ``Exec`` argument into double quotes (Desktop Entry spec, "The Exec key").
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass
class DesktopEntryFiles:
    """The files the command writes (or removes), relative to nothing: all absolute."""

    desktop_file: Path
    metainfo_file: Path
    icons: dict[Path, Path] = field(default_factory=dict)  # destination -> source

    def all_paths(self) -> list[Path]:
        return [self.desktop_file, self.metainfo_file, *self.icons]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``install-desktop-entry`` to the `codaiq-desktop` parser."""
    parser = subparsers.add_parser(
        "install-desktop-entry",
        help="add Codaiq Desktop to the desktop's application menu (Linux)",
        description=(
            "Install the .desktop entry, icons and AppStream metadata into your XDG data dir "
            "(~/.local/share unless XDG_DATA_HOME says otherwise), launching this installation."
        ),
    )
    parser.add_argument("--uninstall", action="store_true", help="remove the files this command installs")
    parser.set_defaults(handler=_handle)

    diagnostics = subparsers.add_parser(
        "diagnostics",
        help="print versions, platform, paths and recent problems (no secrets) for a support request",
        description="Print what the app's Help > Copy diagnostics copies: safe to paste into an e-mail.",
    )
    diagnostics.set_defaults(handler=_handle_diagnostics)


def _handle_diagnostics(args: argparse.Namespace) -> int:
    from codaiq_desktop.diagnostics import collect_diagnostics

    print(collect_diagnostics(), end="")
    return 0


def _handle(args: argparse.Namespace) -> int:
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        print("install-desktop-entry is for Linux desktops; on Windows and macOS use the installer or the app bundle.")
        return 2
    data_home = xdg_data_home()
    try:
        if args.uninstall:
            removed = uninstall_desktop_entry(data_home)
            if removed:
                print(f"Removed Codaiq Desktop from the application menu ({len(removed)} files):")
                for path in removed:
                    print(f"  {path}")
            else:
                print(f"Nothing to remove: no Codaiq Desktop entry in {data_home}.")
            return 0
        launcher = launcher_command()
        files = install_desktop_entry(data_home, launcher)
    except ResourceNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: could not write to {data_home}: {error.strerror or error}", file=sys.stderr)
        return 1
    print("Added Codaiq Desktop to the application menu.")
    print(f"  launcher:  {desktop_exec_line(launcher)}")
    print(f"  entry:     {files.desktop_file}")
    print(f"  metadata:  {files.metainfo_file}")
    print(f"  icons:     {len(files.icons)} files under {data_home / 'icons' / 'hicolor'}")
    print("Remove it again with: codaiq-desktop install-desktop-entry --uninstall")
    return 0


def xdg_data_home(environ: dict[str, str] | os._Environ[str] | None = None) -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path, else ``~/.local/share`` (XDG Base Directory spec)."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command that starts *this* installation of the app, for the entry's ``Exec``."""
    if is_frozen():
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).parent / "codaiq-desktop"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("codaiq-desktop")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "codaiq_desktop"]


def planned_files(data_home: Path) -> DesktopEntryFiles:
    """Where each installed file goes (``applications/``, ``metainfo/``, ``icons/hicolor/``)."""
    icons_root = data_home / "icons" / "hicolor"
    files = DesktopEntryFiles(
        desktop_file=data_home / "applications" / f"{APP_ID}.desktop",
        metainfo_file=data_home / "metainfo" / f"{APP_ID}.metainfo.xml",
    )
    files.icons[icons_root / "scalable" / "apps" / f"{APP_ID}.svg"] = resource_path("icons/app/codaiq.svg")
    for size in ICON_SIZES:
        source = resource_path(f"icons/app/codaiq-{size}.png")
        files.icons[icons_root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = source
    return files


def install_desktop_entry(data_home: Path, launcher: Sequence[str]) -> DesktopEntryFiles:
    """Write the entry (``Exec`` = ``launcher``), metainfo and icons under ``data_home``."""
    files = planned_files(data_home)
    template = resource_path(f"linux/{APP_ID}.desktop").read_text(encoding="utf-8")
    _write_atomically(files.desktop_file, render_desktop_file(template, launcher).encode("utf-8"))
    _write_atomically(files.metainfo_file, resource_path(f"linux/{APP_ID}.metainfo.xml").read_bytes())
    for destination, source in files.icons.items():
        _write_atomically(destination, source.read_bytes())
    _refresh_desktop_caches(data_home)
    return files


def uninstall_desktop_entry(data_home: Path) -> list[Path]:
    """Remove what :func:`install_desktop_entry` writes; return the files that existed."""
    icons_root = data_home / "icons" / "hicolor"
    candidates = [
        data_home / "applications" / f"{APP_ID}.desktop",
        data_home / "metainfo" / f"{APP_ID}.metainfo.xml",
        icons_root / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons_root / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES),
    ]
    removed = []
    for path in candidates:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    if removed:
        _refresh_desktop_caches(data_home)
    return removed


def render_desktop_file(template: str, launcher: Sequence[str]) -> str:
    """The template with ``Exec`` (and ``TryExec``) of its main group pointing at ``launcher``."""
    exec_line = f"Exec={desktop_exec_line(launcher)}"
    try_exec = f"TryExec={_escape_string_value(launcher[0])}" if os.path.isabs(launcher[0]) else None
    lines = []
    group = None
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            group = stripped
        elif group == "[Desktop Entry]" and stripped.startswith("TryExec="):
            continue
        elif group == "[Desktop Entry]" and stripped.startswith("Exec="):
            lines.append(exec_line)
            if try_exec:
                lines.append(try_exec)
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def desktop_exec_line(argv: Sequence[str]) -> str:
    """``argv`` as an ``Exec`` value: quoted per the Desktop Entry spec, ``%`` doubled."""
    return " ".join(_escape_string_value(_quote_exec_argument(argument)) for argument in argv)


def _quote_exec_argument(argument: str) -> str:
    argument = argument.replace("%", "%%")
    if not argument or any(char in _EXEC_RESERVED for char in argument):
        escaped = "".join("\\" + char if char in '"`$\\' else char for char in argument)
        return f'"{escaped}"'
    return argument


def _escape_string_value(value: str) -> str:
    """The spec's string escapes, applied after Exec quoting: ``\\`` becomes ``\\\\``."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary sibling so a desktop never reads a half-written entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.chmod(0o644)
    os.replace(temporary, path)


def _refresh_desktop_caches(data_home: Path) -> None:
    """Tell menus and icon themes about the change; optional tools, failures ignored.

    The user's hicolor icon cache is only refreshed when one already exists: a
    new cache would hide icons that other apps install later without updating it.
    """
    applications = data_home / "applications"
    tool = shutil.which("update-desktop-database")
    if tool and applications.is_dir():
        subprocess.run([tool, "-q", str(applications)], capture_output=True, timeout=30, check=False)
    hicolor = data_home / "icons" / "hicolor"
    tool = shutil.which("gtk-update-icon-cache")
    if tool and (hicolor / "icon-theme.cache").exists():
        subprocess.run([tool, "-q", "-t", "-f", str(hicolor)], capture_output=True, timeout=30, check=False)
    elif hicolor.is_dir():
        os.utime(hicolor)  # theme caches notice a newer directory
