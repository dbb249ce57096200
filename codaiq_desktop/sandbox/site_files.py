"""Built sites on disk: one folder per website under ``<data dir>/sites``.

A build is written to a temporary folder and renamed into place, so a reader never sees
half a site. Exports stream a ZIP made on the fly from those files.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import IO, cast

HOSTED_LEAD_ENDPOINT = "https://codaiq.com/api/leads/submit"
"""Where an exported site's lead forms post: the documented lead endpoint, with the website id
and no API key (see the README, "Hosting an exported site")."""

# A lead form's opening tag as the generator writes it, with its relative action ("lead", "../lead").
_LEAD_FORM = re.compile(rb'<form ([^>]*?)action="(?:\.\./)*lead"([^>]*?)data-codaiq-lead-form([^>]*)>')


class SiteFiles:
    """Reads and writes built sites under one root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def folder(self, website_id: str) -> Path:
        return self.root / website_id

    def is_built(self, website_id: str) -> bool:
        return (self.folder(website_id) / "index.html").is_file()

    def write(self, website_id: str, files: dict[str, bytes]) -> None:
        """Replace the site's files atomically (blocking: call from a worker thread)."""
        staging = Path(tempfile.mkdtemp(prefix=f".{website_id}-", dir=self.root))
        for relative, content in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        final = self.folder(website_id)
        retired = None
        if final.exists():
            retired = self.root / f".{website_id}-old-{os.getpid()}"
            final.rename(retired)
        staging.rename(final)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)

    def resolve(self, website_id: str, relative: str) -> Path | None:
        """The file a URL path names, or ``None`` (missing, a folder without index, or outside the site)."""
        base = self.folder(website_id).resolve()
        candidate = (base / relative.lstrip("/")).resolve()
        if not candidate.is_relative_to(base):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def html_pages(self, website_id: str) -> list[str]:
        """URL paths of the site's pages (``/`` first), for the traffic simulator."""
        folder = self.folder(website_id)
        pages = ["/"]
        pages_dir = folder / "pages"
        if pages_dir.is_dir():
            pages += sorted(f"/pages/{path.name}" for path in pages_dir.glob("*.html") if path.name != "thanks.html")
        return pages

    def export_chunks(self, website_id: str, lead_endpoint: str = HOSTED_LEAD_ENDPOINT) -> Iterator[bytes]:
        """The site as a ZIP, yielded piece by piece as it is compressed.

        Lead forms post to ``lead_endpoint`` with the website id (a hidden field, and
        ``data-website-id`` for the form script), never to this sandbox: an address on this
        machine is dead once the site is hosted. Everything else is byte for byte the build.
        """
        folder = self.folder(website_id)
        buffer = _DrainableBuffer()
        with zipfile.ZipFile(cast(IO[bytes], buffer), "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if not path.is_file():
                    continue
                relative = path.relative_to(folder).as_posix()
                content = path.read_bytes()
                if relative.endswith(".html"):
                    content = hosted_lead_forms(content, website_id, lead_endpoint)
                info = zipfile.ZipInfo(relative, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, content)
                chunk = buffer.drain()
                if chunk:
                    yield chunk
        tail = buffer.drain()
        if tail:
            yield tail


def hosted_lead_forms(html: bytes, website_id: str, lead_endpoint: str = HOSTED_LEAD_ENDPOINT) -> bytes:
    """``html`` with every generated lead form pointed at ``lead_endpoint`` for ``website_id``."""
    endpoint = escape(lead_endpoint, quote=True)
    ident = escape(website_id, quote=True)

    def hosted(match: re.Match[bytes]) -> bytes:
        before, between, after = (part.decode("utf-8") for part in match.groups())
        return (
            f'<form {before}action="{endpoint}"{between}data-codaiq-lead-form data-website-id="{ident}"{after}>\n'
            f'<input type="hidden" name="websiteId" value="{ident}">'
        ).encode()

    return _LEAD_FORM.sub(hosted, html)


class _DrainableBuffer:
    """A forward-only sink for ``zipfile``: it can tell its position but not seek, so the
    archive is written with data descriptors and its bytes can be taken out as they come."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._offset = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        return None

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data
