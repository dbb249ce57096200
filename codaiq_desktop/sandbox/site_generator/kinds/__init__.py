"""What each kind of site says and shows: the words that select it, its sections, its copy.

Copy is written as alternatives with named slots (``{name}``, ``{offering}``, ``{place}``,
``{in_place}``, ``{years}``, ``{founder}``, ``{cta}``); a template is only used when every
slot it names has a value, so a missing fact never leaves a hole, and each slot is filled
only with the kind of phrase it was written for (``{offering}`` is always a noun phrase from
this kind's own lexicon, never a random word of the prompt). The prompt's hash picks among
the alternatives, so sites of one kind do not share their sentences.
"""

from __future__ import annotations

from .base import DAYS, FormField, Item, SiteKind
from .care import CLINIC, SALON, WELLNESS
from .commerce import REAL_ESTATE, SAAS, SHOP
from .community import EDUCATION, GENERIC, NONPROFIT
from .creative import BLOG, DESIGN, PHOTOGRAPHY
from .food_shops import BAKERY
from .hospitality import EVENT, HOTEL, RESTAURANT
from .trades_and_advice import ACCOUNTING, LEGAL, TRADES

__all__ = [
    "ACCOUNTING",
    "BAKERY",
    "BLOG",
    "CLINIC",
    "DAYS",
    "DEFAULT_KIND",
    "DESIGN",
    "EDUCATION",
    "EVENT",
    "GENERIC",
    "HOTEL",
    "KINDS",
    "KINDS_BY_KEY",
    "LEGAL",
    "NONPROFIT",
    "PHOTOGRAPHY",
    "REAL_ESTATE",
    "RESTAURANT",
    "SAAS",
    "SALON",
    "SHOP",
    "TRADES",
    "WELLNESS",
    "FormField",
    "Item",
    "SiteKind",
]

KINDS: tuple[SiteKind, ...] = (
    RESTAURANT,
    BAKERY,
    TRADES,
    CLINIC,
    WELLNESS,
    SALON,
    LEGAL,
    ACCOUNTING,
    PHOTOGRAPHY,
    DESIGN,
    SAAS,
    SHOP,
    EVENT,
    HOTEL,
    NONPROFIT,
    EDUCATION,
    REAL_ESTATE,
    BLOG,
    GENERIC,
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
DEFAULT_KIND = GENERIC
