"""HTML, CSS and SVG for a brief: shared components assembled into pages.

Every link is relative (``../styles/main.css`` from ``pages/``), so the built folder
works from ``/sites/<id>/`` and from disk alike. Components are functions of the page's
depth; the same fragments are also written to ``components/`` for anyone reusing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from codaiq_desktop.sandbox.site_generator.brief import Brief
from codaiq_desktop.sandbox.site_generator.kinds import TESTIMONIAL_PEOPLE, TESTIMONIAL_QUOTES, Offer
from codaiq_desktop.sandbox.site_generator.palette import Palette


@dataclass(frozen=True)
class PageSpec:
    """A page of the site: its file, its label in the navigation, its title."""

    path: str  # "index.html", "pages/about.html"
    nav_label: str | None
    title: str


class SiteRenderer:
    """Renders one site; ``copy()`` fills the kind's wording with the brief's facts."""

    def __init__(
        self, brief: Brief, palette: Palette, *, seo_title: str | None = None, seo_description: str | None = None
    ) -> None:
        self.brief = brief
        self.palette = palette
        self._seo_title = (seo_title or "").strip() or None
        self._seo_description = (seo_description or "").strip() or None
        kind = brief.kind
        offers_stem, offers_title = kind.offers_page
        self.pages = (
            PageSpec("index.html", "Home", "Home"),
            PageSpec("pages/about.html", "About", f"About {brief.business_name}"),
            PageSpec(f"pages/{offers_stem}.html", offers_title, offers_title),
            PageSpec("pages/contact.html", "Contact", "Contact"),
        )
        self.offers_page = self.pages[2]
        self.contact_page = self.pages[3]
        self.thanks_page = PageSpec("pages/thanks.html", None, "Thank you")

    # -- wording -----------------------------------------------------------------------
    def copy(self, template: str) -> str:
        brief = self.brief
        topic = brief.topic
        return template.format(
            name=brief.business_name,
            topic=topic,
            topic_title=topic[:1].upper() + topic[1:],
            place=brief.place or "",
            in_place=f" in {brief.place}" if brief.place else "",
            audience=brief.audience,
        )

    @property
    def tagline(self) -> str:
        return self.copy(self.brief.kind.tagline)

    @property
    def lead(self) -> str:
        return self.copy(self.brief.kind.hero_lead)

    @property
    def seo_title(self) -> str:
        if self._seo_title:
            return self._seo_title
        title = f"{self.brief.business_name} | {self.tagline}"
        return title if len(title) <= 70 else title[:67].rstrip() + "..."

    @property
    def seo_description(self) -> str:
        if self._seo_description:
            return self._seo_description
        text = self.lead
        return text if len(text) <= 160 else text[:157].rstrip() + "..."

    def _features(self) -> list[Offer]:
        features = list(self.brief.kind.features)
        start = int(self.brief.pick([str(i) for i in range(len(features))], "features"))
        chosen = (features[start:] + features[:start])[: 3 if len(features) < 6 else 6]
        return [Offer(self.copy(f.title), self.copy(f.text), f.price) for f in chosen]

    # -- components ----------------------------------------------------------------------
    def header(self, root: str, current: str | None) -> str:
        name = escape(self.brief.business_name)
        links = []
        for page in self.pages:
            marker = ' aria-current="page"' if page.path == current else ""
            links.append(f'<li><a href="{root}{page.path}"{marker}>{escape(page.nav_label or page.title)}</a></li>')
        return (
            '<header class="site-header">\n<div class="container header-inner">\n'
            f'<a class="brand" href="{root}index.html"><img src="{root}assets/logo.svg" alt="{name} logo" width="40" height="40">'
            f"<span>{name}</span></a>\n"
            f'<nav aria-label="Main"><ul class="nav-list">{"".join(links)}</ul></nav>\n'
            "</div>\n</header>"
        )

    def footer(self, root: str) -> str:
        name = escape(self.brief.business_name)
        place = f"<p>{escape(self.brief.place)}</p>" if self.brief.place else ""
        return (
            '<footer class="site-footer">\n<div class="container footer-inner">\n'
            f'<div><p class="footer-brand">{name}</p><p>{escape(self.tagline)}</p>{place}</div>\n'
            f'<nav aria-label="Footer"><ul class="footer-links">'
            f'<li><a href="{root}pages/about.html">About</a></li>'
            f'<li><a href="{root}{self.offers_page.path}">{escape(self.offers_page.nav_label or "")}</a></li>'
            f'<li><a href="{root}pages/contact.html">Contact</a></li></ul></nav>\n'
            f'<p class="legal">&copy; 2026 {name}. All rights reserved.</p>\n'
            "</div>\n</footer>"
        )

    def hero(self, root: str) -> str:
        kind = self.brief.kind
        return (
            '<section class="hero" aria-labelledby="hero-title">\n<div class="container hero-inner">\n'
            '<div class="hero-copy">\n'
            f'<p class="eyebrow">{escape(kind.label)}</p>\n'
            f'<h1 id="hero-title">{escape(self.tagline)}</h1>\n'
            f'<p class="hero-lead">{escape(self.lead)}</p>\n'
            '<p class="hero-actions">'
            f'<a class="button" href="{root}pages/contact.html#lead-form">{escape(kind.cta_primary)}</a> '
            f'<a class="button button-ghost" href="{root}{self.offers_page.path}">See {escape((self.offers_page.nav_label or "").lower())}</a>'
            "</p>\n</div>\n"
            f'<img class="hero-art" src="{root}assets/hero.svg" width="480" height="360" '
            f'alt="{escape(self._hero_alt())}">\n'
            "</div>\n</section>"
        )

    def _hero_alt(self) -> str:
        return {
            "chart": "Illustration of a dashboard with rising charts",
            "plate": "Illustration of a plated dish on a table",
            "frame": "Illustration of framed design work on a wall",
            "house": "Illustration of a house with a toolbox",
            "bag": "Illustration of a shopping bag with gifts",
            "ticket": "Illustration of an event ticket and stage lights",
            "page": "Illustration of an open notebook and pen",
        }[self.brief.kind.motif]

    def features(self) -> str:
        cards = "\n".join(
            f'<li class="card"><h3>{escape(f.title)}</h3><p>{escape(f.text)}</p></li>' for f in self._features()
        )
        return (
            '<section class="features" aria-labelledby="features-title">\n<div class="container">\n'
            f'<h2 id="features-title">{escape(self.copy(self.brief.kind.features_title))}</h2>\n'
            f'<ul class="card-grid">\n{cards}\n</ul>\n</div>\n</section>'
        )

    def testimonials(self) -> str:
        quotes = []
        for index in range(3):
            person, role = TESTIMONIAL_PEOPLE[(self.brief.seed + index * 3) % len(TESTIMONIAL_PEOPLE)]
            quote = TESTIMONIAL_QUOTES[(self.brief.seed // 7 + index) % len(TESTIMONIAL_QUOTES)]
            quotes.append(
                '<li><figure class="quote">'
                f"<blockquote><p>{escape(self.copy(quote))}</p></blockquote>"
                f"<figcaption><strong>{escape(person)}</strong>, {escape(role)}</figcaption>"
                "</figure></li>"
            )
        return (
            '<section class="testimonials" aria-labelledby="testimonials-title">\n<div class="container">\n'
            '<h2 id="testimonials-title">What people say</h2>\n'
            f'<ul class="quote-grid">\n{chr(10).join(quotes)}\n</ul>\n</div>\n</section>'
        )

    def call_to_action(self, root: str) -> str:
        kind = self.brief.kind
        return (
            '<section class="cta" aria-labelledby="cta-title">\n<div class="container cta-inner">\n'
            f'<h2 id="cta-title">{escape(self.copy(kind.cta_title))}</h2>\n'
            f"<p>{escape(self.copy('Get in touch today and hear back from {name} within one working day.'))}</p>\n"
            f'<a class="button button-light" href="{root}pages/contact.html#lead-form">{escape(kind.cta_primary)}</a>\n'
            "</div>\n</section>"
        )

    def lead_form(self, root: str) -> str:
        kind = self.brief.kind
        return (
            '<section class="lead" id="lead-form" aria-labelledby="lead-title">\n<div class="container narrow">\n'
            f'<h2 id="lead-title">{escape(kind.form_title)}</h2>\n'
            '<p class="muted">Fields marked * are required. We reply within one working day.</p>\n'
            f'<form class="lead-form" method="post" action="{root}lead" data-codaiq-lead-form '
            f'data-thanks="{root}pages/thanks.html">\n'
            '<div class="field"><label for="lead-name">Name *</label>'
            '<input id="lead-name" name="name" type="text" autocomplete="name" required maxlength="200"></div>\n'
            '<div class="field"><label for="lead-email">Email *</label>'
            '<input id="lead-email" name="email" type="email" autocomplete="email" required maxlength="254"></div>\n'
            '<div class="field"><label for="lead-phone">Phone</label>'
            '<input id="lead-phone" name="phone" type="tel" autocomplete="tel" maxlength="40"></div>\n'
            f'<div class="field"><label for="lead-message">{escape(kind.form_message_label)}</label>'
            '<textarea id="lead-message" name="message" rows="5" maxlength="5000"></textarea></div>\n'
            '<button class="button" type="submit">Send</button>\n'
            '<p class="form-status" role="status" aria-live="polite"></p>\n'
            "</form>\n</div>\n</section>"
        )

    def components(self) -> dict[str, str]:
        """The shared fragments, as linked from the site's root folder."""
        return {
            "components/header.html": self.header("", None),
            "components/footer.html": self.footer(""),
            "components/hero.html": self.hero(""),
            "components/features.html": self.features(),
            "components/testimonials.html": self.testimonials(),
            "components/cta.html": self.call_to_action(""),
            "components/lead-form.html": self.lead_form(""),
        }

    # -- pages ---------------------------------------------------------------------------
    def document(self, page: PageSpec, body: str) -> str:
        root = "../" if "/" in page.path else ""
        title = self.seo_title if page.path == "index.html" else f"{page.title} | {self.brief.business_name}"
        return (
            "<!doctype html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n"
            f'<meta name="description" content="{escape(self.seo_description)}">\n'
            '<meta property="og:type" content="website">\n'
            f'<meta property="og:site_name" content="{escape(self.brief.business_name)}">\n'
            f'<meta property="og:title" content="{escape(title)}">\n'
            f'<meta property="og:description" content="{escape(self.seo_description)}">\n'
            '<meta name="twitter:card" content="summary">\n'
            f'<meta name="theme-color" content="{self.palette.primary}">\n'
            f'<link rel="icon" href="{root}assets/favicon.svg" type="image/svg+xml">\n'
            f'<link rel="stylesheet" href="{root}styles/main.css">\n'
            + (f'<script src="{root}assets/lead-form.js" defer></script>\n' if "data-codaiq-lead-form" in body else "")
            + "</head>\n<body>\n"
            '<a class="skip-link" href="#main">Skip to content</a>\n'
            f"{self.header(root, page.path)}\n"
            f'<main id="main">\n{body}\n</main>\n'
            f"{self.footer(root)}\n"
            "</body>\n</html>\n"
        )

    def page_heading(self, title: str, intro: str) -> str:
        return (
            '<section class="page-heading">\n<div class="container">\n'
            f'<h1>{escape(title)}</h1>\n<p class="hero-lead">{escape(intro)}</p>\n</div>\n</section>'
        )

    def home(self) -> str:
        page = self.pages[0]
        body = "\n".join(
            (self.hero(""), self.features(), self.testimonials(), self.call_to_action(""), self.lead_form(""))
        )
        return self.document(page, body)

    def about(self) -> str:
        page = self.pages[1]
        paragraphs = "\n".join(f"<p>{escape(self.copy(text))}</p>" for text in self.brief.kind.about)
        story = (
            '<section class="prose" aria-labelledby="story-title">\n<div class="container narrow">\n'
            f'<h2 id="story-title">Our story</h2>\n{paragraphs}\n</div>\n</section>'
        )
        body = "\n".join(
            (self.page_heading(page.title, self.tagline), story, self.testimonials(), self.call_to_action("../"))
        )
        return self.document(page, body)

    def offers(self) -> str:
        page = self.offers_page
        cards = "\n".join(
            '<li class="card offer">'
            f"<h2>{escape(self.copy(offer.title))}</h2>"
            + (f'<p class="price">{escape(offer.price)}</p>' if offer.price else "")
            + f"<p>{escape(self.copy(offer.text))}</p>"
            f'<a class="button" href="contact.html#lead-form">{escape(self.brief.kind.cta_primary)}</a></li>'
            for offer in self.brief.kind.offers
        )
        listing = (
            f'<section class="offers" aria-label="{escape(page.title)}">\n<div class="container">\n'
            f'<ul class="card-grid">\n{cards}\n</ul>\n</div>\n</section>'
        )
        body = "\n".join(
            (self.page_heading(page.title, self.copy(self.brief.kind.offers_intro)), listing, self.features())
        )
        return self.document(page, body)

    def contact(self) -> str:
        page = self.contact_page
        slug = "".join(ch for ch in self.brief.business_name.lower() if ch.isalnum())[:24] or "hello"
        place = f"<dt>Visit</dt><dd>{escape(self.brief.place)}</dd>" if self.brief.place else ""
        details = (
            '<section class="contact-details" aria-labelledby="details-title">\n<div class="container narrow">\n'
            '<h2 id="details-title">Other ways to reach us</h2>\n<dl>'
            f'<dt>Email</dt><dd><a href="mailto:hello@{slug}.example">hello@{slug}.example</a></dd>'
            "<dt>Phone</dt><dd>+44 20 7946 0000</dd>"
            f"{place}</dl>\n</div>\n</section>"
        )
        intro = self.copy("Questions, quotes or just hello: the team at {name} would love to hear from you.")
        body = "\n".join((self.page_heading(page.title, intro), self.lead_form("../"), details))
        return self.document(page, body)

    def thanks(self) -> str:
        page = self.thanks_page
        body = (
            '<section class="page-heading">\n<div class="container narrow">\n'
            "<h1>Thank you!</h1>\n"
            f'<p class="hero-lead">{escape(self.copy("Your message is on its way to {name}. We will be in touch soon."))}</p>\n'
            '<p><a class="button" href="../index.html">Back to the home page</a></p>\n'
            "</div>\n</section>"
        )
        return self.document(page, body)

    # -- assets ----------------------------------------------------------------------------
    def initials(self) -> str:
        letters = [word[0] for word in self.brief.business_name.split() if word[:1].isalnum()]
        return ("".join(letters[:2]) or self.brief.business_name[:1] or "C").upper()

    def logo_svg(self) -> str:
        name = escape(self.brief.business_name)
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" '
            f'aria-labelledby="logo-title"><title id="logo-title">{name}</title>'
            f'<rect width="64" height="64" rx="16" fill="{self.palette.primary_dark}"/>'
            f'<circle cx="50" cy="14" r="7" fill="{self.palette.accent}"/>'
            f'<text x="32" y="41" text-anchor="middle" font-family="system-ui, sans-serif" font-size="24" '
            f'font-weight="700" fill="#ffffff">{escape(self.initials())}</text></svg>\n'
        )

    def favicon_svg(self) -> str:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">'
            f'<rect width="32" height="32" rx="8" fill="{self.palette.primary_dark}"/>'
            f'<text x="16" y="22" text-anchor="middle" font-family="system-ui, sans-serif" font-size="15" '
            f'font-weight="700" fill="#ffffff">{escape(self.initials()[:1])}</text></svg>\n'
        )

    def hero_svg(self) -> str:
        p = self.palette
        shapes = {
            "chart": (
                f'<rect x="60" y="60" width="360" height="240" rx="18" fill="#ffffff"/>'
                f'<rect x="100" y="210" width="40" height="60" rx="6" fill="{p.accent}"/>'
                f'<rect x="170" y="170" width="40" height="100" rx="6" fill="{p.primary}"/>'
                f'<rect x="240" y="130" width="40" height="140" rx="6" fill="{p.accent}"/>'
                f'<rect x="310" y="95" width="40" height="175" rx="6" fill="{p.primary}"/>'
            ),
            "plate": (
                f'<ellipse cx="240" cy="200" rx="170" ry="110" fill="#ffffff"/>'
                f'<ellipse cx="240" cy="195" rx="110" ry="70" fill="{p.accent}"/>'
                f'<circle cx="210" cy="180" r="26" fill="{p.primary}"/><circle cx="270" cy="205" r="20" fill="#ffffff"/>'
            ),
            "frame": (
                f'<rect x="70" y="70" width="150" height="200" rx="8" fill="#ffffff"/>'
                f'<rect x="90" y="90" width="110" height="160" fill="{p.accent}"/>'
                f'<rect x="250" y="110" width="160" height="120" rx="8" fill="#ffffff"/>'
                f'<circle cx="330" cy="170" r="38" fill="{p.primary}"/>'
            ),
            "house": (
                f'<polygon points="240,60 400,190 80,190" fill="{p.accent}"/>'
                f'<rect x="120" y="190" width="240" height="130" fill="#ffffff"/>'
                f'<rect x="215" y="240" width="50" height="80" fill="{p.primary}"/>'
            ),
            "bag": (
                f'<rect x="130" y="120" width="220" height="200" rx="20" fill="#ffffff"/>'
                f'<path d="M190 120 a50 50 0 0 1 100 0" fill="none" stroke="{p.accent}" stroke-width="14"/>'
                f'<rect x="200" y="190" width="80" height="70" rx="10" fill="{p.primary}"/>'
            ),
            "ticket": (
                f'<rect x="70" y="110" width="340" height="150" rx="18" fill="#ffffff"/>'
                f'<line x1="300" y1="120" x2="300" y2="250" stroke="{p.accent}" stroke-width="6" stroke-dasharray="10 10"/>'
                f'<rect x="100" y="150" width="160" height="20" rx="10" fill="{p.primary}"/>'
                f'<rect x="100" y="190" width="110" height="16" rx="8" fill="{p.accent}"/>'
            ),
            "page": (
                f'<rect x="90" y="70" width="150" height="230" rx="10" fill="#ffffff"/>'
                f'<rect x="240" y="70" width="150" height="230" rx="10" fill="#ffffff"/>'
                f'<rect x="115" y="110" width="100" height="10" rx="5" fill="{p.accent}"/>'
                f'<rect x="265" y="110" width="100" height="10" rx="5" fill="{p.primary}"/>'
            ),
        }[self.brief.kind.motif]
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 360" width="480" height="360" aria-hidden="true">'
            f'<rect width="480" height="360" rx="28" fill="{p.primary}"/>{shapes}</svg>\n'
        )

    def lead_form_script(self) -> str:
        """Sends the lead forms as JSON (the shape of ``POST /api/leads/submit``); no key inside."""
        return LEAD_FORM_SCRIPT

    def stylesheet(self) -> str:
        return _STYLESHEET.replace("/*VARS*/", self.palette.css_variables())


