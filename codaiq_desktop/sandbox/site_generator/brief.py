"""Reading a prompt the way a copywriter would: what kind of business, what it offers, where,
for whom, what is special about it, and what a visitor should do.

Plain rules, not a model: the same prompt always reads the same way, with no network. What the rules do not understand is not thrown away: the
prompt's own description, its facts ("open until 2am", "family-owned since 1972") and its
"with ..." clauses are carried into the site in the user's words, in places where any noun
phrase reads correctly (a list item, "<name> is <description>.").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from codaiq_desktop.sandbox.site_generator.business_names import invent_name, title_case
from codaiq_desktop.sandbox.site_generator.kinds import DEFAULT_KIND, KINDS, KINDS_BY_KEY, SiteKind
from codaiq_desktop.sandbox.site_generator.places import KNOWN_CITIES, Place, place_named

MIN_WORDS = 1
THIS_YEAR = 2026
MAX_DESCRIPTION_CHARS = 180

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’&-][^\W_]+)*")
_MONTHS = tuple("January February March April May June July August September October November December".split())
_NOT_PLACES = frozenset(
    [m.lower() for m in _MONTHS]
    + (
        "monday tuesday wednesday thursday friday saturday sunday english spanish french german italian"
        " portuguese japanese chinese the a an our my summer winter spring autumn fall town city i we nhs gcse"
    ).split()
)
_PLACE = re.compile(
    r"\b(?:in|near|around|based in|serving|across|from|of)\s+((?:[A-Z][\w’'-]+|[A-Z])(?:\s+(?:[A-Z][\w’'-]+|upon|on|de|do|da)){0,2})"
)
_CALLED = re.compile(
    r"\b(?:called|named)\s+[\"“'‘]?([A-Z0-9][\w&’'. -]{0,40}?)[\"”'’]?(?=[,.;:!?]|\s+(?:in|for|that|which|with|and|near|who)\b|$)"
)
_QUOTED = re.compile(r"[\"“]([^\"”]{2,40})[\"”]")
_PREAMBLE = re.compile(
    r"^\s*(?:please\s+)?(?:(?:can|could) you\s+)?"
    r"(?:(?:build|create|make|design|generate|write|set up|give me|i need|i want|we need|we want|i'd like|"
    r"i would like|we'd like|we would like)\s+(?:me\s+|us\s+)?)?"
    r"(?:(?:an?|the|my|our)\s+)?(?:[\w'’-]+,?\s+){0,4}?"
    r"(?:website|web site|site|landing page|homepage|home page|web page|page|portfolio|online presence|one-pager)"
    r"\s+(?:for|about|of|to promote|showcasing)\s+",
    re.I,
)
_HEAD_STOP = frozenset(
    "in near with for serving called named on about that who which selling offering based from where to by "
    "specialising specializing run owned open at".split()
)
_ENGLISH = frozenset("a an the in for with and of on to that who our my by near selling serving is".split())
_FOREIGN = frozenset(
    "el la los las en con para y del un una um uma com o os em e da do das dos le les des pour avec et du au der "
    "die das und mit für im ein eine il lo di per che nel".split()
)
_FACTS = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"\bopen (?:until|till|til|late|24/7|24 hours|seven days a week|every day|daily)"
        r"(?: (?:\d{1,2}(?::\d{2})?\s?(?:am|pm)|midnight|late))?",
        r"\b(?:family[- ](?:run|owned)|independently owned|locally owned|wom[ae]n[- ]owned|black[- ]owned|"
        r"employee[- ]owned)(?: (?:business )?since (?:19|20)\d{2})?",
        r"\b(?:established|founded|est\.)(?: in)? (?:19|20)\d{2}",
        r"\bsince (?:19|20)\d{2}",
        r"\bwheelchair[- ]accessible(?: \w+)?|\bstep[- ]free(?: access)?",
        r"\b(?:dog|pet|child|kid|family|baby|vegan|vegetarian|eco|LGBTQ\+?)[- ]friendly(?: \w+)?",
        r"\bfree (?:first |initial )?(?:consultations?|quotes?|delivery|parking|wi-?fi|trial|shipping|estimates?|"
        r"assessments?|tasters?|lessons?|class|classes|valuations?)",
        r"\b(?:gluten[- ]free|halal|kosher|fair[- ]trade|zero[- ]waste|plastic[- ]free|carbon[- ]neutral)(?: options| menu)?",
        r"\baward[- ]winning",
        r"\b24/7(?: \w+)?",
        r"\bsame[- ]day \w+",
        r"\bby appointment only",
        r"\b(?:over|more than) \d[\d,]* (?:years|clients|customers|students|members|guests|volunteers)",
        r"\b(?:\d{1,2}(?:st|nd|rd|th)? )?(?:January|February|March|April|May|June|July|August|September|October|"
        r"November|December)(?: \d{1,2}(?:st|nd|rd|th)?)?,? (?:19|20)\d{2}",
        r"\b(?:English|Portuguese|Spanish|French|German|Italian|Polish|Arabic|Mandarin|Hindi|Urdu|Japanese)"
        r"[- ]speaking(?: \w+)?",
        r"\bNHS(?: and private)?(?: patients| treatment| dentistry)?",
    )
)
_CLAUSE = re.compile(
    r"\b(?:with|featuring|including|offering|specialising in|specializing in|known for)\s+([^.;:!?\n]+)", re.I
)
_CLAUSE_END = re.compile(
    r"\s+(?:in|near|for|serving|that|which|who|where|called|named|based|from|since|open)\s+|,\s*(?:and\s+)?(?=[a-z]*ing\b)",
    re.I,
)
_SITE_PARTS = re.compile(r"\b(?:forms?|website|site|pages?|sections?|buttons?|layout|navigation|logo)\b", re.I)
_TONES = {
    word: tone
    for tone, words in {
        "playful": "playful fun quirky vibrant colourful colorful",
        "bold": "bold edgy",
        "refined": "luxury luxurious upscale high-end premium elegant",
        "calm": "calm peaceful relaxed serene minimal minimalist",
        "warm": "warm cosy cozy rustic friendly",
    }.items()
    for word in words.split()
}
_DURATIONS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_NUMBER_WORDS = {1: "one day", 2: "two days", 3: "three days", 4: "four days", 5: "five days"}


class PromptRejected(ValueError):
    """The prompt gives nothing to build from."""


@dataclass(frozen=True)
class Brief:
    """What the prompt asks for, in the forms the copy needs."""

    prompt: str
    kind: SiteKind
    business_name: str
    offering: str | None  # this kind's noun phrase for what is offered: "Italian cooking", "plumbing"
    topic: str | None  # a subject in the prompt's words: "climate tech", "sourdough recipes"
    place: Place | None
    audience: str | None  # "families", "dog owners"
    eyebrow: str | None  # the business in the prompt's words: "Family-run Italian restaurant in Leeds"
    phrase: str | None  # the prompt's description of the business: "a wedding photographer in Lisbon"
    english: bool  # whether ``phrase`` reads as English (else it is shown as a sentence of its own)
    facts: tuple[str, ...]  # "Open until 2am", "Wheelchair accessible"
    extras: tuple[str, ...]  # "Online booking", "A rooftop terrace" (the prompt's "with ..." clauses)
    cta: str
    tone: str | None
    founded: int | None
    event_date: str | None
    days: int | None
    seed: int

    @property
    def description(self) -> str | None:
        """A full sentence about the business in the prompt's words, with its current name."""
        return _sentence(self.business_name, self.phrase, self.english)

    def pick(self, options: tuple[str, ...] | list[str], salt: str) -> str:
        """A stable choice from ``options`` for this brief."""
        return options[self.number(salt) % len(options)]

    def number(self, salt: str) -> int:
        """A stable number for this brief and ``salt``."""
        return hash_int(f"{self.seed}:{salt}")


