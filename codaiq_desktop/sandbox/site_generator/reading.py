"""What a visitor reads on a generated site: its visible text, block by block, and its sentences
(form labels, choices and buttons are interface words, not copy, and are left out).

Used to measure the copy, not to make it: the tests check that a prompt's words reach the
page, and the benchmark counts how many sentences sites share word for word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

_BLOCKS = frozenset("p li h1 h2 h3 h4 dt dd figcaption td th summary a blockquote caption title".split())
# Form controls' words are interface, not copy: labels, choices and buttons are left out.
_CONTROLS = frozenset(["label", "option", "button", "select", "textarea"])
_HIDDEN = frozenset(["script", "style", "head", "svg"])
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
MIN_SENTENCE_WORDS = 6
SHARED_BY = 3


class _TextBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._hidden = 0

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN or tag in _CONTROLS:
            self._flush()
            self._hidden += 1
        elif tag in _BLOCKS or tag in ("div", "section", "br", "ul", "ol", "tr", "figure", "form"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN or tag in _CONTROLS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS or tag in ("div", "section", "ul", "ol", "tr", "figure", "form"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def visible_blocks(html: str) -> list[str]:
    """The page's visible text, one string per block (paragraph, list item, heading ...)."""
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def site_text(files: Mapping[str, bytes]) -> str:
    """All visible text of a site's pages (not its reusable fragments), one block per line."""
    return "\n".join(
        block
        for path, content in sorted(files.items())
        if path.endswith(".html") and not path.startswith("components/")
        for block in visible_blocks(content.decode("utf-8"))
    )


def sentences(text: str, min_words: int = MIN_SENTENCE_WORDS) -> set[str]:
    """The distinct sentences of ``text`` with at least ``min_words`` words, normalised."""
    found = set()
    for block in text.splitlines():
        for sentence in _SENTENCE_END.split(block):
            words = sentence.lower().split()
            if len(words) >= min_words:
                found.add(" ".join(words))
    return found


def reuse_share(site_texts: Iterable[str], shared_by: int = SHARED_BY) -> tuple[float, list[tuple[str, int]]]:
    """The share of sentences (six words or more) that appear on ``shared_by`` sites or more,
    counted once per site, and the most shared ones: ``(share, [(sentence, sites)])``."""
    per_site = [sentences(text) for text in site_texts]
    counts = Counter(sentence for site in per_site for sentence in site)
    total = sum(len(site) for site in per_site)
    shared = sum(1 for site in per_site for sentence in site if counts[sentence] >= shared_by)
    common = [(s, n) for s, n in counts.most_common() if n >= shared_by]
    return (shared / total if total else 0.0), common
