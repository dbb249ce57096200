"""The team Leads tab on a server holding 1,000,000 leads, over loopback (``serve`` on PostgreSQL).

The issue's bounds, measured on the real app: the first page on screen within 300 ms of the
tab being opened, and the UI thread never stalled 100 ms while the user scrolls, filters and
searches and colleagues make 50 changes a second (the stall watchdog, on the UI thread's own
time, as in tests/ui/leads/test_leads_freeze.py). The leads are put in the database by one
``INSERT … SELECT`` (a million webhooks would take too long); the changes go through the API.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest
from PySide6.QtCore import QEvent, QObject

from codaiq_desktop.ui.common.stall_watchdog import StallWatchdog
from codaiq_desktop.ui.team.assignment import SCOPE_ALL, SCOPE_MINE, SCOPE_UNASSIGNED
from codaiq_desktop.tls import ssl_context
from tests.inbox_server.serve_process import ROOT

from .conftest import TeamServer, bulk_load_leads

LEADS = 1_000_000
FIRST_PAGE_BOUND_MS = 300.0
CHANGES_PER_SECOND = 50


class FirstPaint(QObject):
    """Notes when the table's viewport is first painted with rows in it."""

    def __init__(self, tab: object) -> None:
        super().__init__()
        self.tab = tab
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        model = self.tab.model  # type: ignore[attr-defined]
        if self.at is None and event.type() == QEvent.Type.Paint and model.rowCount() and model.lead_at(0) is not None:
            self.at = time.perf_counter()
        return False


@pytest.mark.slow  # a million leads are loaded first (a few minutes on a busy machine)
@pytest.mark.timeout(900)
def test_a_million_leads_over_loopback(qtbot, until, team_server: TeamServer, open_desktop, stall_check) -> None:
    bob_id = json_me(team_server, "bob")
    bulk_load_leads(team_server.db, team_server.agency, LEADS, [bob_id])
    alice = open_desktop("alice", show_leads=False)
    until(lambda: alice.services.team.store is not None and alice.services.team.state == "online")
    alice.window.warm_up_tabs()  # as the app does a little after start-up
    until(lambda: not any(thread.name == "tab-warm-up" for thread in threading.enumerate()), timeout=60)

    # First page: from opening the tab to its rows painted.
    opened = time.perf_counter()
    tab = alice.window.tab("leads")
    painted = FirstPaint(tab)
    tab.table.viewport().installEventFilter(painted)
    alice.window.show_tab("leads")
    until(lambda: painted.at is not None, timeout=30)
    first_page_ms = (painted.at - opened) * 1000
    until(lambda: not tab.model.busy)
    assert tab.count_label.text().startswith("10,000+ leads")

    watchdog = StallWatchdog()
    watchdog.start()
    sender = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.team.change_sender",
            team_server.url,
            team_server.tokens["bob"],
            str(CHANGES_PER_SECOND),
            "20",
            str(LEADS - 30),
            str(LEADS),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    bar = tab.table.verticalScrollBar()
    for step in range(11):
        bar.setValue(bar.maximum() * step // 10)
        until(lambda: tab.model.lead_at(bar.value()) is not None)
    bar.setValue(0)
    until(lambda: tab.model.lead_at(0) is not None)
    qtbot.keyClicks(tab.search, "kitchen")
    until(lambda: tab.model.lead_filter.text == "kitchen" and not tab.model.busy)
    assert tab.model.lead_at(0) is not None and "kitchen" in tab.model.lead_at(0).message.lower()
    tab.search.clear()
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("won"))
    until(lambda: tab.model.lead_filter.status == "won" and not tab.model.busy)
    tab.status_filter.setCurrentIndex(0)
    tab.team.set_scope(SCOPE_UNASSIGNED)
    until(lambda: tab.model.lead_filter.assignee == "none" and not tab.model.busy)
    tab.unread_only.setChecked(True)
    until(lambda: tab.model.lead_filter.unread_only and not tab.model.busy)
    tab.unread_only.setChecked(False)
    tab.team.set_scope(SCOPE_ALL)
    until(lambda: tab.model.lead_filter.assignee is None and not tab.model.busy)
    tab.table.selectRow(0)
    until(lambda: tab.detail.lead_id is not None)
    until(lambda: sender.poll() is not None, timeout=60)
    watchdog.stop()
    sent = json.loads(sender.stdout.read() if sender.stdout else "{}")
    rate = sent["changes"] / sent["seconds"]

    # The changes reached the open table: the top rows show the server's current status.
    newest = tab.model.lead_at(0)
    until(lambda: tab.model.lead_at(0).version == server_version(team_server, newest.id), timeout=10)
    print(
        f"\nfirst page on screen: {first_page_ms:.0f} ms; longest stall: {watchdog.longest_own_ms:.0f} ms own, "
        f"{watchdog.longest_ms:.0f} ms wall clock; colleagues' changes: {rate:.1f}/s ({sent})"
    )
    assert sent["changes"] >= 20 * CHANGES_PER_SECOND * 0.8, f"the sender fell behind: {sent}"
    assert watchdog.ticks > 20
    first_page_bound, slowness = stall_check.scaled(FIRST_PAGE_BOUND_MS)
    assert first_page_ms < first_page_bound, (
        f"first page took {first_page_ms:.0f} ms (bound {first_page_bound:.0f} ms: this machine paints {slowness:.2f}x"
        " slower than the reference)"
    )
    stall_check(watchdog, "scrolling, filtering and searching a million leads while colleagues change 50 a second")
    tab.team.set_scope(SCOPE_MINE)
    until(lambda: tab.model.lead_filter.assignee == "me" and not tab.model.busy)
    assert tab.model.rowCount() == 0  # a third are Bob's; none are Alice's


def json_me(team_server: TeamServer, who: str) -> str:
    import httpx

    answer = httpx.get(
        f"{team_server.url}/api/v1/me",
        verify=ssl_context(),
        headers={"Authorization": f"Bearer {team_server.tokens[who]}"},
    )
    return str(answer.json()["member"]["id"])


def server_version(team_server: TeamServer, lead_id: int) -> int:
    import httpx

    answer = httpx.get(
        f"{team_server.url}/api/v1/leads/{lead_id}",
        verify=ssl_context(),
        headers={"Authorization": f"Bearer {team_server.tokens['alice']}"},
    )
    return int(answer.json()["version"])
