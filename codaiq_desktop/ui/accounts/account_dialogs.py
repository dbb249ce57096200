"""Dialogs for accounts: the first-run choice, an account editor, the no-keyring fallback.

Keys are typed into password fields and shown masked afterwards; they leave these
dialogs only through :class:`AccountForm.key` and are never logged or put in settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.accounts import DEFAULT_BASE_URL, Account, AccountKind, AccountList, KeyStorage, normalize_base_url
from codaiq_desktop.ui.common.form_fields import FormMessage, add_choices, secret_edit
from codaiq_desktop.ui.shell.theme import icon

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

PLANS = ("Free", "Pro", "Agency", "Enterprise")
PLAN_NOT_SET = "Not set"
"""The Plan combo's first choice: a label only (the status bar shows it), so it may stay unset."""

KEY_CHECK_TIMEOUT = 15.0
"""Seconds the one check of a new key may take before the user is offered to save anyway."""


class FirstRunDialog(QDialog):
    """First start: use the local sandbox (default, works offline) or connect an account."""

    SANDBOX = 1
    ACCOUNT = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Codaiq Desktop")
        self.setObjectName("firstRunDialog")
        layout = QVBoxLayout(self)
        title = QLabel("How do you want to start?")
        title.setProperty("heading", True)
        layout.addWidget(title)

        self.sandbox_radio = QRadioButton("Use the local sandbox")
        self.sandbox_radio.setChecked(True)
        self.account_radio = QRadioButton("Connect a Codaiq account")
        self._group = QButtonGroup(self)
        add_choices(
            layout,
            self._group,
            [
                (
                    self.sandbox_radio,
                    self.SANDBOX,
                    "A complete Codaiq-compatible server on this computer. No account or network "
                    "needed; sites you generate stay here.",
                ),
                (
                    self.account_radio,
                    self.ACCOUNT,
                    "Work against the real service with your API key (from Account Settings on codaiq.com).",
                ),
            ],
        )
        note = QLabel("You can add accounts and switch between them later from File \u203a Accounts.")
        note.setProperty("muted", True)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Continue")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def choice(self) -> int:
        return self._group.checkedId()


