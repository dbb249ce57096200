"""The accessibility audit of the site check: axe-core run on each page inside Qt WebEngine.

Qt WebEngine is the engine the preview already uses, so the audit sees the pages as the
preview shows them: laid out at a desktop size (colour contrast is judged as rendered).
The page is never shown: it lives in a view with ``WA_DontShowOnScreen``, which renders
like a visible window (a hidden page's timers are throttled) but never reaches the screen.

axe-core's script ships as a resource (``resources/axe/axe.min.js``). Its answer comes
back through a console message carrying a per-run random token, so nothing waits in a
polling loop and a page's own script cannot pass itself off as the audit. The profile injects
axe-core into each page it loads (a ``QWebEngineScript``), so the script crosses to Chromium
once per check.

:class:`AxeAuditor` is signal-driven; :class:`AxeAuditSession` feeds it page by page from
the site check on the app's qasync loop (the Projects tab), :func:`audit_pages` awaits a
list of pages there, and :func:`audit_pages_blocking` runs one to the end for the command line.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import secrets
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal

from codaiq_desktop.resources import resource_path
from codaiq_desktop.site_check import USER_AGENT, AuditOutcome
from codaiq_desktop.site_check.sources import OWNER_HEADER

log = logging.getLogger(__name__)

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""WCAG 2.1 A and AA: the rules a client's site is usually held to."""
PAGE_TIMEOUT_MS = 20_000
PARALLEL_PAGES = 2
"""Pages audited side by side: each page's axe run keeps one core busy in its renderer process."""
VIEWPORT = (1280, 900)

_RUN_SCRIPT = """
(function (token, tags) {
  function send(payload) { console.info(token + JSON.stringify(payload)); }
  function summary(n) {  // what the v1 reporter calls failureSummary, from the checks that failed
    var parts = [], all = (n.all || []).concat(n.none || []).map(function (c) { return c.message; }),
        any = (n.any || []).map(function (c) { return c.message; });
    if (all.length) parts.push('Fix all of the following: ' + all.join('; '));
    if (any.length) parts.push('Fix any of the following: ' + any.join('; '));
    return parts.join(' ');
  }
  if (typeof window.axe === 'undefined') { send({error: 'axe-core did not load in the page'}); return; }
  // no-passes: axe-core skips building the passed results it would otherwise report (faster)
  axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], reporter: 'no-passes'})
    .then(function (r) {
      send({violations: r.violations.map(function (v) {
        return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, description: v.description,
                nodes: v.nodes.map(function (n) {
                  return {target: n.target.map(String), html: String(n.html || '').slice(0, 300),
                          failureSummary: n.failureSummary || summary(n)};
                })};
      })});
    }, function (e) { send({error: String(e)}); });
})(%s, %s);
"""


def axe_script() -> str:
    """axe-core's script, from the app's resources (raises ``ResourceNotFoundError`` on a broken install)."""
    return _read_axe_script()


@functools.cache
def _read_axe_script() -> str:
    return resource_path("axe/axe.min.js").read_text(encoding="utf-8")


def allow_webengine_as_root() -> None:
    """Chromium refuses to start its sandbox as root (containers, CI): turn it off there only."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def _make_interceptor(origins: set[tuple[str, str, int]]) -> Any:
    """Marks requests to the audited site as the owner's (not counted as visits); blocks non-web schemes."""
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

    class SiteRequests(QWebEngineUrlRequestInterceptor):
        def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
            url = info.requestUrl()
            scheme = url.scheme().lower()
            if scheme not in ("http", "https", "data", "blob", "about"):
                info.block(True)
            elif (scheme, url.host(), url.port(-1)) in origins:
                info.setHttpHeader(OWNER_HEADER.encode(), b"site-check")

    return SiteRequests()


def _make_page_class() -> type:
    """Define the QWebEnginePage subclass on first use (importing WebEngine is slow)."""
    from PySide6.QtWebEngineCore import QWebEnginePage

    class AuditPage(QWebEnginePage):
        """Hands console lines that start with the run's token to ``on_message``; drops the rest."""

        def __init__(self, profile: Any, token: str, parent: QObject | None = None) -> None:
            super().__init__(profile, parent)
            self.token = token
            self.on_message: Any = None

        def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:
            if message.startswith(self.token) and self.on_message is not None:
                self.on_message(message[len(self.token) :])

        def javaScriptAlert(self, origin: Any, text: str) -> None:
            return None

        def javaScriptConfirm(self, origin: Any, text: str) -> bool:
            return False

        def javaScriptPrompt(self, origin: Any, text: str, default: str) -> tuple[bool, str]:
            return False, ""

    return AuditPage


