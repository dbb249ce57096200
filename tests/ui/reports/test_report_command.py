"""`codaiq-desktop report` against the sandbox: a real PDF, read back with poppler's tools.

The command runs as a child process with no display and no Qt platform set (as from
cron); its PDF is checked with ``pdftotext`` (site name, exact period, the exact total
the API returns), ``pdfimages`` (the chart page holds no raster image: the chart is
vector) and ``pdftoppm`` (the chart's blue line is really painted on page 2). The PNGs
are kept under the test's tmp folder, or ``CODAIQ_REPORT_PNG_DIR`` to look at them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from codaiq_desktop.api import CodaiqClient
from codaiq_desktop.site_stats.periods import Period
from codaiq_desktop.store import Store
from codaiq_desktop.ui.analytics.analytics_charts import PAGEVIEWS_COLOR
from tests.fixtures.receiver import encode, make_event, signed_headers

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed: scripts/install-system-deps.sh",
)


def _site_with_traffic(sandbox, name: str, prompt: str) -> tuple[str, str]:
    key = sandbox.new_key("enterprise")
    project_id, website_id = sandbox.generate(prompt, name, key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    response = sandbox.request("POST", "/api/sandbox/simulate", key=key, json={"websiteId": website_id, "days": 70})
    response.raise_for_status()
    return key, website_id


def _analytics(sandbox, key: str, website_id: str, range_key: str, end: datetime | None = None):
    async def fetch():
        async with CodaiqClient(sandbox.base_url, key) as client:
            return await client.analytics(website_id, range_key, end=end)

    return asyncio.run(fetch())


def _run_report(sandbox, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(CODAIQ_API_KEY=key, CODAIQ_BASE_URL=sandbox.base_url)
    return subprocess.run(
        [sys.executable, "-m", "codaiq_desktop", "report", *args], env=env, capture_output=True, text=True, timeout=120
    )


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pngs(pdf: Path, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / pdf.stem)], check=True)
    keep = os.environ.get("CODAIQ_REPORT_PNG_DIR")
    pngs = sorted(folder.glob(f"{pdf.stem}*.png"))
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for png in pngs:
            shutil.copy(png, keep)
    return pngs


def _blue_pixels(png: Path) -> int:
    image = QImage(str(png))
    target = QColor(PAGEVIEWS_COLOR)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - target.red()) < 40
                and abs(pixel.green() - target.green()) < 40
                and abs(pixel.blue() - target.blue()) < 40
            ):
                count += 1
    return count


def _page_images(pdf: Path, page: int) -> list[str]:
    listing = subprocess.run(
        ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return [line for line in listing if line.strip()]


def _store_with_leads(path: Path, website_id: str) -> list[str]:
    """Three leads for the site in the inbox (as the receiver stores them); returns their emails."""
    secret = "s" * 32
    emails = []

    async def ingest() -> None:
        store = Store(path)
        try:
            for number in range(3):
                email = f"client{number}@example.org"
                emails.append(email)
                payload = make_event(
                    website_id=website_id,
                    data={"leadId": f"lead-r-{number}", "name": f"Client {number}", "email": email},
                    timestamp=datetime.now(UTC).isoformat(),
                )
                body = encode(payload)
                await store.ingest(body, signed_headers(body, secret), account="Local sandbox")
        finally:
            store.close()

    asyncio.run(ingest())
    return emails


def test_report_pdf_states_site_period_and_exact_page_views(sandbox, tmp_path) -> None:
    key, website_id = _site_with_traffic(
        sandbox, "Harbour Lights Dental", "A dental practice by the harbour in Falmouth"
    )
    store_path = tmp_path / "store.sqlite3"
    emails = _store_with_leads(store_path, website_id)
    logo = Path(__file__).resolve().parents[3] / "resources" / "icons" / "app" / "codaiq-256.png"
    pdf = tmp_path / "harbour.pdf"

    result = _run_report(
        sandbox,
        key,
        website_id,
        "--range",
        "30d",
        "-o",
        str(pdf),
        "--agency-name",
        "Northwind Studio",
        "--logo",
        str(logo),
        "--store",
        str(store_path),
    )
    assert result.returncode == 0, result.stderr
    assert pdf.is_file() and f"{pdf}" in result.stdout

    api = _analytics(sandbox, key, website_id, "30d")
    period = Period.from_analytics(api)
    assert period is not None
    text = _text(pdf)
    assert "Harbour Lights Dental" in text
    assert "Northwind Studio" in text
    assert period.describe() in " ".join(text.split())
    assert f"{api.total_pageviews:,}" in _text(pdf, 2)
    assert f"{api.unique_visitors:,}" in _text(pdf, 2)
    # Leads are counted (3, all still new) but nobody's details are in the report.
    assert "3 leads received in this period" in text
    assert not any(email in text for email in emails)

    # The chart: on page 2, painted (its blue line shows in the rendered page), and vector.
    pngs = _pngs(pdf, tmp_path / "png")
    assert len(pngs) >= 3
    assert "per day" in _text(pdf, 2)
    assert _blue_pixels(pngs[1]) > 300, "the page-views line is not on page 2"
    assert _blue_pixels(pngs[2]) == 0  # the tables page: no chart there
    assert _page_images(pdf, 2) == [], "the chart was embedded as a raster image"
    assert len(_page_images(pdf, 1)) >= 1  # the logo, on the cover


def test_report_with_end_date_letter_paper_and_leads_listed(sandbox, tmp_path) -> None:
    key, website_id = _site_with_traffic(sandbox, "Tidewater Kayaks", "Kayak hire on the river Fal")
    last_day = (datetime.now(UTC) - timedelta(days=3)).date()
    pdf = tmp_path / "kayaks.pdf"
    result = _run_report(
        sandbox,
        key,
        website_id,
        "--range",
        "7d",
        "--end",
        last_day.isoformat(),
        "-o",
        str(pdf),
        "--page-size",
        "letter",
    )
    assert result.returncode == 0, result.stderr
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    api = _analytics(sandbox, key, website_id, "7d", end=end)
    text = " ".join(_text(pdf).split())
    first_day = last_day - timedelta(days=6)
    assert f"{first_day.day} {first_day:%b %Y} – {last_day.day} {last_day:%b %Y} (7 days, UTC)" in text
    assert f"{api.total_pageviews:,}" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_report_include_leads_lists_them_and_folder_gives_one_pdf_per_site(sandbox, tmp_path) -> None:
    key = sandbox.new_key("enterprise")
    ids = []
    for name in ("Oak & Iron", "Copper Kettle"):
        project_id, website_id = sandbox.generate(f"A shop called {name}", name, key=key)
        sandbox.wait_ready(project_id, website_id, key=key)
        ids.append(website_id)
    store_path = tmp_path / "store.sqlite3"
    emails = _store_with_leads(store_path, ids[0])
    out = tmp_path / "reports"
    out.mkdir()
    result = _run_report(sandbox, key, *ids, "-o", str(out), "--store", str(store_path), "--include-leads")
    assert result.returncode == 0, result.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name.split("-30d-")[0] for p in pdfs] == ["copper-kettle", "oak-iron"]
    oak = _text(next(p for p in pdfs if p.name.startswith("oak")))
    assert all(email in oak for email in emails)
    # No traffic simulated: zero is a real figure here, and it is printed as one.
    assert "Page views\n0\n" in _text(next(p for p in pdfs if p.name.startswith("copper")), 2)


def test_report_refuses_bad_input_with_a_sentence(sandbox, tmp_path) -> None:
    key = sandbox.new_key("enterprise")
    unknown = _run_report(sandbox, key, "web_does_not_exist", "-o", str(tmp_path / "x.pdf"))
    assert unknown.returncode == 4 and "No website with the id web_does_not_exist" in unknown.stderr
    bad_date = _run_report(sandbox, key, "web_x", "--end", "30/11/2026", "-o", str(tmp_path / "x.pdf"))
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    no_folder = _run_report(sandbox, key, "web_x", "-o", str(tmp_path / "missing" / "x.pdf"))
    assert no_folder.returncode == 2 and "does not exist" in no_folder.stderr
    assert not list(tmp_path.rglob("*.pdf")) and not list(tmp_path.rglob("*.tmp"))


def test_a_service_that_sends_only_documented_fields_gets_not_provided_never_zero(documented_sandbox, tmp_path) -> None:
    key = documented_sandbox.new_key("enterprise")
    project_id, website_id = documented_sandbox.generate("A surf school in Newquay", "Swell", key=key)
    documented_sandbox.wait_ready(project_id, website_id, key=key)
    documented_sandbox.request(
        "POST", "/api/sandbox/simulate", key=key, json={"websiteId": website_id, "days": 10}
    ).raise_for_status()
    pdf = tmp_path / "documented.pdf"
    result = _run_report(documented_sandbox, key, website_id, "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    api = _analytics(documented_sandbox, key, website_id, "30d")
    assert api.unique_visitors is None and api.end is None  # what this service sends
    text = " ".join(_text(pdf).split())
    assert f"Page views {api.total_pageviews:,}" in text
    assert "Unique visitors not provided" in text
    assert "exact period not provided by the service" in text
    assert "Top pages: not provided by the service" in text
    assert "Referrers: not provided by the service" in text
    assert "Time series: not provided by the service" in text
    assert "Unique visitors 0" not in text
