"""Member bearer tokens and ids: random 256-bit tokens, kept only as SHA-256 hashes.

A token is 256 random bits, so a plain SHA-256 of it cannot be reversed or guessed by
brute force; no slow password hash is needed, and a lookup is one indexed equality.
The ``cqi_`` prefix lets secret scanners (and people) recognise a leaked token.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "cqi_"


def new_token() -> str:
    """A fresh bearer token (shown once to the admin who created the member)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: lowercase hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_id(prefix: str) -> str:
    """A short random public id (``agc_…``, ``mem_…``): unguessable, safe in a URL path."""
    return f"{prefix}_{secrets.token_hex(8)}"
