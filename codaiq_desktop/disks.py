"""Which disk a path is on, for error messages a user can act on ("free space on /home")."""

from __future__ import annotations

import os
from pathlib import Path


def mount_point(path: Path) -> Path:
    """The mount point of the disk ``path`` is on (the path itself if it cannot be resolved)."""
    try:
        current = path.resolve()
    except OSError:
        return path
    while not os.path.ismount(current) and current != current.parent:
        current = current.parent
    return current
