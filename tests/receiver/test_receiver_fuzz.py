"""Whatever arrives, the receiver answers deliberately: 2xx only for a signed, well-formed event.

Hypothesis builds requests a sender could make, well-meaning or hostile: event bodies and
every way to spoil them (shape, truncation, non-JSON, invalid UTF-8, other encodings),
bodies near and far over the 1 MiB limit sent with a length or chunked, JSON nested up to
100,000 levels, and headers: content types (random, odd case, parameters) and signature
values (garbage, wrong length, wrong secret, upper-case hex, ``sha256=``/``SHA256=``
prefixes, surrounding whitespace, non-ASCII bytes, the header repeated). Each request goes
over a real TCP connection to a running receiver on 127.0.0.1, as raw HTTP/1.1 bytes, so
header bytes, repeats and framing are exactly as generated.

Every answer is checked against an oracle written from the contract, not from the code:

- a signature is valid when the header, without surrounding blanks, is the lowercase or
  uppercase hex HMAC-SHA256 of the raw body under the secret, optionally after
  ``sha256=`` in any case;
- a body is well-formed when it is UTF-8 JSON (RFC 8259) of an object whose ``event`` is a
  non-blank string of at most 200 characters, ``data`` an object, ``timestamp`` a string,
  ``id``/``websiteId``/``projectId`` strings or integers (each may be absent or null);
- where RFC 8259 leaves a choice to the receiver (nesting past 64 levels, number range,
  unpaired surrogates, duplicate names, a byte-order mark) either a 2xx or a 400 is
  deliberate, but what is taken must be stored and read back intact;
- the order of refusals is the documented one: size (413) and content type (415), then
  signature (401), then payload (400).

So: a validly signed well-formed event always gets 200; nothing else ever does; nothing
gets a 5xx; every refusal carries ``{"error": {"code", "message"}}`` and is recorded as a
rejected attempt; and after every request the store holds exactly the events that were
answered 200 as new, byte for byte, never a body that was not signed with the secret.

``OPEN_FINDINGS`` lists input classes the receiver does not yet answer as the contract
says. Each has pinned inputs in ``test_open_findings`` (and the deep-nesting one its own
test), marked strict xfail: they start failing the day the receiver is fixed. The
generators leave an open class out; removing it from the set puts it back into every
property test.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from codaiq_desktop.receiver.app import DEFAULT_MAX_BODY, WEBHOOK_PATH
from codaiq_desktop.signing import SIGNATURE_HEADER
from tests.fixtures.receiver import TEST_SECRET, ReceiverThread
from tests.fixtures.hypothesis_budget import examples

LIMIT = DEFAULT_MAX_BODY
MAX_EVENT_TYPE = 200
DEEPEST_REQUIRED = 64
"""Nesting a receiver must take; deeper, refusing with a 400 is its choice (RFC 8259 §9)."""

OPEN_FINDINGS: frozenset[str] = frozenset()
"""None open. Fixed (``store/payload.py``), and back in every property test: integers of more
than 4,300 digits, lone surrogates, non-UTF-8 bodies and NaN/Infinity are refused with 400
instead of a 503 or a stored body; nesting deeper than 64 levels is refused with 400."""

HEADER_NAMES = ("X-Codaiq-Signature", "x-codaiq-signature", "X-CODAIQ-SIGNATURE", "x-CODAIQ-Signature")
OWS = ("", " ", "  ", "\t", " \t ")

# --- the oracle ---------------------------------------------------------------------------

_SIGNATURE_FORM = re.compile(rb"(?:[sS][hH][aA]256=)?([0-9a-fA-F]{64})")


def hmac_hex(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_is_valid(value: bytes, body: bytes, secret: str = TEST_SECRET) -> bool:
    found = _SIGNATURE_FORM.fullmatch(value.strip(b" \t"))
    return bool(found) and hmac.compare_digest(found.group(1).lower(), hmac_hex(body, secret).encode())


def signatures_verdict(values: list[bytes], body: bytes) -> str:
    """``all`` (every copy of the header valid), ``some``, or ``none`` (also: no header)."""
    valid = [signature_is_valid(value, body) for value in values]
    if valid and all(valid):
        return "all"
    return "some" if any(valid) else "none"


def content_type_is_json(value: bytes | None) -> bool:
    if value is None:
        return False
    media = value.split(b";", 1)[0].strip(b" \t").lower()
    kind, _, subtype = media.partition(b"/")
    return kind == b"application" and (subtype == b"json" or subtype.endswith(b"+json"))


class _Limited(Exception):
    """The body is in a corner RFC 8259 leaves to the receiver."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise _Limited("duplicate names")
    return dict(pairs)


