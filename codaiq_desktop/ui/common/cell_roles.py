"""Answer every role a view paints a cell with in one call from Qt into Python.

A delegate asks about eight roles of each visible cell on each paint (text, font, colours,
alignment, icon, check state…). Qt's default ``multiData`` calls the model's ``data`` once
per role, and each of those calls from C++ into Python takes the GIL: while another thread
runs Python (the store's reader and writer, a team inbox's stream), each take can wait for
it, and a repaint of a few dozen cells stretches from milliseconds to hundreds of them.
Overriding ``multiData`` makes it one call per cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex
RoleData = QModelRoleDataSpan | QModelRoleData


def roles_of(role_data: RoleData) -> Sequence[QModelRoleData]:
    """The requested roles of a ``multiData`` call, as a sequence.

    A span is a sequence at run time (``__len__``, ``__getitem__``); the stubs do not say so.
    """
    if isinstance(role_data, QModelRoleData):
        return (role_data,)
    return cast(Sequence[QModelRoleData], role_data)


def answer_through_data(data: Callable[[Index, int], Any], index: Index, role_data: RoleData) -> None:
    """``multiData`` for a model whose ``data`` answers every role: one Python call for the cell."""
    for requested in roles_of(role_data):
        requested.setData(data(index, requested.role()))
