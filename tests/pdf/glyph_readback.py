"""What a PDF page really draws, read from the file: every glyph shown, in content-stream
order, with its font and its outline (read from the embedded font program by HarfBuzz),
so a test can compare it with HarfBuzz's own shaping of the same text in the same font."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
import uharfbuzz as hb


class _Pen:
    """Records an outline as a tuple of drawing operations (fontTools' pen protocol)."""

    def __init__(self) -> None:
        self.ops: list[tuple[object, ...]] = []

    def moveTo(self, p):  # noqa: N802
        self.ops.append(("M", *p))

    def lineTo(self, p):  # noqa: N802
        self.ops.append(("L", *p))

    def qCurveTo(self, *ps):  # noqa: N802
        self.ops.append(("Q", *ps))

    def curveTo(self, *ps):  # noqa: N802
        self.ops.append(("C", *ps))

    def closePath(self):  # noqa: N802
        self.ops.append(("Z",))

    def endPath(self):  # noqa: N802
        self.ops.append(("E",))


def outline(font: hb.Font, gid: int) -> tuple[object, ...]:
    pen = _Pen()
    font.draw_glyph_with_pen(gid, pen)
    return tuple(pen.ops)


@dataclass(frozen=True)
class Glyph:
    face: str  # PostScript name after the subset tag, e.g. NotoSansArabic-Bold
    code: int  # byte code in the content stream
    gid: int  # glyph id in the embedded subset (0: .notdef)
    shape: tuple[object, ...]  # its outline; () for a blank glyph (a space)


@cache
def _embedded(data: bytes) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob(data)))


def _mac_roman(code: int) -> int:
    """reportlab's subsets map byte codes with a (1, 0) Mac Roman cmap: HarfBuzz looks those
    up by the Unicode character each Mac Roman byte stands for."""
    return code if code < 0x80 else ord(bytes([code]).decode("mac_roman"))


def drawn_glyphs(pdf: pikepdf.Pdf, page_index: int) -> list[Glyph]:
    """Every glyph shown on the page, in the order the content stream shows them."""
    page = pdf.pages[page_index]
    fonts = page.obj.Resources.get("/Font", pikepdf.Dictionary())
    out: list[Glyph] = []
    current = None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "Tf":
            current = fonts[str(operands[0])]
        elif op in ("Tj", "TJ") and current is not None:
            face = str(current.BaseFont).split("+", 1)[-1]
            font = _embedded(bytes(current.FontDescriptor.FontFile2.read_bytes()))
            strings = operands[0] if op == "TJ" else [operands[0]]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    for code in bytes(item):
                        gid = font.get_nominal_glyph(_mac_roman(code)) or 0
                        out.append(Glyph(face, code, gid, outline(font, gid)))
    return out


def shaped_outlines(font_file: Path, text: str, direction: str) -> list[tuple[object, ...]]:
    """HarfBuzz's glyphs for `text` in the original font file, as outlines, in visual order."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_file))))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = direction
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return [outline(font, info.codepoint) for info in buf.glyph_infos]
