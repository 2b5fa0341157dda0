"""A statement of service for a served bundle: what was served, its pages, on whom,
how and when, in the matter's language, ready for counsel to sign.

Drawn line by line on the canvas by `textdraw` (no markup is ever interpreted; names in
any script shaped and in reading order) in the embedded fonts; written through the
atomic writer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

from clinic_app.i18n import translate_for
from clinic_app.output_files import output_write_bytes
from clinic_app.typeset import fonts, textdraw


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
    fonts.ensure_fonts()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=LETTER, invariant=1)
    pdf.setTitle(translate_for(lang, "Statement of service"))
    y = 720.0

    def line(text: str, size: int = 11, gap: float = 16) -> None:
        nonlocal y
        for part in textdraw.wrap(text, fonts.SANS, size, LETTER[0] - 144):
            textdraw.draw(pdf, 72, y, part, fonts.SANS, size)
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
    output_write_bytes(Path(out_path), buf.getvalue())
    return Path(out_path)
