"""Sub-commands that talk to the Codaiq API: generate, projects, analytics, export, lead submit.

They are thin: parse options, build one :class:`~codaiq_desktop.api.CodaiqClient`,
call it, print. Human-readable output goes to stdout, progress and errors to
stderr, and ``--json`` prints the API's own JSON for scripts. Exit codes tell a
shell script what went wrong without parsing text (see ``EXIT_CODES_HELP``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from codaiq_desktop.api import CodaiqClient, models

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_RATE_LIMITED = 5
EXIT_NETWORK = 6
EXIT_BAD_RESPONSE = 7
EXIT_BUILD_FAILED = 8
EXIT_BUILD_TIMEOUT = 9

ENV_API_KEY = "CODAIQ_API_KEY"
ENV_BASE_URL = "CODAIQ_BASE_URL"

EXIT_CODES_HELP = f"""\
environment:
  {ENV_API_KEY}   API key (preferred over --api-key: options show up in process lists)
  {ENV_BASE_URL}  API base URL (default https://codaiq.com/api; a sandbox: http://127.0.0.1:PORT/api)
  Precedence: --api-key / --base-url, then --profile, then the environment.

exit codes:
  {EXIT_OK}  success
  {EXIT_API_ERROR}  the API refused the request (invalid input, conflict, server error) or a file could not be written
  {EXIT_USAGE}  usage error (bad options, no API key, input refused before sending)
  {EXIT_AUTH}  the API key was not accepted, or may not access that project
  {EXIT_NOT_FOUND}  project or website not found
  {EXIT_RATE_LIMITED}  rate limited: try again later
  {EXIT_NETWORK}  network problem: could not connect, connection dropped, or timed out
  {EXIT_BAD_RESPONSE}  the server's answer was not what the API promises (wrong base URL? corrupt export?)
  {EXIT_BUILD_FAILED}  generate --wait: the build failed
  {EXIT_BUILD_TIMEOUT}  generate --wait: the build did not finish within --wait-timeout (it may still finish)
  130  interrupted (Ctrl-C)
"""

ANALYTICS_RANGES = ("24h", "7d", "30d", "90d")

_log = logging.getLogger(__name__)


# --- registration --------------------------------------------------------------


def connection_options() -> argparse.ArgumentParser:
    """The options every command that calls the API shares (a parent parser): connection and ``--json``."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument(
        "--base-url", metavar="URL", help=f"API base URL (default: ${ENV_BASE_URL} or https://codaiq.com/api)"
    )
    group.add_argument(
        "--api-key", metavar="KEY", help=f"API key (better: set ${ENV_API_KEY}; options show in process lists)"
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        help="use an account saved by the desktop app: its base URL and stored key "
        "(--base-url and --api-key still win)",
    )
    group.add_argument(
        "--timeout",
        type=_positive_float,
        default=30.0,
        metavar="SECONDS",
        help="network timeout per request (default: 30)",
    )
    common.add_argument("--json", action="store_true", help="print the API's JSON instead of text")
    return common


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's sub-commands to the `codaiq-desktop` parser."""
    common = connection_options()

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = subparsers.add_parser(
            name,
            help=help_text[0].lower() + help_text[1:].rstrip("."),  # the style of argparse's own lines
            description=help_text,
            parents=[common],
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return parser

    generate = add("generate", "Generate a website from a text prompt.")
    generate.add_argument("--prompt", required=True, help="what the website should be")
    generate.add_argument("--name", help="a name for the website")
    generate.add_argument("--wait", action="store_true", help="follow the build until it is ready or failed")
    generate.add_argument(
        "--wait-timeout",
        type=_positive_float,
        metavar="SECONDS",
        help=f"with --wait: stop waiting after this long, exit code {EXIT_BUILD_TIMEOUT} (default: no limit)",
    )
    generate.set_defaults(handler=_handler(_generate))

    projects = add("projects", "List projects, or show one project and its websites.")
    projects.add_argument("project_id", nargs="?", metavar="PROJECT_ID", help="show only this project")
    projects.set_defaults(handler=_handler(_projects))

    analytics = add("analytics", "Show a website's traffic.")
    analytics.add_argument("website_id", metavar="WEBSITE_ID")
    analytics.add_argument("--range", choices=ANALYTICS_RANGES, default="7d", help="time window (default: 7d)")
    analytics.set_defaults(handler=_handler(_analytics))

    export = add("export", "Download a website's code as a ZIP archive.")
    export.add_argument("project_id", metavar="PROJECT_ID")
    export.add_argument("website_id", metavar="WEBSITE_ID")
    export.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="where to save the ZIP (a folder: use the server's file name)",
    )
    export.add_argument("-f", "--force", action="store_true", help="replace FILE if it exists")
    export.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    export.set_defaults(handler=_handler(_export))

    check = add(
        "check-service",
        "Check what the service sends: a read-only probe of the account (one projects list and, "
        "when a website id is known, one analytics call) that lists the documented fields that "
        "arrived, the extra fields the service sends, and which app features work fully or in a "
        "degraded form.",
    )
    check.add_argument(
        "--website", metavar="WEBSITE_ID", help="check analytics for this website (default: the first listed id)"
    )
    check.set_defaults(handler=_handler(_check_service))

    lead = subparsers.add_parser(
        "lead",
        help="work with leads (submit)",
        description="Work with leads.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lead_commands = lead.add_subparsers(dest="lead_command", metavar="ACTION", required=True)
    submit = lead_commands.add_parser(
        "submit",
        help="record a lead against a website",
        description="Record a lead against a website (as its lead form would).",
        parents=[common],
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    submit.add_argument("--website", required=True, metavar="WEBSITE_ID")
    submit.add_argument("--name", required=True)
    submit.add_argument("--email", required=True)
    submit.add_argument("--phone")
    submit.add_argument("--message")
    submit.set_defaults(handler=_handler(_lead_submit))


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


# --- running a command ------------------------------------------------------------


@dataclass
class _Output:
    """Where a command writes: results to ``out``, progress and errors to ``err``."""

    out: TextIO
    err: TextIO
    as_json: bool

    def result(self, text: str) -> None:
        print(text, file=self.out)

    def json(self, data: object) -> None:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str), file=self.out)

    def note(self, text: str) -> None:
        print(text, file=self.err)


