"""Export: streamed to a temp file, checked, renamed; nothing left behind when anything fails."""

from __future__ import annotations

import asyncio
import os
import zipfile
from pathlib import Path

import pytest

from codaiq_desktop.api import CodaiqClient, errors
from tests.api.conftest import make_zip
from tests.api.scripted_server import Reply, ScriptedServer

EXPORT = "/api/export"


def zip_reply(data: bytes, **kwargs: object) -> Reply:
    headers = {"Content-Disposition": 'attachment; filename="Bakery Site.zip"'}
    headers.update(kwargs.pop("headers", {}))
    return Reply(200, body=data, content_type="application/zip", headers=headers, **kwargs)  # type: ignore[arg-type]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def test_export_writes_a_verified_zip_and_reports_progress(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    data = make_zip()
    api_server.on("GET", EXPORT, zip_reply(data))
    calls: list[tuple[int, int | None]] = []
    dest = tmp_path / "site.zip"
    result = await client.export_website("p1", "w1", dest, progress=lambda done, total: calls.append((done, total)))
    assert result == dest
    assert dest.read_bytes() == data
    assert leftovers(tmp_path) == ["site.zip"]
    assert calls[0] == (0, len(data)) and calls[-1] == (len(data), len(data))
    assert len(calls) > 3 and [c[0] for c in calls] == sorted(c[0] for c in calls)
    (request,) = api_server.requests_to("GET", EXPORT)
    assert request.query == {"projectId": "p1", "websiteId": "w1"}
    with zipfile.ZipFile(dest) as archive:
        assert {"index.html", "pages/about.html"} <= set(archive.namelist())


async def test_export_into_a_folder_uses_the_servers_filename_safely(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    data = make_zip(1000)
    api_server.on(
        "GET", EXPORT, zip_reply(data, headers={"Content-Disposition": 'attachment; filename="../../evil.zip"'})
    )
    assert await client.export_website("p1", "w1", tmp_path) == tmp_path / "evil.zip"
    api_server.on("GET", EXPORT, zip_reply(data, headers={"Content-Disposition": "attachment"}))
    assert await client.export_website("p1", "w42", tmp_path) == tmp_path / "w42.zip"
    api_server.on(
        "GET", EXPORT, zip_reply(data, headers={"Content-Disposition": "attachment; filename*=UTF-8''Caf%C3%A9.zip"})
    )
    assert await client.export_website("p1", "w1", tmp_path) == tmp_path / "Café.zip"
    assert leftovers(tmp_path) == ["Café.zip", "evil.zip", "w42.zip"]


async def test_export_without_content_length_reports_unknown_total(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    data = make_zip(50_000)
    api_server.on("GET", EXPORT, zip_reply(data, headers={"Transfer-Encoding": "chunked"}))
    totals = set()
    await client.export_website("p1", "w1", tmp_path / "a.zip", progress=lambda done, total: totals.add(total))
    assert totals == {None}
    assert (tmp_path / "a.zip").read_bytes() == data


async def test_export_before_the_build_is_ready_is_a_conflict(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    api_server.on(
        "GET", EXPORT, Reply(409, json={"error": {"code": "not_built", "message": "Website is still building"}})
    )
    with pytest.raises(errors.ConflictError, match="Website is still building"):
        await client.export_website("p1", "w1", tmp_path / "site.zip")
    assert leftovers(tmp_path) == []


async def test_export_is_retried_on_503_before_the_body(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    data = make_zip(1000)
    api_server.on("GET", EXPORT, Reply(503, body="busy"), zip_reply(data))
    await client.export_website("p1", "w1", tmp_path / "site.zip")
    assert (tmp_path / "site.zip").read_bytes() == data


def _corrupt_crc(data: bytes) -> bytes:
    """Flip one byte inside the stored asset so its CRC no longer matches."""
    corrupted = bytearray(data)
    corrupted[len(data) // 2] ^= 0xFF
    return bytes(corrupted)


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (lambda d: d[: len(d) - 200], "application/zip", "not a valid ZIP"),  # complete response, truncated archive
        (lambda d: os.urandom(5000), "application/zip", "not a valid ZIP"),
        (_corrupt_crc, "application/zip", "fails its checksum"),
        (lambda d: b'{"ok": true}', "application/json", "the server sent application/json"),
        (lambda d: b"", "application/zip", "not a valid ZIP"),
    ],
    ids=["truncated", "garbage", "crc", "json", "empty"],
)
async def test_a_bad_archive_is_rejected_and_nothing_is_left(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path, body, content_type: str, message: str
) -> None:
    dest = tmp_path / "site.zip"
    api_server.on("GET", EXPORT, Reply(200, body=body(make_zip(20_000)), content_type=content_type))
    with pytest.raises(errors.InvalidResponseError, match=message):
        await client.export_website("p1", "w1", dest)
    assert leftovers(tmp_path) == []


async def test_a_dropped_connection_mid_download_leaves_the_old_file_and_no_temp(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    dest = tmp_path / "site.zip"
    dest.write_bytes(b"previous export")
    data = make_zip()
    api_server.on("GET", EXPORT, zip_reply(data, drop_after=len(data) // 2))
    with pytest.raises(errors.NetworkError, match="broke off") as info:
        await client.export_website("p1", "w1", dest)
    assert f"of {len(data):,} bytes" in str(info.value)
    assert dest.read_bytes() == b"previous export"
    assert leftovers(tmp_path) == ["site.zip"]
    assert len(api_server.requests_to("GET", EXPORT)) == 1  # a broken body is not silently re-downloaded


async def test_cancelling_mid_download_leaves_nothing(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    data = make_zip()
    api_server.on("GET", EXPORT, zip_reply(data, stall_after=len(data) // 3))
    dest = tmp_path / "site.zip"
    first_bytes = asyncio.Event()
    temp_seen: list[list[str]] = []

    def progress(done: int, total: int | None) -> None:
        if done > 0 and not first_bytes.is_set():
            temp_seen.append(leftovers(tmp_path))
            first_bytes.set()

    task = asyncio.create_task(client.export_website("p1", "w1", dest, progress=progress))
    await asyncio.wait_for(first_bytes.wait(), timeout=20)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(temp_seen[0]) == 1 and temp_seen[0][0].endswith(".part")  # a temp file did exist
    assert leftovers(tmp_path) == []


async def test_a_failing_progress_callback_aborts_cleanly(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    api_server.on("GET", EXPORT, zip_reply(make_zip()))

    def progress(done: int, total: int | None) -> None:
        if done > 100_000:
            raise RuntimeError("disk dialog closed")

    with pytest.raises(RuntimeError, match="disk dialog closed"):
        await client.export_website("p1", "w1", tmp_path / "site.zip", progress=progress)
    assert leftovers(tmp_path) == []


async def test_export_to_a_missing_folder_is_an_os_error(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    api_server.on("GET", EXPORT, zip_reply(make_zip(1000)))
    with pytest.raises(FileNotFoundError):
        await client.export_website("p1", "w1", tmp_path / "missing" / "site.zip")
    assert leftovers(tmp_path) == []


async def test_an_error_reply_whose_body_breaks_off_is_still_mapped(
    client: CodaiqClient, api_server: ScriptedServer, tmp_path: Path
) -> None:
    api_server.on("GET", EXPORT, Reply(500, body="x" * 10_000, drop_after=100))
    with pytest.raises(errors.ServerError, match="HTTP 500"):
        await client.export_website("p1", "w1", tmp_path / "site.zip")
    assert leftovers(tmp_path) == []
