"""A full disk while exporting and while storing webhook events: a clear error, nothing corrupted.

Each test mounts a small file system of its own (a 2 MiB tmpfs, else an ext4 loop
image; see ``size_capped_disk``) and fills it, so the kernel itself answers ENOSPC,
exactly as a user's full laptop disk would. Where neither can be mounted the tests are
skipped, saying why, on a developer's machine, and fail under CI (``CI`` set), so a CI run
never passes without them.
"""

from __future__ import annotations

import errno
import json
import logging
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.api import CodaiqClient
from codaiq_desktop.receiver import WebhookReceiver
from codaiq_desktop.store import Store, StoreFullError
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import TEST_SECRET, encode, make_event, signed_headers
from tests.fixtures.sandbox import RunningSandbox
from tests.reliability.conftest import FAST_RETRY, BuiltSite, CappedDisk, child_env, cli_command, size_capped_disk

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="mounts a size-capped file system (Linux)")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[CappedDisk]:
    with size_capped_disk(tmp_path) as capped:
        yield capped


@pytest.fixture(params=["tmpfs", "loop"])
def any_disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CappedDisk]:
    """The store on both kinds of full disk: tmpfs fails page allocation, ext4 block allocation."""
    with size_capped_disk(tmp_path, kinds=request.param) as capped:
        yield capped


# --- exporting ---------------------------------------------------------------------------


async def test_an_export_onto_a_full_disk_names_the_disk_and_leaves_the_old_file_alone(
    sandbox: RunningSandbox, built_site: BuiltSite, disk: CappedDisk
) -> None:
    folder = disk.path / "exports"
    folder.mkdir()
    previous = folder / "leeds-bakery.zip"
    previous.write_bytes(b"last week's export")
    filler = disk.fill(leave=4096)
    async with CodaiqClient(sandbox.base_url, built_site.key, retry=FAST_RETRY) as client:
        with pytest.raises(OSError) as info:
            await client.export_website(built_site.project_id, built_site.website_id, folder)
        error = info.value
        assert error.errno == errno.ENOSPC
        assert str(folder) in str(error) and f"mounted at {disk.path}" in str(error)
        assert "not enough free space" in str(error) and "nothing was saved" in str(error)
        assert sorted(p.name for p in folder.iterdir()) == ["leeds-bakery.zip"]  # no temp file, no partial ZIP
        assert previous.read_bytes() == b"last week's export"

        filler.unlink()  # the user frees some space and tries again
        path = await client.export_website(built_site.project_id, built_site.website_id, folder)
    assert path == previous
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None


