"""After a full working session, the API key and the webhook secret are nowhere they should not be.

Users attach logs, settings and diagnostics to support requests, and a lead inbox gets
backed up. This test runs a real session in-process (``AppServices`` and ``MainWindow``
against the session's sandbox, the services' own receiver and store): it generates a
site, follows the build, edits metadata, exports the ZIP, receives leads, opens every
tab and collects the diagnostics text, with every logger at DEBUG into the app's own
log file. Then it reads every file the session wrote, the diagnostics, the captured
stdout/stderr and every error text it saw, and searches them for both secrets. The only
place either may appear is where the user chose to keep it (the key file, when they
chose file storage; otherwise the keyring, which is no file of ours).
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.diagnostics import collect_diagnostics
from codaiq_desktop.logging_setup import setup_logging
from codaiq_desktop.ui.shell.main_window import TABS
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.tls import ssl_context
from tests.fixtures.qt_async import QtAsyncRunner
from tests.fixtures.receiver import make_event, signed_headers

WEBHOOK_SECRET = "whsec_CANARY_4q9Zt7Wv2Yx8Nb1Mc5Kd3Pf6"
KEPT_ON_PURPOSE = {"keys.json"}  # the 0600 key file, if the user chose it


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """The app's own log set-up, at DEBUG, into the session's state folder; undone afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    path = setup_logging(level=logging.DEBUG, directory=tmp_path / "app" / "state" / "logs")
    try:
        yield path
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def _error_texts(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), "".join(traceback.format_exception(error))])


def test_no_secret_in_any_file_log_diagnostics_or_error_after_a_full_session(
    qtbot,
    qloop: QtAsyncRunner,
    app_log: Path,
    services: AppServices,
    services_key: str,
    main_window,
    until: Callable[..., None],
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    api_key = services_key
    errors: list[BaseException] = []
    assert services.client is not None
    client = services.client

    qloop.run(services.rotate_webhook_secret(WEBHOOK_SECRET, grace_seconds=0.0))

    async def session() -> None:
        result = await client.generate("A flower shop in York with a wedding page", name="York Flowers")
        async for _update in client.wait_for_build(result.project_id, result.website_id, interval=0.1):
            pass
        await client.update_website(
            result.project_id, result.website_id, metadata={"seoTitle": 'Flowers "York"\nfresh'}
        )
        await client.export_website(result.project_id, result.website_id, tmp_path / "exports")
        await client.submit_lead(result.website_id, "Ann Lee", "ann@example.com", message="Hello")
        await client.analytics(result.website_id)
        for bad in (  # failures make error texts too
            client.get_project("proj_missing"),
            client.submit_lead(result.website_id, "", "not-an-email"),
        ):
            try:
                await bad
            except Exception as exc:
                errors.append(exc)

    (tmp_path / "exports").mkdir()
    qloop.run(session(), timeout=60)
    assert services.store is not None
    until(lambda: services.store.count_leads() >= 1, message="the sandbox's lead webhook to arrive")

    # A delivery with a wrong signature: it is refused and recorded, the secret must not be.
    body = json.dumps(make_event("lead.captured")).encode()
    assert services.receiver is not None
    url = services.receiver.url

    async def forged() -> int:  # on the loop: the receiver answers on this same loop
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10.0) as http:
            response = await http.post(url, content=body, headers=signed_headers(body, "wrong-secret-0123456789"))
            return response.status_code

    assert qloop.run(forged()) == 401

    for spec in TABS:  # open every tab
        main_window.tabs.setCurrentWidget(main_window.tab(spec.key))
        qtbot.wait(50)
    diagnostics = collect_diagnostics(log_path=app_log, extra={"Receiver": services.receiver.url})
    main_window.close()  # saves the window state to the settings
    qloop.run(services.aclose())  # flush everything the session writes on close
    services.settings.sync()
    for handler in logging.getLogger().handlers:
        handler.flush()

    captured = capfd.readouterr()
    assert app_log.exists() and app_log.stat().st_size > 0
    texts = {
        "diagnostics": diagnostics,
        "stdout": captured.out,
        "stderr": captured.err,
        **{f"error {i}": _error_texts(exc) for i, exc in enumerate(errors)},
    }
    files = [p for p in (tmp_path / "app").rglob("*") if p.is_file()]
    assert any(p.name.startswith("store.sqlite3") for p in files)
    assert any(p.name == "settings.ini" for p in files)
    assert errors, "the failing calls should have raised"

    found: list[str] = []
    for secret_name, secret in (("API key", api_key), ("webhook secret", WEBHOOK_SECRET)):
        needle = secret.encode()
        for path in files:
            if needle in path.read_bytes() and path.name not in KEPT_ON_PURPOSE:
                found.append(f"{secret_name} in {path.relative_to(tmp_path)}")
        for where, text in texts.items():
            if secret in text:
                found.append(f"{secret_name} in {where}")
    assert found == []
