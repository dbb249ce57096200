"""``codaiq-desktop serve`` and ``serve-admin``: the agency's inbox server and its tenancy.

``serve`` runs until SIGINT/SIGTERM. ``serve-admin`` changes the database directly (it
runs as the database's owner, not through the server): agencies, webhook secrets,
members and their tokens. Secrets come from environment variables, never from the
command line (``ps`` and shell history would show them); a member's token is printed
once, as JSON, and only its hash is kept.

Exit codes: 0 ok, 1 a refused request (unknown agency or member, bad email), 2 usage
(including an unsafe bind), 5 the database cannot be opened or is from a newer server,
6 the port is in use.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import json
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

DB_ENV = "CODAIQ_SERVE_DB"
PORT_ENV = "CODAIQ_SERVE_PORT"
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_DATABASE = 5
EXIT_CANNOT_LISTEN = 6


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=None,
        help=f"postgresql://user@host:port/db, or a SQLite file path (default: ${DB_ENV}, else a file in --data)",
    )
    parser.add_argument("--data", type=Path, default=None, help="folder for the default SQLite file")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` and ``serve-admin`` to the `codaiq-desktop` parser."""
    serve = subparsers.add_parser(
        "serve",
        help="run the agency's always-on webhook receiver and shared lead inbox",
        description=(
            "Receive every agency's Codaiq webhooks at /webhooks/codaiq/<agency> and serve the shared inbox API "
            "(/api/v1, /openapi.json) with live updates. Binds 127.0.0.1 unless --host says otherwise; another "
            "address needs --tls-cert/--tls-key or --behind-proxy."
        ),
        epilog=__doc__.split("Exit codes:")[1].join(("Exit codes:", "")) if __doc__ else None,
    )
    _add_db(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=None, help=f"port (default ${PORT_ENV}, else 8790; 0 picks a free one)"
    )
    serve.add_argument("--tls-cert", type=Path, default=None, help="TLS certificate chain (PEM)")
    serve.add_argument("--tls-key", type=Path, default=None, help="TLS private key (PEM)")
    serve.add_argument(
        "--behind-proxy",
        action="store_true",
        help="TLS ends at a reverse proxy in front (trust its X-Forwarded-For/-Proto)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxy addresses whose X-Forwarded-* headers are trusted (with --behind-proxy)",
    )
    serve.add_argument("--max-body", type=int, default=1024 * 1024, help="largest webhook body in bytes (1 MiB)")
    serve.add_argument("--token-rate", type=float, default=50.0, help="API requests/s per member token (50)")
    serve.add_argument("--ip-rate", type=float, default=100.0, help="API requests/s per client address (100)")
    serve.add_argument(
        "--ready-json",
        action="store_true",
        help='print one JSON line {"url", "pid", "engine"} on stdout once listening',
    )
    serve.add_argument(
        "--exit-with-stdin",
        action="store_true",
        help="stop when stdin closes, and hold the --data folder while running (the desktop app's "
        "local inbox server: it ends with the app)",
    )
    serve.add_argument(
        "--parent-pid", type=int, default=None, metavar="PID", help="stop within a second or two once process PID ends"
    )
    serve.set_defaults(handler=run_serve)

    admin = subparsers.add_parser(
        "serve-admin",
        help="manage the inbox server's agencies, webhook secrets and members",
        description="Change the inbox server's database directly. Prints JSON.",
    )
    _add_db(admin)
    commands = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    add_agency = commands.add_parser("add-agency", help="create an agency; prints its id and webhook path")
    add_agency.add_argument("name")
    add_agency.add_argument(
        "--webhook-secret-env",
        metavar="VAR",
        required=True,
        help="environment variable holding the agency's webhook secret",
    )
    add_member = commands.add_parser("add-member", help="add a member; prints their token (once)")
    add_member.add_argument("--agency", required=True)
    add_member.add_argument("--email", required=True)
    add_member.add_argument("--role", choices=("admin", "member"), default="member")
    add_member.add_argument(
        "--server-url",
        metavar="URL",
        default=None,
        help="the server's public address (https://inbox.example.com): also print an invite, "
        "one line carrying address and token that the member pastes into the desktop app",
    )
    revoke = commands.add_parser("revoke-member", help="revoke a member's token at once")
    revoke.add_argument("--agency", required=True)
    revoke.add_argument("--member", required=True, help="member id or email")
    rotate = commands.add_parser(
        "rotate-secret", help="make a new webhook secret current; old ones keep working for the grace period"
    )
    rotate.add_argument("--agency", required=True)
    rotate.add_argument("--webhook-secret-env", metavar="VAR", required=True)
    rotate.add_argument("--grace-hours", type=float, default=24.0, help="how long the old secret still verifies (24)")
    members = commands.add_parser("list-members", help="list an agency's members")
    members.add_argument("--agency", required=True)
    admin.set_defaults(handler=run_admin)


