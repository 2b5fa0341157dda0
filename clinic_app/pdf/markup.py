"""Safe text for reportlab: user strings never become markup.

reportlab's Paragraph parses a small XML dialect. Old releases evaluated
`<font color="[[[...]]]">` (CVE-2023-33733) and fetched `<img src>` URLs
(CVE-2020-28463). A client's name is data, so every user string goes through
`escape()` (or `rich()`, which escapes and then adds only our own font tags) and
`trustedSchemes` is emptied in `fonts`. Canvas drawing (`drawString`) does not parse
markup at all and only needs `clean()`.
"""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from clinic_app.pdf import bidi, fonts

_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def clean(text: str) -> str:
    """NFC, tabs to spaces, and no control characters, lone surrogates or non-characters.

    Control characters break the PDF text layer and XML; surrogates cannot be encoded.
    Newlines are kept so callers can turn them into line breaks.
    """
    if text.isascii() and text.isprintable():
        return text
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char == "\t":
            out.append(" ")
            continue
        if char == "\n":
            out.append(char)
            continue
        cat = unicodedata.category(char)
        if cat in ("Cc", "Cs", "Co") or (cat == "Cn" and ord(char) >= 0xFDD0):
            continue
        out.append(char)
    return "".join(out).replace("\r", "")


def escape(text: str) -> str:
    """Clean then XML-escape `& < > " '`: the result is literal text inside Paragraph markup."""
    return _xml_escape(clean(text), _ENTITIES)


def rich(text: str, base: str = fonts.SANS) -> str:
    """Escaped markup with one `<font name>` tag per glyph-coverage run; newlines become <br/>.

    Right-to-left lines are put in visual order first (see `bidi`).

    The only tags in the result are ours: the font names are constants and the text
    between them has been escaped.
    """
    lines = []
    for line in clean(text).split("\n"):
        parts = []
        for font, run in fonts.segment(bidi.visual(line), base):
            body = _xml_escape(run, _ENTITIES)
            parts.append(body if font == base else f'<font name="{font}">{body}</font>')
        lines.append("".join(parts))
    return "<br/>".join(lines)


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph that shows `text` exactly as typed, whatever it contains."""
    return Paragraph(rich(text, style.fontName), style)
