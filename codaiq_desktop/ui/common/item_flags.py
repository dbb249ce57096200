"""Item flags of the read-only trees, made once (a flat table's are QAbstractTableModel's own).

A view asks ``flags()`` of every visible cell on each paint; combining enum members in
Python each time (``ItemIsEnabled | ItemIsSelectable | …``) cost more than the rest of
the call.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

READ_ONLY_ITEM = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
"""A selectable, read-only item of a tree."""
NO_ITEM = Qt.ItemFlag.NoItemFlags
