"""Show one website in another tab, even when that tab has not listed its websites yet.

A tab built a moment ago fills its website choice when the projects list arrives; a
selection asked for before then is kept here and made once the site appears (checked
after the tab has finished filling its list, which would otherwise put back its old
choice).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QComboBox

#: Give up on a site that never appears (deleted meanwhile) after this long.
PENDING_SELECTION_MS = 30_000


class _PendingSelection(QObject):
    """Retries ``select()`` after every change of ``combo``'s list until it succeeds."""

    def __init__(self, combo: QComboBox, select: Callable[[], bool]) -> None:
        super().__init__(combo)
        self._select = select
        model = combo.model()
        model.rowsInserted.connect(self._later)
        model.modelReset.connect(self._later)
        QTimer.singleShot(PENDING_SELECTION_MS, self, self.deleteLater)

    def _later(self, *_: object) -> None:
        QTimer.singleShot(0, self, self._try)

    def _try(self) -> None:
        if self._select():
            self.deleteLater()  # its connections go with it


def select_in_combo(combo: QComboBox, website_id: str, select: Callable[[], bool] | None = None) -> bool:
    """Select ``website_id`` in a tab's website choice now, or as soon as it is listed.

    ``select`` (default: choose the item whose data is ``website_id``) returns True when done.
    Returns whether it happened at once.
    """
    for child in combo.findChildren(_PendingSelection):
        child.deleteLater()  # a newer request replaces an older one

    def choose() -> bool:
        found = combo.findData(website_id)
        if found < 0:
            return False
        combo.setCurrentIndex(found)
        return True

    action = select or choose
    if action():
        return True
    _PendingSelection(combo, action)
    return False
