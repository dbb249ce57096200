"""Where a business is, and what follows from it: phone number format, currency, names.

A known city or country gives local details that agree with each other (Leeds: a 0113
number and pounds; Toronto: +1 416 and dollars; Lisbon: +351 and euros). An unknown place
keeps its name in the copy but claims nothing else: no phone number, prices in dollars
without a country. Phone numbers use ranges set aside for drama and examples where a
country has them (Ofcom's 0113 496 0xxx ..., North America's 555-01xx).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """Conventions of one country: how its numbers and prices are written, and its names."""

    key: str
    name: str
    currency: str  # symbol as written before the amount ("£", "$") or after it (" €", " kr")
    currency_after: bool
    price_scale: float  # a price in pounds, times this, is a plausible local price
    names: str  # key of the first/last name pool (people.py)


@dataclass(frozen=True)
class Place:
    """A place a prompt named; ``country`` is ``None`` when it is not one we know."""

    name: str
    country: Country | None
    phone_prefix: str | None  # everything before the local digits: "0113 496", "+1 416 555"
    phone_style: str | None  # how the digits are laid out: "uk", "nanp", "eu4", "eu3"


UK = Country("uk", "United Kingdom", "£", False, 1.0, "uk")
IE = Country("ie", "Ireland", "€", False, 1.2, "uk")
US = Country("us", "United States", "$", False, 1.3, "us")
CA = Country("ca", "Canada", "$", False, 1.7, "us")
AU = Country("au", "Australia", "$", False, 1.9, "uk")
NZ = Country("nz", "New Zealand", "$", False, 2.1, "uk")
PT = Country("pt", "Portugal", " €", True, 1.0, "pt")
ES = Country("es", "Spain", " €", True, 1.1, "es")
FR = Country("fr", "France", " €", True, 1.2, "fr")
DE = Country("de", "Germany", " €", True, 1.2, "de")
IT = Country("it", "Italy", " €", True, 1.1, "it")
NL = Country("nl", "Netherlands", "€", False, 1.2, "nl")
DK = Country("dk", "Denmark", " kr.", True, 9.0, "nordic")
SE = Country("se", "Sweden", " kr", True, 13.0, "nordic")
JP = Country("jp", "Japan", "¥", False, 190.0, "jp")

COUNTRIES = {c.name.lower(): c for c in (UK, IE, US, CA, AU, NZ, PT, ES, FR, DE, IT, NL, DK, SE, JP)}
COUNTRIES.update({"uk": UK, "england": UK, "scotland": UK, "wales": UK, "usa": US, "us": US, "america": US})
COUNTRIES.update({"the netherlands": NL, "holland": NL, "the uk": UK, "the us": US, "the usa": US})

# city -> (country, phone prefix, digit layout)
_CITIES: dict[str, tuple[Country, str, str]] = {
    "london": (UK, "020 7946", "uk4"),
    "leeds": (UK, "0113 496", "uk4"),
    "sheffield": (UK, "0114 496", "uk4"),
    "nottingham": (UK, "0115 496", "uk4"),
    "leicester": (UK, "0116 496", "uk4"),
    "bristol": (UK, "0117 496", "uk4"),
    "reading": (UK, "0118 496", "uk4"),
    "birmingham": (UK, "0121 496", "uk4"),
    "edinburgh": (UK, "0131 496", "uk4"),
    "glasgow": (UK, "0141 496", "uk4"),
    "liverpool": (UK, "0151 496", "uk4"),
    "manchester": (UK, "0161 496", "uk4"),
    "newcastle": (UK, "0191 498", "uk4"),
    "belfast": (UK, "028 9649", "uk4"),
    "cardiff": (UK, "029 2018", "uk4"),
    "york": (UK, "01904 496", "uk3"),
    "bath": (UK, "01225 496", "uk3"),
    "brighton": (UK, "01273 496", "uk3"),
    "oxford": (UK, "01865 496", "uk3"),
    "cambridge": (UK, "01223 496", "uk3"),
    "hull": (UK, "01482 496", "uk3"),
    "norwich": (UK, "01603 496", "uk3"),
    "cornwall": (UK, "01872 496", "uk3"),
    "dublin": (IE, "+353 1 555", "uk4"),
    "cork": (IE, "+353 21 555", "uk4"),
    "new york": (US, "+1 212 555", "nanp"),
    "brooklyn": (US, "+1 718 555", "nanp"),
    "los angeles": (US, "+1 213 555", "nanp"),
    "san francisco": (US, "+1 415 555", "nanp"),
    "chicago": (US, "+1 312 555", "nanp"),
    "boston": (US, "+1 617 555", "nanp"),
    "seattle": (US, "+1 206 555", "nanp"),
    "austin": (US, "+1 512 555", "nanp"),
    "portland": (US, "+1 503 555", "nanp"),
    "denver": (US, "+1 303 555", "nanp"),
    "miami": (US, "+1 305 555", "nanp"),
    "toronto": (CA, "+1 416 555", "nanp"),
    "vancouver": (CA, "+1 604 555", "nanp"),
    "montreal": (CA, "+1 514 555", "nanp"),
    "sydney": (AU, "+61 2 5550", "uk4"),
    "melbourne": (AU, "+61 3 5550", "uk4"),
    "auckland": (NZ, "+64 9 555", "uk4"),
    "lisbon": (PT, "+351 21", "eu7"),
    "porto": (PT, "+351 22", "eu7"),
    "lisboa": (PT, "+351 21", "eu7"),
    "oporto": (PT, "+351 22", "eu7"),
    "madrid": (ES, "+34 91", "eu7"),
    "barcelona": (ES, "+34 93", "eu7"),
    "seville": (ES, "+34 95", "eu7"),
    "paris": (FR, "+33 1", "fr"),
    "lyon": (FR, "+33 4", "fr"),
    "berlin": (DE, "+49 30", "eu8"),
    "munich": (DE, "+49 89", "eu8"),
    "hamburg": (DE, "+49 40", "eu8"),
    "rome": (IT, "+39 06", "eu8"),
    "milan": (IT, "+39 02", "eu8"),
    "naples": (IT, "+39 081", "eu7"),
    "florence": (IT, "+39 055", "eu7"),
    "amsterdam": (NL, "+31 20", "eu7"),
    "copenhagen": (DK, "+45", "eu8"),
    "stockholm": (SE, "+46 8", "eu7"),
    "tokyo": (JP, "+81 3", "eu8"),
    "kyoto": (JP, "+81 75", "eu7"),
}
# A country named alone: its usual international prefix, no area code.
_COUNTRY_PHONES = {
    "uk": ("+44 20 7946", "uk4"),
    "ie": ("+353 1 555", "uk4"),
    "us": ("+1 202 555", "nanp"),
    "ca": ("+1 613 555", "nanp"),
    "au": ("+61 2 5550", "uk4"),
    "nz": ("+64 4 555", "uk4"),
    "pt": ("+351 21", "eu7"),
    "es": ("+34 91", "eu7"),
    "fr": ("+33 1", "fr"),
    "de": ("+49 30", "eu8"),
    "it": ("+39 06", "eu8"),
    "nl": ("+31 20", "eu7"),
    "dk": ("+45", "eu8"),
    "se": ("+46 8", "eu7"),
    "jp": ("+81 3", "eu8"),
}
KNOWN_CITIES = tuple(sorted(_CITIES, key=len, reverse=True))


def place_named(name: str) -> Place:
    """The place called ``name``: local details when it is a city or country we know."""
    key = name.strip().lower()
    if key in _CITIES:
        country, prefix, style = _CITIES[key]
        return Place(name, country, prefix, style)
    named_country = COUNTRIES.get(key)
    if named_country is not None:
        prefix, style = _COUNTRY_PHONES[named_country.key]
        return Place(name, named_country, prefix, style)
    return Place(name, None, None, None)


def phone_number(place: Place, seed: int) -> str | None:
    """A number in the place's format (``None`` for an unknown place: claim nothing)."""
    if place.phone_prefix is None:
        return None
    digits = f"{seed % 10_000_000:07d}"
    if place.phone_style == "uk4":
        return f"{place.phone_prefix} {'0' + digits[-3:]}"
    if place.phone_style == "uk3":
        return f"{place.phone_prefix}{digits[-3:]}"
    if place.phone_style == "nanp":
        return f"{place.phone_prefix} 01{digits[-2:]}"
    if place.phone_style == "fr":
        return f"{place.phone_prefix} {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[5:7]}"
    if place.phone_style == "eu8":
        return f"{place.phone_prefix} {digits[:4]} {digits[3:7]}"
    return f"{place.phone_prefix} {digits[:3]} {digits[3:7]}"


def money(amount_gbp: float, country: Country | None) -> str:
    """``amount_gbp`` as a round local price: "£45", "55 €", "$60", "¥8,600"."""
    scale = country.price_scale if country else 1.3
    value = amount_gbp * scale
    step = 100 if value >= 2000 else 5 if value >= 20 else 1
    rounded = max(step, int(round(value / step) * step))
    text = f"{rounded:,}"
    if country is None:
        return f"${text}"
    if country.currency_after:
        return f"{text.replace(',', '.') if country.key in ('pt', 'es', 'de', 'it', 'dk') else text}{country.currency}"
    return f"{country.currency}{text}"
