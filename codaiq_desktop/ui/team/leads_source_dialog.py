"""Where an account's leads come from: this computer, or a team inbox server.

The server's address and a member token (or one invite string carrying both, pasted)
are checked with one ``GET /api/v1/me`` before anything is saved: an unreachable
server, a refused token and an address that is no inbox server each get their own
sentence, and the dialog stays open. The token is typed into a password field, held
only in a ``TeamServer`` (whose repr hides it) and goes to the key vault on save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.accounts import Account
from codaiq_desktop.ui.common.form_fields import FormMessage, add_choices, secret_edit

if TYPE_CHECKING:
    from codaiq_desktop.team import TeamServer
    from codaiq_desktop.ui.services import AppServices

CHECK_TIMEOUT = 15.0
"""Seconds the one check of a server may take."""


class LeadsSourceDialog(QDialog):
    """Choose "This computer" or "Team inbox server" (URL + token, or an invite) for one account."""

    THIS_COMPUTER = 1
    TEAM_SERVER = 2

    def __init__(self, account: Account, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadsSourceDialog")
        self.setWindowTitle(f"Where leads come from \u2014 {account.name}")
        self._account = account
        self._services = services
        self._current_token = services.vault.team_token(account.name) if account.uses_team_server else None
        self._check: Any = None
        self.checked_as: str | None = None
        """Who the server said the token belongs to ("alice@agency.com at Agency"), once checked."""

        layout = QVBoxLayout(self)
        self.this_computer_radio = QRadioButton("This computer")
        self.this_computer_radio.setObjectName("leadsFromThisComputer")
        self.team_radio = QRadioButton("Team inbox server")
        self.team_radio.setObjectName("leadsFromTeamServer")
        self._group = QButtonGroup(self)
        add_choices(
            layout,
            self._group,
            [
                (
                    self.this_computer_radio,
                    self.THIS_COMPUTER,
                    "Webhooks reach this app's own receiver; leads and notes are kept on this computer.",
                ),
                (
                    self.team_radio,
                    self.TEAM_SERVER,
                    "Your agency's inbox server (codaiq-desktop serve) receives the webhooks; everyone on the "
                    "team sees the same leads, live.",
                ),
            ],
        )

        self.invite_edit = QLineEdit()
        self.invite_edit.setObjectName("teamInvite")
        self.invite_edit.setPlaceholderText("Paste an invite (codaiq-invite:\u2026) to fill both fields")
        self.invite_edit.setAccessibleName("Invite")
        self.url_edit = QLineEdit(account.team_url)
        self.url_edit.setObjectName("teamServerUrl")
        self.url_edit.setPlaceholderText("https://inbox.your-agency.com")
        self.url_edit.setAccessibleName("Server address")
        self.token_edit = secret_edit(
            self,
            stored=self._current_token,
            empty_placeholder="The member token from your inbox server's admin",
            reveal_text="Show token",
        )
        self.token_edit.setObjectName("teamToken")
        self.token_edit.setAccessibleName("Member token")
        self.team_fields = QWidget()
        form = QFormLayout(self.team_fields)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow("Invite", self.invite_edit)
        form.addRow("Server address", self.url_edit)
        form.addRow("Member token", self.token_edit)
        layout.addWidget(self.team_fields)
        self.local_note = QLabel()
        self.local_note.setObjectName("localInboxNote")
        self.local_note.setWordWrap(True)
        self.local_note.setProperty("muted", True)
        self.local_note.setVisible(account.team_local)
        self.local_note.setText(
            "Connected to the local inbox server this app runs (File \u203a Start a local inbox server)."
        )
        layout.addWidget(self.local_note)

        self.message = FormMessage("leadsSourceMessage")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.clicked.disconnect()
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        (self.team_radio if account.uses_team_server else self.this_computer_radio).setChecked(True)
        self.team_radio.toggled.connect(self._sync)
        self.invite_edit.textChanged.connect(self._read_invite)
        self.url_edit.textChanged.connect(self._url_edited)
        self._sync()
        self.setMinimumWidth(520)

    # ------------------------------------------------------------------ reading the form
    @property
    def team_chosen(self) -> bool:
        return self.team_radio.isChecked()

    def server(self) -> TeamServer:
        """The address and token entered (the stored token when the field was left empty)."""
        from codaiq_desktop.team import TeamServer

        return TeamServer(self.url_edit.text().strip(), self.token_edit.text().strip() or self._current_token or "")

    def _sync(self, *_: object) -> None:
        self.team_fields.setEnabled(self.team_chosen)
        self.local_note.setVisible(self._account.team_local and self.team_chosen)

    def _read_invite(self, text: str) -> None:
        """An invite fills the address and the token; anything else is explained."""
        from codaiq_desktop.team import InviteError, parse_invite

        if not text.strip():
            self.say("", "info")
            return
        try:
            server = parse_invite(text)
        except InviteError as exc:
            self.say(str(exc), "error")
            return
        self.team_radio.setChecked(True)
        self.url_edit.setText(server.url)
        self.token_edit.setText(server.token)
        self.invite_edit.blockSignals(True)
        self.invite_edit.clear()  # the token is in the password field now, not in plain sight
        self.invite_edit.blockSignals(False)
        self.say(f"Invite read: server {server.url}. Save to check it and connect.", "info")

    def _url_edited(self, text: str) -> None:
        from codaiq_desktop.team import INVITE_PREFIX

        if text.strip().startswith(INVITE_PREFIX):  # an invite pasted into the address field
            self.url_edit.blockSignals(True)
            self.url_edit.clear()
            self.url_edit.blockSignals(False)
            self.invite_edit.setText(text.strip())

    def say(self, text: str, kind: str) -> None:
        """Show ``text`` under the form (``kind``: info, ok, warning, error)."""
        self.message.say(text, kind)

    # ------------------------------------------------------------------ saving
    def save(self) -> None:
        """This computer: accept. A team server: check it first, accept only if it answers as one."""
        from codaiq_desktop.team import InviteError

        if not self.team_chosen:
            self.accept()
            return
        if not self.url_edit.text().strip().startswith(("https://", "http://")):
            self.say("The server address must start with https:// (e.g. https://inbox.your-agency.com).", "error")
            return
        if not (self.token_edit.text().strip() or self._current_token):
            self.say("Paste the member token (or an invite) your inbox server's admin gave you.", "error")
            return
        try:
            server = self.server()
        except InviteError as exc:  # a malformed address or token: the sentence says which
            self.say(str(exc), "error")
            return
        self._check_server(server)

    def _check_server(self, server: TeamServer) -> None:
        from codaiq_desktop.team import TeamAuthError, TeamClient, answers_as_inbox_server

        self.save_button.setEnabled(False)
        self.say(f"Checking {server.url}\u2026", "info")

        async def check() -> tuple[Any, str | None]:
            try:
                async with TeamClient(server, timeout=CHECK_TIMEOUT) as client:
                    return await client.me()
            except TeamAuthError:
                # Other servers refuse an unknown bearer too: only an inbox server's refusal is the token's fault.
                if not await answers_as_inbox_server(server.url, timeout=CHECK_TIMEOUT):
                    raise NotAnInboxServerError(server.url) from None
                raise

        def accepted(result: tuple[Any, str | None]) -> None:
            member, agency = result
            self.save_button.setEnabled(True)
            self.checked_as = f"{member.email} at {agency}" if agency else str(member.email)
            self.say(f"Connected as {self.checked_as}.", "ok")
            self.accept()

        def refused(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.say(describe_check_error(exc, server.url), "error")

        self._check = self._services.run(check(), on_success=accepted, on_error=refused, owner=self)


class NotAnInboxServerError(Exception):
    """The address answers HTTP, but not as a Codaiq team inbox server."""


def describe_check_error(exc: BaseException, url: str) -> str:
    """Why a server was not saved, in words: unreachable, refused token, or not an inbox server."""
    from codaiq_desktop.team import TeamAuthError, TeamUnreachable

    if isinstance(exc, TeamAuthError):
        return (
            "The server refused this member token: it was mistyped or has been revoked. Ask your inbox server's "
            "admin for a new invite. Nothing was saved."
        )
    if isinstance(exc, (TeamUnreachable, TimeoutError)):
        return (
            f"The team inbox server at {url} cannot be reached. Check the address and that the server is running "
            "(and this computer is online). Nothing was saved."
        )
    return (
        f"{url} answered, but not as a Codaiq team inbox server. Check the address: it is the server's own "
        "address, as in the invite (e.g. https://inbox.your-agency.com). Nothing was saved."
    )
