"""Titles and descriptions are cut by rendered pixel width, measured in fixed fonts.

The fonts are loaded from their files (Debian's fonts-liberation2 and fonts-dejavu-core,
installed by scripts/install-system-deps.sh), so the widths do not depend on what the
machine's font configuration would pick. Liberation Sans has Arial's advance widths: its
cuts are the ones a results page in Arial makes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetricsF

from codaiq_desktop.ui.seo.result_text import (
    DESKTOP,
    ELLIPSIS,
    MOBILE,
    fit_description,
    fit_text,
    fit_title,
    results_font,
)

FONT_FILES = {
    "liberation": Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    "dejavu": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
}
BAKERY = "Little Lantern | Bakery made with care in Leeds since 1998, sourdough and rye every morning"
CRUMB = "Crumb Bakery Leeds | Fresh sourdough, rye and pastries baked daily"
SNIPPET = (
    "Fresh ingredients, honest cooking and a warm welcome. Join us at Little Lantern for bakery you will "
    "want to come back for, every day of the week from seven in the morning."
)


def metrics(name: str, pixel_size: int, qapp) -> QFontMetricsF:
    path = FONT_FILES[name]
    assert path.is_file(), (
        f"{path} is missing: run scripts/install-system-deps.sh (fonts-liberation2, fonts-dejavu-core)"
    )
    font_id = QFontDatabase.addApplicationFont(str(path))
    assert font_id >= 0
    font = QFont(QFontDatabase.applicationFontFamilies(font_id)[0])
    font.setPixelSize(pixel_size)
    return QFontMetricsF(font)


@pytest.mark.parametrize(
    ("font", "text", "last_word"),
    [
        ("liberation", BAKERY, "1998,"),
        ("dejavu", BAKERY, "since"),  # a wider font: the same title is cut two words earlier
        ("liberation", CRUMB, "pastries"),
        ("dejavu", CRUMB, "and"),
    ],
)
def test_a_long_title_is_cut_after_the_last_word_that_fits_580_px(font: str, text: str, last_word: str, qapp) -> None:
    font_metrics = metrics(font, 20, qapp)
    fitted = fit_text(text, font_metrics, 580)
    assert fitted.cut
    assert fitted.last_word == last_word
    assert fitted.text.endswith(f"{last_word}{ELLIPSIS}")
    assert text.startswith(fitted.text.removesuffix(ELLIPSIS))
    assert font_metrics.horizontalAdvance(fitted.text) <= 580
    # One more word (and the ellipsis) would not have fitted.
    words = text.split()
    kept = len(fitted.text.removesuffix(ELLIPSIS).split())
    assert font_metrics.horizontalAdvance(" ".join(words[: kept + 1]) + ELLIPSIS) > 580
    assert fitted.hint("title") == (
        f"Title will be cut after \u2018{last_word}\u2019 ({fitted.width:.0f} px of about 580 px)."
    )


def test_the_description_is_cut_at_920_px(qapp) -> None:
    assert fit_text(SNIPPET, metrics("liberation", 14, qapp), 920).last_word == "week"
    assert fit_text(SNIPPET, metrics("dejavu", 14, qapp), 920).last_word == "for,"


def test_width_not_characters_decides(qapp) -> None:
    font_metrics = metrics("liberation", 20, qapp)
    narrow = fit_text("il " * 30, font_metrics, 580)  # 90 characters
    wide = fit_text("WM " * 16, font_metrics, 580)  # 48 characters
    assert not narrow.cut
    assert wide.cut
    assert narrow.hint("title").startswith("Title fits (")


def test_a_title_that_fits_is_shown_whole(qapp) -> None:
    fitted = fit_text("Crumb | Bakery in Leeds", metrics("liberation", 20, qapp), 580)
    assert not fitted.cut and fitted.text == "Crumb | Bakery in Leeds" and fitted.last_word is None
    assert fit_text("", metrics("liberation", 20, qapp), 580).hint("title").startswith("No title")


def test_one_word_wider_than_the_line_is_cut_by_characters(qapp) -> None:
    font_metrics = metrics("liberation", 20, qapp)
    fitted = fit_text("Supercalifragilisticexpialidocious" * 3, font_metrics, 300)
    assert fitted.cut and fitted.last_word is None and fitted.text.endswith(ELLIPSIS)
    assert font_metrics.horizontalAdvance(fitted.text) <= 300
    assert "first word is already too wide" in fitted.hint("title")


def test_mobile_wraps_the_title_over_two_lines_before_cutting(qapp) -> None:
    font_metrics = metrics("liberation", 18, qapp)
    fitted = fit_text(BAKERY, font_metrics, MOBILE.title.line_width, MOBILE.title.lines)
    assert len(fitted.lines) == 2 and fitted.cut
    assert fitted.lines[0] == "Little Lantern | Bakery made with care in"
    assert fitted.last_word == "rye"
    assert all(font_metrics.horizontalAdvance(line) <= MOBILE.title.line_width for line in fitted.lines)


def test_the_app_measures_in_arial_or_its_metric_twin(qapp) -> None:
    family = QFontInfo(results_font(DESKTOP.title)).family()
    assert family in ("Arial", "Liberation Sans", "Arimo"), family
    # ...so the app's own cut is Arial's cut (Liberation Sans's, measured above).
    assert fit_title(BAKERY).last_word == "1998,"
    assert fit_description(SNIPPET).last_word == "week"