def _db_url(args: argparse.Namespace) -> str | None:
    return args.db or os.environ.get(DB_ENV) or None


def _database_error(exc: BaseException) -> int:
    from codaiq_desktop.inbox_server.storage import SchemaTooNewError

    if isinstance(exc, SchemaTooNewError):
        print(str(exc), file=sys.stderr)
    else:
        print(f"Cannot open the inbox database: {type(exc).__name__}: {_without_secrets(str(exc))}", file=sys.stderr)
    return EXIT_DATABASE


def _without_secrets(text: str) -> str:
    """Connection errors may quote the DSN; drop any password in it."""
    import re

    return re.sub(r"(postgres(?:ql)?://[^:/@\s]+):[^@\s]+@", r"\1:***@", text)


def _port(given: int | None) -> int:
    from codaiq_desktop.inbox_server.server import DEFAULT_PORT

    if given is not None:
        return given
    from_env = os.environ.get(PORT_ENV, "").strip()
    return int(from_env) if from_env.isdigit() else DEFAULT_PORT


def run_serve(args: argparse.Namespace) -> int:
    from codaiq_desktop.inbox_server.app import ServerSettings
    from codaiq_desktop.inbox_server.server import InboxServer, ServeOptions, UnsafeBindError
    from codaiq_desktop.inbox_server.storage import open_storage

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = ServeOptions(
        host=args.host,
        port=_port(args.port),
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        behind_proxy=args.behind_proxy,
        forwarded_allow_ips=args.forwarded_allow_ips,
        settings=ServerSettings(
            max_body=args.max_body,
            token_rate=args.token_rate,
            token_burst=args.token_rate * 4,
            ip_rate=args.ip_rate,
            ip_burst=args.ip_rate * 4,
        ),
    )
    try:
        server = InboxServer(open_storage(_db_url(args), args.data), options)
    except UnsafeBindError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    if not (args.exit_with_stdin or args.parent_pid is not None):
        return _run(_serve(server, args.ready_json))
    return _run_as_child(server, args)


def _run_as_child(server: Any, args: argparse.Namespace) -> int:
    """Serve for a desktop app: hold the data folder, and stop when the app is gone.

    The app's local inbox server must not outlive it (it would keep the port and the
    SQLite file), nor run twice on one folder: the folder's lock says who holds it, so
    the app can tell a stale server of its own from anything else.
    """
    from codaiq_desktop.inbox_server.desktop_child import SERVE_LOCK_NAME
    from codaiq_desktop.sandbox.data_dir_lock import DataDirInUseError, DataDirLock
    from codaiq_desktop.sandbox.parent_watch import ParentWatch

    lock: DataDirLock | None = None
    if args.data is not None and _db_url(args) is None:
        lock = DataDirLock(args.data, name=SERVE_LOCK_NAME)
        try:
            lock.acquire()
        except DataDirInUseError as exc:
            who = f"process {exc.holder}" if exc.holder else "another process"
            print(
                f"The inbox server's data folder {args.data} is in use by {who}. Stop that inbox server or use "
                "another --data.",
                file=sys.stderr,
            )
            return EXIT_DATABASE

    async def serve() -> int:
        watch = ParentWatch(
            asyncio.get_running_loop(),
            lambda: os.kill(os.getpid(), signal.SIGTERM),
            parent_pid=args.parent_pid,
            watch_stdin=args.exit_with_stdin,
        )
        watch.start()  # kept referenced for as long as the server runs (it holds the stdin task)
        try:
            return await _serve(server, args.ready_json)
        finally:
            watch.server_stopped()

    try:
        return _run(serve())
    finally:
        if lock is not None:
            lock.release()


