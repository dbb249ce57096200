"""CSV export: Excel-readable UTF-8, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codaiq_desktop.store import LeadFilter, Store
from codaiq_desktop.store.csv_export import HEADER, neutralize_cell
from tests.fixtures.receiver import encode, make_event

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and full-width


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


async def test_export_writes_every_matching_lead_safely(store: Store, tmp_path: Path) -> None:
    hostile = {
        "leadId": "h1",
        "name": '=HYPERLINK("http://evil.example","click")',
        "email": "@SUM(A1)",
        "phone": "+44 20 7946 0000",
        "message": '-2+3, with "quotes"\nand a second line',
    }
    await store.ingest(encode(make_event(website_id="web_x", data=hostile)), {})
    await store.ingest(
        encode(make_event(website_id="web_x", data={"leadId": "u1", "name": "Zoë 🚀", "email": "z@example.com"})), {}
    )
    await store.ingest(encode(make_event(website_id="web_other")), {})
    lead = store.list_leads(LeadFilter(text="zoe"))[0]
    store.update_lead(lead.id, notes="\tleading tab", status="won")

    target = tmp_path / "out" / "leads.csv"
    rows_written = store.export_leads_csv(LeadFilter(website_id="web_x"), target, {"web_x": "Petal & Stem"})

    rows = _read(target)
    assert rows_written == 2 and len(rows) == 3
    assert tuple(rows[0]) == HEADER
    for row in rows[1:]:
        for column, cell in zip(HEADER, row, strict=True):
            assert column == "Phone" or not cell.startswith(DANGEROUS_STARTS), cell
    by_lead_id = {row[HEADER.index("Lead ID")]: row for row in rows[1:]}
    evil = by_lead_id["h1"]
    assert evil[HEADER.index("Name")] == "'" + hostile["name"]
    assert evil[HEADER.index("Email")] == "'@SUM(A1)"
    assert evil[HEADER.index("Phone")] == "+44 20 7946 0000"  # only a phone number: as typed
    assert evil[HEADER.index("Website")] == "Petal & Stem"
    assert evil[HEADER.index("Website ID")] == "web_x"
    assert evil[HEADER.index("Message")] == "'" + hostile["message"]
    zoe = by_lead_id["u1"]
    assert zoe[HEADER.index("Name")] == "Zoë 🚀"
    assert zoe[HEADER.index("Notes")] == "'\tleading tab"
    assert zoe[HEADER.index("Status")] == "won"
    assert target.read_bytes().count(b"\r\n") >= 3
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


async def test_export_of_nothing_is_a_header_only_file(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "empty.csv"
    assert store.export_leads_csv(None, target) == 0
    assert _read(target) == [list(HEADER)]


async def test_a_failed_export_leaves_the_previous_file_alone(store: Store, tmp_path: Path) -> None:
    await store.ingest(encode(make_event()), {})
    target = tmp_path / "leads.csv"
    target.write_text("previous export")
    with pytest.raises(ValueError):
        store.export_leads_csv(LeadFilter(status="nonsense"), target)
    assert target.read_text() == "previous export"


@given(st.text(max_size=40))
def test_neutralized_cells_never_start_like_a_formula_and_lose_nothing(value: str) -> None:
    safe = neutralize_cell(value)
    assert not safe.startswith(DANGEROUS_STARTS)
    if value.startswith(DANGEROUS_STARTS):
        assert safe == "'" + value
    else:
        assert safe == value


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("+1 (555) 010-0199", "+1 (555) 010-0199"),
        ("07700 900123", "07700 900123"),
        ("+44 20 7946 0000 =cmd|' /C calc'!A0", "'+44 20 7946 0000 =cmd|' /C calc'!A0"),
        ("=1+1", "'=1+1"),
        ("-5", "'-5"),
        ("+SUM(A1)", "'+SUM(A1)"),
    ],
)
def test_phone_numbers_are_written_as_typed_and_nothing_else_is(typed: str, written: str) -> None:
    from codaiq_desktop.store.csv_export import phone_cell

    assert phone_cell(typed) == written
