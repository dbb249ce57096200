"""``codaiq-desktop listen``: the webhook receiver without the window, for a machine that stays on.

It fills the same store file the desktop app reads, so leads that arrive overnight are
in the Leads tab in the morning. The secret comes from the keyring or an environment
variable, never from the command line (where ``ps`` and shell history would show it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TextIO

DEFAULT_PORT = 8787
KEYRING_SERVICE = "codaiq-desktop"
KEYRING_WEBHOOK_SECRET = "__webhook-secret__"
"""The keyring entry where the desktop app keeps its webhook secret (``accounts.KeyVault``).
Several secrets (during a rotation) may be stored separated by new lines."""
STORE_FILE_NAME = "store.sqlite3"
DEFAULT_SECRET_ENV = "CODAIQ_WEBHOOK_SECRET"

EXIT_PORT_IN_USE = 3
EXIT_NO_SECRET = 4
EXIT_STORE = 5
EXIT_CANNOT_LISTEN = 6


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``listen`` to the `codaiq-desktop` parser."""
    parser = subparsers.add_parser(
        "listen",
        help="receive Codaiq webhooks into the local store (no window)",
        description=(
            "Run the webhook receiver until interrupted. Every delivery is verified against the "
            "webhook secret and stored before it is acknowledged. Binds 127.0.0.1 unless --host says otherwise."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1: this machine only)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)"
    )
    parser.add_argument("--store", type=Path, default=None, help="store file (default: the desktop app's store)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--secret-from-keyring",
        action="store_true",
        help=f"read the secret(s) from the system keyring ({KEYRING_SERVICE} / {KEYRING_WEBHOOK_SECRET})",
    )
    source.add_argument(
        "--secret-env",
        metavar="VAR",
        action="append",
        help=f"read a secret from environment variable VAR (repeat to accept several; default {DEFAULT_SECRET_ENV})",
    )
    parser.add_argument("--ready-json", action="store_true", help="print one JSON line when listening, for scripts")
    parser.add_argument("--quiet", action="store_true", help="do not print a line per stored event")
    parser.set_defaults(handler=run_listen)


class SecretError(RuntimeError):
    """No usable webhook secret; ``str()`` tells the user where to put one."""


def load_secrets(args: argparse.Namespace, environ: dict[str, str] | os._Environ[str] = os.environ) -> list[str]:
    """The secrets ``args`` point at; raises ``SecretError`` with advice when there are none."""
    if args.secret_from_keyring:
        import keyring
        from keyring.errors import KeyringError

        try:
            stored = keyring.get_password(KEYRING_SERVICE, KEYRING_WEBHOOK_SECRET)
        except KeyringError as exc:
            raise SecretError(
                f"The system keyring is not available ({exc.__class__.__name__}). "
                f"Use --secret-env VAR with the secret in an environment variable instead."
            ) from None
        secrets = [line.strip() for line in (stored or "").splitlines() if line.strip()]
        if not secrets:
            raise SecretError(
                f"No webhook secret in the keyring under {KEYRING_SERVICE} / {KEYRING_WEBHOOK_SECRET}. "
                "Set it in the desktop app's settings, or use --secret-env VAR."
            )
        return secrets
    names = args.secret_env or [DEFAULT_SECRET_ENV]
    secrets = []
    missing = []
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            secrets.append(value)
        else:
            missing.append(name)
    if not secrets:
        raise SecretError(
            f"No webhook secret: environment variable {' / '.join(missing)} is empty or not set. "
            "Export the secret from your Codaiq webhook settings there, or use --secret-from-keyring."
        )
    return secrets


def exposure_warning(host: str) -> str | None:
    """The warning to print when ``host`` is reachable from other machines, else ``None``."""
    from codaiq_desktop.receiver import is_loopback

    if is_loopback(host):
        return None
    return (
        f"Warning: listening on {host} makes the receiver reachable from other machines. Only correctly "
        "signed deliveries are stored, but put it behind HTTPS (a reverse proxy) before exposing it to the internet."
    )


