"""HTML, CSS and SVG for a brief: shared components assembled into pages.

Every link is relative (``../styles/main.css`` from ``pages/``), so the built folder
works from ``/sites/<id>/`` and from disk alike. Components are functions of the page's
depth; the same fragments are also written to ``components/`` for anyone reusing them.
All text goes through :func:`html.escape`; all copy goes through :meth:`~.site_copy.SiteCopy.fill`,
which only uses a template when every slot it names has a value.
"""

from __future__ import annotations

import re
from html import escape

from codaiq_desktop.sandbox.site_generator.brief import THIS_YEAR
from codaiq_desktop.sandbox.site_generator.kinds import FormField
from codaiq_desktop.sandbox.site_generator.people import person
from codaiq_desktop.sandbox.site_generator.places import phone_number
from codaiq_desktop.sandbox.site_generator.sections import KindSections
from codaiq_desktop.sandbox.site_generator.site_copy import PageSpec, tidy
from codaiq_desktop.sandbox.site_generator.site_files import LEAD_FORM_SCRIPT, STYLESHEET


class SiteRenderer(KindSections):
    """Renders one site from a brief and a palette."""

    # -- components ----------------------------------------------------------------------
    def header(self, root: str, current: str | None) -> str:
        name = escape(self.brief.business_name)
        links = []
        for page in self.pages:
            marker = ' aria-current="page"' if page.path == current else ""
            links.append(f'<li><a href="{root}{page.path}"{marker}>{escape(page.nav_label or page.title)}</a></li>')
        return (
            '<header class="site-header">\n<div class="container header-inner">\n'
            f'<a class="brand" href="{root}index.html"><img src="{root}assets/logo.svg" alt="" width="40" height="40">'
            f"<span>{name}</span></a>\n"
            f'<nav aria-label="Main"><ul class="nav-list">{"".join(links)}</ul></nav>\n'
            "</div>\n</header>"
        )

    def footer(self, root: str) -> str:
        name = escape(self.brief.business_name)
        place = f"<p>{escape(self.brief.place.name)}</p>" if self.brief.place else ""
        return (
            '<footer class="site-footer">\n<div class="container footer-inner">\n'
            f'<div><p class="footer-brand">{name}</p><p>{escape(self.headline)}</p>{place}</div>\n'
            f'<nav aria-label="Footer"><ul class="footer-links">'
            f'<li><a href="{root}pages/about.html">About</a></li>'
            f'<li><a href="{root}{self.offers_page.path}">{escape(self.offers_page.nav_label or "")}</a></li>'
            f'<li><a href="{root}pages/contact.html">Contact</a></li></ul></nav>\n'
            f'<p class="legal">&copy; {THIS_YEAR} {name}</p>\n'
            "</div>\n</footer>"
        )

    def hero(self, root: str) -> str:
        eyebrow = self.brief.eyebrow
        eyebrow_html = f'<p class="eyebrow">{escape(eyebrow)}</p>\n' if eyebrow else ""
        date = ""
        if self.brief.event_date:
            where = f" \u00b7 {self.brief.place.name}" if self.brief.place else ""
            date = f'<p class="hero-date">{escape(self.brief.event_date)}{escape(where)}</p>\n'
        return (
            '<section class="hero" aria-labelledby="hero-title">\n<div class="container hero-inner">\n'
            '<div class="hero-copy">\n'
            f"{eyebrow_html}"
            f'<h1 id="hero-title">{escape(self.headline)}</h1>\n'
            f"{date}"
            f'<p class="hero-lead">{escape(self.lead)}</p>\n'
            '<p class="hero-actions">'
            f"{self._cta_link(root, 'button')} "
            f'<a class="button button-ghost" href="{root}{self.offers_page.path}">'
            f"{escape(self._see_label())}</a>"
            "</p>\n</div>\n"
            f'<img class="hero-art" src="{root}assets/hero.svg" width="480" height="360" alt="">\n'
            "</div>\n</section>"
        )

    @property
    def language(self) -> str:
        """The page's language tag: English, in the place's variety when it has one (dates
        in forms then show day/month where that is the custom)."""
        variety = {"uk": "en-GB", "ie": "en-IE", "au": "en-AU", "nz": "en-NZ", "us": "en-US", "ca": "en-CA"}
        return variety.get(self.country.key, "en") if self.country else "en"

    @property
    def phone(self) -> str | None:
        return phone_number(self.brief.place, self.brief.number("phone")) if self.brief.place else None

    def _cta_link(self, root: str, css: str) -> str:
        """The main call to action: a phone link when it says "call" and there is a number."""
        if self.brief.cta.lower().startswith("call") and self.phone:
            digits = re.sub(r"[^\d+]", "", self.phone)
            return f'<a class="{css}" href="tel:{digits}">Call {escape(self.phone)}</a>'
        return f'<a class="{css}" href="{root}pages/contact.html#lead-form">{escape(self.brief.cta)}</a>'

    def features(self) -> str:
        chosen = self.chosen(self.kind.features, 4 if len(self.kind.features) >= 4 else 3, "features")
        cards = []
        for title, texts in chosen:
            sentence = self.fill(texts, f"feature:{title}")
            cards.append(f'<li class="card"><h3>{escape(self.text(title) or title)}</h3><p>{escape(sentence)}</p></li>')
        return (
            '<section class="features" aria-labelledby="features-title">\n<div class="container">\n'
            f'<h2 id="features-title">{escape(self.fill(self.kind.features_title, "features-title"))}</h2>\n'
            f'<ul class="card-grid">\n{chr(10).join(cards)}\n</ul>\n</div>\n</section>'
        )

    def testimonials(self) -> str:
        quotes = self.chosen(tuple(self.usable(self.kind.quotes)), 3, "quotes")
        items = []
        for index, quote in enumerate(quotes):
            who = person(self.pool, self.brief.number(f"reviewer:{index}"))
            role = self.fill(
                self.kind.roles,
                f"role:{index}",
                since_guest=str(THIS_YEAR - 1 - (index * 2 + self.brief.number("guest")) % 7),
            )
            items.append(
                '<li><figure class="quote">'
                f"<blockquote><p>{escape(tidy(quote.format_map(self.slots)))}</p></blockquote>"
                f"<figcaption><strong>{escape(who)}</strong>, {escape(role)}</figcaption>"
                "</figure></li>"
            )
        title = self.brief.pick(
            (
                "What people say",
                "Kind words",
                "In their words",
                "From our guestbook" if self.kind.key in ("restaurant", "hotel") else "Reviews",
            ),
            "testimonials-title",
        )
        return (
            '<section class="testimonials" aria-labelledby="testimonials-title">\n<div class="container">\n'
            f'<h2 id="testimonials-title">{escape(title)}</h2>\n'
            f'<ul class="quote-grid">\n{chr(10).join(items)}\n</ul>\n</div>\n</section>'
        )

    def highlights(self) -> str:
        points = [p for p in (*self.brief.facts, *self.brief.extras) if p != self.brief.event_date]
        if not points:
            return ""
        title = self.brief.pick(("Good to know", "At a glance", "The details"), "highlights")
        items = "".join(f"<li>{escape(point)}</li>" for point in points[:8])
        return (
            '<section class="highlights" aria-labelledby="highlights-title">\n<div class="container">\n'
            f'<h2 id="highlights-title">{escape(title)}</h2>\n<ul class="tick-list">{items}</ul>\n</div>\n</section>'
        )

    def call_to_action(self, root: str) -> str:
        return (
            '<section class="cta" aria-labelledby="cta-title">\n<div class="container cta-inner">\n'
            f'<h2 id="cta-title">{escape(self.fill(self.kind.cta_titles, "cta-title"))}</h2>\n'
            f"<p>{escape(self.fill(self.kind.cta_texts, 'cta-text'))}</p>\n"
            f"{self._cta_link(root, 'button button-light')}\n"
            "</div>\n</section>"
        )

    def _field_options(self, form_field: FormField) -> tuple[str, ...]:
        if form_field.options:
            return form_field.options
        if form_field.key in ("package",):
            return tuple(title for title, _, _ in self._packages()) + ("Not sure yet",)
        if form_field.key == "ticket":
            return tuple(title for title, _, _ in self._tickets()) + ("Not sure yet",)
        if form_field.key == "project_type":
            return tuple(title for title, _ in self.kind.features) + ("Something else",)
        titles = tuple(item.title.format_map(self.slots) for item in self.items)
        return titles + ("Not sure yet",)

    def _control(self, form_field: FormField, ident: str) -> str:
        name = f"detail_{form_field.key}"
        if form_field.type == "select":
            options = "".join(f"<option>{escape(option)}</option>" for option in self._field_options(form_field))
            return f'<select id="{ident}" name="{name}"><option value="">Choose\u2026</option>{options}</select>'
        extra = ' min="1" max="50" inputmode="numeric"' if form_field.type == "number" else ""
        return (
            f'<input id="{ident}" name="{name}" type="{form_field.type}" autocomplete="{form_field.autocomplete}"'
            f' maxlength="200"{extra}>'
        )

    def lead_form(self, root: str) -> str:
        fields = []
        for form_field in self.kind.fields:
            ident = f"lead-{form_field.key.replace('_', '-')}"
            fields.append(
                f'<div class="field"><label for="{ident}">{escape(form_field.label)}</label>'
                f"{self._control(form_field, ident)}</div>\n"
            )
        return (
            '<section class="lead" id="lead-form" aria-labelledby="lead-title">\n<div class="container narrow">\n'
            f'<h2 id="lead-title">{escape(self._form_title())}</h2>\n'
            '<p class="muted">Fields marked * are required.</p>\n'
            f'<form class="lead-form" method="post" action="{root}lead" data-codaiq-lead-form '
            f'data-thanks="{root}pages/thanks.html">\n'
            '<div class="field-row">'
            '<div class="field"><label for="lead-name">Name *</label>'
            '<input id="lead-name" name="name" type="text" autocomplete="name" required maxlength="200"></div>\n'
            '<div class="field"><label for="lead-email">Email *</label>'
            '<input id="lead-email" name="email" type="email" autocomplete="email" required maxlength="254"></div>\n'
            "</div>\n"
            '<div class="field"><label for="lead-phone">Phone</label>'
            '<input id="lead-phone" name="phone" type="tel" autocomplete="tel" maxlength="40"></div>\n'
            f"{''.join(fields)}"
            f'<div class="field"><label for="lead-message">{escape(self.kind.message_label)}</label>'
            '<textarea id="lead-message" name="message" rows="5" maxlength="4000"></textarea></div>\n'
            f'<button class="button" type="submit">{escape(self._submit_label())}</button>\n'
            '<p class="form-status" role="status" aria-live="polite"></p>\n'
            "</form>\n</div>\n</section>"
        )

    def _form_title(self) -> str:
        """The form's heading, never the same words as the call-to-action band above it."""
        cta_title = self.fill(self.kind.cta_titles, "cta-title")
        titles = [t for t in self.usable(self.kind.form_title) if t.format_map(self.slots) != cta_title]
        return self.fill(titles or self.kind.form_title, "form-title")

    def _submit_label(self) -> str:
        return {
            "restaurant": "Request booking",
            "bakery": "Place order",
            "hotel": "Check availability",
            "photography": "Send enquiry",
            "nonprofit": "Send",
            "shop": "Send question",
            "event": "Register interest",
            "saas": "Request demo",
        }.get(self.kind.key, "Send message")

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
        script = f'<script src="{root}assets/lead-form.js" defer></script>\n' if "data-codaiq-lead-form" in body else ""
        return (
            "<!doctype html>\n"
            f'<html lang="{self.language}">\n<head>\n<meta charset="utf-8">\n'
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
            f"{script}"
            "</head>\n<body>\n"
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
        blocks = {
            "section": self.kind_section("", preview=True),
            "features": self.features(),
            "highlights": self.highlights() if self.kind.section != "highlights" else "",
            "testimonials": self.testimonials(),
        }
        orders = (
            ("section", "features", "highlights", "testimonials"),
            ("features", "section", "testimonials", "highlights"),
            ("highlights", "section", "features", "testimonials"),
            ("section", "highlights", "testimonials", "features"),
        )
        order = orders[self.brief.number("order") % len(orders)]
        extras = []
        if "stats" in self.kind.extras:
            extras.append(self.stats())
        if "steps" in self.kind.extras:
            extras.append(self.steps())
        if "speakers" in self.kind.extras:
            extras.append(self.speakers())
        if self.kind.key in ("restaurant", "bakery"):
            extras.append(self.hours())
        body = [self.hero(""), *(blocks[key] for key in order), *extras, self.call_to_action(""), self.lead_form("")]
        return self.document(self.pages[0], "\n".join(b for b in body if b))

    def about(self) -> str:
        page = self.pages[1]
        paragraphs = []
        if self.brief.description:
            paragraphs.append(self.brief.description)
        for index, alternatives in enumerate(self.kind.story):
            sentence = self.fill(alternatives, f"story:{index}")
            if sentence:
                paragraphs.append(sentence)
        if self.brief.audience:
            paragraphs.append(
                self.fill(
                    (
                        "Most of the people we work with are {audience}, and everything here is shaped around them.",
                        "We built {name} around {audience}: their time, their questions and their budgets.",
                    ),
                    "audience",
                )
            )
        text = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        title = self.brief.pick(("Our story", "Who we are", "How it started"), "story-title")
        story = (
            '<section class="prose" aria-labelledby="story-title">\n<div class="container narrow">\n'
            f'<h2 id="story-title">{escape(title)}</h2>\n{text}\n</div>\n</section>'
        )
        intro = self.brief.eyebrow or self.headline
        body = [
            self.page_heading(page.title, intro),
            story,
            self.highlights(),
            self.testimonials(),
            self.call_to_action("../"),
        ]
        return self.document(page, "\n".join(b for b in body if b))

    def offers(self) -> str:
        page = self.offers_page
        body = [
            self.page_heading(page.title, self.fill(self.kind.page_intro, "page-intro")),
            self.kind_section("../", preview=False),
        ]
        for key in ("passes", "packages", "tickets", "donate"):
            if key in self.kind.extras:
                body.append(self.priced_band(key))
        if "faq" in self.kind.extras:
            body.append(self.faq())
        body.append(self.features())
        return self.document(page, "\n".join(b for b in body if b))

    def contact(self) -> str:
        page = self.contact_page
        slug = "".join(ch for ch in self.brief.business_name.lower() if ch.isascii() and ch.isalnum())[:24] or "hello"
        rows = [f'<dt>Email</dt><dd><a href="mailto:hello@{slug}.example">hello@{slug}.example</a></dd>']
        phone = self.phone
        if phone:
            digits = re.sub(r"[^\d+]", "", phone)
            rows.append(f'<dt>Phone</dt><dd><a href="tel:{digits}">{escape(phone)}</a></dd>')
        if self.brief.place:
            rows.append(f"<dt>Where</dt><dd>{escape(self.brief.place.name)}</dd>")
        details = (
            '<section class="contact-details" aria-labelledby="details-title">\n<div class="container narrow">\n'
            f'<h2 id="details-title">Other ways to reach us</h2>\n<dl>{"".join(rows)}</dl>\n</div>\n</section>'
        )
        intro = self.fill(
            (
                "Questions, bookings or just hello: the team at {name} would love to hear from you.",
                "Send {name} a message and a real person will reply, usually within a day.",
                "Use the form below, or call and email us directly; {name} replies to every message.",
            ),
            "contact-intro",
        )
        body = [self.page_heading(page.title, intro), self.lead_form("../"), details]
        if "hours" in self.kind.extras:
            body.append(self.hours())
        if "areas" in self.kind.extras:
            body.append(self.areas())
        return self.document(page, "\n".join(body))

    def thanks(self) -> str:
        page = self.thanks_page
        body = (
            '<section class="page-heading">\n<div class="container narrow">\n'
            "<h1>Thank you!</h1>\n"
            f'<p class="hero-lead">{escape(self._thanks_line())}</p>\n'
            '<p><a class="button" href="../index.html">Back to the home page</a></p>\n'
            "</div>\n</section>"
        )
        return self.document(page, body)

    def _thanks_line(self) -> str:
        return self.fill(
            (
                "Your message is on its way to {name}, and a real person will reply soon.",
                "{name} has your message and will be in touch shortly.",
                "Thanks for writing to {name}; expect a reply within a working day.",
            ),
            "thanks",
        )

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
        from codaiq_desktop.sandbox.site_generator.art import hero_art

        return hero_art(self.kind.motif, self.palette, self.brief.number)

    def gallery_svgs(self) -> dict[str, str]:
        """Pictures for galleries, case studies and products, one per item shown."""
        if self.kind.section not in ("gallery", "cases", "products"):
            return {}
        from codaiq_desktop.sandbox.site_generator.art import scene_art

        return {
            f"assets/gallery-{i + 1}.svg": scene_art(self.kind.motif, self.palette, self.brief.number, i)
            for i in range(len(self.items))
        }

    def lead_form_script(self) -> str:
        """Sends the lead forms as JSON (the shape of ``POST /api/leads/submit``); no key inside."""
        return LEAD_FORM_SCRIPT

    def stylesheet(self) -> str:
        return STYLESHEET.replace("/*VARS*/", self.palette.css_variables())