class _AuditTab:
    """One hidden page auditing one URL at a time (the auditor runs a few side by side)."""

    def __init__(self, auditor: AxeAuditor, profile: Any, token: str) -> None:
        from PySide6.QtWebEngineCore import QWebEngineSettings
        from PySide6.QtWebEngineWidgets import QWebEngineView

        self.auditor = auditor
        self.target: tuple[str, str] | None = None
        self.started_at = 0.0
        page = _make_page_class()(profile, token, auditor)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, False)
        page.on_message = self._on_message
        page.loadFinished.connect(self._on_loaded)
        view = QWebEngineView()
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        view.setPage(page)
        view.resize(*VIEWPORT)
        view.show()  # rendered, never on screen
        self.page: Any = page
        self.view: Any = view
        self.timer = QTimer(auditor)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAGE_TIMEOUT_MS)
        self.timer.timeout.connect(lambda: self._done(failure=f"no answer within {PAGE_TIMEOUT_MS // 1000} s"))

    def audit(self, target: tuple[str, str]) -> None:
        self.target = target
        self.started_at = time.perf_counter()
        self.timer.start()
        self.page.load(QUrl(target[1]))

    def _on_loaded(self, ok: bool) -> None:
        if self.target is None:
            return
        log.debug("Loaded %s in %.0f ms", self.target[1], (time.perf_counter() - self.started_at) * 1000)
        if not ok:
            self._done(failure=f"{self.target[1]} did not load")
            return
        # axe-core itself came with the page (the profile injects it at DOMContentLoaded): only run it.
        self.page.runJavaScript(_RUN_SCRIPT % (json.dumps(self.page.token), json.dumps(list(AXE_TAGS))))

    def _on_message(self, text: str) -> None:
        if self.target is None:
            return
        try:
            payload = json.loads(text)
        except ValueError:
            self._done(failure="axe-core's answer could not be read")
            return
        if "error" in payload:
            self._done(failure=str(payload["error"]))
        else:
            self._done(violations=list(payload.get("violations") or []))

    def _done(self, *, violations: list[dict[str, Any]] | None = None, failure: str | None = None) -> None:
        target, self.target = self.target, None
        self.timer.stop()
        if target is not None:
            log.debug("Audited %s in %.0f ms", target[0], (time.perf_counter() - self.started_at) * 1000)
            self.auditor.tab_done(self, target[0], violations, failure)

    def close(self, profile: Any) -> None:
        self.target = None
        self.timer.stop()
        self.page.on_message = None
        self.view.hide()
        self.view.setPage(None)
        self.view.deleteLater()
        if profile is not None:  # a profile must outlive its pages
            self.page.destroyed.connect(profile.deleteLater)
        self.page.deleteLater()


class AxeAuditor(QObject):
    """Audits pages in a few hidden pages side by side; emits the result of each and of the run.

    Pages can be added while it runs (:meth:`add`, as a crawl finds them); :meth:`close`
    says no more will come, and ``sig_finished`` follows once the last one is done.
    """

    sig_page_audited = Signal(str, int, int)
    """A page is done: (its path, pages done, pages added so far), for progress."""
    sig_finished = Signal(object)
    """All done (or cancelled): ``{path: [violation dicts]}`` for the pages that could be audited."""

    def __init__(self, parent: QObject | None = None, *, parallel: int = PARALLEL_PAGES) -> None:
        super().__init__(parent)
        self.results: dict[str, list[dict[str, Any]]] = {}
        self.failures: dict[str, str] = {}
        """Pages that could not be audited, and why (in words)."""
        self.script = ""
        self._parallel = max(1, parallel)
        self._queue: list[tuple[str, str]] = []
        self._total = 0
        self._done_count = 0
        self._tabs: list[_AuditTab] = []
        self._profile: Any = None
        self._interceptor: Any = None
        self._origins: set[tuple[str, str, int]] = set()
        self._token = "__codaiq_axe_" + secrets.token_hex(8) + "__"
        self._engine_error: str | None = None
        self._closed = False
        self._finished = False

    def start(self, targets: Sequence[tuple[str, str]]) -> None:
        """Audit ``[(page path, url)]`` and no more; ``sig_finished`` follows (also when nothing could be audited)."""
        for path, url in targets:
            self.add(path, url)
        self.close()

    def add(self, path: str, url: str) -> None:
        """Queue one page; it is loaded as soon as one of the hidden pages is free."""
        if self._finished or self._closed:
            return
        self._total += 1
        if not self._ensure_engine():
            self.failures[path] = f"the audit could not start ({self._engine_error})"
            return
        parsed = QUrl(url)
        self._origins.add((parsed.scheme().lower(), parsed.host(), parsed.port(-1)))
        self._queue.append((path, url))
        self._dispatch()

    def close(self) -> None:
        """No more pages: finish when the queued ones are done."""
        self._closed = True
        self._maybe_finish()

    def cancel(self) -> None:
        """Stop now; ``sig_finished`` carries what was done."""
        self._queue = []
        self._finish()

    def _ensure_engine(self) -> bool:
        if self._profile is not None:
            return True
        if self._engine_error is not None:
            return False
        try:
            from PySide6.QtWebEngineCore import QWebEngineProfile

            self.script = axe_script()
            self._profile = QWebEngineProfile(self)  # off the record: nothing written to disk
            self._profile.setHttpUserAgent(f"{self._profile.httpUserAgent()} {USER_AGENT}")
            # Injected by the engine into every page it loads, so the 570 kB script crosses from
            # Python to Chromium once per check, not once per page on the UI thread.
            from PySide6.QtWebEngineCore import QWebEngineScript

            injected = QWebEngineScript()
            injected.setName("axe-core")
            injected.setSourceCode(self.script)
            injected.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
            injected.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
            injected.setRunsOnSubFrames(False)
            self._profile.scripts().insert(injected)
            self._interceptor = _make_interceptor(self._origins)
            self._interceptor.setParent(self._profile)
            self._profile.setUrlRequestInterceptor(self._interceptor)
        except Exception as exc:  # noqa: BLE001 - a missing resource or a WebEngine that cannot start
            log.warning("The accessibility audit could not start: %s", exc)
            self._engine_error = str(exc)
            self._profile = None
            return False
        return True

    def _dispatch(self) -> None:
        if self._finished:
            return
        for tab in self._tabs:
            if tab.target is None and self._queue:
                tab.audit(self._queue.pop(0))
        while self._queue and len(self._tabs) < self._parallel:
            tab = _AuditTab(self, self._profile, self._token)
            self._tabs.append(tab)
            tab.audit(self._queue.pop(0))
        self._maybe_finish()

    def _maybe_finish(self) -> None:
        if self._closed and not self._queue and all(tab.target is None for tab in self._tabs):
            self._finish()

    def tab_done(self, tab: _AuditTab, path: str, violations: list[dict[str, Any]] | None, failure: str | None) -> None:
        """A tab finished auditing ``path`` (its violations, or why it could not)."""
        if self._finished:
            return
        if failure is not None:
            self.failures[path] = failure
        else:
            self.results[path] = violations or []
        self._done_count += 1
        self.sig_page_audited.emit(path, self._done_count, self._total)
        QTimer.singleShot(0, self, self._dispatch)  # not from inside WebEngine's callback

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._closed = True
        profile, self._profile = self._profile, None
        tabs, self._tabs = self._tabs, []
        for tab in tabs:
            tab.close(None)
        if profile is not None:
            if tabs:
                tabs[-1].page.destroyed.connect(profile.deleteLater)
            else:
                profile.deleteLater()
        self.sig_finished.emit(self.results)