def hash_int(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def words_of(prompt: str) -> list[str]:
    return _WORD.findall(prompt)


_TOKEN = re.compile(r"[\w&+’'-]+")


class WordIndex:
    """Where each word and two- or three-word phrase of a text first occurs, with plurals
    folded ("restaurants" finds "restaurant"): keyword look-ups in constant time."""

    def __init__(self, text: str) -> None:
        tokens = [(m.start(), m.group(0).lower().strip("'’-")) for m in _TOKEN.finditer(text)]
        self.first: dict[str, int] = {}
        for i, (at, _) in enumerate(tokens):
            for length in (1, 2, 3):
                if i + length > len(tokens):
                    break
                words = [t for _, t in tokens[i : i + length]]
                for form in _forms(words[-1]):
                    self.first.setdefault(" ".join([*words[:-1], form]), at)

    def at(self, keyword: str) -> int:
        """The position of ``keyword`` (or its plural) as whole words, or -1."""
        return self.first.get(keyword, -1)


def _forms(word: str) -> tuple[str, ...]:
    if word.endswith("es") and len(word) > 4:
        return (word, word[:-1], word[:-2])
    if word.endswith("s") and len(word) > 3:
        return (word, word[:-1])
    return (word,)


_PURPOSE = re.compile(r"\b(?:for|helping|serving|to help)\b", re.I)


def choose_kind(prompt: str, index: WordIndex | None = None) -> SiteKind:
    """The kind whose keywords weigh most.

    A keyword after "for", "helping" or "serving" that follows another keyword names the
    audience, not the business ("bookkeeping for restaurants" is a bookkeeper): it counts
    half. On a tie, the kind named last wins (English puts the head noun last: a "yoga
    retreat" is a retreat).
    """
    text = prompt[:600]
    index = index or WordIndex(text)
    hits = [
        (at, kind, weight)
        for kind in KINDS
        for keyword, weight in kind.keywords.items()
        if 0 <= (at := index.at(keyword)) < 600
    ]
    if not hits:
        return DEFAULT_KIND
    first_hit = min(at for at, _, _ in hits)
    purpose = next((m.start() for m in _PURPOSE.finditer(text) if m.start() > first_hit), len(text) + 1)
    scores: dict[str, tuple[float, int]] = {}
    for at, kind, weight in hits:
        score, last = scores.get(kind.key, (0.0, -1))
        scores[kind.key] = (score + (weight / 2 if at > purpose else weight), max(last, at))
    key, (score, _) = max(scores.items(), key=lambda item: item[1])
    return KINDS_BY_KEY[key] if score >= 2 else DEFAULT_KIND


def _clean(prompt: str) -> str:
    """The prompt without emoji and control characters, on one line."""
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNPZ" or ch in "&+/£€$%'’" else " " for ch in prompt)
    return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", kept)).strip()


def _place(text: str, index: WordIndex) -> Place | None:
    for match in _PLACE.finditer(text):
        words = match.group(1).split()
        while words and words[-1].lower() in _NOT_PLACES | {"upon", "on", "de", "do", "da"}:
            words.pop()
        if words and words[0].lower() not in _NOT_PLACES:
            return place_named(" ".join(words))
    for city in KNOWN_CITIES:
        at = index.at(city)
        if at >= 0:
            return place_named(text[at : at + len(city)])
    return None


def _given_name(prompt: str) -> str | None:
    for pattern in (_CALLED, _QUOTED):
        match = pattern.search(prompt)
        if match:
            name = match.group(1).strip(" .'\"")
            if name:
                return name
    return None


def _lexicon_match(index: WordIndex, lexicon: dict[str, str]) -> str | None:
    """The lexicon entry named earliest in the prompt (longest first where two start together)."""
    found: list[tuple[int, int, str]] = []
    for word, phrase in lexicon.items():
        at = index.at(word)
        if at >= 0:
            found.append((at, -len(word), phrase))
    return min(found)[2] if found else None


_TOPIC_AFTER = re.compile(
    r"\b(?:conference|festival|summit|meetup|expo|hackathon|symposium|congress|blog|podcast|newsletter|magazine|"
    r"journal|publication|zine|event|workshop|webinar|convention|column)s?\s+(?:on|about|for|of|exploring)\s+"
    r"([^.,;:!?\n]+)",
    re.I,
)
_TOPIC_BEFORE = re.compile(
    r"((?:[A-Za-z][\w-]*\s+){1,2})(?:conference|festival|summit|meetup|expo|hackathon|symposium|congress|blog|podcast|"
    r"newsletter|magazine|journal|zine|convention)\b"
)
_NOT_TOPIC = frozenset(
    "a an the my our one two three four five annual yearly monthly weekly small big new local online free "
    "independent international national regional community two-day one-day three-day 2-day 3-day day "
    "personal family food travel".split()
) - {"food", "travel", "family"}


def _topic(text: str) -> str | None:
    """What an event or publication is about, in the prompt's words ("climate tech")."""
    match = _TOPIC_AFTER.search(text)
    if match:
        words: list[str] = []
        for word in match.group(1).split():
            if word.lower() in ("in", "near", "at", "for", "with", "called", "named", "on", "from", "this", "next"):
                break
            if word[:1].isupper() and words and word.lower() not in ("ai",):
                break
            words.append(word)
        words = words[:5]
        while words and words[-1].lower() in ("and", "or", "the", "a"):
            words.pop()
        if words:
            return " ".join(words)
    match = _TOPIC_BEFORE.search(text)
    if match:
        words = [w for w in match.group(1).split() if w.lower() not in _NOT_TOPIC and not w.isdigit()]
        words = [w if _keeps_case(w) else w.lower() for w in words]
        if words:
            return " ".join(words)
    return None


def _audience(text: str) -> str | None:
    match = re.search(
        r"\bfor\s+((?:busy\s+|small\s+|local\s+|new\s+|first-time\s+)?(?:[a-z][\w-]*\s+){0,2}?"
        r"(?:families|parents|kids|children|teens|students|teams|businesses|freelancers|owners|walkers|"
        r"founders|developers|designers|teachers|nurses|doctors|runners|cyclists|musicians|artists|writers|"
        r"creators|makers|retirees|seniors|couples|women|men|beginners|landlords|tenants|homeowners|carers|"
        r"patients|veterans|athletes|golfers|climbers|gardeners|cooks|bakers|readers|dogs|cats|pets|"
        r"startups|agencies|restaurants|shops|clinics|schools|charities|gamers|travellers|travelers))\b",
        text,
    )
    return match.group(1).strip() if match else None


def _facts(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, int, str]] = []
    for pattern in _FACTS:
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), match.group(0).strip(" ,")))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for start, end, fact in found:
        if any(start < k_end and end > k_start for k_start, k_end, _ in kept):
            continue
        kept.append((start, end, fact))
    return [(start, fact) for start, _end, fact in kept]


