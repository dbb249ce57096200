"""The checks one HTML page can answer by itself, and the references it makes.

Everything here reads the page's source only (no network, no browser): title and
description, headings, image alt text, form labels, ``lang``, viewport, Open Graph tags
and mixed content. Links, images and styles are returned as :class:`Reference` for the
site checker to resolve across the whole site (dead links, page weight).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

from codaiq_desktop.site_check.findings import (
    ERROR,
    INFO,
    ORIGIN_EDITS,
    ORIGIN_GENERATOR,
    ORIGIN_SERVER,
    WARNING,
    Finding,
)
from codaiq_desktop.site_check.html_document import Element, HtmlDocument

TITLE_CHARS = (30, 60)
"""A title of 30-60 characters shows whole in most results (about 580 px on desktop)."""
DESCRIPTION_CHARS = (70, 160)
"""A description of 70-160 characters fills the snippet without being cut (about 920 px)."""

OPEN_GRAPH_TAGS = ("og:title", "og:description", "og:type", "og:url", "og:image")
_UNLABELED_EXEMPT_TYPES = frozenset({"hidden", "submit", "button", "reset", "image"})
_SKIPPED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "blob", "sms", "ftp"})


class _Add(Protocol):
    """The ``add`` callback every check is given: records one finding on the page."""

    def __call__(self, check: str, severity: str, element: str, message: str, fix: str, origin: str = ...) -> None: ...


@dataclass(frozen=True)
class PageContext:
    """What a page's checks need to know beyond its source."""

    path: str
    """The page within the site: ``/`` or ``/pages/about.html``."""
    url: str
    """Where it was fetched (absolute), the base for its relative links."""
    is_home: bool = False
    seo_title: str | None = None
    """The saved ``seoTitle`` metadata, to tell the user's edits from the generator's text."""
    seo_description: str | None = None


@dataclass(frozen=True)
class Reference:
    """Something a page points at: a link to follow, or a resource the page loads."""

    kind: str
    """``link`` (a navigation), or a resource: ``image``, ``stylesheet``, ``script``, ``media``, ``og-image``."""
    url: str
    """Absolute, without the fragment."""
    fragment: str
    element: str
    """The element, described for a finding."""

    @property
    def is_resource(self) -> bool:
        return self.kind != "link"


def check_page(document: HtmlDocument, context: PageContext) -> tuple[list[Finding], list[Reference]]:
    """Every single-page check of ``document``; and what it references, for the site-wide checks."""
    findings: list[Finding] = []
    base = _base_url(document, context.url)

    def add(check: str, severity: str, element: str, message: str, fix: str, origin: str = ORIGIN_GENERATOR) -> None:
        findings.append(Finding(check, severity, context.path, element, message, fix, origin))

    _check_title(document, context, add)
    _check_description(document, context, add)
    _check_headings(document, add)
    _check_images(document, add)
    _check_form_labels(document, add)
    _check_lang(document, add)
    _check_viewport(document, add)
    _check_open_graph(document, add)
    references = _references(document, base)
    _check_mixed_content(document, context.url, base, add)
    return findings, references


# -- title and description ---------------------------------------------------------------------


def _check_title(document: HtmlDocument, context: PageContext, add: _Add) -> None:
    element = document.title
    text = element.text if element is not None else ""
    from_edits = context.is_home and bool(context.seo_title) and text == (context.seo_title or "").strip()
    origin = ORIGIN_EDITS if from_edits else ORIGIN_GENERATOR
    where = (
        "the SEO title in Projects \u203a Details"
        if from_edits or context.is_home
        else "the page's <title> in the code"
    )
    if element is None:
        add(
            "title",
            ERROR,
            "head",
            "The page has no <title>: search results and browser tabs show its address instead.",
            f"Add a <title> of {TITLE_CHARS[0]}\u2013{TITLE_CHARS[1]} characters in the page's <head>.",
        )
        return
    described = element.describe()
    if not text:
        add(
            "title",
            ERROR,
            described,
            "The page's <title> is empty.",
            f"Write a title of {TITLE_CHARS[0]}\u2013{TITLE_CHARS[1]} characters ({where}).",
            origin,
        )
        return
    low, high = TITLE_CHARS
    if len(text) > high:
        add(
            "title-length",
            WARNING,
            described,
            f"The title is {len(text)} characters: search results cut it after about {high} (\u2248580 px).",
            f"Shorten it to {high} characters or fewer, most important words first ({where}).",
            origin,
        )
    elif len(text) < low:
        add(
            "title-length",
            WARNING,
            described,
            f"The title is only {len(text)} characters: it says little about the page in search results.",
            f"Lengthen it to {low}\u2013{high} characters: say what the business is and where ({where}).",
            origin,
        )
    if context.is_home and context.seo_title and text != context.seo_title.strip():
        add(
            "metadata-sync",
            WARNING,
            described,
            f"The page's title is \u201c{text}\u201d, but the saved SEO title is \u201c{context.seo_title.strip()}\u201d: "
            "the served page does not show the edit.",
            "Save the SEO title again; if the page still differs, export or rebuild the site so it picks up the edit.",
            ORIGIN_SERVER,
        )


