"""Screenshots of one generated site of every kind, at desktop and phone width.

    xvfb-run -a .venv/bin/python scripts/site_screenshots.py [OUTPUT_DIR] [--page index.html] [--full]

Each site is generated locally (no sandbox needed), written to a temporary folder and
opened from disk in Qt WebEngine; the page is saved as ``<kind>-desktop.png`` (1280 px
wide) and ``<kind>-mobile.png`` (375 px wide). ``--full`` captures the whole page height
(up to 5,000 px) instead of the first screen. Run it under a real X server (Xvfb) so
Chromium paints as a person would see it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SITES = {
    "restaurant": "A family-run Italian restaurant in Leeds with online booking",
    "trades": "Emergency plumber serving Bristol and the surrounding area",
    "clinic": "A dental clinic in Toronto, wheelchair accessible, open until 8pm",
    "wellness": "A yoga studio in Bristol with small classes and a free first class",
    "salon": "Barbershop in Brooklyn, walk-ins welcome",
    "legal": "Family law solicitors in Manchester offering a free first consultation",
    "accounting": "Accountant for freelancers and small businesses in Cardiff",
    "photography": "Portfolio for a wedding photographer in Lisbon",
    "design": "Brand identity designer in Berlin working with startups",
    "saas": "A modern SaaS landing page for a project management tool",
    "shop": "An online shop selling handmade candles",
    "event": "A two-day conference on climate tech in Berlin in June 2028",
    "hotel": "Dog-friendly bed and breakfast in Cornwall with sea views",
    "nonprofit": "Animal rescue charity in Glasgow that rehomes dogs and cats",
    "education": "Summer camp for kids in Vermont with canoeing and archery",
    "real_estate": "Estate agent in Brighton specialising in period homes",
    "blog": "A blog about sourdough recipes and bread baking",
    "generic": "Fahrradwerkstatt in Berlin mit Abholservice",
}
WIDTHS = {"desktop": (1280, 860), "mobile": (375, 812)}


def save_full_page(view, run_js, wait, path: Path, height: int) -> None:  # noqa: ANN001
    """Scroll through the page a screen at a time and stitch the frames into one picture
    (a view as tall as the page is only partly painted by Chromium)."""
    from PySide6.QtGui import QPainter, QPixmap

    run_js("document.querySelector('.site-header').style.position = 'static'; 0")
    wait(200)
    total = min(int(run_js("document.documentElement.scrollHeight") or height), 6000)
    first = view.grab()
    ratio = first.devicePixelRatio()
    canvas = QPixmap(first.width(), int(total * ratio))
    canvas.setDevicePixelRatio(ratio)
    painter = QPainter(canvas)
    top = 0
    while True:
        offset = min(top, max(total - height, 0))
        run_js(f"window.scrollTo({{top: {offset}, behavior: 'instant'}}); 0")
        wait(250)
        painter.drawPixmap(0, offset, view.grab())
        if offset + height >= total:
            break
        top += height
    painter.end()
    canvas.save(str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="tests/screenshots/sites", type=Path)
    parser.add_argument("--page", default="index.html", help="which page of each site (default: index.html)")
    parser.add_argument("--full", action="store_true", help="capture the whole page height")
    parser.add_argument("--kind", action="append", help="only these kinds (repeatable)")
    args = parser.parse_args()
    if os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses to run as root otherwise

    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    from codaiq_desktop.sandbox.site_generator import generate_site

    app = QApplication.instance() or QApplication(sys.argv)
    args.output.mkdir(parents=True, exist_ok=True)
    view = QWebEngineView()
    view.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def run_js(script: str) -> object:
        box: list[object] = []
        view.page().runJavaScript(script, 0, box.append)
        for _ in range(200):
            if box:
                return box[0]
            wait(20)
        return None

    with tempfile.TemporaryDirectory(prefix="codaiq-sites-") as folder:
        for kind, prompt in SITES.items():
            if args.kind and kind not in args.kind:
                continue
            site = generate_site(prompt)
            root = Path(folder) / kind
            for relative, content in site.files.items():
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            for mode, (width, height) in WIDTHS.items():
                view.resize(width, height)
                loaded: list[bool] = []
                view.loadFinished.connect(loaded.append)
                view.setUrl(QUrl.fromLocalFile(str(root / args.page)))
                for _ in range(500):
                    if loaded:
                        break
                    wait(20)
                view.loadFinished.disconnect(loaded.append)
                wait(400)
                path = args.output / f"{kind}-{mode}.png"
                if args.full:
                    save_full_page(view, run_js, wait, path, height)
                else:
                    view.grab().save(str(path))
                print(f"{kind:12} {mode:8} {site.business_name} -> {path}")
    view.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
