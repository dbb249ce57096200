"""`codaiq-desktop sandbox`: run the local Codaiq sandbox, mint keys, simulate traffic.

    codaiq-desktop sandbox [--host 127.0.0.1] [--port 8787] [--data DIR] [--build-seconds 4] [--ready-json]
                           [--documented-only]
    codaiq-desktop sandbox key --plan pro [--account NAME] [--data DIR]
    codaiq-desktop sandbox simulate WEBSITE_ID --days 30 [--data DIR]

``key`` and ``simulate`` work on the data dir directly (SQLite allows it while a sandbox
runs on it), so they need no key and no running server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from pathlib import Path

DEFAULT_PORT = 8787


def default_data_dir() -> Path:
    """Where the sandbox keeps its state unless told otherwise (the user's data dir)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("codaiq-desktop", appauthor=False)) / "sandbox"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sandbox`` and its sub-commands to the `codaiq-desktop` parser."""
    parser = subparsers.add_parser(
        "sandbox",
        help="run a local Codaiq-compatible server (or: key, simulate)",
        description="Run a local Codaiq-compatible server; prints its base URL and an API key.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = any free)")
    _add_data_option(parser)
    parser.add_argument(
        "--build-seconds", type=float, default=4.0, help="how long a build takes from queued to ready (default 4)"
    )
    parser.add_argument(
        "--documented-only",
        action="store_true",
        help="answer the public API with only the fields the public API docs name (no ids, progress, "
        "extra analytics): to try a program against a service that promises no more",
    )
    parser.add_argument(
        "--ready-json",
        action="store_true",
        help="print one JSON line {baseUrl, rootUrl, apiKey, pid} once listening (for programs)",
    )
    parser.add_argument(
        "--exit-with-stdin",
        action="store_true",
        help="stop when stdin closes (a parent process that dies takes the sandbox with it)",
    )
    parser.add_argument(
        "--parent-pid",
        type=int,
        default=None,
        metavar="PID",
        help="stop within a second or two once process PID ends, whatever the sandbox is doing",
    )
    parser.set_defaults(handler=_run_server)

    actions = parser.add_subparsers(dest="sandbox_command", metavar="ACTION")
    key = actions.add_parser("key", help="create an API key on a plan", description="Create a sandbox API key.")
    key.add_argument("--plan", choices=("free", "pro", "agency", "enterprise"), default="agency")
    key.add_argument("--account", help="account to put the key in (same account, same projects)")
    _add_data_option(key)
    key.set_defaults(handler=_create_key)

    simulate = actions.add_parser(
        "simulate",
        help="fill a website's analytics with simulated visits",
        description="Record simulated visits (weekday rhythm, referrer mix, top pages) for a website.",
    )
    simulate.add_argument("website_id", metavar="WEBSITE_ID")
    simulate.add_argument("--days", type=int, default=30, help="days of history, ending now (1-365; default 30)")
    _add_data_option(simulate)
    simulate.set_defaults(handler=_simulate)


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="data directory (default: <user data dir>/codaiq-desktop/sandbox)",
    )


def _data_dir(args: argparse.Namespace) -> Path:
    return (args.data or default_data_dir()).expanduser()


def _run_server(args: argparse.Namespace) -> int:
    from codaiq_desktop.sandbox import SandboxConfig, SandboxServer
    from codaiq_desktop.sandbox.data_dir_lock import DataDirInUseError
    from codaiq_desktop.sandbox.parent_watch import ParentWatch
    from codaiq_desktop.sandbox.server import SandboxPortInUseError

    if args.build_seconds < 0:
        print("--build-seconds must not be negative.", file=sys.stderr)
        return 2
    config = SandboxConfig(
        data_dir=_data_dir(args),
        host=args.host,
        port=args.port,
        build_seconds=args.build_seconds,
        documented_only=args.documented_only,
    )

    async def serve() -> int:
        server = SandboxServer(config)
        try:
            await server.start()
        except DataDirInUseError as exc:
            print(f"Could not start the sandbox: {exc} Stop that sandbox or use another --data.", file=sys.stderr)
            return 1
        except SandboxPortInUseError as exc:
            other = f", or --port {exc.suggested_port}" if exc.suggested_port is not None else ""
            print(
                f"Port {exc.port} on {exc.host} is already in use (is another sandbox running?). "
                f"Try --port 0 for a free port{other}.",
                file=sys.stderr,
            )
            return 1
        except OSError as exc:
            print(f"Could not start the sandbox: {exc}. Try another --port.", file=sys.stderr)
            return 1
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows
                signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stop.set))
        watch: ParentWatch | None = None  # kept for as long as the server runs (it holds the stdin task)
        if args.exit_with_stdin or args.parent_pid is not None:
            watch = ParentWatch(loop, stop.set, parent_pid=args.parent_pid, watch_stdin=args.exit_with_stdin)
            watch.start()
        if args.ready_json:
            ready = {
                "baseUrl": server.base_url,
                "rootUrl": server.root_url,
                "apiKey": server.default_api_key,
                "pid": os.getpid(),
            }
            print(json.dumps(ready), flush=True)
        else:
            print(f"Codaiq sandbox listening on {server.root_url}")
            print(f"  Base URL: {server.base_url}")
            print(f"  API key:  {server.default_api_key}  (agency plan)")
            print(f"  Data:     {config.data_dir}")
            if not _is_loopback(args.host):
                print(
                    f"Warning: listening on {args.host}: anyone who can reach this address can create keys "
                    "and read every project. The sandbox is meant for 127.0.0.1.",
                    file=sys.stderr,
                )
            print("Press Ctrl+C to stop.", flush=True)
        try:
            await stop.wait()
            if watch is not None and watch.reason:
                print(f"Stopping the sandbox: {watch.reason}.", file=sys.stderr, flush=True)
        finally:
            await server.stop()
            if watch is not None:
                watch.server_stopped()
        return 0

    return asyncio.run(serve())


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _create_key(args: argparse.Namespace) -> int:
    from codaiq_desktop.sandbox import SandboxConfig
    from codaiq_desktop.sandbox.service import SandboxService

    async def create() -> int:
        service = SandboxService(SandboxConfig(data_dir=_data_dir(args)))
        try:
            key, account = service.create_key(args.plan, args.account)
        finally:
            await service.stop()
        print(key)
        print(f"plan: {args.plan}, account: {account}", file=sys.stderr)
        return 0

    return asyncio.run(create())


def _simulate(args: argparse.Namespace) -> int:
    from codaiq_desktop.sandbox import SandboxConfig
    from codaiq_desktop.sandbox.errors import ApiError
    from codaiq_desktop.sandbox.service import SandboxService

    async def simulate() -> int:
        service = SandboxService(SandboxConfig(data_dir=_data_dir(args)))
        try:
            count = service.simulate(None, args.website_id, args.days)
        except ApiError as exc:
            print(exc.message, file=sys.stderr)
            return 1
        finally:
            await service.stop()
        print(f"Recorded {count} simulated page views for {args.website_id} over {args.days} days.")
        return 0

    return asyncio.run(simulate())