def _extras(text: str, facts: list[str], place: Place | None) -> list[str]:
    items: list[str] = []
    lowered_facts = " | ".join(facts).lower()
    for match in _CLAUSE.finditer(text):
        clause = _CLAUSE_END.split(match.group(1))[0]
        for part in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+&\s+", clause):
            part = part.strip(" -")
            words = part.split()
            if not words or len(words) > 7 or len(part) > 60:
                continue
            bare = re.sub(r"^(?:an?|the)\s+", "", part.lower())
            if bare in lowered_facts or any(bare in f.lower() or f.lower() in bare for f in facts):
                continue
            if place and bare == place.name.lower():
                continue
            if not any(w.lower() not in _ENGLISH for w in words):
                continue
            if _SITE_PARTS.search(part):  # "a booking form": a wish for the site, not a fact about the business
                continue
            items.append(part)
    return items


def _description(text: str, name_in_prompt: str | None) -> tuple[str | None, bool]:
    """The prompt's description of the business as a phrase, and whether it reads as English.

    "Portfolio for a wedding photographer in Lisbon" -> "a wedding photographer in Lisbon".
    """
    first = re.split(r"(?<=[.!?])\s+|\n", text, maxsplit=1)[0].strip()
    phrase = _PREAMBLE.sub("", first, count=1)
    if name_in_prompt:
        phrase = re.sub(rf",?\s*(?:called|named)\s+[\"“'‘]?{re.escape(name_in_prompt)}[\"”'’]?", "", phrase, flags=re.I)
        phrase = re.sub(rf"[\"“]{re.escape(name_in_prompt)}[\"”]\s*", "", phrase)
    phrase = re.sub(r"^(?:my|our)\s+", "a ", phrase.strip(), flags=re.I)
    phrase = phrase.strip(" .,;:!?-")
    if len(phrase) > MAX_DESCRIPTION_CHARS:
        cut = phrase[:MAX_DESCRIPTION_CHARS]
        boundary = max(cut.rfind(","), cut.rfind(";"), cut.rfind(" with "), cut.rfind(" and "))
        phrase = cut[:boundary] if boundary > 40 else cut.rsplit(" ", 1)[0]
        phrase = phrase.strip(" .,;:!?-")
    if not words_of(phrase):
        return None, True
    lowered = [w.lower() for w in words_of(phrase)]
    ours, theirs = sum(w in _ENGLISH for w in lowered), sum(w in _FOREIGN for w in lowered)
    english = ours > theirs or ours == theirs == 0
    return phrase, english