class AxeAuditSession:
    """The audit as the site check feeds it: pages added while the crawl finds them, on the app's loop.

    Starting axe-core on the home page while the crawl is still reading the other pages
    overlaps the two slowest parts of a check.
    """

    def __init__(self) -> None:
        self.auditor = AxeAuditor()
        self._released = False

    def add(self, path: str, url: str) -> None:
        self.auditor.add(path, url)

    async def finish(self) -> AuditOutcome:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[AuditOutcome] = loop.create_future()

        def done(_results: object) -> None:
            if not future.done():
                future.set_result(AuditOutcome(dict(self.auditor.results), dict(self.auditor.failures)))

        self.auditor.sig_finished.connect(done)
        self.auditor.close()
        try:
            return await future
        finally:
            self.cancel()

    def cancel(self) -> None:
        if not self._released:
            self._released = True
            self.auditor.cancel()
            self.auditor.deleteLater()


async def audit_pages(targets: Sequence[tuple[str, str]]) -> AuditOutcome:
    """Audit ``targets`` on the app's (qasync) loop; cancelling the task stops the audit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[AuditOutcome] = loop.create_future()
    auditor = AxeAuditor()

    def done(_results: object) -> None:
        if not future.done():
            future.set_result(AuditOutcome(dict(auditor.results), dict(auditor.failures)))

    auditor.sig_finished.connect(done)
    auditor.start(targets)
    try:
        return await future
    finally:
        auditor.cancel()
        auditor.deleteLater()


def audit_pages_blocking(targets: Sequence[tuple[str, str]]) -> AuditOutcome:
    """Run the audit to its end in a Qt event loop of its own (the command line has no other)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop
    from PySide6.QtWidgets import QApplication

    allow_webengine_as_root()
    app = QApplication.instance()
    if app is None:
        from PySide6.QtCore import qInstallMessageHandler

        # Qt's notes about GPUs a headless terminal does not have go to the log, not into the report.
        qt_log = logging.getLogger("codaiq_desktop.qt")
        qInstallMessageHandler(lambda _kind, _context, message: qt_log.debug("%s", message))
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and os.name == "posix":
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed to audit
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-logging")
        import PySide6.QtWebEngineWidgets  # noqa: F401 - must be imported before the application exists

        app = QApplication([])
    loop = QEventLoop()
    auditor = AxeAuditor()
    auditor.sig_finished.connect(lambda _results: loop.quit())
    QTimer.singleShot(0, lambda: auditor.start(targets))
    loop.exec()
    for _ in range(3):  # the pages, then their profile (deleted once the pages are gone)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    return AuditOutcome(dict(auditor.results), dict(auditor.failures))