LEAD_FORM_SCRIPT = """/* Sends this site's lead forms as JSON: {websiteId, name, email, phone, message}.
   Where to: each form's action. In an exported site that is Codaiq's documented
   POST /api/leads/submit; change the forms' action to use your own endpoint.
   No API key is needed here, and none may be put here: this file is public. */
(function () {
  "use strict";
  var FIELDS = ["name", "email", "phone", "message"];
  function payload(form) {
    var data = new FormData(form);
    var body = {};
    var details = [];
    data.forEach(function (value, key) {
      value = String(value).trim();
      if (FIELDS.indexOf(key) >= 0) { body[key] = value || null; }
      else if (key.indexOf("detail_") === 0 && value) {
        var label = key.slice(7).replace(/_/g, " ");
        details.push(label.charAt(0).toUpperCase() + label.slice(1) + ": " + value);
      }
    });
    if (details.length) { body.message = details.join("\\n") + (body.message ? "\\n\\n" + body.message : ""); }
    if (form.dataset.websiteId) { body.websiteId = form.dataset.websiteId; }
    return body;
  }
  document.querySelectorAll("form[data-codaiq-lead-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }
      event.preventDefault();
      var status = form.querySelector(".form-status");
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      if (status) { status.textContent = "Sending\u2026"; }
      fetch(form.getAttribute("action"), {
        method: "POST",
        headers: {"Content-Type": "application/json", "Accept": "application/json"},
        body: JSON.stringify(payload(form))
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        window.location.href = form.dataset.thanks;
      }).catch(function () {
        if (button) { button.disabled = false; }
        if (status) { status.textContent = "Sorry, your message could not be sent. Please try again, or email us."; }
      });
    });
  });
})();
"""

