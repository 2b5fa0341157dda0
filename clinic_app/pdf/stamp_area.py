"""Where the stamps print, and how much room that leaves each source page's content.

The bundle's margin setting (`BundleSettings.margin_mm`) keeps a clear band along every
edge of the paper: source pages are shrunk uniformly into the rectangle inside it
(`normalize.fit`), and the page number (bottom right) and the header (top right) print
in the bottom and top bands. The bands are checked against the stamps as they will be
drawn, not against a guess: the ink of every glyph the stamps use (read from the
embedded fonts' outlines, at the stamp sizes) must fit in the band with clear space on
both sides, and a band too narrow for it is widened, never the stamp squeezed in.

Stamps sit centred in their band, but never further than a quarter inch from the edge,
so in a wide margin they stay near the edge and their distance from the content grows.
Generated pages (cover, index, tab pages) keep a 54 pt margin of their own, wider than
any stamp reaches (`SAFE_EDGE` plus the ink), so they are not shrunk.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from clinic_app.typeset import fonts, shaping, textdraw

MM = 72.0 / 25.4
NUMBER_SIZE = 10.0
HEADER_SIZE = 8.5
SAFE_EDGE = 18.0  # a quarter inch: close enough to the edge, far enough for any printer
MIN_GAP = 2.0  # at the very least, clear space between a stamp's ink and the paper edge or content
NUMBER_CHARS = "0123456789ivxlcdm"  # page numbers: arabic, and roman for the front matter
# The exhibit stamp: a framed block at the top left, below the header's band (see `exhibit_block`).
BLOCK_SIZE, BLOCK_LEADING, BLOCK_PAD, BLOCK_GAP = 8.0, 10.0, 5.0, 3.0
BLOCK_WIDTH = 300.0  # fits a portrait and a landscape page alike


@dataclass(frozen=True)
class StampArea:
    """Distances in points on the page as seen (upright), from the paper's edges."""

    band: float  # clear margin kept at every edge: the content is fitted inside it
    number_y: float  # baseline of the page number, above the bottom edge
    header_drop: float  # baseline of the header, below the top edge
    right: float  # the stamps end this far from the right edge (in line with the content)


def stamp_area(margin_mm: float, headers: Iterable[str] = ()) -> StampArea:
    """The bands for a margin setting, checked against the ink of the stamps that will print.

    `headers` are every header text of the bundle (none when headers are off); the page
    number's ink is measured over every digit and roman numeral.
    """
    n_low, n_high = ink(NUMBER_CHARS, NUMBER_SIZE)
    h_low, h_high = ink("".join(headers), HEADER_SIZE)
    tallest = max(n_high - n_low, h_high - h_low)
    band = max(margin_mm * MM, tallest + 2 * MIN_GAP)
    number_edge = min(SAFE_EDGE, (band - (n_high - n_low)) / 2)
    header_edge = min(SAFE_EDGE, (band - (h_high - h_low)) / 2)
    return StampArea(band, number_edge - n_low, header_edge + h_high, band)


def ink(text: str, size: float) -> tuple[float, float]:
    """(lowest, highest) ink of `text` around its baseline in points, drawn in the stamps'
    fonts (regular, with the same fallback as the stamps); (0, 0) for no ink."""
    low = high = 0.0
    for line in text.split("\n"):
        for run in shaping.layout(line, fonts.SANS).runs:
            rises = [g.y_offset / 1000.0 for g in run.shape] if run.shape else [0.0] * len(run.keys)
            for key, rise in set(zip(run.keys, rises)):  # shaped glyphs by their drawn keys
                bottom, top = _glyph_ink(run.font, key)
                if top > bottom:
                    low, high = min(low, bottom + rise), max(high, top + rise)
    return low * size, high * size


@functools.cache
def _glyph_ink(font: str, char: str) -> tuple[float, float]:
    """A glyph's vertical extent in em, from its outline's bounding box in the TTF."""
    face, start = _glyf(font)
    glyph = face.charToGlyph.get(ord(char), 0)
    pos = face.glyphPos
    if glyph + 1 >= len(pos) or pos[glyph + 1] <= pos[glyph]:
        return 0.0, 0.0  # a blank glyph (space): no ink
    _x_min, y_min, _x_max, y_max = struct.unpack(">4h", face.get_chunk(start + pos[glyph] + 2, 8))
    return y_min / face.unitsPerEm, y_max / face.unitsPerEm


@functools.cache
def _glyf(font: str):  # type: ignore[no-untyped-def]
    fonts.coverage(font)
    face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
    return face, face.get_table_pos("glyf")[0]


@dataclass(frozen=True)
class StampBlock:
    """The lines of an exhibit stamp as drawn ((text, bold) each), and the room it takes."""

    lines: tuple[tuple[str, bool], ...]
    width: float = BLOCK_WIDTH

    @property
    def height(self) -> float:
        """Room kept above the content: the framed lines and a gap on each side."""
        return len(self.lines) * BLOCK_LEADING + 2 * BLOCK_PAD + 2 * BLOCK_GAP

    def texts(self) -> list[str]:
        return [text for text, _bold in self.lines if text]


def exhibit_block(heading: str, sentence: str, caption: str, direction: str = "L") -> StampBlock:
    """The heading in bold, the commissioner's sentence wrapped to the block, room to sign,
    a signature line and its caption. The sentence is in the bundle's language, whose
    `direction` every line keeps (the deponent's name is a run set in it)."""
    width = BLOCK_WIDTH - 2 * BLOCK_PAD
    lines = [(heading, True)]
    lines += [(line, False) for line in textdraw.wrap(sentence, fonts.SANS, BLOCK_SIZE, width, direction)]
    lines += [("", False), ("_" * 36, False), (caption, False)]
    # No-break spaces (« A ») kept words together while wrapping; stamps draw plain spaces.
    return StampBlock(tuple((text.replace("\u00a0", " ").replace("\u202f", " "), bold) for text, bold in lines))