"""Text boxes read back from a built bundle, split into Haven's stamps and the page's own text.

Two readers that share no code: pdfium gives every character's glyph box and font;
pypdf (a visitor over the content stream) gives every text run's origin and size.
On a document page, text in Haven's embedded fonts (DejaVu, Droid) is a stamp and
anything else is the source's content, so test sources draw in Helvetica.
Coordinates are on the page as seen (after /Rotate), origin at the bottom left.
"""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

Box = tuple[float, float, float, float]  # left, bottom, right, top
HAVEN_FONTS = ("DejaVu", "Droid")


def seen(x: float, y: float, rot: int, w: float, h: float) -> tuple[float, float]:
    """A user-space point on the page as seen (PDF /Rotate turns clockwise); w, h unrotated."""
    return {0: (x, y), 90: (y, w - x), 180: (w - x, h - y), 270: (h - y, x)}[rot % 360]


def seen_box(box: Box, rot: int, w: float, h: float) -> Box:
    (ax, ay), (bx, by) = seen(box[0], box[1], rot, w, h), seen(box[2], box[3], rot, w, h)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


@dataclass
class PageText:
    width: float  # as seen
    height: float
    stamps: list[tuple[str, Box]] = field(default_factory=list)
    content: list[tuple[str, Box]] = field(default_factory=list)

    def stamp_text(self, top: bool) -> str:
        """The header (top half) or the page number (bottom half), read left to right."""
        half = [(c, b) for c, b in self.stamps if (b[1] > self.height / 2) == top]
        return "".join(c for c, _b in sorted(half, key=lambda t: t[1][0]))

    def content_text(self) -> str:
        return "".join(c for c, _b in self.content)


def _font_name(textpage: pdfium.PdfTextPage, index: int) -> str:
    size = pdfium_raw.FPDFText_GetFontInfo(textpage.raw, index, None, 0, None)
    buf = ctypes.create_string_buffer(max(size, 1))
    pdfium_raw.FPDFText_GetFontInfo(textpage.raw, index, buf, size, None)
    return buf.value.decode("latin-1")


def pdfium_pages(path: Path) -> list[PageText]:
    """Glyph boxes of every character, by pdfium."""
    pages = []
    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        for page in doc:
            x0, y0, x1, y1 = page.get_mediabox()
            rot = page.get_rotation()
            w, h = page.get_size()
            out = PageText(w, h)
            text = page.get_textpage()
            for k in range(text.count_chars()):
                char = text.get_text_range(k, 1)
                if not char.strip():
                    continue
                left, bottom, right, top = text.get_charbox(k)
                box = seen_box((left - x0, bottom - y0, right - x0, top - y0), rot, x1 - x0, y1 - y0)
                haven = any(f in _font_name(text, k) for f in HAVEN_FONTS)
                (out.stamps if haven else out.content).append((char, box))
            pages.append(out)
    finally:
        doc.close()
    return pages


@dataclass
class Run:
    text: str
    x: float  # origin (start of the baseline) on the seen page
    y: float
    size: float  # font size after every transform
    haven: bool


def pypdf_runs(path: Path) -> list[tuple[float, float, list[Run]]]:
    """(seen width, seen height, text runs) of every page, by pypdf's extraction visitor.

    Each run's origin comes from its text matrix times the graphics transform; on a
    rotated page the run's baseline turns with the page, so its y is approximate only
    for runs drawn upright (stamps are)."""
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    pages = []
    for page in reader.pages:
        box = page.mediabox
        w, h = float(box.width), float(box.height)
        rot = page.rotation % 360
        runs: list[Run] = []

        def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float,
                  _rot: int = rot, _w: float = w, _h: float = h, _runs: list[Run] = runs) -> None:
            if not text.strip():
                return
            m = pypdf.mult(tm, cm)  # text space -> user space
            x, y = seen(m[4] - float(box.left), m[5] - float(box.bottom), _rot, _w, _h)
            name = str((font or {}).get("/BaseFont", ""))
            scale = (m[0] ** 2 + m[1] ** 2) ** 0.5
            _runs.append(Run(text.strip(), x, y, size * scale, any(f in name for f in HAVEN_FONTS)))

        page.extract_text(visitor_text=visit)
        sw, sh = (h, w) if rot in (90, 270) else (w, h)
        pages.append((sw, sh, runs))
    return pages


def edge_to_edge_pdf(pages: list[tuple[str, float, float]], *, rotate: int = 0,
                     media: Box | None = None, crop: Box | None = None) -> bytes:
    """A source whose text reaches all four edges: per page (tag, width, height), marks
    `<tag>NW`, `<tag>N`, `<tag>NE`, `<tag>W`, `<tag>E`, `<tag>SW`, `<tag>S` and `<tag>SE`
    drawn flush with the corners and edges, in Helvetica capitals (no descenders).

    `media` and `crop` move the page into other coordinates (a non-zero or negative
    origin): the marks are then flush with the crop box, or the media box without one."""
    import pikepdf

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    for tag, w, h in pages:
        c.setPageSize((w, h))
        size = min(w, h) / 25
        c.setFont("Helvetica", size)
        top = h - 0.72 * size  # Helvetica capitals rise 0.72 em
        for name, x, y, align in (("NW", 0, top, "l"), ("N", w / 2, top, "c"), ("NE", w, top, "r"),
                                  ("W", 0, h / 2, "l"), ("E", w, h / 2, "r"),
                                  ("SW", 0, 0, "l"), ("S", w / 2, 0, "c"), ("SE", w, 0, "r")):
            draw = {"l": c.drawString, "c": c.drawCentredString, "r": c.drawRightString}[align]
            draw(x, y, f"{tag}{name}")
        c.showPage()
    c.save()
    pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    for page in pdf.pages:
        if rotate:
            page.obj.Rotate = rotate
        visible = crop or media
        if visible is not None:
            dx, dy = visible[0], visible[1]
            page.contents_add(pdf.make_stream(f"1 0 0 1 {dx} {dy} cm".encode()), prepend=True)
            page.obj.MediaBox = pikepdf.Array(list(media or crop))  # type: ignore[arg-type]
            if crop is not None:
                page.obj.CropBox = pikepdf.Array(list(crop))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def corner_marks(tag: str) -> tuple[str, ...]:
    return tuple(f"{tag}{name}" for name in ("NW", "NE", "SW", "SE"))
