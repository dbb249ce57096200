"""The shape every kind of site fills in: its items, its form's questions, its copy.

See the package docstring for how the copy's alternatives and slots work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

T = tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One dish, treatment, room, product, class, listing ...: a price in pounds is scaled to local money."""

    title: str
    text: str
    price: float | None = None
    unit: str = ""  # " / night", " / month", " per person"
    meta: str = ""  # "45 min", "3 bed · 2 bath", "Tue & Thu 18:30"


@dataclass(frozen=True)
class FormField:
    """A question the lead form asks besides name, email, phone and message."""

    key: str  # sent as detail_<key>; folded into the lead's message as "<Label>: value"
    label: str
    type: str = "text"  # text, date, time, number, select
    options: T = ()
    autocomplete: str = "off"


@dataclass(frozen=True)
class SiteKind:
    """Everything that differs between kinds of site."""

    key: str
    keywords: dict[str, int]  # word or phrase -> weight (3: names the business, 1: hints at it)
    hue: int
    noun: str  # what the business is, for the eyebrow when the prompt does not say: "restaurant"
    offerings: dict[str, str]  # prompt word -> the offering as this kind's copy uses it
    default_offering: str | None
    name_patterns: T  # {Place} {Offering} {Word} {Surname} {First}
    name_words: T
    headlines: T
    leads: T
    story: tuple[T, ...]  # about-page paragraphs, each a set of alternatives
    features_title: T
    features: tuple[tuple[str, T], ...]  # (title, alternatives of its sentence)
    section: str  # the kind's own section: menu, gallery, cases, timetable, pricing, products ...
    section_title: T
    items: tuple[Item, ...]
    page: tuple[str, str]  # (file stem, navigation label)
    page_intro: T
    cta: str
    cta_titles: T
    cta_texts: T
    form_title: T
    fields: tuple[FormField, ...]
    message_label: str
    quotes: T
    roles: T
    motif: str
    extras: T = ()  # further sections: hours, faq, steps, stats, areas, speakers, schedule, team
    faq: tuple[tuple[str, str], ...] = ()
    steps: tuple[tuple[str, str], ...] = ()
    stats: tuple[tuple[str, str], ...] = ()  # (number template, label)
    items_by_offering: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    ctas: dict[str, str] = field(default_factory=dict)  # call-to-action word in the prompt -> label


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
