"""A live build card: one generation's status, progress, step and elapsed time.

The card only shows state; :class:`BuildFollower` decides where the state comes from.
With the webhook receiver listening, each ``website.*`` event for the site triggers an
immediate fetch (so "ready" appears the moment the service says so) and a slow poll
fills in progress between events; for a real account the card polls as without
webhooks until the first event for the site shows they reach this computer. Without
the receiver it polls with ``client.wait_for_build``. Cancelling stops following; the server's build goes on.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from codaiq_desktop.ui.services import AppServices, ReceiverState
from codaiq_desktop.ui.shell.theme import icon
from codaiq_desktop.ui.common.widgets import restyle, status_text
from codaiq_desktop.webhook_events import is_website_event

if TYPE_CHECKING:
    import asyncio

    from codaiq_desktop.api import CodaiqClient
    from codaiq_desktop.api.models import BuildUpdate, Website
    from codaiq_desktop.store import StoredEvent

log = logging.getLogger(__name__)

NO_PROGRESS_TEXT = "The service did not report progress."
"""Said on the card when builds come without ``buildProgress``/``buildStep`` (undocumented fields)."""

WEBHOOK_POLL_SECONDS = 2.0
"""With webhooks live, how often progress is refreshed between events."""
POLL_FIRST_SECONDS = 1.0
POLL_MAX_SECONDS = 5.0
"""Without webhooks (yet), the poll starts at 1 s and backs off to 5 s."""


class BuildFollower(QObject):
    """Follows one website's build until it is ready or failed, or until cancelled."""

    sig_update = Signal(object)
    """A new ``api.models.BuildUpdate``."""

    sig_error = Signal(str)
    """Following stopped on an error (user words); the build may still be going."""

    sig_source = Signal(str)
    """How the build is followed: ``webhooks`` or ``polling``."""

    def __init__(self, services: AppServices, project_id: str, website_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.project_id = project_id
        self.website_id = website_id
        import asyncio  # loaded after the main window shows (a card exists only once a build starts)

        self._poke = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._live = False
        self._listening = False  # following the webhook way (events poke a fetch)
        services.sig_event_stored.connect(self._on_event)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._task = self._services.run(self._follow(), on_error=self._failed, owner=self)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _on_event(self, event: StoredEvent) -> None:
        if event.website_id == self.website_id and is_website_event(event.type):
            if self._listening and not self._live and self.running:
                self._live = True
                self.sig_source.emit("webhooks")
            self._poke.set()

    def _failed(self, exc: BaseException) -> None:
        self.sig_error.emit(self._services.describe_error(exc))

    async def _follow(self) -> None:
        client = self._services.client
        if client is None:
            raise RuntimeError("No account is connected.")
        if self._services.receiver_state not in (ReceiverState.LISTENING, ReceiverState.PORT_TAKEN):
            self.sig_source.emit("polling")
            async for update in client.wait_for_build(self.project_id, self.website_id, interval=1.0, max_interval=5.0):
                self.sig_update.emit(update)
            return
        # The sandbox delivers to our receiver (we registered it); a real account does once
        # its webhook settings point here, which the first event for this site proves.
        self._live = self._services.is_sandbox
        self._listening = True
        self.sig_source.emit("webhooks" if self._live else "polling")
        await self._follow_with_webhooks(client)

    async def _follow_with_webhooks(self, client: CodaiqClient) -> None:
        """Fetch on every ``website.*`` event for the site, and between them on a timer:
        slowly while events arrive, like ``wait_for_build`` (1 s growing to 5 s) until then."""
        import asyncio

        from codaiq_desktop.api import models

        last = None
        interval = POLL_FIRST_SECONDS
        while True:
            self._poke.clear()
            website = await client.get_website(self.project_id, self.website_id)
            update = models.BuildUpdate.from_website(website)
            if update != last:
                last = update
                self.sig_update.emit(update)
            if update.is_terminal:
                return
            wait = WEBHOOK_POLL_SECONDS if self._live else interval
            interval = min(interval * 1.5, POLL_MAX_SECONDS)
            try:
                async with asyncio.timeout(wait):  # not wait_for: on 3.11 it can swallow a cancel
                    await self._poke.wait()
            except TimeoutError:
                pass


class BuildCard(QFrame):
    """Shows one build; its buttons ask the Generate tab to cancel, retry or preview."""

    sig_cancel = Signal()
    """Stop following this build (the server's build is not cancelled)."""
    sig_retry = Signal()
    """Generate again with the same prompt and name."""
    sig_preview = Signal()
    """Open this site's preview."""
    sig_dismiss = Signal()
    """Remove the card."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buildCard")
        self.setProperty("card", True)
        self.status: str | None = None
        self.website: Website | None = None
        self.progress_reported = False
        """Whether the service sent any progress figure for this build."""
        self._started = time.monotonic()
        self._ended: float | None = None

        self.title_label = QLabel(title)
        self.title_label.setProperty("heading", True)
        self.badge = QLabel()
        self.badge.setObjectName("buildStatusBadge")
        self.elapsed_label = QLabel()
        self.elapsed_label.setObjectName("buildElapsed")
        self.elapsed_label.setProperty("muted", True)
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.badge)
        header.addWidget(self.elapsed_label)

        self.prompt_label = QLabel(prompt)
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setProperty("muted", True)
        self.prompt_label.setMaximumHeight(44)
        self.progress = QProgressBar()
        self.progress.setObjectName("buildProgress")
        self.progress.setRange(0, 0)  # busy until the first figure arrives
        self.step_label = QLabel("Sending the prompt\u2026")
        self.step_label.setObjectName("buildStep")
        self.step_label.setWordWrap(True)
        self.source_label = QLabel()
        self.source_label.setProperty("muted", True)
        self.error_label = QLabel()
        self.error_label.setObjectName("buildError")
        self.error_label.setProperty("hint", "error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Names, prompts and server messages are shown as typed: "<b>" is text, not markup.
        for label in (self.title_label, self.prompt_label, self.step_label, self.error_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()

        self.cancel_button = QPushButton(icon("stop"), "Stop following")
        self.cancel_button.setToolTip("Stop watching this build here. The build itself continues on the server.")
        self.retry_button = QPushButton(icon("retry"), "Try again")
        self.preview_button = QPushButton(icon("eye", "accent_text"), "Open preview")
        self.preview_button.setProperty("primary", True)
        self.dismiss_button = QPushButton("Dismiss")
        for button in (self.retry_button, self.preview_button, self.dismiss_button):
            button.hide()
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.retry_button.clicked.connect(self.sig_retry)
        self.preview_button.clicked.connect(self.sig_preview)
        self.dismiss_button.clicked.connect(self.sig_dismiss)
        buttons = QHBoxLayout()
        buttons.addWidget(self.source_label, 1)
        for button in (self.cancel_button, self.retry_button, self.preview_button, self.dismiss_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.step_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._set_badge("submitted")
        self._tick()

    # -- state -----------------------------------------------------------------------
    def set_source(self, source: str) -> None:
        self.source_label.setText("Live via webhooks" if source == "webhooks" else "Checking every few seconds")

    def apply(self, update: BuildUpdate) -> None:
        """Show a ``BuildUpdate`` (status, progress, step, error).

        Progress figures and steps are not promised by the docs: without them the bar stays
        indeterminate and the card says the service did not report progress, rather than
        inventing a percentage.
        """
        self.status = update.status
        self.website = update.website
        site_name = update.website.name
        if site_name:  # the service's name for the site, under which Projects lists it
            self.title_label.setText(str(site_name))
        self._set_badge(update.status or "unknown")
        if update.progress is not None:
            self.progress_reported = True
            self.progress.setRange(0, 100)
            self.progress.setValue(max(0, min(100, int(update.progress))))
        if update.step:
            self.step_label.setText(update.step)
        elif not self.progress_reported and update.status not in ("ready", "failed"):
            self.step_label.setText(f"{status_text(update.status or 'unknown')}. {NO_PROGRESS_TEXT}")
        if update.status == "ready":
            if self.progress_reported:
                self.progress.setRange(0, 100)
                self.progress.setValue(100)
            else:  # done, without a percentage nobody sent: a full bar, no figure on it
                self.progress.setTextVisible(False)
                self.progress.setRange(0, 1)
                self.progress.setValue(1)
                self.step_label.setText(f"{status_text('ready')}. {NO_PROGRESS_TEXT}")
            self._finish()
            self.preview_button.show()
            self.preview_button.setFocus()
        elif update.status == "failed":
            self._finish()
            self.show_error(update.error or "The build failed without a reason from the server.", retry=True)

    def show_error(self, message: str, *, retry: bool) -> None:
        """Following (or submitting) failed: say why, offer Try again."""
        self._finish()
        self.error_label.setText(message)
        self.error_label.show()
        self.retry_button.setVisible(retry)
        if self.status not in ("failed",):
            self._set_badge(self.status or "error")

    def mark_submitted(self, website_id: str) -> None:
        self.step_label.setText(f"Accepted as {website_id}. Waiting for the first status\u2026")

    def mark_stopped(self) -> None:
        self._finish()
        self.step_label.setText("Stopped following. The build continues on the server; find it in Projects.")
        self.retry_button.hide()

    def _finish(self) -> None:
        if self._ended is None:
            self._ended = time.monotonic()
        self._clock.stop()
        self._tick()
        self.cancel_button.hide()
        self.dismiss_button.show()
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 100)
            self.progress.setValue(0)
            if not self.progress_reported:
                self.progress.setTextVisible(False)  # no "0%" where nothing was measured

    def _set_badge(self, status: str) -> None:
        self.badge.setText(status_text(status))
        self.badge.setProperty("badge", status if status in ("ready", "failed", "building", "queued") else "other")
        restyle(self.badge)

    def _tick(self) -> None:
        end = self._ended if self._ended is not None else time.monotonic()
        seconds = int(end - self._started)
        self.elapsed_label.setText(f"{seconds // 60}:{seconds % 60:02d}")
