"""Sub-commands (placeholder until the feature lands)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Add this module's sub-commands to the `codaiq-desktop` parser."""