def _no_constants(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _depth_and_surrogates(document: Any) -> tuple[int, bool]:
    deepest, surrogate = 0, False
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            deepest = max(deepest, depth + 1)
            for key, item in value.items():
                surrogate = surrogate or _has_surrogate(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            deepest = max(deepest, depth + 1)
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            surrogate = surrogate or _has_surrogate(value)
    return deepest, surrogate


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _is_id(value: Any) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def body_verdict(body: bytes) -> str:
    """``valid``, ``invalid`` or ``limited`` (either answer is deliberate), from the bytes alone."""
    if body.startswith(b"\xef\xbb\xbf"):
        return "limited"  # RFC 8259 §8.1: a parser may ignore a byte-order mark
    try:
        text = body.decode("utf-8")  # strict: stray bytes, overlongs, encoded surrogates all fail
    except UnicodeDecodeError:
        return "invalid"
    if not text.lstrip(" \t\r\n").startswith("{"):
        return "invalid"  # whatever it is, it is not a JSON object
    try:
        document = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constants)
    except json.JSONDecodeError:
        return "invalid"
    except (_Limited, RecursionError, ValueError):  # ValueError: an integer past Python's digit limit
        return "limited"
    depth, surrogate = _depth_and_surrogates(document)
    if depth > DEEPEST_REQUIRED or surrogate:
        return "limited"
    return "valid" if event_shape_is_valid(document) else "invalid"


def event_shape_is_valid(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    event = document.get("event")
    if not isinstance(event, str) or not event.strip() or len(event) > MAX_EVENT_TYPE:
        return False
    if document.get("data") is not None and not isinstance(document["data"], dict):
        return False
    if document.get("timestamp") is not None and not isinstance(document["timestamp"], str):
        return False
    return all(_is_id(document.get(key)) for key in ("id", "websiteId", "projectId"))


def allowed_statuses(body_kind: str, size: int, content_type_ok: bool, signatures: str) -> set[int]:
    """The answers the contract allows, in its order of checks."""
    if size > LIMIT:
        return {413} if content_type_ok else {413, 415}  # a declared length is checked first
    if not content_type_ok:
        return {415}
    if signatures == "none":
        return {401}
    allowed = {"valid": {200}, "invalid": {400}, "limited": {200, 400}}[body_kind]
    # The header repeated with valid and invalid copies: taking or refusing it are both deliberate.
    return allowed | {401} if signatures == "some" else allowed


# --- raw HTTP/1.1 over loopback -----------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[bytes, bytes]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _send_all(sock: socket.socket, data: bytes) -> None:
    try:
        sock.sendall(data)
    except OSError:
        pass  # the receiver answered (413) and closed before reading it all: the reply is what counts


def post_raw(port: int, headers: list[tuple[bytes, bytes]], body: bytes, chunk_size: int | None) -> Reply:
    """POST ``body`` with exactly these header lines, sized by Content-Length or chunked."""
    lines = [b"POST " + WEBHOOK_PATH.encode() + b" HTTP/1.1", b"Host: 127.0.0.1:%d" % port, b"Connection: close"]
    lines += [name + b":" + value for name, value in headers]
    if chunk_size is None:
        lines.append(b"Content-Length: %d" % len(body))
        payload = body
    else:
        lines.append(b"Transfer-Encoding: chunked")
        parts = [body[i : i + chunk_size] for i in range(0, len(body), chunk_size)]
        payload = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"
    request = b"\r\n".join(lines) + b"\r\n\r\n" + payload
    received = bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        # Read while sending: an early answer to a large body must not be lost to a reset.
        sender = threading.Thread(target=_send_all, args=(sock, request), daemon=True)
        sender.start()
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
        sender.join(30)
    return _parse_reply(bytes(received))


def _parse_reply(raw: bytes) -> Reply:
    head, separator, rest = raw.partition(b"\r\n\r\n")
    assert separator, f"no HTTP answer, only {raw[:200]!r}"
    status_line, *header_lines = head.split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if b"content-length" in headers:
        body = rest[: int(headers[b"content-length"])]
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        body, remaining = b"", rest
        while True:
            size_line, _, remaining = remaining.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            body, remaining = body + remaining[:size], remaining[size + 2 :]
    else:
        body = rest
    return Reply(status, headers, body)


# --- one delivery attempt, checked --------------------------------------------------------


@dataclass
class Attempt:
    body: bytes
    content_type: bytes | None = b"application/json"
    signatures: list[bytes] | None = None  # None: one valid signature
    signature_name: str = SIGNATURE_HEADER
    chunk_size: int | None = None
    kind: str | None = None  # the body's verdict when the generator knows better than the bytes

    def header_lines(self) -> list[tuple[bytes, bytes]]:
        lines: list[tuple[bytes, bytes]] = []
        if self.content_type is not None:
            lines.append((b"Content-Type", b" " + self.content_type))
        for value in self.signature_values():
            lines.append((self.signature_name.encode(), value))
        return lines

    def signature_values(self) -> list[bytes]:
        if self.signatures is None:
            return [b" " + hmac_hex(self.body, TEST_SECRET).encode()]
        return self.signatures


class Checker:
    """Sends attempts to one running receiver and checks each answer and the store after it.

    ``answers`` counts the statuses seen, so a test can also show that its generators
    reached every kind of answer they are meant to.
    """

    def __init__(self, receiver: ReceiverThread) -> None:
        self.receiver = receiver
        self.store = receiver.store
        self.last_event_id = max((event.id for event in self.store.list_events(limit=1)), default=0)
        self.last_rejected_id = max((attempt.id for attempt in self.store.list_rejected(limit=1)), default=0)
        self.answers: dict[int, int] = {}

    def check(self, attempt: Attempt) -> Reply:
        body = attempt.body
        values = attempt.signature_values()
        signatures = signatures_verdict(values, body)
        kind = attempt.kind or body_verdict(body)
        content_type_ok = content_type_is_json(attempt.content_type)
        allowed = allowed_statuses(kind, len(body), content_type_ok, signatures)
        count_before = self.store.count_events()

        reply = post_raw(self.receiver.receiver.port, attempt.header_lines(), body, attempt.chunk_size)
        self.answers[reply.status] = self.answers.get(reply.status, 0) + 1

        context = (
            f"answered {reply.status} {reply.body[:300]!r}; allowed {sorted(allowed)} for a {kind} body "
            f"of {len(body)} bytes, content type {attempt.content_type!r} (JSON: {content_type_ok}), "
            f"signatures {signatures} {[v[:80] for v in values]!r}, chunked: {attempt.chunk_size}"
        )
        assert reply.status < 500, context
        assert reply.status in allowed, context

        new_events = [event for event in self.store.list_events(limit=50) if event.id > self.last_event_id]
        rejected = self.store.list_rejected(limit=1)
        newest_rejected = rejected[0].id if rejected else 0
        if reply.status == 200:
            answer = reply.json()
            assert answer["received"] is True and isinstance(answer["duplicate"], bool), context
            assert newest_rejected == self.last_rejected_id, f"a 200 was also recorded as rejected; {context}"
            if answer["duplicate"]:
                assert new_events == [] and self.store.count_events() == count_before, context
                stored = self.store.list_events(limit=10_000)
                assert any(event.event_id == answer["id"] for event in stored), f"duplicate of nothing; {context}"
            else:
                assert len(new_events) == 1, context
                [event] = new_events
                assert event.raw_body == body, context
                assert any(signature_is_valid(v, event.raw_body) for v in values), f"unsigned body stored: {context}"
                assert event.verified and event.event_id == answer["id"], context
                if kind == "valid":
                    assert event.payload == json.loads(body), context
        else:
            assert new_events == [], f"refused, yet stored: {context}"
            assert self.store.count_events() == count_before, context
            error = reply.json()["error"]
            assert isinstance(error["code"], str) and error["code"], context
            assert isinstance(error["message"], str) and error["message"], context
            assert newest_rejected > self.last_rejected_id, f"refusal not recorded; {context}"
            assert rejected[0].status_code == reply.status, context
        self.last_event_id = max([self.last_event_id, *(event.id for event in new_events)])
        self.last_rejected_id = max(self.last_rejected_id, newest_rejected)
        return reply


@pytest.fixture
def checker(receiver_thread: ReceiverThread) -> Checker:
    return Checker(receiver_thread)


FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""Each property runs inside its test, against the test's one receiver; the store keeps growing."""

# --- bodies -------------------------------------------------------------------------------

text = st.text(max_size=30)
json_leaves = (
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False, allow_infinity=False) | text
)
json_values = st.recursive(
    json_leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
event_types = st.sampled_from(
    ["lead.captured", "form.submitted", "website.published", "build.failed", "made.up.type"]
) | st.text(min_size=1, max_size=MAX_EVENT_TYPE).filter(str.strip)
event_ids = st.none() | st.uuids().map(lambda u: f"evt_{u.hex}") | st.integers(0, 10**12) | text
lead_data = st.fixed_dictionaries(
    {},
    optional={
        "leadId": text,
        "name": text,
        "email": text,
        "phone": text | st.integers(),
        "message": st.text(max_size=300),
        "fields": st.dictionaries(text, json_values, max_size=3),
    },
)


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    """A well-formed event as the service documents it, with optional and unknown parts."""
    document: dict[str, Any] = {"event": draw(event_types)}
    for key, values in (
        ("id", event_ids),
        ("timestamp", st.none() | text | st.just("2026-04-21T10:00:00.000Z")),
        ("websiteId", st.none() | text | st.integers(0, 10**9)),
        ("projectId", st.none() | text | st.integers(0, 10**9)),
        ("data", st.none() | lead_data | st.dictionaries(text, json_values, max_size=5)),
        ("extra", json_values),
    ):
        if draw(st.booleans()):
            document[key] = draw(values)
    return document


def encode(draw: st.DrawFn, document: Any) -> bytes:
    ensure_ascii = draw(st.booleans())
    compact = draw(st.booleans())
    encoded = json.dumps(document, ensure_ascii=ensure_ascii, separators=(",", ":") if compact else None)
    padding = draw(st.sampled_from(["", " ", "\n", "\r\n\t "]))
    return (encoded + padding).encode("utf-8")


not_a_string = st.integers() | st.floats(allow_nan=False) | st.booleans() | st.lists(text, max_size=2) | st.just({})
SHAPE_BREAKS: dict[str, Callable[[st.DrawFn, dict[str, Any]], Any]] = {
    "top level not an object": lambda draw, doc: draw(st.lists(json_values, max_size=3) | json_leaves),
    "no event": lambda draw, doc: {k: v for k, v in doc.items() if k != "event"},
    "event not a string": lambda draw, doc: {**doc, "event": draw(not_a_string | st.none())},
    "event blank": lambda draw, doc: {**doc, "event": draw(st.sampled_from(["", " ", "\t\n", "\u2003"]))},
    "event too long": lambda draw, doc: {**doc, "event": "e" * draw(st.integers(MAX_EVENT_TYPE + 1, 1000))},
    "data not an object": lambda draw, doc: {**doc, "data": draw(st.lists(json_values, max_size=2) | text)},
    "timestamp not a string": lambda draw, doc: {**doc, "timestamp": draw(not_a_string)},
    "id not a string": lambda draw, doc: {
        **doc,
        draw(st.sampled_from(["id", "websiteId", "projectId"])): draw(
            st.floats(allow_nan=False) | st.booleans() | st.lists(text, max_size=2) | st.just({})
        ),
    },
}


@st.composite
def misshapen_bodies(draw: st.DrawFn) -> bytes:
    document = draw(events())
    breaks = draw(st.sampled_from(sorted(SHAPE_BREAKS)))
    return encode(draw, SHAPE_BREAKS[breaks](draw, document))


@st.composite
def non_json_bodies(draw: st.DrawFn) -> bytes:
    valid = encode(draw, draw(events()))
    how = draw(st.sampled_from(["truncated", "trailing", "bytes", "text", "python", "comment", "trailing comma"]))
    if how == "truncated":
        return valid[: draw(st.integers(0, max(0, len(valid) - 1)))]
    if how == "trailing":
        return valid + draw(st.sampled_from([b"x", b"}", b",{}", b"\x00", b"{}"]))
    if how == "bytes":
        return draw(st.binary(max_size=400))
    if how == "text":
        return draw(st.text(max_size=200)).encode("utf-8")
    if how == "python":
        return repr(draw(events())).encode("utf-8")
    if how == "comment":
        return b"// a comment\n" + valid
    return valid.rstrip().removesuffix(b"}") + b",}"


INVALID_UTF8 = [
    b"\xff",
    b"\xfe\xff",
    b"\x80",
    b"\xbf\xbf",
    b"\xc0\x80",  # overlong NUL
    b"\xc1\xbf",
    b"\xe0\x80\xaf",  # overlong "/"
    b"\xc3",  # truncated sequences
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xf4\x90\x80\x80",  # past U+10FFFF
    b"\xf8\x88\x80\x80\x80",
]
ENCODED_SURROGATES = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xed\xa0\xbd\xed\xb8\x80"]


@st.composite
def badly_encoded_bodies(draw: st.DrawFn) -> bytes:
    """A well-formed event spoilt at the byte level, or in another encoding."""
    document = draw(events())
    document.setdefault("data", {})
    document["data"] = {**(document["data"] or {}), "note": draw(st.text(min_size=1, max_size=20)) + "é✓😀"}
    valid = encode(draw, document)
    hows = ["invalid bytes", "invalid bytes in a string", "latin-1", "byte-order mark", "unicode escapes"]
    if "non_utf8_json" not in OPEN_FINDINGS:
        hows += ["utf-16", "utf-32", "encoded surrogate"]
    if "lone_surrogates" not in OPEN_FINDINGS:
        hows += ["escaped lone surrogate"]
    if "huge_integers" not in OPEN_FINDINGS:
        hows += ["huge integer"]
    if "non_json_constants" not in OPEN_FINDINGS:
        hows += ["non-JSON constant"]
    how = draw(st.sampled_from(hows))
    if how == "invalid bytes":
        at = draw(st.integers(0, len(valid)))
        return valid[:at] + draw(st.sampled_from(INVALID_UTF8)) + valid[at:]
    if how == "invalid bytes in a string":
        return valid.replace("é✓😀".encode(), draw(st.sampled_from(INVALID_UTF8)), 1)
    if how == "latin-1":
        return json.dumps(document, ensure_ascii=False).encode("latin-1", "replace")
    if how == "byte-order mark":
        return b"\xef\xbb\xbf" + valid
    if how == "unicode escapes":  # valid: escaped control characters, NUL, a surrogate pair
        return valid.rstrip().removesuffix(b"}") + b',"esc":"\\u0000\\u001f\\ud83d\\ude00\\"\\\\\\/"}'
    if how == "utf-16":
        return json.dumps(document).encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"])))
    if how == "utf-32":
        return json.dumps(document).encode(draw(st.sampled_from(["utf-32", "utf-32-le", "utf-32-be"])))
    if how == "encoded surrogate":
        return valid.replace("é✓😀".encode(), draw(st.sampled_from(ENCODED_SURROGATES)), 1)
    if how == "huge integer":
        return valid.rstrip().removesuffix(b"}") + b',"n":' + b"9" * draw(st.integers(4000, 6000)) + b"}"
    if how == "non-JSON constant":
        constant = draw(st.sampled_from([b"NaN", b"Infinity", b"-Infinity"]))
        return valid.rstrip().removesuffix(b"}") + b',"c":' + constant + b"}"
    return valid.replace("é✓😀".encode(), b"\\ud800", 1)


@st.composite
def encoded_events(draw: st.DrawFn) -> bytes:
    return encode(draw, draw(events()))


small_bodies = st.one_of(encoded_events(), misshapen_bodies(), non_json_bodies(), badly_encoded_bodies())

# --- headers ------------------------------------------------------------------------------

JSON_TYPES = [
    "application/json",
    "APPLICATION/JSON",
    "Application/Json",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    "application/json ; charset=utf-8; q=1",
    "application/json;",
    "application/vnd.codaiq.v1+json",
    "application/ld+json",
    "application/problem+JSON",
]
OTHER_TYPES = [
    "text/plain",
    "text/json",
    "application/jsonx",
    "application/json5",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/json+xml",
    "json",
    "*/*",
    "application/*",
    "application",
    "",
    "application /json",
    "application/ json",
    "text/plain; type=application/json",
]
header_bytes = st.binary(max_size=60).map(
    lambda raw: bytes(b for b in raw if b == 0x20 or 0x21 <= b <= 0x7E or b >= 0x80).strip(b" ")
)


@st.composite
def odd_case(draw: st.DrawFn, value: str) -> str:
    upper = draw(st.lists(st.booleans(), min_size=len(value), max_size=len(value)))
    return "".join(char.upper() if up else char.lower() for char, up in zip(value, upper, strict=True))


@st.composite
def content_types(draw: st.DrawFn) -> bytes | None:
    how = draw(st.sampled_from(["json", "json", "json", "json odd case", "other", "other odd case", "none", "bytes"]))
    if how == "none":
        return None
    if how == "bytes":
        return draw(header_bytes)
    value = draw(st.sampled_from(JSON_TYPES if how.startswith("json") else OTHER_TYPES))
    if how.endswith("odd case"):
        value = draw(odd_case(value))
    return value.encode("latin-1")


@st.composite
def signature_value(draw: st.DrawFn, body: bytes) -> bytes:
    """One value of the signature header: right, nearly right or wrong."""
    how = draw(
        st.sampled_from(
            ["valid"] * 6
            + ["wrong secret", "other body", "wrong length", "garbage", "non-ASCII", "inner blank"]
            + ["double prefix", "other algorithm", "empty", "prefix only", "other prefix"]
        )
    )
    secret = TEST_SECRET
    if how == "wrong secret":
        secret = draw(
            st.sampled_from([TEST_SECRET[:-1], TEST_SECRET + "x", TEST_SECRET.upper(), " " + TEST_SECRET, ""])
            | st.text(max_size=40).filter(lambda s: s != TEST_SECRET)
        )
    signed = body + draw(st.sampled_from([b" ", b"\n", b"x"])) if how == "other body" else body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    if how == "wrong length":
        cut = draw(st.integers(1, 63))
        digest = digest[:-cut] if draw(st.booleans()) else digest + digest[:cut]
    case = draw(st.sampled_from(["lower", "upper", "mixed"]))
    if case == "upper":
        digest = digest.upper()
    elif case == "mixed":
        digest = draw(odd_case(digest))
    prefix = draw(st.sampled_from(["", "", "sha256=", "SHA256=", "Sha256=", "sHA256="]))
    if how == "double prefix":
        prefix = "sha256=" + prefix if prefix else "sha256=sha256="
    elif how == "other prefix":
        prefix = draw(st.sampled_from(["sha256:", "sha256 ", "sha1=", "hmac-sha256=", "v1=", "sha256=="]))
    token = (prefix + digest).encode()
    if how == "garbage":
        token = draw(header_bytes)
    elif how == "non-ASCII":  # inside the token, where no HTTP parser strips it
        at = draw(st.integers(1, len(token) - 1))
        character = draw(st.sampled_from(["é", "０", "ｓ", "\u200b", "ß"]))
        bad = character.encode(draw(st.sampled_from(["utf-8", "utf-16-le"])))
        bad = bytes(b if b >= 0x80 or 0x21 <= b <= 0x7E else 0x80 | b for b in bad)  # header-legal bytes only
        token = token[:at] + bad + token[at + (1 if draw(st.booleans()) else 0) :]
    elif how == "inner blank":
        at = draw(st.integers(1, len(token) - 1))
        token = token[:at] + draw(st.sampled_from([b" ", b"\t", b"  "])) + token[at:]
    elif how == "other algorithm":
        algorithm = draw(st.sampled_from([hashlib.sha1, hashlib.sha512, hashlib.md5]))
        token = b"sha256=" + hmac.new(TEST_SECRET.encode(), body, algorithm).hexdigest().encode()
    elif how == "empty":
        token = b""
    elif how == "prefix only":
        token = prefix.encode() or b"sha256="
    return draw(st.sampled_from(OWS)).encode() + token + draw(st.sampled_from(OWS)).encode()


@st.composite
def attempts(draw: st.DrawFn, bodies: st.SearchStrategy[bytes] = small_bodies) -> Attempt:
    body = draw(bodies)
    copies = draw(st.sampled_from([0, 1, 1, 1, 1, 1, 2, 2, 3]))
    return Attempt(
        body=body,
        content_type=draw(content_types()),
        signatures=[draw(signature_value(body)) for _ in range(copies)],
        signature_name=draw(st.sampled_from(HEADER_NAMES)),
        chunk_size=draw(st.none() | st.none() | st.integers(1, 512)),
    )


# --- the property tests -------------------------------------------------------------------


@pytest.mark.fuzz
def test_any_request_gets_a_deliberate_answer(checker: Checker) -> None:
    @settings(FUZZ, max_examples=examples(700, at_least=250))
    @given(attempt=attempts())
    def any_request(attempt: Attempt) -> None:
        checker.check(attempt)

    any_request()
    assert {200, 400, 401, 415} <= set(checker.answers), checker.answers


@pytest.mark.fuzz
def test_a_validly_signed_well_formed_event_is_always_taken(checker: Checker) -> None:
    @settings(FUZZ, max_examples=examples(300))
    @given(data=st.data())
    def signed_event(data: st.DataObject) -> None:
        body = data.draw(encoded_events())
        digest = hmac_hex(body, TEST_SECRET)
        digest = data.draw(st.sampled_from([digest, digest.upper()]) | odd_case(digest))
        prefix = data.draw(st.sampled_from(["", "sha256=", "SHA256=", "Sha256="]))
        value = (data.draw(st.sampled_from(OWS)) + prefix + digest + data.draw(st.sampled_from(OWS))).encode()
        attempt = Attempt(
            body=body,
            content_type=data.draw(st.sampled_from(JSON_TYPES).flatmap(odd_case)).encode(),
            signatures=[value] * data.draw(st.integers(1, 2)),
            signature_name=data.draw(st.sampled_from(HEADER_NAMES)),
            chunk_size=data.draw(st.none() | st.integers(1, 4096)),
        )
        # Built valid; the oracle must agree, so the check below demands a 200.
        assert body_verdict(body) == "valid"
        assert signatures_verdict(attempt.signature_values(), body) == "all"
        assert content_type_is_json(attempt.content_type)
        checker.check(attempt)

    signed_event()


def event_of_size(size: int, event_id: str = "", filler: bytes = b"a") -> bytes:
    """A well-formed lead event of exactly ``size`` bytes (its message padded)."""
    head = b'{"event":"lead.captured",%s"data":{"name":"Big","message":"' % (
        b'"id":"%s",' % event_id.encode() if event_id else b""
    )
    tail = b'"}}'
    room = size - len(head) - len(tail)
    body = head + filler * (room // len(filler)) + b"a" * (room % len(filler)) + tail
    assert len(body) == size
    return body


@st.composite
def sized_attempts(draw: st.DrawFn) -> Attempt:
    size = draw(
        st.sampled_from([LIMIT - 1, LIMIT, LIMIT + 1])
        | st.integers(LIMIT - 2048, LIMIT + 2048)
        | st.integers(LIMIT // 2, 4 * LIMIT)
        | st.sampled_from([8 * LIMIT, 16 * LIMIT])
    )
    filler = draw(st.sampled_from([b"a", "é".encode(), "😀".encode(), b"\\n"]))
    if draw(st.sampled_from([True, True, True, True, False])):
        body = event_of_size(size, f"evt_big_{draw(st.uuids()).hex}", filler)
    else:  # not JSON at all, same sizes
        body = filler * (size // len(filler)) + b"a" * (size % len(filler))
    if draw(st.sampled_from([True, True, True, False])):
        signatures = None  # one valid signature: the size alone decides
    else:
        signatures = [draw(signature_value(body)) for _ in range(draw(st.sampled_from([0, 1, 2])))]
    return Attempt(
        body=body,
        content_type=draw(st.sampled_from([b"application/json"] * 4 + [b"text/plain"])),
        signatures=signatures,
        chunk_size=draw(st.none() | st.sampled_from([1024, 16384, 65536, 1 << 20])),
    )


@pytest.mark.fuzz
def test_bodies_near_and_over_the_size_limit(checker: Checker) -> None:
    @settings(FUZZ, max_examples=examples(40))
    @given(attempt=sized_attempts())
    @example(attempt=Attempt(body=event_of_size(LIMIT, "evt_exactly_the_limit")))
    @example(attempt=Attempt(body=event_of_size(LIMIT, "evt_exactly_the_limit_chunked"), chunk_size=65536))
    @example(attempt=Attempt(body=event_of_size(LIMIT + 1, "evt_one_byte_over")))
    @example(attempt=Attempt(body=event_of_size(LIMIT + 1, "evt_one_byte_over_chunked"), chunk_size=65536))
    def sized(attempt: Attempt) -> None:
        checker.check(attempt)

    sized()
    assert {200, 413} <= set(checker.answers), checker.answers


@st.composite
def nested_attempts(draw: st.DrawFn) -> Attempt:
    depth = draw(
        st.integers(1, DEEPEST_REQUIRED)
        | (
            # Until the receiver has a nesting limit of its own, the depths it may take but not
            # hand back are left to test_open_findings: these are read back at any stack depth.
            # (Hypothesis itself raises the recursion limit to ~2,000 while a property runs.)
            st.integers(DEEPEST_REQUIRED + 1, 500)
            if "deep_nesting_unreadable" in OPEN_FINDINGS
            else st.integers(DEEPEST_REQUIRED + 1, 3000)
        )
        | st.integers(10_000, 100_000)
        | st.sampled_from([10_000, 100_000])
    )
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}"), (b'{"":', b"}"), (b'[[{"k":', b"}]]")]))
    levels = len(opener.replace(b'"a":', b"").replace(b'"":', b"").replace(b'"k":', b""))
    repeat = max(1, depth // levels)
    closed = draw(st.sampled_from([True, True, True, False]))
    leaf = draw(st.sampled_from([b"1", b'"x"', b"null", b"[]", b"{}", b"true"]))
    nest = opener * repeat + leaf + (closer * repeat if closed else b"")
    place = draw(st.sampled_from(["top", "data", "data", "inside data", "inside data", "inside data", "event"]))
    wrap = {
        "top": (b"", b""),
        "data": (b'{"event":"deep.one","data":', b"}"),
        "inside data": (b'{"event":"deep.one","data":{"n":', b"}}"),
        "event": (b'{"event":', b"}"),
    }[place]
    body = wrap[0] + nest + wrap[1]
    depth = repeat * levels + {"top": 0, "data": 1, "event": 1, "inside data": 2}[place] + (leaf in (b"[]", b"{}"))
    shape_ok = place == "inside data" or (place == "data" and opener.startswith(b"{"))
    if not closed or not shape_ok:
        kind = "invalid"
    elif depth > DEEPEST_REQUIRED:
        kind = "limited"
    else:
        kind = "valid"
    signed = draw(st.sampled_from([True] * 5 + [False]))
    signatures = [hmac_hex(body, TEST_SECRET).encode() if signed else b"00" * 32]
    return Attempt(body=body, signatures=signatures, kind=kind, chunk_size=draw(st.none() | st.just(65536)))


@pytest.mark.fuzz
def test_deeply_nested_json_is_answered_not_crashed_on(checker: Checker) -> None:
    @settings(FUZZ, max_examples=examples(200, at_least=100))
    @given(attempt=nested_attempts())
    def nested(attempt: Attempt) -> None:
        assert len(attempt.body) <= LIMIT
        checker.check(attempt)

    nested()
    assert {200, 400, 401} <= set(checker.answers), checker.answers


@pytest.mark.fuzz
def test_signed_bodies_that_are_not_well_formed_events(checker: Checker) -> None:
    @settings(FUZZ, max_examples=examples(400, at_least=200))
    @given(body=badly_encoded_bodies() | non_json_bodies() | misshapen_bodies())
    def spoilt(body: bytes) -> None:
        checker.check(Attempt(body=body))

    spoilt()
    assert {200, 400} <= set(checker.answers), checker.answers  # 200: the valid escapes and BOM cases


# --- open findings: pinned inputs, strict xfail while the class is in OPEN_FINDINGS --------

FINDINGS = [
    ("huge_integers", b'{"event":"made.up","data":{"n":' + b"9" * 5000 + b"}}"),
    ("huge_integers", b'{"event":"made.up","id":' + b"1" * 4301 + b"}"),
    ("lone_surrogates", b'{"event":"\\ud800"}'),
    ("lone_surrogates", b'{"event":"made.up","id":"evt_\\udfff"}'),
    ("lone_surrogates", b'{"event":"made.up","websiteId":"\\ud800"}'),
    ("lone_surrogates", b'{"event":"lead.captured","data":{"name":"\\udc00"}}'),
    ("non_utf8_json", b'{"event":"made.up","data":{"note":"\xed\xa0\x80"}}'),
    ("non_utf8_json", b'{"event":"\xed\xa0\x80"}'),
    ("non_utf8_json", '{"event":"lead.captured","id":"evt_utf16"}'.encode("utf-16")),
    ("non_utf8_json", '{"event":"lead.captured","id":"evt_utf32be"}'.encode("utf-32-be")),
    ("non_json_constants", b'{"event":"made.up","data":{"a":NaN}}'),
    ("non_json_constants", b'{"event":"lead.captured","data":{"name":"n","score":-Infinity}}'),
]


def _while_open(finding: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(
        finding in OPEN_FINDINGS,
        strict=True,
        reason=f"open receiver finding {finding}; once fixed, drop it from OPEN_FINDINGS",
    )


@pytest.mark.parametrize(
    ("finding", "body"),
    [
        pytest.param(finding, body, id=f"{finding}-{index}", marks=_while_open(finding))
        for index, (finding, body) in enumerate(FINDINGS)
    ],
)
def test_open_findings(checker: Checker, finding: str, body: bytes) -> None:
    """A signed body of each finding's class gets the answer the contract asks (never a 5xx)."""
    checker.check(Attempt(body=body))


def _with_a_deeper_stack(frames: int, call: Callable[[], Any]) -> Any:
    return call() if frames == 0 else _with_a_deeper_stack(frames - 1, call)


@_while_open("deep_nesting_unreadable")
def test_a_deeply_nested_event_is_refused_or_readable(checker: Checker) -> None:
    """Whatever depth the receiver takes, the store hands back, to a caller 100 frames deep too."""
    body = b'{"event":"deep.one","data":{"n":' + b"[" * 900 + b"]" * 900 + b"}}"
    reply = post_raw(checker.receiver.receiver.port, Attempt(body=body).header_lines(), body, None)
    assert reply.status in (200, 400), reply.body[:300]
    if reply.status == 200:
        [event] = _with_a_deeper_stack(100, lambda: checker.store.list_events(limit=1))
        assert event.raw_body == body


def test_the_oracle_tells_the_classes_apart() -> None:
    """The oracle the properties rest on, on inputs whose answer is known."""
    digest = hmac_hex(b"{}", TEST_SECRET)
    assert signature_is_valid(f" sha256={digest.upper()}\t".encode(), b"{}")
    assert not signature_is_valid(f"sha256= {digest}".encode(), b"{}")
    assert not signature_is_valid(digest[:-1].encode(), b"{}")
    assert not signature_is_valid(hmac_hex(b"{}", "other").encode(), b"{}")
    assert content_type_is_json(b"Application/Problem+JSON; charset=x")
    assert not content_type_is_json(b"text/json") and not content_type_is_json(None)
    assert body_verdict(b'{"event":"x"}') == "valid"
    assert body_verdict(b'{"event":" "}') == body_verdict(b"[1]") == body_verdict(b'{"event":"x"') == "invalid"
    assert body_verdict(b'{"event":"x","data":{"a":NaN}}') == "invalid"
    assert body_verdict('{"event":"x"}'.encode("utf-16")) == "invalid"
    assert body_verdict(b'{"event":"\xed\xa0\x80"}') == "invalid"
    assert body_verdict(b'{"event":"\\ud800"}') == body_verdict(b'{"event":"x","event":"y"}') == "limited"
    assert body_verdict(b'{"event":"x","n":' + b"9" * 5000 + b"}") == "limited"
    assert body_verdict(b'{"event":"x","d":' + b"[" * 65 + b"]" * 65 + b"}") == "limited"
    assert allowed_statuses("valid", LIMIT + 1, True, "all") == {413}
    assert allowed_statuses("valid", 10, True, "some") == {200, 401}