Output = _Output
"""Public name for other command modules that run through :func:`handler_for`."""

Command = Callable[["CodaiqClient", argparse.Namespace, _Output], Awaitable[int]]


def _handler(command: Command) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        return run_command(command, args, out=sys.stdout, err=sys.stderr)

    return run


handler_for = _handler
"""Turn an API command coroutine into an argparse handler (client from options, errors to exit codes)."""


def run_command(command: Command, args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    """Build the client from options and environment, run ``command``, turn failures into exit codes."""
    from codaiq_desktop.api import DEFAULT_BASE_URL, CodaiqClient

    output = _Output(out, err, bool(getattr(args, "json", False)))
    profile_url, profile_key = None, None
    if args.profile:
        try:
            profile_url, profile_key = _profile_connection(args.profile)
        except LookupError as exc:
            output.note(f"error: {exc}")
            return EXIT_USAGE
    api_key = args.api_key or profile_key or os.environ.get(ENV_API_KEY, "")
    from codaiq_desktop.logging_setup import register_secret

    register_secret(api_key)  # redact it from any log line, whatever its shape
    base_url = args.base_url or profile_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    if not api_key.strip():
        output.note(f"error: no API key. Set {ENV_API_KEY} (or pass --api-key or --profile).")
        return EXIT_USAGE
    try:
        client = CodaiqClient(base_url, api_key, timeout=args.timeout)
    except ValueError as exc:
        output.note(f"error: {exc}")
        return EXIT_USAGE

    async def main() -> int:
        asyncio.get_running_loop().set_exception_handler(ignore_late_reads)
        async with client:
            code = await command(client, args, output)
            _warn_if_quota_low(client, output)
            return code

    return _exit_code_for(lambda: asyncio.run(main()), output)


def _profile_connection(name: str) -> tuple[str | None, str | None]:
    """The base URL and key of a profile the desktop app saved; LookupError when unusable."""
    from codaiq_desktop.accounts import AccountStore, KeyVault

    accounts = AccountStore().load()
    account = accounts.get(name)
    if account is None:
        known = ", ".join(repr(a.name) for a in accounts.accounts) or "none yet"
        raise LookupError(f"no profile called {name!r} (profiles: {known}).")
    if account.is_sandbox:
        raise LookupError(
            f"{name!r} is the app's local sandbox; start one with `codaiq-desktop sandbox` "
            f"and point {ENV_BASE_URL} and {ENV_API_KEY} at it."
        )
    key = KeyVault().get_key(account)
    if not key:
        raise LookupError(
            f"no API key is stored for profile {name!r} here (kept for the app's session only, "
            f"or no keyring). Set {ENV_API_KEY} instead."
        )
    return account.base_url or None, key


def ignore_late_reads(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's error handler: data arriving for a read already cancelled is not an error.

    On Ctrl+C in the middle of a download the read is cancelled while bytes are still on the
    way; the HTTP stack's stream protocol then wakes a waiter that is gone, and asyncio would
    print that ``InvalidStateError`` with a traceback after "Interrupted.". Anything else goes
    to asyncio's own handler.
    """
    if isinstance(context.get("exception"), asyncio.InvalidStateError) and "protocol" in context:
        _log.debug("A read that arrived after its cancellation was dropped: %s", context.get("message"))
        return
    loop.default_exception_handler(context)


def _exit_code_for(run: Callable[[], int], output: _Output) -> int:
    from codaiq_desktop.api import errors

    try:
        return run()
    except errors.CodaiqError as exc:
        output.note(f"error: {exc}")
        return _error_exit_code(exc)
    except ValueError as exc:  # arguments the client refused before sending
        output.note(f"error: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        output.note(f"error: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}")
        return EXIT_API_ERROR


def _error_exit_code(exc: BaseException) -> int:
    from codaiq_desktop.api import errors

    mapping: tuple[tuple[type[errors.CodaiqError], int], ...] = (
        (errors.AuthenticationError, EXIT_AUTH),
        (errors.NotFoundError, EXIT_NOT_FOUND),
        (errors.RateLimitError, EXIT_RATE_LIMITED),
        (errors.NetworkError, EXIT_NETWORK),
        (errors.BuildTimeoutError, EXIT_BUILD_TIMEOUT),
        (errors.InvalidResponseError, EXIT_BAD_RESPONSE),
    )
    for error_class, code in mapping:
        if isinstance(exc, error_class):
            return code
    if isinstance(exc, errors.ValidationError) and exc.status_code is None:
        return EXIT_USAGE  # refused before sending: the command line's input was wrong
    return EXIT_API_ERROR


def _warn_if_quota_low(client: CodaiqClient, output: _Output) -> None:
    info = client.rate_limit
    if info is None or info.limit is None or info.remaining is None or info.limit <= 0:
        return
    if info.remaining <= max(1, info.limit // 10):
        when = f", resets {info.reset_at:%Y-%m-%d %H:%M} UTC" if info.reset_at else ""
        output.note(f"note: {info.remaining} of {info.limit} API requests left{when}.")


# --- commands ---------------------------------------------------------------------


async def _generate(client: CodaiqClient, args: argparse.Namespace, output: _Output) -> int:
    from codaiq_desktop.api import errors
    from codaiq_desktop.api.models import BuildStatus

    result = await client.generate(args.prompt, name=args.name)
    if not args.wait:
        if output.as_json:
            output.json(result.raw)
        else:
            output.result(
                f"Generating website {result.website_id} in project {result.project_id} (status: {result.status})."
            )
        return EXIT_OK
    if not output.as_json:
        output.note(f"Generating website {result.website_id} in project {result.project_id}...")
    last = None
    try:
        async for update in client.wait_for_build(result.project_id, result.website_id, timeout=args.wait_timeout):
            last = update
            if not output.as_json:
                output.note(_describe_update(update))
    except errors.BuildTimeoutError as exc:
        # Not a failure of the build, nor of the network: the site may still become ready, so a
        # script gets the ids (and the last status seen) to look again later.
        if output.as_json:
            status = last.status if last is not None else result.status
            output.json({**result.raw, "status": status, "website": last.website.raw if last is not None else None})
        output.note(f"error: {exc}")
        return EXIT_BUILD_TIMEOUT
    assert last is not None  # wait_for_build always yields before it ends
    if output.as_json:
        output.json({**result.raw, "status": last.status, "website": last.website.raw})
    elif last.status == BuildStatus.READY:
        output.result(f"Website {result.website_id} is ready (project {result.project_id}).")
    if last.status == BuildStatus.FAILED:
        output.note(f"error: the build failed{f': {last.error}' if last.error else ''}.")
        return EXIT_BUILD_FAILED
    return EXIT_OK


def _describe_update(update: models.BuildUpdate) -> str:
    parts = [update.status or "unknown"]
    if update.progress is not None:
        parts.append(f"{update.progress}%")
    if update.step:
        parts.append(update.step)
    return "  " + " - ".join(parts)


async def _projects(client: CodaiqClient, args: argparse.Namespace, output: _Output) -> int:
    if args.project_id:
        project = await client.get_project(args.project_id)
        if output.as_json:
            output.json({"project": project.raw, "websites": [w.raw for w in project.websites]})
            return EXIT_OK
        output.result(f"{project.name or '(unnamed)'}  [{project.id or _NOT_SENT}]")
        if project.created_at:
            output.result(f"created {project.created_at:%Y-%m-%d %H:%M} UTC")
        output.result(_website_table(project.websites) if project.websites else "No websites.")
        return EXIT_OK
    projects = await client.list_projects()
    if output.as_json:
        # A project known only through its websites (the service listed websites) has no raw object.
        output.json({"projects": [p.raw or {"id": p.id, "websites": [w.raw for w in p.websites]} for p in projects]})
        return EXIT_OK
    if not projects:
        output.result("No projects yet. Create one with: codaiq-desktop generate --prompt '...'")
        return EXIT_OK
    rows = [("PROJECT", "NAME", "WEBSITES", "CREATED")]
    for project in projects:
        created = f"{project.created_at:%Y-%m-%d}" if project.created_at else ""
        rows.append((project.id or _NOT_SENT, project.name or "", str(len(project.websites)), created))
    output.result(_table(rows))
    return EXIT_OK


_NOT_SENT = "(no id sent)"
"""In place of an id the service did not send (the docs do not promise website or project ids)."""


def _website_table(websites: tuple[models.Website, ...]) -> str:
    rows = [("WEBSITE", "NAME", "STATUS", "DOMAIN")]
    for website in websites:
        status = website.build_status or "unknown"
        if website.build_progress is not None and website.build_status not in ("ready", None):
            status += f" {website.build_progress}%"
        rows.append((website.id or _NOT_SENT, website.name or "", status, website.domain or ""))
    return _table(rows)


async def _analytics(client: CodaiqClient, args: argparse.Namespace, output: _Output) -> int:
    result = await client.analytics(args.website_id, range=args.range)
    if output.as_json:
        output.json(result.raw)
        return EXIT_OK
    lines = [f"Website {result.website_id}, last {result.range}", f"  Pageviews:        {result.total_pageviews:,}"]
    not_sent = "not provided by the service"
    lines.append(f"  Unique visitors:  {not_sent if result.unique_visitors is None else f'{result.unique_visitors:,}'}")
    if result.top_pages is None:
        lines.append(f"Top pages: {not_sent}")
    elif result.top_pages:
        lines.append("Top pages:")
        lines += [f"  {page.pageviews:>8,}  {page.path}" for page in result.top_pages]
    if result.referrers is None:
        lines.append(f"Referrers: {not_sent}")
    elif result.referrers:
        lines.append("Referrers:")
        lines += [f"  {ref.visits:>8,}  {ref.source}" for ref in result.referrers]
    output.result("\n".join(lines))
    return EXIT_OK


async def _check_service(client: CodaiqClient, args: argparse.Namespace, output: _Output) -> int:
    from codaiq_desktop.api.service_check import check_service

    report = await check_service(client, website_id=args.website)
    if output.as_json:
        output.json(report.to_json())
    else:
        output.result(report.to_text())
    return EXIT_OK


async def _export(client: CodaiqClient, args: argparse.Namespace, output: _Output) -> int:
    dest = Path(args.output).expanduser()
    if dest.exists() and not dest.is_dir() and not args.force:
        output.note(f"error: {dest} already exists; use --force to replace it.")
        return EXIT_USAGE
    show_bar = not args.no_progress and _is_terminal(output.err)
    bar = ProgressBar(output.err, enabled=show_bar)
    try:
        path = await client.export_website(args.project_id, args.website_id, dest, progress=bar.update)
    finally:
        bar.finish()
    size = path.stat().st_size
    if output.as_json:
        output.json({"path": str(path), "bytes": size})
    else:
        output.result(f"Saved {path} ({format_bytes(size)}).")
    return EXIT_OK


async def _lead_submit(client: CodaiqClient, args: argparse.Namespace, output: _Output) -> int:
    receipt = await client.submit_lead(args.website, args.name, args.email, phone=args.phone, message=args.message)
    if output.as_json:
        output.json(receipt.raw or {"websiteId": receipt.website_id})
    else:
        lead = f"Lead {receipt.lead_id}" if receipt.lead_id else "The lead"
        output.result(f"{lead} was recorded for website {receipt.website_id}.")
    return EXIT_OK


# --- output helpers -------------------------------------------------------------------


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def format_bytes(count: float) -> str:
    """``1.5 MB``-style sizes (decimal units, as file managers show them)."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


class ProgressBar:
    """A one-line progress bar redrawn in place on a terminal (``\\r``), at most ~10 times a second."""

    WIDTH = 30

    def __init__(self, stream: TextIO, *, enabled: bool, label: str = "Downloading") -> None:
        self._stream = stream
        self._enabled = enabled
        self._label = label
        self._last_draw = 0.0
        self._drawn = False
        self._last: tuple[int, int | None] = (0, None)

    def update(self, done: int, total: int | None) -> None:
        self._last = (done, total)
        if not self._enabled:
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if self._drawn and not finished and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        self._draw(done, total)

    def finish(self) -> None:
        if self._enabled and self._drawn:
            self._draw(*self._last)
            self._stream.write("\n")
            self._stream.flush()

    def _draw(self, done: int, total: int | None) -> None:
        if total:
            fraction = min(1.0, done / total)
            filled = int(fraction * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"{self._label} [{bar}] {fraction:4.0%}  {format_bytes(done)} / {format_bytes(total)}"
        else:
            line = f"{self._label} {format_bytes(done)}"
        self._stream.write("\r" + line.ljust(72))
        self._stream.flush()
        self._drawn = True
