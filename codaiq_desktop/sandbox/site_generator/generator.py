"""Prompt in, static website out: ``generate_site(prompt, name) -> GeneratedSite``.

No network and no randomness: the output depends only on the prompt and the name, so a
rebuild gives the same bytes and tests can pin behaviour. Files are returned in memory;
the build writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from codaiq_desktop.sandbox.site_generator.brief import PromptRejected, read_brief
from codaiq_desktop.sandbox.site_generator.palette import Palette, palette_for
from codaiq_desktop.sandbox.site_generator.render import SiteRenderer

HUE_SPREAD = 36
"""How far (in degrees) a prompt may move its kind's base hue, so sites of a kind differ."""


class GenerationError(Exception):
    """The prompt cannot be turned into a site; the message tells the user why."""


@dataclass(frozen=True)
class GeneratedSite:
    """A generated site: its files (relative path to bytes) and what the build records about it."""

    kind: str
    business_name: str
    seo_title: str
    seo_description: str
    palette: Palette
    files: dict[str, bytes]
    pages: tuple[str, ...]
    """URL paths of the navigable pages, home first (``/``, ``/pages/about.html`` ...)."""


@dataclass(frozen=True)
class SiteDetails:
    """What a user may change after the build (``PATCH /api/project``): the site's name and
    its search metadata. The copy keeps the prompt's seed, so only these details change."""

    name: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None


def business_name(prompt: str, name: str | None = None) -> str:
    """The name a site for this prompt will carry (cheap; used before the build runs)."""
    try:
        return read_brief(prompt, name).business_name
    except PromptRejected:
        return (name or "").strip() or "Untitled site"


def generate_site(prompt: str, name: str | None = None, details: SiteDetails | None = None) -> GeneratedSite:
    """Build every file of the site; raises :class:`GenerationError` for an unusable prompt.

    ``prompt`` and ``name`` (the name asked for at generation) fix the copy; ``details``
    override the displayed name, title and description without changing anything else.
    A prompt with no words at all (only digits, symbols or emoji) is rejected: that is the
    documented way to see a build fail.
    """
    try:
        brief = read_brief(prompt, name)
    except PromptRejected as exc:
        raise GenerationError(str(exc)) from None
    details = details or SiteDetails()
    if details.name and details.name.strip():
        brief = replace(brief, business_name=details.name.strip())
    offset = brief.seed % (2 * HUE_SPREAD + 1) - HUE_SPREAD
    saturation = {"playful": 0.78, "bold": 0.72, "refined": 0.4, "calm": 0.45, "warm": 0.6}.get(brief.tone or "", 0.62)
    palette = palette_for(brief.kind.hue + offset, saturation)
    renderer = SiteRenderer(brief, palette, seo_title=details.seo_title, seo_description=details.seo_description)
    text_files: dict[str, str] = {
        "index.html": renderer.home(),
        "pages/about.html": renderer.about(),
        renderer.offers_page.path: renderer.offers(),
        "pages/contact.html": renderer.contact(),
        "pages/thanks.html": renderer.thanks(),
        "styles/main.css": renderer.stylesheet(),
        "assets/logo.svg": renderer.logo_svg(),
        "assets/favicon.svg": renderer.favicon_svg(),
        "assets/hero.svg": renderer.hero_svg(),
        "assets/lead-form.js": renderer.lead_form_script(),
        **renderer.gallery_svgs(),
        **renderer.components(),
    }
    files = {path: text.encode("utf-8") for path, text in text_files.items()}
    pages = tuple("/" if page.path == "index.html" else f"/{page.path}" for page in renderer.pages)
    return GeneratedSite(
        kind=brief.kind.key,
        business_name=brief.business_name,
        seo_title=renderer.seo_title,
        seo_description=renderer.seo_description,
        palette=palette,
        files=files,
        pages=pages,
    )
