"""Safe text for the PDF text layer: what `clean()` keeps of a user string.

User text is never handed to reportlab's Paragraph (which parses markup: see
`textblock`); canvas drawing does not parse markup at all and only needs `clean()`.
`trustedSchemes` is emptied in `fonts` all the same.
"""

from __future__ import annotations

import unicodedata


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
