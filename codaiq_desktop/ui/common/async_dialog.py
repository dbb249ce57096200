"""Await a dialog's answer without a nested event loop.

``QDialog.exec()`` spins a second event loop inside the first; with qasync that
re-enters asyncio callbacks at surprising moments. ``open()`` plus a future keeps one
loop: the coroutine waits, everything else keeps running.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    import asyncio


async def ask(dialog: QDialog) -> int:
    """Show ``dialog`` window-modal and return its result code when it closes."""
    import asyncio  # here: the main window (which imports this module) shows before asyncio loads

    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def _finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(_finished)
    dialog.open()
    try:
        return await future
    except asyncio.CancelledError:
        dialog.reject()
        raise
