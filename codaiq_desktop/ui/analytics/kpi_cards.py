"""The Analytics tab's KPI cards: a number and its change against the previous period."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from codaiq_desktop.ui.common.widgets import restyle


@dataclass(frozen=True)
class Change:
    """A KPI's change against the previous equal period, or why there is none."""

    current: int
    previous: int | None
    reason: str | None = None  # why ``previous`` is missing

    @property
    def percent(self) -> float | None:
        if self.previous is None or self.previous == 0:
            return None
        return (self.current - self.previous) / self.previous * 100.0

    def text(self) -> str:
        if self.previous is None:
            return self.reason or "Previous period unavailable"
        if self.previous == 0:
            return "New this period (none the period before)" if self.current else "None in either period"
        pct = self.percent or 0.0
        arrow = "▲" if pct > 0 else "▼" if pct < 0 else "■"
        return f"{arrow} {abs(pct):.1f}% vs previous period ({self.previous:,})"


class KpiCard(QFrame):
    """One number with its label and its change against the previous period."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.setProperty("card", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.title.setProperty("muted", True)
        self.value = QLabel("—")
        self.value.setObjectName("kpiValue")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value.setFont(font)
        self.change = QLabel(" ")
        self.change.setObjectName("kpiChange")
        self.change.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.change)

    def show_value(self, value: int | None, change: Change | None) -> None:
        self.value.setText("—" if value is None else f"{value:,}")
        self.change.setText(change.text() if change is not None else " ")
        pct = change.percent if change is not None else None
        hint = "ok" if pct is not None and pct > 0 else "error" if pct is not None and pct < 0 else None
        self.change.setProperty("hint", hint)
        self.change.setProperty("muted", hint is None)
        restyle(self.change)
