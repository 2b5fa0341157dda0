"""The one embedded Unicode body font for simple generated pages (DejaVu Sans)."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from clinic_app.paths import resources_dir

BODY_FONT = "HavenDejaVuSans"


def register_body_font() -> str:
    if BODY_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(BODY_FONT, str(resources_dir() / "fonts" / "DejaVuSans.ttf")))
    return BODY_FONT
