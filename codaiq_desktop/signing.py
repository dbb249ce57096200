"""Webhook signatures: HMAC-SHA256 of the raw request body, lowercase hex.

Shared by the sandbox (which signs) and the receiver (which verifies), so both
sides agree byte for byte. Verification accepts an optional ``sha256=`` prefix
and several secrets at once, so a user can rotate a secret without downtime.
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
    if not signature:
        return False
    candidate = signature.strip()
    if candidate[: len(_PREFIX)].lower() == _PREFIX:
        candidate = candidate[len(_PREFIX) :]
    candidate = candidate.lower()
    if len(candidate) != 64:
        return False
    try:
        candidate_bytes = candidate.encode("ascii")
    except UnicodeEncodeError:
        return False
    matched = False
    for secret in secrets:
        if not secret:
            continue
        expected = sign(body, secret).encode("ascii")
        matched |= hmac.compare_digest(expected, candidate_bytes)
    return matched
