"""Colour palettes derived from a hue, checked against WCAG contrast.

Every text/background pair the stylesheet uses is pushed until it reaches at least 4.5:1
(the AA level for body text), so any prompt gives a readable site.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

AA_CONTRAST = 4.5


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255


def relative_luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def hsl(hue: float, saturation: float, lightness: float) -> str:
    return _hex(colorsys.hls_to_rgb((hue % 360) / 360, lightness, saturation))


def darken_until(hue: float, saturation: float, lightness: float, against: str, ratio: float = AA_CONTRAST) -> str:
    """The colour at ``hue``/``saturation`` nearest ``lightness`` that contrasts ``ratio`` with ``against``."""
    step = -0.02 if relative_luminance(against) > 0.18 else 0.02
    colour = hsl(hue, saturation, lightness)
    while contrast_ratio(colour, against) < ratio and 0.0 < lightness < 1.0:
        lightness = min(1.0, max(0.0, lightness + step))
        colour = hsl(hue, saturation, lightness)
    return colour


@dataclass(frozen=True)
class Palette:
    """The site's colours; every text pairing in :meth:`text_pairs` meets WCAG AA."""

    primary: str  # buttons, links; white text on it reads at AA
    primary_dark: str  # hover, hero background
    accent: str  # decoration only (never behind text)
    background: str
    surface: str  # cards
    text: str
    muted: str  # secondary text; AA on background and surface
    on_primary: str = "#ffffff"

    def css_variables(self) -> str:
        pairs = {
            "--color-primary": self.primary,
            "--color-primary-dark": self.primary_dark,
            "--color-accent": self.accent,
            "--color-bg": self.background,
            "--color-surface": self.surface,
            "--color-text": self.text,
            "--color-muted": self.muted,
            "--color-on-primary": self.on_primary,
        }
        return "\n".join(f"  {name}: {value};" for name, value in pairs.items())

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """``(what, foreground, background)`` for every text pairing the stylesheet uses."""
        return [
            ("body text", self.text, self.background),
            ("card text", self.text, self.surface),
            ("muted text", self.muted, self.background),
            ("muted on card", self.muted, self.surface),
            ("button", self.on_primary, self.primary),
            ("hero", self.on_primary, self.primary_dark),
            ("links", self.primary, self.background),
            ("links on card", self.primary, self.surface),
        ]


def palette_for(hue: float, saturation: float = 0.62) -> Palette:
    background = hsl(hue, 0.35, 0.98)
    surface = "#ffffff"
    # Links sit on both the background and white cards: check the lighter of the two.
    primary = darken_until(hue, saturation, 0.45, surface)
    primary = darken_until(hue, saturation, _lightness(primary), background)
    primary_dark = darken_until(hue, saturation, 0.28, "#ffffff", 7.0)
    accent = hsl(hue + 150, 0.7, 0.6)
    text = darken_until(hue, 0.25, 0.14, background, 12.0)
    muted = darken_until(hue, 0.12, 0.42, background, AA_CONTRAST + 0.3)
    return Palette(primary, primary_dark, accent, background, surface, text, muted)


def _lightness(hex_colour: str) -> float:
    return colorsys.rgb_to_hls(*_rgb(hex_colour))[1]