def _check_description(document: HtmlDocument, context: PageContext, add: _Add) -> None:
    element = document.meta(name="description")
    text = " ".join((element.get("content") or "").split()) if element is not None else ""
    from_edits = (
        context.is_home and bool(context.seo_description) and text == " ".join((context.seo_description or "").split())
    )
    origin = ORIGIN_EDITS if from_edits else ORIGIN_GENERATOR
    where = "the SEO description in Projects \u203a Details" if from_edits or context.is_home else "the page's code"
    low, high = DESCRIPTION_CHARS
    if element is None or not text:
        add(
            "meta-description",
            WARNING,
            element.describe() if element is not None else "head",
            "The page has no meta description: search engines will pick a snippet from the page themselves.",
            f'Add <meta name="description" content="..."> of {low}\u2013{high} characters ({where}).',
            origin,
        )
        return
    described = element.describe()
    if len(text) > high:
        add(
            "description-length",
            WARNING,
            described,
            f"The description is {len(text)} characters: search results cut it after about {high} (\u2248920 px).",
            f"Shorten it to {high} characters or fewer ({where}).",
            origin,
        )
    elif len(text) < low:
        add(
            "description-length",
            WARNING,
            described,
            f"The description is only {len(text)} characters: the result's snippet will look thin.",
            f"Lengthen it to {low}\u2013{high} characters: what the visitor gets and why here ({where}).",
            origin,
        )
    if context.is_home and context.seo_description and text != " ".join(context.seo_description.split()):
        add(
            "metadata-sync",
            WARNING,
            described,
            "The page's meta description differs from the saved SEO description: the served page does not show the edit.",
            "Save the SEO description again; if the page still differs, export or rebuild the site.",
            ORIGIN_SERVER,
        )


# -- structure -------------------------------------------------------------------------------


def _check_headings(document: HtmlDocument, add: _Add) -> None:
    h1s = list(document.iter("h1"))
    if not h1s:
        add(
            "h1-count",
            ERROR,
            "body",
            "The page has no <h1>: readers and search engines cannot tell its main topic.",
            "Give the page exactly one <h1> that says what it is about.",
        )
    elif len(h1s) > 1:
        for extra in h1s[1:]:
            add(
                "h1-count",
                ERROR,
                extra.describe(),
                f"The page has {len(h1s)} <h1> headings (first: {h1s[0].describe()}); it should have exactly one.",
                "Keep one <h1> for the page's main topic and make this one an <h2> (or lower).",
            )
    previous = 0
    for heading in document.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(heading.tag[1])
        if previous == 0 and level != 1:
            add(
                "heading-order",
                WARNING,
                heading.describe(),
                f"The first heading is an <h{level}>, not an <h1>.",
                "Start the page's outline with its <h1>; use CSS, not a lower level, to make it look smaller.",
            )
        elif previous and level > previous + 1:
            add(
                "heading-order",
                WARNING,
                heading.describe(),
                f"An <h{level}> follows an <h{previous}>: heading level {previous + 1} is skipped.",
                f"Make it an <h{previous + 1}>, so screen reader users can follow the outline.",
            )
        previous = level


def _check_images(document: HtmlDocument, add: _Add) -> None:
    for image in document.iter("img"):
        if not image.has("alt"):
            add(
                "img-alt",
                ERROR,
                image.describe(),
                "The image has no alt attribute: screen readers read out its file name, search engines learn nothing.",
                'Add alt="..." describing what the image shows, or alt="" if it is only decoration.',
            )
    for button in document.iter("input"):
        if (button.get("type") or "").lower() == "image" and not (button.get("alt") or "").strip():
            add(
                "img-alt",
                ERROR,
                button.describe(),
                "The image button has no alt text: it has no name to announce.",
                'Add alt="..." saying what the button does.',
            )


