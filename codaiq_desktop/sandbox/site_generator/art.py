"""Generated illustrations: a hero picture for each kind, and scenes for galleries, case
studies and products. Shapes come from the kind's motif, colours from the palette, and
positions, sizes and patterns from the prompt's hash, so no two sites share a picture.
"""

from __future__ import annotations

from collections.abc import Callable

from codaiq_desktop.sandbox.site_generator.palette import Palette, hsl

Number = Callable[[str], int]

_MOTIFS: dict[str, str] = {
    "plate": (
        '<ellipse cx="240" cy="200" rx="150" ry="100" fill="#ffffff"/>'
        '<ellipse cx="240" cy="195" rx="100" ry="64" fill="{accent}"/>'
        '<circle cx="215" cy="182" r="24" fill="{primary}"/><circle cx="268" cy="204" r="18" fill="#ffffff"/>'
        '<rect x="62" y="120" width="10" height="150" rx="5" fill="#ffffff"/>'
        '<rect x="408" y="120" width="10" height="150" rx="5" fill="#ffffff"/>'
    ),
    "cake": (
        '<ellipse cx="240" cy="300" rx="160" ry="20" fill="#ffffff" opacity="0.9"/>'
        '<rect x="125" y="210" width="230" height="88" rx="14" fill="#ffffff"/>'
        '<rect x="125" y="210" width="230" height="24" rx="12" fill="{accent}"/>'
        '<rect x="168" y="140" width="144" height="74" rx="12" fill="#ffffff"/>'
        '<rect x="168" y="140" width="144" height="20" rx="10" fill="{accent}"/>'
        '<circle cx="170" cy="262" r="7" fill="{primary}"/><circle cx="215" cy="272" r="7" fill="{accent}"/>'
        '<circle cx="265" cy="262" r="7" fill="{primary}"/><circle cx="310" cy="272" r="7" fill="{accent}"/>'
        '<rect x="234" y="96" width="12" height="46" rx="4" fill="#ffffff"/>'
        '<path d="M240 66 C254 82 250 94 240 96 C230 94 226 82 240 66 Z" fill="{accent}"/>'
    ),
    "house": (
        '<polygon points="240,70 390,190 90,190" fill="{accent}"/>'
        '<rect x="125" y="190" width="230" height="125" fill="#ffffff"/>'
        '<rect x="215" y="238" width="50" height="77" fill="{primary}"/>'
        '<rect x="150" y="215" width="40" height="36" fill="{accent}"/><rect x="290" y="215" width="40" height="36" fill="{accent}"/>'
    ),
    "cross": (
        '<circle cx="240" cy="185" r="115" fill="#ffffff"/>'
        '<rect x="212" y="115" width="56" height="140" rx="10" fill="{primary}"/>'
        '<rect x="170" y="157" width="140" height="56" rx="10" fill="{primary}"/>'
        '<circle cx="340" cy="95" r="22" fill="{accent}"/>'
    ),
    "leaf": (
        '<circle cx="240" cy="190" r="120" fill="#ffffff" opacity="0.95"/>'
        '<path d="M240 290 C160 230 170 130 240 80 C310 130 320 230 240 290 Z" fill="{accent}"/>'
        '<path d="M240 285 L240 110" stroke="{primary}" stroke-width="6" stroke-linecap="round"/>'
    ),
    "scissors": (
        '<circle cx="180" cy="250" r="40" fill="none" stroke="#ffffff" stroke-width="16"/>'
        '<circle cx="300" cy="250" r="40" fill="none" stroke="#ffffff" stroke-width="16"/>'
        '<path d="M205 220 L300 80 M275 220 L180 80" stroke="{accent}" stroke-width="16" stroke-linecap="round"/>'
    ),
    "scales": (
        '<rect x="232" y="80" width="16" height="220" fill="#ffffff"/>'
        '<rect x="150" y="300" width="180" height="16" rx="8" fill="#ffffff"/>'
        '<rect x="120" y="110" width="240" height="12" rx="6" fill="{accent}"/>'
        '<path d="M110 200 a50 30 0 0 0 100 0 Z" fill="#ffffff"/><path d="M270 200 a50 30 0 0 0 100 0 Z" fill="#ffffff"/>'
    ),
    "chart": (
        '<rect x="60" y="60" width="360" height="240" rx="18" fill="#ffffff"/>'
        '<rect x="100" y="{h1}" width="40" height="{b1}" rx="6" fill="{accent}"/>'
        '<rect x="170" y="{h2}" width="40" height="{b2}" rx="6" fill="{primary}"/>'
        '<rect x="240" y="{h3}" width="40" height="{b3}" rx="6" fill="{accent}"/>'
        '<rect x="310" y="{h4}" width="40" height="{b4}" rx="6" fill="{primary}"/>'
    ),
    "camera": (
        '<rect x="100" y="120" width="280" height="180" rx="24" fill="#ffffff"/>'
        '<rect x="180" y="95" width="90" height="40" rx="10" fill="#ffffff"/>'
        '<circle cx="240" cy="210" r="62" fill="{primary}"/><circle cx="240" cy="210" r="36" fill="{accent}"/>'
        '<circle cx="340" cy="150" r="10" fill="{accent}"/>'
    ),
    "frame": (
        '<rect x="70" y="70" width="150" height="200" rx="8" fill="#ffffff"/>'
        '<rect x="90" y="90" width="110" height="160" fill="{accent}"/>'
        '<rect x="250" y="110" width="160" height="120" rx="8" fill="#ffffff"/>'
        '<circle cx="330" cy="170" r="38" fill="{primary}"/>'
    ),
    "bag": (
        '<rect x="130" y="120" width="220" height="200" rx="20" fill="#ffffff"/>'
        '<path d="M190 120 a50 50 0 0 1 100 0" fill="none" stroke="{accent}" stroke-width="14"/>'
        '<rect x="200" y="190" width="80" height="70" rx="10" fill="{primary}"/>'
    ),
    "ticket": (
        '<rect x="70" y="110" width="340" height="150" rx="18" fill="#ffffff"/>'
        '<line x1="300" y1="120" x2="300" y2="250" stroke="{accent}" stroke-width="6" stroke-dasharray="10 10"/>'
        '<rect x="100" y="150" width="160" height="20" rx="10" fill="{primary}"/>'
        '<rect x="100" y="190" width="110" height="16" rx="8" fill="{accent}"/>'
    ),
    "bed": (
        '<rect x="80" y="190" width="320" height="80" rx="14" fill="#ffffff"/>'
        '<rect x="80" y="130" width="24" height="170" rx="8" fill="#ffffff"/>'
        '<rect x="120" y="160" width="90" height="40" rx="16" fill="{accent}"/>'
        '<rect x="210" y="175" width="190" height="30" rx="12" fill="{primary}"/>'
        '<circle cx="370" cy="90" r="26" fill="{accent}"/>'
    ),
    "heart": (
        '<path d="M240 300 C120 220 100 150 150 110 C190 80 230 100 240 130 C250 100 290 80 330 110 '
        'C380 150 360 220 240 300 Z" fill="#ffffff"/>'
        '<circle cx="240" cy="185" r="34" fill="{accent}"/>'
    ),
    "book": (
        '<path d="M240 110 C200 90 130 90 90 105 L90 290 C130 275 200 275 240 295 Z" fill="#ffffff"/>'
        '<path d="M240 110 C280 90 350 90 390 105 L390 290 C350 275 280 275 240 295 Z" fill="#ffffff" opacity="0.9"/>'
        '<rect x="120" y="150" width="90" height="10" rx="5" fill="{accent}"/>'
        '<rect x="270" y="150" width="90" height="10" rx="5" fill="{primary}"/>'
    ),
    "page": (
        '<rect x="90" y="70" width="150" height="230" rx="10" fill="#ffffff"/>'
        '<rect x="240" y="70" width="150" height="230" rx="10" fill="#ffffff"/>'
        '<rect x="115" y="110" width="100" height="10" rx="5" fill="{accent}"/>'
        '<rect x="265" y="110" width="100" height="10" rx="5" fill="{primary}"/>'
    ),
    "spark": (
        '<circle cx="240" cy="180" r="110" fill="#ffffff"/>'
        '<path d="M240 90 L262 160 L335 180 L262 200 L240 270 L218 200 L145 180 L218 160 Z" fill="{accent}"/>'
    ),
}