class AccountForm(QDialog):
    """Add or edit a remote account: name, base URL, plan label, API key (masked)."""

    def __init__(
        self,
        accounts: AccountList,
        account: Account | None = None,
        current_key: str | None = None,
        parent: QWidget | None = None,
        *,
        key_only: bool = False,
        services: AppServices | None = None,
    ) -> None:
        """With ``services``, Connect first checks the key with one request to the service."""
        super().__init__(parent)
        self.setObjectName("accountForm")
        self._accounts = accounts
        self._original = account
        self._current_key = current_key
        self.setWindowTitle("Edit account" if account else "Connect a Codaiq account")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = QLineEdit(account.name if account else "")
        self.name_edit.setPlaceholderText("e.g. Agency workspace")
        self.url_edit = QLineEdit(account.base_url if account else DEFAULT_BASE_URL)
        # Not editable: an editable combo only opens from its arrow, and its empty first
        # item looked like a missing value. A plan saved by an older version stays listed.
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        self.plan_combo.addItem(PLAN_NOT_SET, "")
        for plan in PLANS:
            self.plan_combo.addItem(plan, plan)
        saved = account.plan if account else ""
        if saved and self.plan_combo.findData(saved, flags=Qt.MatchFlag.MatchFixedString) < 0:
            self.plan_combo.addItem(saved, saved)
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(saved, flags=Qt.MatchFlag.MatchFixedString)))
        self.key_edit = secret_edit(
            self, stored=current_key, empty_placeholder="Paste your API key", reveal_text="Show key"
        )
        form.addRow("Name", self.name_edit)
        form.addRow("Base URL", self.url_edit)
        form.addRow("Plan", self.plan_combo)
        form.addRow("API key", self.key_edit)
        if key_only:
            for widget in (self.name_edit, self.url_edit, self.plan_combo):
                widget.setEnabled(False)
        layout.addLayout(form)
        self.error_label = FormMessage("accountFormError")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText("Connect")
        self.save_anyway_button = buttons.addButton("Save anyway", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_anyway_button.setObjectName("saveAnywayButton")
        self.save_anyway_button.setToolTip(
            "Keep the account without checking the key; it connects when the service can be reached"
        )
        self.save_anyway_button.hide()
        self.save_anyway_button.clicked.disconnect()
        self.save_anyway_button.clicked.connect(self.accept)
        self.connect_button.clicked.disconnect()
        self.connect_button.clicked.connect(self._validate)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self._services = services
        self._check: Any = None
        self.key_checked = False
        """The service accepted the key (one request) before the dialog was accepted."""
        for edit in (self.url_edit, self.key_edit):
            edit.textEdited.connect(lambda _text: self.save_anyway_button.hide())
        (self.key_edit if key_only else self.name_edit).setFocus()

    def _validate(self) -> None:
        name = self.name_edit.text().strip()
        url = normalize_base_url(self.url_edit.text())
        problem = ""
        if not name:
            problem = "Give the account a name."
        elif (existing := self._accounts.get(name)) is not None and existing is not self._original:
            problem = f"An account called \u201c{name}\u201d already exists."
        elif not url.startswith(("https://", "http://")):
            problem = "The base URL must start with https:// (e.g. https://codaiq.com/api)."
        elif not self.key():
            problem = "Paste the API key from your Codaiq Account Settings."
        if problem:
            self.error_label.say(problem, "error")
            return
        if self._services is None or (self._current_key and self.key() == self._current_key):
            self.accept()  # nothing to check with, or the key already in use
            return
        self._check_key(url, self.key())

    def _check_key(self, url: str, key: str) -> None:
        """One ``GET /project`` with the key: accept if the service takes it, explain if not."""
        from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors

        services = self._services
        assert services is not None
        self.connect_button.setEnabled(False)
        self.save_anyway_button.hide()
        self.error_label.say("Checking the key with the service\u2026", "info")

        async def check() -> int:
            async with CodaiqClient(url, key, timeout=KEY_CHECK_TIMEOUT, retry=RetryPolicy.disabled()) as client:
                return len(await client.list_projects())

        def accepted(projects: int) -> None:
            self.key_checked = True
            self.connect_button.setEnabled(True)
            noun = "project" if projects == 1 else "projects"
            self.error_label.say(f"Key accepted: the account has {projects:,} {noun}.", "ok")
            self.accept()

        def refused(exc: BaseException) -> None:
            self.connect_button.setEnabled(True)
            if isinstance(exc, errors.AuthenticationError):
                self.error_label.say(
                    f"The service refused this key ({exc.status_code}). Paste the key from your Codaiq "
                    "Account Settings; nothing was saved.",
                    "error",
                )
                return
            offline = isinstance(exc, (errors.NetworkError, errors.ServerError, TimeoutError))
            reason = services.describe_error(exc)
            if offline:
                self.error_label.say(
                    f"The key could not be checked: {reason} You can save the account anyway; "
                    "it connects when the service can be reached.",
                    "warning",
                )
                self.save_anyway_button.show()
            else:
                self.error_label.say(f"The key could not be checked: {reason}", "error")

        self._check = services.run(check(), on_success=accepted, on_error=refused, owner=self)

    def account(self) -> Account:
        storage = self._original.key_storage if self._original else KeyStorage.KEYRING
        return Account(
            name=self.name_edit.text().strip(),
            base_url=normalize_base_url(self.url_edit.text()),
            plan=str(self.plan_combo.currentData() or ""),
            kind=AccountKind.REMOTE,
            key_storage=storage,
        )

    def key(self) -> str:
        """The key typed, or the stored one when the field was left empty."""
        return self.key_edit.text().strip() or (self._current_key or "")


class KeyStorageFallbackDialog(QDialog):
    """No keyring backend: say so, and let the user choose session-only or a 0600 file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyStorageFallbackDialog")
        self.setWindowTitle("No keyring available")
        layout = QVBoxLayout(self)
        message = QLabel(
            "This computer has no system keyring (such as GNOME Keyring or KWallet), so Codaiq "
            "Desktop cannot store your API key securely. Choose what to do:"
        )
        message.setWordWrap(True)
        layout.addWidget(message)
        self.session_radio = QRadioButton("Keep the key for this session only (ask again next time)")
        self.session_radio.setChecked(True)
        self.file_radio = QRadioButton("Store the key in a file only I can read")
        self.file_help = QLabel(
            "The key is written unencrypted to a file with permissions 0600 in your data folder. "
            "Anyone with access to your user account (or its backups) can read it."
        )
        self.file_help.setWordWrap(True)
        self.file_help.setProperty("hint", "warning")
        self.file_help.setContentsMargins(24, 0, 0, 0)
        self.confirm_box = QCheckBox("I understand the key is stored unencrypted")
        self.confirm_box.setObjectName("confirmFileStorage")
        self.confirm_box.setContentsMargins(24, 0, 0, 0)
        self.confirm_box.setEnabled(False)
        for widget in (self.session_radio, self.file_radio, self.file_help, self.confirm_box):
            layout.addWidget(widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.file_radio.toggled.connect(self._sync)
        self.confirm_box.toggled.connect(self._sync)
        self._sync()
        self.setMinimumWidth(480)

    def _sync(self) -> None:
        to_file = self.file_radio.isChecked()
        self.confirm_box.setEnabled(to_file)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not to_file or self.confirm_box.isChecked())
        ok.setText("Store in file" if to_file else "Keep for this session")

    def storage(self) -> KeyStorage:
        return KeyStorage.FILE if self.file_radio.isChecked() else KeyStorage.SESSION

    def confirmed(self) -> bool:
        return self.file_radio.isChecked() and self.confirm_box.isChecked()


class AccountsDialog(QDialog):
    """The account list: switch, add, edit, remove. Acting on it is the main window's job."""

    sig_switch = Signal(str)
    """Switch to the account with this name."""
    sig_add = Signal()
    """Add a remote account."""
    sig_edit = Signal(str)
    """Edit the account with this name."""
    sig_remove = Signal(str)
    """Remove the account with this name (and its stored key)."""
    sig_sandbox_documented_only = Signal(bool)
    """The local sandbox should (or no longer) answer with only the fields the API docs name."""
    sig_leads_source = Signal(str)
    """Choose where the account with this name takes its leads from (this computer or a team server)."""

    def __init__(self, accounts: AccountList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self.setWindowTitle("Accounts")
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        layout.addWidget(self.list)
        self.documented_only_check = QCheckBox("Local sandbox: send only what the API docs promise")
        self.documented_only_check.setObjectName("sandboxDocumentedOnly")
        self.documented_only_check.setToolTip(
            "The sandbox then sends no website ids, no build progress and only total page views, "
            "as the real service may: try the app against it before the first day with a real key. "
            "The sandbox restarts when this changes."
        )
        self.documented_only_check.toggled.connect(self.sig_sandbox_documented_only)
        layout.addWidget(self.documented_only_check)
        row = QHBoxLayout()
        self.switch_button = QPushButton("Switch to")
        self.add_button = QPushButton(icon("plus"), "Add account\u2026")
        self.edit_button = QPushButton("Edit\u2026")
        self.remove_button = QPushButton("Remove")
        self.leads_source_button = QPushButton("Leads from\u2026")
        self.leads_source_button.setObjectName("leadsSourceButton")
        self.leads_source_button.setToolTip(
            "Where this account's leads come from: this computer or a team inbox server"
        )
        for button in (
            self.switch_button,
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.leads_source_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.switch_button.clicked.connect(lambda: self._emit(self.sig_switch))
        self.edit_button.clicked.connect(lambda: self._emit(self.sig_edit))
        self.remove_button.clicked.connect(lambda: self._emit(self.sig_remove))
        self.leads_source_button.clicked.connect(lambda: self._emit(self.sig_leads_source))
        self.add_button.clicked.connect(self.sig_add)
        self.list.itemDoubleClicked.connect(lambda _item: self._emit(self.sig_switch))
        self.list.currentItemChanged.connect(lambda *_: self._sync())
        self.set_accounts(accounts)
        self.setMinimumSize(460, 300)

    def set_accounts(self, accounts: AccountList) -> None:
        self._accounts = accounts
        sandbox = next((account for account in accounts.accounts if account.is_sandbox), None)
        self.documented_only_check.blockSignals(True)
        self.documented_only_check.setChecked(sandbox is not None and sandbox.documented_only)
        self.documented_only_check.blockSignals(False)
        self.list.clear()
        for account in accounts.accounts:
            where = "on this computer" if account.is_sandbox else account.base_url
            if account.is_sandbox and account.documented_only:
                where += ", documented fields only"
            if account.uses_team_server:
                where += f"; leads from the team inbox server {account.team_url}"
            active = "  \u2014 active" if account.name == accounts.active else ""
            item = QListWidgetItem(f"{account.name}{active}\n{where}")
            item.setData(Qt.ItemDataRole.UserRole, account.name)
            self.list.addItem(item)
            if account.name == accounts.active:
                self.list.setCurrentItem(item)
        self._sync()

    def _selected(self) -> Account | None:
        item = self.list.currentItem()
        return self._accounts.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _emit(self, signal: SignalInstance) -> None:
        account = self._selected()
        if account is not None:
            signal.emit(account.name)

    def _sync(self) -> None:
        account = self._selected()
        self.switch_button.setEnabled(account is not None and account.name != self._accounts.active)
        self.edit_button.setEnabled(account is not None and not account.is_sandbox)
        self.remove_button.setEnabled(account is not None and not account.is_sandbox)
        self.leads_source_button.setEnabled(account is not None)
