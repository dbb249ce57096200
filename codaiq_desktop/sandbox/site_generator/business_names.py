"""A business's name when the prompt gives none: invented in the kind's style.

Each kind has its own name patterns (a restaurant's follow its cuisine: "Trattoria Rosa"),
filled with the brief's place, offering, topic or year, or with a surname of the place's
country; the prompt's hash picks, so a prompt always gets the same name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from codaiq_desktop.sandbox.site_generator.kinds import SiteKind


def invent_name(kind: SiteKind, brief_parts: dict[str, str | None], number: Callable[[str], int]) -> str:
    """A name in the kind's style from what the brief knows (place, offering, topic, year);
    ``number(salt)`` is the prompt's stable choice, so a prompt always gets the same name."""
    from codaiq_desktop.sandbox.site_generator.people import first_name, surname

    pool = brief_parts.get("pool")
    offering = brief_parts.get("offering") or ""
    topic = brief_parts.get("topic") or ""
    topic_words = re.split(r"\s+(?:and|or|&)\s+", topic)[0].split()[:2]
    if len(topic_words) == 2 and topic_words[1].lower() in _GENERIC_TOPIC_WORDS:
        topic_words = topic_words[:1]
    topic = " ".join(topic_words)
    values = {
        "Place": brief_parts.get("place"),
        "Offering": title_case(offering) if offering and len(offering.split()) <= 3 else None,
        "Topic": title_case(topic) if topic and len(topic.split()) <= 3 else None,
        "Word": kind.name_words[number("w1") % len(kind.name_words)],
        "Word2": kind.name_words[(number("w1") + 1 + number("w2") % 5) % len(kind.name_words)],
        "Surname": surname(pool, number("s1")),
        "Surname2": surname(pool, number("s1") + 1 + number("s2") % 5),
        "First": first_name(pool, number("f1")),
        "Year": brief_parts.get("year"),
    }
    patterns = _CUISINE_NAMES.get(offering, kind.name_patterns) if kind.key == "restaurant" else kind.name_patterns
    values["Cuisine"] = kind.name_words[0]
    if kind.key == "restaurant" and offering in _CUISINE_WORDS:
        words = _CUISINE_WORDS[offering]
        values["Cuisine"] = words[number("cuisine") % len(words)]
    usable = [p for p in patterns if all(values.get(slot) for slot in re.findall(r"\{(\w+)\}", p))]
    if not usable:
        usable = [f"{values['Word']} {values['Surname']}"] if kind.key != "generic" else [str(values["Word"])]
    pattern = usable[number("name") % len(usable)]
    return pattern.format(**{k: v or "" for k, v in values.items()}).strip()


_GENERIC_TOPIC_WORDS = frozenset("recipes tips ideas news stories guides reviews notes thoughts talks".split())
_CUISINE_NAMES = {
    "Italian cooking": ("Trattoria {Cuisine}", "Osteria {Cuisine}", "Da {Cuisine}", "Casa {Cuisine}"),
    "wood-fired pizza": ("Pizzeria {Cuisine}", "{Cuisine} Pizza", "Forno {Cuisine}"),
    "fresh pasta": ("Pasta {Cuisine}", "Trattoria {Cuisine}"),
    "Japanese cooking": ("{Cuisine}", "Izakaya {Cuisine}"),
    "sushi": ("Sushi {Cuisine}", "{Cuisine} Sushi Bar"),
    "ramen": ("{Cuisine} Ramen", "Ramen {Cuisine}"),
    "French cooking": ("Bistro {Cuisine}", "Chez {Cuisine}", "Le Petit {Cuisine}"),
    "Spanish food": ("Casa {Cuisine}", "Bodega {Cuisine}"),
    "tapas": ("Bodega {Cuisine}", "Casa {Cuisine}"),
    "Portuguese cooking": ("Tasca {Cuisine}", "Casa {Cuisine}"),
    "Indian cooking": ("{Cuisine}", "{Cuisine} Kitchen"),
    "Thai cooking": ("{Cuisine} Thai", "Baan {Cuisine}"),
    "Mexican food": ("Cantina {Cuisine}", "{Cuisine} Taqueria"),
    "tacos": ("Taqueria {Cuisine}", "Cantina {Cuisine}"),
    "Greek food": ("Taverna {Cuisine}", "{Cuisine} Kouzina"),
}
_CUISINE_WORDS = {
    "Italian cooking": ("Rosa", "Lucia", "Bruno", "Nonna Mia", "Marco", "Sole", "Limone", "Gallo"),
    "wood-fired pizza": ("Bruno", "Vesuvio", "Rosa", "Napoli", "Fuoco", "Luca"),
    "fresh pasta": ("Rosa", "Mattarello", "Nonna Mia", "Lucia"),
    "Japanese cooking": ("Hana", "Kaze", "Tsuki", "Sakura", "Kumo"),
    "sushi": ("Hana", "Kaze", "Tsuki", "Umi"),
    "ramen": ("Kaze", "Tonkotsu", "Yuki", "Ichi"),
    "French cooking": ("Margot", "Lucien", "Colette", "Olivier"),
    "Spanish food": ("Lola", "Pepa", "Alma", "Sol"),
    "tapas": ("Lola", "Pepa", "Alma", "Sol"),
    "Portuguese cooking": ("Alfama", "Sardinha", "Avó", "Azul"),
    "Indian cooking": ("Saffron", "Masala Lane", "Dilli", "Chaiwala", "Tandoor House"),
    "Thai cooking": ("Mali", "Siam", "Kin Dee", "Lemongrass"),
    "Mexican food": ("Lupita", "Azul", "El Sol", "Maíz"),
    "tacos": ("Lupita", "Azul", "El Sol", "Maíz"),
    "Greek food": ("Olea", "Thalassa", "Yiayia", "Kalimera"),
}


def title_case(phrase: str) -> str:
    """Title case that leaves the small words small: "Fresh Pasta and Wine"."""
    small = {"and", "of", "for", "the", "a", "an", "in", "on"}
    words = phrase.split()
    return " ".join(w if (w in small and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))