def _pattern(palette: Palette, number: Number, salt: str) -> str:
    """A scatter of soft circles or stripes behind the motif, placed by the hash."""
    style = number(f"{salt}:style") % 3
    shapes = []
    if style == 0:
        for i in range(7):
            x, y = number(f"{salt}:x{i}") % 480, number(f"{salt}:y{i}") % 360
            r = 12 + number(f"{salt}:r{i}") % 46
            shapes.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{palette.accent}" opacity="0.22"/>')
    elif style == 1:
        gap = 28 + number(f"{salt}:gap") % 30
        for i in range(0, 900, gap):
            shapes.append(
                f'<line x1="{i - 360}" y1="360" x2="{i}" y2="0" stroke="#ffffff" stroke-width="6" opacity="0.12"/>'
            )
    else:
        step = 30 + number(f"{salt}:dot") % 20
        for x in range(step // 2, 480, step):
            for y in range(step // 2, 360, step):
                shapes.append(f'<circle cx="{x}" cy="{y}" r="3" fill="#ffffff" opacity="0.18"/>')
    return "".join(shapes)


def hero_art(motif: str, palette: Palette, number: Number) -> str:
    heights = [60 + number(f"bar{i}") % 150 for i in range(4)]
    shapes = _MOTIFS.get(motif, _MOTIFS["spark"]).format(
        accent=palette.accent,
        primary=palette.primary,
        **{f"b{i + 1}": h for i, h in enumerate(heights)},
        **{f"h{i + 1}": 275 - h for i, h in enumerate(heights)},
    )
    tilt = number("tilt") % 9 - 4
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 360" width="480" height="360" aria-hidden="true">'
        f'<rect width="480" height="360" rx="28" fill="{palette.primary}"/>{_pattern(palette, number, "hero")}'
        f'<g transform="rotate({tilt} 240 180)">{shapes}</g></svg>\n'
    )


def scene_art(motif: str, palette: Palette, number: Number, index: int) -> str:
    """A small landscape-like picture: sky, sun, hills and a subject, different for each index."""
    salt = f"scene{index}"
    hue = (number(f"{salt}:hue") % 90) - 45
    base = _hue_of(palette)
    sky = hsl(base + hue, 0.55, 0.78 + (number(f"{salt}:light") % 12) / 100)
    hill = hsl(base + hue + 40, 0.45, 0.45)
    far = hsl(base + hue + 20, 0.35, 0.62)
    sun_x, sun_y = 60 + number(f"{salt}:sx") % 280, 40 + number(f"{salt}:sy") % 90
    peak1, peak2 = 120 + number(f"{salt}:p1") % 80, 140 + number(f"{salt}:p2") % 80
    subject = ""
    if motif in ("camera", "frame"):
        x = 120 + number(f"{salt}:fx") % 160
        subject = (
            f'<circle cx="{x}" cy="{205 - number(f"{salt}:fy") % 20}" r="14" fill="{palette.primary_dark}"/>'
            f'<rect x="{x - 14}" y="{220 - number(f"{salt}:fy") % 20}" width="28" height="50" rx="12" fill="{palette.primary_dark}"/>'
        )
        if number(f"{salt}:pair") % 2:
            subject += (
                f'<circle cx="{x + 36}" cy="{208 - number(f"{salt}:fy") % 20}" r="13" fill="{palette.accent}"/>'
                f'<rect x="{x + 23}" y="{222 - number(f"{salt}:fy") % 20}" width="26" height="48" rx="12" fill="{palette.accent}"/>'
            )
    elif motif == "bag":
        subject = (
            f'<rect x="150" y="150" width="100" height="110" rx="14" fill="#ffffff"/>'
            f'<rect x="170" y="{130 + number(f"{salt}:lid") % 20}" width="60" height="24" rx="8" fill="{palette.primary_dark}"/>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" aria-hidden="true">'
        f'<rect width="400" height="300" fill="{sky}"/>'
        f'<circle cx="{sun_x}" cy="{sun_y}" r="{22 + number(f"{salt}:sr") % 18}" fill="#ffffff" opacity="0.85"/>'
        f'<path d="M0 300 L0 {peak1 + 60} Q 120 {peak1} 220 {peak1 + 50} T 400 {peak2 + 40} L400 300 Z" fill="{far}"/>'
        f'<path d="M0 300 L0 {peak2 + 110} Q 160 {peak2 + 50} 300 {peak2 + 100} T 400 {peak2 + 90} L400 300 Z" fill="{hill}"/>'
        f"{subject}</svg>\n"
    )


def _hue_of(palette: Palette) -> float:
    import colorsys

    value = palette.primary.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360
