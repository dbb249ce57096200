"""``codaiq-desktop install-desktop-entry`` into a throw-away XDG data dir, and the files it installs."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from codaiq_desktop.cli.desktop_commands import ICON_SIZES, desktop_exec_line, launcher_command, render_desktop_file
from codaiq_desktop.resources import APP_ID, resource_path

DESKTOP_TEMPLATE = resource_path(f"linux/{APP_ID}.desktop")
METAINFO = resource_path(f"linux/{APP_ID}.metainfo.xml")


def _run_cli(data_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_DATA_HOME=str(data_home))
    return subprocess.run(
        [sys.executable, "-m", "codaiq_desktop", "install-desktop-entry", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _desktop_keys(text: str) -> dict[str, str]:
    keys = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            keys[key] = value
    return keys


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG desktop entries are a Linux feature")
def test_install_then_uninstall_in_a_temporary_xdg_dir(tmp_path: Path) -> None:
    result = _run_cli(tmp_path)
    assert result.returncode == 0, result.stderr
    desktop = tmp_path / "applications" / f"{APP_ID}.desktop"
    keys = _desktop_keys(desktop.read_text(encoding="utf-8"))
    exec_argv = shlex.split(keys["Exec"])
    assert Path(exec_argv[0]).is_absolute() and os.access(exec_argv[0], os.X_OK)
    assert keys["TryExec"] == exec_argv[0]
    assert keys["Icon"] == APP_ID
    assert (tmp_path / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == METAINFO.read_bytes()
    for size in ICON_SIZES:
        assert (tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()

    # The launcher it wrote really starts this installation.
    version = subprocess.run([*exec_argv, "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert version.returncode == 0 and "codaiq-desktop" in version.stdout

    again = _run_cli(tmp_path)  # idempotent
    assert again.returncode == 0, again.stderr

    removed = _run_cli(tmp_path, "--uninstall")
    assert removed.returncode == 0, removed.stderr
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and APP_ID in p.name]
    assert leftovers == []
    assert "Nothing to remove" in _run_cli(tmp_path, "--uninstall").stdout


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_installed_desktop_file_validates(tmp_path: Path) -> None:
    assert _run_cli(tmp_path).returncode == 0
    for path in (DESKTOP_TEMPLATE, tmp_path / "applications" / f"{APP_ID}.desktop"):
        result = subprocess.run(
            ["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=30, check=False
        )
        assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_exec_line_quotes_per_the_desktop_entry_spec() -> None:
    assert desktop_exec_line(["/opt/codaiq/codaiq-desktop"]) == "/opt/codaiq/codaiq-desktop"
    assert (
        desktop_exec_line(["/home/a b/venv/bin/python", "-m", "codaiq_desktop"])
        == '"/home/a b/venv/bin/python" -m codaiq_desktop'
    )
    # '$' and '"' are escaped inside quotes, then every backslash doubled for the string type.
    assert desktop_exec_line(['/x/$HOME"q']) == '"/x/\\\\$HOME\\\\"q"'
    assert desktop_exec_line(["/x/100%"]) == "/x/100%%"


def test_render_replaces_exec_only_in_the_main_group() -> None:
    template = "[Desktop Entry]\nName=X\nExec=old\nTryExec=old\n\n[Desktop Action new]\nExec=old --new\n"
    rendered = render_desktop_file(template, ["/opt/app/run"])
    assert "Exec=/opt/app/run\nTryExec=/opt/app/run\n" in rendered
    assert "Exec=old --new" in rendered
    assert rendered.count("TryExec=") == 1


def test_launcher_outside_a_bundle_is_this_environment() -> None:
    launcher = launcher_command()
    assert launcher[0].startswith(str(Path(sys.executable).parent)) or launcher[:2] == [sys.executable, "-m"]


def test_desktop_template_has_the_required_keys() -> None:
    keys = _desktop_keys(DESKTOP_TEMPLATE.read_text(encoding="utf-8"))
    assert keys["Type"] == "Application"
    assert keys["Name"] == "Codaiq Desktop"
    assert keys["Icon"] == APP_ID
    assert keys["Exec"].split()[0] == "codaiq-desktop"
    assert keys["Categories"].endswith(";")


def test_metainfo_is_appstream_with_the_required_elements() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    for tag in ("id", "metadata_license", "project_license", "name", "summary", "description", "launchable"):
        element = root.find(tag)
        assert element is not None and (element.text or len(element)), f"<{tag}> missing or empty"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("launchable").get("type") == "desktop-id"
    assert root.find("content_rating") is not None
    release = root.find("releases/release")
    assert release is not None and release.get("version") and release.get("date")
    assert root.findtext("provides/binary") == "codaiq-desktop"


def test_metainfo_release_matches_the_package_version() -> None:
    from codaiq_desktop import __version__

    versions = [r.get("version") for r in ET.parse(METAINFO).getroot().iter("release")]
    assert versions[0] == __version__, "add a <release> for the new version at the top of the metainfo"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--no-color", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert problems == []
