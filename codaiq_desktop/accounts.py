"""Accounts (profiles) and where their API keys are kept.

An account is a name, a base URL and a plan label; its key never lives in the
profile file. Keys go to the OS keyring through :mod:`keyring`. Where no keyring
backend exists (a headless Linux machine has none), nothing is stored silently:
the caller has to pick a fallback the user chose -- keep the key for this
session only, or write it to a file only the user can read (0600), which needs
an explicit ``confirmed=True``.

This module imports no Qt: the command line and tests use it as it is.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import stat
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any, overload

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "codaiq-desktop"
KEYRING_SERVICE = "codaiq-desktop"
DEFAULT_BASE_URL = "https://codaiq.com/api"
SANDBOX_ACCOUNT_NAME = "Local sandbox"
#: Shortest webhook signing secret taken: a weak one would let anyone who reaches the
#: receiver forge events.
MIN_WEBHOOK_SECRET_CHARS = 16
_WEBHOOK_SECRET_USER = "__webhook-secret__"
_TEAM_TOKEN_USER = "__team-token__"


def config_dir() -> Path:
    """Where settings and the account list live (XDG config on Linux, OS-proper elsewhere)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Where the store, the sandbox data and the generation history live."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


class KeyStorage(str, Enum):
    """Where an account's API key is kept."""

    KEYRING = "keyring"
    """The OS keyring (Secret Service, macOS Keychain, Windows Credential Locker)."""
    SESSION = "session"
    """Memory only: gone when the app quits; the user is asked again next time."""
    FILE = "file"
    """A JSON file readable only by the user (0600), chosen explicitly."""
    NONE = "none"
    """No key to keep: the local sandbox hands out its own."""


class AccountKind(str, Enum):
    SANDBOX = "sandbox"
    REMOTE = "remote"


class LeadsFrom(str, Enum):
    """Where an account's leads come from."""

    THIS_COMPUTER = "this_computer"
    """The local webhook receiver and store (the default)."""
    TEAM_SERVER = "team_server"
    """An agency's inbox server (``codaiq-desktop serve``), shared with colleagues."""


