"""Plain-text evidence (e-mails pasted to a file, chat exports) as PDF pages.

Decoding: a BOM wins (UTF-8, UTF-16, UTF-32); then strict UTF-8; then Windows-1252
(what Latin-1 text from Windows usually is); then Latin-1, which cannot fail.
Rendering draws on reportlab's canvas through `clinic_app.typeset` (the generated pages'
fonts, bidi and shaping), which draws characters and never interprets markup, so a
client's text containing `<font color=...>` or `<img src=...>` appears literally
(reliability.md section 4, reportlab CVE-2023-33733 class). The searchable text always
comes from the decoded file, not from the drawing.
"""

from __future__ import annotations

import io
import unicodedata

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


# Format characters that are spelling, kept: the zero-width non-joiner and joiner (Persian,
# Dari and Urdu write "می‌خواهم" with a ZWNJ; without it the letters join and the word is
# misspelled in the bundle) and the left-to-right, right-to-left and Arabic letter marks.
_SPELLING = frozenset("\u200c\u200d\u200e\u200f\u061c")


def clean_text(text: str) -> str:
    """Normalise newlines and drop control characters that would draw as boxes (and format
    characters other than those `_SPELLING` keeps)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", TAB)
    return "".join(
        ch for ch in text
        if ch == "\n" or ch in _SPELLING or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )


def render_text_pdf(text: str) -> bytes:
    """Draw `text` on Letter pages; returns the PDF bytes (built in memory only).

    Each line of the file is a paragraph: word-wrapped to the page, in its own base
    direction, shaped and drawn with
    the fonts of the generated pages (`clinic_app.typeset`): Latin, Greek and Cyrillic in
    DejaVu Sans Mono, Arabic, Hebrew, Indic and Ethiopic letters in their Noto font, CJK in
    Droid Sans Fallback. So every reader gets each line back in logical order. Every line
    starts at the left margin, right-to-left ones too: readers then keep the file's order
    of lines (a right-aligned line reads to them as a second column, out of turn)."""
    from reportlab.pdfgen import canvas

    from clinic_app.typeset import fonts, textdraw

    fonts.ensure_fonts()
    base = fonts.MONO
    width = PAGE_W - 2 * MARGIN
    rows = max(10, int((PAGE_H - 2 * MARGIN) / LEADING))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    pdf.setTitle("")
    pdf.setAuthor("")
    row = 0
    for line in textdraw.wrap(clean_text(text), base, FONT_SIZE, width):
        if row == rows:
            pdf.showPage()
            row = 0
        if line.strip():
            textdraw.draw(pdf, MARGIN, PAGE_H - MARGIN - FONT_SIZE - row * LEADING, line, base, FONT_SIZE)
        row += 1
    pdf.showPage()
    pdf.save()
    return out.getvalue()
