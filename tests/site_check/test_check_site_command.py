"""``codaiq-desktop check-site``: against a real sandbox and deliberately broken sites on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from codaiq_desktop.cli import main
from tests.site_check.site_server import LOGO, page, serve

FINDING_KEYS = {"check", "severity", "page", "element", "message", "fix", "origin", "fromGenerator"}
PAGE_KEYS = {"path", "url", "status", "title", "htmlBytes", "weightBytes", "findings"}
REPORT_KEYS = {
    "schema",
    "websiteId",
    "source",
    "checkedAt",
    "durationSeconds",
    "accessibility",
    "summary",
    "passed",
    "pages",
    "changes",
    "notes",
}

BROKEN_PAGE = page(
    title=None,
    body='<h1>One</h1><h1>Two</h1><img src="logo.svg"><a href="gone.html">Gone</a>'
    '<form><input name="q" type="text"></form>',
)


@pytest.fixture(scope="module")
def site(sandbox) -> tuple[str, str, dict[str, Any]]:
    project_id, website_id = sandbox.generate("A florist in York")
    website = sandbox.wait_ready(project_id, website_id)
    assert website["metadata"]["buildStatus"] == "ready"
    return project_id, website_id, website


@pytest.fixture
def env(sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODAIQ_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("CODAIQ_API_KEY", sandbox.api_key)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check-site", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_of_a_sandbox_site_passes_and_has_the_documented_shape(env, site, capsys) -> None:
    project_id, website_id, _website = site
    code, out, _err = run(capsys, project_id, website_id, "--json", "--no-accessibility")
    report = json.loads(out)
    assert code == 0, out
    assert set(report) == REPORT_KEYS
    assert report["schema"] == 1
    assert report["websiteId"] == website_id
    assert report["source"].endswith(f"/sites/{website_id}/")
    assert report["passed"] is True
    assert report["accessibility"] == "skipped"
    assert report["summary"]["errors"] == 0 and report["summary"]["pages"] == len(report["pages"]) >= 4
    for page_report in report["pages"]:
        assert set(page_report) == PAGE_KEYS
        assert page_report["status"] == 200 and page_report["weightBytes"] >= page_report["htmlBytes"] > 0
        for finding in page_report["findings"]:
            assert FINDING_KEYS <= set(finding)
            assert finding["severity"] in ("warning", "info")
    assert report["pages"][0]["path"] == "/"


def test_a_broken_site_exits_1_and_names_each_problem(env, site, capsys) -> None:
    project_id, website_id, _website = site
    with serve({"index.html": BROKEN_PAGE, "logo.svg": LOGO}) as broken:
        code, out, _err = run(
            capsys, project_id, website_id, "--url", broken.url, "--json", "--no-accessibility", "--no-history"
        )
    report = json.loads(out)
    assert code == 1
    assert report["passed"] is False
    errors = {
        (f["check"], f["element"].split(" (line")[0])
        for f in report["pages"][0]["findings"]
        if f["severity"] == "error"
    }
    assert {
        ("title", "head"),
        ("h1-count", "h1 \u201cTwo\u201d"),
        ("img-alt", 'img[src="logo.svg"]'),
        ("link-broken", 'a[href="gone.html"] \u201cGone\u201d'),
        ("form-label", 'input[name="q"][type]'),
    } - errors <= {("form-label", 'input[name="q"][type]')}
    assert any(check == "form-label" and element.startswith('input[name="q"]') for check, element in errors)
    assert report["summary"]["errors"] == 5


def test_text_output_says_how_to_fix_and_where_it_comes_from(env, site, capsys) -> None:
    project_id, website_id, _website = site
    with serve({"index.html": BROKEN_PAGE, "logo.svg": LOGO}) as broken:
        code, out, err = run(capsys, project_id, website_id, "--url", broken.url, "--no-accessibility", "--no-history")
    assert code == 1
    assert "ERROR  img-alt:" in out
    assert 'element: img[src="logo.svg"] (line' in out
    assert "fix: Add alt=" in out
    assert "Comes from the generated site, not from your edits." in out
    # The one warning: the page's description is not the website's saved one (the --url site is another).
    assert out.rstrip().splitlines()[-1] == "1 page checked: 5 errors, 1 warning."
    assert "WARNING  metadata-sync:" in out
    assert "Reading" in err  # progress goes to stderr


def test_a_second_run_reports_what_changed(env, site, capsys) -> None:
    project_id, website_id, _website = site
    with serve({"index.html": BROKEN_PAGE, "logo.svg": LOGO}) as broken:
        run(capsys, project_id, website_id, "--url", broken.url, "--json", "--no-accessibility")
        broken.files["index.html"] = BROKEN_PAGE.replace('<img src="logo.svg">', '<img src="logo.svg" alt="">').encode()
        code, out, _err = run(capsys, project_id, website_id, "--url", broken.url, "--json", "--no-accessibility")
    changes = json.loads(out)["changes"]
    assert code == 1
    assert [f["check"] for f in changes["fixed"]] == ["img-alt"]
    assert changes["new"] == [] and changes["unchanged"] == 5  # four errors and the metadata-sync warning


def test_an_exported_zip_is_checked_from_a_file(env, site, capsys, tmp_path: Path) -> None:
    project_id, website_id, _website = site
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("index.html", BROKEN_PAGE)
    code, out, _err = run(capsys, project_id, website_id, "--zip", str(archive), "--json", "--no-accessibility")
    report = json.loads(out)
    assert code == 1 and report["source"] == "zip:site.zip"
    assert report["pages"][0]["status"] is None
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    code, out, err = run(capsys, project_id, website_id, "--zip", str(tmp_path / "bad.zip"))
    assert code == 1 and out == "" and "is not a readable ZIP archive" in err


def test_unknown_website_and_bad_usage_have_their_exit_codes(env, site, capsys) -> None:
    project_id, _website_id, _website = site
    code, _out, err = run(capsys, project_id, "web_nope", "--no-accessibility")
    assert code == 4 and "error:" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["check-site", project_id])
    assert exit_info.value.code == 2


def test_the_accessibility_audit_runs_from_the_command_line(sandbox, site, tmp_path: Path) -> None:
    """The installed command, in its own process, with Qt WebEngine offscreen (no display)."""
    project_id, website_id, _website = site
    body = (
        '<h1>Bread</h1><img src="logo.svg"><form><input name="q" type="text"></form>'
        '<p style="color:#bbb;background:#fff">Low contrast text</p>'
    )
    environment = {
        **os.environ,
        "CODAIQ_BASE_URL": sandbox.base_url,
        "CODAIQ_API_KEY": sandbox.api_key,
        "QT_QPA_PLATFORM": "offscreen",
    }
    environment.pop("DISPLAY", None)
    with serve({"index.html": page(body=body), "logo.svg": LOGO}) as broken:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "codaiq_desktop",
                "check-site",
                project_id,
                website_id,
                "--url",
                broken.url,
                "--json",
                "--no-history",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=environment,
        )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["accessibility"] == "checked"
    axe = {f["check"]: f for f in report["pages"][0]["findings"] if f["check"].startswith("axe:")}
    assert {"axe:image-alt", "axe:label", "axe:color-contrast"} <= set(axe), sorted(axe)
    assert axe["axe:image-alt"]["impact"] == "critical" and axe["axe:image-alt"]["severity"] == "error"
    assert axe["axe:color-contrast"]["impact"] == "serious"
    assert "img" in axe["axe:image-alt"]["element"]
    assert "Traceback" not in result.stderr


def test_export_downloads_the_zip_and_checks_it(env, site, capsys) -> None:
    project_id, website_id, _website = site
    code, out, _err = run(capsys, project_id, website_id, "--export", "--json", "--no-accessibility", "--no-history")
    report = json.loads(out)
    assert report["source"].startswith("zip:") and report["source"].endswith(".zip")
    assert len(report["pages"]) >= 4 and all(p["status"] is None for p in report["pages"])
    # What a client would upload: no error (the lead form posts to the service, not to this computer).
    assert code == 0, [f for p in report["pages"] for f in p["findings"] if f["severity"] == "error"]
