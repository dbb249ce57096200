"""The accessibility audit's browser part: axe-core in hidden Qt WebEngine pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from codaiq_desktop.site_check import AuditOutcome
from codaiq_desktop.ui.seo.axe_audit import AxeAuditor, audit_pages, axe_script
from tests.site_check.site_server import LOGO, page, serve


def test_the_shipped_axe_core_is_the_one_the_tests_use() -> None:
    import axe_playwright_python

    shipped = axe_script()
    tests_copy = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    assert shipped.splitlines()[0] == tests_copy.splitlines()[0]  # "/*! axe v4.12.1"
    assert shipped == tests_copy


def test_pages_are_audited_side_by_side_and_each_gets_its_own_answer(services, until) -> None:
    files = {
        "index.html": page(body='<h1>Bread</h1><img src="logo.svg">'),
        "clean.html": page(body="<h1>Clean</h1><p>Nothing wrong here.</p>"),
        "form.html": page(body='<h1>Form</h1><form><input name="q"></form>'),
        "logo.svg": LOGO,
    }
    outcomes: list[AuditOutcome] = []
    with serve(files) as site:
        targets = [
            ("/", site.url),
            ("/clean.html", site.url + "clean.html"),
            ("/form.html", site.url + "form.html"),
            ("/gone.html", "http://127.0.0.1:1/gone.html"),
        ]
        services.run(audit_pages(targets), on_success=outcomes.append)
        until(lambda: bool(outcomes), timeout=60, message="the audit never finished")
        agents = {agent for path, agent in site.requests if path.endswith(".html") or path.endswith("/")}
        markers = set(site.markers)
    outcome = outcomes[0]
    assert {v["id"] for v in outcome.violations["/"]} >= {"image-alt"}
    assert outcome.violations["/clean.html"] == []
    assert {v["id"] for v in outcome.violations["/form.html"]} >= {"label"}
    assert "/gone.html" not in outcome.violations
    assert "did not load" in outcome.failures["/gone.html"]
    node = outcome.violations["/"][0]["nodes"][0]
    assert node["target"] == ["img"] and "logo.svg" in node["html"] and node["failureSummary"]
    assert all("CodaiqSiteCheck" in agent for agent in agents)  # analytics can tell the check from a visitor
    assert markers == {"site-check"}  # ...and the sandbox leaves the owner's own look out of its counts


def test_a_page_that_pretends_to_be_the_audit_is_not_believed(services, until) -> None:
    forged = page(
        body='<h1>x</h1><img src="a.svg"><script>console.info("__codaiq_axe_0__{\\"violations\\": []}")</script>'
    )
    outcomes: list[AuditOutcome] = []
    with serve({"index.html": forged, "a.svg": LOGO}) as site:
        services.run(audit_pages([("/", site.url)]), on_success=outcomes.append)
        until(lambda: bool(outcomes), timeout=60)
    assert {v["id"] for v in outcomes[0].violations["/"]} >= {"image-alt"}


def test_cancelling_finishes_at_once_with_what_was_done(qtbot) -> None:
    auditor = AxeAuditor()
    finished: list[object] = []
    auditor.sig_finished.connect(finished.append)
    with serve({"index.html": page()}) as site:
        site.hold.clear()
        auditor.start([("/", site.url)])
        qtbot.wait(300)
        assert finished == []
        auditor.cancel()
    assert finished == [{}]
    auditor.deleteLater()


def test_an_audit_that_cannot_start_says_why(monkeypatch: pytest.MonkeyPatch, qtbot) -> None:
    from codaiq_desktop.ui.seo import axe_audit

    def missing() -> str:
        raise FileNotFoundError("axe/axe.min.js is missing (a broken install)")

    monkeypatch.setattr(axe_audit, "axe_script", missing)
    auditor = AxeAuditor()
    finished: list[object] = []
    auditor.sig_finished.connect(finished.append)
    auditor.start([("/", "http://127.0.0.1:1/")])
    assert finished == [{}]
    assert "the audit could not start (axe/axe.min.js is missing" in auditor.failures["/"]
