"""Invites: one pasteable string carries the server and the member token, which never shows."""

from __future__ import annotations

import base64
import json

import pytest

from codaiq_desktop.team import INVITE_PREFIX, InviteError, TeamServer, make_invite, parse_invite

TOKEN = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0-secret"


def test_an_invite_round_trips_and_survives_line_breaks_from_a_chat_paste() -> None:
    server = TeamServer("https://inbox.example.com/", TOKEN)
    invite = make_invite(server)
    assert invite.startswith(INVITE_PREFIX)
    assert TOKEN not in invite  # not readable at a glance over a shoulder
    pasted = "  " + invite[:20] + "\n" + invite[20:] + "\n"
    assert parse_invite(pasted) == TeamServer("https://inbox.example.com", TOKEN)


def test_the_token_is_in_no_repr_str_or_error() -> None:
    server = TeamServer("http://127.0.0.1:9000", TOKEN)
    assert TOKEN not in repr(server) and TOKEN not in str(server) and "<hidden>" in repr(server)
    assert TOKEN not in repr([server]) and TOKEN not in f"{server}"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("https://inbox.example.com", "not a team invite"),
        (INVITE_PREFIX + "!!!not-base64!!!", "damaged"),
        (INVITE_PREFIX + "eyJ2IjoyfQ", "newer version"),  # {"v":2}
        (INVITE_PREFIX + "eyJ2IjoxfQ", "damaged"),  # {"v":1} without url and token
        ("", "not a team invite"),
    ],
)
def test_anything_else_is_refused_with_a_sentence(text: str, words: str) -> None:
    with pytest.raises(InviteError, match=words) as caught:
        parse_invite(text)
    assert isinstance(caught.value, ValueError)


def test_bad_addresses_and_tokens_are_refused_without_echoing_the_token() -> None:
    with pytest.raises(InviteError, match="not a server address"):
        TeamServer("ftp://inbox.example.com", TOKEN)
    with pytest.raises(InviteError, match="token") as caught:
        TeamServer("https://inbox.example.com", "two words")
    assert "two words" not in str(caught.value)
    document = json.dumps({"v": 1, "url": "ftp://inbox.example.com", "token": TOKEN}).encode()
    forged = INVITE_PREFIX + base64.urlsafe_b64encode(document).decode()
    with pytest.raises(InviteError, match="not a server address") as caught:
        parse_invite(forged)
    assert TOKEN not in str(caught.value)
