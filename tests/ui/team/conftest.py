"""A real team inbox for the team Leads tests: ``codaiq-desktop serve`` on a throw-away
PostgreSQL database, one agency with two members (Alice, Bob), a signed webhook sender, a
bulk loader for a million leads, and ``open_desktop``: a member's whole app connected to it.
The agency and members are made once per session; each test's server runs on a copy of
that database (``CREATE DATABASE … TEMPLATE``).

The commands are the documented ones (``serve-admin add-agency`` / ``add-member``, ``serve``),
run as processes, as an agency would run them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from shiboken6 import isValid

from codaiq_desktop.inbox_server.local_cluster import PostgresCluster, create_database
from codaiq_desktop.accounts import Account, KeyStorage, LeadsFrom
from codaiq_desktop.signing import sign
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.tls import ssl_context
from tests.fixtures.app import make_services
from tests.fixtures.postgres import clone_database
from tests.fixtures.qt_async import QtAsyncRunner
from tests.inbox_server.serve_process import ServeProcess, admin, start_serve

WEBHOOK_SECRET = "team-webhook-secret-0123456789abcdef"


@dataclass
class TeamServer:
    """A running ``serve`` process and what its admin set up."""

    db: str
    agency: str
    webhook_path: str
    tokens: dict[str, str]
    emails: dict[str, str]
    process: ServeProcess
    port: int
    sent: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.process.url

    def post_lead(self, number: int, **data: str) -> str:
        """Post a signed ``lead.captured`` webhook, as Codaiq would; returns the lead's name."""
        fields = {
            "leadId": f"lead_{number}",
            "name": f"Visitor {number}",
            "email": f"visitor{number}@example.com",
            "message": f"Quote request number {number}",
        }
        fields.update(data)
        body = json.dumps(
            {
                "id": f"evt_{number}",
                "event": "lead.captured",
                "timestamp": "2026-12-04T14:00:00.000Z",
                "websiteId": "web_1",
                "projectId": "proj_1",
                "data": fields,
            }
        ).encode()
        headers = {"Content-Type": "application/json", "X-Codaiq-Signature": sign(body, WEBHOOK_SECRET)}
        answer = httpx.post(
            self.url + self.webhook_path, verify=ssl_context(), content=body, headers=headers, timeout=30
        )
        assert answer.status_code == 200, answer.text
        self.sent.append(fields["name"])
        return fields["name"]

    def kill(self) -> None:
        """SIGKILL: as a crash or a pulled cable looks to the desktop."""
        self.process.kill()

    def restart(self) -> None:
        """Start ``serve`` again on the same port and database."""
        self.process = start_serve(self.db, port=self.port)


@dataclass(frozen=True)
class _Setup:
    db: str
    agency: str
    webhook_path: str
    tokens: dict[str, str]


_EMAILS = {"alice": "alice@agency.example", "bob": "bob@agency.example"}


