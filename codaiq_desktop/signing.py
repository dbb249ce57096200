"""Webhook signatures: HMAC-SHA256 of the raw request body, lowercase hex.

Shared by the sandbox (which signs) and the receiver (which verifies), so both
sides agree byte for byte. Verification accepts an optional ``sha256=`` prefix
and several secrets at once, so a user can rotate a secret without downtime;
``match`` also tells which secret matched (the receiver holds one per account).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

SIGNATURE_HEADER = "X-Codaiq-Signature"
EVENT_ID_HEADER = "X-Codaiq-Event-Id"
_PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """Return the lowercase hex HMAC-SHA256 of ``body`` keyed with ``secret``."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, signature: str | None, secrets: Iterable[str]) -> bool:
    """True when ``signature`` matches ``body`` under any of ``secrets``.

    Every secret is compared in constant time, and all of them are tried even
    after a match, so timing does not reveal which secret (if any) matched.
    """
    return match(body, signature, secrets) is not None


def match(body: bytes, signature: str | None, secrets: Iterable[str]) -> int | None:
    """The index in ``secrets`` of the first secret ``signature`` matches ``body`` under, else ``None``.

    Lets a receiver holding several secrets (one per account, or old and new during a
    rotation) tell which one signed a delivery. As in ``verify``, every secret is
    compared in constant time and all are tried even after a match. An empty secret
    never matches but keeps its place in the numbering.
    """
    candidate_bytes = _candidate(signature)
    if candidate_bytes is None:
        return None
    found: int | None = None
    for index, secret in enumerate(secrets):
        if not secret:
            continue
        expected = sign(body, secret).encode("ascii")
        if hmac.compare_digest(expected, candidate_bytes) and found is None:
            found = index
    return found


def _candidate(signature: str | None) -> bytes | None:
    """The signature as 64 lowercase hex bytes (prefix and case dropped), or ``None`` if it cannot be one."""
    if not signature:
        return None
    candidate = signature.strip()
    if candidate[: len(_PREFIX)].lower() == _PREFIX:
        candidate = candidate[len(_PREFIX) :]
    candidate = candidate.lower()
    if len(candidate) != 64:
        return None
    try:
        return candidate.encode("ascii")
    except UnicodeEncodeError:
        return None
