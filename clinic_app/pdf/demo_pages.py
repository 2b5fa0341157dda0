"""Small fictional PDFs for the demo vault, drawn in memory (never on disk)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen import canvas

from clinic_app.pdf.fonts_basic import register_body_font


def fictional_pdf(title: str, paragraphs: list[str], *, pages: int = 1, a4: bool = False) -> bytes:
    """A text PDF whose every page carries the title and the paragraphs, plainly drawn.

    Text is drawn with drawString (no markup is interpreted), in an embedded
    Unicode font so Spanish, French, Cyrillic and Chinese names survive.
    """
    font = register_body_font()
    size = A4 if a4 else LETTER
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size, invariant=1, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor("Haven demo (fictional)")
    for page in range(1, pages + 1):
        y = size[1] - 72
        pdf.setFont(font, 14)
        pdf.drawString(72, y, title)
        pdf.setFont(font, 10)
        y -= 28
        for paragraph in paragraphs:
            for line in wrap_words(paragraph, 95):
                pdf.drawString(72, y, line)
                y -= 14
            y -= 6
        pdf.drawString(72, 48, f"FICTIONAL DEMO DOCUMENT - page {page} of {pages}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def wrap_words(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines
