"""Export ZIP from the Projects tab: save dialog, progress, result, cancel, failure."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from codaiq_desktop.ui.projects.export_flow import default_filename
from codaiq_desktop.ui.projects.projects_tab import ProjectsTab

BIG_FILE_BYTES = 50 * 1024 * 1024


@pytest.fixture
def built_site(sandbox, services_key):
    project_id, website_id = sandbox.generate("A joinery workshop in Hebden Bridge", name="Grain", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    return project_id, website_id


def add_big_asset(sandbox, website_id: str, size: int = BIG_FILE_BYTES) -> None:
    """Put an incompressible file in the built site, so its export really is ``size`` bytes."""
    folder = Path(sandbox.service.sites.folder(website_id))
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "assets" / "showreel.bin").write_bytes(os.urandom(size))


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """Answer the save dialog with a path in a fresh folder; records what it was asked."""
    folder = tmp_path / "exports"
    folder.mkdir()
    asked: list[str] = []

    def fake_dialog(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(folder / "site-export"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    return folder, asked


@pytest.fixture
def tab(qtbot, services, built_site, until) -> ProjectsTab:
    widget = ProjectsTab(services)
    qtbot.addWidget(widget)
    widget.show()
    until(lambda: widget.select_website(built_site[1]))
    return widget


def test_export_writes_a_checked_zip_and_offers_show_in_folder(tab, save_to, monkeypatch, until) -> None:
    folder, asked = save_to
    assert tab.export_button.isEnabled()
    tab.export_button.click()
    assert asked and asked[0].endswith(default_filename(tab.selected_website()))
    flow = tab.export_flow
    until(lambda: flow.result_box is not None, message="export never finished")

    target = folder / "site-export.zip"
    assert flow.result_box.objectName() == "exportDoneBox"
    assert target.name in flow.result_box.text()
    # The dialog says where the exported forms post, and that a sandbox site is not known there.
    info = flow.result_box.informativeText()
    assert "POST /api/leads/submit" in info and "no API key" in info and "README" in info
    assert "local sandbox" in info
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert not any(b"127.0.0.1" in archive.read(name) for name in names)
    assert "index.html" in names
    assert any(name.startswith("pages/") for name in names)
    assert sorted(p.name for p in folder.iterdir()) == ["site-export.zip"]

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    show = next(b for b in flow.result_box.buttons() if b.text() == "Show in folder")
    show.click()
    assert opened == [QUrl.fromLocalFile(str(folder))]


def test_cancel_mid_export_leaves_nothing_behind(tab, save_to, sandbox, built_site, services, until) -> None:
    folder, _ = save_to
    add_big_asset(sandbox, built_site[1])
    messages: list[str] = []
    services.sig_status_message.connect(messages.append)
    tab.export_selected()
    flow = tab.export_flow
    dialog = flow.dialog
    seen: list[int] = []
    shown: list[str] = []
    original = dialog.update_progress

    def progress_then_cancel(done, total, *, force=False):
        original(done, total, force=True)
        seen.append(done)
        shown.append(dialog.detail.text())
        if done > 0 and len([d for d in seen if d > 0]) == 1:  # Cancel as the first bytes arrive
            dialog.cancel_button.click()

    dialog.update_progress = progress_then_cancel
    until(lambda: flow.task.done(), message="export did not stop")
    assert flow.task.cancelled()
    assert 0 < max(seen) < BIG_FILE_BYTES
    # The sandbox streams without a length: bytes so far and speed, no "of total".
    assert re.fullmatch(r"[\d.,]+ (bytes|KB|MB) \u00b7 [\d.,]+ (bytes|KB|MB)/s", shown[-1]), shown[-1]
    until(lambda: list(folder.iterdir()) == [], message="a partial file was left behind")
    assert any("cancelled" in m for m in messages)
    assert flow.dialog is None


def test_export_failure_is_explained_and_leaves_nothing(tab, save_to, sandbox_faults, until) -> None:
    folder, _ = save_to
    sandbox_faults.set({"path": "/api/export", "kind": "error", "status": 500})
    tab.export_selected()
    flow = tab.export_flow
    until(lambda: flow.result_box is not None)
    assert flow.result_box.objectName() == "exportFailedBox"
    assert flow.result_box.icon() == QMessageBox.Icon.Warning
    assert "not exported" in flow.result_box.text()
    assert "Traceback" not in flow.result_box.text()
    assert list(folder.iterdir()) == []


def test_export_is_offered_only_for_ready_sites(qtbot, services, sandbox, services_key, until) -> None:
    tab = ProjectsTab(services)
    qtbot.addWidget(tab)
    project_id, website_id = sandbox.generate("A cafe", key=services_key)
    tab.refresh()
    until(lambda: tab.select_website(website_id))
    if tab.selected_website().build_status != "ready":
        assert not tab.export_button.isEnabled()
    sandbox.wait_ready(project_id, website_id, key=services_key)
    tab.refresh()
    until(lambda: tab.selected_website() is not None and tab.selected_website().build_status == "ready")
    assert tab.export_button.isEnabled()


def test_default_filename_is_safe() -> None:
    class Site:
        name = 'Crumb: "cakes"/bread'
        id = "web_1"

    assert default_filename(Site()) == "Crumb- -cakes-bread.zip"


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write to: permission bits for a user; sysfs for root,
    whom permission bits do not stop."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_a_read_only_folder_is_named_and_the_dialog_asks_again(tab, services, monkeypatch, tmp_path, until) -> None:
    read_only = _read_only_folder(tmp_path)
    good = tmp_path / "writable"
    good.mkdir()
    captions: list[str] = []
    answers = [str(read_only / "site.zip"), str(good / "site.zip")]

    def dialog(parent, caption, suggested, filters):
        captions.append(caption)
        return answers.pop(0), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    messages: list[str] = []
    services.sig_status_message.connect(messages.append)
    tab.export_button.click()
    assert len(captions) == 2  # asked again after the read-only choice
    assert str(read_only) in captions[1] and "not writable" in captions[1]
    assert ".part" not in captions[1] and ".codaiq" not in captions[1]
    assert any(str(read_only) in message and "not writable" in message for message in messages)
    flow = tab.export_flow
    until(lambda: flow.result_box is not None, message="export never finished")
    assert flow.result_box.objectName() == "exportDoneBox"
    assert (good / "site.zip").is_file()


def test_cancelling_after_a_read_only_folder_exports_nothing(tab, monkeypatch, tmp_path) -> None:
    read_only = _read_only_folder(tmp_path)
    answers = [str(read_only / "site.zip"), ""]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (answers.pop(0), "ZIP archives (*.zip)"))
    )
    tab.export_button.click()
    assert not answers and (tab.export_flow is None or tab.export_flow.task is None)
