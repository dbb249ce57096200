"""Reading a prompt: which kind of site, for whom, where, and what the business is called.

Plain keyword rules, not a model: the same prompt always reads the same way, runs in
microseconds, and needs no network. Choices among equally good options (a name pattern,
which features to show) come from a hash of the prompt and name, so they are stable too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from codaiq_desktop.sandbox.site_generator.kinds import ADJECTIVES, DEFAULT_KIND, DISHES, KINDS, SiteKind

MIN_WORDS = 1

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "for",
        "of",
        "to",
        "in",
        "on",
        "at",
        "with",
        "by",
        "from",
        "into",
        "about",
        "our",
        "my",
        "your",
        "their",
        "its",
        "is",
        "are",
        "be",
        "this",
        "that",
        "these",
        "those",
        "we",
        "you",
        "i",
        "it",
        "as",
        "who",
        "which",
        "what",
        "where",
        "when",
        "how",
        "very",
        "really",
        "new",
        "modern",
        "simple",
        "clean",
        "beautiful",
        "nice",
        "great",
        "good",
        "best",
        "minimal",
        "elegant",
        "stylish",
        "professional",
        "website",
        "site",
        "web",
        "page",
        "pages",
        "landing",
        "homepage",
        "home",
        "business",
        "company",
        "online",
        "local",
        "small",
        "big",
        "make",
        "build",
        "create",
        "need",
        "want",
        "like",
        "please",
        "using",
        "based",
        "one",
        "two",
        "three",
        "some",
        "any",
        "all",
        "more",
        "most",
        "also",
        "just",
        "single",
        "multi",
        "called",
        "named",
        "serving",
        "selling",
        "sells",
        "sell",
        "offering",
        "offers",
        "cosy",
        "cozy",
        "friendly",
        "family-run",
        "family",
        "run",
        "emergency",
        "two-day",
        "one-day",
        "three-day",
        "day",
        "days",
        "local",
        "independent",
        "award-winning",
        "premium",
        "affordable",
        "luxury",
        "stunning",
        "responsive",
        "template",
    ]
)
# A phrase after these words usually names what the site is about.
_TOPIC_LEAD = re.compile(r"\b(?:for|about|selling|sells|on|of|with|offering)\s+(?:an?\s+|the\s+)?([^,.;:!?]+)", re.I)
# Trades and crafts: the keyword a prompt used, as the name of the work.
_CRAFTS = {
    "plumber": "plumbing",
    "plumbing": "plumbing",
    "electrician": "electrical work",
    "cleaner": "cleaning",
    "cleaning": "cleaning",
    "gardener": "gardening",
    "gardening": "gardening",
    "landscaping": "landscaping",
    "roofer": "roofing",
    "roofing": "roofing",
    "handyman": "home repairs",
    "dentist": "dental care",
    "dental": "dental care",
    "salon": "hair and beauty",
    "barber": "barbering",
    "mechanic": "car repairs",
    "garage": "car repairs",
    "locksmith": "locksmith services",
    "lawyer": "legal advice",
    "solicitor": "legal advice",
    "accountant": "accounting",
    "physio": "physiotherapy",
    "therapist": "therapy",
    "tutor": "tutoring",
    "tutoring": "tutoring",
    "vet": "pet care",
    "builder": "building work",
    "decorator": "decorating",
    "removals": "removals",
    "yoga": "yoga",
    "fitness": "fitness",
    "gym": "fitness",
    "trainer": "personal training",
    "photographer": "photography",
    "photography": "photography",
    "designer": "design",
    "design": "design",
    "architect": "architecture",
    "illustrator": "illustration",
    "developer": "web development",
    "videographer": "video",
    "branding": "branding",
    "marketing": "marketing",
}
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W_]+)*")
_PLACE = re.compile(r"\b(?:in|near|around|based in|serving)\s+((?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+){0,2})")
_CALLED = re.compile(
    r"\b(?:called|named)\s+[\"“'‘]?([A-Z0-9][\w&’'. -]{0,40}?)[\"”'’]?(?=[,.;:!?]|\s+(?:in|for|that|which|with|and|near)\b|$)"
)
_QUOTED = re.compile(r"[\"“]([^\"”]{2,40})[\"”]")
_AUDIENCES = (
    (("team", "teams", "startup", "startups", "saas", "b2b", "software", "developer", "developers"), "teams"),
    (("family", "families", "kids", "children", "parents"), "families"),
    (("students", "student", "school", "learners"), "students"),
    (("business", "businesses", "companies", "brands", "clients"), "businesses"),
    (("homeowners", "home", "homes", "house", "landlords"), "homeowners"),
)
_KIND_AUDIENCE = {
    "saas": "teams",
    "restaurant": "food lovers",
    "agency": "founders",
    "local_service": "households and businesses",
    "shop": "shoppers",
    "event": "professionals",
    "blog": "readers",
}


class PromptRejected(ValueError):
    """The prompt gives nothing to build from."""


@dataclass(frozen=True)
class Brief:
    """What the prompt asks for: kind, business name, topic, place, audience, and a stable seed."""

    kind: SiteKind
    business_name: str
    topic: str
    place: str | None
    audience: str
    seed: int

    def pick(self, options: tuple[str, ...] | list[str], salt: str) -> str:
        """A stable choice from ``options`` for this brief."""
        return options[_hash_int(f"{self.seed}:{salt}") % len(options)]


def _hash_int(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def words_of(prompt: str) -> list[str]:
    return _WORD.findall(prompt)


def choose_kind(prompt: str) -> SiteKind:
    """The kind whose keywords the prompt mentions most (ties go to the earlier kind)."""
    lowered = prompt.lower()
    best, best_score = DEFAULT_KIND, 0
    for kind in KINDS:
        score = 0
        for keyword in kind.keywords:
            if re.search(rf"(?<![\w-]){re.escape(keyword)}(?:s|es)?(?![\w-])", lowered):
                score += 2 if " " in keyword else 1
        if score > best_score:
            best, best_score = kind, score
    return best


# Words that name the kind of site rather than its subject ("shop", "conference").
_GENERIC = frozenset(
    [
        "saas",
        "software",
        "app",
        "apps",
        "platform",
        "tool",
        "tools",
        "startup",
        "dashboard",
        "cloud",
        "solution",
        "product",
        "restaurant",
        "cafe",
        "café",
        "bistro",
        "bar",
        "diner",
        "kitchen",
        "menu",
        "eatery",
        "agency",
        "studio",
        "portfolio",
        "creative",
        "freelance",
        "freelancer",
        "consultancy",
        "shop",
        "store",
        "boutique",
        "ecommerce",
        "e-commerce",
        "products",
        "retail",
        "marketplace",
        "brand",
        "event",
        "events",
        "conference",
        "summit",
        "meetup",
        "festival",
        "workshop",
        "expo",
        "blog",
        "journal",
        "magazine",
        "newsletter",
        "publication",
        "articles",
        "column",
        "news",
        "stories",
        "author",
        "writer",
    ]
)


def _content_words(text: str, kind: SiteKind) -> list[str]:
    keywords = _GENERIC | (set(kind.keywords) & set(_CRAFTS))
    content = []
    for index, word in enumerate(words_of(text)):
        lowered = word.lower()
        if lowered in _STOPWORDS or lowered in keywords or lowered.rstrip("s") in keywords:
            continue
        if word[0].isupper() and index > 0:  # a proper noun: a place or a name, not the topic
            continue
        content.append(lowered)
    return content


def _topic(prompt: str, kind: SiteKind) -> str:
    """A short phrase for what the business does ("wedding photography", "climate tech")."""
    lowered = [w.lower() for w in words_of(prompt)]
    for index, word in enumerate(lowered):
        craft = _CRAFTS.get(word)
        if craft and word in kind.keywords:
            before = lowered[index - 1] if index > 0 else ""
            if before and before not in _STOPWORDS and before not in kind.keywords and before not in _CRAFTS:
                return f"{before} {craft}"
            return craft
    for match in _TOPIC_LEAD.finditer(prompt):
        phrase = re.split(r"\s+(?:in|near|around|based|serving|called|named|for|that|which|who)\s+", match.group(1))[0]
        content = _content_words(phrase, kind)
        if content:
            return " ".join(content[:3]).removesuffix(" and").strip()
    content = _content_words(prompt, kind)
    return " ".join(content[:2]) if content else kind.default_topic


def _place(prompt: str) -> str | None:
    match = _PLACE.search(prompt)
    return match.group(1).strip() if match else None


def _given_name(prompt: str) -> str | None:
    for pattern in (_CALLED, _QUOTED):
        match = pattern.search(prompt)
        if match:
            name = match.group(1).strip(" .'\"")
            if name:
                return name
    return None


def _audience(words: list[str], kind: SiteKind) -> str:
    lowered = {w.lower() for w in words}
    for triggers, audience in _AUDIENCES:
        if lowered & set(triggers):
            return audience
    return _KIND_AUDIENCE[kind.key]


def _invent_name(kind: SiteKind, topic: str, place: str | None, seed: int) -> str:
    words = [w for w in topic.split() if w != "and"] or kind.default_topic.split()
    topic_title = words[0][:1].upper() + words[0][1:]
    topics_title = " ".join(w[:1].upper() + w[1:] for w in words[:2])
    pattern = kind.name_patterns[_hash_int(f"{seed}:name") % len(kind.name_patterns)]
    if "{Place}" in pattern and place is None:
        pattern = next((p for p in kind.name_patterns if "{Place}" not in p), "{Topic}")
    return pattern.format(
        Topic=topic_title,
        Topics=topics_title,
        Place=place or "",
        Adjective=ADJECTIVES[_hash_int(f"{seed}:adj") % len(ADJECTIVES)],
        Dish=DISHES[_hash_int(f"{seed}:dish") % len(DISHES)],
    ).strip()


def read_brief(prompt: str, name: str | None = None) -> Brief:
    """Understand ``prompt``; raises :class:`PromptRejected` when it has no words at all."""
    words = words_of(prompt)
    if len([w for w in words if len(w) >= 2]) < MIN_WORDS:
        raise PromptRejected("The prompt has no words to build a site from; describe the business in a sentence.")
    seed = _hash_int(f"{prompt}\x00{name or ''}")
    kind = choose_kind(prompt)
    topic = _topic(prompt, kind)
    place = _place(prompt)
    business = (name or "").strip() or _given_name(prompt) or _invent_name(kind, topic, place, seed)
    return Brief(
        kind=kind, business_name=business, topic=topic, place=place, audience=_audience(words, kind), seed=seed
    )
