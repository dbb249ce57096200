"""The errors the services raise, and the one sentence a user sees for any error."""

from __future__ import annotations

import logging

from codaiq_desktop.accounts import Account, FileStorageNotConfirmedError, KeyringUnavailableError

log = logging.getLogger(__name__)


class ReceiverPortChangeError(Exception):
    """The receiver could not move to the chosen port; it still listens where it was."""


class MissingKeyError(Exception):
    """The account's key is not available now (a session-only key after a restart)."""

    def __init__(self, account: Account) -> None:
        super().__init__(f"Enter the API key for \u201c{account.name}\u201d to connect.")
        self.account = account


def describe_error(exc: BaseException, *, sandbox: bool = False) -> str:
    """One sentence a user can act on; the full details go to the log, never to them.

    ``sandbox``: the active account is the local sandbox (a network error then most
    likely means the sandbox stopped).
    """
    from codaiq_desktop.api import errors
    from codaiq_desktop.sandbox.process import SandboxStartError

    if isinstance(exc, errors.CodaiqError):
        if isinstance(exc, errors.NetworkError) and sandbox:
            return f"{exc} The local sandbox may have stopped; restart it from the status bar."
        return str(exc)
    if isinstance(
        exc, (KeyringUnavailableError, FileStorageNotConfirmedError, MissingKeyError, ReceiverPortChangeError)
    ):
        return str(exc)
    if isinstance(exc, SandboxStartError):
        return exc.reason
    from codaiq_desktop.inbox_server.desktop_child import LocalInboxError
    from codaiq_desktop.team import TeamError

    if isinstance(exc, (LocalInboxError, TeamError)):
        return str(exc)  # sentences already, with no token in them
    if isinstance(exc, TimeoutError):  # asyncio's too (the same class since 3.11)
        return "The operation took too long and was stopped. Try again."
    if isinstance(exc, PermissionError):
        return f"Permission denied for {exc.filename or 'a file'}. Choose another folder."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"A file operation failed{where}: {exc.strerror or exc}."
    log.error("Unexpected error shown to the user", exc_info=exc)
    return f"Something unexpected went wrong ({type(exc).__name__}). Details are in the log file."