_STYLESHEET = """/* Generated by Codaiq. Colours meet WCAG AA contrast. */
:root {
/*VARS*/
  --radius: 14px;
  --shadow: 0 6px 24px rgb(0 0 0 / 0.08);
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
*, *::before, *::after { box-sizing: border-box; }
html { scroll-behavior: smooth; }
@media (prefers-reduced-motion: reduce) { html { scroll-behavior: auto; } * { transition: none !important; } }
body { margin: 0; font-family: var(--font); line-height: 1.6; color: var(--color-text); background: var(--color-bg); overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; display: block; }
a { color: var(--color-primary); }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible {
  outline: 3px solid var(--color-accent); outline-offset: 2px;
}
h1, h2, h3 { line-height: 1.2; margin: 0 0 0.6em; }
h1 { font-size: clamp(2rem, 4vw + 1rem, 3.2rem); }
h2 { font-size: clamp(1.5rem, 2vw + 1rem, 2.2rem); }
.container { width: min(1120px, 100% - 2.5rem); margin-inline: auto; }
.narrow { width: min(720px, 100% - 2.5rem); }
.muted { color: var(--color-muted); }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--color-primary); color: var(--color-on-primary); padding: 0.6rem 1rem; z-index: 10; }
.skip-link:focus { left: 1rem; }
.site-header { background: var(--color-surface); box-shadow: var(--shadow); position: sticky; top: 0; z-index: 5; }
.header-inner { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 0.75rem 0; flex-wrap: wrap; }
.brand { display: flex; align-items: center; gap: 0.6rem; font-weight: 700; font-size: 1.15rem; color: var(--color-text); text-decoration: none; }
.nav-list, .footer-links { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0; }
.nav-list a { text-decoration: none; font-weight: 600; padding: 0.4rem 0; }
.nav-list a[aria-current="page"] { text-decoration: underline; text-underline-offset: 6px; }
.hero { background: var(--color-primary-dark); color: var(--color-on-primary); padding: clamp(3rem, 8vw, 6rem) 0; }
.hero-inner { display: grid; gap: 2.5rem; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); align-items: center; }
.eyebrow { text-transform: uppercase; letter-spacing: 0.12em; font-size: 0.85rem; font-weight: 700; margin: 0 0 0.8rem; }
.hero-lead { font-size: 1.2rem; max-width: 40rem; }
.hero-actions { display: flex; flex-wrap: wrap; gap: 0.8rem; margin-top: 1.6rem; }
.hero-art { border-radius: var(--radius); }
.button { display: inline-block; background: var(--color-primary); color: var(--color-on-primary); padding: 0.8rem 1.4rem; border-radius: 999px; border: 2px solid var(--color-primary); font: inherit; font-weight: 700; text-decoration: none; cursor: pointer; }
.button:hover { background: var(--color-primary-dark); border-color: var(--color-primary-dark); }
.hero .button { background: var(--color-surface); color: var(--color-primary-dark); border-color: var(--color-surface); }
.button-ghost, .hero .button-ghost { background: transparent; color: var(--color-on-primary); border-color: var(--color-on-primary); }
.button-light { background: var(--color-surface); color: var(--color-primary-dark); border-color: var(--color-surface); }
section { padding: clamp(2.5rem, 6vw, 4.5rem) 0; }
.page-heading { background: var(--color-surface); }
.card-grid, .quote-grid { list-style: none; padding: 0; margin: 0; display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(280px, 100%), 1fr)); }
.card { background: var(--color-surface); border-radius: var(--radius); padding: 1.5rem; box-shadow: var(--shadow); }
.card p { margin: 0; }
.offer { display: flex; flex-direction: column; gap: 0.8rem; }
.offer h2 { font-size: 1.5rem; margin: 0; }
.offer .button { align-self: flex-start; margin-top: auto; }
.price { font-size: 1.4rem; font-weight: 700; color: var(--color-primary); }
.quote { margin: 0; background: var(--color-surface); border-radius: var(--radius); padding: 1.5rem; box-shadow: var(--shadow); height: 100%; }
.quote blockquote { margin: 0 0 1rem; font-size: 1.1rem; }
.quote figcaption { color: var(--color-muted); }
.cta { background: var(--color-primary-dark); color: var(--color-on-primary); text-align: center; }
.cta-inner { display: grid; justify-items: center; gap: 0.6rem; }
.lead-form { display: grid; gap: 1rem; background: var(--color-surface); padding: clamp(1.25rem, 4vw, 2rem); border-radius: var(--radius); box-shadow: var(--shadow); }
.field { display: grid; gap: 0.35rem; }
label { font-weight: 600; }
input, textarea { font: inherit; color: var(--color-text); background: var(--color-surface); padding: 0.7rem 0.8rem; border: 2px solid var(--color-muted); border-radius: 10px; width: 100%; }
.lead-form .button { justify-self: start; }
.contact-details dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1.5rem; }
.contact-details dt { font-weight: 700; }
.contact-details dd { margin: 0; }
.prose p { font-size: 1.1rem; }
.site-footer { background: var(--color-surface); padding: 2.5rem 0; margin-top: 2rem; }
.footer-inner { display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); }
.footer-brand { font-weight: 700; font-size: 1.1rem; margin: 0; }
.legal { color: var(--color-muted); font-size: 0.9rem; grid-column: 1 / -1; margin: 0; }
@media (max-width: 640px) {
  .header-inner { justify-content: center; }
  .hero-actions .button { width: 100%; text-align: center; }
}
"""