def default_store_path() -> Path:
    """The store the desktop app opens, so both see the same leads."""
    from codaiq_desktop.accounts import data_dir

    return data_dir() / STORE_FILE_NAME


def run_listen(args: argparse.Namespace) -> int:
    try:
        secrets = load_secrets(args)
    except SecretError as exc:
        print(f"codaiq-desktop listen: {exc}", file=sys.stderr)
        return EXIT_NO_SECRET
    if not 0 <= args.port <= 65535:
        print("codaiq-desktop listen: --port must be between 0 and 65535.", file=sys.stderr)
        return 2
    warning = exposure_warning(args.host)
    if warning:
        print(warning, file=sys.stderr)
    store_path = args.store if args.store is not None else default_store_path()
    return asyncio.run(_serve(args, secrets, store_path, sys.stdout, sys.stderr))


async def _serve(args: argparse.Namespace, secrets: list[str], store_path: Path, out: TextIO, err: TextIO) -> int:
    import sqlite3

    from codaiq_desktop.receiver import PortInUseError, WebhookReceiver
    from codaiq_desktop.store import SchemaTooNewError, Store, StoredEvent

    try:
        store = Store(store_path)
    except (sqlite3.Error, OSError, SchemaTooNewError) as exc:
        print(f"codaiq-desktop listen: cannot open the store {store_path}: {exc}", file=err)
        return EXIT_STORE

    def store_state(problem: str | None) -> None:
        # Printed once per change: the sender retries a refused event, so a full disk
        # would otherwise print a line for every retry.
        if problem is None:
            print("codaiq-desktop listen: events are being stored again.", file=err, flush=True)
        else:
            print(f"codaiq-desktop listen: {problem}", file=err, flush=True)

    # This command prints what the user needs itself (above); without a handler, Python
    # would also print the receiver's log warnings to stderr, saying everything twice.
    quiet_logs = logging.NullHandler()
    receiver_log = logging.getLogger("codaiq_desktop.receiver")
    receiver_log.addHandler(quiet_logs)
    try:
        receiver = WebhookReceiver(store, secrets, host=args.host, port=args.port, on_store_state=store_state)
        try:
            await receiver.start()
        except PortInUseError as exc:
            alternative = f"--port {exc.suggested_port} (free now)" if exc.suggested_port else "another --port"
            print(
                f"codaiq-desktop listen: port {exc.port} on {exc.host} is already in use: another program "
                f"(or another Codaiq Desktop) is listening there. Stop it, or run with {alternative}, "
                "or --port 0 for any free port.",
                file=err,
            )
            return EXIT_PORT_IN_USE
        except OSError as exc:
            print(f"codaiq-desktop listen: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=err)
            return EXIT_CANNOT_LISTEN

        if not args.quiet:

            def report(event: StoredEvent) -> None:
                lead = f"  lead #{event.lead_id}" if event.lead_id is not None else ""
                print(f"{event.received_at:%H:%M:%S}  {event.type:<20} {event.event_id}{lead}", file=out, flush=True)

            store.bus.subscribe(report)

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: Ctrl+C still raises
                loop.add_signal_handler(signum, stop.set)
        if args.ready_json:
            ready = {"url": receiver.url, "port": receiver.port, "store": str(store_path), "pid": os.getpid()}
            print(json.dumps(ready), file=out, flush=True)
        else:
            print(f"Listening on {receiver.url}  (store: {store_path}; Ctrl+C to stop)", file=out, flush=True)
        try:
            await stop.wait()
        finally:
            await receiver.stop()
        stats = receiver.stats
        print(
            f"Stopped. {stats.accepted} stored, {stats.duplicates} duplicate(s), {stats.rejected} refused.",
            file=out,
            flush=True,
        )
        return 0
    finally:
        receiver_log.removeHandler(quiet_logs)
        store.close()
