"""`codaiq-desktop report`: client reports as PDF, from the terminal or a cron job.

    codaiq-desktop report WEBSITE_ID [WEBSITE_ID ...] --range 30d -o PATH
        [--agency-name NAME] [--logo FILE] [--end DATE] [--include-leads] [--page-size a4|letter]

One PDF with a section per website, or one PDF per website when ``-o`` is an existing
folder. Leads come from the desktop app's local inbox (``--store``), counted by status
and week; names and contact details only with ``--include-leads``. Qt is loaded only
when the PDF is drawn, on its offscreen platform: no display is needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from codaiq_desktop.cli import client_commands
from codaiq_desktop.cli.client_commands import (
    ANALYTICS_RANGES,
    ENV_API_KEY,
    ENV_BASE_URL,
    EXIT_API_ERROR,
    EXIT_CODES_HELP,
    EXIT_NOT_FOUND,
    EXIT_USAGE,
)

if TYPE_CHECKING:
    from codaiq_desktop.api import CodaiqClient

SCHEDULE_HELP = """\
schedule it (the desktop app may be closed; cron or a systemd timer runs this instead):
  0 7 1 * *  codaiq-desktop report SITE_ID --profile NAME --range 30d --end "$(date -d yesterday +\\%F)" -o ~/reports/
  (--profile: an account saved by the app, its key from the keyring; keep keys out of crontabs)
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `report` to the `codaiq-desktop` parser."""
    parser = subparsers.add_parser(
        "report",
        help="write a client report (PDF) for one or more websites",
        description=(
            "Write a client report as PDF: cover, key figures with their change against the previous "
            "period, the traffic chart, top pages, referrers and a leads summary. Figures the service "
            "does not send are reported as 'not provided', never as 0."
        ),
        epilog=SCHEDULE_HELP + "\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("website_ids", nargs="+", metavar="WEBSITE_ID")
    parser.add_argument("--range", choices=ANALYTICS_RANGES, default="30d", help="period length (default: 30d)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="the PDF to write (an existing folder: one PDF per website, named after it)",
    )
    parser.add_argument("--agency-name", metavar="NAME", help="your agency's name, on the cover")
    parser.add_argument("--logo", metavar="FILE", help="your logo (PNG, JPEG or SVG), on the cover")
    parser.add_argument(
        "--end",
        metavar="DATE",
        help="last day of the period, YYYY-MM-DD (UTC; the period ends at the following midnight), "
        "or an exact end like 2026-11-30T15:00Z (default: the current period)",
    )
    parser.add_argument(
        "--include-leads",
        action="store_true",
        help="list each lead's name, email, phone and message (personal data: off by default)",
    )
    parser.add_argument("--page-size", choices=("a4", "letter"), type=str.lower, default="a4")
    parser.add_argument("--store", metavar="PATH", help="the desktop app's lead inbox (default: the app's own)")
    parser.add_argument("--account", metavar="NAME", help="count only leads filed under this app account")
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--base-url", metavar="URL", help=f"API base URL (default: ${ENV_BASE_URL} or https://codaiq.com/api)"
    )
    group.add_argument("--api-key", metavar="KEY", help=f"API key (better: set ${ENV_API_KEY})")
    group.add_argument("--profile", metavar="NAME", help="use an account saved by the desktop app")
    group.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="network timeout per request")
    parser.set_defaults(handler=run, json=False)


def run(args: argparse.Namespace) -> int:
    from codaiq_desktop.site_stats.periods import parse_report_end

    end: datetime | None = None
    if args.end:
        try:
            end = parse_report_end(args.end)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.logo and not Path(args.logo).is_file():
        print(f"error: the logo {args.logo} does not exist.", file=sys.stderr)
        return EXIT_USAGE
    output = Path(args.output).expanduser()
    if not output.is_dir() and not output.parent.is_dir():
        print(f"error: the folder {output.parent} does not exist; create it or choose another -o.", file=sys.stderr)
        return EXIT_USAGE
    args.end_moment = end
    args.output_path = output
    return client_commands.run_command(_report, args, out=sys.stdout, err=sys.stderr)


async def _report(client: CodaiqClient, args: argparse.Namespace, output: client_commands._Output) -> int:
    from codaiq_desktop.site_stats.report_data import UnknownWebsiteError, gather_report, open_inbox

    started = time.perf_counter()
    store, inbox_note = open_inbox(Path(args.store).expanduser() if args.store else None)
    try:
        try:
            sections = await gather_report(
                client,
                list(dict.fromkeys(args.website_ids)),
                args.range,
                end=args.end_moment,
                store=store,
                account=args.account,
                include_leads=args.include_leads,
                inbox_note=inbox_note,
            )
        except UnknownWebsiteError as exc:
            output.note(f"error: {exc}")
            return EXIT_NOT_FOUND
    finally:
        if store is not None:
            store.close()
    from codaiq_desktop.ui.reports.report_pdf import ReportOptions
    from codaiq_desktop.ui.reports.report_runner import render_reports

    options = ReportOptions(
        agency_name=args.agency_name,
        logo=Path(args.logo) if args.logo else None,
        page_size=args.page_size,
        include_leads=args.include_leads,
    )
    try:
        written = render_reports(sections, args.output_path, options)
    except ValueError as exc:
        output.note(f"error: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        output.note(f"error: could not write the report: {exc.strerror or exc}")
        return EXIT_API_ERROR
    elapsed = time.perf_counter() - started
    for path, pages in written:
        output.result(f"{path} ({pages} pages)")
    output.note(f"{len(sections)} website{'s' if len(sections) != 1 else ''} in {elapsed:.1f} s.")
    return 0