@dataclass(frozen=True)
class Account:
    """A profile. Holds no secret, so it is safe to log, show and persist."""

    name: str
    base_url: str = DEFAULT_BASE_URL
    plan: str = ""
    kind: AccountKind = AccountKind.REMOTE
    key_storage: KeyStorage = KeyStorage.KEYRING
    documented_only: bool = False
    """The local sandbox only: answer with just the fields the public API docs name, to try
    the app as against a service that promises no more (``sandbox --documented-only``)."""
    leads_from: LeadsFrom = LeadsFrom.THIS_COMPUTER
    team_url: str = ""
    """The team inbox server's address (its member token is in the key vault, never here)."""
    team_local: bool = False
    """The team inbox server is the one File › Start a local inbox server runs on this
    computer, so the app starts it with itself."""

    @property
    def is_sandbox(self) -> bool:
        return self.kind is AccountKind.SANDBOX

    @property
    def uses_team_server(self) -> bool:
        """Its leads come from a team inbox server (the local receiver is off for it)."""
        return self.leads_from is LeadsFrom.TEAM_SERVER and bool(self.team_url)

    @property
    def slug(self) -> str:
        """A file-name-safe id, stable for a given name (history files use it)."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
        return slug or "account"

    @classmethod
    def sandbox(cls, *, documented_only: bool = False) -> Account:
        return cls(
            name=SANDBOX_ACCOUNT_NAME,
            base_url="",
            plan="agency (sandbox)",
            kind=AccountKind.SANDBOX,
            key_storage=KeyStorage.NONE,
            documented_only=documented_only,
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["key_storage"] = self.key_storage.value
        data["leads_from"] = self.leads_from.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        return cls(
            name=str(data["name"]),
            base_url=str(data.get("base_url") or ""),
            plan=str(data.get("plan") or ""),
            kind=AccountKind(data.get("kind", AccountKind.REMOTE.value)),
            key_storage=KeyStorage(data.get("key_storage", KeyStorage.KEYRING.value)),
            documented_only=data.get("documented_only") is True,
            leads_from=_leads_from(data.get("leads_from")),
            team_url=str(data.get("team_url") or ""),
            team_local=data.get("team_local") is True,
        )


def _leads_from(value: object) -> LeadsFrom:
    """A saved value, or "this computer" for a missing or unknown one (a newer version's)."""
    try:
        return LeadsFrom(str(value))
    except ValueError:
        return LeadsFrom.THIS_COMPUTER


def mask_key(key: str | None) -> str:
    """Show enough of a key to tell two apart, never enough to use it."""
    if not key:
        return ""
    tail = key[-4:] if len(key) > 8 else ""
    return "\u2022" * 8 + tail


def normalize_base_url(url: str) -> str:
    """``https://codaiq.com`` and ``https://codaiq.com/api/`` both mean ``https://codaiq.com/api``."""
    url = url.strip().rstrip("/")
    if url and not url.endswith("/api"):
        url += "/api"
    return url


class AccountError(Exception):
    """A problem with the account list the user can fix (message is for them)."""


@dataclass
class AccountList:
    """The persisted profiles and which one is active. Plain data."""

    accounts: list[Account] = field(default_factory=list)
    active: str | None = None

    def get(self, name: str) -> Account | None:
        return next((a for a in self.accounts if a.name == name), None)

    @property
    def active_account(self) -> Account | None:
        return self.get(self.active) if self.active else None

    def upsert(self, account: Account, *, previous_name: str | None = None) -> None:
        """Add ``account``, or replace the one called ``previous_name`` (a rename) or its own name."""
        old = previous_name or account.name
        if account.name != old and self.get(account.name) is not None:
            raise AccountError(f"An account called \u201c{account.name}\u201d already exists.")
        for i, existing in enumerate(self.accounts):
            if existing.name == old:
                self.accounts[i] = account
                if self.active == old:
                    self.active = account.name
                return
        self.accounts.append(account)

    def remove(self, name: str) -> None:
        self.accounts = [a for a in self.accounts if a.name != name]
        if self.active == name:
            self.active = self.accounts[0].name if self.accounts else None


class AccountStore:
    """Reads and writes the account list as JSON (no secrets in it)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (config_dir() / "accounts.json")

    def exists(self) -> bool:
        """False on first run: the app then asks sandbox-or-account."""
        return self.path.exists()

    def load(self) -> AccountList:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return AccountList()
        except (OSError, ValueError) as exc:
            log.warning("Account list %s unreadable (%s); starting empty", self.path, exc)
            return AccountList()
        accounts = []
        for item in data.get("accounts", []):
            try:
                accounts.append(Account.from_json(item))
            except (KeyError, ValueError) as exc:
                log.warning("Skipping an unreadable account entry: %s", exc)
        active = data.get("active")
        if active is not None and not any(a.name == active for a in accounts):
            active = accounts[0].name if accounts else None
        return AccountList(accounts, active)

    def save(self, accounts: AccountList) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"accounts": [a.to_json() for a in accounts.accounts], "active": accounts.active}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)


class KeyringUnavailableError(Exception):
    """No OS keyring backend: the user must choose a fallback (session or file)."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "No system keyring is available on this computer, so the key cannot be stored "
            "securely. Keep it for this session only, or store it in a file only you can read."
        )
        super().__init__(message)
        self.detail = detail


class FileStorageNotConfirmedError(Exception):
    """Writing a key to a file needs the user's explicit confirmation."""


def keyring_available() -> bool:
    """True when :mod:`keyring` has a real backend (not the ``fail``/``null`` ones)."""
    import keyring
    from keyring.backends import fail, null

    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - any backend start-up failure means "none"
        return False
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    # A chainer with nothing in it is a fail keyring in disguise.
    backends = getattr(backend, "backends", None)
    return not (backends is not None and len(backends) == 0)


