"""The ``serve`` and ``serve-admin`` commands as real processes, in the exact forms the docs use."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.inbox_server.migrations import latest_version
from codaiq_desktop.tls import ssl_context

from .conftest import lead_body, signed
from .serve_process import ROOT, admin, cli, start_serve

SECRET = "a-webhook-secret-of-32-characters"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "inbox.sqlite3")
    return request.getfixturevalue("postgres_dsn")


def test_admin_commands_and_a_served_inbox(db: str) -> None:
    env = {"AGENCY_SECRET": SECRET}
    created = admin(db, "add-agency", "Acme Agency", "--webhook-secret-env", "AGENCY_SECRET", env=env)
    agency = created["agency"]
    assert created == {"agency": agency, "webhookPath": f"/webhooks/codaiq/{agency}"}
    token = admin(db, "add-member", "--agency", agency, "--email", "ana@acme.example", "--role", "admin")["token"]
    other = admin(db, "add-member", "--agency", agency, "--email", "bo@acme.example")["token"]
    listed = admin(db, "list-members", "--agency", agency)["members"]
    assert [(m["email"], m["role"]) for m in listed] == [("ana@acme.example", "admin"), ("bo@acme.example", "member")]
    assert token not in json.dumps(listed)
    serve = start_serve(db)
    try:
        body = lead_body(1)
        with httpx.Client(verify=ssl_context(), base_url=serve.url) as client:
            answer = client.post(created["webhookPath"], content=body, headers=signed(body, SECRET))
            assert answer.status_code == 200
            assert client.get("/api/v1/leads", headers={"Authorization": f"Bearer {token}"}).json()["total"] == 1
            admin(db, "revoke-member", "--agency", agency, "--member", "bo@acme.example")
            assert client.get("/api/v1/leads", headers={"Authorization": f"Bearer {other}"}).status_code == 401
            new_secret = "the-next-webhook-secret-0123456789"
            admin(db, "rotate-secret", "--agency", agency, "--webhook-secret-env", "NEXT", env={"NEXT": new_secret})
            for number, secret in ((2, new_secret), (3, SECRET)):  # the old one still works in its grace window
                body = lead_body(number)
                assert (
                    client.post(created["webhookPath"], content=body, headers=signed(body, secret)).status_code == 200
                )
            assert client.get("/readyz").status_code == 200
    finally:
        assert serve.stop() == 0
    logged = serve.stderr_text
    for secret in (token, other, SECRET, "the-next-webhook-secret-0123456789"):
        assert secret not in logged


def test_a_database_password_is_not_echoed(tmp_path: Path) -> None:
    result = subprocess.run(
        cli("serve", "--db", "postgresql://inbox:hunter2-db-password@127.0.0.1:1/inbox", "--port", "0"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 5
    assert "hunter2-db-password" not in result.stderr + result.stdout and "Traceback" not in result.stderr


def test_admin_refuses_a_missing_secret_and_unknown_agency(tmp_path: Path) -> None:
    db = str(tmp_path / "inbox.sqlite3")
    missing = subprocess.run(
        cli("serve-admin", "--db", db, "add-agency", "X", "--webhook-secret-env", "NOPE_NOT_SET"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert missing.returncode == 2 and "NOPE_NOT_SET" in missing.stderr
    unknown = subprocess.run(
        cli("serve-admin", "--db", db, "add-member", "--agency", "agc_none", "--email", "a@b.c"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert unknown.returncode == 1 and "agc_none" in unknown.stderr and "Traceback" not in unknown.stderr


@pytest.mark.parametrize("flags", [[], ["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"]])
def test_a_public_bind_without_tls_or_proxy_is_refused(tmp_path: Path, flags: list[str]) -> None:
    result = subprocess.run(
        cli("serve", "--db", str(tmp_path / "x.sqlite3"), "--host", "0.0.0.0", "--port", "0", *flags),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert ("Refusing to serve plain HTTP" in result.stderr) or ("does not exist" in result.stderr)
    assert not (tmp_path / "x.sqlite3").exists()  # refused before anything was created


def test_behind_proxy_trusts_the_proxy_for_the_client_address(tmp_path: Path) -> None:
    serve = start_serve(str(tmp_path / "x.sqlite3"), "--host", "127.0.0.1", "--behind-proxy")
    try:
        assert (
            httpx.get(
                f"{serve.url}/healthz", verify=ssl_context(), headers={"X-Forwarded-For": "203.0.113.9"}
            ).status_code
            == 200
        )
    finally:
        assert serve.stop() == 0


def test_a_newer_schema_is_refused(db: str) -> None:
    admin(db, "add-agency", "X", "--webhook-secret-env", "S", env={"S": SECRET})
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db, autocommit=True) as connection:
            connection.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    else:
        import sqlite3

        with sqlite3.connect(db) as connection:
            connection.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    result = subprocess.run(
        cli("serve", "--db", db, "--port", "0", "--ready-json"), capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 5 and "newer" in result.stderr and "Traceback" not in result.stderr


def test_two_processes_migrating_at_once_migrate_once(postgres_dsn: str) -> None:
    processes = [
        subprocess.Popen(
            cli("serve-admin", "--db", postgres_dsn, "add-agency", f"Agency {n}", "--webhook-secret-env", "S"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "S": SECRET},
        )
        for n in range(3)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    import psycopg

    with psycopg.connect(postgres_dsn) as connection:
        versions = connection.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert versions == [(n,) for n in range(1, latest_version("postgresql") + 1)]  # each applied once
        assert connection.execute("SELECT count(*) FROM agencies").fetchone() == (3,)


async def test_row_level_security_hides_other_agencies_from_the_app_role(postgres_dsn: str) -> None:
    """Even a query with no agency filter sees only the agency set for its transaction."""
    import psycopg

    from codaiq_desktop.inbox_server.postgres_storage import PostgresInbox

    from .conftest import prepared

    storage = PostgresInbox(postgres_dsn, pool_size=2, writers=1)
    await storage.open()
    try:
        a = await storage.add_agency("A", SECRET)
        b = await storage.add_agency("B", SECRET)
        await asyncio.gather(
            *(storage.ingest(prepared(agency.id, lead_body(n))) for n in range(3) for agency in (a, b))
        )
    finally:
        await storage.close()
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute("SET ROLE codaiq_inbox_app")
        with connection.transaction():
            connection.execute("SELECT set_config('codaiq.agency', %s, true)", (a.id,))
            for table in ("leads", "events", "changes", "members", "webhook_secrets", "agencies"):
                rows = connection.execute(
                    f"SELECT DISTINCT {'id' if table == 'agencies' else 'agency_id'} FROM {table}"
                ).fetchall()
                assert set(rows) <= {(a.id,)}, table
            assert connection.execute("SELECT count(*) FROM leads").fetchone() == (3,)
        with connection.transaction():  # no agency set: nothing at all
            assert connection.execute("SELECT count(*) FROM leads").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM leads")


async def test_a_database_owner_without_superuser_rights_can_run_the_server(postgres_cluster: object) -> None:
    """As the README sets it up: an owner with CREATEROLE only (plus the trusted unaccent extension)."""
    import uuid

    import psycopg

    from codaiq_desktop.inbox_server.postgres_storage import PostgresInbox

    from .conftest import prepared

    name = f"owner_{uuid.uuid4().hex[:8]}"
    admin_dsn = postgres_cluster.dsn()  # type: ignore[attr-defined]
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {name} LOGIN CREATEROLE")
        connection.execute(f"CREATE DATABASE {name} OWNER {name}")
    dsn = admin_dsn.replace("codaiq@", f"{name}@").rsplit("/", 1)[0] + f"/{name}"
    storage = PostgresInbox(dsn, pool_size=2, writers=1)
    await storage.open()
    try:
        agency = await storage.add_agency("A", SECRET)
        await storage.ingest(prepared(agency.id, lead_body(1)))
        assert (await storage.stats(agency.id))["total"] == 1
        assert await storage.ready() == (True, "ok")
    finally:
        await storage.close()
