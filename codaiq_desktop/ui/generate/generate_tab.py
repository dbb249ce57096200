"""The Generate tab: write a prompt, generate a site, watch it build, reuse past prompts.

Validation happens where the user types: an empty or over-long prompt is explained
under the editor instead of being sent (the service would answer 400 anyway). Each
submission gets a live :class:`~codaiq_desktop.ui.generate.build_card.BuildCard`; when a build
is ready the preview opens (``services.sig_open_preview``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.api.models import BuildUpdate
from codaiq_desktop.ui.generate.build_card import BuildCard, BuildFollower
from codaiq_desktop.ui.generate.generation_history import (
    GenerationHistory,
    GenerationHistoryModel,
    GenerationRecord,
    now_iso,
)
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.shell.theme import icon
from codaiq_desktop.ui.common.widgets import MessageBanner, restyle

log = logging.getLogger(__name__)

MAX_PROMPT_CHARS = 4000
"""The local sandbox's prompt limit (it refuses a longer prompt with 400).

The Codaiq API documents no limit, so the count and the check apply only while the
sandbox is the active account; for a real account the service has the last word."""

DUPLICATE_WINDOW_SECONDS = 10.0
"""The same prompt and name sent again within this many seconds asks first: each
generation costs one on a real plan, and a double click should not make two sites."""

EXAMPLE_PROMPTS = (
    "A modern SaaS landing page for a project management tool, with pricing tiers and a free-trial sign-up",
    "A warm, rustic website for a family bakery in Leeds: menu, opening hours, custom cake orders and a contact form",
    "A portfolio for a wedding photographer with a full-screen gallery, packages and an enquiry form",
    "A clean site for a physiotherapy clinic: treatments, team, online booking request and insurance FAQs",
    "A bold event page for a two-day design conference in Lisbon with speakers, schedule and ticket tiers",
)


class GenerateTab(QWidget):
    """Prompt editor, live build cards and this account's generation history."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._cards: list[tuple[BuildCard, BuildFollower | None]] = []
        self._sending = 0
        self._last_sent: dict[tuple[str, str], float] = {}
        """(prompt, name) -> ``time.monotonic()`` when it was last sent."""
        self._pending_duplicate: tuple[str, str] | None = None

        # --- the form ---------------------------------------------------------------
        # Alt+D reaches the prompt from the keyboard (the label is its buddy).
        heading = QLabel("&Describe the website")
        heading.setProperty("heading", True)
        self.prompt_edit = QPlainTextEdit()
        self.prompt_edit.setObjectName("promptEdit")
        self.prompt_edit.setPlaceholderText(
            "Who is the site for, what should visitors do, which pages and tone? "
            "e.g. \u201cA calm website for a yoga studio in Bristol with class timetable and a booking form\u201d"
        )
        self.prompt_edit.setTabChangesFocus(True)
        heading.setBuddy(self.prompt_edit)
        self.prompt_edit.setMinimumHeight(110)
        self.examples_button = QToolButton()
        self.examples_button.setText("Examples")
        self.examples_button.setIcon(icon("sparkles"))
        self.examples_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.examples_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        examples = QMenu(self.examples_button)
        for text in EXAMPLE_PROMPTS:
            action = QAction(_shorten(text, 70), examples)
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, t=text: self.use_prompt(t))
            examples.addAction(action)
        self.examples_button.setMenu(examples)
        self.count_label = QLabel()
        self.count_label.setObjectName("promptCount")
        self.count_label.setProperty("muted", True)
        tools = QHBoxLayout()
        tools.addWidget(self.examples_button)
        tools.addStretch(1)
        tools.addWidget(self.count_label)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("siteNameEdit")
        self.name_edit.setPlaceholderText("Site name (optional; the service picks one from the prompt)")
        self.name_edit.setMaxLength(200)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("promptHint")
        self.hint_label.setProperty("hint", "error")
        self.hint_label.setWordWrap(True)
        self.hint_label.hide()
        self.banner = MessageBanner()
        self.banner.setObjectName("generateBanner")
        self.banner.sig_action.connect(self._confirm_duplicate)
        self.generate_button = QPushButton(icon("sparkles", "accent_text"), "Generate")
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setProperty("primary", True)
        self.generate_button.setToolTip("Generate the site (Ctrl+Enter)")
        self.generate_button.clicked.connect(self.generate)
        shortcut_hint = QLabel("Ctrl+Enter")
        shortcut_hint.setProperty("muted", True)
        submit_row = QHBoxLayout()
        submit_row.addWidget(self.name_edit, 1)
        submit_row.addWidget(shortcut_hint)
        submit_row.addWidget(self.generate_button)

        builds_heading = QLabel("Builds")
        builds_heading.setProperty("heading", True)
        self.no_builds_label = QLabel("Builds you start appear here, live, until their site is ready.")
        self.no_builds_label.setProperty("muted", True)
        self.cards_host = QWidget()
        self.cards_host.setObjectName("cardsHost")
        self.cards_layout = QVBoxLayout(self.cards_host)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.addWidget(self.no_builds_label)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.cards_host)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.addWidget(heading)
        form_layout.addWidget(self.prompt_edit, 2)
        form_layout.addLayout(tools)
        form_layout.addWidget(self.hint_label)
        form_layout.addLayout(submit_row)
        form_layout.addWidget(self.banner)
        form_layout.addSpacing(6)
        form_layout.addWidget(builds_heading)
        form_layout.addWidget(scroll, 3)

        # --- history ------------------------------------------------------------------
        history_heading = QLabel("History")
        history_heading.setProperty("heading", True)
        self.history_model = GenerationHistoryModel(self)
        self.history_view = QListView()
        self.history_view.setObjectName("historyView")
        self.history_view.setModel(self.history_model)
        self.history_view.setAlternatingRowColors(True)
        self.history_view.setWordWrap(True)
        self.history_view.setSpacing(2)
        self.history_empty_label = QLabel(
            "No prompts yet. Each site you generate is listed here, to open again or reuse its prompt."
        )
        self.history_empty_label.setObjectName("historyEmpty")
        self.history_empty_label.setProperty("muted", True)
        self.history_empty_label.setWordWrap(True)
        self.history_empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.history_model.modelReset.connect(self._sync_history_empty)
        self.history_model.rowsInserted.connect(self._sync_history_empty)
        self.history_model.rowsRemoved.connect(self._sync_history_empty)
        self.history_view.doubleClicked.connect(lambda index: self.reuse(index.row()))
        self.history_view.selectionModel().currentChanged.connect(lambda *_: self._sync_history_buttons())
        self.reuse_button = QPushButton(icon("undo"), "Use again")
        self.reuse_button.setToolTip("Put this prompt and name back in the editor")
        self.reuse_button.clicked.connect(lambda: self.reuse(self.history_view.currentIndex().row()))
        self.history_preview_button = QPushButton(icon("eye"), "Preview")
        self.history_preview_button.clicked.connect(self._preview_history)
        self.clear_history_button = QPushButton(icon("trash"), "Clear")
        self.clear_history_button.clicked.connect(self.history_model.clear)
        history_buttons = QHBoxLayout()
        history_buttons.addWidget(self.reuse_button)
        history_buttons.addWidget(self.history_preview_button)
        history_buttons.addStretch(1)
        history_buttons.addWidget(self.clear_history_button)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(history_heading)
        history_layout.addWidget(self.history_view, 1)
        history_layout.addWidget(self.history_empty_label, 1)
        history_layout.addLayout(history_buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("generateSplitter")
        self.splitter.addWidget(form)
        self.splitter.addWidget(history)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([760, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.generate)

        self.prompt_edit.textChanged.connect(self._on_prompt_changed)
        self.name_edit.textChanged.connect(self._forget_pending_duplicate)
        services.sig_account_changed.connect(self._on_account_changed)
        self._on_prompt_changed()
        self._on_account_changed(services.account)

    # ------------------------------------------------------------------ prompt
    def use_prompt(self, text: str, name: str = "") -> None:
        self.prompt_edit.setPlainText(text)
        self.name_edit.setText(name)
        self.prompt_edit.setFocus()

    def _prompt_limit(self) -> int | None:
        """The sandbox's limit while it is the active account; none for a real account."""
        return MAX_PROMPT_CHARS if self.services.is_sandbox else None

    def _on_prompt_changed(self) -> None:
        length = len(self.prompt_edit.toPlainText())
        limit = self._prompt_limit()
        over = limit is not None and length > limit
        near = limit is not None and not over and length > limit * 0.9
        self.count_label.setText(f"{length:,} / {limit:,}" if limit is not None else f"{length:,} characters")
        self.count_label.setToolTip(
            "The local sandbox accepts prompts of up to 4,000 characters. The Codaiq API documents no limit."
            if limit is not None
            else "The Codaiq API documents no prompt limit; the service says so if a prompt is too long."
        )
        self.count_label.setProperty("hint", "error" if over else ("warning" if near else None))
        self.count_label.setProperty("muted", not over and not near)
        restyle(self.count_label)
        self.prompt_edit.setProperty("invalid", over)
        restyle(self.prompt_edit)
        self._forget_pending_duplicate()
        if over:
            self._explain(self._problem())
        elif self.hint_label.isVisible() and (self._problem() is None or self._hint_is_length):
            # The hint goes with its cause: a length message once the prompt is short enough
            # (even emptied), the "describe the site" one once there is text.
            self.hint_label.hide()

    @property
    def _hint_is_length(self) -> bool:
        return "-character limit" in self.hint_label.text()

    def _problem(self) -> str | None:
        text = self.prompt_edit.toPlainText().strip()
        if not text:
            return (
                "Describe the site first: who it is for, what visitors should do, the pages and the tone. "
                "Not sure? Pick one of the Examples."
            )
        limit = self._prompt_limit()
        length = len(self.prompt_edit.toPlainText())
        if limit is not None and length > limit:
            return (
                f"The prompt is {length - limit:,} characters over the local sandbox's {limit:,}-character limit. "
                "Shorten it to generate."
            )
        return None

    def _explain(self, message: str | None) -> None:
        if message:
            self.hint_label.setText(message)
            self.hint_label.show()
        else:
            self.hint_label.hide()

    # ------------------------------------------------------------------ generate
    def generate(self) -> None:
        """Send the prompt, or explain inline why it cannot be sent."""
        problem = self._problem()
        if problem is not None:
            self._explain(problem)
            self.prompt_edit.setFocus()
            return
        self._explain(None)
        if self.services.client is None:
            self.banner.show_message(
                "No account is connected yet. Wait for the connection, or choose one in File \u203a Accounts."
            )
            return
        if self._sending:
            return  # the previous click is still being sent; a second one would make a second site
        prompt, name = self.prompt_edit.toPlainText().strip(), self.name_edit.text().strip()
        sent_at = self._last_sent.get((prompt, name))
        if sent_at is not None and time.monotonic() - sent_at < DUPLICATE_WINDOW_SECONDS:
            self._pending_duplicate = (prompt, name)
            self.banner.show_message(
                "You just generated a site from this same prompt and name. Generating again makes a second, "
                "separate site (and counts as another generation on your plan).",
                kind="warning",
                action="Generate another",
            )
            return
        self.banner.hide()
        self.submit(prompt, name)

    def _confirm_duplicate(self) -> None:
        """The user confirmed, on the banner, a second site from the same prompt and name."""
        pending, self._pending_duplicate = self._pending_duplicate, None
        if pending is None or self._sending or self.services.client is None:
            return
        self.banner.hide()
        self.submit(*pending)

    def _forget_pending_duplicate(self) -> None:
        """An edit answers the duplicate question: the confirmation banner goes with it."""
        if self._pending_duplicate is not None:
            self._pending_duplicate = None
            self.banner.hide()

    def submit(self, prompt: str, name: str) -> BuildCard:
        """Send one generation and add its live card (also used by Try again)."""
        client = self.services.client
        assert client is not None
        record = GenerationRecord(prompt=prompt, name=name, created_at=now_iso())
        self.history_model.add(record)
        self._last_sent[(prompt, name)] = time.monotonic()
        card = BuildCard(name or "New site", prompt)
        self._add_card(card, None)
        card.sig_dismiss.connect(lambda: self._remove_card(card))
        card.sig_retry.connect(lambda: self._retry(card, prompt, name))
        self._set_sending(+1)

        def accepted(result: Any) -> None:
            self._set_sending(-1)
            self.history_model.update(
                record.created_at,
                project_id=result.project_id,
                website_id=result.website_id,
                result=result.status or "queued",
            )
            # The ids go into the store's registry first: a service that lists no ids still
            # shows this site in Projects with them.
            self.services.run(
                self.services.record_generated(result, prompt, name),
                on_success=lambda _: self.services.sig_projects_changed.emit(),
                on_error=self._registry_failed,
            )
            card.mark_submitted(result.website_id)
            self._follow(card, record, result.project_id, result.website_id)

        def rejected(exc: BaseException) -> None:
            self._set_sending(-1)
            message = self.services.describe_error(exc)
            self.history_model.update(record.created_at, result="error", detail=message)
            card.status = "error"
            card.show_error(message, retry=True)
            self.banner.show_message(f"The site was not generated. {message}")

        def stop_sending() -> None:
            if not task.done():
                task.cancel()
                self._set_sending(-1)
                self.history_model.update(record.created_at, result="stopped")
                card.mark_stopped()

        task = self.services.run(client.generate(prompt, name or None), accepted, rejected, owner=card)
        card.sig_cancel.connect(stop_sending)
        return card

    def _follow(self, card: BuildCard, record: GenerationRecord, project_id: str, website_id: str) -> None:
        follower = BuildFollower(self.services, project_id, website_id, card)
        self._cards = [(c, follower if c is card else f) for c, f in self._cards]
        follower.sig_source.connect(card.set_source)

        learned: list[str] = []

        def on_update(update: BuildUpdate) -> None:
            card.apply(update)
            domain = update.website.domain
            if domain and domain not in learned:  # once: the registry matches id-less lists by it
                learned.append(domain)
                self.services.run(self.services.note_site_domain(website_id, domain), on_error=self._registry_failed)
            self.history_model.update(record.created_at, result=update.status or "building", detail=update.error or "")
            if update.status == "ready":
                self.services.sig_projects_changed.emit()
                self.services.sig_open_preview.emit(project_id, website_id)

        follower.sig_update.connect(on_update)
        follower.sig_error.connect(
            lambda message: card.show_error(f"Stopped following the build: {message}", retry=False)
        )
        card.sig_preview.connect(lambda: self.services.sig_open_preview.emit(project_id, website_id))
        card.sig_cancel.connect(follower.cancel)
        card.sig_cancel.connect(card.mark_stopped)
        card.sig_cancel.connect(lambda: self.history_model.update(record.created_at, result="stopped"))
        follower.start()

    def _registry_failed(self, exc: BaseException) -> None:
        """The store did not keep a generated site's ids: the site is fine, only harder to find."""
        log.warning("Could not keep a generated site in the local registry", exc_info=exc)
        self.services.sig_projects_changed.emit()
        self.services.sig_status_message.emit(
            f"The site was generated, but this app could not note its id: {self.services.describe_error(exc)}"
        )

    def _retry(self, card: BuildCard, prompt: str, name: str) -> None:
        if self.services.client is None:
            card.show_error("No account is connected.", retry=True)
            return
        self._remove_card(card)
        self.submit(prompt, name)

    def _set_sending(self, delta: int) -> None:
        self._sending += delta
        self.generate_button.setEnabled(self._sending == 0)
        self.generate_button.setText("Sending\u2026" if self._sending else "Generate")

    # ------------------------------------------------------------------ cards
    def cards(self) -> list[BuildCard]:
        return [card for card, _ in self._cards]

    def _add_card(self, card: BuildCard, follower: BuildFollower | None) -> None:
        self._cards.insert(0, (card, follower))
        self.cards_layout.insertWidget(0, card)
        self.no_builds_label.hide()

    def _remove_card(self, card: BuildCard) -> None:
        for existing, follower in list(self._cards):
            if existing is card:
                if follower is not None:
                    follower.cancel()
                self._cards.remove((existing, follower))
        card.hide()
        card.deleteLater()
        self.no_builds_label.setVisible(not self._cards)

    def _clear_cards(self) -> None:
        for card, _ in list(self._cards):
            self._remove_card(card)

    # ------------------------------------------------------------------ history
    def reuse(self, row: int) -> None:
        record = self.history_model.record(row)
        if record is not None:
            self.use_prompt(record.prompt, record.name)

    def _preview_history(self) -> None:
        record = self.history_model.record(self.history_view.currentIndex().row())
        if record is not None and record.project_id and record.website_id:
            self.services.sig_open_preview.emit(record.project_id, record.website_id)

    def _sync_history_empty(self, *_: object) -> None:
        empty = self.history_model.rowCount() == 0
        self.history_empty_label.setVisible(empty)
        self.history_view.setVisible(not empty)
        self.clear_history_button.setEnabled(not empty)

    def _sync_history_buttons(self) -> None:
        record = self.history_model.record(self.history_view.currentIndex().row())
        self.reuse_button.setEnabled(record is not None)
        self.history_preview_button.setEnabled(record is not None and record.website_id is not None)

    def _on_account_changed(self, account: Any) -> None:
        self._clear_cards()
        self._sending = 0
        self._set_sending(0)
        self.banner.hide()
        self._pending_duplicate = None
        self._last_sent.clear()
        path = self.services.data_dir / "history" / f"{account.slug}.json" if account is not None else None
        self.history_model.set_history(GenerationHistory(path))
        self._sync_history_buttons()
        self._sync_history_empty()
        self._on_prompt_changed()  # the prompt limit depends on the account


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
