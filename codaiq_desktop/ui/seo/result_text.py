"""How much of a title or description a results page shows: cut by rendered width, not characters.

Search engines cut a result's title and snippet where the text stops fitting its box, in
pixels of their results font (Arial): an "iiii" title fits far more characters than a
"WWWW" one. So the text is laid out here with ``QFontMetricsF`` in that font, word by word,
and cut after the last whole word that fits together with the ellipsis.

Arial's metrics are what matter. Where Arial is not installed, fontconfig gives Liberation
Sans, which has the same advance widths (it was made to be metric-compatible), so the cut
lands on the same word.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontMetricsF

ELLIPSIS = " ..."
"""What results pages append where they cut (a space and three dots)."""
RESULTS_FONT_FAMILIES = ("Arial", "Liberation Sans", "Arimo", "Helvetica")


@dataclass(frozen=True)
class TextBox:
    """Where a results page puts one text: font size, line width, how many lines before it cuts."""

    pixel_size: int
    line_width: float
    lines: int = 1
    bold: bool = False

    @property
    def budget(self) -> float:
        return self.line_width * self.lines


@dataclass(frozen=True)
class ResultLayout:
    """One kind of results page (desktop or mobile) and the boxes of its title and description."""

    name: str
    title: TextBox
    description: TextBox
    card_width: int
    """How wide the preview draws the result, in pixels."""


DESKTOP = ResultLayout("desktop", title=TextBox(20, 580.0), description=TextBox(14, 920.0), card_width=600)
"""About 580 px of title in 20 px Arial and about 920 px of snippet in 14 px Arial (two lines of the result)."""
MOBILE = ResultLayout(
    "mobile", title=TextBox(18, 328.0, lines=2), description=TextBox(14, 328.0, lines=3), card_width=360
)
"""A phone's result card: about 328 px of text per line; the title wraps to 2 lines, the snippet to 3."""
LAYOUTS = {layout.name: layout for layout in (DESKTOP, MOBILE)}


@dataclass(frozen=True)
class FittedText:
    """A text as the results page shows it."""

    text: str
    """What is shown, with the ellipsis when cut."""
    lines: tuple[str, ...]
    cut: bool
    last_word: str | None
    """The last word shown before the cut (``None`` when nothing is cut or nothing fits)."""
    width: float
    """The whole text's width on one line, in pixels."""
    budget: float
    """The box: line width times lines."""

    def hint(self, what: str) -> str:
        """``title will be cut after 'Leeds'`` or ``title fits (421 of 580 px)``, for under the preview."""
        if not self.text.strip():
            return f"No {what}: the search engine will write one from the page."
        if self.cut and self.last_word:
            return (
                f"{what.capitalize()} will be cut after \u2018{self.last_word}\u2019 "
                f"({self.width:.0f} px of about {self.budget:.0f} px)."
            )
        if self.cut:
            return f"{what.capitalize()} will be cut: its first word is already too wide."
        return f"{what.capitalize()} fits ({self.width:.0f} of about {self.budget:.0f} px)."


def results_font(box: TextBox) -> QFont:
    """The results page's font (Arial or a metric twin) at the box's size."""
    font = QFont()
    font.setFamilies(list(RESULTS_FONT_FAMILIES))
    font.setPixelSize(box.pixel_size)
    font.setBold(box.bold)
    font.setKerning(True)
    return font


def fit_text(text: str, metrics: QFontMetricsF, line_width: float, lines: int = 1) -> FittedText:
    """Lay ``text`` out in ``lines`` lines of ``line_width`` px; cut after the last word that fits with the ellipsis."""
    words = text.split()
    width = metrics.horizontalAdvance(" ".join(words))
    budget = line_width * lines
    laid: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate) <= line_width:
            current = candidate
            continue
        if not current:  # one word wider than a whole line: cut it by characters
            laid.append(_cut_word(word, metrics, line_width))
            last_word = laid[-2].split()[-1] if len(laid) > 1 else None
            return FittedText(" ".join(laid), tuple(laid), True, last_word, width, budget)
        if len(laid) + 1 == lines:  # the last line is full and words remain: cut here
            shown, last_word = _cut_line(current, metrics, line_width)
            laid.append(shown)
            return FittedText(" ".join(laid), tuple(laid), True, last_word, width, budget)
        laid.append(current)
        current = word
        if metrics.horizontalAdvance(current) > line_width:
            laid.append(_cut_word(current, metrics, line_width))
            return FittedText(" ".join(laid), tuple(laid), True, laid[-2].split()[-1], width, budget)
    if current:
        laid.append(current)
    return FittedText(" ".join(laid), tuple(laid), False, None, width, budget)


def _cut_line(line: str, metrics: QFontMetricsF, line_width: float) -> tuple[str, str | None]:
    """The line shortened to whole words so that it fits with the ellipsis; (shown, last word kept)."""
    words = line.split(" ")
    while len(words) > 1 and metrics.horizontalAdvance(" ".join(words) + ELLIPSIS) > line_width:
        words.pop()
    if metrics.horizontalAdvance(" ".join(words) + ELLIPSIS) <= line_width:
        return " ".join(words) + ELLIPSIS, words[-1]
    return _cut_word(words[0], metrics, line_width), None


def _cut_word(word: str, metrics: QFontMetricsF, line_width: float) -> str:
    while word and metrics.horizontalAdvance(word + ELLIPSIS) > line_width:
        word = word[:-1]
    return word + ELLIPSIS if word else ELLIPSIS.strip()


def fit_title(text: str, layout: ResultLayout = DESKTOP) -> FittedText:
    box = layout.title
    return fit_text(text, QFontMetricsF(results_font(box)), box.line_width, box.lines)


def fit_description(text: str, layout: ResultLayout = DESKTOP) -> FittedText:
    box = layout.description
    return fit_text(text, QFontMetricsF(results_font(box)), box.line_width, box.lines)