def _eyebrow(phrase: str | None, english: bool, place: Place | None) -> str | None:
    """The business as the prompt names it: the description up to its first preposition."""
    if not phrase or not english:
        return place.name if place else None
    words = phrase.split()
    if words and words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    head: list[str] = []
    for word in words:
        bare = word.lower().rstrip(",:;")
        if bare in _HEAD_STOP or word.endswith((",", ":", ";")):  # "a clinic: treatments, team": the clinic
            if word.endswith((",", ":", ";")) and bare not in _HEAD_STOP:
                head.append(word.rstrip(",:;"))
            break
        head.append(word)
    if not head or len(head) > 6:
        return place.name if place else None
    text = " ".join(head)
    text = text[:1].upper() + text[1:]
    if place and place.name.lower() not in text.lower():
        text += f" in {place.name}"
    return text


_ANY_KIND_CTAS = {
    "enquire": "Make an enquiry",
    "enquiry": "Make an enquiry",
    "enquiries": "Make an enquiry",
    "inquire": "Send an inquiry",
    "register": "Register now",
    "registration": "Register now",
    "donate": "Donate",
    "donations": "Donate",
    "buy": "Buy now",
    "quote": "Get a quote",
    "subscribe": "Subscribe",
    "sign up": "Sign up",
}


