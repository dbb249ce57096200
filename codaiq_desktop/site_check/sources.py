"""Where a site check reads a site from: its served pages over HTTP, or an exported ZIP.

Both answer the same question, "what is at this URL?", so the checker crawls them alike.
An exported ZIP is given addresses under ``http://export.invalid/`` (a name that can never
resolve), and :class:`ZipSiteServer` serves its files on loopback when a browser must
load them (the accessibility audit).
"""

from __future__ import annotations

import asyncio
import mimetypes
import threading
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from codaiq_desktop.tls import ssl_context

from codaiq_desktop.site_check.page_checks import is_loopback

USER_AGENT = "CodaiqSiteCheck/1.0 (+bot; Codaiq Desktop)"
"""Says "a bot" so the site's analytics need not count the check as visits."""
OWNER_HEADER = "X-Codaiq-Preview"
"""Sent to the checked site only: the owner's own look, not a visit (the sandbox's ``PREVIEW_HEADER``
leaves such requests out of analytics)."""
MAX_BODY_BYTES = 20 * 1024 * 1024
ZIP_ORIGIN = "http://export.invalid/"


class SiteCheckError(Exception):
    """The site could not be read at all (its address, or the ZIP); a sentence for the user."""


@dataclass(frozen=True)
class Fetched:
    """The answer for one URL: status (``None`` when nothing answered), type, body, final URL."""

    url: str
    status: int | None
    content_type: str
    body: bytes
    error: str | None = None
    """Why there is no answer (connection refused, timed out ...)."""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type.lower()


class SiteSource(Protocol):
    """A site to check: its root address, and what is at each address within it."""

    root_url: str
    """Absolute, ends in ``/``: every page of the site is under it."""
    description: str

    async def fetch(self, url: str) -> Fetched: ...

    async def aclose(self) -> None: ...


class ServedSite:
    """A site as its server serves it (the sandbox's ``/sites/<id>/``, or the live domain)."""

    def __init__(
        self, root_url: str, *, timeout: float = 15.0, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        parts = urlsplit(root_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SiteCheckError(
                f"\u201c{root_url}\u201d is not a web address (it must start with http:// or https://)."
            )
        self.root_url = root_url if root_url.endswith("/") else root_url + "/"
        self.description = self.root_url
        self._origin = _origin(self.root_url)
        self._client = httpx.AsyncClient(
            verify=ssl_context(),
            timeout=timeout,
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": USER_AGENT},
            trust_env=not is_loopback(root_url),  # no proxy between us and this computer
            transport=transport,
        )

    async def fetch(self, url: str) -> Fetched:
        own = _origin(url) == self._origin
        try:
            async with self._client.stream(
                "GET", url, headers={OWNER_HEADER: "site-check"} if own else None
            ) as response:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_BODY_BYTES:
                        break
                return Fetched(
                    str(response.url), response.status_code, response.headers.get("content-type", ""), b"".join(chunks)
                )
        except httpx.TooManyRedirects:
            return Fetched(url, None, "", b"", "it redirects in a loop")
        except httpx.TimeoutException:
            return Fetched(url, None, "", b"", "no answer in time")
        except httpx.HTTPError as exc:
            return Fetched(url, None, "", b"", f"could not connect ({type(exc).__name__})")

    async def aclose(self) -> None:
        await self._client.aclose()


class ExportedZip:
    """A site exported as a ZIP (``index.html`` at its root), read without unpacking it."""

    def __init__(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                self.files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
        except FileNotFoundError:
            raise SiteCheckError(f"There is no file {path}.") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise SiteCheckError(f"{path} is not a readable ZIP archive ({exc}).") from None
        prefix = _common_root(self.files)
        if prefix:  # a ZIP whose files all sit in one folder: that folder is the site
            self.files = {name[len(prefix) :]: data for name, data in self.files.items()}
        if "index.html" not in self.files:
            raise SiteCheckError(f"{path.name} has no index.html at its root: it is not an exported site.")
        self.root_url = ZIP_ORIGIN
        self.description = f"zip:{path.name}"

    @classmethod
    async def open_async(cls, path: Path) -> ExportedZip:
        """``ExportedZip(path)`` for a caller on the asyncio loop: the archive is read on a worker thread."""
        return await asyncio.to_thread(cls, path)

    def file_for(self, url: str) -> str | None:
        """The archive member an address names (a folder means its ``index.html``)."""
        if not url.startswith(ZIP_ORIGIN):
            return None
        relative = unquote(urlsplit(url).path).lstrip("/")
        name = str(PurePosixPath(relative)) if relative else ""
        if name in ("", "."):
            name = "index.html"
        elif relative.endswith("/"):
            name = f"{name}/index.html"
        if ".." in PurePosixPath(name).parts:
            return None
        return name if name in self.files else None

    async def fetch(self, url: str) -> Fetched:
        name = self.file_for(url)
        if name is None:
            return Fetched(url, 404, "", b"", "not in the exported ZIP")
        return Fetched(
            urljoin(ZIP_ORIGIN, name if name != "index.html" else ""), 200, _media_type(name), self.files[name]
        )

    async def aclose(self) -> None:
        return None


class ZipSiteServer:
    """Serves an :class:`ExportedZip` on ``127.0.0.1`` (a free port) so a browser can load its pages.

    A plain threaded HTTP server: it only reads from memory and stops with :meth:`stop`.
    """

    def __init__(self, site: ExportedZip) -> None:
        files = site.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = site.file_for(urljoin(ZIP_ORIGIN, self.path.lstrip("/")))
                body = files.get(name) if name else None
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", _media_type(name or ""))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None  # quiet: the check reports what matters

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="zip-site-server", daemon=True)
        self._thread.start()
        self.root_url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def url_for(self, zip_url: str) -> str:
        return self.root_url + zip_url[len(ZIP_ORIGIN) :]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _common_root(files: dict[str, bytes]) -> str:
    if "index.html" in files or not files:
        return ""
    firsts = {name.split("/", 1)[0] for name in files}
    if len(firsts) == 1 and all("/" in name for name in files):
        prefix = firsts.pop() + "/"
        return prefix if prefix + "index.html" in files else ""
    return ""


def _media_type(name: str) -> str:
    if name.endswith((".html", ".htm")):
        return "text/html; charset=utf-8"
    if name.endswith(".svg"):
        return "image/svg+xml"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