@pytest.fixture(scope="session")
def _team_setup(postgres_cluster: PostgresCluster) -> _Setup:
    """The agency and its members, made once with ``serve-admin``; each test serves a copy."""
    db = create_database(postgres_cluster)
    env = {"TEAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
    created = admin(db, "add-agency", "Team Agency", "--webhook-secret-env", "TEAM_WEBHOOK_SECRET", env=env)
    tokens = {
        who: admin(db, "add-member", "--agency", created["agency"], "--email", email)["token"]
        for who, email in _EMAILS.items()
    }
    return _Setup(db, created["agency"], created["webhookPath"], tokens)


@pytest.fixture
def team_server(postgres_cluster: PostgresCluster, _team_setup: _Setup) -> Iterator[TeamServer]:
    db = clone_database(postgres_cluster, _team_setup.db)
    process = start_serve(db)
    port = int(process.url.rsplit(":", 1)[1])
    setup = _team_setup
    server = TeamServer(db, setup.agency, setup.webhook_path, dict(setup.tokens), dict(_EMAILS), process, port)
    try:
        yield server
    finally:
        server.process.stop()


def bulk_load_leads(dsn: str, agency: str, count: int, assignees: list[str]) -> None:
    """Put ``count`` leads straight into the server's database in one ``INSERT … SELECT``.

    A million webhooks would take minutes; the rows are what the webhook path stores
    (the same columns the server reads), newest with the highest id, a third of them
    assigned round-robin to ``assignees``. The text-search index is built once at the end.
    """
    import psycopg

    people = ", ".join(f"'{member}'" for member in assignees) or "NULL"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("DROP INDEX IF EXISTS leads_search")
        connection.execute(
            f"""
            INSERT INTO leads (agency_id, lead_key, lead_id, website_id, project_id, name, email, message, data,
                               received_at, status, assignee)
            SELECT %(agency)s, 'bulk_' || n, 'bulk_' || n, 'web_' || (n %% 50), 'proj_1',
                   (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald'])[1 + n %% 6] || ' Bulk' || n,
                   'bulk' || n || '@example.com',
                   (ARRAY['Need a quote for a kitchen', 'Please call me back', 'Booking for two'])[1 + n %% 3],
                   '{{}}'::jsonb,
                   now() - make_interval(secs => (%(count)s - n)),
                   (ARRAY['new', 'new', 'contacted', 'qualified', 'won', 'lost'])[1 + n %% 6],
                   CASE WHEN n %% 3 = 0 THEN (ARRAY[{people}])[1 + (n / 3) %% {max(len(assignees), 1)}] END
            FROM generate_series(1, %(count)s) AS n
            """,
            {"agency": agency, "count": count},
        )
        connection.execute("CREATE INDEX leads_search ON leads USING gin (search)")
        connection.execute("VACUUM ANALYZE leads")
        # The load's dirty pages written now, not by a checkpoint during the measurement that
        # follows (a server whose leads came over months has no such backlog).
        connection.execute("CHECKPOINT")


@dataclasses.dataclass
class Desktop:
    """One member's running app: services, main window, Leads tab."""

    who: str
    services: AppServices
    window: Any

    @property
    def leads(self) -> Any:
        return self.window.tab("leads")


@pytest.fixture
def open_desktop(
    qtbot, qloop: QtAsyncRunner, sandbox, tmp_path: Path, team_server: TeamServer
) -> Iterator[Callable[..., Desktop]]:
    """``open_desktop("alice")``: that member's app (services, main window on the Leads tab), its
    sandbox account taking its leads from the team server with Alice's member token."""
    from codaiq_desktop.ui.shell.main_window import MainWindow

    opened: list[Desktop] = []

    def open_one(who: str, *, show_leads: bool = True) -> Desktop:
        root = tmp_path / who
        services = make_services(root)
        qloop.run(services.start(store_path=root / "store.sqlite3"))
        account = dataclasses.replace(Account.sandbox(), leads_from=LeadsFrom.TEAM_SERVER, team_url=team_server.url)
        services.accounts.upsert(account)
        services.vault.set_team_token(account.name, team_server.tokens[who], fallback=KeyStorage.SESSION)
        qloop.run(
            services.activate(
                account, sandbox.new_key("enterprise"), base_url=sandbox.base_url, sandbox_root_url=sandbox.root_url
            )
        )
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        if show_leads:
            window.show_tab("leads")
        desktop = Desktop(who, services, window)
        opened.append(desktop)
        return desktop

    yield open_one
    for desktop in opened:
        if isValid(desktop.window):  # pytest-qt may have closed it already
            desktop.window._quit_confirmed = True  # the test ends the session, not the user
            desktop.window.close()
        qloop.run(desktop.services.aclose())


def names(tab: Any) -> list[str]:
    return [tab.model.lead_at(row).name for row in range(tab.model.rowCount()) if tab.model.lead_at(row) is not None]


def server_lead(team_server: TeamServer, lead_id: int) -> dict[str, Any]:
    answer = httpx.get(
        f"{team_server.url}/api/v1/leads/{lead_id}",
        verify=ssl_context(),
        headers={"Authorization": f"Bearer {team_server.tokens['alice']}"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()


@pytest.fixture
def notes_saved_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes are saved when the test says (``flush_notes``), not after a pause in typing:
    which of two members saves first is then the test's choice, not the machine's load."""
    from codaiq_desktop.ui.leads import lead_detail

    monkeypatch.setattr(lead_detail, "NOTES_SAVE_DELAY_MS", 600_000)
