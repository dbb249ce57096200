"""Export a website as a ZIP: save dialog, progress with bytes and speed, cancel, result.

The download streams on the asyncio loop (``client.export_website``); the client
writes to a hidden temporary file and renames it only once the ZIP checks out, so a
failure or a cancel leaves nothing behind. The progress dialog repaints at most ten
times a second however fast the bytes arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.common.formatting import human_bytes
from codaiq_desktop.ui.common.settings import SettingsKeys

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')

HOSTED_FORMS_NOTE = (
    "Lead forms in the exported site post to Codaiq's lead endpoint (POST /api/leads/submit) "
    "with this website's id; no API key is in any file. To collect leads elsewhere, change the "
    "forms' action \u2014 see \u201cHosting an exported site\u201d in the README."
)
SANDBOX_FORMS_NOTE = (
    " This website exists only in the local sandbox, which the real service does not know: "
    "point the forms at your own endpoint, or generate the site on your Codaiq account before hosting it."
)


def default_filename(website: Any) -> str:
    """``Crumb.zip`` from the site's name (the id when it has none), safe on every OS."""
    name = _UNSAFE.sub("-", (website.name or website.id or "website").strip()).strip(" .-")
    return f"{name or 'website'}.zip"


def folder_problem(folder: Path) -> str | None:
    """Why a ZIP cannot be saved in ``folder`` (in words naming it), or ``None`` when it can.

    Tried for real (a probe file made and removed): permission bits say nothing for root,
    a read-only mount or a folder that vanished.
    """
    try:
        handle, probe = tempfile.mkstemp(prefix=".codaiq-write-check-", dir=folder)
    except FileNotFoundError:
        return f"The folder {folder} does not exist."
    except OSError as exc:
        return f"The folder {folder} is not writable ({exc.strerror or 'permission denied'})."
    os.close(handle)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return None


class ExportProgressDialog(QDialog):
    """Bytes done (of total when known), speed, and Cancel."""

    sig_cancel = Signal()
    """The user asked to stop the download."""

    def __init__(self, filename: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportProgressDialog")
        self.setWindowTitle("Exporting")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.title = QLabel(f"Downloading {filename}\u2026")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.detail = QLabel("Waiting for the server\u2026")
        self.detail.setObjectName("exportDetail")
        self.detail.setProperty("muted", True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.sig_cancel)
        row = QHBoxLayout()
        row.addWidget(self.detail, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        self.setMinimumWidth(420)
        self._started = time.monotonic()
        self._last_paint = 0.0
        self.bytes_done = 0

    def reject(self) -> None:  # Escape or the window's close button cancel too
        self.sig_cancel.emit()

    def update_progress(self, done: int, total: int | None, *, force: bool = False) -> None:
        self.bytes_done = done
        now = time.monotonic()
        if not force and now - self._last_paint < 0.1:
            return
        self._last_paint = now
        elapsed = max(now - self._started, 1e-3)
        speed = f"{human_bytes(done / elapsed)}/s"
        if total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(done * 1000 / total))
            self.detail.setText(f"{human_bytes(done)} of {human_bytes(total)} \u00b7 {speed}")
        else:
            self.detail.setText(f"{human_bytes(done)} \u00b7 {speed}")


class ExportFlow(QObject):
    """One export, from the save dialog to the result message."""

    sig_finished = Signal(object)
    """Ended: the saved ``Path``, or ``None`` if cancelled or failed."""

    def __init__(self, services: AppServices, project_id: str, website: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.services = services
        self.project_id = project_id
        self.website = website
        self._parent = parent
        self.dialog: ExportProgressDialog | None = None
        self.task: asyncio.Task[Any] | None = None
        self.result_box: QMessageBox | None = None
        self.error: str | None = None
        self.target: Path | None = None

    def start(self) -> bool:
        """Ask where to save, then download. False if the user cancelled the file dialog."""
        if self.services.client is None:
            return False
        last_dir = str(self.services.settings.value(SettingsKeys.LAST_EXPORT_DIR, "") or Path.home())
        suggested = str(Path(last_dir) / default_filename(self.website))
        caption = "Export website as ZIP"
        while True:
            path, _filter = QFileDialog.getSaveFileName(self._parent, caption, suggested, "ZIP archives (*.zip)")
            if not path:
                return False
            target = Path(path)
            if target.suffix.lower() != ".zip":
                target = target.with_name(target.name + ".zip")
            problem = folder_problem(target.parent)
            if problem is None:
                break
            # Name the folder (not the hidden temporary file) and ask again, somewhere else.
            self.services.sig_status_message.emit(problem)
            caption = f"{problem} Choose another folder"
            suggested = str(Path.home() / target.name)
        self.target = target
        self.services.settings.setValue(SettingsKeys.LAST_EXPORT_DIR, str(target.parent))
        self.dialog = ExportProgressDialog(target.name, self._parent)
        self.dialog.sig_cancel.connect(self.cancel)
        self.dialog.open()
        self.task = self.services.run(
            self.services.client.export_website(self.project_id, self.website.id, target, progress=self._progress),
            on_success=self._done,
            on_error=self._failed,
            owner=self,
        )
        self.task.add_done_callback(self._maybe_cancelled)
        return True

    def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()

    def _progress(self, done: int, total: int | None) -> None:
        if self.dialog is not None:
            self.dialog.update_progress(done, total)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.done(0)
            self.dialog.deleteLater()
            self.dialog = None

    def _maybe_cancelled(self, task: asyncio.Task[Any]) -> None:
        if task.cancelled():
            self._close_dialog()
            self.services.sig_status_message.emit("Export cancelled. Nothing was saved.")
            self.sig_finished.emit(None)

    def _done(self, path: Path) -> None:
        self._close_dialog()
        box = QMessageBox(self._parent)
        box.setObjectName("exportDoneBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Export finished")
        size = path.stat().st_size if path.exists() else 0
        box.setText(f"Saved {path.name} ({human_bytes(size)}).")
        note = HOSTED_FORMS_NOTE + (SANDBOX_FORMS_NOTE if self.services.is_sandbox else "")
        box.setInformativeText(f"{path.parent}\n\n{note}")
        show = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
        box.finished.connect(box.deleteLater)
        self.result_box = box
        box.open()
        self.sig_finished.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self._close_dialog()
        folder = self.target.parent if self.target is not None else None
        if isinstance(exc, PermissionError) and folder is not None:  # the folder, not our temporary file
            self.error = f"The folder {folder} is not writable. Choose another folder."
        else:
            self.error = self.services.describe_error(exc)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Export failed",
            f"The website was not exported. {self.error}",
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        box.setObjectName("exportFailedBox")
        box.setInformativeText("Nothing was saved.")
        box.finished.connect(box.deleteLater)
        self.result_box = box
        box.open()
        self.sig_finished.emit(None)
