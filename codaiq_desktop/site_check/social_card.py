"""What a social network shows when someone shares the site: its Open Graph tags, or the fallbacks.

Facebook, LinkedIn, Slack and the rest read ``og:title``, ``og:description``, ``og:image``
and ``og:url`` from the shared page; without them they fall back to ``<title>`` and the
meta description, and show no picture. Qt-free: the Projects tab draws the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from codaiq_desktop.site_check.html_document import HtmlDocument
from codaiq_desktop.site_check.sources import ServedSite


@dataclass(frozen=True)
class SocialCard:
    """The card's parts, and whether they came from Open Graph tags or from fallbacks."""

    title: str
    description: str
    domain: str
    image_url: str | None
    og_title: str | None
    """``og:title`` as the page has it (``None``: missing, the card falls back to ``<title>``)."""
    og_description: str | None
    page_title: str
    page_description: str
    image: bytes | None = None
    """The image's bytes when it could be fetched."""

    @property
    def has_open_graph(self) -> bool:
        return self.og_title is not None or self.og_description is not None


def social_card_of(document: HtmlDocument, page_url: str) -> SocialCard:
    """The card a network would build from ``document`` (served at ``page_url``)."""

    def og(tag: str) -> str | None:
        element = document.meta(prop=tag)
        value = " ".join((element.get("content") or "").split()) if element is not None else ""
        return value or None

    title_element = document.title
    page_title = title_element.text if title_element is not None else ""
    description_element = document.meta(name="description")
    page_description = (
        " ".join((description_element.get("content") or "").split()) if description_element is not None else ""
    )
    og_url = og("og:url")
    image = og("og:image")
    return SocialCard(
        title=og("og:title") or page_title,
        description=og("og:description") or page_description,
        domain=(urlsplit(og_url or page_url).hostname or "").upper(),
        image_url=urljoin(page_url, image) if image else None,
        og_title=og("og:title"),
        og_description=og("og:description"),
        page_title=page_title,
        page_description=page_description,
    )


async def read_social_card(url: str) -> SocialCard:
    """Fetch the page at ``url`` (and its ``og:image``) and build its card; ``SiteCheckError`` if unreachable."""
    from dataclasses import replace

    from codaiq_desktop.site_check.sources import SiteCheckError

    site = ServedSite(url, timeout=10.0)
    try:
        fetched = await site.fetch(url)
        if not fetched.ok or not fetched.is_html:
            why = fetched.error or (f"it answers {fetched.status}" if fetched.status else "it is not a page")
            raise SiteCheckError(f"The page at {url} could not be read: {why}.")
        card = social_card_of(HtmlDocument(fetched.body.decode("utf-8", "replace")), fetched.url)
        if card.image_url and urlsplit(card.image_url).scheme in ("http", "https"):
            image = await site.fetch(card.image_url)
            if image.ok and image.content_type.startswith("image/"):
                card = replace(card, image=image.body)
        return card
    finally:
        await site.aclose()
