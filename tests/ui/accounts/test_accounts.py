"""Profiles and key storage (``codaiq_desktop.accounts``, Qt-free) and switching accounts in the UI."""

from __future__ import annotations

import os
import stat

import pytest

from codaiq_desktop.accounts import (
    Account,
    AccountError,
    AccountList,
    AccountStore,
    FileStorageNotConfirmedError,
    KeyringUnavailableError,
    KeyStorage,
    KeyVault,
    keyring_available,
    mask_key,
    normalize_base_url,
)

KEY = "cdq_live_0123456789abcdefSECRET"


def test_profiles_round_trip_without_secrets(tmp_path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    assert not store.exists()
    accounts = AccountList()
    accounts.upsert(Account.sandbox())
    accounts.upsert(Account("Agency", "https://codaiq.com/api", "Agency"))
    accounts.active = "Agency"
    store.save(accounts)
    loaded = store.load()
    assert [a.name for a in loaded.accounts] == ["Local sandbox", "Agency"]
    assert loaded.active_account == Account("Agency", "https://codaiq.com/api", "Agency")
    assert loaded.get("Local sandbox").is_sandbox
    with pytest.raises(AccountError):
        loaded.upsert(Account("Agency"), previous_name="Local sandbox")
    loaded.upsert(Account("Agency 2", "https://codaiq.com/api"), previous_name="Agency")
    assert loaded.active == "Agency 2"
    loaded.remove("Agency 2")
    assert loaded.active == "Local sandbox"


def test_unreadable_account_file_starts_empty(tmp_path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text("{not json")
    assert AccountStore(path).load().accounts == []


def test_no_keyring_means_a_choice_not_a_silent_fallback(tmp_path) -> None:
    assert not keyring_available()  # the tests' default backend is keyring's "fail" one
    vault = KeyVault(tmp_path / "keys.json")
    with pytest.raises(KeyringUnavailableError) as raised:
        vault.set_key(Account("A"), KEY)
    assert KEY not in str(raised.value)
    assert "session" in str(raised.value)

    session = Account("A", key_storage=KeyStorage.SESSION)
    vault.set_key(session, KEY)
    assert vault.get_key(session) == KEY
    assert not vault.key_file.exists()
    assert KeyVault(tmp_path / "keys.json").get_key(session) is None  # gone after a restart
    assert KEY not in repr(vault)


def test_key_file_needs_confirmation_is_0600_and_refused_when_readable_by_others(tmp_path) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    account = Account("A", key_storage=KeyStorage.FILE)
    with pytest.raises(FileStorageNotConfirmedError):
        vault.set_key(account, KEY)
    vault.set_key(account, KEY, confirmed=True)
    assert stat.S_IMODE(vault.key_file.stat().st_mode) == 0o600
    assert vault.get_key(account) == KEY
    os.chmod(vault.key_file, 0o644)
    assert vault.get_key(account) is None  # a file others can read is not used
    vault.delete_key(account)


def test_webhook_secret_without_keyring_is_per_session(tmp_path) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    secret, where = vault.webhook_secret()
    assert where is KeyStorage.SESSION and len(secret) == 64
    assert vault.webhook_secret()[0] == secret


def test_a_new_webhook_secret_goes_to_the_keyring_and_never_to_the_key_file(tmp_path, memory_keyring) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    old, where = vault.webhook_secret()
    assert where is KeyStorage.KEYRING
    new, where = vault.set_webhook_secret()
    assert where is KeyStorage.KEYRING and new != old and len(new) == 64
    assert KeyVault(tmp_path / "keys.json").webhook_secret() == (new, KeyStorage.KEYRING)  # survives a restart
    chosen, _ = vault.set_webhook_secret("  a-secret-of-my-own-choosing  ")
    assert chosen == "a-secret-of-my-own-choosing" == vault.webhook_secret()[0]
    assert not (tmp_path / "keys.json").exists()
    with pytest.raises(ValueError, match="at least 16 characters"):
        vault.set_webhook_secret("short")
    assert vault.webhook_secret()[0] == chosen


def test_a_new_webhook_secret_without_keyring_is_for_this_session(tmp_path) -> None:
    vault = KeyVault(tmp_path / "keys.json")
    old, _ = vault.webhook_secret()
    new, where = vault.set_webhook_secret()
    assert where is KeyStorage.SESSION and new != old
    assert vault.webhook_secret() == (new, KeyStorage.SESSION)
    assert not (tmp_path / "keys.json").exists()


def test_each_account_has_its_own_webhook_secret_in_the_keyring(tmp_path, memory_keyring) -> None:
    import keyring

    from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME
    from codaiq_desktop.cli.listen_command import KEYRING_WEBHOOK_SECRET

    vault = KeyVault(tmp_path / "keys.json")
    sandbox_secret, _ = vault.webhook_secret(SANDBOX_ACCOUNT_NAME)
    assert vault.webhook_secret() == vault.webhook_secret(SANDBOX_ACCOUNT_NAME)
    # The sandbox's stays where `codaiq-desktop listen --secret-from-keyring` reads it.
    assert keyring.get_password(vault.service, KEYRING_WEBHOOK_SECRET) == sandbox_secret
    agency, where = vault.webhook_secret("Harbour Agency")
    assert where is KeyStorage.KEYRING and agency != sandbox_secret
    assert KeyVault(tmp_path / "keys.json").webhook_secret("Harbour Agency")[0] == agency  # after a restart

    vault.rename_webhook_secret("Harbour Agency", "Harbour & Co")
    assert vault.webhook_secret("Harbour & Co")[0] == agency
    assert vault.webhook_secret("Harbour Agency")[0] != agency  # the old name has none left: a new one
    vault.delete_webhook_secret("Harbour & Co")
    assert vault.webhook_secret("Harbour & Co")[0] != agency
    vault.delete_webhook_secret(SANDBOX_ACCOUNT_NAME)  # the sandbox's is never deleted
    assert vault.webhook_secret()[0] == sandbox_secret
    assert not (tmp_path / "keys.json").exists()


def test_without_keyring_an_account_with_a_key_file_keeps_its_webhook_secret_there(tmp_path) -> None:
    """No keyring: a secret pasted from the service survives a restart when the user chose the file."""
    import os
    import stat

    vault = KeyVault(tmp_path / "keys.json")
    pasted = "whsec_from_the_service_settings_0042"
    secret, where = vault.set_webhook_secret(pasted, "Harbour Agency", in_file=True)
    assert (secret, where) == (pasted, KeyStorage.FILE)
    assert stat.S_IMODE(os.stat(tmp_path / "keys.json").st_mode) == 0o600
    restarted = KeyVault(tmp_path / "keys.json")
    assert restarted.webhook_secret("Harbour Agency", in_file=True) == (pasted, KeyStorage.FILE)
    # An account that did not choose the file still gets a session-only secret.
    assert restarted.webhook_secret("Other", in_file=False)[1] is KeyStorage.SESSION
    restarted.rename_webhook_secret("Harbour Agency", "Harbour & Co", in_file=True)
    assert KeyVault(tmp_path / "keys.json").webhook_secret("Harbour & Co", in_file=True)[0] == pasted
    restarted.delete_webhook_secret("Harbour & Co")
    assert "Harbour" not in (tmp_path / "keys.json").read_text()


def test_masking_and_base_urls() -> None:
    assert mask_key(KEY) == "\u2022" * 8 + "CRET"
    assert KEY[:-4] not in mask_key(KEY)
    assert mask_key("") == ""
    assert normalize_base_url("https://codaiq.com") == "https://codaiq.com/api"
    assert normalize_base_url("https://codaiq.com/api/") == "https://codaiq.com/api"


def test_switching_accounts_reloads_the_tabs(qtbot, services, sandbox, services_key, until) -> None:
    from codaiq_desktop.ui.generate.generate_tab import GenerateTab
    from codaiq_desktop.ui.projects.projects_tab import ProjectsTab

    sandbox.generate("A bakery", name="Crumb", key=services_key)
    projects = ProjectsTab(services)
    generate = GenerateTab(services)
    qtbot.addWidget(projects)
    qtbot.addWidget(generate)
    until(lambda: projects.model.rowCount() == 1)
    seen: list[object] = []
    services.sig_account_changed.connect(seen.append)

    other_key = sandbox.new_key("pro")  # another sandbox account: no projects
    other = Account("Second agency", sandbox.base_url, "Pro")
    services.accounts.upsert(other)
    services.run(services.use_account(other, other_key))
    until(lambda: seen and services.account == other)
    until(lambda: projects.summary_label.text().startswith("No projects"))
    assert projects.model.rowCount() == 0
    assert generate.history_model.rowCount() == 0
    assert services.client is not None and not services.is_sandbox
    assert KEY not in repr(services.client)
