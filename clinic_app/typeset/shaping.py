"""Lines of text laid out for drawing: bidi order by python-bidi, glyphs by HarfBuzz.

reportlab draws one character after another, left to right. That is right for Latin,
Cyrillic and Chinese, which take the fast path here (runs of characters in their fonts,
as `fonts.segment` cuts them). A line with right-to-left text, combining marks or a
script whose letters change shape (Arabic, Persian, Urdu, Hebrew with points, Devanagari,
Bengali, Tamil) is laid out properly instead:

1. embedding levels from the Unicode Bidirectional Algorithm (python-bidi, which wraps
   the `unicode-bidi` crate: UAX #9 in full, brackets and isolates included);
2. the line cut into runs of one font and one level, each shaped by HarfBuzz in its
   direction (joining, ligatures, mark positioning, mirrored brackets);
3. the runs put in visual order (rule L2 of UAX #9, applied to the shaped runs as every
   HarfBuzz client must).

A wrapped paragraph keeps one base direction on all its lines (UAX #9 resolves it once,
rule P2/P3, before lines are broken): a line whose own first strong character would give
it the other direction starts with a left-to-right or right-to-left mark (`directed`).
That mark is what P2 itself reads, so the string means the same to any bidi reader;
`layout` takes it as the line's base direction and draws nothing for it. Bidi marks
never reach the text layer: they are invisible and readers order text by position.

A shaped glyph is drawn through its font's key character (`tounicode.MappedTTFont.key`),
whose /ToUnicode entry is the text of the glyph's cluster, so readers get the text back.
Sizes here are in 1/1000 em, as in PDF font metrics.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import uharfbuzz as hb
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from clinic_app.typeset import fonts

_RTL_CLASSES = frozenset(("R", "AL", "AN", "RLE", "RLO", "RLI", "FSI"))
_MARKS = frozenset(("Mn", "Mc", "Me", "Cf"))
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_PARAGRAPH = re.compile(r"ParagraphInfo \{\s*range: [^,]*,\s*level: Level\(\s*(\d+)")
LRM, RLM = "\u200e", "\u200f"  # the marks that set a line's base direction (see `directed`)
_MARK_DIRECTION = {LRM: "L", RLM: "R"}
_BIDI_MARKS = frozenset((LRM, RLM, "\u061c"))  # invisible, never in the text layer


@dataclass(frozen=True)
class Run:
    """Part of a line in one font. `keys` are the characters reportlab draws; `shape`
    holds each glyph's position when the run was shaped (None: the font's own widths)."""

    font: str
    keys: str
    width: float  # 1/1000 em
    text: str  # the logical text the run shows
    shape: tuple[ShapeData, ...] | None = None
    rtl: bool = False  # drawn right to left (an odd embedding level)

    def drawable(self) -> str:
        """What to pass to reportlab's textOut: a ShapedStr positions every glyph."""
        return ShapedStr(self.keys, shapeData=list(self.shape)) if self.shape else self.keys


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]  # in visual order, left to right
    width: float  # 1/1000 em
    text: str  # the logical text
    shaped: bool  # laid out by HarfBuzz (and, with RTL text, reordered)

    def points(self, size: float) -> float:
        return self.width * size / 1000.0


def needs_shaping(text: str) -> bool:
    """Whether `text` has right-to-left text, marks, format characters or a script with its
    own font (the fast path would draw those wrongly)."""
    if text.isascii():
        return False
    return any(_complex_char(c) for c in text)


@functools.cache
def _complex_char(char: str) -> bool:
    code = ord(char)
    if code < 0x0300:
        return False
    return (
        unicodedata.bidirectional(char) in _RTL_CLASSES
        or unicodedata.category(char) in _MARKS
        or fonts.script_font(code) is not None
    )


def paragraph_direction(text: str) -> str:
    """"L" or "R": the base direction UAX #9 gives the paragraph `text` (rules P2/P3: its
    first strong character outside isolates, left to right when it has none)."""
    if not any(_rtl_char(c) for c in text):
        return "L"
    found = _PARAGRAPH.search(get_display(text, debug=True))
    if found is None:
        raise RuntimeError("python-bidi did not report the paragraph's level")
    return "R" if int(found.group(1)) % 2 else "L"


def directed(line: str, direction: str) -> str:
    """`line`, one line of a paragraph whose base direction is `direction`, marked so it
    is laid out in that direction (a line cut from a paragraph may start with a strong
    character of the other direction). Unmarked when nothing could change."""
    if line[:1] in _MARK_DIRECTION:
        line = line[1:]  # the paragraph's own leading mark: it decided `direction` already
    if direction == "L" and not any(_rtl_char(c) for c in line):
        return line
    return (LRM if direction == "L" else RLM) + line


def _rtl_char(char: str) -> bool:
    return char > "\u058f" and unicodedata.bidirectional(char) in _RTL_CLASSES


def layout(text: str, base: str = fonts.SANS) -> Line:
    """`text` (one line, logical order) laid out in fonts based on `base`; a leading
    LRM or RLM sets its base direction (otherwise rule P2/P3 on the line)."""
    if text.isdigit() and text.isascii():  # a page number: drawn once, not worth a cache entry
        return _plain(text, base, fonts.em_width_once)  # (5,000 of them held 3 MB to the end)
    return _layout(text, base)


def _plain(text: str, base: str, em_width: Callable[[str, str], float]) -> Line:
    """A line that needs no shaping: runs by font fallback, measured by `em_width` (scaled
    as fonts.string_width(run, font, 1000.0) scales it, so the floats are the same)."""
    runs = tuple(Run(font, run, em_width(run, font) * 1000.0 / 1000.0, run)
                 for font, run in fonts.segment(text, base))
    return Line(runs, sum(r.width for r in runs), text, False)


