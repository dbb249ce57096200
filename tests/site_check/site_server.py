"""A small static web server for site-check tests: serves a dict of files on 127.0.0.1, port 0.

Each test writes the (deliberately broken) site it needs as ``{path: text}``; the server
answers 404 for anything else, and can be told to hold requests (to test cancelling).
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StaticSite:
    """The running server: ``url`` is the site's root (``http://127.0.0.1:PORT/site/``)."""

    def __init__(self, files: dict[str, str | bytes], folder: str = "site") -> None:
        self.files = {name: data.encode() if isinstance(data, str) else data for name, data in files.items()}
        self.requests: list[tuple[str, str]] = []
        self.markers: list[str | None] = []
        """Each request's X-Codaiq-Preview header (the owner's look, not a visit), in order."""
        self.hold = threading.Event()
        self.hold.set()  # cleared: requests wait until it is set again
        site = self
        prefix = f"/{folder}/"

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                site.markers.append(self.headers.get("X-Codaiq-Preview"))
                site.hold.wait(timeout=30)
                path = self.path.split("?", 1)[0]
                name = path[len(prefix) :] if path.startswith(prefix) else None
                if name == "":
                    name = "index.html"
                body = site.files.get(name) if name is not None else None
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                kind = (
                    "text/html; charset=utf-8"
                    if name.endswith(".html")
                    else (mimetypes.guess_type(name)[0] or "application/octet-stream")
                )
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{prefix}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.hold.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serve(files: dict[str, str | bytes]) -> Iterator[StaticSite]:
    site = StaticSite(files)
    try:
        yield site
    finally:
        site.stop()


def page(
    *,
    title: str | None = "A bakery in Leeds with fresh bread every day",
    body: str = "<h1>Fresh bread</h1>",
    lang: str | None = "en",
    viewport: bool = True,
    description: str | None = None,
    head: str = "",
    og_image: str = "logo.svg",
) -> str:
    """A page that passes every static check, except what the arguments take away."""
    description = (
        description
        if description is not None
        else ("Sourdough, rye and pastries baked every morning in Leeds; order ahead or drop in for coffee.")
    )
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        "<!doctype html>\n"
        f'<html{lang_attr}>\n<head>\n<meta charset="utf-8">\n'
        + ('<meta name="viewport" content="width=device-width, initial-scale=1">\n' if viewport else "")
        + (f"<title>{title}</title>\n" if title is not None else "")
        + (f'<meta name="description" content="{description}">\n' if description else "")
        + '<meta property="og:title" content="Crumb"><meta property="og:description" content="Bread in Leeds">'
        '<meta property="og:type" content="website"><meta property="og:url" content="https://crumb.example/">'
        f'<meta property="og:image" content="{og_image}">\n'
        + head
        + "</head>\n<body>\n<main>\n"
        + body
        + "\n</main>\n</body>\n</html>\n"
    )


LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
