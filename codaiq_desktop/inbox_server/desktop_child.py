"""The inbox server as a child process of the desktop app: File › Start a local inbox server.

So the team flow can be tried with no server anywhere, the app runs
``codaiq-desktop serve`` on SQLite in a folder of its own, with one agency and one
member made once by ``serve-admin`` (the agency's webhook secret handed over in an
environment variable, never on the command line). The child follows the sandbox's
rules: it ends with the app (``--exit-with-stdin`` and ``--parent-pid``), and it holds
its folder's lock while it runs, so a server an earlier app left behind is recognised
(:func:`stale_holder`) and stopped rather than run twice on one database.

What was made is kept in ``local-inbox.json`` in the folder (ids, email, the port last
used; never the token, which the app keeps in its key vault), so the next start reuses
the same server data. No Qt here: plain asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from codaiq_desktop.childproc import CHILD_CREATION_FLAGS, ChildNotReady, ChildServer, own_command_line
from codaiq_desktop.sandbox.data_dir_lock import LockHolder, lock_holder, pid_alive, stop_lock_holder

SERVE_LOCK_NAME = "serve.lock"
"""The lock file a ``serve --exit-with-stdin --data DIR`` child holds in ``DIR``."""
SETUP_FILE = "local-inbox.json"
FOLDER_NAME = "inbox-server"
"""The local inbox server's folder, under the app's data folder."""
AGENCY_NAME = "This computer"
SECRET_ENV = "CODAIQ_LOCAL_INBOX_WEBHOOK_SECRET"
"""How ``serve-admin add-agency`` is given the webhook secret (never on the command line)."""
START_TIMEOUT = 30.0


class LocalInboxError(RuntimeError):
    """The local inbox server could not be set up or started; ``str()`` is a sentence for the user."""


class LocalInboxFolderInUseError(LocalInboxError):
    """Something that is not a stale server of ours holds the folder (``holder`` says what)."""

    def __init__(self, holder: LockHolder) -> None:
        super().__init__(
            f"The local inbox server's folder {holder.data_dir} is in use by process {holder.pid}. "
            "Close the other Codaiq Desktop (or stop that process) and try again."
        )
        self.holder = holder


@dataclass(frozen=True)
class LocalInboxSetup:
    """What ``serve-admin`` made for this computer (no secret, no token)."""

    agency: str
    webhook_path: str
    member: str
    email: str
    port: int = 0
    """The port the server last listened on (asked for again, so the saved URL stays valid)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LocalInboxSetup:
        return cls(
            agency=str(data["agency"]),
            webhook_path=str(data["webhook_path"]),
            member=str(data["member"]),
            email=str(data["email"]),
            port=int(data.get("port") or 0),
        )


