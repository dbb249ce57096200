"""The banner a team Leads tab shows while the inbox server cannot be reached.

It says since when the rows are ("Offline — showing leads as of 14:02") and how many
edits wait to be sent, so nobody mistakes the cached inbox for the live one or thinks a
change was lost. It is not dismissable while offline: the state it reports is still true.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import QWidget

from codaiq_desktop.ui.common.formatting import to_datetime
from codaiq_desktop.ui.common.widgets import MessageBanner


def offline_text(as_of: _dt.datetime | None, pending: int) -> str:
    """The banner's sentence for rows cached at ``as_of`` and ``pending`` queued edits."""
    moment = to_datetime(as_of)
    if moment is None:
        text = "Offline — the team inbox server cannot be reached."
    else:
        local = moment.astimezone()
        today = _dt.datetime.now().astimezone().date()
        when = local.strftime("%H:%M") if local.date() == today else local.strftime("%Y-%m-%d %H:%M")
        text = f"Offline — showing leads as of {when}."
    if pending:
        noun = "change" if pending == 1 else "changes"
        text += f" {pending:,} {noun} pending: sent in order when the server is back."
    else:
        text += " Changes you make are kept and sent when the server is back."
    return text


class OfflineBanner(MessageBanner):
    """``set_offline(as_of, pending)`` / ``set_online()``; "Try now" emits ``sig_action``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.close_button.hide()
        self._offline = False
        self._as_of: _dt.datetime | None = None
        self._pending = 0

    @property
    def offline(self) -> bool:
        return self._offline

    def set_offline(self, as_of: _dt.datetime | None, pending: int = 0) -> None:
        self._offline = True
        self._as_of = as_of
        self._pending = pending
        self.show_message(offline_text(as_of, pending), "warning", "Try now")

    def set_pending(self, pending: int) -> None:
        """Queued edits changed; the count is shown only while offline."""
        self._pending = pending
        if self._offline:
            self.label.setText(offline_text(self._as_of, pending))

    def set_online(self) -> None:
        self._offline = False
        self.hide()