def _run(main: Coroutine[Any, Any, int]) -> int:
    """``asyncio.run``, on uvloop when it is installed (the ``server`` extra): a faster loop for a busy server."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


async def _serve(server: Any, ready_json: bool) -> int:
    try:
        await server.start()
    except Exception as exc:  # noqa: BLE001 - any start failure is told to the user
        with contextlib.suppress(Exception):
            await server.storage.close()
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            print(
                f"Port {server.options.port} on {server.options.host} is already in use; pick another with --port.",
                file=sys.stderr,
            )
            return EXIT_CANNOT_LISTEN
        return _database_error(exc)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    if ready_json:
        print(json.dumps({"url": server.url, "pid": os.getpid(), "engine": server.storage.engine}), flush=True)
    else:
        print(f"Inbox server on {server.url} ({server.storage.describe()}). Ctrl-C stops it.", file=sys.stderr)
    main = asyncio.ensure_future(server.serve_forever())
    waiter = asyncio.ensure_future(stop.wait())
    await asyncio.wait({main, waiter}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    await server.stop()
    return 0


def run_admin(args: argparse.Namespace) -> int:
    from codaiq_desktop.inbox_server.storage import StorageError, open_storage

    handlers: dict[str, Callable[[Any, argparse.Namespace], Awaitable[Any]]] = {
        "add-agency": _add_agency,
        "add-member": _add_member,
        "revoke-member": _revoke_member,
        "rotate-secret": _rotate_secret,
        "list-members": _list_members,
    }
    handler = handlers[args.admin_command]
    if getattr(args, "webhook_secret_env", None):
        secret = os.environ.get(args.webhook_secret_env, "")
        if not secret.strip():
            print(
                f"The environment variable {args.webhook_secret_env} is empty or not set; put the webhook "
                "secret there (it is never taken from the command line).",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if len(secret) < 16:
            print("A webhook secret must be at least 16 characters long.", file=sys.stderr)
            return EXIT_USAGE
        args.secret = secret

    async def run() -> int:
        db = _db_url(args)
        storage = open_storage(db, args.data)
        if storage.engine == "postgresql":  # as the database's owner: admin commands are not tenant-scoped
            from codaiq_desktop.inbox_server.postgres_storage import PostgresInbox

            assert db is not None
            storage = PostgresInbox(db, app_role=None, pool_size=2, writers=1, listen=False)
        try:
            await storage.open()
        except Exception as exc:  # noqa: BLE001 - any database failure is told to the user
            return _database_error(exc)
        try:
            result = await handler(storage, args)
        except (StorageError, ValueError) as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_REFUSED
        finally:
            await storage.close()
        print(json.dumps(result, indent=None))
        return 0

    return asyncio.run(run())


async def _add_agency(storage: Any, args: argparse.Namespace) -> dict[str, str]:
    agency = await storage.add_agency(args.name, args.secret)
    return {"agency": agency.id, "webhookPath": agency.webhook_path}


async def _add_member(storage: Any, args: argparse.Namespace) -> dict[str, str]:
    invite_for = None
    if args.server_url:
        from codaiq_desktop.team import TeamServer, make_invite

        invite_for = TeamServer(args.server_url, "placeholder").url  # refuses a malformed address up front
    member, token = await storage.add_member(args.agency, args.email, args.role)
    answer = {"token": token, "member": member.id, "agency": member.agency_id, "role": member.role}
    if invite_for is not None:
        answer["invite"] = make_invite(TeamServer(invite_for, token))
    return answer


async def _revoke_member(storage: Any, args: argparse.Namespace) -> dict[str, Any]:
    member = await storage.revoke_member(args.agency, args.member)
    return {"revoked": member.id, "email": member.email}


async def _rotate_secret(storage: Any, args: argparse.Namespace) -> dict[str, Any]:
    await storage.rotate_secret(args.agency, args.secret, args.grace_hours * 3600)
    return {"agency": args.agency, "rotated": True, "oldSecretValidHours": args.grace_hours}


async def _list_members(storage: Any, args: argparse.Namespace) -> dict[str, Any]:
    if await storage.get_agency(args.agency) is None:
        raise ValueError(f"No agency {args.agency!r}.")
    return {"members": [member.to_json() for member in await storage.list_members(args.agency)]}
