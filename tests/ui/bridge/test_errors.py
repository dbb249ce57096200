"""The sentence a user sees for an error: actionable, never a traceback or jargon."""

from __future__ import annotations

import pytest

from codaiq_desktop.accounts import Account
from codaiq_desktop.api.errors import AuthenticationError, NetworkError
from codaiq_desktop.sandbox.process import SandboxStartError
from codaiq_desktop.ui.bridge.errors import MissingKeyError, ReceiverPortChangeError, describe_error


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (AuthenticationError("Check the API key.", 401), "Check the API key."),
        (NetworkError("The service could not be reached."), "The service could not be reached."),
        (MissingKeyError(Account(name="Acme")), "Enter the API key for \u201cAcme\u201d to connect."),
        (ReceiverPortChangeError("Port 8787 is used by another program."), "Port 8787 is used by another program."),
        (TimeoutError(), "The operation took too long and was stopped. Try again."),
        (
            PermissionError(13, "Permission denied", "/srv/out.zip"),
            "Permission denied for /srv/out.zip. Choose another folder.",
        ),
        (
            FileNotFoundError(2, "No such file or directory", "/gone"),
            "A file operation failed (/gone): No such file or directory.",
        ),
        (KeyError("x"), "Something unexpected went wrong (KeyError). Details are in the log file."),
    ],
)
def test_each_error_has_its_sentence(error: BaseException, sentence: str) -> None:
    assert describe_error(error) == sentence


def test_a_network_error_on_the_sandbox_points_at_restarting_it() -> None:
    said = describe_error(NetworkError("The service could not be reached."), sandbox=True)
    assert said.startswith("The service could not be reached.") and "restart it from the status bar" in said


def test_a_sandbox_start_error_gives_its_reason() -> None:
    error = SandboxStartError("The sandbox's data folder is in use.")
    assert describe_error(error) == error.reason
