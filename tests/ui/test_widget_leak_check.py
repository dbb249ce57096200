"""The leak check of tests/fixtures/qt_leaks.py finds what it should, and only that."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from tests.fixtures.qt_leaks import _live_top_level_widgets, describe, leaked_since


def _delete(widget: QWidget) -> None:
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_parentless_window_is_reported_by_class_and_object_name(qapp: QApplication) -> None:
    before = set(_live_top_level_widgets())
    dialog = QDialog()
    dialog.setObjectName("forgottenDialog")
    try:
        leaked = leaked_since(before)
        assert list(leaked) == [shiboken6.getCppPointer(dialog)[0]]
        assert describe(leaked) == "QDialog 'forgottenDialog'"
    finally:
        _delete(dialog)
    assert leaked_since(before) == {}


def test_a_window_with_a_parent_or_deleted_is_not_a_leak(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    before = set(_live_top_level_widgets())
    menu = QMenu(owner)  # a popup window, but its parent deletes it
    stray = QMenu()
    assert describe(leaked_since(before)) == "QMenu"  # the stray one only
    _delete(stray)
    assert leaked_since(before) == {}
    assert shiboken6.isValid(menu)


@pytest.mark.keeps_top_level_widgets
def test_the_marker_lets_a_test_keep_a_window(qapp: QApplication) -> None:
    kept = QWidget()
    kept.setObjectName("keptOnPurpose")
    kept.deleteLater()  # deleted by the next test's event processing, after this test's check
