"""Leads to CSV that Excel opens correctly and cannot be tricked by.

Excel needs a byte-order mark to read UTF-8 (without it, "Zoë" turns into mojibake), and
it runs any cell that starts like a formula. A lead's name or message is typed by a
stranger on a public form, so such cells get a leading apostrophe: Excel then shows the
text as typed and never evaluates it (the OWASP "CSV injection" advice). A phone number
that is only a phone number (``+44 20 7946 0000``: digits, spaces, ``+ ( ) - .``) is written
as typed: it holds no function, reference or command, so there is nothing to neutralise,
and an apostrophe would end up in every other tool that reads the file. Anything else in
the Phone field is treated like any other stranger's text.

The Website column holds the site's name when the app knows it (the ID is beside it).
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .models import Lead

HEADER = (
    "Received (UTC)",
    "Name",
    "Email",
    "Phone",
    "Message",
    "Status",
    "Notes",
    "Read",
    "Website",
    "Website ID",
    "Project ID",
    "Lead ID",
    "Captured at",
    "Account",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralize_cell(value: str) -> str:
    """``value`` made safe for a spreadsheet cell: formula-like text gets a leading ``'``."""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


_PHONE = re.compile(r"\+?[0-9][0-9 ().\-]*\Z")


def phone_cell(value: str) -> str:
    """A phone number as typed when it is only one; otherwise neutralised like any text."""
    return value if _PHONE.match(value) else neutralize_cell(value)


def _row(lead: Lead, website_names: Mapping[str, str]) -> list[str]:
    phone = phone_cell(lead.phone or "")
    cells = (
        lead.received_at.strftime("%Y-%m-%d %H:%M:%S"),
        lead.name or "",
        lead.email or "",
        lead.phone or "",
        lead.message or "",
        lead.status,
        lead.notes,
        "yes" if lead.read else "no",
        website_names.get(lead.website_id or "", ""),
        lead.website_id or "",
        lead.project_id or "",
        lead.lead_id or "",
        lead.captured_at or "",
        lead.account or "",
    )
    row = [neutralize_cell(cell) for cell in cells]
    row[HEADER.index("Phone")] = phone
    return row


def write_leads_csv(leads: Iterable[Lead], path: Path, website_names: Mapping[str, str] | None = None) -> int:
    """Write ``leads`` to ``path`` (UTF-8 with BOM, CRLF rows); return the number of leads.

    Written to a temporary file beside ``path`` and moved into place at the end, so an
    error half-way never leaves a truncated file where the user expects a full export.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    count = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, dialect="excel")
            writer.writerow(HEADER)
            for lead in leads:
                writer.writerow(_row(lead, website_names or {}))
                count += 1
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return count
