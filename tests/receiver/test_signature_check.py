"""Property tests of the webhook signature check (``codaiq_desktop.signing``)."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from codaiq_desktop.signing import match, sign, verify
from tests.fixtures.hypothesis_budget import examples

bodies = st.binary(max_size=512)
secrets = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != "")
bounded = settings(max_examples=examples(150), deadline=None)


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


@bounded
@given(body=bodies, right=secrets, wrong=st.lists(secrets, max_size=4), where=st.integers(min_value=0, max_value=4))
def test_match_names_the_secret_that_signed(body: bytes, right: str, wrong: list[str], where: int) -> None:
    candidates = [s for s in wrong if s != right]
    position = min(where, len(candidates))
    candidates.insert(position, right)
    assert match(body, sign(body, right), candidates) == position
    assert match(body, f"sha256={sign(body, right).upper()}", iter(candidates)) == position  # any iterable
    assert match(body, sign(body, right), [s for s in candidates if s != right]) is None


@bounded
@given(body=bodies, secret=secrets, before=st.integers(min_value=0, max_value=3))
def test_match_picks_the_first_of_repeated_secrets_and_counts_empty_ones(body: bytes, secret: str, before: int) -> None:
    listed = [""] * before + [secret, "", secret]
    assert match(body, sign(body, secret), listed) == before


@bounded
@given(body=bodies, listed=st.lists(secrets, max_size=3), signer=secrets, garbage=st.none() | st.text(max_size=80))
def test_verify_agrees_with_match(body: bytes, listed: list[str], signer: str, garbage: str | None) -> None:
    for signature in (sign(body, signer), garbage):
        found = match(body, signature, listed)
        assert verify(body, signature, listed) is (found is not None)
        if found is not None:
            assert sign(body, listed[found]) == sign(body, signer)
