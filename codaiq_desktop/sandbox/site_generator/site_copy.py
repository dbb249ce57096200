"""A site's facts and copy: the brief's slots filled, its pages, its items and prices.

:meth:`SiteCopy.fill` only uses a template when every slot it names has a value, and picks
among the alternatives by the prompt's hash, so a missing fact never leaves a hole and sites
of one kind do not share their sentences. :mod:`.sections` and :mod:`.render` build the HTML
on top of it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from codaiq_desktop.sandbox.site_generator.brief import THIS_YEAR, Brief
from codaiq_desktop.sandbox.site_generator.kinds import Item
from codaiq_desktop.sandbox.site_generator.palette import Palette
from codaiq_desktop.sandbox.site_generator.people import person
from codaiq_desktop.sandbox.site_generator.places import money

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


class SiteCopy:
    """The words and facts of one site, from a brief and a palette."""

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
