"""The client sub-commands of `codaiq-desktop`, run against the scripted server."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from codaiq_desktop.cli import main
from codaiq_desktop.cli.client_commands import ProgressBar, format_bytes
from tests.api.conftest import API_KEY, make_zip, project_reply_json, website_json
from tests.api.scripted_server import Reply, ScriptedServer


@pytest.fixture
def env(api_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]) -> ScriptedServer:
    """Point the CLI at the scripted server through the environment, as a user would."""
    monkeypatch.setenv("CODAIQ_BASE_URL", api_server.base_url)
    monkeypatch.setenv("CODAIQ_API_KEY", API_KEY)
    return api_server


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert API_KEY not in captured.out + captured.err
    return code, captured.out, captured.err


def test_projects_lists_as_a_table(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on(
        "GET",
        "/api/project",
        Reply(
            json={
                "projects": [
                    {"id": "p1", "name": "Bakery", "createdAt": "2026-04-21T10:00:00Z", "websites": [website_json()]},
                    {"id": "p2", "name": "Florist", "websites": []},
                ]
            }
        ),
    )
    code, out, _ = run(capsys, "projects")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["PROJECT", "NAME", "WEBSITES", "CREATED"]
    assert lines[1].split() == ["p1", "Bakery", "1", "2026-04-21"]
    assert lines[2].split() == ["p2", "Florist", "0"]
    assert env.requests[0].headers["x-api-key"] == API_KEY


def test_projects_json_is_the_apis_json(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    body = {"projects": [{"id": "p1", "name": "Bakery", "websites": [], "futureField": True}]}
    env.on("GET", "/api/project", Reply(json=body))
    code, out, _ = run(capsys, "projects", "--json")
    assert code == 0 and json.loads(out) == body


def test_projects_with_an_id_shows_its_websites(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on(
        "GET",
        "/api/project",
        Reply(
            json=project_reply_json(
                "p1", [website_json("w1", status="building", buildProgress=40), website_json("w2", status="ready")]
            )
        ),
    )
    code, out, _ = run(capsys, "projects", "p1")
    assert code == 0
    assert "Bakery project  [p1]" in out
    assert any(line.split()[:4] == ["w1", "Bakery", "building", "40%"] for line in out.splitlines())
    assert env.requests[0].query == {"projectId": "p1"}


def test_generate_prints_ids(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on("POST", "/api/generate", Reply(202, json={"projectId": "p1", "websiteId": "w1", "status": "queued"}))
    code, out, _ = run(capsys, "generate", "--prompt", "A bakery", "--name", "Bakery")
    assert code == 0
    assert out.strip() == "Generating website w1 in project p1 (status: queued)."
    assert env.requests[0].json() == {"prompt": "A bakery", "name": "Bakery"}


def build_states(*states: tuple[str, dict]) -> list[Reply]:
    return [Reply(json=project_reply_json("p1", [website_json("w1", status=s, **meta)])) for s, meta in states]


def test_generate_wait_follows_the_build(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on("POST", "/api/generate", Reply(202, json={"projectId": "p1", "websiteId": "w1", "status": "queued"}))
    env.on(
        "GET",
        "/api/project",
        *build_states(("queued", {}), ("building", {"buildProgress": 50, "buildStep": "Pages"}), ("ready", {})),
    )
    code, out, err = run(capsys, "generate", "--prompt", "A bakery", "--wait")
    assert code == 0
    assert out.strip() == "Website w1 is ready (project p1)."
    assert "building - 50% - Pages" in err and "ready" in err


def test_generate_wait_json_and_failed_build_exit_code(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on("POST", "/api/generate", Reply(202, json={"projectId": "p1", "websiteId": "w1", "status": "queued"}))
    env.on("GET", "/api/project", *build_states(("failed", {"buildError": "Unsafe prompt"})))
    code, out, err = run(capsys, "generate", "--prompt", "x", "--wait", "--json")
    assert code == 8
    data = json.loads(out)
    assert data["status"] == "failed" and data["website"]["metadata"]["buildError"] == "Unsafe prompt"
    assert "the build failed: Unsafe prompt" in err


@pytest.mark.parametrize("as_json", [False, True])
def test_generate_wait_timeout_has_its_own_exit_code(
    env: ScriptedServer, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    env.on("POST", "/api/generate", Reply(202, json={"projectId": "p1", "websiteId": "w1", "status": "queued"}))
    env.on("GET", "/api/project", *build_states(("building", {"buildProgress": 40, "buildStep": "Pages"})))
    flags = ["--json"] if as_json else []
    code, out, err = run(capsys, "generate", "--prompt", "A bakery", "--wait", "--wait-timeout", "5", *flags)
    assert code == 9  # not 6 (network) nor 8 (failed): the build may still finish
    assert "did not finish within" in err and "at 40%" in err and "check again later" in err
    if as_json:
        data = json.loads(out)  # the ids, to look again later
        assert (data["projectId"], data["websiteId"], data["status"]) == ("p1", "w1", "building")
        assert data["website"]["metadata"]["buildProgress"] == 40
    else:
        assert "w1" in err and "p1" in err and out == ""


def test_analytics_text_and_range(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on(
        "GET",
        "/api/analytics",
        Reply(
            json={
                "websiteId": "w1",
                "range": "30d",
                "totalPageviews": 1234,
                "uniqueVisitors": 56,
                "topPages": [{"path": "/about", "pageviews": 34}],
                "referrers": [{"source": "google", "visits": 12}],
            }
        ),
    )
    code, out, _ = run(capsys, "analytics", "w1", "--range", "30d")
    assert code == 0
    assert "Pageviews:        1,234" in out and "Unique visitors:  56" in out
    assert "34  /about" in out and "12  google" in out
    assert env.requests[0].query == {"websiteId": "w1", "range": "30d"}


def test_analytics_rejects_an_unknown_range(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["analytics", "w1", "--range", "1y"])
    assert info.value.code == 2
    assert env.requests == []


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<h1>Hi</h1>")
    return buffer.getvalue()


def test_export_saves_the_zip_and_refuses_to_overwrite(
    env: ScriptedServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = _zip_bytes()
    env.on("GET", "/api/export", Reply(body=data, content_type="application/zip"))
    dest = tmp_path / "site.zip"
    code, out, _ = run(capsys, "export", "p1", "w1", "-o", str(dest))
    assert code == 0 and dest.read_bytes() == data
    assert out.strip() == f"Saved {dest} ({len(data)} bytes)."
    code, _, err = run(capsys, "export", "p1", "w1", "-o", str(dest))
    assert code == 2 and "--force" in err
    code, out, _ = run(capsys, "export", "p1", "w1", "-o", str(dest), "--force", "--json")
    assert code == 0 and json.loads(out) == {"path": str(dest), "bytes": len(data)}


def test_export_of_a_corrupt_zip_exits_7_and_leaves_nothing(
    env: ScriptedServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    env.on("GET", "/api/export", Reply(body=_zip_bytes()[:-30], content_type="application/zip"))
    code, _, err = run(capsys, "export", "p1", "w1", "-o", str(tmp_path / "site.zip"))
    assert code == 7 and "not a valid ZIP" in err
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_draws_in_place() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True)
    bar.update(0, 2_000_000)
    bar.update(1_000_000, 2_000_000)  # within 0.1 s of the last draw: skipped
    bar.update(2_000_000, 2_000_000)  # complete: always drawn
    bar.finish()
    frames = stream.getvalue().split("\r")[1:]
    assert frames[0].startswith("Downloading [------------------------------]   0%  0 bytes / 2.0 MB")
    assert frames[1].startswith("Downloading [##############################] 100%  2.0 MB / 2.0 MB")
    assert stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar(quiet, enabled=False).update(5, 10)
    assert quiet.getvalue() == ""
    assert format_bytes(999) == "999 bytes" and format_bytes(1_500) == "1.5 kB"


def test_lead_submit(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on("POST", "/api/leads/submit", Reply(201, json={"leadId": "l9", "websiteId": "w1"}))
    code, out, _ = run(
        capsys,
        "lead",
        "submit",
        "--website",
        "w1",
        "--name",
        "Jane",
        "--email",
        "jane@example.com",
        "--message",
        "Hello",
    )
    assert code == 0 and out.strip() == "Lead l9 was recorded for website w1."
    assert env.requests[0].json() == {
        "websiteId": "w1",
        "name": "Jane",
        "email": "jane@example.com",
        "message": "Hello",
    }


@pytest.mark.parametrize(
    ("reply", "exit_code", "words"),
    [
        (Reply(401, json={"error": {"code": "unauthorized", "message": "Unknown API key"}}), 3, "Unknown API key"),
        (Reply(403, json={"error": {"code": "forbidden", "message": "Not your project"}}), 3, "Not your project"),
        (Reply(404, json={"error": {"code": "not_found", "message": "No such project"}}), 4, "No such project"),
        (Reply(429, headers={"Retry-After": "7200"}), 5, "retry in 2 h"),
        (Reply(400, json={"error": {"code": "bad", "message": "Bad id"}}), 1, "Bad id"),
        (Reply(500, body="boom"), 1, "HTTP 500"),
        (Reply(200, body="<html></html>", content_type="text/html"), 7, "where JSON was expected"),
    ],
)
def test_errors_become_exit_codes_and_one_line_messages(
    env: ScriptedServer, capsys: pytest.CaptureFixture[str], reply: Reply, exit_code: int, words: str
) -> None:
    env.on("GET", "/api/project", reply)
    code, out, err = run(capsys, "projects", "p1")
    assert code == exit_code
    assert out == ""
    assert err.startswith("error: ") and words in err and "Traceback" not in err


def test_network_failure_exits_6(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sleeps: list[float]
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = run(capsys, "projects", "--base-url", f"http://127.0.0.1:{port}/api", "--api-key", API_KEY)
    assert code == 6 and "Could not connect" in err


def test_usage_errors_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CODAIQ_API_KEY", raising=False)
    code, _, err = run(capsys, "projects")
    assert code == 2 and "CODAIQ_API_KEY" in err
    code, _, err = run(capsys, "projects", "--api-key", API_KEY, "--base-url", "codaiq.com")
    assert code == 2 and "https://" in err
    code, _, err = run(
        capsys,
        "lead",
        "submit",
        "--api-key",
        API_KEY,
        "--base-url",
        "http://127.0.0.1:9/api",
        "--website",
        "w1",
        "--name",
        "Jane",
        "--email",
        "nope",
    )
    assert code == 2 and "email" in err  # refused before anything was sent
    with pytest.raises(SystemExit) as info:
        main(["lead"])
    assert info.value.code == 2


def test_api_key_option_wins_over_the_environment(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on("GET", "/api/project", Reply(json={"projects": []}))
    other = "ck_other_key_from_the_option_1234"
    code, out, _ = run(capsys, "projects", "--api-key", other)
    assert code == 0 and "No projects yet" in out
    assert env.requests[0].headers["x-api-key"] == other


def test_low_quota_is_noted_on_stderr(env: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    env.on(
        "GET",
        "/api/project",
        Reply(
            json={"projects": []},
            headers={"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "1893456000"},
        ),
    )
    code, _, err = run(capsys, "projects", "--json")
    assert code == 0 and "note: 3 of 100 API requests left, resets 2030-01-01 00:00 UTC." in err


def test_help_documents_exit_codes_and_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "exit codes:" in text and "CODAIQ_API_KEY" in text and "5  rate limited" in text
    assert "9  generate --wait: the build did not finish within --wait-timeout" in text


def test_console_script_in_a_real_process(api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(json={"projects": [{"id": "p1", "name": "Bakery", "websites": []}]}))
    script = Path(sys.executable).with_name("codaiq-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "codaiq_desktop"]
    environment = {**os.environ, "CODAIQ_BASE_URL": api_server.base_url, "CODAIQ_API_KEY": API_KEY}
    result = subprocess.run(
        [*command, "projects", "--json"], capture_output=True, text=True, timeout=60, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["projects"][0]["id"] == "p1"
    assert API_KEY not in result.stdout + result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signal delivery")
def test_ctrl_c_during_export_exits_130_and_leaves_nothing(api_server: ScriptedServer, tmp_path: Path) -> None:
    data = make_zip()
    api_server.on("GET", "/api/export", Reply(body=data, content_type="application/zip", stall_after=len(data) // 3))
    script = Path(sys.executable).with_name("codaiq-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "codaiq_desktop"]
    environment = {**os.environ, "CODAIQ_BASE_URL": api_server.base_url, "CODAIQ_API_KEY": API_KEY}
    process = subprocess.Popen(
        [*command, "export", "p1", "w1", "-o", str(tmp_path / "site.zip")],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait (bounded) until the download is under way: its temporary file exists.
        for _ in range(3000):
            if any(path.name.endswith(".part") for path in tmp_path.iterdir()):
                break
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        else:
            pytest.fail("the export never started writing")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "Interrupted." in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_profile_saved_by_the_app_supplies_url_and_key(
    api_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from codaiq_desktop.accounts import Account, AccountList, AccountStore, KeyStorage, KeyVault

    monkeypatch.delenv("CODAIQ_API_KEY", raising=False)
    monkeypatch.setenv("CODAIQ_BASE_URL", "http://127.0.0.1:9/api")  # the profile wins over it
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    account = Account(name="Agency", base_url=api_server.base_url, key_storage=KeyStorage.FILE)
    AccountStore().save(AccountList([account], active="Agency"))
    KeyVault().set_key(account, API_KEY, confirmed=True)
    api_server.on("GET", "/api/project", Reply(json={"projects": []}))

    code, out, _ = run(capsys, "projects", "--profile", "Agency")
    assert code == 0 and "No projects yet" in out
    assert api_server.requests[0].headers["x-api-key"] == API_KEY

    code, _, err = run(capsys, "projects", "--profile", "Nobody")
    assert code == 2 and "no profile called 'Nobody'" in err and "'Agency'" in err


def test_a_read_arriving_after_ctrl_c_prints_no_traceback(capsys) -> None:
    """After Ctrl+C mid-download, bytes still arriving wake a read that was cancelled; the
    loop's handler drops that one error quietly and passes every other to asyncio's."""
    import asyncio

    from codaiq_desktop.cli.client_commands import ignore_late_reads

    seen: list[dict] = []

    class Loop(asyncio.SelectorEventLoop):
        def default_exception_handler(self, context: dict) -> None:
            seen.append(context)

    loop = Loop()
    try:
        late = {
            "message": "protocol.data_received() call failed.",
            "exception": asyncio.InvalidStateError(),
            "protocol": object(),
        }
        ignore_late_reads(loop, late)
        other = {"message": "Task exception was never retrieved", "exception": RuntimeError("boom")}
        ignore_late_reads(loop, other)
    finally:
        loop.close()
    assert seen == [other]
    assert capsys.readouterr().err == ""
