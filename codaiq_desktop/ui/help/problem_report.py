"""Help › Report a problem: what happened, in the user's words, plus the diagnostics.

The diagnostics (versions, platform, paths, recent errors; never keys or secrets: they
pass through the log redactor) are shown before anything leaves the app, and the
report goes where the user puts it: the clipboard or a file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class ProblemReportDialog(QDialog):
    """A description box, the diagnostics (read-only), Copy report and Save report…."""

    def __init__(self, diagnostics: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemReportDialog")
        self.setWindowTitle("Report a problem")
        intro = QLabel(
            "Describe what you did and what went wrong, then copy or save the report and send it "
            "with your support request. The diagnostics below hold no API keys or secrets."
        )
        intro.setWordWrap(True)
        self.description = QPlainTextEdit()
        self.description.setObjectName("problemDescription")
        self.description.setPlaceholderText("What happened? What did you expect instead?")
        self.description.setFixedHeight(90)
        self.diagnostics = QPlainTextEdit(diagnostics)
        self.diagnostics.setObjectName("problemDiagnostics")
        self.diagnostics.setReadOnly(True)
        self.diagnostics.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.result_label = QLabel()
        self.result_label.setProperty("muted", True)
        self.result_label.setWordWrap(True)
        self.copy_button = QPushButton("Copy report")
        self.save_button = QPushButton("Save report\u2026")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_report)
        self.save_button.clicked.connect(self._choose_file)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("What happened"))
        layout.addWidget(self.description)
        layout.addWidget(QLabel("Diagnostics"))
        layout.addWidget(self.diagnostics, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def report(self) -> str:
        what = self.description.toPlainText().strip() or "(no description given)"
        return f"What happened\n-------------\n{what}\n\nDiagnostics\n-----------\n{self.diagnostics.toPlainText()}\n"

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report())
        self.result_label.setText("The report is on the clipboard.")

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save problem report", str(Path.home() / "codaiq-desktop-report.txt"), "Text files (*.txt)"
        )
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> bool:
        try:
            path.write_text(self.report(), encoding="utf-8")
        except OSError as exc:
            self.result_label.setText(f"The report was not saved: {exc.strerror or exc} ({path.parent}).")
            return False
        self.result_label.setText(f"Saved to {path}.")
        return True