@functools.lru_cache(maxsize=8192)
def _layout(text: str, base: str) -> Line:
    fonts.ensure_fonts()
    direction = _MARK_DIRECTION.get(text[:1])
    if direction is not None:
        text = text[1:]
    if not needs_shaping(text) and direction != "R":
        return _plain(text, base, fonts.em_width)
    levels = _levels(text, direction)
    pieces: list[tuple[int, Run]] = []
    at = 0
    for font, run in fonts.segment(text, base):
        for start, end, level in _level_runs(levels, at, at + len(run)):
            pieces.append((level, _shape(text, start, end, font, level % 2 == 1)))
        at += len(run)
    runs = tuple(_visual_order(pieces))
    return Line(runs, sum(r.width for r in runs), text, True)


def _levels(text: str, direction: str | None = None) -> list[int]:
    """The resolved embedding level of every character (UAX #9, by python-bidi), in a
    paragraph of base `direction` ("L", "R"; None: rule P2/P3 on `text`)."""
    if direction != "R" and not any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text):
        return [0] * len(text)  # no right-to-left text: everything reads left to right
    info = get_display(text, base_dir=direction, debug=True)  # levels, one per UTF-8 byte
    per_byte = [int(v) for v in _LEVEL.findall(info[info.index("levels:") :])]
    if len(per_byte) < len(text.encode("utf-8")):
        raise RuntimeError("python-bidi did not report a level for every character")
    levels, offset = [], 0
    for char in text:
        levels.append(per_byte[offset])
        offset += len(char.encode("utf-8"))
    return levels


def _level_runs(levels: list[int], start: int, end: int) -> list[tuple[int, int, int]]:
    """(start, end, level) for each stretch of one level within [start, end)."""
    out: list[tuple[int, int, int]] = []
    i = start
    while i < end:
        j = i
        while j < end and levels[j] == levels[i]:
            j += 1
        out.append((i, j, levels[i]))
        i = j
    return out


def _visual_order(pieces: list[tuple[int, Run]]) -> list[Run]:
    """UAX #9 rule L2 over runs: from the highest level down to the lowest odd one,
    reverse every stretch of runs at that level or above."""
    if not pieces:
        return []
    order = list(pieces)
    top = max(level for level, _r in order)
    lowest_odd = min((level for level, _r in order if level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if order[i][0] >= level:
                j = i
                while j < len(order) and order[j][0] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return [run for _level, run in order]


@functools.cache
def _hb_font(font: str) -> tuple[hb.Font, float]:
    """HarfBuzz's view of a Haven font, and its scale from font units to 1/1000 em."""
    fonts.coverage(font)
    face = hb.Face(hb.Blob.from_file_path(str(fonts.font_dir() / fonts.font_file(font))))
    return hb.Font(face), 1000.0 / face.upem


def _shape(text: str, start: int, end: int, font: str, rtl: bool) -> Run:
    """HarfBuzz's glyphs for text[start:end] in `font`, in visual order."""
    hb_font, scale = _hb_font(font)
    buf = hb.Buffer()
    buf.add_str(text, start, end - start)  # the whole line as context, clusters index it
    buf.direction = "rtl" if rtl else "ltr"
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.guess_segment_properties()
    hb.shape(hb_font, buf, {})
    glyphs = list(zip(buf.glyph_infos, buf.glyph_positions))
    bounds = sorted({info.cluster for info, _p in glyphs} | {end})
    following = {c: bounds[i + 1] for i, c in enumerate(bounds[:-1])}
    mapped = pdfmetrics.getFont(font)
    keys: list[str] = []
    shape: list[ShapeData] = []

    def put(gid: int, cluster: int, char: str, x_adv: float, y_adv: float, x_off: float,
            y_off: float) -> None:
        own = hb_font.get_glyph_h_advance(gid) * scale
        keys.append(mapped.key(gid, char, own))  # type: ignore[attr-defined]
        shape.append(ShapeData(cluster, x_adv, y_adv, x_off, y_off, own))

    i = 0
    while i < len(glyphs):  # one cluster at a time: its glyphs are consecutive
        cluster = glyphs[i][0].cluster
        j = i
        while j < len(glyphs) and glyphs[j][0].cluster == cluster:
            j += 1
        chars = [c for c in text[cluster : following[cluster]] if c not in _BIDI_MARKS]
        if rtl:
            chars.reverse()  # readers read right-to-left glyphs as visual text
        # One character per glyph, so every reader finds each where it expects it; the
        # glyphs left over stand for nothing, the characters left over (a ligature's)
        # ride on invisible zero-width glyphs at the cluster's end.
        for n, (info, pos) in enumerate(glyphs[i:j]):
            put(info.codepoint, cluster, chars[n] if n < len(chars) else "",
                pos.x_advance * scale, pos.y_advance * scale, pos.x_offset * scale,
                pos.y_offset * scale)
        for char in chars[j - i :]:
            put(_space(font), cluster, char, 0.0, 0.0, -1.0, 0.0)
        i = j
    width = sum(s.x_advance for s in shape)
    return Run(font, "".join(keys), width, text[start:end], tuple(shape), rtl)


@functools.cache
def _space(font: str) -> int:
    """An invisible glyph of `font` (its space) to carry a ligature's extra characters."""
    return _hb_font(font)[0].get_nominal_glyph(0x20) or 0