def _check_form_labels(document: HtmlDocument, add: _Add) -> None:
    ids = document.by_id()
    labelled = {(label.get("for") or "") for label in document.iter("label") if label.get("for")}
    for field in document.iter("input", "select", "textarea"):
        kind = (field.get("type") or "text").lower()
        if field.tag == "input" and kind in _UNLABELED_EXEMPT_TYPES:
            continue
        if (field.get("aria-label") or "").strip() or (field.get("title") or "").strip():
            continue
        labelled_by = (field.get("aria-labelledby") or "").split()
        if labelled_by and any(ids.get(ref) is not None and ids[ref].text for ref in labelled_by):
            continue
        field_id = field.get("id")
        if field_id and field_id in labelled:
            continue
        if any(ancestor.tag == "label" for ancestor in field.ancestors()):
            continue
        placeholder = (field.get("placeholder") or "").strip()
        extra = (
            f" (its placeholder \u201c{placeholder}\u201d disappears as soon as someone types)" if placeholder else ""
        )
        add(
            "form-label",
            ERROR,
            field.describe(),
            f"The form field has no label{extra}: screen readers announce it only as \u201cedit text\u201d.",
            f'Add <label for="{field_id or "FIELD-ID"}">\u2026</label> (give the field that id), or wrap the field in its <label>.',
        )


def _check_lang(document: HtmlDocument, add: _Add) -> None:
    html = document.html
    if html is None or not (html.get("lang") or "").strip():
        add(
            "html-lang",
            ERROR,
            html.describe() if html is not None else "html",
            "The <html> element has no lang attribute: screen readers may read the page in the wrong language.",
            'Add lang="en" (or the page\'s language) to <html>.',
        )


def _check_viewport(document: HtmlDocument, add: _Add) -> None:
    element = document.meta(name="viewport")
    if element is None:
        add(
            "viewport",
            ERROR,
            "head",
            "The page has no viewport meta tag: phones show it zoomed out, as a desktop page.",
            'Add <meta name="viewport" content="width=device-width, initial-scale=1"> to the <head>.',
        )
        return
    content = (element.get("content") or "").lower().replace(" ", "")
    if "width=device-width" not in content:
        add(
            "viewport",
            WARNING,
            element.describe(),
            f"The viewport is \u201c{element.get('content')}\u201d, not the device's width.",
            'Use content="width=device-width, initial-scale=1".',
        )
    maximum = re.search(r"maximum-scale=([0-9.]+)", content)
    if (
        "user-scalable=no" in content
        or "user-scalable=0" in content
        or (maximum is not None and _float(maximum.group(1)) < 2)
    ):
        add(
            "viewport",
            WARNING,
            element.describe(),
            "The viewport stops visitors from zooming in, which people with low vision rely on.",
            "Remove user-scalable=no and maximum-scale from the viewport meta tag.",
        )


def _check_open_graph(document: HtmlDocument, add: _Add) -> None:
    missing = [tag for tag in OPEN_GRAPH_TAGS if not _og(document, tag)]
    important = [tag for tag in missing if tag in ("og:title", "og:description")]
    if important:
        add(
            "open-graph",
            WARNING,
            "head",
            f"Open Graph tags missing: {', '.join(missing)}. Shared on social media, the page shows a bare link"
            " or whatever text the network picks.",
            "Add " + ", ".join(f'<meta property="{tag}" content="...">' for tag in missing) + " to the <head>.",
        )
    elif missing:
        add(
            "open-graph",
            INFO,
            "head",
            f"Open Graph tags missing: {', '.join(missing)}."
            + (" Shared links show no picture." if "og:image" in missing else ""),
            "Add " + ", ".join(f'<meta property="{tag}" content="...">' for tag in missing) + " to the <head>.",
        )


def _og(document: HtmlDocument, tag: str) -> str:
    element = document.meta(prop=tag)
    return (element.get("content") or "").strip() if element is not None else ""


# -- references and mixed content ----------------------------------------------------------


