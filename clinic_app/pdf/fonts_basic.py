"""The embedded Unicode body font for simple generated pages (DejaVu Sans, Haven's own).

reportlab keeps one font object per font file (face): registering DejaVu Sans under
a second name would hand that plain object to `fonts.SANS` too, which then could not
draw shaped glyphs. So this is `fonts.SANS` itself.
"""

from __future__ import annotations

from clinic_app.typeset import fonts

BODY_FONT = fonts.SANS


def register_body_font() -> str:
    fonts.ensure_fonts()
    return BODY_FONT
