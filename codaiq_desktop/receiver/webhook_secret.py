"""The secrets a receiver checks signatures against, each labelled with its account.

The app gives every account its own webhook secret and the receiver holds all of them
at once, so a delivery for an account that is not the active one is still verified and
stored (never lost), filed under the account whose secret signed it. During a rotation
one account has two secrets with the same label. A plain ``str`` is a secret with no
account (``account=None``), which is all the ``listen`` command and older callers use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class WebhookSecret:
    """One webhook secret and the account its deliveries belong to (``None``: no account).

    ``repr()`` never shows the secret.
    """

    secret: str = field(repr=False)
    account: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.secret, str):
            raise TypeError("webhook secrets must be strings")
        if self.account is not None and not isinstance(self.account, str):
            raise TypeError("a webhook secret's account must be a string or None")


SecretLike: TypeAlias = str | WebhookSecret | tuple[str, str | None]
"""What ``WebhookReceiver``/``create_app`` accept per secret: ``"s"``, ``WebhookSecret("s", "acct")``
or ``("s", "acct")``."""


def as_webhook_secret(value: SecretLike) -> WebhookSecret:
    """``value`` as a ``WebhookSecret``; ``TypeError`` for anything else."""
    if isinstance(value, WebhookSecret):
        return value
    if isinstance(value, str):
        return WebhookSecret(value)
    if isinstance(value, tuple) and len(value) == 2:
        return WebhookSecret(value[0], value[1])
    raise TypeError("a webhook secret is a string, a (secret, account) pair or a WebhookSecret")


def normalise_secrets(secrets: Iterable[SecretLike]) -> tuple[WebhookSecret, ...]:
    """Stripped, blank ones dropped, each secret once (its first label wins), order kept.

    Order matters: when one secret is listed twice, the delivery goes to the first
    account given for it, as ``signing.match`` picks the first secret that matches.
    """
    if isinstance(secrets, (str, bytes)):
        raise TypeError("pass a list of webhook secrets, not a single string")
    cleaned: list[WebhookSecret] = []
    seen: set[str] = set()
    for value in secrets:
        entry = as_webhook_secret(value)
        secret = entry.secret.strip()
        if secret and secret not in seen:
            seen.add(secret)
            cleaned.append(WebhookSecret(secret, entry.account))
    return tuple(cleaned)
