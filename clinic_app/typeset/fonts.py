"""Embedded Unicode fonts for generated pages, and per-run font fallback.

reportlab has no automatic glyph fallback: a Chinese name drawn in DejaVu Sans comes
out as empty boxes. So text is cut into runs by glyph coverage and each run is drawn
in the font that has its glyphs: the letters of Arabic-script, Hebrew and Indic
scripts in their own Noto font (shaped by `shaping`), everything else in the first font
of the base chain that has it (DejaVu Sans for Latin, Cyrillic, Greek; Droid Sans
Fallback for CJK). Fonts are registered from `resources/fonts` by explicit path: no
FontFinder and no pickled font cache.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from clinic_app.paths import resources_dir
from clinic_app.typeset.tounicode import MappedTTFont

SANS = "HavenSans"
SANS_BOLD = "HavenSans-Bold"
MONO = "HavenMono"  # plain-text evidence: Latin, Greek, Cyrillic in fixed cells
CJK = "HavenCJK"
ARABIC = "HavenArabic"
ARABIC_BOLD = "HavenArabic-Bold"
HEBREW = "HavenHebrew"
HEBREW_BOLD = "HavenHebrew-Bold"
DEVANAGARI = "HavenDevanagari"
DEVANAGARI_BOLD = "HavenDevanagari-Bold"
BENGALI = "HavenBengali"
TAMIL = "HavenTamil"
ETHIOPIC = "HavenEthiopic"
SYRIAC = "HavenSyriac"
GURMUKHI = "HavenGurmukhi"
GUJARATI = "HavenGujarati"
ORIYA = "HavenOriya"
TELUGU = "HavenTelugu"
KANNADA = "HavenKannada"
MALAYALAM = "HavenMalayalam"
SINHALA = "HavenSinhala"
THAI = "HavenThai"
LAO = "HavenLao"
TIBETAN = "HavenTibetan"
MYANMAR = "HavenMyanmar"
KHMER = "HavenKhmer"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
    CJK: "DroidSansFallback.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
    DEVANAGARI: "NotoSansDevanagari-Regular.ttf",
    DEVANAGARI_BOLD: "NotoSansDevanagari-Bold.ttf",
    BENGALI: "NotoSansBengali-Regular.ttf",  # no bold shipped: bold text uses the regular
    TAMIL: "NotoSansTamil-Regular.ttf",
    ETHIOPIC: "NotoSansEthiopic-Regular.ttf",  # Tigrinya, Amharic (Ge'ez script)
    # clients' scripts with a regular face only (bold text uses it), shaped like the ones above
    SYRIAC: "NotoSansSyriac-Regular.ttf",  # Syriac (Assyrian, Chaldean; right to left)
    GURMUKHI: "NotoSansGurmukhi-Regular.ttf",  # Punjabi (Gurmukhi)
    GUJARATI: "NotoSansGujarati-Regular.ttf",  # Gujarati
    ORIYA: "NotoSansOriya-Regular.ttf",  # Odia
    TELUGU: "NotoSansTelugu-Regular.ttf",  # Telugu
    KANNADA: "NotoSansKannada-Regular.ttf",  # Kannada
    MALAYALAM: "NotoSansMalayalam-Regular.ttf",  # Malayalam
    SINHALA: "NotoSansSinhala-Regular.ttf",  # Sinhala
    THAI: "NotoSansThai-Regular.ttf",  # Thai
    LAO: "NotoSansLao-Regular.ttf",  # Lao
    TIBETAN: "NotoSerifTibetan-Regular.ttf",  # Tibetan
    MYANMAR: "NotoSansMyanmar-Regular.ttf",  # Burmese, Rohingya (Myanmar script)
    KHMER: "NotoSansKhmer-Regular.ttf",  # Khmer
}
_CHAINS = {SANS: (SANS, CJK), SANS_BOLD: (SANS_BOLD, CJK), CJK: (CJK, SANS), MONO: (MONO, SANS, CJK)}

# Scripts drawn in their own font whatever the base: (first, last) code points -> (regular, bold).
_SCRIPT_RANGES: tuple[tuple[int, int, str, str], ...] = (
    (0x0590, 0x05FF, HEBREW, HEBREW_BOLD),
    (0x0600, 0x06FF, ARABIC, ARABIC_BOLD),
    (0x0700, 0x074F, SYRIAC, SYRIAC),
    (0x0750, 0x077F, ARABIC, ARABIC_BOLD),
    (0x0870, 0x08FF, ARABIC, ARABIC_BOLD),
    (0x0900, 0x097F, DEVANAGARI, DEVANAGARI_BOLD),
    (0x0980, 0x09FF, BENGALI, BENGALI),
    (0x0A00, 0x0A7F, GURMUKHI, GURMUKHI),
    (0x0A80, 0x0AFF, GUJARATI, GUJARATI),
    (0x0B00, 0x0B7F, ORIYA, ORIYA),
    (0x0B80, 0x0BFF, TAMIL, TAMIL),
    (0x0C00, 0x0C7F, TELUGU, TELUGU),
    (0x0C80, 0x0CFF, KANNADA, KANNADA),
    (0x0D00, 0x0D7F, MALAYALAM, MALAYALAM),
    (0x0D80, 0x0DFF, SINHALA, SINHALA),
    (0x0E00, 0x0E7F, THAI, THAI),
    (0x0E80, 0x0EFF, LAO, LAO),
    (0x0F00, 0x0FFF, TIBETAN, TIBETAN),
    (0x1000, 0x109F, MYANMAR, MYANMAR),
    (0x1200, 0x139F, ETHIOPIC, ETHIOPIC),
    (0x1780, 0x17FF, KHMER, KHMER),
    (0x19E0, 0x19FF, KHMER, KHMER),
    (0x2D80, 0x2DDF, ETHIOPIC, ETHIOPIC),
    (0xA8E0, 0xA8FF, DEVANAGARI, DEVANAGARI_BOLD),
    (0xA9E0, 0xA9FF, MYANMAR, MYANMAR),
    (0xAA60, 0xAA7F, MYANMAR, MYANMAR),
    (0xAB00, 0xAB2F, ETHIOPIC, ETHIOPIC),
    (0xFB1D, 0xFB4F, HEBREW, HEBREW_BOLD),
    (0xFB50, 0xFDFF, ARABIC, ARABIC_BOLD),
    (0xFE70, 0xFEFF, ARABIC, ARABIC_BOLD),
)
SCRIPT_FONTS = frozenset(f for *_r, regular, bold in _SCRIPT_RANGES for f in (regular, bold))

_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}  # registered fonts -> the code points they draw
_mapped = False

# reportlab maps <b> inside a run to the family's bold face, so a family registers whole.
_FAMILY = {font: (regular, bold) for *_r, regular, bold in _SCRIPT_RANGES for font in (regular, bold)}
# reportlab must never fetch a URL or a local file named in markup (CVE-2020-28463).
rl_config.trustedSchemes = []
rl_config.trustedHosts = []


def font_dir() -> Path:
    return resources_dir() / "fonts"


def font_file(font: str) -> str:
    """The file name in `font_dir()` of a Haven font."""
    return _FILES[font]


def ensure_fonts() -> None:
    """Register the base fonts and the bold mappings once per process (idempotent,
    thread-safe). Script and CJK fonts are registered when text first needs them: parsed,
    they hold about 30 MB a build would otherwise carry for every bundle."""
    global _mapped
    if _mapped:
        return
    coverage(SANS)
    coverage(SANS_BOLD)
    with _lock:
        # <b> inside Paragraph markup maps to the bold face; CJK has no bold, reuse it.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, SANS_BOLD)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK, bold, italic, CJK)
                for *_r, regular, heavy in _SCRIPT_RANGES:
                    addMapping(regular, bold, italic, heavy if bold else regular)
        _mapped = True


def coverage(font: str) -> frozenset[int]:
    """The code points `font` draws, registering it (and its family) on first use."""
    known = _coverage.get(font)
    if known is not None:
        return known
    with _lock:
        for name in _FAMILY.get(font, (font,)):
            if name not in _coverage:
                _register(name)
    return _coverage[font]


def load_every_font() -> None:
    """Register every Haven font now (for code that registers other fonts from the same
    files afterwards: reportlab gives a later font of a file the first one's face)."""
    ensure_fonts()
    for name in _FILES:
        coverage(name)


def _register(name: str) -> None:
    font = MappedTTFont(name, str(font_dir() / _FILES[name]))
    pdfmetrics.registerFont(font)
    if pdfmetrics.getFont(name) is not font:  # reportlab keeps the first font of a face
        raise RuntimeError(f"{_FILES[name]} was registered with reportlab before Haven's fonts: "
                           "call clinic_app.typeset.fonts.load_every_font() first")
    _coverage[name] = frozenset(font.face.charToGlyph)


def covers(font: str, char: str) -> bool:
    ensure_fonts()
    return ord(char) in coverage(font)


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
        own = script_font(code, base == SANS_BOLD)
        if own is not None and code in coverage(own):
            font = own
        else:
            font = next((f for f in _CHAINS[base] if code in coverage(f)), base)
    table[char] = font
    return font


def script_font(code: int, bold: bool = False) -> str | None:
    """The font of the script `code` belongs to, when that script has its own font."""
    if code < 0x0590:
        return None
    for first, last, regular, heavy in _SCRIPT_RANGES:
        if first <= code <= last:
            return heavy if bold else regular
    return None


def segment(text: str, base: str = SANS) -> list[tuple[str, str]]:
    """Split `text` into (font, run) pairs, each run drawable by its font.

    Marks, joiners and spaces stay with the previous character's font. Characters no
    font has (most emoji) stay in the base font: they show as a box but keep their
    Unicode value, so they are still extracted and searched correctly.
    """
    ensure_fonts()
    if _all_in_base(text, base):
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
        if current in SCRIPT_FONTS and _common(char) and ord(char) in coverage(current):
            continue  # digits and punctuation inside Arabic or Hebrew text stay in its font
        if i > start:
            runs.append((current, text[start:i]))
        current, start = font, i
    if len(text) > start:
        runs.append((current, text[start:]))
    return runs


def _common(char: str) -> bool:
    """A digit or punctuation mark: no script of its own."""
    return unicodedata.category(char)[0] in "NP" and script_font(ord(char)) is None


def _all_in_base(text: str, base: str) -> bool:
    """Printable ASCII that `base` draws whole: every character in `base`, as the walk finds."""
    return text.isascii() and text.isprintable() and _covers_ascii(base)


@functools.cache
def _covers_ascii(font: str) -> bool:
    """Whether `font` has every printable ASCII character (index lines and stamps mostly
    are ASCII, so `segment` can skip the per-character fallback walk)."""
    return all(code in coverage(font) for code in range(0x21, 0x7F))


def char_widths(font: str) -> tuple[dict[int, float], float]:
    """Advance widths in 1/1000 em, read once from the TTF (what stringWidth does per call)."""
    table = _widths.get(font)
    if table is None:
        coverage(font)
        face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
        table = _widths[font] = (dict(face.charWidths), float(face.defaultWidth))
    return table


def string_width(text: str, base: str, size: float) -> float:
    """Width in points of `text` drawn with fallback runs, unshaped (reportlab does not
    kern); `shaping.layout` measures text that needs shaping."""
    return em_width(text, base) * size / 1000.0


@functools.lru_cache(maxsize=8192)
def em_width(text: str, base: str) -> float:
    """Width in 1/1000 em; cached because wrapping measures the same words again and again."""
    return em_width_once(text, base)


def em_width_once(text: str, base: str) -> float:
    """`em_width` without the cache, for text measured once (page numbers)."""
    ensure_fonts()
    total = 0.0
    if _all_in_base(text, base):
        widths, default = char_widths(base)
        for char in text:  # added in order, as below (sum() may round otherwise)
            total += widths.get(ord(char), default)
        return total
    current = base
    for char in text:
        font = _font_for(char, base) or current
        current = font
        widths, default = char_widths(font)
        total += widths.get(ord(char), default)
    return total


def face_name(font: str) -> str:
    """The PostScript name reportlab writes as /BaseFont (after the subset tag)."""
    coverage(font)
    return pdfmetrics.getFont(font).face.name.decode("latin-1")  # type: ignore[attr-defined]
