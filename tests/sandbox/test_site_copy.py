"""Generated sites read as written for their prompt: a table of prompts, and for each the kind
chosen, the prompt's own words on the page, the kind's own section, form questions that fit,
local details that agree, and no internal label or broken grammar anywhere."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from codaiq_desktop.sandbox.site_generator import SITE_KINDS, generate_site
from codaiq_desktop.sandbox.site_generator.kinds import KINDS_BY_KEY
from codaiq_desktop.sandbox.site_generator.reading import reuse_share, site_text
from tests.sandbox.site_prompts import CASES, FIELDS, LONG_PROMPT, NEVER_ASKED, Case


class FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()
        self.labels: list[str] = []
        self._in_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea") and attributes.get("name"):
            self.names.add(str(attributes["name"]))
        self._in_label = tag == "label"

    def handle_data(self, data: str) -> None:
        if self._in_label:
            self.labels.append(data)


def test_the_table_covers_every_kind_several_times_and_odd_prompts() -> None:
    assert len(CASES) >= 40
    kinds = [case.kind for case in CASES]
    assert set(kinds) == set(SITE_KINDS)
    assert all(kinds.count(kind) >= 2 for kind in SITE_KINDS)
    assert len(LONG_PROMPT) == 4000


@pytest.mark.parametrize("case", CASES, ids=[case.prompt[:40] for case in CASES])
def test_the_site_reads_as_written_for_its_prompt(case: Case) -> None:
    site = generate_site(case.prompt)
    assert site.kind == case.kind
    text = site_text(site.files)
    lowered = text.lower()
    for word in case.words:
        assert word.lower() in lowered, f"{word!r} is not on the site"

    # No internal label, placeholder or empty value is ever shown.
    assert not re.search(r"[{}]|\bNone\b|\bnull\b|\bundefined\b", text), re.findall(r".{20}[{}].{20}", text)
    for kind in KINDS_BY_KEY.values():
        assert kind.key not in text or "_" not in kind.key, kind.key
    assert "Local service business" not in text and "Restaurant or café" not in text

    # Grammar the generator cannot get wrong: articles agree, nothing doubled, no stray spaces.
    assert not re.search(r"\ba [aeiou]\w", text, re.I) or _only_allowed_a_vowel(text), re.findall(
        r".{15}\ba [aeiou]\w+.{10}", text
    )
    assert not re.search(r"\ban [bcdfgjklmnpqrstvwxz]\w", text, re.I), re.findall(
        r".{15}\ban [b-df-hj-np-tv-z]\w+", text
    )
    assert not re.search(r"\b(\w+) \1\b", text, re.I) or _only_allowed_doubles(text), re.findall(
        r".{10}\b(\w+) \1\b.{10}", text
    )
    assert not re.search(r" [,.;:]|\.\.|,,|  ", text)

    # The kind's own section, on its own page.
    kind = KINDS_BY_KEY[case.kind]
    offers = site.files[f"pages/{kind.page[0]}.html"].decode()
    assert f'class="kind-section {kind.section}"' in offers
    home = site.files["index.html"].decode()
    for snippet in case.extra:
        assert snippet in home or snippet in offers or snippet in site.files["pages/contact.html"].decode(), snippet

    # The form asks what fits the kind, and never anything it should not.
    contact = site.files["pages/contact.html"].decode()
    form = FormFields()
    form.feed(contact)
    details = {name.removeprefix("detail_") for name in form.names if name.startswith("detail_")}
    assert details == FIELDS[case.kind]
    assert {"name", "email", "phone", "message"} <= form.names
    assert not NEVER_ASKED.search(" ".join(form.labels))

    # Local details agree with the place.
    if case.phone is not None:
        phones = re.findall(r'<dt>Phone</dt><dd><a href="tel:[^"]+">([^<]+)</a></dd>', contact)
        if case.phone == "":
            assert phones == []
        else:
            assert phones and phones[0].startswith(case.phone), phones
    if case.money is not None:
        prices = re.findall(r'class="price">([^<]+)<', offers + home)
        assert prices, "no prices shown"
        assert all(case.money in price for price in prices if re.search(r"\d", price)), prices


def _only_allowed_a_vowel(text: str) -> bool:
    """ "a" before a vowel letter is right when the vowel sounds like a consonant ("a uniform")."""
    return all(
        word.lower().startswith(("uni", "use", "usu", "eu", "one", "once"))
        for word in re.findall(r"\ba ([aeiou]\w*)", text, re.I)
    )


def _only_allowed_doubles(text: str) -> bool:
    return all(word.isdigit() for word in re.findall(r"\b(\w+) \1\b", text, re.I))


def test_same_kind_sites_do_not_share_their_sentences() -> None:
    share, common = reuse_share(site_text(generate_site(case.prompt).files) for case in CASES)
    assert share <= 0.15, (share, common[:10])


def test_a_known_place_gives_a_local_number_and_money_an_unknown_one_neither() -> None:
    leeds = generate_site("A bakery in Leeds").files["pages/contact.html"].decode()
    assert "0113 496" in leeds and "+44" not in leeds and '<html lang="en-GB">' in leeds
    nowhere = generate_site("A bakery").files["pages/contact.html"].decode()
    assert "<dt>Phone</dt>" not in nowhere


def test_variety_comes_from_the_prompt_and_is_stable() -> None:
    first = generate_site("A plumber in Leeds")
    second = generate_site("A plumber in Sheffield")
    assert first.files == generate_site("A plumber in Leeds").files
    assert first.files["assets/hero.svg"] != second.files["assets/hero.svg"]
    people = re.compile(r"<figcaption><strong>([^<]+)</strong>")
    assert set(people.findall(first.files["index.html"].decode())) != set(
        people.findall(second.files["index.html"].decode())
    )


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("A family-run Italian restaurant in Leeds with online booking", "Book a table"),
        ("Animal rescue charity in Glasgow, please donate", "Donate"),
        ("A two-day conference on climate tech in Berlin, registration open", "Register now"),
        ("Architect in Bath, enquire about a project", "Make an enquiry"),
        ("An invoicing app for freelancers with a free trial", "Start free trial"),
    ],
)
def test_the_call_to_action_is_the_one_the_prompt_asks_for(prompt: str, action: str) -> None:
    hero = generate_site(prompt).files["components/hero.html"].decode()
    assert f'class="button" href="pages/contact.html#lead-form">{action}</a>' in hero


def test_tone_words_set_the_palette() -> None:
    import colorsys

    def saturation(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        return colorsys.rgb_to_hls(*rgb)[2]

    plain = generate_site("A hotel in Bath").palette.primary
    refined = generate_site("A luxury hotel in Bath").palette.primary
    playful = generate_site("A playful hotel in Bath").palette.primary
    assert saturation(refined) < saturation(plain) < saturation(playful)


def test_the_generate_tabs_examples_name_their_business_in_the_eyebrow() -> None:
    """The hero's eyebrow says what the business is, in the prompt's words: not the site's
    adjectives ("A warm, rustic website for a family bakery" -> "Family bakery in Leeds", not
    "Warm in Leeds") and not what the site lists after a colon."""
    from codaiq_desktop.ui.generate.generate_tab import EXAMPLE_PROMPTS

    eyebrows = []
    for prompt in EXAMPLE_PROMPTS:
        home = generate_site(prompt).files["index.html"].decode()
        found = re.search(r'<p class="eyebrow">(.*?)</p>', home)
        eyebrows.append(html.unescape(found.group(1)) if found else None)
    assert eyebrows == [
        "Project management tool",
        "Family bakery in Leeds",
        "Wedding photographer",
        "Physiotherapy clinic",
        "Two-day design conference in Lisbon",
    ]
    bakery = generate_site(EXAMPLE_PROMPTS[1])
    contact = bakery.files["pages/contact.html"].decode()
    assert 'name="detail_order"' in contact and "party_size" not in contact
    assert "Book a table" not in site_text(bakery.files)
