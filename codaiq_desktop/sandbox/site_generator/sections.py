"""The kind's own sections: a menu, a timetable, cases, listings, priced bands, speakers ...

Which one a site shows, and with which items, comes from its kind (:mod:`.kinds`) and the
offering the prompt named; the words come from :class:`~.site_copy.SiteCopy`.
"""

from __future__ import annotations

import re
from html import escape

from codaiq_desktop.sandbox.site_generator.brief import THIS_YEAR
from codaiq_desktop.sandbox.site_generator.kinds import DAYS, Item
from codaiq_desktop.sandbox.site_generator.people import person
from codaiq_desktop.sandbox.site_generator.places import money

from codaiq_desktop.sandbox.site_generator.site_copy import SiteCopy


class KindSections(SiteCopy):
    """The sections only some kinds of site have, and the small blocks they share."""

    def _see_label(self) -> str:
        label = (self.offers_page.nav_label or "").split(" & ")[0].lower()
        special = {
            "work": "See our work",
            "shop": "Browse the shop",
            "donate": "Ways to give",
            "what we do": "See what we do",
        }
        return special.get(label, f"See the {label}")

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
            more = f'<p class="more"><a href="{root}{self.offers_page.path}">{escape(self._see_label())}</a></p>\n'
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
                f'<tr><th scope="row">{escape(self._slot_day(item.meta))}</th><td>{escape(item.meta.split(" ", 1)[1])}</td>'
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
            points = [
                self.fill(
                    (
                        "Everything at {name} is done by people who care about it.",
                        "{name} keeps things personal, simple and honest.",
                    ),
                    "generic-point",
                )
            ]
        return '<ul class="tick-list">' + "".join(f"<li>{escape(p)}</li>" for p in points[:8]) + "</ul>"

    def _slot_day(self, meta: str) -> str:
        short = meta.split(" ", 1)[0]
        names = {d[:3]: d for d in DAYS}
        return names.get(short, short)

    def _article_date(self, index: int) -> str:
        months = (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
        )
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
        items = "".join(f"<li><h3>{escape(title)}</h3><p>{escape(text)}</p></li>" for title, text in self.kind.steps)
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
            match = re.search(
                r"open (?:until|till|til) (\d{1,2})(?::(\d{2}))?\s?(am|pm)|open (?:until|till) midnight", fact, re.I
            )
            if match:
                if match.group(1):
                    hour = int(match.group(1)) % 12 + (12 if (match.group(3) or "").lower() == "pm" else 0)
                    late = f"{hour:02d}:{match.group(2) or '00'}"
                else:
                    late = "00:00"
            if re.search(r"24/7|24 hours", fact):
                return [("Every day", "Open 24 hours")]
        opening = {
            "restaurant": ("12:00", "22:00"),
            "bakery": ("07:30", "16:00"),
            "clinic": ("08:00", "18:00"),
            "salon": ("09:00", "18:00"),
        }
        start, end = opening.get(self.kind.key, ("09:00", "17:30"))
        end = late or end
        closed = {"restaurant": "Monday", "bakery": "Monday", "salon": "Monday"}.get(self.kind.key, "Sunday")
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
            choices = [
                ("Drop-in", "One class, any time.", 14),
                ("Ten-class pass", "Valid for three months.", 110),
                ("Unlimited", "Every class, every day.", 85),
            ]
            title, unit = "Passes", {"Unlimited": " / month"}
        elif key == "packages":
            choices, title, unit = self._packages(), "Packages", {}
        elif key == "tickets":
            choices, title, unit = self._tickets(), "Tickets", {}
        elif key == "donate":
            choices = [
                ("Give once", "Any amount helps us today.", 10),
                ("Give monthly", "Lets us plan ahead.", 5),
                ("Sponsor a month", "Covers a month of our work.", 250),
            ]
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
