"""Where a team inbox server is, and the one-line invite that carries it with a member token.

An admin runs ``serve-admin add-member`` and hands the new colleague one string to paste
instead of a URL and a 43-character token separately. The token is a secret: it is never
in a repr, a log line or an error message.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Final

from .errors import InviteError

__all__ = ["INVITE_PREFIX", "TeamServer", "make_invite", "parse_invite"]

INVITE_PREFIX: Final = "codaiq-invite:"
"""How an invite starts, so a pasted string is recognised at a glance."""


def _clean_url(url: str) -> str:
    text = url.strip().rstrip("/")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InviteError(
            f"{text or 'The server address'!r} is not a server address; it should look like https://inbox.example.com."
        )
    if parts.query or parts.fragment:
        raise InviteError("The server address should have no '?' or '#' part.")
    return text


@dataclass(frozen=True, slots=True)
class TeamServer:
    """A team inbox server and this member's token. ``repr`` and ``str`` hide the token."""

    url: str
    token: str = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", _clean_url(self.url))
        token = self.token.strip()
        if not token or any(ch.isspace() for ch in token) or len(token) > 200:
            raise InviteError("The member token is empty or malformed; paste it exactly as the admin gave it.")
        object.__setattr__(self, "token", token)

    def __repr__(self) -> str:
        return f"TeamServer(url={self.url!r}, token=<hidden>)"

    def __str__(self) -> str:
        return self.url


def make_invite(server: TeamServer) -> str:
    """One pasteable line holding the server's URL and the member token."""
    document = json.dumps({"v": 1, "url": server.url, "token": server.token}, separators=(",", ":"))
    return INVITE_PREFIX + base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


def parse_invite(text: str) -> TeamServer:
    """The server an invite names; ``InviteError`` with a sentence for anything else."""
    compact = "".join(str(text).split())
    if not compact.startswith(INVITE_PREFIX):
        raise InviteError(
            f"This is not a team invite: an invite starts with {INVITE_PREFIX!r}. "
            "Ask your admin for one, or enter the server address and token instead."
        )
    body = compact[len(INVITE_PREFIX) :]
    try:
        document = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InviteError("This invite is damaged (part of it is missing or changed); copy it again whole.") from None
    if not isinstance(document, dict) or document.get("v") != 1:
        raise InviteError("This invite is from a newer version of Codaiq Desktop; update the app to use it.")
    url, token = document.get("url"), document.get("token")
    if not isinstance(url, str) or not isinstance(token, str):
        raise InviteError("This invite is damaged (its server or token is missing); copy it again whole.")
    return TeamServer(url, token)