def test_the_export_command_on_a_full_disk_exits_1_with_one_plain_line(
    sandbox: RunningSandbox, built_site: BuiltSite, disk: CappedDisk
) -> None:
    folder = disk.path / "exports"
    folder.mkdir()
    disk.fill()
    result = subprocess.run(
        [*cli_command(), "export", built_site.project_id, built_site.website_id, "-o", str(folder)],
        env=child_env(CODAIQ_BASE_URL=sandbox.base_url, CODAIQ_API_KEY=built_site.key),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: There is not enough free space to save the export in {folder}")
    assert list(folder.iterdir()) == []


def test_a_file_size_limit_is_reported_as_such_and_leaves_nothing(
    sandbox: RunningSandbox, built_site: BuiltSite, tmp_path: Path
) -> None:
    """RLIMIT_FSIZE in the child: the kernel answers EFBIG, as on a FAT32 stick or a quota'd share."""
    import resource

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = subprocess.run(
        [*cli_command(), "export", built_site.project_id, built_site.website_id, "-o", str(tmp_path)],
        env=child_env(CODAIQ_BASE_URL=sandbox.base_url, CODAIQ_API_KEY=built_site.key),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=limit_file_size,  # the limit must be set in the child before it runs
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"error: The export is larger than this system allows one file to be in {tmp_path}. "
        "Choose a folder on another disk; nothing was saved."
    )
    assert list(tmp_path.iterdir()) == []


# --- storing webhook events ---------------------------------------------------------------


def _lead_event(number: int) -> bytes:
    """A lead event with a long message, so each one needs fresh pages in the database."""
    return encode(
        make_event(
            event_id=f"evt_disk_{number}",
            data={
                "leadId": f"lead_disk_{number}",
                "name": f"Person {number}",
                "email": f"p{number}@example.com",
                "message": f"Lead number {number}. " + "Tell me about wedding cakes. " * 300,
            },
        )
    )


async def test_a_full_disk_fails_the_ingest_clearly_and_the_store_stays_consistent(any_disk: CappedDisk) -> None:
    disk = any_disk
    path = disk.path / "store.sqlite3"
    with Store(path) as store:
        kept = [_lead_event(n) for n in range(10)]
        for body in kept:
            await store.ingest(body, {"Content-Type": "application/json"})
        filler = disk.fill()

        failure: BaseException | None = None
        for number in range(10, 400):  # until the disk refuses (WAL pages already on disk may absorb a few)
            try:
                await store.ingest(_lead_event(number), {"Content-Type": "application/json"})
            except Exception as exc:
                failure = exc
                break
        assert failure is not None, "the store accepted events on a full disk"
        assert isinstance(failure, StoreFullError), repr(failure)
        assert isinstance(failure, OSError) and failure.errno == errno.ENOSPC
        assert str(failure) == (
            f"There is not enough free space on the disk at {disk.path} to store events in {path}. "
            "Free some space; events will be accepted again once there is room."
        )
        assert failure.path == path and failure.mount == disk.path
        assert isinstance(failure.__cause__, sqlite3.Error)  # the SQLite detail stays reachable
        refused_number = number

        assert store.integrity_check() == "ok"
        stored = {event.event_id: event.raw_body for event in store.list_events(limit=1000)}
        for n, body in enumerate(kept):
            assert stored[f"evt_disk_{n}"] == body  # acknowledged earlier: intact
        assert f"evt_disk_{refused_number}" not in stored  # refused: not half there
        lead_count = store.count_leads()
        assert lead_count == len(stored)

        filler.unlink()  # space comes back: the same store object works again
        result = await store.ingest(_lead_event(refused_number), {"Content-Type": "application/json"})
        assert not result.duplicate and result.lead is not None
        assert store.count_leads() == lead_count + 1
    with Store(path) as reopened:
        assert reopened.integrity_check() == "ok"
        assert reopened.count_leads() == lead_count + 1


async def test_the_receiver_answers_503_with_retry_after_on_a_full_disk_and_the_retry_is_stored(
    disk: CappedDisk,
) -> None:
    """The sender (the service) retries a 5xx; the event must then arrive exactly once."""
    with Store(disk.path / "store.sqlite3") as store:
        receiver = WebhookReceiver(store, [TEST_SECRET], host="127.0.0.1", port=0)
        await receiver.start()
        try:
            async with httpx.AsyncClient(verify=ssl_context(), timeout=30, trust_env=False) as http:

                async def deliver(body: bytes) -> httpx.Response:
                    return await http.post(receiver.url, content=body, headers=signed_headers(body, TEST_SECRET))

                first = _lead_event(1)
                assert (await deliver(first)).status_code == 200
                filler = disk.fill()
                statuses: list[int] = []
                refused: bytes | None = None
                for number in range(2, 400):
                    body = _lead_event(number)
                    response = await deliver(body)
                    statuses.append(response.status_code)
                    if response.status_code != 200:
                        refused = body
                        break
                assert refused is not None, "every delivery was accepted on a full disk"
                assert response.status_code == 503, response.text
                assert response.headers["retry-after"].isdigit()
                assert response.json()["error"]["code"] == "store_unavailable"
                assert receiver.stats.failed == 1
                assert store.integrity_check() == "ok"

                filler.unlink()
                retried = await deliver(refused)  # the sender's retry, after the Retry-After
                assert retried.status_code == 200 and retried.json()["duplicate"] is False
                again = await deliver(refused)  # and a late duplicate changes nothing
                assert again.status_code == 200 and again.json()["duplicate"] is True
        finally:
            await receiver.stop()
        refused_id = json.loads(refused)["id"]
        assert [e.event_id for e in store.list_events(limit=1000)].count(refused_id) == 1
        assert store.count_leads() == statuses.count(200) + 2  # the first, those accepted, the retry
        assert store.integrity_check() == "ok"


async def test_a_full_disk_is_logged_once_as_a_warning_and_once_more_when_it_recovers(
    disk: CappedDisk, caplog: pytest.LogCaptureFixture
) -> None:
    """The sender retries every refused event: the log must say "disk full" once, not per retry."""
    changes: list[str | None] = []
    with Store(disk.path / "store.sqlite3") as store:
        receiver = WebhookReceiver(store, [TEST_SECRET], host="127.0.0.1", port=0, on_store_state=changes.append)
        await receiver.start()
        try:
            async with httpx.AsyncClient(verify=ssl_context(), timeout=30, trust_env=False) as http:

                async def deliver(body: bytes) -> httpx.Response:
                    return await http.post(receiver.url, content=body, headers=signed_headers(body, TEST_SECRET))

                assert (await deliver(_lead_event(1))).status_code == 200
                filler = disk.fill()
                caplog.clear()
                caplog.set_level("DEBUG", logger="codaiq_desktop")
                number = 2
                while (await deliver(_lead_event(number))).status_code == 200:  # WAL space may absorb a few
                    number += 1
                    assert number < 400, "every delivery was accepted on a full disk"
                for retry in range(49):  # the sender's retries and new events: 50 failures in all
                    assert (await deliver(_lead_event(number + 1 + retry % 3))).status_code == 503
                assert receiver.stats.failed == 50

                warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
                assert len(warnings) == 1, [r.getMessage() for r in warnings]
                (warning,) = warnings
                assert warning.exc_info is None  # a known condition: the sentence is enough
                assert f"There is not enough free space on the disk at {disk.path}" in warning.getMessage()
                assert not any(r.exc_info for r in caplog.records)
                assert "Traceback" not in caplog.text
                assert changes == [warning.getMessage().split("retries. ", 1)[1]]

                filler.unlink()
                assert (await deliver(_lead_event(number))).status_code == 200
                assert (await deliver(_lead_event(number + 1))).status_code == 200
        finally:
            await receiver.stop()
    recovered = [r for r in caplog.records if r.levelno == logging.INFO and "stored again" in r.getMessage()]
    assert len(recovered) == 1 and "50 delivery attempt(s)" in recovered[0].getMessage()
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert changes[1:] == [None]


def test_listen_on_a_full_disk_prints_the_reason_once_and_the_recovery(disk: CappedDisk, tmp_path: Path) -> None:
    store_path = disk.path / "store.sqlite3"
    Store(store_path).close()  # created while there is room, as the app would have
    listen = subprocess.Popen(
        [*cli_command(), "listen", "--port", "0", "--store", str(store_path), "--ready-json", "--quiet"],
        env=child_env(CODAIQ_WEBHOOK_SECRET=TEST_SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert listen.stdout is not None
        url = json.loads(listen.stdout.readline())["url"]
        filler = disk.fill()
        with httpx.Client(verify=ssl_context(), timeout=30, trust_env=False) as http:

            def deliver(body: bytes) -> int:
                return http.post(url, content=body, headers=signed_headers(body, TEST_SECRET)).status_code

            number = 1
            while deliver(_lead_event(number)) == 200:
                number += 1
                assert number < 400, "every delivery was accepted on a full disk"
            for _ in range(20):
                assert deliver(_lead_event(number)) == 503
            filler.unlink()
            assert deliver(_lead_event(number)) == 200
    finally:
        listen.terminate()
        _out, err = listen.communicate(timeout=30)
    assert listen.returncode == 0, err
    assert "Traceback" not in err and "OperationalError" not in err
    reason = (
        f"There is not enough free space on the disk at {disk.path} to store events in {store_path}. "
        "Free some space; events will be accepted again once there is room."
    )
    assert err.strip().splitlines() == [
        f"codaiq-desktop listen: {reason}",
        "codaiq-desktop listen: events are being stored again.",
    ]
