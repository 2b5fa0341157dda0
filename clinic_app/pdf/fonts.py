"""Embedded Unicode fonts for generated pages, and per-run font fallback.

reportlab has no automatic glyph fallback: a Chinese name drawn in DejaVu Sans comes
out as empty boxes. So text is cut into runs by glyph coverage and each run is drawn
in the first font of the chain that has its glyphs (DejaVu Sans for Latin, Cyrillic,
Greek, Hebrew, Arabic; Droid Sans Fallback for CJK). Fonts are registered from
`resources/fonts` by explicit path: no FontFinder and no pickled font cache.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from clinic_app.paths import resources_dir

SANS = "HavenSans"
SANS_BOLD = "HavenSans-Bold"
CJK = "HavenCJK"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
}
_CHAINS = {SANS: (SANS, CJK), SANS_BOLD: (SANS_BOLD, CJK), CJK: (CJK, SANS)}

_lock = threading.Lock()
_coverage: dict[str, frozenset[int] | set[int]] = {}

# reportlab must never fetch a URL or a local file named in markup (CVE-2020-28463).
rl_config.trustedSchemes = []
rl_config.trustedHosts = []


def font_dir() -> Path:
    return resources_dir() / "fonts"


def ensure_fonts() -> None:
    """Register the Haven fonts once per process (idempotent, thread-safe)."""
    if len(_coverage) == len(_FILES):
        return
    with _lock:
        for name, filename in _FILES.items():
            if name in _coverage:
                continue
            font = TTFont(name, str(font_dir() / filename))
            pdfmetrics.registerFont(font)
            _coverage[name] = frozenset(font.face.charToGlyph)
        # <b> inside Paragraph markup maps to the bold face; CJK has no bold, reuse it.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, SANS_BOLD)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK, bold, italic, CJK)


def covers(font: str, char: str) -> bool:
    ensure_fonts()
    return ord(char) in _coverage[font]


_ATTACH_CATEGORIES = frozenset(("Mn", "Me", "Cf"))
_choice: dict[str, dict[str, str | None]] = {}  # base -> char -> font (None: attaches)
_widths: dict[str, tuple[dict[int, float], float]] = {}


def _font_for(char: str, base: str) -> str | None:
    """The font drawing `char` in a run based on `base`; None for marks and spaces."""
    table = _choice.setdefault(base, {})
    try:
        return table[char]
    except KeyError:
        pass
    if char.isspace() or unicodedata.category(char) in _ATTACH_CATEGORIES:
        font: str | None = None
    else:
        code = ord(char)
        font = next((f for f in _CHAINS[base] if code in _coverage[f]), base)
    table[char] = font
    return font


def segment(text: str, base: str = SANS) -> list[tuple[str, str]]:
    """Split `text` into (font, run) pairs, each run drawable by its font.

    Marks, joiners and spaces stay with the previous character's font. Characters no
    font has (most emoji) stay in the base font: they show as a box but keep their
    Unicode value, so they are still extracted and searched correctly.
    """
    ensure_fonts()
    if text.isascii() and text.isprintable() and _covers_ascii(base):
        return [(base, text)] if text else []  # what the walk gives, without a lookup per char
    return _walk(text, base)


def _walk(text: str, base: str) -> list[tuple[str, str]]:
    """`segment`'s general rule, character by character."""
    runs: list[tuple[str, str]] = []
    current, start = base, 0
    for i, char in enumerate(text):
        font = _font_for(char, base)
        if font is None or font == current:
            continue
        if i > start:
            runs.append((current, text[start:i]))
        current, start = font, i
    if len(text) > start:
        runs.append((current, text[start:]))
    return runs


@functools.cache
def _covers_ascii(font: str) -> bool:
    """Whether `font` has every printable ASCII character (index lines and stamps mostly
    are ASCII, so `segment` can skip the per-character fallback walk)."""
    return all(code in _coverage[font] for code in range(0x21, 0x7F))


def char_widths(font: str) -> tuple[dict[int, float], float]:
    """Advance widths in 1/1000 em, read once from the TTF (what stringWidth does per call)."""
    table = _widths.get(font)
    if table is None:
        face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
        table = _widths[font] = (dict(face.charWidths), float(face.defaultWidth))
    return table


def string_width(text: str, base: str, size: float) -> float:
    """Width in points of `text` drawn with fallback runs (reportlab does not kern)."""
    return _em_width(text, base) * size / 1000.0


@functools.lru_cache(maxsize=8192)
def _em_width(text: str, base: str) -> float:
    """Width in 1/1000 em; cached because wrapping measures the same words again and again."""
    ensure_fonts()
    total = 0.0
    current = base
    for char in text:
        font = _font_for(char, base) or current
        current = font
        widths, default = char_widths(font)
        total += widths.get(ord(char), default)
    return total


def face_name(font: str) -> str:
    """The PostScript name reportlab writes as /BaseFont (after the subset tag)."""
    ensure_fonts()
    return pdfmetrics.getFont(font).face.name.decode("latin-1")  # type: ignore[attr-defined]
