"""Start the desktop app: QApplication, the qasync loop, ``AppServices``, ``MainWindow``.

The window is shown first; the services (store, webhook receiver, sandbox child process,
API client) come up afterwards on the loop, so start-up never waits on the network.
On close the services stop (the sandbox child with them) before the process exits.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping, Sequence
from typing import TYPE_CHECKING

from codaiq_desktop import __version__
from codaiq_desktop.platform_check import check_gui_environment
from codaiq_desktop.resources import APP_ID

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QtMsgType, QTimer
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def _qt_message_handler(mode: QtMsgType, _context: object, message: str) -> None:
    from PySide6.QtCore import QtMsgType

    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.INFO)
    logging.getLogger("qt").log(level, "%s", message)


def turn_off_chromium_sandbox_as_root(environ: MutableMapping[str, str] | None = None) -> bool:
    """As root, turn off Chromium's sandbox for Qt WebEngine (the preview); True if running as root.

    Chromium refuses to start sandboxed as root ("Running as root without --no-sandbox is
    not supported") and takes the whole process down the moment a preview loads. Root is
    common in containers and on CI machines, so the app sets ``QTWEBENGINE_DISABLE_SANDBOX``
    itself there. It must be set before Qt WebEngine initialises (it is read once).
    """
    env = os.environ if environ is None else environ
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None or geteuid() != 0:
        return False
    env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return True


GC_INTERVAL_MS = 5_000
#: Every how many ticks the timer runs a full (oldest-generation) collection.
GC_FULL_EVERY = 12
#: After start-up, when the objects alive so far are moved out of the collector's reach.
GC_FREEZE_AFTER_MS = 3_000


def _collect_garbage_on_the_gui_thread(parent: QObject) -> QTimer:
    """Run Python's cyclic GC from a timer on the GUI thread, never automatically.

    The store's writer thread and the loop's executor threads allocate too; an automatic
    collection they trigger could destroy a Qt object on the wrong thread (a warning at
    best, a crash at worst). Anki does the same. Returns the timer (keep it alive).

    A full collection walks every tracked object: with Qt, pyqtgraph and numpy loaded
    that alone takes tens of milliseconds, a visible hitch every few seconds. So the
    objects alive once start-up has settled (modules, classes, the widgets) are frozen
    (``gc.freeze()``: never scanned again, never freed, which they would not be anyway);
    the timer collects the young generations each tick and the rest only every
    ``GC_FULL_EVERY`` ticks, over what was created since start-up.
    """
    import gc
    import time

    from PySide6.QtCore import QTimer

    gc.disable()
    ticks = 0

    def collect() -> None:
        nonlocal ticks
        ticks += 1
        generation = 2 if ticks % GC_FULL_EVERY == 0 else 1
        started = time.perf_counter()
        gc.collect(generation)
        took = (time.perf_counter() - started) * 1000
        if took > 50:
            log.info("Garbage collection (generation %d) took %.0f ms", generation, took)

    def freeze() -> None:
        gc.collect()
        gc.freeze()
        log.debug("Moved %d start-up objects out of the collector's reach", gc.get_freeze_count())

    timer = QTimer(parent)
    timer.setInterval(GC_INTERVAL_MS)
    timer.timeout.connect(collect)
    timer.start()
    QTimer.singleShot(GC_FREEZE_AFTER_MS, timer, freeze)
    return timer


def _close_on_terminate(window: QWidget) -> QTimer:
    """Ctrl+C in the terminal or a SIGTERM closes the window: the normal shutdown runs
    (the sandbox child stops, settings are saved) instead of the process just dying.

    Python runs signal handlers only between bytecodes; while Qt waits in C++ nothing
    would run them, so a cheap timer hands control back to Python four times a second.
    """
    import signal

    from PySide6.QtCore import QTimer

    def close(*_: object) -> None:
        window.close()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, close)
    timer = QTimer(window)
    timer.setInterval(250)
    timer.timeout.connect(lambda: None)
    timer.start()
    return timer


def _bring_to_front(window: QWidget) -> None:
    """Show the window above others (un-minimised), as a second launch asked."""
    from PySide6.QtCore import Qt

    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def run_app(argv: Sequence[str]) -> int:
    """Run the app until its window closes; returns the process exit code."""
    # Before anything can load Qt WebEngine; said in the log once logging is set up.
    as_root = turn_off_chromium_sandbox_as_root()
    problem = check_gui_environment()
    if problem:
        # Before Qt: otherwise Qt aborts with a message nobody can act on.
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtCore import Qt, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from codaiq_desktop.ui.shell.main_window import MainWindow
    from codaiq_desktop.ui.common.resources import app_icon
    from codaiq_desktop.ui.services import AppServices
    from codaiq_desktop.ui.common.settings import SettingsKeys, make_settings
    from codaiq_desktop.ui.shell.theme import install_theme

    # Qt WebEngine (the preview) is loaded lazily; it needs this set before the app exists.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    # Fusion: the same look (and QSS behaviour) on every platform. Asked for on the command
    # line Qt reads, after the user's own arguments: ``app.setStyle("Fusion")`` would hand
    # the style back to Python, and wrapping it first builds Python enums for every enum of
    # QStyle, a few milliseconds of start-up for a value nobody reads.
    existing = QApplication.instance()
    app = existing or QApplication([*argv, "-style", "Fusion"])
    assert isinstance(app, QApplication)
    if existing is not None:
        app.setStyle("Fusion")
    app.setApplicationName("Codaiq Desktop")
    app.setOrganizationName("Codaiq")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    # The loop must outlive the last window: shutting the services down needs it.
    app.setQuitOnLastWindowClosed(False)

    # One instance per user (and data folder): a second launch shows the first's window.
    from codaiq_desktop.accounts import data_dir
    from codaiq_desktop.ui.shell.single_instance import (
        AlreadyRunningNoAnswer,
        SingleInstanceServer,
        ask_running_instance,
        instance_name,
    )

    name = instance_name(data_dir())
    try:
        already_running = ask_running_instance(name)
    except AlreadyRunningNoAnswer:
        print(
            "Codaiq Desktop is already running but does not answer. Close it (or end its process) and start again.",
            file=sys.stderr,
        )
        return 1
    single_instance = SingleInstanceServer(name, app)
    if already_running or not single_instance.listen():
        print("Codaiq Desktop is already running: its window was brought to the front.", file=sys.stderr)
        return 0

    settings = make_settings()
    install_theme(app, str(settings.value(SettingsKeys.THEME, "system")))

    gc_timer = _collect_garbage_on_the_gui_thread(app)
    services = AppServices(settings)
    window = MainWindow(services)
    single_instance.sig_activate.connect(lambda: _bring_to_front(window))
    closed_early: list[bool] = []
    window.sig_closed.connect(lambda: closed_early.append(True))  # before show(): a close can come at once
    window.show()
    # Paint the window first, then load asyncio and qasync (time a person would otherwise
    # spend looking at nothing). Nothing before this needs the loop.
    app.processEvents()

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    window.sig_closed.connect(closed.set)
    if closed_early:
        closed.set()

    def _start_logging() -> None:
        # Right after the window shows: the redacting log setup compiles a dozen regular
        # expressions, which would otherwise delay the first window.
        from codaiq_desktop.logging_setup import install_exception_logging, setup_logging

        setup_logging()
        log.info("Main window shown")  # packaging/smoke_test.py and the benchmarks wait for it
        if as_root:
            log.warning(
                "Running as root: the preview runs with Chromium's sandbox turned off "
                "(QTWEBENGINE_DISABLE_SANDBOX=1), as Chromium refuses to run sandboxed as root. "
                "Run Codaiq Desktop as a normal user to keep the sandbox."
            )
        qInstallMessageHandler(_qt_message_handler)
        # The hook may run on a worker thread: a signal carries the text to the status bar
        # on the GUI thread (a widget touched from another thread can crash the app).
        install_exception_logging(
            on_error=lambda summary: services.sig_status_message.emit(
                f"Something went wrong: {summary}. Details are in the log file."
            )
        )

    QTimer.singleShot(0, _start_logging)
    _close_on_terminate(window)  # the timer is parented to the window

    async def _lifetime() -> int:
        startup = services.run(window.start(), on_error=lambda exc: log.error("Start-up failed", exc_info=exc))
        await closed.wait()
        startup.cancel()
        await services.aclose()
        return 0

    try:
        with loop:
            return loop.run_until_complete(_lifetime())
    except KeyboardInterrupt:
        return 130
    finally:
        gc_timer.stop()
        single_instance.close()
