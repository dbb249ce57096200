"""Property tests of the webhook signature check (``codaiq_desktop.signing``)."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from codaiq_desktop.signing import sign, verify

bodies = st.binary(max_size=512)
secrets = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != "")
bounded = settings(max_examples=150, deadline=None)


@bounded
@given(body=bodies, secret=secrets)
def test_a_signature_made_with_the_secret_verifies_in_every_accepted_spelling(body: bytes, secret: str) -> None:
    digest = sign(body, secret)
    assert digest == hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    for spelling in (digest, digest.upper(), f"sha256={digest}", f"SHA256={digest}", f"  {digest} "):
        assert verify(body, spelling, [secret])


@bounded
@given(body=bodies, secret=secrets, position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_change_to_the_body_fails(body: bytes, secret: str, position: int, flip: int) -> None:
    assume(body)
    index = position % len(body)
    tampered = body[:index] + bytes([body[index] ^ flip]) + body[index + 1 :]
    assert not verify(tampered, sign(body, secret), [secret])


@bounded
@given(body=bodies, secret=secrets, other=secrets)
def test_another_secret_fails(body: bytes, secret: str, other: str) -> None:
    assume(other != secret)
    assert not verify(body, sign(body, other), [secret])


@bounded
@given(body=bodies, right=secrets, wrong=st.lists(secrets, max_size=4), where=st.integers(min_value=0, max_value=4))
def test_any_one_of_several_active_secrets_verifies(body: bytes, right: str, wrong: list[str], where: int) -> None:
    candidates = [s for s in wrong if s != right]
    candidates.insert(min(where, len(candidates)), right)
    assert verify(body, sign(body, right), candidates)
    assert not verify(body, sign(body, right), [s for s in candidates if s != right])


@bounded
@given(body=bodies, signature=st.one_of(st.none(), st.text(max_size=80)))
def test_garbage_signatures_are_refused_not_raised(body: bytes, signature: str | None) -> None:
    assert verify(body, signature, ["secret"]) is (
        signature is not None and signature.strip().lower().removeprefix("sha256=") == sign(body, "secret")
    )


def test_no_secrets_verifies_nothing() -> None:
    assert not verify(b"{}", sign(b"{}", "s"), [])
    assert not verify(b"{}", sign(b"{}", ""), [""])
