"""``TeamStore``: the team inbox behind the interface the Leads and Events tabs already read.

The tabs read a local ``Store`` on a worker thread (``StoreReader``) with blocking calls;
``TeamStore`` offers the same calls (``count_leads``, ``list_leads``, ``get_lead``,
``unread_count``, ``list_events``, …) over a team inbox server, so the models work
unchanged. Network calls run on the store's own I/O thread (an asyncio loop with one
:class:`TeamClient`); a blocking call waits for its answer there, never on the UI thread.

Offline: every page served is kept in :class:`TeamCache`; when the server cannot be
reached, reads are answered from it (``as_of`` says when it was fetched) and edits go to
an ordered outbox, shown at once with ``pending=True`` and replayed in order on
reconnect. A replayed edit that a colleague's change made stale is reported as an
``EditConflict`` to the listener and kept until the user chooses; it is never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, TypeVar, cast

from codaiq_desktop.store.csv_export import write_leads_csv
from codaiq_desktop.store.models import Lead, LeadFilter, StoredEvent

from .cache import TeamCache, cache_file, filter_key
from .client import MAX_PAGE, TeamClient
from .errors import EditConflict, LeadGoneError, TeamUnreachable
from .event_reads import TeamEventReads
from .follower import Backoff, TeamFollower
from .invite import TeamServer
from .io_thread import TeamIoThread
from .models import CappedCount, ReceiverInfo, TeamChange, TeamHistoryEntry, TeamLead, TeamLeadPage, TeamMember
from .outbox import KEEP, _Keep, queued_conflicts, replay_outbox, version_for, with_pending
from .store_async import TeamStoreAsync

__all__ = ["KEEP", "TeamListener", "TeamStore"]

T = TypeVar("T")

OFFLINE_RETRY_SECONDS: Final = 5.0
"""Without a follower to say when the server is back, reads try it again after this long."""
COUNT_MEMO_SECONDS: Final = 2.0
"""The first page read with a count is handed to the page read that follows it (one round trip, not two)."""
FIRST_PAGE: Final = 200
"""The page the Leads table reads first (``LeadsTableModel.PAGE_SIZE``)."""


@dataclass
class TeamListener:
    """What the store tells the UI, each called on the store's I/O thread (emit a Qt signal there).

    ``on_change(change)``: a change from the live stream, in order, none skipped or doubled.
    ``on_connection(online, as_of)``: the server became reachable or not; ``as_of`` is when the
    data shown was last fetched from it. ``on_conflict(conflict)``: an edit queued offline was
    refused on replay (a colleague changed the lead); it waits for ``resolve_conflict``.
    ``on_pending(count)``: the number of my edits not yet on the server changed.
    """

    on_change: Callable[[TeamChange], None] | None = None
    on_connection: Callable[[bool, datetime | None], None] | None = None
    on_conflict: Callable[[EditConflict], None] | None = None
    on_pending: Callable[[int], None] | None = None


class TeamStore(TeamEventReads, TeamStoreAsync):
    """A team inbox server read and edited through blocking calls, with an offline copy.

    ``open()`` before use, ``close()`` after. Call it from worker threads (the
    ``StoreReader``), never from the UI thread and never from a listener callback; on a
    loop, await the ``*_async`` calls (:class:`TeamStoreAsync`).
    """

    sortable_keys: Final = ("received_at",)
    """The server keeps leads in one order, newest first; other sorts are not offered."""
    can_sort_ascending: Final = False

    def __init__(
        self,
        server: TeamServer,
        cache_dir: Path,
        *,
        account: str | None = None,
        timeout: float = 10.0,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__()
        self.server = server
        self.account = account
        self._timeout = timeout
        self._backoff = backoff or Backoff()
        self._cache_path = cache_file(server, cache_dir)
        self._cache: TeamCache | None = None
        self._client: TeamClient | None = None
        self._io = TeamIoThread()
        self._state = threading.Lock()
        self._online = False
        self._failed_at = 0.0
        self._as_of: datetime | None = None
        self._as_of_saved = 0.0
        self._listener = TeamListener()
        self._follower: TeamFollower | None = None
        self._follow_task: asyncio.Task[None] | None = None
        self._flush_lock: asyncio.Lock | None = None
        self._members: list[TeamMember] | None = None
        self._memo: tuple[float, str, list[TeamLead], CappedCount] | None = None
        self.member: TeamMember | None = None
        """Me (the token's member); known after ``open``."""
        self.agency_name: str | None = None

    def __repr__(self) -> str:
        return f"TeamStore({self.server.url!r})"

    # -- lifecycle ---------------------------------------------------------------------------
    def open(self) -> None:
        """Connect (or, if the server is unreachable but a copy exists, open on the copy)."""
        self._io.start()
        self._cache = TeamCache(self._cache_path)
        self._client = TeamClient(self.server, timeout=self._timeout, account=self.account)
        self._flush_lock = self._run(_make_lock())
        try:
            member, agency, head = self._run(self._client.whoami())
        except TeamUnreachable:
            saved = self._cache.get_meta("member")
            if saved is None:
                self.close()
                raise
            self.member = TeamMember(**json.loads(saved))
            self.agency_name = self._cache.get_meta("agency")
            self._as_of = self._cache.as_of
            self._failed_at = time.monotonic()
            return
        except BaseException:
            self.close()
            raise
        self.member, self.agency_name = member, agency
        self._cache.set_meta("member", json.dumps(dataclasses.asdict(member)))
        self._cache.set_meta("agency", agency or "")
        last = self._cache.last_event_id
        if last is None or last > head:  # a new cache, or a server whose log started again
            self._cache.set_last_event_id(head)
        self._went_online()

    def close(self) -> None:
        """Stop following, close the connection and the cache. Safe to call twice."""

        async def shut() -> None:
            if self._follower is not None:
                self._follower.stop()
            if self._follow_task is not None:
                self._follow_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._follow_task
            if self._client is not None:
                await self._client.aclose()

        self._io.stop(shut)
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    @property
    def cache(self) -> TeamCache:
        if self._cache is None:
            raise RuntimeError("The team store is not open.")
        return self._cache

    @property
    def client(self) -> TeamClient:
        if self._client is None:
            raise RuntimeError("The team store is not open.")
        return self._client

    # -- the I/O thread ----------------------------------------------------------------------
    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self._io.run(coroutine)

    def _notify(self, callback: Callable[..., None] | None, *args: Any) -> None:
        """Call a listener on the I/O thread (whichever thread noticed)."""
        self._io.notify(callback, *args)

    # -- online and offline ---------------------------------------------------------------------
    @property
    def online(self) -> bool:
        return self._online

    @property
    def as_of(self) -> datetime | None:
        """When the leads shown were last fetched from the server (``None``: never)."""
        return self._as_of

    def _went_online(self) -> None:
        now = datetime.now(UTC)
        with self._state:
            changed = not self._online
            self._online = True
            self._as_of = now
            save = time.monotonic() - self._as_of_saved > 5.0 or changed
            if save:
                self._as_of_saved = time.monotonic()
        if save and self._cache is not None:
            self._cache.set_as_of(now)
        if changed:
            self._notify(self._listener.on_connection, True, now)
            self._schedule_flush()

    def _went_offline(self) -> None:
        with self._state:
            changed = self._online
            self._online = False
            self._failed_at = time.monotonic()
        if changed:
            self._notify(self._listener.on_connection, False, self._as_of)

    def _skip_network(self) -> bool:
        if self._online:
            return False
        if self._follower is not None and self._follow_task is not None and not self._follow_task.done():
            return True  # the follower says when the server is back
        return time.monotonic() - self._failed_at < OFFLINE_RETRY_SECONDS

    def _network(self, call: Callable[[TeamClient], Awaitable[T]]) -> T:
        """One server call from a worker thread; marks the store online or offline by its outcome."""
        if self._skip_network():
            raise TeamUnreachable(f"The team inbox server at {self.server.url} cannot be reached right now.")
        client = self.client

        async def run() -> T:
            return await call(client)

        try:
            result = self._run(run())
        except TeamUnreachable:
            self._went_offline()
            raise
        self._went_online()
        return result

    # -- reading leads (the LeadSource protocol) -----------------------------------------------
    def count_leads(self, lead_filter: LeadFilter | None = None) -> CappedCount:
        """Leads matching ``lead_filter``, capped ("10,000+"); from the copy when offline."""
        wanted = lead_filter or LeadFilter()
        key = filter_key(wanted)
        try:
            page = self._network(lambda client: client.leads(wanted, limit=FIRST_PAGE))
        except TeamUnreachable:
            cached = self.cache.count(key)
            if cached is None:
                return CappedCount(len(self.cache.matching(wanted, self._member_id(), self.account)))
            first = self.cache.page_ids(key, 0, FIRST_PAGE) or [0]
            newer = len(self._newer(wanted, first))
            return CappedCount(int(cached) + newer, cached.capped) if newer else cached
        self.cache.put_page(key, 0, FIRST_PAGE, page.leads, page.total)
        self._memo = (time.monotonic(), key, page.leads, page.total)
        return page.total

    def list_leads(
        self,
        lead_filter: LeadFilter | None = None,
        sort: str = "received_at",
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
    ) -> list[TeamLead]:
        """A page of leads, newest first, from row ``offset`` (as ``Store.list_leads``)."""
        if sort != "received_at" or not descending:
            raise ValueError("A team inbox shows its leads newest first; it cannot sort them by another column.")
        wanted = lead_filter or LeadFilter()
        key = filter_key(wanted)
        offset, limit = max(0, int(offset)), max(1, int(limit))
        memo, self._memo = self._memo, None
        if (
            memo is not None
            and offset == 0
            and limit <= FIRST_PAGE
            and memo[1] == key
            and time.monotonic() - memo[0] < COUNT_MEMO_SECONDS
        ):
            return self._with_pending(memo[2][:limit])
        try:
            leads = self._fetch(wanted, key, offset, limit)
        except TeamUnreachable:
            return self._with_pending(self._cached_page(wanted, key, offset, limit))
        return self._with_pending(leads)

    def _fetch(self, wanted: LeadFilter, key: str, offset: int, limit: int) -> list[TeamLead]:
        leads: list[TeamLead] = []
        total: CappedCount | None = None
        while len(leads) < limit:
            size = min(MAX_PAGE, limit - len(leads))
            start = offset + len(leads)
            page = self._network(_leads_call(wanted, offset=start, limit=size))
            total = page.total if total is None else total
            leads.extend(page.leads)
            if len(page.leads) < size:
                break
        self.cache.put_page(key, offset, limit, leads, total if offset == 0 else None)
        return leads

    def _cached_page(self, wanted: LeadFilter, key: str, offset: int, limit: int) -> list[TeamLead]:
        ids = self.cache.page_ids(key, offset, limit)
        if ids is None:
            return self.cache.matching(wanted, self._member_id(), self.account)[offset : offset + limit]
        found = self.cache.leads(ids, self.account)
        page = [found[i] for i in ids if i in found]
        if offset == 0:  # leads the stream brought since this page was fetched go on top
            page = (self._newer(wanted, ids) + page)[:limit]
        return page

    def _newer(self, wanted: LeadFilter, page_ids: list[int]) -> list[TeamLead]:
        return self.cache.matching(wanted, self._member_id(), self.account, newer_than=max(page_ids, default=0))

    def get_lead(self, lead_id: int) -> TeamLead | None:
        try:
            lead = self._network(lambda client: client.lead(lead_id))
        except LeadGoneError:
            return None
        except TeamUnreachable:
            cached = self.cache.lead(lead_id, self.account)
            return self._with_pending([cached])[0] if cached is not None else None
        self.cache.put_leads([lead])
        return self._with_pending([lead])[0]

    def unread_count(self, account: str | None = None) -> CappedCount:
        """Leads I have not read (read and unread are per member), capped."""
        return self.count_leads(LeadFilter(unread_only=True))

    def _member_id(self) -> str | None:
        return self.member.id if self.member is not None else None

    def _with_pending(self, leads: list[TeamLead]) -> list[TeamLead]:
        """Leads with my edits not yet on the server applied, marked ``pending``."""
        return with_pending(self._cache, leads)

    # -- editing -------------------------------------------------------------------------------
    def update_lead(
        self,
        lead_id: int,
        *,
        status: str | None = None,
        notes: str | None = None,
        read: bool | None = None,
        assignee: str | None | _Keep = KEEP,
        version: int | None = None,
    ) -> TeamLead:
        """Change a lead if it is still at ``version`` (the version the user saw; default: the copy's).

        ``EditConflict`` if a colleague changed it meanwhile. When the server cannot be
        reached (or earlier edits still wait), the edit is queued and the lead comes back
        with it applied and ``pending=True``.
        """
        changes: dict[str, Any] = {}
        if status is not None:
            changes["status"] = status
        if notes is not None:
            changes["notes"] = notes
        if not isinstance(assignee, _Keep):
            changes["assignee"] = assignee
        if read is not None:
            changes["read"] = bool(read)
        current = self.cache.lead(lead_id, self.account)
        if not changes:
            found = self.get_lead(lead_id)
            if found is None:
                raise LeadGoneError(f"Lead {lead_id} is not in the team inbox (any more).")
            return found
        base = version if version is not None else (current.version if current is not None else None)
        if base is None and set(changes) != {"read"}:
            fetched = self.get_lead(lead_id)
            if fetched is None:
                raise LeadGoneError(f"Lead {lead_id} is not in the team inbox (any more).")
            base, current = fetched.version, fetched
        if self.cache.pending_count() == 0:
            try:
                lead = self._network(lambda client: client.update_lead(lead_id, version_for(changes, base), changes))
            except EditConflict as conflict:
                self.cache.put_leads([conflict.current])
                raise
            except TeamUnreachable:
                pass
            else:
                self.cache.put_leads([lead])
                return lead
        return self._queue(lead_id, base, changes, current)

    def _queue(self, lead_id: int, base: int | None, changes: dict[str, Any], current: TeamLead | None) -> TeamLead:
        self.cache.enqueue(lead_id, base, changes)
        self._notify(self._listener.on_pending, self.cache.pending_count())
        if self._online:
            self._schedule_flush()
        shown = current or self.cache.lead(lead_id, self.account)
        if shown is None:
            raise TeamUnreachable(
                "The lead is not in this computer's copy and the server cannot be reached; "
                "the change is queued and will be sent when it is back."
            )
        return self._with_pending([shown])[0]

    def mark_read(self, lead_ids: list[int] | tuple[int, ...], read: bool = True) -> int:
        """Mark leads read (or unread) for me; returns how many were marked."""
        done = 0
        for lead_id in lead_ids:
            self.update_lead(int(lead_id), read=read)
            done += 1
        return done

    def take(self, lead_id: int, *, version: int | None = None) -> TeamLead:
        """Assign the lead to me ("Take it")."""
        if self.member is None:
            raise RuntimeError("The team store is not open.")
        return self.update_lead(lead_id, assignee=self.member.id, version=version)

    # -- the outbox -------------------------------------------------------------------------------
    def pending_count(self) -> int:
        """My edits not on the server yet (queued, or waiting for a choice after a conflict)."""
        return self.cache.pending_count() if self._cache is not None else 0

    def pending_lead_ids(self) -> set[int]:
        return set(self.cache.pending_changes())

    def pending_conflicts(self) -> list[EditConflict]:
        """Queued edits refused on replay, still waiting for ``resolve_conflict`` (also after a restart)."""
        return queued_conflicts(self.cache, self.account)

    def flush_outbox(self) -> list[EditConflict]:
        """Send the queued edits now, in order; returns the conflicts met (also told to the listener)."""
        return self._run(self._flush())

    def _schedule_flush(self) -> None:
        if self._io.loop is None or self._cache is None or self._cache.pending_count() == 0:
            return
        self._io.submit(self._flush())

    async def _flush(self) -> list[EditConflict]:
        """Replay the outbox in order (on the I/O thread), one replay at a time."""
        assert self._flush_lock is not None
        async with self._flush_lock:
            cache = self.cache
            conflicts = await replay_outbox(
                cache,
                self.client,
                on_offline=self._went_offline,
                on_conflict=lambda conflict: self._notify(self._listener.on_conflict, conflict),
            )
            self._notify(self._listener.on_pending, cache.pending_count())
        return conflicts

    def resolve_conflict(self, conflict: EditConflict, keep_mine: bool) -> TeamLead:
        """Settle a conflict: send my changes over the colleague's version, or take theirs.

        May raise ``EditConflict`` again (someone changed it once more). Offline, keeping
        mine queues it again, now based on the colleague's version.
        """
        if conflict.outbox_id is not None:
            self.cache.remove(conflict.outbox_id)
        if not keep_mine:
            self._notify(self._listener.on_pending, self.cache.pending_count())
            return self.get_lead(conflict.lead_id) or conflict.current
        mine, base = conflict.mine, conflict.current.version
        try:
            lead = self._network(lambda client: client.update_lead(conflict.lead_id, base, mine))
        except TeamUnreachable:
            return self._queue(conflict.lead_id, base, mine, conflict.current)
        except EditConflict as again:
            self.cache.put_leads([again.current])
            raise
        finally:
            self._notify(self._listener.on_pending, self.cache.pending_count())
        self.cache.put_leads([lead])
        return lead

    # -- following the stream ------------------------------------------------------------------------
    def start_following(self, listener: TeamListener) -> None:
        """Follow the server's live changes, calling ``listener`` (on the I/O thread) until ``close``.

        ``listener.on_connection`` is called at once with the current state, then on each change.
        Returns at once (safe on the UI thread); the stream opens on the I/O thread.
        """
        self._listener = listener
        self._notify(listener.on_connection, self._online, self._as_of)  # where things stand now
        # Scheduled, not waited for: the UI thread may call this.
        self._io.submit(self._start_follower())

    async def _start_follower(self) -> None:
        if self._follow_task is not None and not self._follow_task.done():
            return
        self._follower = TeamFollower(
            self.client,
            self.cache,
            on_change=self._handle_change,
            on_connection=self._stream_connection,
            on_auth_error=lambda exc: self._went_offline(),
            backoff=self._backoff,
        )
        self._follow_task = asyncio.get_running_loop().create_task(self._follower.run(), name="team-follower")

    def _handle_change(self, change: TeamChange) -> None:
        self.cache.put_leads([change.lead])
        shown = self._with_pending([change.lead])[0]
        if shown is not change.lead:
            change = dataclasses.replace(change, lead=shown)
        if self._listener.on_change is not None:
            self._listener.on_change(change)

    def _stream_connection(self, online: bool) -> None:
        if online:
            self._went_online()
        else:
            self._went_offline()

    @property
    def stream_connected(self) -> bool:
        """The live stream is open now (changes arrive as they happen)."""
        return self._follower is not None and self._follower.connected

    @property
    def stream_reconnects(self) -> int:
        """How many times the live stream was opened again after a drop."""
        return self._follower.reconnects if self._follower is not None else 0

    # -- the team -----------------------------------------------------------------------------------------
    def members(self) -> list[TeamMember]:
        """The agency's members (from the copy when offline)."""
        try:
            members = self._network(lambda client: client.members())
        except TeamUnreachable:
            if self._members is not None:
                return list(self._members)
            saved = self.cache.get_meta("members")
            return [TeamMember(**item) for item in json.loads(saved)] if saved else []
        self._members = members
        self.cache.set_meta("members", json.dumps([dataclasses.asdict(m) for m in members]))
        return list(members)

    def member_name(self, member_id: str | None) -> str:
        """A member's email for display ("Unassigned" for none); no network call."""
        if member_id is None:
            return "Unassigned"
        if self.member is not None and member_id == self.member.id:
            return self.member.email
        for member in self._members or []:
            if member.id == member_id:
                return member.email
        return "Unknown member"

    def lead_history(self, lead_id: int) -> list[TeamHistoryEntry]:
        """Who changed what on a lead, oldest first (needs the server)."""
        return self._network(lambda client: client.history(lead_id))

    def lead_events(self, lead_id: int) -> list[StoredEvent]:
        """The events that fed a lead, oldest first (needs the server)."""
        return self._network(lambda client: client.lead_events(lead_id))

    def receiver_info(self) -> ReceiverInfo:
        return self._network(lambda client: client.receiver_info())

    def export_leads_csv(
        self, lead_filter: LeadFilter | None, path: str | Path, website_names: Mapping[str, str] | None = None
    ) -> int:
        """Every lead matching ``lead_filter`` (filtered by the server, read page by page) to CSV."""
        wanted = lead_filter or LeadFilter()

        def leads() -> Iterator[TeamLead]:
            cursor: str | None = None
            while True:
                page = self._network(_leads_call(wanted, limit=MAX_PAGE, cursor=cursor))
                yield from page.leads
                cursor = page.next_cursor
                if cursor is None:
                    return

        # TeamLead has every attribute of Lead the writer reads.
        return write_leads_csv(cast(Iterator[Lead], leads()), Path(path), website_names)


def _leads_call(
    wanted: LeadFilter, *, offset: int = 0, limit: int = 200, cursor: str | None = None
) -> Callable[[TeamClient], Awaitable[TeamLeadPage]]:
    return lambda client: client.leads(wanted, offset=offset, limit=limit, cursor=cursor)


async def _make_lock() -> asyncio.Lock:
    return asyncio.Lock()