def _cta(index: WordIndex, kind: SiteKind) -> str:
    """The call to action the prompt asks for (its kind's wording first), or the kind's own."""
    for table in (kind.ctas, _ANY_KIND_CTAS):
        found = [(at, label) for word, label in table.items() if (at := index.at(word)) >= 0]
        if found:
            return min(found)[1]
    return kind.cta


def _founded(text: str) -> int | None:
    match = re.search(
        r"\b(?:since|established|founded|est\.|in business since|trading since)(?: in)? ((?:19|20)\d{2})", text, re.I
    )
    if match and int(match.group(1)) <= THIS_YEAR:
        return int(match.group(1))
    return None


def _event_date(text: str) -> str | None:
    match = re.search(
        r"\b(?:\d{1,2}(?:st|nd|rd|th)? )?(?:" + "|".join(_MONTHS) + r")(?: \d{1,2}(?:st|nd|rd|th)?)?,? (?:20)\d{2}",
        text,
    )
    return match.group(0) if match else None


def _days(lowered: str) -> int | None:
    match = re.search(r"\b(one|two|three|four|five|[1-5])[- ]day\b", lowered)
    return _DURATIONS[match.group(1)] if match else None


def read_brief(prompt: str, name: str | None = None) -> Brief:
    """Understand ``prompt``; raises :class:`PromptRejected` when it has no words at all."""
    words = words_of(prompt)
    if len([w for w in words if len(w) >= 2]) < MIN_WORDS:
        raise PromptRejected("The prompt has no words to build a site from; describe the business in a sentence.")
    seed = hash_int(f"{prompt}\x00{name or ''}")
    text = _clean(prompt)
    lowered = text.lower()
    index = WordIndex(text)
    body = _PREAMBLE.sub("", text, count=1)
    kind = choose_kind(body) if body != text else choose_kind(text, index)
    place = _place(text, index)
    given = _given_name(text)
    offering = _lexicon_match(index, kind.offerings) or kind.default_offering
    topic = _topic(text)
    if kind.key in ("event", "blog"):
        offering = topic
    elif kind.key == "saas" and offering == kind.default_offering and topic:
        offering = topic
    facts_at = _facts(text)
    facts = [fact[:1].upper() + fact[1:] for _, fact in facts_at]
    extras = [e[:1].upper() + e[1:] for e in _extras(text, facts, place)]
    phrase, english = _description(text, given)
    description = None
    if phrase:
        description = phrase
    tone = next((_TONES[w] for w in (w.lower() for w in words) if w in _TONES), None)
    founded = _founded(text)
    event_date = _event_date(text)
    audience = _audience(text)
    year_match = re.search(r"\b(20\d{2})\b", event_date) if event_date else None
    year = year_match.group(1) if year_match else None
    topic_for_name = None
    content_words = [
        w
        for w in words
        if w.lower() not in _ENGLISH | _FOREIGN and len(w) > 2 and not (place and w.lower() in place.name.lower())
    ]
    if kind.key == "generic" and content_words and content_words[0].lower() not in _VERB_START:
        topic_for_name = content_words[0]
    if (name or "").strip():
        business = (name or "").strip()
    elif given:
        business = given
    elif kind.key == "generic" and len(words) <= 2:
        business = title_case(" ".join(words))
    else:
        if kind.key == "generic" and phrase and english:
            head = _eyebrow(phrase, english, None)
            if head and len(head.split()) <= 3 and head.split()[0].lower() not in _VERB_START:
                topic_for_name = title_case(head)
        business = invent_name(
            kind,
            {
                "place": place.name if place else None,
                "offering": offering,
                "topic": topic or topic_for_name,
                "pool": place.country.names if place and place.country else None,
                "year": year or str(THIS_YEAR + 1),
            },
            lambda salt: hash_int(f"{seed}:{salt}"),
        )
    return Brief(
        prompt=prompt,
        kind=kind,
        business_name=business,
        offering=offering,
        topic=topic,
        place=place,
        audience=audience,
        eyebrow=_eyebrow(phrase, english, place),
        phrase=description,
        english=english,
        facts=tuple(dict.fromkeys(facts))[:6],
        extras=tuple(dict.fromkeys(extras))[:6],
        cta=_cta(index, kind),
        tone=tone,
        founded=founded,
        event_date=event_date,
        days=_days(lowered),
        seed=seed,
    )


