"""A small element tree of an HTML page, enough for the site check's questions.

The standard library's tolerant ``html.parser`` feeds it, so malformed pages still give a
tree (a stray end tag is ignored, an unclosed element ends with its parent). Each element
keeps its source line, so a finding can say where to look.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# An open <p> or <li> ends when one of these starts (the usual HTML auto-closing, roughly).
_CLOSES_PARAGRAPH = frozenset(
    {
        "p",
        "div",
        "ul",
        "ol",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "form",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "main",
        "aside",
        "blockquote",
        "pre",
        "figure",
    }
)
_RAW_TEXT = frozenset({"script", "style"})


@dataclass(eq=False)
class Element:
    """One element: tag, attributes (names lower-case), children, text, source line."""

    tag: str
    attrs: dict[str, str]
    line: int
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    leading_text: list[str] = field(default_factory=list)
    """Text inside this element before its first child."""
    tail: list[str] = field(default_factory=list)
    """Text after this element's end tag, before its next sibling (it belongs to the parent)."""

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.attrs

    def iter(self, *tags: str) -> Iterator[Element]:
        """This element's descendants (document order), only ``tags`` if given."""
        for child in self.children:
            if not tags or child.tag in tags:
                yield child
            yield from child.iter(*tags)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def text(self) -> str:
        """The visible text inside, whitespace collapsed (scripts and styles left out)."""
        parts: list[str] = []
        _collect_text(self, parts)
        return " ".join(" ".join(parts).split())

    def describe(self) -> str:
        """The element in CSS-like words a person can find in the source: ``img[src="x.svg"] (line 4)``."""
        tag = self.tag
        for name in ("id", "name", "src", "href", "property", "for", "type", "action"):
            value = self.attrs.get(name)
            if value:
                shown = value if len(value) <= 60 else value[:57] + "\u2026"
                if name == "id":
                    tag += f"#{shown}"
                else:
                    tag += f'[{name}="{shown}"]'
                break
        text = self.text if self.tag not in VOID_ELEMENTS else ""
        if text and self.tag not in ("html", "head", "body", "form", "main", "section"):
            snippet = text if len(text) <= 40 else text[:37] + "\u2026"
            tag += f" \u201c{snippet}\u201d"
        return f"{tag} (line {self.line})"


def _collect_text(element: Element, parts: list[str]) -> None:
    if element.tag in _RAW_TEXT:
        return
    parts.extend(element.leading_text)
    for child in element.children:
        parts.append(" ")
        _collect_text(child, parts)
        parts.extend(child.tail)


class HtmlDocument:
    """A parsed page: the root element and quick access to what the checks ask for."""

    def __init__(self, source: str) -> None:
        self.root = Element("#document", {}, 1)
        builder = _TreeBuilder(self.root)
        builder.feed(source)
        builder.close()
        self.had_doctype = builder.had_doctype

    def iter(self, *tags: str) -> Iterator[Element]:
        return self.root.iter(*tags)

    def first(self, tag: str) -> Element | None:
        return next(self.iter(tag), None)

    @property
    def html(self) -> Element | None:
        return self.first("html")

    @property
    def title(self) -> Element | None:
        head = self.first("head")
        scope = head if head is not None else self.root
        return next(scope.iter("title"), None)

    def meta(self, *, name: str | None = None, prop: str | None = None) -> Element | None:
        """``<meta name=...>`` (case-insensitive) or ``<meta property=...>`` (Open Graph)."""
        for element in self.iter("meta"):
            if name is not None and (element.get("name") or "").lower() == name.lower():
                return element
            if prop is not None and (element.get("property") or "").lower() == prop.lower():
                return element
        return None

    def by_id(self) -> dict[str, Element]:
        ids: dict[str, Element] = {}
        for element in self.iter():
            value = element.get("id")
            if value and value not in ids:
                ids[value] = element
        return ids


class _TreeBuilder(HTMLParser):
    def __init__(self, root: Element) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = [root]
        self.had_doctype = False

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.had_doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        current = self.stack[-1]
        if tag in _CLOSES_PARAGRAPH and current.tag == "p":
            self.stack.pop()
        elif tag == "li" and current.tag == "li":
            self.stack.pop()
        parent = self.stack[-1]
        element = Element(tag, {name.lower(): (value or "") for name, value in attrs}, self.getpos()[0], parent)
        parent.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in VOID_ELEMENTS and self.stack[-1].tag == tag.lower():
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        # A stray end tag: ignored, as browsers do.

    def handle_data(self, data: str) -> None:
        current = self.stack[-1]
        if current.children:
            current.children[-1].tail.append(data)
        else:
            current.leading_text.append(data)