@overload
def _never_logged(value: str) -> str: ...
@overload
def _never_logged(value: None) -> None: ...
def _never_logged(value: str | None) -> str | None:
    """Register ``value`` with the log redactor as soon as it is read or set, then return it.

    Generic patterns catch key-shaped tokens, but a webhook secret is plain hex;
    only a registered value is certain to be redacted wherever it turns up.
    """
    from codaiq_desktop.logging_setup import register_secret

    register_secret(value)
    return value


class KeyVault:
    """API keys and the webhook secret, in the keyring or the fallback the user chose.

    Session keys live only in this object. The key file is created 0600 and its mode
    is checked on every read: a file others can read is refused, not used.
    """

    def __init__(self, key_file: Path | None = None, service: str = KEYRING_SERVICE) -> None:
        self.key_file = key_file or (data_dir() / "keys.json")
        self.service = service
        self._session: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<KeyVault service={self.service!r} session_keys={len(self._session)}>"

    # -- API keys -------------------------------------------------------------------
    def get_key(self, account: Account) -> str | None:
        return _never_logged(self._lookup_key(account))

    def _lookup_key(self, account: Account) -> str | None:
        storage = account.key_storage
        if storage is KeyStorage.NONE:
            return None
        if storage is KeyStorage.SESSION:
            return self._session.get(account.name)
        if storage is KeyStorage.FILE:
            return self._read_file().get(account.name)
        return self._keyring_get(account.name)

    def set_key(self, account: Account, key: str, *, confirmed: bool = False) -> None:
        """Keep ``key`` where ``account.key_storage`` says.

        Raises :class:`KeyringUnavailableError` for keyring storage without a backend and
        :class:`FileStorageNotConfirmedError` for file storage without ``confirmed``.
        """
        _never_logged(key)
        storage = account.key_storage
        if storage is KeyStorage.NONE:
            return
        if storage is KeyStorage.SESSION:
            self._session[account.name] = key
            return
        if storage is KeyStorage.FILE:
            if not confirmed:
                raise FileStorageNotConfirmedError("Storing the key in a file needs your confirmation.")
            data = self._read_file()
            data[account.name] = key
            self._write_file(data)
            return
        self._keyring_set(account.name, key)

    def delete_key(self, account: Account) -> None:
        self._forget(account.name, keep=None)

    # -- webhook secrets --------------------------------------------------------------
    # Each account has its own signing secret, so the receiver knows from the signature
    # alone whose event it got (and files it under that account). The local sandbox's
    # entry is the one the app always had (``codaiq-desktop listen`` reads it too).
    def webhook_secret(self, account_name: str | None = None, *, in_file: bool = False) -> tuple[str, KeyStorage]:
        """An account's webhook signing secret: from the keyring (made once), else this session's.

        ``account_name=None`` is the local sandbox's. Without a keyring, ``in_file=True``
        (the user chose the 0600 key file for this account's API key) keeps the secret in
        that file too, so a secret entered in the service's settings survives a restart.
        Returns the secret and where it is kept, so the UI can say "session only".
        """
        user = _webhook_user(account_name)
        found = self._fetch(user, in_file=in_file)
        if found is not None and (found[1] is not KeyStorage.SESSION or not (in_file or keyring_available())):
            return found
        # New, or kept for this session only while a lasting place is there now: it moves
        # (a secret already entered in the service's settings must survive the switch).
        secret = found[0] if found is not None else _never_logged(_new_webhook_secret())
        return secret, self._keep(user, secret, fallback=KeyStorage.FILE if in_file else KeyStorage.SESSION)

    def set_webhook_secret(
        self, secret: str | None = None, account_name: str | None = None, *, in_file: bool = False
    ) -> tuple[str, KeyStorage]:
        """Replace an account's signing secret (a rotation); returns it and where it is kept.

        ``secret=None`` makes a new random one. It goes where :meth:`webhook_secret` looks:
        the keyring when there is one, else the key file (``in_file``) or this session only
        (the same fallback as at start-up, so the next :meth:`webhook_secret` returns the
        new secret either way). A secret shorter than ``MIN_WEBHOOK_SECRET_CHARS`` is refused with
        ``ValueError``: a weak secret would let anyone who can reach the receiver forge events.
        """
        new = _new_webhook_secret() if secret is None else secret.strip()
        if len(new) < MIN_WEBHOOK_SECRET_CHARS:
            raise ValueError(f"A webhook secret needs at least {MIN_WEBHOOK_SECRET_CHARS} characters.")
        _never_logged(new)
        where = self._keep(
            _webhook_user(account_name), new, fallback=KeyStorage.FILE if in_file else KeyStorage.SESSION
        )
        return new, where

    def rename_webhook_secret(self, old_name: str, new_name: str, *, in_file: bool = False) -> None:
        """An account was renamed: its secret moves with it (the service keeps signing with it)."""
        if _webhook_user(old_name) == _webhook_user(new_name):
            return
        secret, _ = self.webhook_secret(old_name, in_file=in_file)
        self.set_webhook_secret(secret, new_name, in_file=in_file)
        self.delete_webhook_secret(old_name)

    def delete_webhook_secret(self, account_name: str) -> None:
        """Forget a removed account's secret: its deliveries are refused from now on."""
        user = _webhook_user(account_name)
        if user == _WEBHOOK_SECRET_USER:
            return  # the sandbox's stays
        self._forget(user, keep=None)

    # -- team inbox server member tokens ------------------------------------------------
    # A member token opens the agency's whole inbox: kept like an API key, looked up
    # wherever it may be (keyring, the 0600 key file, this session), never in accounts.json.
    def team_token(self, account_name: str) -> str | None:
        """The member token of an account's team inbox server, wherever it is kept."""
        found = self._fetch(_team_token_user(account_name))
        return _never_logged(found[0]) if found is not None else None

    def set_team_token(
        self, account_name: str, token: str, *, fallback: KeyStorage = KeyStorage.SESSION, confirmed: bool = False
    ) -> KeyStorage:
        """Keep an account's member token: in the keyring when there is one, else in ``fallback``.

        ``fallback`` is ``SESSION`` (gone when the app quits) or ``FILE`` (the 0600 key file,
        which needs ``confirmed``, as for API keys). Returns where it went. Any copy kept
        elsewhere before is removed, so exactly one place holds it.
        """
        token = token.strip()
        if not token:
            raise ValueError("Paste the member token the inbox server's admin gave you.")
        _never_logged(token)
        return self._keep(_team_token_user(account_name), token, fallback=fallback, confirmed=confirmed, what="token")

    def delete_team_token(self, account_name: str) -> None:
        """Forget an account's member token everywhere (the account left its team server)."""
        self._forget(_team_token_user(account_name), keep=None)

    def rename_team_token(self, old_name: str, new_name: str) -> None:
        """An account was renamed: its member token moves with it, to where it was kept."""
        old_user, new_user = _team_token_user(old_name), _team_token_user(new_name)
        if old_user == new_user:
            return
        found = self._fetch(old_user)
        if found is None:
            return
        token, where = found
        self._forget(old_user, keep=None)
        self._keep(new_user, token, fallback=KeyStorage.SESSION if where is KeyStorage.KEYRING else where)

    # -- where a secret is kept: the keyring, else the key file or this session -----------
    # Webhook secrets and member tokens follow one rule (API keys go where their account says).
    def _fetch(self, user: str, *, in_file: bool = True) -> tuple[str, KeyStorage] | None:
        """``user``'s entry and where it is: the keyring first, then the key file (``in_file``), then this session."""
        value = self._keyring_get(user)
        if value:
            return _never_logged(value), KeyStorage.KEYRING
        value = self._read_file().get(user) if in_file else None
        if value:
            return _never_logged(value), KeyStorage.FILE
        value = self._session.get(user)
        if value:
            return _never_logged(value), KeyStorage.SESSION
        return None

    def _keep(
        self, user: str, value: str, *, fallback: KeyStorage, confirmed: bool = True, what: str = "secret"
    ) -> KeyStorage:
        """Keep ``value`` in the keyring when there is one, else in ``fallback`` (``FILE`` or ``SESSION``).

        The file needs ``confirmed`` (else :class:`FileStorageNotConfirmedError`, nothing
        written). Any copy kept elsewhere before is removed, so exactly one place holds it.
        Returns where it went.
        """
        where = KeyStorage.FILE if fallback is KeyStorage.FILE else KeyStorage.SESSION
        if keyring_available():
            try:
                self._keyring_set(user, value)
                where = KeyStorage.KEYRING
            except KeyringUnavailableError:
                pass
        if where is KeyStorage.FILE and not confirmed:
            raise FileStorageNotConfirmedError(f"Storing the {what} in a file needs your confirmation.")
        self._forget(user, keep=where)
        if where is KeyStorage.FILE:
            data = self._read_file()
            data[user] = value
            self._write_file(data)
        elif where is KeyStorage.SESSION:
            self._session[user] = value
        return where

    def _forget(self, user: str, *, keep: KeyStorage | None) -> None:
        """Remove ``user``'s entry from every place but ``keep``."""
        if keep is not KeyStorage.SESSION:
            self._session.pop(user, None)
        if keep is not KeyStorage.FILE:
            data = self._read_file()
            if user in data:
                del data[user]
                self._write_file(data)
        if keep is not KeyStorage.KEYRING and keyring_available():
            import keyring
            import keyring.errors

            with contextlib.suppress(keyring.errors.KeyringError):
                keyring.delete_password(self.service, user)

    # -- internals --------------------------------------------------------------------
    def _keyring_get(self, user: str) -> str | None:
        import keyring
        import keyring.errors

        if not keyring_available():
            return None
        try:
            return keyring.get_password(self.service, user)
        except keyring.errors.KeyringError as exc:
            log.warning("Keyring read failed: %s", type(exc).__name__)
            return None

    def _keyring_set(self, user: str, secret: str) -> None:
        import keyring
        import keyring.errors

        if not keyring_available():
            raise KeyringUnavailableError()
        try:
            keyring.set_password(self.service, user, secret)
        except keyring.errors.KeyringError as exc:
            # The exception text is the backend's, never the secret.
            raise KeyringUnavailableError(type(exc).__name__) from None

    def _read_file(self) -> dict[str, str]:
        try:
            st = self.key_file.stat()
        except FileNotFoundError:
            return {}
        if stat.S_IMODE(st.st_mode) & 0o077:
            log.warning("Ignoring %s: readable by others (mode %o)", self.key_file, stat.S_IMODE(st.st_mode))
            return {}
        try:
            data = json.loads(self.key_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write_file(self, data: dict[str, str]) -> None:
        self.key_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.key_file.with_suffix(".tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.chmod(tmp, 0o600)  # umask cannot widen it, but be explicit on odd platforms
        os.replace(tmp, self.key_file)


def _webhook_user(account_name: str | None) -> str:
    """The keyring entry of an account's webhook secret (the sandbox's is the original one)."""
    if account_name is None or account_name == SANDBOX_ACCOUNT_NAME:
        return _WEBHOOK_SECRET_USER
    return f"{_WEBHOOK_SECRET_USER}:{account_name}"


def _team_token_user(account_name: str) -> str:
    """The keyring entry of an account's team inbox server token."""
    return f"{_TEAM_TOKEN_USER}:{account_name}"


def with_storage(account: Account, storage: KeyStorage) -> Account:
    return replace(account, key_storage=storage)


def _new_webhook_secret() -> str:
    """64 random hex characters. ``secrets`` (and hashlib with it) loads here, not at start-up."""
    import secrets

    return secrets.token_hex(32)