_VERB_START = frozenset(
    "sell selling offer offering teach teaching help helping showcase show promote list book run running make "
    "making provide providing bring connect something anything everything somewhere stuff".split()
)


_NATIONALITIES = frozenset(
    "italian french spanish portuguese greek thai indian japanese chinese korean vietnamese mexican lebanese "
    "turkish german british english scottish welsh irish american canadian caribbean ethiopian moroccan "
    "persian nepalese peruvian brazilian argentinian danish swedish nordic scandinavian mediterranean "
    "christian jewish muslim catholic victorian georgian edwardian".split()
)


def _keeps_case(word: str) -> bool:
    """A first word that stays capitalised mid-sentence: a nationality, a place, an acronym."""
    bare = word.strip(",.")
    if len(bare) > 1 and any(ch.isupper() for ch in bare[1:]):
        return True
    return bare.lower() in _NATIONALITIES or place_named(bare).country is not None


def _sentence(name: str, phrase: str | None, english: bool) -> str | None:
    """``<name> is <phrase>.`` when the phrase is an English noun phrase; otherwise the phrase
    as a sentence of its own, so the words are there whatever language they are in."""
    if not phrase:
        return None
    words = phrase.split()
    first = words[0].lower()
    if not english or first in _VERB_START:
        return f"{phrase[:1].upper()}{phrase[1:]}."
    if first in ("a", "an", "the"):
        return f"{name} is {first}{phrase[len(words[0]) :]}."
    if first[:1].isdigit():
        return f"{name} is {phrase}."
    if len(words) == 1 and phrase.lower() == name.lower():
        return None
    lead = phrase if _keeps_case(words[0]) else phrase[:1].lower() + phrase[1:]
    head = []
    for word in words:
        if word.lower() in _HEAD_STOP:
            break
        head.append(word)
    last = (head or words)[-1].lower().strip(",")
    if last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return f"{name}: {lead}."
    sound = lead.lower()
    article = "an" if sound[:1] in "aeiou" and not sound.startswith(("uni", "use", "eu", "one")) else "a"
    return f"{name} is {article} {lead}."
