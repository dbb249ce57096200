"""Every account's signing secret, and a rotation's grace period, on a real key vault."""

from __future__ import annotations

from pathlib import Path

import pytest

from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME, Account, AccountList, KeyStorage, KeyVault
from codaiq_desktop.ui.bridge.webhook_secrets import WebhookSecrets

ACME = Account(name="Acme", base_url="https://codaiq.example/api", key_storage=KeyStorage.FILE)


@pytest.fixture
def vault(tmp_path: Path) -> KeyVault:
    return KeyVault(tmp_path / "keys.json")


@pytest.fixture
def accounts() -> AccountList:
    return AccountList(accounts=[Account.sandbox(), ACME], active="Acme")


@pytest.fixture
def secrets(qtbot, vault: KeyVault, accounts: AccountList):
    keeper = WebhookSecrets(vault, accounts, lambda: accounts.active_account)
    yield keeper
    keeper.close()
    keeper.deleteLater()


def _by_account(keeper: WebhookSecrets) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for entry in keeper.accepted():
        found.setdefault(entry.account, []).append(entry.secret)
    return found


def test_every_account_has_its_own_secret(secrets: WebhookSecrets) -> None:
    accepted = _by_account(secrets)
    assert set(accepted) == {SANDBOX_ACCOUNT_NAME, "Acme"}
    assert accepted[SANDBOX_ACCOUNT_NAME] != accepted["Acme"]
    assert accepted["Acme"] == [secrets.secret("Acme")[0]]


def test_a_file_key_account_keeps_its_secret_in_the_file(secrets: WebhookSecrets) -> None:
    # No keyring in tests: the account whose key is in the key file keeps its secret there too.
    assert secrets.in_file("Acme")
    assert not secrets.in_file(SANDBOX_ACCOUNT_NAME)
    assert secrets.secret("Acme")[1] is KeyStorage.FILE


def test_an_unsaved_active_account_is_accepted_too(vault: KeyVault) -> None:
    listed = AccountList(accounts=[Account.sandbox()])
    pending = Account(name="New client", key_storage=KeyStorage.FILE)
    keeper = WebhookSecrets(vault, listed, lambda: pending)
    try:
        assert "New client" in _by_account(keeper)
        assert keeper.in_file("New client")
    finally:
        keeper.close()
        keeper.deleteLater()


def test_rotation_keeps_the_old_secret_until_the_grace_period_ends(qloop, until, secrets: WebhookSecrets) -> None:
    old = secrets.secret("Acme")[0]
    ended: list[bool] = []
    secrets.sig_accepted_changed.connect(lambda: ended.append(True))

    async def rotate() -> tuple[str, KeyStorage]:
        return secrets.rotate("Acme", "whsec_rotated_0123456789abcdef", grace_seconds=0.2)

    new, storage = qloop.run(rotate())
    assert new == "whsec_rotated_0123456789abcdef" and storage is KeyStorage.FILE
    assert secrets.secret("Acme")[0] == new
    assert sorted(_by_account(secrets)["Acme"]) == sorted([new, old])
    until(lambda: ended == [True])
    assert _by_account(secrets)["Acme"] == [new]


def test_a_too_short_secret_is_refused_and_nothing_changes(qloop, secrets: WebhookSecrets) -> None:
    before = secrets.secret("Acme")[0]

    async def rotate() -> object:
        return secrets.rotate("Acme", "short", grace_seconds=60)

    with pytest.raises(ValueError, match=r"\w"):
        qloop.run(rotate())
    assert secrets.secret("Acme")[0] == before
    assert _by_account(secrets)["Acme"] == [before]


def test_a_renamed_account_keeps_its_secret_and_its_grace(qloop, secrets: WebhookSecrets, accounts) -> None:
    old = secrets.secret("Acme")[0]

    async def rotate() -> tuple[str, KeyStorage]:
        return secrets.rotate("Acme", None, grace_seconds=60)

    new, _ = qloop.run(rotate())
    secrets.rename("Acme", "Acme Ltd")
    accounts.accounts = [Account.sandbox(), Account(name="Acme Ltd", key_storage=KeyStorage.FILE)]
    accounts.active = "Acme Ltd"
    assert secrets.secret("Acme Ltd")[0] == new
    assert sorted(_by_account(secrets)["Acme Ltd"]) == sorted([new, old])
    assert "Acme" not in _by_account(secrets)