def _base_url(document: HtmlDocument, page_url: str) -> str:
    base = document.first("base")
    href = base.get("href") if base is not None else None
    return urljoin(page_url, href) if href else page_url


def _resource_attrs(document: HtmlDocument) -> list[tuple[str, Element, str]]:
    """(kind, element, attribute value) of everything the page loads by itself."""
    found: list[tuple[str, Element, str]] = []
    for element in document.iter("img", "script", "link", "iframe", "source", "video", "audio", "embed", "object"):
        if element.tag == "img":
            if element.get("src"):
                found.append(("image", element, element.get("src") or ""))
        elif element.tag == "script":
            if element.get("src"):
                found.append(("script", element, element.get("src") or ""))
        elif element.tag == "link":
            rel = (element.get("rel") or "").lower().split()
            if "stylesheet" in rel or "icon" in rel or "preload" in rel:
                found.append(("stylesheet" if "stylesheet" in rel else "image", element, element.get("href") or ""))
        elif element.tag == "object":
            if element.get("data"):
                found.append(("media", element, element.get("data") or ""))
        elif element.get("src"):
            found.append(("media", element, element.get("src") or ""))
    return [(kind, element, value.strip()) for kind, element, value in found if value.strip()]


def _references(document: HtmlDocument, base: str) -> list[Reference]:
    references: list[Reference] = []
    for anchor in document.iter("a", "area"):
        href = (anchor.get("href") or "").strip()
        if not href or _scheme(href) in _SKIPPED_SCHEMES:
            continue
        url, fragment = urldefrag(urljoin(base, href))
        references.append(Reference("link", url, fragment, anchor.describe()))
    for kind, element, value in _resource_attrs(document):
        if _scheme(value) in _SKIPPED_SCHEMES:
            continue
        url, _ = urldefrag(urljoin(base, value))
        references.append(Reference(kind, url, "", element.describe()))
    image = document.meta(prop="og:image")
    if image is not None and (image.get("content") or "").strip():
        url, _ = urldefrag(urljoin(base, (image.get("content") or "").strip()))
        references.append(Reference("og-image", url, "", image.describe()))
    return references


def _check_mixed_content(document: HtmlDocument, page_url: str, base: str, add: _Add) -> None:
    page_is_https = urlsplit(page_url).scheme == "https"
    page_on_loopback = is_loopback(page_url)
    page_origin = _origin(page_url)
    for _kind, element, value in _resource_attrs(document):
        url = urljoin(base, value)
        if urlsplit(url).scheme != "http" or _origin(url) == page_origin:
            continue  # https, or the site's own file: it moves to https with the page
        if is_loopback(url):
            if not page_on_loopback:
                add(
                    "mixed-content",
                    ERROR,
                    element.describe(),
                    f"The page loads {url}, an address on this computer: visitors' browsers cannot reach it.",
                    "Point it at the file inside the site (a relative path) or at its public https address.",
                )
        elif page_is_https:
            add(
                "mixed-content",
                ERROR,
                element.describe(),
                f"The https page loads {url} over plain http: browsers block it (mixed content).",
                "Load it over https, or serve the file from the site itself.",
            )
        else:
            add(
                "mixed-content",
                WARNING,
                element.describe(),
                f"The page loads {url} over plain http: once the site is served over https, browsers will block it.",
                "Load it over https, or serve the file from the site itself.",
            )
    for form in document.iter("form"):
        action = (form.get("action") or "").strip()
        if not action:
            continue
        url = urljoin(base, action)
        if urlsplit(url).scheme != "http":
            continue
        if is_loopback(url) and not page_on_loopback:
            add(
                "mixed-content",
                ERROR,
                form.describe(),
                f"The form sends its answers to {url}, an address on this computer: visitors' submissions are lost.",
                "Point the form at the live service's address (export the site again from the service).",
                ORIGIN_SERVER,
            )
        elif page_is_https:
            add(
                "mixed-content",
                ERROR,
                form.describe(),
                f"The https page's form sends its answers over plain http ({url}): browsers warn or refuse.",
                "Post the form to an https address.",
            )


def is_loopback(url: str) -> bool:
    """True for ``localhost`` and 127.0.0.0/8 or ``::1`` addresses (reachable from this computer only)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _scheme(value: str) -> str:
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    return match.group(1).lower() if match else ""


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 10.0
