"""Prompts for the generated-site checks: several per kind, and odd ones (one word, 4,000
characters, emoji, other languages, no recognisable kind), each with what its site must show.
Shared by ``test_site_copy`` and the site-copy benchmark, so both measure the same sites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LONG_PROMPT = (
    "A family-run Italian restaurant in Leeds with online booking. "
    + "We make fresh pasta every morning and our sauces cook slowly all afternoon. " * 60
)[:4000]

# The questions each kind's form asks besides name, email, phone and message.
FIELDS = {
    "restaurant": {"date", "time", "party_size"},
    "bakery": {"order", "collection_date", "servings"},
    "trades": {"job_type", "postcode", "preferred_date"},
    "clinic": {"treatment", "preferred_date", "preferred_time", "patient"},
    "wellness": {"class", "experience", "preferred_date"},
    "salon": {"service", "preferred_date", "preferred_time"},
    "legal": {"area", "call_time"},
    "accounting": {"business_type", "turnover"},
    "photography": {"event_date", "venue", "package"},
    "design": {"project_type", "budget", "timeline"},
    "saas": {"company", "team_size"},
    "shop": {"order_number", "topic"},
    "event": {"ticket", "tickets", "company"},
    "hotel": {"check_in", "check_out", "guests", "room"},
    "nonprofit": {"help", "availability"},
    "education": {"course", "learner_age", "start"},
    "real_estate": {"looking_to", "budget", "area"},
    "blog": {"topic"},
    "generic": set(),
}
NEVER_ASKED = re.compile(r"symptom|diagnos|medical history|date of birth|password|card number", re.I)


@dataclass(frozen=True)
class Case:
    prompt: str
    kind: str
    words: tuple[str, ...]  # must appear in the visible text (case-insensitive)
    phone: str | None = None  # the start of the phone number on the contact page ("" = none at all)
    money: str | None = None  # a currency sign the prices use
    extra: tuple[str, ...] = field(default=())  # further HTML that must be there


CASES = (
    # restaurants, cafés and bars
    Case(
        "A family-run Italian restaurant in Leeds with online booking",
        "restaurant",
        ("Italian", "Leeds", "online booking", "family-run"),
        "0113 496",
        "£",
    ),
    Case(
        "Cosy coffee shop in Toronto with oat milk and a reading corner",
        "restaurant",
        ("Toronto", "oat milk", "reading corner", "coffee"),
        "+1 416 555",
        "$",
    ),
    Case(
        "A bar open until 2am in Manchester, family-owned since 1972",
        "restaurant",
        ("Open until 2am", "Family-owned since 1972", "Manchester", "54 years"),
        "0161 496",
        "£",
        ("02:00",),
    ),
    Case(
        "Sushi restaurant in Tokyo with a counter for eight",
        "restaurant",
        ("sushi", "Tokyo", "counter for eight"),
        "+81 3",
        "¥",
    ),
    # bakeries and cake makers: an order to collect, not a table
    Case(
        "A warm, rustic website for a family bakery in Leeds: menu, opening hours, custom cake orders and a contact form",
        "bakery",
        ("Leeds", "custom cake orders", "family"),
        "0113 496",
        "£",
    ),
    Case("Patisserie in Paris with macarons and a tasting menu", "bakery", ("Paris", "macarons"), "+33 1"),
    Case("Cupcake shop in Austin, Texas, open since 2015", "bakery", ("Austin", "2015", "cupcakes"), "+1 512", "$"),
    # trades and home services
    Case(
        "Emergency plumber serving Bristol and the surrounding area",
        "trades",
        ("plumb", "Bristol", "surrounding area"),
        "0117 496",
        "£",
    ),
    Case(
        "Electrician in Chicago, licensed and insured, 24/7 call-outs",
        "trades",
        ("Chicago", "24/7 call-outs", "licensed and insured", "electrical"),
        "+1 312 555",
        "$",
    ),
    Case(
        "Window cleaner for homes and offices in York",
        "trades",
        ("window cleaning", "homes and offices", "York"),
        "01904 496",
        "£",
    ),
    # health and dental clinics
    Case(
        "A dental clinic in Toronto, wheelchair accessible, open until 8pm",
        "clinic",
        ("dental", "Toronto", "Wheelchair accessible", "Open until 8pm"),
        "+1 416 555",
        "$",
        ("20:00",),
    ),
    Case(
        "Physiotherapy clinic for runners and cyclists in Edinburgh",
        "clinic",
        ("physiotherapy", "runners and cyclists", "Edinburgh"),
        "0131 496",
        "£",
    ),
    Case(
        "Optician in Glasgow with free eye tests for children",
        "clinic",
        ("eye care", "Glasgow", "free eye tests"),
        "0141 496",
        "£",
    ),
    # wellness, yoga and fitness
    Case(
        "A yoga studio in Bristol with small classes and a free first class",
        "wellness",
        ("yoga", "Bristol", "small classes", "free first class"),
        "0117 496",
        "£",
        ("<table",),
    ),
    Case(
        "Personal trainer in Austin for busy parents",
        "wellness",
        ("personal training", "Austin", "busy parents"),
        "+1 512 555",
        "$",
    ),
    Case(
        "Pilates and barre studio in Amsterdam, English-speaking teachers",
        "wellness",
        ("Pilates", "Amsterdam", "English-speaking teachers"),
        "+31 20",
        "€",
    ),
    # salons
    Case(
        "Barbershop in Brooklyn, walk-ins welcome",
        "salon",
        ("Brooklyn", "walk-ins welcome", "cuts and shaves"),
        "+1 718 555",
        "$",
    ),
    Case("Nail salon in Leeds with vegan polishes", "salon", ("nails", "Leeds", "vegan polishes"), "0113 496", "£"),
    # legal and accounting firms
    Case(
        "Family law solicitors in Manchester offering a free first consultation",
        "legal",
        ("family law", "Manchester", "free first consultation"),
        "0161 496",
    ),
    Case(
        "Immigration lawyer in London helping families stay together",
        "legal",
        ("immigration", "London", "families stay together"),
        "020 7946",
    ),
    Case(
        "Accountant for freelancers and small businesses in Cardiff",
        "accounting",
        ("freelancers", "small businesses", "Cardiff"),
        "029 2018",
        "£",
    ),
    Case(
        "Bookkeeping service for restaurants in Sydney",
        "accounting",
        ("bookkeeping", "restaurants", "Sydney"),
        "+61 2",
        "$",
    ),
    # creative portfolios
    Case(
        "Portfolio for a wedding photographer in Lisbon",
        "photography",
        ("wedding photographer", "Lisbon"),
        "+351 21",
        "€",
        ('class="gallery"', "gallery-1.svg"),
    ),
    Case(
        "Newborn and family photographer in Melbourne",
        "photography",
        ("newborn", "Melbourne"),
        "+61 3",
        "$",
        ('class="gallery"',),
    ),
    Case(
        "Brand identity designer in Berlin working with startups",
        "design",
        ("brand identity", "Berlin", "working with startups"),
        "+49 30",
        None,
        ('class="kind-section cases"',),
    ),
    Case(
        "Architecture studio in Copenhagen focused on timber housing",
        "design",
        ("architecture", "Copenhagen", "timber housing"),
        "+45",
        None,
    ),
    # software
    Case(
        "A modern SaaS landing page for a project management tool",
        "saas",
        ("project management",),
        "",
        "$",
        ("<details",),
    ),
    Case(
        "An invoicing app for freelancers with a free trial",
        "saas",
        ("invoicing", "freelancers", "free trial"),
        "",
        "$",
    ),
    Case("Mobile app that helps dog walkers schedule walks", "saas", ("dog walkers", "schedule walks"), ""),
    # shops
    Case("An online shop selling handmade candles", "shop", ("candles", "handmade"), "", "$", ("Add to basket",)),
    Case("Boutique selling vintage clothing in Paris", "shop", ("vintage clothing", "Paris"), "+33 1", "€"),
    Case(
        "Ceramics store in Portland with free shipping",
        "shop",
        ("ceramics", "Portland", "free shipping"),
        "+1 503 555",
        "$",
        ("Add to cart",),
    ),
    # events and conferences
    Case(
        "A two-day conference on climate tech in Berlin in June 2028",
        "event",
        ("climate tech", "Berlin", "June 2028", "two days"),
        "+49 30",
        "€",
        ("Speakers", "schedule-list"),
    ),
    Case("Jazz festival in Porto every summer", "event", ("jazz", "Porto"), "+351 22", "€"),
    Case(
        "Developer meetup in Manchester for Python beginners",
        "event",
        ("Python beginners", "Manchester", "developer"),
        "0161 496",
        "£",
    ),
    # hotels and retreats
    Case("A yoga retreat in Portugal", "hotel", ("yoga retreat", "Portugal"), "+351 21", "€", ("Rooms",)),
    Case(
        "Dog-friendly bed and breakfast in Cornwall with sea views",
        "hotel",
        ("Dog-friendly", "Cornwall", "sea views"),
        "01872 496",
        "£",
    ),
    # nonprofits
    Case(
        "Animal rescue charity in Glasgow that rehomes dogs and cats",
        "nonprofit",
        ("animal", "Glasgow", "rehomes dogs and cats"),
        "0141 496",
        "£",
        ("Donate", 'class="stats"'),
    ),
    Case(
        "Food bank in Hull run by volunteers, donations welcome",
        "nonprofit",
        ("food bank", "Hull", "volunteers", "donations welcome"),
        "01482 496",
        "£",
    ),
    # education and camps
    Case(
        "Maths tutoring for GCSE students in Leeds", "education", ("maths", "GCSE students", "Leeds"), "0113 496", "£"
    ),
    Case(
        "Summer camp for kids in Vermont with canoeing and archery",
        "education",
        ("canoeing", "archery", "Vermont", "kids"),
        "",
        "$",
    ),
    # real estate
    Case(
        "Estate agent in Brighton specialising in period homes",
        "real_estate",
        ("Brighton", "period homes"),
        "01273 496",
        "£",
    ),
    Case(
        "Realtor in Seattle helping first-time buyers",
        "real_estate",
        ("Seattle", "first-time buyers"),
        "+1 206 555",
        "$",
    ),
    # publications
    Case("A blog about sourdough recipes and bread baking", "blog", ("sourdough recipes",), ""),
    Case("Podcast about urban cycling", "blog", ("urban cycling",), ""),
    # odd prompts: one word, very long, emoji, other languages, no recognisable kind
    Case("Zorblax", "generic", ("Zorblax",), ""),
    Case(LONG_PROMPT, "restaurant", ("Italian", "Leeds", "online booking"), "0113 496", "£"),
    Case(
        "🍕🍕 Pizzeria in Naples with a wood-fired oven 🔥",
        "restaurant",
        ("Naples", "wood-fired oven", "pizza"),
        "+39 081",
        "€",
    ),
    Case(
        "Restaurante familiar en Oporto con reservas online",
        "restaurant",
        ("Restaurante familiar en Oporto con reservas online",),
        "+351 22",
        "€",
    ),
    Case("Loja de artesanato em Lisboa", "shop", ("Loja de artesanato em Lisboa",), "+351 21", "€"),
    Case("Something special for my neighbours in Kent", "generic", ("neighbours", "Kent"), ""),
    Case(
        "Fahrradwerkstatt in Berlin mit Abholservice",
        "generic",
        ("Fahrradwerkstatt", "Abholservice", "Berlin"),
        "+49 30",
    ),
)
