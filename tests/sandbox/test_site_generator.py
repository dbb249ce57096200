"""The site generator: kinds, determinism, valid and accessible HTML, working relative links."""

from __future__ import annotations

import io
import posixpath
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codaiq_desktop.sandbox.site_files import HOSTED_LEAD_ENDPOINT, SiteFiles
from codaiq_desktop.sandbox.site_generator import SITE_KINDS, GenerationError, generate_site
from codaiq_desktop.sandbox.site_generator.palette import contrast_ratio, palette_for

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageAudit(HTMLParser):
    """Collects what the checks below need from one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[str] = []
        self.links: list[str] = []
        self.imgs_without_alt = 0
        self.h1 = 0
        self.html_lang: str | None = None
        self.has_title = self.has_viewport = self.has_description = False
        self.forms: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(str(attributes["id"]))
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "title":
            self.has_title = True
        if tag == "meta" and attributes.get("name") == "viewport":
            self.has_viewport = True
        if tag == "meta" and attributes.get("name") == "description" and attributes.get("content"):
            self.has_description = True
        if tag == "h1":
            self.h1 += 1
        if tag == "img" and "alt" not in attributes:  # alt="" is right for decoration
            self.imgs_without_alt += 1
        if tag == "label" and attributes.get("for"):
            self.label_for.add(str(attributes["for"]))
        if tag in ("input", "textarea", "select"):
            self.controls.append(str(attributes.get("id")))
        if tag == "form":
            self.forms.append(attributes)
        for attribute in ("href", "src"):
            if attributes.get(attribute):
                self.links.append(str(attributes[attribute]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


def audit(html: str) -> PageAudit:
    page = PageAudit()
    page.feed(html)
    page.close()
    if page.stack:
        page.problems.append(f"unclosed: {page.stack}")
    return page


PROMPTS_BY_KIND = {
    "restaurant": "A cosy Italian restaurant in Leeds with wood-fired pizza",
    "bakery": "A family bakery in York with sourdough and celebration cakes",
    "trades": "Emergency plumber serving Bristol and the surrounding area",
    "clinic": "A dental clinic in Toronto, wheelchair accessible, open until 8pm",
    "wellness": "A yoga studio in Bristol with small classes",
    "salon": "Barbershop in Brooklyn, walk-ins welcome",
    "legal": "Family law solicitors in Manchester offering a free first consultation",
    "accounting": "Accountant for freelancers and small businesses in Cardiff",
    "photography": "Portfolio for a wedding photographer in Lisbon",
    "design": "Brand identity designer in Berlin working with startups",
    "saas": "A modern SaaS landing page for a project management tool",
    "shop": "An online shop selling handmade candles",
    "event": "A two-day conference on climate tech in Berlin in June 2028",
    "hotel": "Dog-friendly bed and breakfast in Cornwall with sea views",
    "nonprofit": "Animal rescue charity in Glasgow that rehomes dogs and cats",
    "education": "Summer camp for kids in Vermont with canoeing and archery",
    "real_estate": "Estate agent in Brighton specialising in period homes",
    "blog": "A blog about sourdough recipes and bread baking",
    "generic": "Fahrradwerkstatt in Berlin mit Abholservice",
}


def test_there_are_many_kinds() -> None:
    assert len(SITE_KINDS) >= 15
    assert set(PROMPTS_BY_KIND) == set(SITE_KINDS)


def test_every_kind_has_a_picture_of_its_own() -> None:
    """An unknown motif falls back to a generic spark: each kind must name a drawn one."""
    from codaiq_desktop.sandbox.site_generator.art import _MOTIFS
    from codaiq_desktop.sandbox.site_generator.kinds import KINDS

    assert {kind.key: kind.motif in _MOTIFS for kind in KINDS} == {kind.key: True for kind in KINDS}
    # A bakery is not a restaurant: a cake, not a plate with cutlery.
    assert {kind.key: kind.motif for kind in KINDS}["bakery"] == "cake"


@pytest.mark.parametrize(("kind", "prompt"), sorted(PROMPTS_BY_KIND.items()))
def test_prompt_selects_the_kind(kind, prompt) -> None:
    assert generate_site(prompt).kind == kind


@pytest.mark.parametrize("prompt", sorted(PROMPTS_BY_KIND.values()))
def test_every_kind_builds_a_complete_valid_accessible_site(prompt) -> None:
    site = generate_site(prompt)
    files = site.files
    for required in (
        "index.html",
        "pages/about.html",
        "pages/contact.html",
        "styles/main.css",
        "assets/logo.svg",
        "assets/favicon.svg",
    ):
        assert required in files, required
    assert sum(1 for path in files if path.startswith("pages/")) == 4  # about, the kind's page, contact, thanks
    for component in ("header", "footer", "hero", "features", "testimonials", "cta", "lead-form"):
        assert f"components/{component}.html" in files
    for path, content in files.items():
        if path.endswith(".svg"):
            ET.fromstring(content)  # well-formed XML
        if not path.endswith(".html"):
            continue
        html = content.decode("utf-8")
        page = audit(html)
        assert not page.problems, (path, page.problems)
        assert len(page.ids) == len(set(page.ids)), (path, "duplicate ids")
        assert page.imgs_without_alt == 0, path
        assert all(control in page.label_for for control in page.controls), path
        if path.startswith("components/"):
            continue
        assert html.startswith("<!doctype html>"), path
        assert (
            (page.html_lang or "").startswith("en") and page.has_title and page.has_viewport and page.has_description
        ), path
        assert page.h1 == 1, path
        assert 'class="skip-link" href="#main"' in html and "main" in page.ids


@pytest.mark.parametrize("prompt", sorted(PROMPTS_BY_KIND.values()))
def test_every_relative_link_points_at_a_generated_file(prompt) -> None:
    site = generate_site(prompt)
    for path, content in site.files.items():
        if not path.endswith(".html") or path.startswith("components/"):
            continue
        page = audit(content.decode("utf-8"))
        for link in page.links:
            if link.startswith(("mailto:", "tel:", "http://", "https://", "#")):
                continue
            target, _, fragment = link.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in site.files, (path, link)
            if fragment:
                assert f'id="{fragment}"' in site.files[resolved].decode(), (path, link)
        for form in page.forms:
            action = posixpath.normpath(posixpath.join(posixpath.dirname(path), str(form["action"])))
            assert action == "lead" and form["method"] == "post", (path, form)


def test_generation_is_deterministic_for_prompt_and_name() -> None:
    first = generate_site("A bakery in York", "Crumb & Co")
    again = generate_site("A bakery in York", "Crumb & Co")
    assert first.files == again.files
    assert generate_site("A bakery in York", "Other Name").files != first.files
    assert generate_site("A bakery in Hull", "Crumb & Co").files != first.files


def test_the_name_is_used_and_escaped() -> None:
    site = generate_site("An agency", "<script>alert(1)</script> & Sons")
    home = site.files["index.html"].decode()
    assert "<script>" not in home and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons" in home
    assert site.business_name == "<script>alert(1)</script> & Sons"


def test_a_name_in_the_prompt_is_picked_up() -> None:
    assert generate_site("Website for a bakery called Crumb Club in York").business_name == "Crumb Club"
    assert generate_site('A yoga studio named "Still Point"').business_name == "Still Point"


@pytest.mark.parametrize("prompt", ["1234", "!!! ???", "🙂🙂🙂", "42 - 7"])
def test_prompts_without_words_are_rejected(prompt) -> None:
    with pytest.raises(GenerationError, match="no words"):
        generate_site(prompt)


@given(hue=st.floats(min_value=0, max_value=360, allow_nan=False))
def test_every_palette_meets_aa_contrast(hue) -> None:
    palette = palette_for(hue)
    for what, foreground, background in palette.text_pairs():
        assert contrast_ratio(foreground, background) >= 4.5, (what, hue)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prompt=st.text(min_size=1, max_size=300).filter(lambda text: any(c.isalpha() for c in text)),
    name=st.none() | st.text(min_size=1, max_size=60),
)
def test_any_prompt_with_letters_builds_or_is_rejected_cleanly(prompt, name) -> None:
    try:
        site = generate_site(prompt, name)
    except GenerationError:
        return
    assert site.files["index.html"].startswith(b"<!doctype html>")
    assert not audit(site.files["index.html"].decode()).problems


def test_the_exported_folder_opens_from_disk(tmp_path: Path) -> None:
    site = generate_site(PROMPTS_BY_KIND["shop"])
    store = SiteFiles(tmp_path / "sites")
    store.write("web_test", site.files)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(store.export_chunks("web_test"))))
    assert archive.testzip() is None
    out = tmp_path / "unzipped"
    archive.extractall(out)
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == set(site.files)
    for html_file in out.rglob("*.html"):
        if "components" in html_file.parts:
            continue
        page = audit(html_file.read_text(encoding="utf-8"))
        for link in page.links:
            if link.startswith(("mailto:", "tel:", "http", "#")):
                continue
            assert (html_file.parent / link.partition("#")[0]).resolve().is_file(), (html_file, link)
        for form in page.forms:
            assert form["action"] == HOSTED_LEAD_ENDPOINT and form["data-website-id"] == "web_test"
