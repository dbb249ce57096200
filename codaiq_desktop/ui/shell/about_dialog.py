"""The About dialog: versions and where the app keeps its files (for bug reports)."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from codaiq_desktop import __version__
from codaiq_desktop.accounts import config_dir, data_dir
from codaiq_desktop.ui.services import AppServices


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def version_lines(services: AppServices | None = None) -> list[tuple[str, str]]:
    """(component, version) pairs shown in the dialog and copied for bug reports."""
    lines = [
        ("Codaiq Desktop", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("httpx", _version("httpx")),
        ("qasync", _version("qasync")),
        ("keyring", _version("keyring")),
        ("uvicorn", _version("uvicorn")),
        ("Platform", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Config folder", str(config_dir())),
        ("Data folder", str(data_dir())),
    ]
    if services is not None and services.account is not None:
        lines.insert(
            1,
            (
                "Account",
                f"{services.account.name} ({'local sandbox' if services.is_sandbox else services.account.base_url})",
            ),
        )
    return lines


class AboutDialog(QDialog):
    def __init__(self, services: AppServices | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Codaiq Desktop")
        layout = QVBoxLayout(self)
        title = QLabel(f"Codaiq Desktop {__version__}")
        title.setProperty("heading", True)
        layout.addWidget(title)
        blurb = QLabel("A workbench for building client websites with the Codaiq API.")
        blurb.setProperty("muted", True)
        layout.addWidget(blurb)
        self._lines = version_lines(services)
        rows = "".join(
            f"<tr><td style='padding-right:12px'>{name}</td><td>{value}</td></tr>" for name, value in self._lines
        )
        table = QLabel(f"<table>{rows}</table>")
        table.setObjectName("versionTable")
        table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy versions")
        copy.clicked.connect(self.copy_versions)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_versions(self) -> None:
        text = "\n".join(f"{name}: {value}" for name, value in self._lines) + f"\n{sys.version}"
        QGuiApplication.clipboard().setText(text)
