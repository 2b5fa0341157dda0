"""Plain-text evidence (e-mails pasted to a file, chat exports) as PDF pages.

Decoding: a BOM wins (UTF-8, UTF-16, UTF-32); then strict UTF-8; then Windows-1252
(what Latin-1 text from Windows usually is); then Latin-1, which cannot fail.
Rendering uses reportlab's canvas `drawString`, which draws characters and never
interprets markup, so a client's text containing `<font color=...>` or `<img src=...>`
appears literally (reliability.md section 4, reportlab CVE-2023-33733 class).
Bidirectional scripts are drawn in logical order and CJK needs a font that covers
it; the searchable text always comes from the decoded file, not from the drawing.
"""

from __future__ import annotations

import io
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

PAGE_W, PAGE_H = 612.0, 792.0  # US Letter, the IRB's paper size
MARGIN = 54.0
FONT_SIZE = 9.5
LEADING = FONT_SIZE * 1.3
TAB = "    "

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Monospaced fonts with Latin, Greek and Cyrillic, most preferred first. The project's
# own resources/fonts comes first so that a packaged build renders the same everywhere.
_FONT_CANDIDATES = (
    "resources/fonts/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Courier New.ttf",
    "C:/Windows/Fonts/consola.ttf",
    "C:/Windows/Fonts/cour.ttf",
)


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for untrusted bytes; never raises."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data if encoding == "utf-8-sig" else data[len(bom) :]
            return body.decode(encoding, errors="replace"), encoding.replace("-sig", "")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def clean_text(text: str) -> str:
    """Normalise newlines and drop control characters that would draw as boxes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", TAB)
    return "".join(
        ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )


def _char_cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap_lines(text: str, columns: int) -> Iterator[str]:
    """Hard-wrap each line at `columns` monospace cells (wide characters count twice)."""
    for line in text.split("\n"):
        if not line:
            yield ""
            continue
        current: list[str] = []
        cells = 0
        for ch in line:
            width = _char_cells(ch)
            if cells + width > columns:
                yield "".join(current)
                current, cells = [], 0
            current.append(ch)
            cells += width
        yield "".join(current)


def _package_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent.parent


def _register_font() -> str:
    """A Unicode TTF font when one is installed, else the built-in Courier (Latin only)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for candidate in _FONT_CANDIDATES:
        path = Path(candidate)
        if not path.is_absolute():
            path = _package_root() / path
        if path.is_file():
            try:
                pdfmetrics.registerFont(TTFont("HavenIntakeMono", str(path)))
                return "HavenIntakeMono"
            except Exception:  # a broken system font: try the next one
                continue
    return "Courier"


def render_text_pdf(text: str) -> bytes:
    """Draw `text` on Letter pages; returns the PDF bytes (built in memory only)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    font = _register_font()
    cell = pdfmetrics.stringWidth("M", font, FONT_SIZE) or FONT_SIZE * 0.6
    columns = max(20, int((PAGE_W - 2 * MARGIN) / cell))
    rows = max(10, int((PAGE_H - 2 * MARGIN) / LEADING))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    pdf.setTitle("")
    pdf.setAuthor("")
    row = 0
    pdf.setFont(font, FONT_SIZE)
    for line in wrap_lines(clean_text(text), columns):
        if row == rows:
            pdf.showPage()
            pdf.setFont(font, FONT_SIZE)
            row = 0
        if line.strip():
            pdf.drawString(MARGIN, PAGE_H - MARGIN - FONT_SIZE - row * LEADING, line)
        row += 1
    pdf.showPage()
    pdf.save()
    return out.getvalue()
