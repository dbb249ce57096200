"""What the main window's team actions do: choose where an account's leads come from, and
File › Start a local inbox server. Kept here so the window only wires menus to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from codaiq_desktop.accounts import KeyStorage
from codaiq_desktop.ui.common.async_dialog import ask
from codaiq_desktop.ui.team.leads_source_dialog import LeadsSourceDialog

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

TOKEN_PLACE = {
    KeyStorage.KEYRING: "The member token is kept in the system keyring.",
    KeyStorage.FILE: "The member token is kept in the key file only you can read.",
    KeyStorage.SESSION: "No keyring on this computer: the member token is kept for this session only.",
}


async def choose_leads_source(services: AppServices, account_name: str, parent: QWidget) -> str | None:
    """Ask where ``account_name``'s leads come from; save (checked) and reconnect. A status sentence,
    or ``None`` when the user cancelled."""
    account = services.accounts.get(account_name)
    if account is None:
        return None
    dialog = LeadsSourceDialog(account, services, parent)
    try:
        if await ask(dialog) != QDialog.DialogCode.Accepted:
            return None
        server = dialog.server() if dialog.team_chosen else None
        checked_as = dialog.checked_as
    finally:
        dialog.deleteLater()
    saved, where = await services.team.save_source(account, server)
    if server is None:
        return f"\u201c{saved.name}\u201d takes its leads from this computer."
    who = f" as {checked_as}" if checked_as else ""
    place = TOKEN_PLACE[where] if where is not None else ""
    return f"\u201c{saved.name}\u201d takes its leads from {saved.team_url}{who}. {place}".strip()


async def start_local_inbox_server(services: AppServices) -> str:
    """File › Start a local inbox server: start it (set up the first time) and connect the sandbox."""
    account = await services.team.local_inbox_server().start_and_connect()
    return f"The local inbox server runs at {account.team_url}: the sandbox's webhooks and leads go through it."
