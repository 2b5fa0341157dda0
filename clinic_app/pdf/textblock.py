"""A flowable paragraph of user text: wrapped and drawn by `textdraw`, never parsed.

reportlab's Paragraph parses a small XML dialect (old releases evaluated attribute values,
CVE-2023-33733, and fetched `<img src>` URLs, CVE-2020-28463) and lays text out one
character at a time, which leaves Arabic letters unjoined and right-to-left lines in
the wrong order. Generated documents and the cover use this block instead: the text is
data, wrapped in logical order and each line laid out by `shaping`, so a client's name
shows exactly as typed in any script, and can never become markup.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from clinic_app.typeset import textdraw

_ALIGN = {TA_CENTER: "center", TA_RIGHT: "right"}


class TextBlock(Flowable):
    """Lines of one style (font, size, leading, alignment, indents, colour, spacing)."""

    def __init__(self, text: str, style: ParagraphStyle, lines: list[str] | None = None) -> None:
        super().__init__()
        self.text, self.style = text, style
        self._lines = lines
        self._for_width = -1.0 if lines is None else None  # None: lines given, keep them

    def _usable(self, avail_width: float) -> float:
        return avail_width - self.style.leftIndent - self.style.rightIndent

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        width = self._usable(availWidth)
        if self._for_width is not None and self._for_width != width:
            st = self.style
            self._lines = textdraw.wrap(self.text, st.fontName, st.fontSize, width)
            self._for_width = width
        self.width, self.height = availWidth, len(self._lines or [""]) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        lines = self._lines or [""]
        fit = int(availHeight // self.style.leading)
        if fit <= 0:
            return []
        if fit >= len(lines):
            return [self]
        return [TextBlock(self.text, self.style, lines[:fit]), TextBlock(self.text, self.style, lines[fit:])]

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        st, canvas = self.style, self.canv
        align = _ALIGN.get(st.alignment, "left")
        width = self._usable(self.width)
        x = st.leftIndent + {"left": 0.0, "center": width / 2, "right": width}[align]
        canvas.setFillColor(st.textColor)
        textdraw.draw_block(canvas, x, self.height - st.fontSize, list(self._lines or [""]),
                            st.fontName, st.fontSize, st.leading, align)


def paragraph(text: str, style: ParagraphStyle) -> TextBlock:
    """A block that shows `text` exactly as typed, whatever it contains."""
    return TextBlock(text, style)
