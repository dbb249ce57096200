"""Who is who in a team: member ids (what the server stores) to the names people read.

The server keeps an assignee and an editor as a member id; people read "Alice". A
member has an email and may have a name; the label is the name, else the email's
local part capitalised ("alice.smith@…" → "Alice Smith").
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass

from codaiq_desktop.ui.common.formatting import to_datetime
from codaiq_desktop.team.models import TeamMember as ServerMember


@dataclass(frozen=True)
class TeamMember:
    """One member as the Leads tab shows them."""

    id: str
    email: str
    label: str


def member_label(email: str | None, name: str | None = None) -> str:
    """The name people read for a member."""
    if name:
        return name
    if not email:
        return "Someone"
    local = email.split("@", 1)[0]
    words = [word for word in local.replace("_", ".").replace("-", ".").split(".") if word]
    return " ".join(word.capitalize() for word in words) or email


class TeamDirectory:
    """The agency's members, and which one this desktop is."""

    def __init__(self, members: Iterable[ServerMember] = (), me: str | None = None) -> None:
        self._members: dict[str, TeamMember] = {}
        self.me = me
        """The member id of this desktop's token (``None`` until known)."""
        self.update(members)

    def update(self, members: Iterable[ServerMember]) -> None:
        """Take the server's member list; revoked members are kept for names."""
        for member in members:
            self._members[member.id] = TeamMember(member.id, member.email, member_label(member.email))

    def members(self) -> list[TeamMember]:
        """Everyone, by label (for the "Assign to…" menu)."""
        return sorted(self._members.values(), key=lambda member: member.label.lower())

    def label(self, member_id: str | None) -> str:
        """``member_id``'s label; "Unassigned" for none and a short id for a stranger."""
        if not member_id:
            return ""
        member = self._members.get(str(member_id))
        if member is not None:
            return "You" if member.id == self.me else member.label
        return f"Member {str(member_id)[:8]}"

    def full_label(self, member_id: str | None) -> str:
        """Like :meth:`label` but never "You" (for what others read, like tooltips)."""
        member = self._members.get(str(member_id)) if member_id else None
        return member.label if member is not None else self.label(member_id)


def relative_time(moment: object, now: _dt.datetime | None = None) -> str:
    """ "just now", "2 min ago", "3 h ago", "yesterday", else the date: how people say when."""
    when = to_datetime(moment)
    if when is None:
        return ""
    now = now or _dt.datetime.now(_dt.UTC)
    seconds = (now - when).total_seconds()
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h ago"
    if seconds < 2 * 86400:
        return "yesterday"
    return when.astimezone().strftime("%Y-%m-%d")
