"""Canvas text with font fallback, shaping and word wrapping, for every generated page.

Drawing straight on the canvas (no Paragraph) keeps the index fast for bundles with
hundreds of entries and gives the exact rectangle of every line for its link.
`drawString` does not parse markup, so user text is only `markup.clean()`-ed. Lines are
wrapped in logical order, then each line is laid out (`shaping.layout`): right-to-left
text is put in visual order and complex scripts are shaped per line, as UAX #9 asks,
every line in its paragraph's base direction (not its own: a line that starts with an
Arabic name inside an English title still reads left to right).
(No /ActualText: pdfium and poppler would reverse it a second time as right-to-left.)
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from clinic_app.typeset import fonts, shaping
from clinic_app.typeset.markup import clean

# Per reportlab font: drawn character (or glyph key) -> (subset resource name, byte code).
Codes = dict[str, dict[str, tuple[str, int]]]


def width(text: str, base: str, size: float) -> float:
    if not shaping.needs_shaping(text):
        return fonts.string_width(text, base, size)
    return shaping.layout(text, base).points(size)


def draw(
    canvas: Canvas, x: float, y: float, text: str, base: str, size: float, align: str = "left"
) -> float:
    """Draw one line at baseline `y`; `align` left/right/center around `x`. Returns width."""
    line = shaping.layout(text, base)
    total = line.points(size)
    if align == "right":
        x -= total
    elif align == "center":
        x -= total / 2
    text_obj = canvas.beginText(x, y)
    for run in line.runs:
        text_obj.setFont(run.font, size)
        text_obj.textOut(run.drawable())
    canvas.drawText(text_obj)
    return total


def wrap(text: str, base: str, size: float, max_width: float, direction: str | None = None) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut by characters (CJK has no spaces).

    Each line is marked with its paragraph's base direction (`shaping.directed`): the
    paragraph's own (rule P2/P3) or, for a sentence of the bundle's language with a
    name set in it, that language's `direction` ("L" or "R")."""
    lines: list[str] = []
    space = width(" ", base, size)
    for paragraph in clean(text).split("\n"):
        first = len(lines)
        line, line_w, started = "", 0.0, False
        for word in paragraph.split(" "):
            word_w = width(word, base, size)
            if started:
                if line_w + space + word_w <= max_width:
                    line, line_w = f"{line} {word}", line_w + space + word_w
                    continue
                lines.append(line)
            if word_w > max_width:
                while len(word) > 1 and (cut := _fit_chars(word, base, size, max_width)) < len(word):
                    lines.append(word[:cut])
                    word = word[cut:]
                word_w = width(word, base, size)
            line, line_w, started = word, word_w, True
        lines.append(line)
        way = direction or shaping.paragraph_direction(paragraph)
        lines[first:] = [shaping.directed(one, way) for one in lines[first:]]
    return lines or [""]


def _fit_chars(word: str, base: str, size: float, max_width: float) -> int:
    """How many leading characters of `word` fit in `max_width` (at least one; all of them
    when the word fits). Prefixes are measured at doubling lengths first, so cutting a long
    word costs about a line's width per cut, not the word's: a 250,000-character line (a
    base64 attachment in an e-mail export) took 32 s to wrap, and intake stops at 30."""
    lo, hi = 1, 2
    while hi < len(word) and width(word[:hi], base, size) <= max_width:
        lo, hi = hi, hi * 2
    hi = min(hi, len(word))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(word[:mid], base, size) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def draw_block(
    canvas: Canvas,
    x: float,
    y: float,
    lines: list[str],
    base: str,
    size: float,
    leading: float,
    align: str = "left",
) -> float:
    """Draw wrapped lines downward from baseline `y`; returns the baseline after the last."""
    for line in lines:
        draw(canvas, x, y, line, base, size, align)
        y -= leading
    return y


def subset_codes(canvas: Canvas, lines: list[shaping.Line]) -> Codes:
    """Where reportlab put every character of `lines` in the subsets of `canvas`'s fonts
    (call after drawing them, before saving), so other content streams can draw them."""
    doc = canvas._doc  # reportlab's font subsets belong to the document being written
    out: Codes = {}
    for line in lines:
        for run in line.runs:
            table = out.setdefault(run.font, {})
            font = pdfmetrics.getFont(run.font)
            for key in set(run.keys).difference(table):
                for subset, data in font.splitString(key, doc):  # type: ignore[attr-defined]
                    table[key] = (font.getSubsetInternalName(subset, doc), data[0])  # type: ignore[attr-defined]
    return out
