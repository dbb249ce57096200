"""Item flags of the read-only tables, made once.

A view asks ``flags()`` of every visible cell on each paint; combining enum members in
Python each time (``ItemIsEnabled | ItemIsSelectable | …``) cost more than the rest of
the call.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

READ_ONLY_ROW = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
"""A selectable, read-only cell of a flat table."""
READ_ONLY_ITEM = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
"""A selectable, read-only item of a tree."""
NO_ITEM = Qt.ItemFlag.NoItemFlags
