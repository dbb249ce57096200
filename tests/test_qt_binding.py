"""Regression guard for the PySide6 build we ship against (see pyproject's pins).

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a
C++ method returning void (and to ``True`` on every ``signal.disconnect()``);
the app then dies with ``Fatal Python error: none_dealloc`` after a few
thousand calls. On 3.12+ ``None`` and ``True`` are immortal, so their counts
are meaningless there and the check still passes.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal()


def _slot() -> None:
    pass


def test_void_calls_keep_none_refcount(qapp) -> None:
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(500):
        obj.setObjectName("probe")
    after = sys.getrefcount(None)
    # A little slack for unrelated allocations; the broken build loses exactly 500.
    assert abs(before - after) < 50, f"None lost {before - after} references over 500 void calls"


def test_disconnect_keeps_true_refcount(qapp) -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.changed.connect(_slot)
        emitter.changed.disconnect(_slot)
    after = sys.getrefcount(True)
    assert abs(before - after) < 50, f"True lost {before - after} references over 500 disconnects"


def test_installed_pyside_is_not_the_broken_combination() -> None:
    import PySide6

    version = tuple(int(p) for p in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert version < (6, 12), f"PySide6 {PySide6.__version__} is broken on Python 3.11"
