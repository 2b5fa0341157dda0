"""Canvas text with font fallback and word wrapping, for the index and tab pages.

Drawing straight on the canvas (no Paragraph) keeps the index fast for bundles with
hundreds of entries and gives the exact rectangle of every line for its link.
`drawString` does not parse markup, so user text is only `markup.clean()`-ed.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from clinic_app.pdf import bidi, fonts
from clinic_app.pdf.markup import clean


def width(text: str, base: str, size: float) -> float:
    return fonts.string_width(text, base, size)


def draw(
    canvas: Canvas, x: float, y: float, text: str, base: str, size: float, align: str = "left"
) -> float:
    """Draw one line at baseline `y`; `align` left/right/center around `x`. Returns width."""
    runs = fonts.segment(bidi.visual(text), base)
    widths = [fonts.string_width(run, font, size) for font, run in runs]
    total = sum(widths)
    if align == "right":
        x -= total
    elif align == "center":
        x -= total / 2
    text_obj = canvas.beginText(x, y)
    for font, run in runs:
        text_obj.setFont(font, size)
        text_obj.textOut(run)
    canvas.drawText(text_obj)
    return total


def wrap(text: str, base: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut by characters (CJK has no spaces)."""
    lines: list[str] = []
    space = width(" ", base, size)
    for paragraph in clean(text).split("\n"):
        line, line_w, started = "", 0.0, False
        for word in paragraph.split(" "):
            word_w = width(word, base, size)
            if started:
                if line_w + space + word_w <= max_width:
                    line, line_w = f"{line} {word}", line_w + space + word_w
                    continue
                lines.append(line)
            while word_w > max_width and len(word) > 1:
                cut = _fit_chars(word, base, size, max_width)
                lines.append(word[:cut])
                word = word[cut:]
                word_w = width(word, base, size)
            line, line_w, started = word, word_w, True
        lines.append(line)
    return lines or [""]


def _fit_chars(word: str, base: str, size: float, max_width: float) -> int:
    """How many leading characters of `word` fit in `max_width` (at least one)."""
    lo, hi = 1, len(word)
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
