"""The `codaiq-desktop` command: the GUI with no arguments, sub-commands for the terminal.

Each feature registers its own sub-commands (``register(subparsers)``) so the
command line grows with the package without one module knowing every command.
Heavy imports (Qt, uvicorn) happen inside the handlers, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from codaiq_desktop import __version__
from codaiq_desktop.cli import (
    check_site_command,
    client_commands,
    desktop_commands,
    listen_command,
    report_command,
    sandbox_commands,
    serve_commands,
)

_REGISTRARS = (
    client_commands.register,
    check_site_command.register,
    sandbox_commands.register,
    listen_command.register,
    desktop_commands.register,
    report_command.register,
    serve_commands.register,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codaiq-desktop", description="Codaiq Desktop. With no command, opens the desktop app."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in _REGISTRARS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command is None:
        # Qt takes its own options (-platform, -style ...); pass anything we don't know on.
        from codaiq_desktop.ui.app import run_app

        return run_app([sys.argv[0], *unknown])
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
