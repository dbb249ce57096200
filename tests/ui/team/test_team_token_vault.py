"""Where an account's leads come from is kept in the account list; its member token never is."""

from __future__ import annotations

import dataclasses
import json
import stat
from pathlib import Path

import pytest

from codaiq_desktop.accounts import (
    Account,
    AccountList,
    AccountStore,
    FileStorageNotConfirmedError,
    KeyStorage,
    KeyVault,
    LeadsFrom,
)

TOKEN = "tok_" + "a1b2c3d4" * 8


def test_the_setting_round_trips_and_an_unknown_value_means_this_computer(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    team = Account("Agency", leads_from=LeadsFrom.TEAM_SERVER, team_url="https://inbox.example.com")
    store.save(AccountList([team, Account.sandbox()], active="Agency"))
    loaded = store.load()
    assert loaded.get("Agency") == team and loaded.get("Agency").uses_team_server  # type: ignore[union-attr]
    assert not loaded.get("Local sandbox").uses_team_server  # type: ignore[union-attr]

    raw = json.loads((tmp_path / "accounts.json").read_text())
    raw["accounts"][0]["leads_from"] = "a_future_kind"
    (tmp_path / "accounts.json").write_text(json.dumps(raw))
    assert store.load().get("Agency").leads_from is LeadsFrom.THIS_COMPUTER  # type: ignore[union-attr]


def test_the_token_goes_to_the_keyring_and_nowhere_else(tmp_path: Path, memory_keyring) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    assert vault.set_team_token("Agency", TOKEN) is KeyStorage.KEYRING
    assert vault.team_token("Agency") == TOKEN
    assert TOKEN in memory_keyring.passwords.values()
    assert not (tmp_path / "keys.json").exists()
    assert TOKEN not in repr(vault)
    vault.rename_team_token("Agency", "Agency 2")
    assert vault.team_token("Agency") is None and vault.team_token("Agency 2") == TOKEN
    vault.delete_team_token("Agency 2")
    assert vault.team_token("Agency 2") is None and TOKEN not in memory_keyring.passwords.values()


def test_without_a_keyring_the_token_is_for_this_session_or_a_confirmed_0600_file(tmp_path: Path) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    assert vault.set_team_token("Agency", TOKEN) is KeyStorage.SESSION
    assert KeyVault(tmp_path / "keys.json").team_token("Agency") is None  # gone with the session
    with pytest.raises(FileStorageNotConfirmedError):
        vault.set_team_token("Agency", TOKEN, fallback=KeyStorage.FILE)
    assert vault.set_team_token("Agency", TOKEN, fallback=KeyStorage.FILE, confirmed=True) is KeyStorage.FILE
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600
    assert KeyVault(tmp_path / "keys.json").team_token("Agency") == TOKEN
    (tmp_path / "keys.json").unlink()
    assert vault.team_token("Agency") is None  # the session's copy went when the file took it: one place only
    with pytest.raises(ValueError, match="member token"):
        vault.set_team_token("Agency", "   ")


def test_an_account_holds_no_token_to_leak(tmp_path: Path) -> None:
    account = Account("Agency", leads_from=LeadsFrom.TEAM_SERVER, team_url="https://inbox.example.com")
    KeyVault(tmp_path / "keys.json").set_team_token(account.name, TOKEN)
    assert TOKEN not in repr(account) and TOKEN not in json.dumps(account.to_json())
    assert {field.name for field in dataclasses.fields(account)} >= {"leads_from", "team_url", "team_local"}
