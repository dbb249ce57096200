"""Lead lists on PostgreSQL: the filters as SQL, and a plan for text search that fits the words.

The text is a stored ``tsvector`` (``simple`` config, accents folded) with a GIN index.
Under row-level security the planner may not use the GIN index for ``@@`` (the policy's
qual comes first and ``@@`` is not leakproof), and for a rare prefix it would walk the id
index through a million rows; so the matches are first probed, capped, through
``inbox_search_ids`` (bitmap scans on the GIN index only). When they are few, the page is
read from them; when they are many, walking the id index finds a page's worth at once.
Words the statistics say are common (``inbox_search_share``) skip the probe altogether.
"""

from __future__ import annotations

from typing import Any

from .models import COUNT_CAP, LeadPage, LeadQuery
from .postgres_rows import LEAD_COLUMNS, Connection, lead_from_row
from .storage import page_limit, search_words

RARE_MATCHES = 1000
"""A search matching at most this many leads is read through the GIN index; more, by walking the id index."""

COMMON_SHARE = 0.15
"""Words the planner expects in at least this share of all leads skip the GIN probe: walking an index
in id order meets a page and a capped count within tens of thousands of rows, while the probe would
first gather every match (hundreds of thousands) into a bitmap."""


def lead_where(agency_id: str, query: LeadQuery) -> tuple[str, list[Any], bool]:
    """The WHERE clause of a lead query, its parameters (the words' tsquery text last), and whether it searches."""
    parts = ["agency_id = %s"]
    parameters: list[Any] = [agency_id]
    assignee = None if query.unassigned else query.assignee
    for column, value in (("status", query.status), ("website_id", query.website_id), ("assignee", assignee)):
        if value is not None:
            parts.append(f"{column} = %s")
            parameters.append(value)
    if query.unassigned:
        parts.append("assignee IS NULL")
    if query.unread is not None and query.reader is not None:
        negation = "NOT " if query.unread else ""
        parts.append(
            f"{negation}EXISTS (SELECT 1 FROM lead_reads AS r WHERE r.agency_id = leads.agency_id"
            " AND r.member_id = %s AND r.lead_id = leads.id)"
        )
        parameters.append(query.reader)
    elif query.unread is True:
        parts.append("NOT is_read")
    elif query.unread is False:
        parts.append("is_read")
    words = search_words(query.text)
    if words:
        parts.append("search @@ to_tsquery('simple', inbox_unaccent(%s))")
        parameters.append(" & ".join(f"{word}:*" for word in words))
    return " AND ".join(parts), parameters, bool(words)


async def lead_page(c: Connection, agency_id: str, query: LeadQuery) -> LeadPage:
    """One page of ``query``'s leads, newest first, and their capped count (in the caller's transaction)."""
    limit = page_limit(query.limit)
    where, parameters, searching = lead_where(agency_id, query)
    after: tuple[str, list[Any]] = ("", [])
    if query.before_id is not None:
        after = (" AND id < %s", [query.before_id])
    rare: int | None = None
    # The search function knows the lead-wide filters only; per-member read marks and
    # "assigned to nobody" go through the plain query (its WHERE has the words too).
    fast_search = searching and not query.unassigned and (query.reader is None or query.unread is None)
    if fast_search:
        cursor = await c.execute("SELECT inbox_search_share(%s)", [search_words(query.text)])
        share = await cursor.fetchone()
        fast_search = share is None or float(share[0] or 0.0) < COMMON_SHARE
    if fast_search:
        # The GIN index, through inbox_search_ids (row-level security would keep the planner
        # from using it): the capped count, and for a rare word (or prefix) its few matches.
        words = parameters[-1]
        unread = None if query.unread is None else not query.unread
        search = (agency_id, words, query.status, query.website_id, query.assignee, unread)
        cursor = await c.execute(
            "SELECT m FROM inbox_search_ids(%s, %s, %s, %s, %s, %s, %s) AS m", [*search, COUNT_CAP + 1], prepare=False
        )
        matches = [row[0] for row in await cursor.fetchall()]
        found = len(matches)
        if found <= RARE_MATCHES:
            rare = found
            skip = max(0, query.offset)
            wanted = sorted((m for m in matches if query.before_id is None or m < query.before_id), reverse=True)[
                skip : skip + limit + 1
            ]
            cursor = await c.execute(
                f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = %s AND id = ANY(%s) ORDER BY id DESC",
                [agency_id, wanted],
                prepare=False,
            )
            rows = await cursor.fetchall()
        else:
            total_found = int(found)
    if rare is None:
        if fast_search:
            total = total_found
        else:
            cursor = await c.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM leads WHERE {where} LIMIT {COUNT_CAP + 1}) AS capped", parameters
            )
            (total,) = await cursor.fetchone()  # type: ignore[misc]
        cursor = await c.execute(
            f"SELECT {LEAD_COLUMNS} FROM leads WHERE {where}{after[0]} ORDER BY id DESC LIMIT %s OFFSET %s",
            [*parameters, *after[1], limit + 1, max(0, query.offset)],
            prepare=not searching,
        )
        rows = await cursor.fetchall()
    else:
        total = min(rare, COUNT_CAP + 1)
    leads = [lead_from_row(row) for row in rows[:limit]]
    return LeadPage(leads, leads[-1].id if len(rows) > limit else None, int(total))
