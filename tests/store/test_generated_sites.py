"""The registry of generated sites in a real store file: kept per account, domains learned,
carried along by an account rename, and added to a version-3 file without touching its data."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from codaiq_desktop.store import SCHEMA_VERSION, GeneratedSite, LeadFilter, Store, schema
from tests.fixtures.receiver import encode, make_event

T0 = datetime(2026, 4, 21, 10, 0, tzinfo=UTC)


def site(website_id: str, account: str | None = "Agency", minutes: int = 0, **changes: object) -> GeneratedSite:
    values: dict[str, object] = {
        "account": account,
        "project_id": f"prj_{website_id}",
        "website_id": website_id,
        "prompt": f"A site {website_id}",
        "name": f"Site {website_id}",
        "created_at": T0 + timedelta(minutes=minutes),
    }
    values.update(changes)
    return GeneratedSite(**values)  # type: ignore[arg-type]


def test_sites_are_kept_per_account_newest_first(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3") as store:
        assert store.record_generated_site(site("w1", minutes=1))
        assert store.record_generated_site(site("w2", minutes=2, name=None))
        assert store.record_generated_site(site("w3", account="Other"))
        assert not store.record_generated_site(site("w1", minutes=9, prompt="again"))  # kept as it was
        listed = store.generated_sites("Agency")
        assert [s.website_id for s in listed] == ["w2", "w1"]
        assert listed[1] == site("w1", minutes=1) and listed[0].name is None
        assert [s.website_id for s in store.generated_sites("Other")] == ["w3"]
        assert store.generated_sites("Nobody") == []


def test_a_domain_is_learned_once_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with Store(path) as store:
        store.record_generated_site(site("w1"))
        assert store.set_generated_site_domain("Agency", "w1", "crumb.codaiq.site")
        assert not store.set_generated_site_domain("Agency", "w1", "crumb.codaiq.site")
        assert not store.set_generated_site_domain("Other", "w1", "elsewhere.codaiq.site")
    with Store(path) as store:
        (kept,) = store.generated_sites("Agency")
        assert kept.domain == "crumb.codaiq.site"


def test_an_account_rename_carries_its_sites(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3") as store:
        store.record_generated_site(site("w1"))
        store.relabel_account("Agency", "Agency Ltd")
        assert store.generated_sites("Agency") == []
        assert [s.website_id for s in store.generated_sites("Agency Ltd")] == ["w1"]


def test_a_site_without_ids_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3") as store, pytest.raises(ValueError, match="project id and website id"):
        store.record_generated_site(site("", project_id=""))


async def test_a_version_3_file_gains_the_registry_and_keeps_its_leads(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    with Store(path) as store:
        await store.ingest(encode(make_event("lead.captured", data={"name": "Jane", "email": "j@example.com"})), {})
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript("BEGIN; DROP TABLE generated_sites; PRAGMA user_version = 3; COMMIT;")
    connection.close()
    with Store(path) as store:
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert store.count_leads(LeadFilter()) == 1
        store.record_generated_site(site("w1"))
        assert [s.website_id for s in store.generated_sites("Agency")] == ["w1"]
    assert SCHEMA_VERSION == len(schema.MIGRATIONS)


async def test_the_awaitable_registry_writes_keep_sites_and_learn_domains(tmp_path: Path) -> None:
    store = await Store.open_async(tmp_path / "store.sqlite3")
    try:
        assert await store.record_generated_site_async(site("w1"))
        assert await store.record_generated_site_async(site("w2", minutes=1))
        assert not await store.record_generated_site_async(site("w1", minutes=9))
        with pytest.raises(ValueError, match="project id and website id"):
            await store.record_generated_site_async(site("", project_id=""))
        changed = await store.set_generated_site_domains_async(
            "Agency", {"w1": "one.codaiq.site", "w2": "two.codaiq.site"}
        )
        assert changed == 2
        assert await store.set_generated_site_domains_async("Agency", {"w1": "one.codaiq.site"}) == 0
        assert {s.website_id: s.domain for s in store.generated_sites("Agency")} == {
            "w1": "one.codaiq.site",
            "w2": "two.codaiq.site",
        }
    finally:
        store.close()
