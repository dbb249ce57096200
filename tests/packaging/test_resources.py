"""The resources dir is found in each layout, and the committed icon files are sound."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from codaiq_desktop import resources
from codaiq_desktop.cli.desktop_commands import ICON_SIZES
from codaiq_desktop.resources import ResourceNotFoundError, cli_command, resource_path, resources_dir

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_lookup(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CODAIQ_RESOURCES_DIR", raising=False)
    resources_dir.cache_clear()
    yield
    resources_dir.cache_clear()


def _fake_resources(root: Path) -> Path:
    (root / "icons" / "app").mkdir(parents=True)
    (root / "icons" / "app" / "codaiq.svg").write_text("<svg/>")
    return root


def test_source_checkout_finds_the_repository_resources() -> None:
    assert resources_dir() == REPO / "resources"
    assert resource_path("icons/app/codaiq.svg").is_file()


def test_environment_override_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODAIQ_RESOURCES_DIR", str(_fake_resources(tmp_path / "custom")))
    assert resources_dir() == tmp_path / "custom"


def test_pyinstaller_bundle_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_resources(tmp_path / "resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert resources_dir() == tmp_path / "resources"
    assert cli_command() == [sys.executable]


def test_a_dir_without_the_marker_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("CODAIQ_RESOURCES_DIR", str(tmp_path / "empty"))
    assert resources_dir() == REPO / "resources"


def test_missing_everywhere_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "candidate_dirs", lambda: [tmp_path / "nowhere"])
    with pytest.raises(ResourceNotFoundError, match="Reinstall"):
        resources_dir()


def test_missing_file_names_the_file() -> None:
    with pytest.raises(ResourceNotFoundError, match="icons/app/nope.svg"):
        resource_path("icons/app/nope.svg")


def test_cli_command_outside_a_bundle_runs_this_interpreter() -> None:
    assert cli_command() == [sys.executable, "-m", "codaiq_desktop"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_app_icon_png_has_its_size(size: int) -> None:
    assert _png_size(resource_path(f"icons/app/codaiq-{size}.png")) == (size, size)


def test_app_icon_pngs_are_not_blank() -> None:
    """A failed render is a small, fully transparent PNG; real ones compress far worse."""
    assert resource_path("icons/app/codaiq-512.png").stat().st_size > 10_000


def test_windows_ico_lists_its_images() -> None:
    data = resource_path("icons/app/codaiq.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    for index in range(count):
        _w, _h, _c, _r, _planes, _bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)


def test_macos_icns_is_consistent() -> None:
    data = resource_path("icons/app/codaiq.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    assert b"ic09" in data  # the 512 px element


def _pixels_apart(rendered: Path, committed: Path) -> float:
    """Share of pixels whose colour differs by more than anti-aliasing noise (8 of 255 per channel).

    Qt's rasteriser picks different SIMD paths on different CPUs, so a fresh render of an unchanged
    SVG can differ from the committed bitmap in a handful of edge pixels; a changed design differs in
    many.
    """
    from PySide6.QtGui import QImage

    new, old = QImage(str(rendered)), QImage(str(committed))
    assert not new.isNull() and not old.isNull(), (rendered, committed)
    if new.size() != old.size():
        return 1.0
    apart = 0
    for y in range(new.height()):
        for x in range(new.width()):
            a, b = new.pixel(x, y), old.pixel(x, y)
            if any(abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)) > 8 for shift in (0, 8, 16, 24)):
                apart += 1
    return apart / (new.width() * new.height())


def test_committed_icons_match_the_svg(tmp_path: Path, qapp) -> None:
    """Editing the SVG without re-rendering would ship stale bitmaps; render afresh and compare."""
    import subprocess

    result = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "render_icons.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    committed_dir = REPO / "resources" / "icons" / "app"
    stale = {
        path.name: share
        for path in sorted(tmp_path.glob("codaiq-*.png"))
        if (share := _pixels_apart(path, committed_dir / path.name)) > 0.005
    }
    assert stale == {}, f"out of date with codaiq.svg (run packaging/render_icons.py): {stale}"


def test_committed_ico_and_icns_hold_the_committed_pngs() -> None:
    """The ICO and ICNS are built from the same renders as the PNGs, so they embed them byte for byte."""
    app_dir = REPO / "resources" / "icons" / "app"
    ico = (app_dir / "codaiq.ico").read_bytes()
    icns = (app_dir / "codaiq.icns").read_bytes()
    for size in (16, 24, 32, 48, 64, 128, 256):
        assert (app_dir / f"codaiq-{size}.png").read_bytes() in ico, f"codaiq.ico lacks the {size} px PNG"
    for size in (16, 32, 64, 128, 256, 512):
        assert (app_dir / f"codaiq-{size}.png").read_bytes() in icns, f"codaiq.icns lacks the {size} px PNG"
