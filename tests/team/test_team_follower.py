"""The live stream follower: across a killed and restarted ``serve`` and an app restart, every
change arrives once, in order."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from codaiq_desktop.store import LeadFilter
from codaiq_desktop.team import Backoff, TeamChange, TeamListener, TeamStore
from tests.fixtures.team_server import TeamServerProcess

WAIT = 90.0
"""How long a test waits for something that should happen (a bound for a stuck test, not a speed check)."""


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what}")
        time.sleep(0.02)


class Recorder:
    """A listener that keeps what it was told (called on the store's I/O thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changes: list[TeamChange] = []
        self.connection: list[bool] = []
        self.pending: list[int] = []

    def listener(self) -> TeamListener:
        return TeamListener(on_change=self._change, on_connection=self._connection, on_pending=self._pending)

    def _change(self, change: TeamChange) -> None:
        with self.lock:
            self.changes.append(change)

    def _connection(self, online: bool, as_of: datetime | None) -> None:
        with self.lock:
            self.connection.append(online)

    def _pending(self, count: int) -> None:
        with self.lock:
            self.pending.append(count)

    def names(self) -> list[str | None]:
        with self.lock:
            return [change.lead.name for change in self.changes]


FAST = Backoff(first=0.2, longest=1.0)


def test_nothing_skipped_nothing_doubled_across_a_server_restart(
    team_server: TeamServerProcess, tmp_path: Path
) -> None:
    team_server.post_lead(0)  # before the desktop connects: in its first page, not in the stream
    store = TeamStore(team_server.server("alice"), tmp_path / "cache", backoff=FAST)
    store.open()
    seen = Recorder()
    try:
        assert [lead.name for lead in store.list_leads(LeadFilter())] == ["Person 0"]
        store.start_following(seen.listener())
        wait_until(lambda: store.stream_connected and seen.connection[:1] == [True], "the stream to open")
        for number in (1, 2, 3):
            team_server.post_lead(number)
        wait_until(lambda: len(seen.changes) >= 3, "the first three leads")
        team_server.kill()
        wait_until(lambda: seen.connection[-1:] == [False], "the desktop to notice the server is gone")
        assert not store.online
        offline = store.list_leads(LeadFilter())  # served from the copy: the page, and what the stream brought
        assert [lead.name for lead in offline] == ["Person 3", "Person 2", "Person 1", "Person 0"]
        assert store.count_leads(LeadFilter()) == 4
        team_server.start_again()
        for number in (4, 5, 6):  # sent while the desktop is (probably still) disconnected
            team_server.post_lead(number)
        team_server.post_lead(4, event="form.submitted")  # a second event of lead 4: a change, not a lead
        wait_until(lambda: len(seen.changes) >= 7, "the leads sent around the restart")
        team_server.post_lead(7)
        wait_until(lambda: len(seen.changes) >= 8, "a lead after the reconnection")
        assert store.count_leads(LeadFilter()) == 8  # a round trip: a doubled change would be in by now
        seqs = [change.seq for change in seen.changes]
        assert seqs == list(range(seqs[0], seqs[0] + 8)), seqs  # gapless, in order, no repeats
        assert seen.names() == [f"Person {n}" for n in (1, 2, 3, 4, 5, 6, 4, 7)]
        assert [change.kind for change in seen.changes][6] == "lead.updated"
        assert seen.connection[0] is True and False in seen.connection and seen.connection[-1] is True
        assert store.stream_reconnects >= 1
    finally:
        store.close()


def test_an_app_restart_resumes_from_the_last_change_it_handled(
    sqlite_team_server: TeamServerProcess, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = TeamStore(sqlite_team_server.server("bob"), cache, backoff=FAST)
    first.open()
    seen = Recorder()
    first.start_following(seen.listener())
    wait_until(lambda: first.stream_connected, "the stream to open")
    sqlite_team_server.post_lead(1)
    wait_until(lambda: len(seen.changes) == 1, "lead 1")
    first.close()  # the app quits
    sqlite_team_server.post_lead(2)  # while it is closed
    sqlite_team_server.post_lead(3)
    again = TeamStore(sqlite_team_server.server("bob"), cache, backoff=FAST)
    again.open()
    later = Recorder()
    try:
        again.start_following(later.listener())
        wait_until(lambda: len(later.changes) >= 2, "the leads that came while the app was closed")
        sqlite_team_server.post_lead(4)
        wait_until(lambda: len(later.changes) >= 3, "lead 4")
        assert later.names() == ["Person 2", "Person 3", "Person 4"]
        assert [c.seq for c in later.changes] == [seen.changes[0].seq + n for n in (1, 2, 3)]
    finally:
        again.close()
