"""KeyVault's one rule for webhook secrets and member tokens: the keyring when it works, else
the fallback the user chose (the 0600 key file, or this session), and only ever one copy.

Real keyring backends (an in-memory one, one whose writes fail like a locked keychain, and
keyring's own "fail" backend the tests run with by default) and a real key file under tmp_path.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from codaiq_desktop.accounts import FileStorageNotConfirmedError, KeyStorage, KeyVault, keyring_available

TOKEN = "tok_" + "c0ffee42" * 8
PASTED = "whsec_pasted_from_the_service_0042"


class LockedKeyring(KeyringBackend):
    """A backend that is there but refuses every write (a locked keychain, a D-Bus error)."""

    priority = 10

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the keychain is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("the keychain is locked")


@pytest.fixture
def locked_keyring() -> Iterator[LockedKeyring]:
    previous = keyring.get_keyring()
    backend = LockedKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def _file(tmp_path: Path) -> dict[str, str]:
    return KeyVault(tmp_path / "keys.json")._read_file()


def test_with_a_keyring_a_token_lives_there_only_and_earlier_copies_go(tmp_path: Path, memory_keyring) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    assert vault.set_team_token("Agency", "tok_old_" + "1" * 20, fallback=KeyStorage.SESSION) is KeyStorage.KEYRING
    assert (
        vault.set_team_token("Agency", TOKEN, fallback=KeyStorage.FILE) is KeyStorage.KEYRING
    )  # no confirmation asked
    assert KeyVault(tmp_path / "keys.json").team_token("Agency") == TOKEN  # after a restart
    assert list(memory_keyring.passwords.values()) == [TOKEN]
    assert not (tmp_path / "keys.json").exists()


def test_a_keyring_that_refuses_writes_falls_back_to_the_users_choice(tmp_path: Path, locked_keyring) -> None:
    assert keyring_available()
    vault = KeyVault(tmp_path / "keys.json")
    assert vault.set_team_token("Session Co", TOKEN) is KeyStorage.SESSION
    assert vault.set_team_token("File Co", TOKEN, fallback=KeyStorage.FILE, confirmed=True) is KeyStorage.FILE
    assert stat.S_IMODE(os.stat(tmp_path / "keys.json").st_mode) == 0o600
    restarted = KeyVault(tmp_path / "keys.json")
    assert restarted.team_token("File Co") == TOKEN
    assert restarted.team_token("Session Co") is None  # this session's only
    secret, where = vault.set_webhook_secret(PASTED, "File Co", in_file=True)
    assert (secret, where) == (PASTED, KeyStorage.FILE)
    assert restarted.webhook_secret("File Co", in_file=True) == (PASTED, KeyStorage.FILE)


def test_the_key_file_needs_confirmation_and_nothing_is_written_without_it(tmp_path: Path) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    vault.set_team_token("Agency", TOKEN)  # this session's
    with pytest.raises(FileStorageNotConfirmedError, match="token"):
        vault.set_team_token("Agency", TOKEN + "x", fallback=KeyStorage.FILE)
    assert not (tmp_path / "keys.json").exists()
    assert vault.team_token("Agency") == TOKEN  # the earlier one is untouched


def test_moving_to_a_lasting_place_leaves_no_copy_behind(tmp_path: Path) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    session_secret, where = vault.webhook_secret("Agency")
    assert where is KeyStorage.SESSION
    # The user then chose the key file for this account: the secret the service already
    # signs with moves there, and the session copy goes.
    assert vault.webhook_secret("Agency", in_file=True) == (session_secret, KeyStorage.FILE)
    assert vault._session == {}
    assert list(_file(tmp_path).values()) == [session_secret]
    # A token first kept in the file, then for the session only: the file forgets it.
    vault.set_team_token("Agency", TOKEN, fallback=KeyStorage.FILE, confirmed=True)
    assert vault.set_team_token("Agency", TOKEN, fallback=KeyStorage.SESSION) is KeyStorage.SESSION
    assert TOKEN not in _file(tmp_path).values()


@pytest.mark.parametrize("fallback", [KeyStorage.SESSION, KeyStorage.FILE])
def test_a_renamed_accounts_token_stays_where_it_was_kept(tmp_path: Path, fallback: KeyStorage) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    vault.set_team_token("Harbour Agency", TOKEN, fallback=fallback, confirmed=True)
    vault.rename_team_token("Harbour Agency", "Harbour & Co")
    assert vault.team_token("Harbour Agency") is None
    assert vault.team_token("Harbour & Co") == TOKEN
    in_file = TOKEN in _file(tmp_path).values()
    assert in_file is (fallback is KeyStorage.FILE)


def test_a_renamed_accounts_token_in_the_keyring_stays_there(tmp_path: Path, memory_keyring) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    vault.set_team_token("Harbour Agency", TOKEN)
    vault.rename_team_token("Harbour Agency", "Harbour & Co")
    assert list(memory_keyring.passwords.values()) == [TOKEN]
    assert KeyVault(tmp_path / "keys.json").team_token("Harbour & Co") == TOKEN
    vault.delete_team_token("Harbour & Co")
    assert memory_keyring.passwords == {}