def read_setup(folder: Path) -> LocalInboxSetup | None:
    """The folder's setup, or ``None`` when there is none yet (or it is unreadable)."""
    try:
        return LocalInboxSetup.from_json(json.loads((folder / SETUP_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_setup(folder: Path, setup: LocalInboxSetup) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (SETUP_FILE + ".tmp")
    tmp.write_text(json.dumps(setup.to_json(), indent=2), encoding="utf-8")
    os.replace(tmp, folder / SETUP_FILE)


def serve_command(folder: Path, port: int = 0) -> list[str]:
    """The argv of the app's local inbox server: SQLite in ``folder``, loopback only."""
    return [
        *own_command_line(),
        "serve",
        "--data",
        str(folder),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ready-json",
        "--exit-with-stdin",
        "--parent-pid",
        str(os.getpid()),
    ]


async def run_admin(folder: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``codaiq-desktop serve-admin --data FOLDER ARGS``; its JSON, or :class:`LocalInboxError`."""
    process = await asyncio.create_subprocess_exec(
        *own_command_line(),
        "serve-admin",
        "--data",
        str(folder),
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
        creationflags=CHILD_CREATION_FLAGS,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        last = next((line for line in reversed(err.decode("utf-8", "replace").splitlines()) if line.strip()), "")
        raise LocalInboxError(f"Setting up the local inbox server failed ({args[0]}): {last or 'no output'}")
    try:
        data = json.loads(out.decode("utf-8"))
    except ValueError:
        raise LocalInboxError(f"Setting up the local inbox server failed ({args[0]}): unreadable answer.") from None
    if not isinstance(data, dict):
        raise LocalInboxError(f"Setting up the local inbox server failed ({args[0]}): unreadable answer.")
    return data


async def create_setup(folder: Path, webhook_secret: str) -> tuple[LocalInboxSetup, str]:
    """Make the agency (signing with ``webhook_secret``) and one admin member; returns the token."""
    agency = await run_admin(
        folder, "add-agency", AGENCY_NAME, "--webhook-secret-env", SECRET_ENV, env={SECRET_ENV: webhook_secret}
    )
    email = f"{_login_name()}@localhost"
    member = await run_admin(
        folder, "add-member", "--agency", str(agency["agency"]), "--email", email, "--role", "admin"
    )
    setup = LocalInboxSetup(str(agency["agency"]), str(agency["webhookPath"]), str(member["member"]), email)
    write_setup(folder, setup)
    return setup, str(member["token"])


async def replace_member_token(folder: Path, setup: LocalInboxSetup) -> tuple[LocalInboxSetup, str]:
    """A new token for this computer's member (the old one was lost): revoke it, add the member again."""
    with contextlib.suppress(LocalInboxError):
        await run_admin(folder, "revoke-member", "--agency", setup.agency, "--member", setup.member)
    member = await run_admin(folder, "add-member", "--agency", setup.agency, "--email", setup.email, "--role", "admin")
    renewed = LocalInboxSetup(setup.agency, setup.webhook_path, str(member["member"]), setup.email, setup.port)
    write_setup(folder, renewed)
    return renewed, str(member["token"])


def _login_name() -> str:
    try:
        name = getpass.getuser()
    except (OSError, KeyError):
        name = "me"
    cleaned = "".join(ch for ch in name if ch.isalnum() or ch in "._-")
    return cleaned or "me"


# --------------------------------------------------------------------------- stale servers


def is_local_server_of_ours(holder: LockHolder) -> bool:
    """The lock's holder runs ``codaiq-desktop serve --data <this folder>`` as the app starts it."""
    return holder.runs_codaiq("serve") and holder.started_by_app


def is_stale(holder: LockHolder) -> bool:
    """A local inbox server an app of ours started, whose app has gone (nobody uses it)."""
    if not is_local_server_of_ours(holder):
        return False
    app = holder.app_pid
    if app is None:
        return True
    return holder.parent_pid != app or not pid_alive(app)


def stale_holder(folder: Path) -> LockHolder | None:
    """Who holds the folder now (``None``: nobody)."""
    return lock_holder(folder, name=SERVE_LOCK_NAME)


async def free_folder(folder: Path) -> None:
    """Stop a stale local inbox server on ``folder``; raise if something else holds it."""
    holder = await asyncio.to_thread(stale_holder, folder)
    if holder is None:
        return
    if is_stale(holder) and await stop_lock_holder(holder, name=SERVE_LOCK_NAME, is_ours=is_local_server_of_ours):
        return
    raise LocalInboxFolderInUseError(holder)


# --------------------------------------------------------------------------- the child


class LocalInboxProcess(ChildServer):
    """Start, watch and stop the local inbox server child; ``on_exit(code)`` when it ends."""

    def __init__(self, folder: Path, *, on_exit: Callable[[int], object] | None = None) -> None:
        super().__init__(on_exit=on_exit, is_ready=lambda data: "url" in data, report_stop=False)
        self.folder = folder
        self.url: str | None = None
        self.pid: int | None = None

    async def start(self, port: int = 0, *, timeout: float = START_TIMEOUT) -> str:
        """Launch ``serve`` and wait until it listens; its URL, or :class:`LocalInboxError`."""
        if self.running:
            raise RuntimeError("The local inbox server is already running")
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            data = await self.launch(serve_command(self.folder, port), timeout)
        except ChildNotReady as exc:
            last = self.last_stderr_line
            if exc.timed_out:
                reason = f"it did not answer within {timeout:g} seconds"
            elif last and not last.startswith((" ", "Traceback")):
                reason = last
            else:
                reason = "it ended before it was listening; details are in the log file"
            raise LocalInboxError(f"The local inbox server did not start: {reason}") from exc
        self.url, self.pid = str(data["url"]), int(data["pid"])
        return self.url
