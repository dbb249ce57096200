"""HTML, CSS and SVG for a brief: shared components assembled into pages.

Every link is relative (``../styles/main.css`` from ``pages/``), so the built folder
works from ``/sites/<id>/`` and from disk alike. Components are functions of the page's
depth; the same fragments are also written to ``components/`` for anyone reusing them.
All text goes through :func:`html.escape`; all copy goes through :meth:`SiteRenderer.fill`,
which only uses a template when every slot it names has a value.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TypeVar

from codaiq_desktop.sandbox.site_generator.brief import THIS_YEAR, Brief
from codaiq_desktop.sandbox.site_generator.kinds import DAYS, FormField, Item
from codaiq_desktop.sandbox.site_generator.palette import Palette
from codaiq_desktop.sandbox.site_generator.people import person
from codaiq_desktop.sandbox.site_generator.places import money, phone_number

_FORMATTER = string.Formatter()
_T = TypeVar("_T")
_NUMBER_WORDS = {1: "one day", 2: "two days", 3: "three days", 4: "four days", 5: "five days"}


@dataclass(frozen=True)
class PageSpec:
    """A page of the site: its file, its label in the navigation, its title."""

    path: str  # "index.html", "pages/about.html"
    nav_label: str | None
    title: str


def slots_of(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


_A_BEFORE_NAME = re.compile(r"\b([Aa]) ((?!Uni|Use|Eu|One)[AEIOU]\w*)")
_AN_BEFORE_NAME = re.compile(r"\b([Aa])n ([B-DF-HJ-NP-TV-Z]\w*)")
_INNER_THE = re.compile(r"\b(the|a|an|every|each|your|our) The (\w)", re.I)


def tidy(text: str) -> str:
    """Mend what filling a slot can break: "the The Crown kitchen" -> "The Crown kitchen",
    "a The Open Room class" -> "an Open Room class", a name ending in "." before a full stop."""

    def mend(match: re.Match[str]) -> str:
        word, initial = match.group(1), match.group(2)
        if word.lower() == "the":
            return ("The " if word[0].isupper() else "the ") + initial
        if word.lower() in ("a", "an"):
            article = "an" if initial.lower() in "aeiou" else "a"
            return (article.capitalize() if word[0].isupper() else article) + " " + initial
        return f"{word} {initial}"

    text = _INNER_THE.sub(mend, text)
    text = _A_BEFORE_NAME.sub(lambda m: f"{m.group(1)}n {m.group(2)}", text)
    text = _AN_BEFORE_NAME.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    return text.replace("..", ".") if ".." in text and "..." not in text else text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class SiteRenderer:
    """Renders one site from a brief and a palette."""

    def __init__(
        self, brief: Brief, palette: Palette, *, seo_title: str | None = None, seo_description: str | None = None
    ) -> None:
        self.brief = brief
        self.kind = brief.kind
        self.palette = palette
        self._seo_title = (seo_title or "").strip() or None
        self._seo_description = (seo_description or "").strip() or None
        self.country = brief.place.country if brief.place else None
        self.pool = self.country.names if self.country else None
        self.slots = self._slots()
        stem, label = self.kind.page
        self.pages = (
            PageSpec("index.html", "Home", "Home"),
            PageSpec("pages/about.html", "About", f"About {brief.business_name}"),
            PageSpec(f"pages/{stem}.html", label, label),
            PageSpec("pages/contact.html", "Contact", "Contact"),
        )
        self.offers_page = self.pages[2]
        self.contact_page = self.pages[3]
        self.thanks_page = PageSpec("pages/thanks.html", None, "Thank you")
        self.items = self._items()
        self.headline = _capitalise(self.fill(self.kind.headlines, "headline") or brief.business_name)
        self.lead = self.fill(self.kind.leads, "lead") or self.fill(
            ("{name} is glad you are here: take a look around, and get in touch with any question.",), "lead"
        )

    # -- wording -----------------------------------------------------------------------
    def _slots(self) -> dict[str, str]:
        brief = self.brief
        n = brief.number
        years = THIS_YEAR - brief.founded if brief.founded else 3 + n("years") % 22
        slots = {
            "name": brief.business_name,
            "in_place": f" in {brief.place.name}" if brief.place else "",
            "years": str(max(years, 1)),
            "founder": person(self.pool, n("founder")),
            "team_size": str(3 + n("team") % 10),
            "rooms": str(4 + n("rooms") % 11),
            "volunteers": f"{40 + n('volunteers') % 360:,}",
            "stat_a": f"{1200 + n('stat_a') % 7800:,}" if self.kind.key == "nonprofit" else str(2 + n("stat_a") % 38),
            "stat_b": str(84 + n("stat_b") % 10),
            "stat_c": str(6 + n("stat_c") % 4),
            "free_delivery": money(40, self.country),
            "cta": brief.cta,
            "since_guest": str(THIS_YEAR - 1 - n("guest") % 6),
        }
        if brief.place:
            slots["place"] = brief.place.name
        if brief.offering:
            slots["offering"] = brief.offering
            slots["Offering"] = _capitalise(brief.offering)
        if brief.audience:
            slots["audience"] = brief.audience
        if brief.days:
            slots["days"] = _NUMBER_WORDS[brief.days]
            slots["Days"] = _capitalise(_NUMBER_WORDS[brief.days])
        if brief.description:
            slots["description_sentence"] = brief.description
        short = brief.eyebrow or brief.offering
        if short:
            slots["short"] = short[:1].lower() + short[1:] if not short[:2].isupper() else short
        return slots

    def usable(self, templates: tuple[str, ...] | list[str]) -> list[str]:
        return [t for t in templates if slots_of(t) <= self.slots.keys()]

    def fill(self, templates: tuple[str, ...] | list[str], salt: str, **extra: str) -> str:
        """One of ``templates`` (chosen by the prompt's hash) with its slots filled; "" if none fits."""
        slots = {**self.slots, **extra}
        usable = [t for t in templates if slots_of(t) <= slots.keys()]
        if not usable:
            return ""
        return tidy(usable[self.brief.number(salt) % len(usable)].format_map(slots))

    def text(self, template: str, **extra: str) -> str:
        """A single template filled, or "" when a slot it needs has no value."""
        return self.fill((template,), template, **extra)

    def chosen(self, pool: Sequence[_T], count: int, salt: str) -> list[_T]:
        """``count`` items of ``pool`` in a stable, prompt-specific selection and order."""
        if not pool:
            return []
        ranked = sorted(range(len(pool)), key=lambda i: self.brief.number(f"{salt}:{i}"))
        return [pool[i] for i in ranked[: min(count, len(pool))]]

    @property
    def seo_title(self) -> str:
        if self._seo_title:
            return self._seo_title
        title = f"{self.brief.business_name} | {self.brief.eyebrow or self.headline}"
        return title if len(title) <= 70 else title[:67].rstrip() + "..."

    @property
    def seo_description(self) -> str:
        if self._seo_description:
            return self._seo_description
        text = self.lead
        return text if len(text) <= 160 else text[:157].rstrip() + "..."

    def price(self, item: Item) -> str | None:
        if item.price is None:
            return item.meta or None
        if item.price == 0:
            return "Free"
        return money(item.price, self.country) + item.unit

    def _items(self) -> list[Item]:
        pool = self.kind.items_by_offering.get(self.brief.offering or "", self.kind.items)
        if self.kind.section in ("timetable", "schedule", "pricing", "impact"):
            return list(pool)  # an order that means something: by time, or cheapest first
        return self.chosen(pool, 6 if len(pool) > 4 else len(pool), "items")

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
            f'{escape(self._see_label())}</a>'
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

    def _see_label(self) -> str:
        label = (self.offers_page.nav_label or "").split(" & ")[0].lower()
        special = {"work": "See our work", "shop": "Browse the shop", "donate": "Ways to give", "what we do": "See what we do"}
        return special.get(label, f"See the {label}")

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
            role = self.fill(self.kind.roles, f"role:{index}", since_guest=str(THIS_YEAR - 1 - (index * 2 + self.brief.number("guest")) % 7))
            items.append(
                '<li><figure class="quote">'
                f"<blockquote><p>{escape(tidy(quote.format_map(self.slots)))}</p></blockquote>"
                f"<figcaption><strong>{escape(who)}</strong>, {escape(role)}</figcaption>"
                "</figure></li>"
            )
        title = self.brief.pick(("What people say", "Kind words", "In their words", "From our guestbook" if self.kind.key in ("restaurant", "hotel") else "Reviews"), "testimonials-title")
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
            "restaurant": "Request booking", "hotel": "Check availability", "photography": "Send enquiry",
            "nonprofit": "Send", "shop": "Send question", "event": "Register interest", "saas": "Request demo",
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

    # -- the kind's own sections ----------------------------------------------------------
    def kind_section(self, root: str, *, preview: bool) -> str:
        """The section only this kind of site has: menu, gallery, timetable, listings ..."""
        section = self.kind.section
        items = self.items[:3] if preview and section not in ("timetable", "schedule", "impact") else self.items
        title = self.fill(self.kind.section_title, "section-title")
        ident = f"{section}-title"
        body = self._section_body(section, items, root)
        more = ""
        if preview:
            more = (
                f'<p class="more"><a href="{root}{self.offers_page.path}">'
                f"{escape(self._see_label())}</a></p>\n"
            )
        return (
            f'<section class="kind-section {section}" aria-labelledby="{ident}">\n<div class="container">\n'
            f'<h2 id="{ident}">{escape(title)}</h2>\n{body}\n{more}</div>\n</section>'
        )

    def _section_body(self, section: str, items: list[Item], root: str) -> str:
        if section == "gallery":
            figures = "".join(
                f'<li><figure><img src="{root}assets/gallery-{i + 1}.svg" width="400" height="300" '
                f'alt="{escape(self._gallery_alt(item))}"><figcaption>{escape(item.title)}</figcaption></figure></li>'
                for i, item in enumerate(items)
            )
            return f'<ul class="gallery">{figures}</ul>'
        if section == "cases":
            cards = "".join(
                f'<li class="card case"><img src="{root}assets/gallery-{i + 1}.svg" width="400" height="300" alt="">'
                f"<h3>{escape(item.title)}</h3><p>{escape(item.text)}</p></li>"
                for i, item in enumerate(items)
            )
            return f'<ul class="card-grid">{cards}</ul>'
        if section == "timetable":
            rows = "".join(
                f"<tr><th scope=\"row\">{escape(self._slot_day(item.meta))}</th><td>{escape(item.meta.split(' ', 1)[1])}</td>"
                f"<td>{escape(item.title)}</td><td>{escape(item.text)}</td></tr>"
                for item in items
            )
            return (
                '<div class="table-wrap"><table><caption class="visually-hidden">Weekly classes</caption>'
                '<thead><tr><th scope="col">Day</th><th scope="col">Time</th><th scope="col">Class</th>'
                f'<th scope="col">What to expect</th></tr></thead><tbody>{rows}</tbody></table></div>'
            )
        if section == "schedule":
            rows = "".join(
                f'<li><span class="time">{escape(item.meta)}</span> <span><strong>{escape(item.title)}</strong> '
                f"{escape(item.text)}</span></li>"
                for item in items
            )
            return f'<ol class="schedule-list">{rows}</ol>'
        if section == "impact":
            return self._stats_list([(item.title, item.text) for item in items])
        if section == "articles":
            cards = "".join(
                f'<li class="card"><p class="muted">{escape(self._article_date(i))} \u00b7 {escape(item.meta)}</p>'
                f"<h3>{escape(self.text(item.title) or item.title)}</h3><p>{escape(self.text(item.text) or item.text)}</p></li>"
                for i, item in enumerate(items)
            )
            return f'<ul class="card-grid">{cards}</ul>'
        if section == "highlights":
            return self._generic_points()
        return self._price_cards(items, root, products=section == "products")

    def _price_cards(self, items: list[Item], root: str, *, products: bool = False) -> str:
        cards = []
        for index, item in enumerate(items):
            price = self.price(item)
            meta = item.meta if item.price is not None and item.meta else ""
            art = (
                f'<img src="{root}assets/gallery-{index + 1}.svg" width="400" height="300" alt="">' if products else ""
            )
            button = ""
            if products:
                basket = "Add to cart" if self.country and self.country.key in ("us", "ca") else "Add to basket"
                button = (
                    f'<a class="button" href="{root}pages/contact.html#lead-form" '
                    f'aria-label="{escape(basket)}: {escape(item.title)}">{escape(basket)}</a>'
                )
            cards.append(
                f'<li class="card offer">{art}<h3>{escape(self.text(item.title) or item.title)}</h3>'
                + (f'<p class="price">{escape(price)}</p>' if price else "")
                + (f'<p class="muted">{escape(meta)}</p>' if meta else "")
                + f"<p>{escape(self.text(item.text) or item.text)}</p>{button}</li>"
            )
        return f'<ul class="card-grid">{"".join(cards)}</ul>'

    def _generic_points(self) -> str:
        points = list(self.brief.facts) + list(self.brief.extras)
        if not points:
            points = [self.fill(("Everything at {name} is done by people who care about it.", "{name} keeps things personal, simple and honest."), "generic-point")]
        return '<ul class="tick-list">' + "".join(f"<li>{escape(p)}</li>" for p in points[:8]) + "</ul>"

    def _slot_day(self, meta: str) -> str:
        short = meta.split(" ", 1)[0]
        names = {d[:3]: d for d in DAYS}
        return names.get(short, short)

    def _article_date(self, index: int) -> str:
        months = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November")
        month = (self.brief.number("article-month") + 10 - index) % 11
        return f"{1 + (self.brief.number(f'article-day:{index}') % 27)} {months[month]} {THIS_YEAR}"

    def _gallery_alt(self, item: Item) -> str:
        subject = self.brief.offering or "photography"
        return f"{item.title}: {item.text[:1].lower()}{item.text[1:].rstrip('.')} ({subject})"

    def _stats_list(self, stats: list[tuple[str, str]]) -> str:
        cells = "".join(
            f'<li><span class="stat-number">{escape(self.text(number) or number)}</span>'
            f'<span class="stat-label">{escape(self.text(label) or label)}</span></li>'
            for number, label in stats
        )
        return f'<ul class="stats">{cells}</ul>'

    def stats(self) -> str:
        if not self.kind.stats:
            return ""
        return (
            '<section class="stats-band" aria-labelledby="stats-title">\n<div class="container">\n'
            f'<h2 id="stats-title">{escape(self.brief.pick(("In numbers", "So far", "By the numbers"), "stats-title"))}</h2>\n'
            f"{self._stats_list(list(self.kind.stats))}\n</div>\n</section>"
        )

    def faq(self) -> str:
        if not self.kind.faq:
            return ""
        items = "".join(
            f"<details><summary>{escape(question)}</summary><p>{escape(self.text(answer) or answer)}</p></details>"
            for question, answer in self.chosen(self.kind.faq, 4, "faq")
        )
        return (
            '<section class="faq" aria-labelledby="faq-title">\n<div class="container narrow">\n'
            f'<h2 id="faq-title">Questions people ask</h2>\n{items}\n</div>\n</section>'
        )

    def steps(self) -> str:
        if not self.kind.steps:
            return ""
        items = "".join(
            f"<li><h3>{escape(title)}</h3><p>{escape(text)}</p></li>" for title, text in self.kind.steps
        )
        title = self.brief.pick(("How it works", "Three simple steps", "What happens next"), "steps-title")
        return (
            '<section class="steps" aria-labelledby="steps-title">\n<div class="container">\n'
            f'<h2 id="steps-title">{escape(title)}</h2>\n<ol class="step-list">{items}</ol>\n</div>\n</section>'
        )

    def hours(self) -> str:
        table = self._hours()
        rows = "".join(f'<tr><th scope="row">{escape(day)}</th><td>{escape(time)}</td></tr>' for day, time in table)
        return (
            '<section class="hours" aria-labelledby="hours-title">\n<div class="container narrow">\n'
            f'<h2 id="hours-title">Opening hours</h2>\n<table class="hours-table"><tbody>{rows}</tbody></table>\n'
            "</div>\n</section>"
        )

    def _hours(self) -> list[tuple[str, str]]:
        late = None
        for fact in self.brief.facts:
            match = re.search(r"open (?:until|till|til) (\d{1,2})(?::(\d{2}))?\s?(am|pm)|open (?:until|till) midnight", fact, re.I)
            if match:
                if match.group(1):
                    hour = int(match.group(1)) % 12 + (12 if (match.group(3) or "").lower() == "pm" else 0)
                    late = f"{hour:02d}:{match.group(2) or '00'}"
                else:
                    late = "00:00"
            if re.search(r"24/7|24 hours", fact):
                return [("Every day", "Open 24 hours")]
        opening = {"restaurant": ("12:00", "22:00"), "clinic": ("08:00", "18:00"), "salon": ("09:00", "18:00")}
        start, end = opening.get(self.kind.key, ("09:00", "17:30"))
        end = late or end
        closed = {"restaurant": "Monday", "salon": "Monday"}.get(self.kind.key, "Sunday")
        rows = []
        for day in DAYS:
            if day == closed and not late:
                rows.append((day, "Closed"))
            elif day == "Saturday" and self.kind.key == "clinic":
                rows.append((day, "09:00 \u2013 13:00"))
            else:
                rows.append((day, f"{start} \u2013 {end}"))
        return rows

    def _packages(self) -> list[tuple[str, str, float]]:
        if self.kind.key == "hotel":
            return [
                ("Weekend escape", "Two nights, breakfast and a late check-out.", 260),
                ("Midweek three", "Three nights for the price of two, Sunday to Thursday.", 240),
                ("Celebration", "Flowers, fizz and dinner for two on arrival.", 320),
            ]
        return [
            ("Essentials", "Six hours of coverage and an online gallery.", 1450),
            ("Full day", "From getting ready to the first dance, with a second shooter.", 2150),
            ("Intimate", "Two hours for elopements and small ceremonies.", 650),
        ]

    def _tickets(self) -> list[tuple[str, str, float]]:
        return [
            ("Early bird", "Full access, limited numbers.", 149),
            ("Standard", "Full access to every session.", 199),
            ("Student", "Full access with a valid student card.", 49),
        ]

    def priced_band(self, key: str) -> str:
        """Passes, packages, tickets or donation amounts: a row of priced choices."""
        choices: list[tuple[str, str, float]]
        if key == "passes":
            choices = [("Drop-in", "One class, any time.", 14), ("Ten-class pass", "Valid for three months.", 110),
                       ("Unlimited", "Every class, every day.", 85)]
            title, unit = "Passes", {"Unlimited": " / month"}
        elif key == "packages":
            choices, title, unit = self._packages(), "Packages", {}
        elif key == "tickets":
            choices, title, unit = self._tickets(), "Tickets", {}
        elif key == "donate":
            choices = [("Give once", "Any amount helps us today.", 10), ("Give monthly", "Lets us plan ahead.", 5),
                       ("Sponsor a month", "Covers a month of our work.", 250)]
            title, unit = "Ways to give", {"Give monthly": " / month"}
        else:
            return ""
        cards = "".join(
            f'<li class="card offer"><h3>{escape(name)}</h3>'
            f'<p class="price">{escape(money(amount, self.country) + unit.get(name, ""))}</p><p>{escape(text)}</p>'
            f'<a class="button" href="contact.html#lead-form" aria-label="{escape(self.brief.cta)}: {escape(name)}">'
            f"{escape(self.brief.cta)}</a></li>"
            for name, text, amount in choices
        )
        return (
            f'<section class="priced" aria-labelledby="{key}-title">\n<div class="container">\n'
            f'<h2 id="{key}-title">{escape(title)}</h2>\n<ul class="card-grid">{cards}</ul>\n</div>\n</section>'
        )

    def speakers(self) -> str:
        roles = ("Researcher", "Founder", "Engineer", "Designer", "Writer", "Organiser")
        people = "".join(
            f'<li class="card speaker"><span class="avatar" aria-hidden="true">'
            f"{escape(''.join(part[0] for part in who.split()[:2]))}</span>"
            f"<h3>{escape(who)}</h3><p>{escape(roles[(self.brief.number(f'speaker-role:{i}')) % len(roles)])}</p></li>"
            for i, who in enumerate(person(self.pool, self.brief.number(f"speaker:{i}")) for i in range(4))
        )
        return (
            '<section class="speakers" aria-labelledby="speakers-title">\n<div class="container">\n'
            f'<h2 id="speakers-title">Speakers</h2>\n<ul class="card-grid">{people}</ul>\n</div>\n</section>'
        )

    def areas(self) -> str:
        if not self.brief.place:
            text = self.text("{name} covers the whole area; ask us if you are not sure.")
        else:
            unit = "miles" if self.country and self.country.key in ("uk", "us") else "km"
            distance = 10 + self.brief.number("radius") % 20
            text = self.text(f"{{name}} covers {{place}} and everywhere within {distance} {unit} of it.")
        return (
            '<section class="areas" aria-labelledby="areas-title">\n<div class="container narrow">\n'
            f'<h2 id="areas-title">Areas we cover</h2>\n<p>{escape(text)}</p>\n</div>\n</section>'
        )

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
        if self.kind.key == "restaurant":
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
            paragraphs.append(self.fill(("Most of the people we work with are {audience}, and everything here is shaped around them.", "We built {name} around {audience}: their time, their questions and their budgets."), "audience"))
        text = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        title = self.brief.pick(("Our story", "Who we are", "How it started"), "story-title")
        story = (
            '<section class="prose" aria-labelledby="story-title">\n<div class="container narrow">\n'
            f'<h2 id="story-title">{escape(title)}</h2>\n{text}\n</div>\n</section>'
        )
        intro = self.brief.eyebrow or self.headline
        body = [self.page_heading(page.title, intro), story, self.highlights(), self.testimonials(), self.call_to_action("../")]
        return self.document(page, "\n".join(b for b in body if b))

    def offers(self) -> str:
        page = self.offers_page
        body = [self.page_heading(page.title, self.fill(self.kind.page_intro, "page-intro")), self.kind_section("../", preview=False)]
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
      if (status) { status.textContent = "Sending\\u2026"; }
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
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--color-accent); outline-offset: 2px;
}
h1, h2, h3 { line-height: 1.2; margin: 0 0 0.6em; }
h1 { font-size: clamp(2rem, 4vw + 1rem, 3.2rem); }
h2 { font-size: clamp(1.5rem, 2vw + 1rem, 2.2rem); }
h3 { font-size: 1.2rem; }
.container { width: min(1120px, 100% - 2.5rem); margin-inline: auto; }
.narrow { width: min(720px, 100% - 2.5rem); }
.muted { color: var(--color-muted); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--color-primary); color: var(--color-on-primary); padding: 0.6rem 1rem; z-index: 10; }
.skip-link:focus { left: 1rem; }
.site-header { background: var(--color-surface); box-shadow: var(--shadow); position: sticky; top: 0; z-index: 5; }
.header-inner { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 0.75rem 0; flex-wrap: wrap; }
.brand { display: flex; align-items: center; gap: 0.6rem; font-weight: 700; font-size: 1.15rem; color: var(--color-text); text-decoration: none; }
.nav-list, .footer-links { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0; }
.nav-list a { text-decoration: none; font-weight: 600; padding: 0.4rem 0; }
.nav-list a[aria-current="page"] { text-decoration: underline; text-underline-offset: 6px; }
.hero { background: var(--color-primary-dark); color: var(--color-on-primary); padding: clamp(3rem, 8vw, 6rem) 0; }
.hero-inner { display: grid; gap: 2.5rem; grid-template-columns: repeat(auto-fit, minmax(min(280px, 100%), 1fr)); align-items: center; }
.eyebrow { text-transform: uppercase; letter-spacing: 0.12em; font-size: 0.85rem; font-weight: 700; margin: 0 0 0.8rem; }
.hero-date { font-weight: 700; font-size: 1.1rem; }
.hero-lead { font-size: 1.2rem; max-width: 40rem; }
.hero-actions { display: flex; flex-wrap: wrap; gap: 0.8rem; margin-top: 1.6rem; }
.hero-art { border-radius: var(--radius); }
.button { display: inline-block; background: var(--color-primary); color: var(--color-on-primary); padding: 0.8rem 1.4rem; border-radius: 999px; border: 2px solid var(--color-primary); font: inherit; font-weight: 700; text-decoration: none; cursor: pointer; text-align: center; }
.button:hover { background: var(--color-primary-dark); border-color: var(--color-primary-dark); }
.button:disabled { opacity: 0.7; cursor: progress; }
.hero .button { background: var(--color-surface); color: var(--color-primary-dark); border-color: var(--color-surface); }
.button-ghost, .hero .button-ghost { background: transparent; color: var(--color-on-primary); border-color: var(--color-on-primary); }
.button-light { background: var(--color-surface); color: var(--color-primary-dark); border-color: var(--color-surface); }
section { padding: clamp(2.5rem, 6vw, 4.5rem) 0; }
.page-heading { background: var(--color-surface); }
.card-grid, .quote-grid, .gallery { list-style: none; padding: 0; margin: 0; display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(260px, 100%), 1fr)); }
.card { background: var(--color-surface); border-radius: var(--radius); padding: 1.5rem; box-shadow: var(--shadow); }
.card p { margin: 0; }
.card img { border-radius: calc(var(--radius) - 4px); margin-bottom: 1rem; }
.offer { display: flex; flex-direction: column; gap: 0.6rem; }
.offer h3 { margin: 0; }
.offer .button { align-self: flex-start; margin-top: auto; }
.price { font-size: 1.3rem; font-weight: 700; color: var(--color-primary); }
.more { margin-top: 1.5rem; font-weight: 700; }
.gallery figure { margin: 0; }
.gallery img { border-radius: var(--radius); width: 100%; }
.gallery figcaption { margin-top: 0.4rem; color: var(--color-muted); }
.tick-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(min(240px, 100%), 1fr)); }
.tick-list li { background: var(--color-surface); border-radius: var(--radius); padding: 1rem 1.2rem 1rem 3rem; box-shadow: var(--shadow); position: relative; font-weight: 600; }
.tick-list li::before { content: ""; position: absolute; left: 1.2rem; top: 1.35rem; width: 0.9rem; height: 0.5rem; border-left: 3px solid var(--color-primary); border-bottom: 3px solid var(--color-primary); transform: rotate(-45deg); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: var(--color-surface); border-radius: var(--radius); }
th, td { text-align: left; padding: 0.7rem 0.9rem; border-bottom: 1px solid var(--color-bg); vertical-align: top; }
.hours-table { max-width: 28rem; }
.schedule-list, .step-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
.schedule-list li { display: grid; grid-template-columns: 4.5rem 1fr; gap: 1rem; background: var(--color-surface); padding: 1rem 1.2rem; border-radius: var(--radius); box-shadow: var(--shadow); }
.time { font-weight: 700; color: var(--color-primary); }
.step-list { grid-template-columns: repeat(auto-fit, minmax(min(220px, 100%), 1fr)); counter-reset: step; }
.step-list li { background: var(--color-surface); padding: 1.5rem; border-radius: var(--radius); box-shadow: var(--shadow); counter-increment: step; }
.step-list li::before { content: counter(step); display: inline-grid; place-items: center; width: 2.2rem; height: 2.2rem; border-radius: 50%; background: var(--color-primary); color: var(--color-on-primary); font-weight: 700; margin-bottom: 0.8rem; }
.step-list p { margin: 0; }
.stats { list-style: none; padding: 0; margin: 0; display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(200px, 100%), 1fr)); }
.stats li { background: var(--color-surface); padding: 1.5rem; border-radius: var(--radius); box-shadow: var(--shadow); display: grid; gap: 0.3rem; }
.stat-number { font-size: 2.2rem; font-weight: 800; color: var(--color-primary); line-height: 1.1; }
.faq details { background: var(--color-surface); border-radius: var(--radius); padding: 1rem 1.2rem; margin-bottom: 0.75rem; box-shadow: var(--shadow); }
.faq summary { font-weight: 700; cursor: pointer; }
.faq details p { margin: 0.6rem 0 0; }
.speaker { text-align: center; }
.avatar { display: inline-grid; place-items: center; width: 4.5rem; height: 4.5rem; border-radius: 50%; background: var(--color-primary-dark); color: var(--color-on-primary); font-weight: 800; font-size: 1.4rem; margin-bottom: 0.8rem; }
.quote { margin: 0; background: var(--color-surface); border-radius: var(--radius); padding: 1.5rem; box-shadow: var(--shadow); height: 100%; }
.quote blockquote { margin: 0 0 1rem; font-size: 1.1rem; }
.quote figcaption { color: var(--color-muted); }
.cta { background: var(--color-primary-dark); color: var(--color-on-primary); text-align: center; }
.cta-inner { display: grid; justify-items: center; gap: 0.6rem; }
.lead-form { display: grid; gap: 1rem; background: var(--color-surface); padding: clamp(1.25rem, 4vw, 2rem); border-radius: var(--radius); box-shadow: var(--shadow); }
.field-row { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(220px, 100%), 1fr)); }
.field { display: grid; gap: 0.35rem; }
label { font-weight: 600; }
input, textarea, select { font: inherit; color: var(--color-text); background: var(--color-surface); padding: 0.7rem 0.8rem; border: 2px solid var(--color-muted); border-radius: 10px; width: 100%; min-width: 0; }
.lead-form .button { justify-self: start; }
.form-status { margin: 0; min-height: 1.5em; color: var(--color-text); }
.contact-details dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1.5rem; }
.contact-details dt { font-weight: 700; }
.contact-details dd { margin: 0; }
.prose p { font-size: 1.1rem; }
.site-footer { background: var(--color-surface); padding: 2.5rem 0; margin-top: 2rem; }
.footer-inner { display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(220px, 100%), 1fr)); }
.footer-brand { font-weight: 700; font-size: 1.1rem; margin: 0; }
.legal { color: var(--color-muted); font-size: 0.9rem; grid-column: 1 / -1; margin: 0; }
@media (max-width: 640px) {
  .header-inner { justify-content: center; }
  .hero-actions .button { width: 100%; }
  th, td { padding: 0.5rem; }
}
"""
