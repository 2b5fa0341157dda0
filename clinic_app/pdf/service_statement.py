"""A statement of service for a served bundle: what was served, its pages, on whom,
how and when, in the matter's language, ready for counsel to sign.

Drawn line by line with drawString (no markup is ever interpreted) in the embedded
Unicode font; written through the atomic writer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

from clinic_app.fsutil import atomic_write_bytes
from clinic_app.i18n import translate_for
from clinic_app.pdf.demo_pages import wrap_words
from clinic_app.pdf.fonts_basic import register_body_font


@dataclass(frozen=True)
class ServiceFacts:
    forum: str
    file_number: str
    parties: str
    bundle_title: str
    first_page: int
    last_page: int
    served_to: str
    method: str
    served_on: date
    counsel: str
    language: str


def render(facts: ServiceFacts, out_path: Path) -> Path:
    lang = facts.language
    font = register_body_font()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=LETTER, invariant=1)
    pdf.setTitle(translate_for(lang, "Statement of service"))
    y = 720.0

    def line(text: str, size: int = 11, gap: float = 16) -> None:
        nonlocal y
        pdf.setFont(font, size)
        for part in wrap_words(text, 88 if size <= 11 else 60):
            pdf.drawString(72, y, part)
            y -= gap

    line(facts.forum, 12)
    if facts.file_number:
        line(translate_for(lang, "File number: {number}").format(number=facts.file_number))
    line(facts.parties)
    y -= 12
    line(translate_for(lang, "Statement of service"), 16, 24)
    line(translate_for(lang, "I served the following document on {whom} by {method} on {day}:").format(
        whom=facts.served_to, method=facts.method, day=facts.served_on.isoformat()))
    y -= 6
    line(translate_for(lang, "{title}, pages {first} to {last}.").format(
        title=facts.bundle_title, first=facts.first_page, last=facts.last_page))
    y -= 60
    line("_" * 40)
    line(facts.counsel or translate_for(lang, "Counsel"))
    line(translate_for(lang, "Date: {day}").format(day=facts.served_on.isoformat()))
    pdf.showPage()
    pdf.save()
    atomic_write_bytes(Path(out_path), buf.getvalue())
    return Path(out_path)
