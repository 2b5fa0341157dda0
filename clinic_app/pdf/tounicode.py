"""/ToUnicode maps of reportlab's font subsets: read them (char -> code) and repair them.

Stamps and tab pages are drawn with the fonts embedded by reportlab for the cover and
index; the /ToUnicode map of each subset says which byte code each character has.
"""

from __future__ import annotations

import re

import pikepdf
from pikepdf import Name

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)


def char_codes(font: pikepdf.Object) -> dict[str, int]:
    """char -> byte code, from a simple font's /ToUnicode bfchar and bfrange entries."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    data = stream.read_bytes()
    out: dict[str, int] = {}
    for kind, body in _SECTION.findall(data):
        values = [v.decode() for v in _HEX.findall(body)]
        step = 2 if kind == b"bfchar" else 3
        for i in range(0, len(values) - step + 1, step):
            if kind == b"bfchar":
                codes = [(int(values[i], 16), values[i + 1])]
            else:
                lo, hi, start = int(values[i], 16), int(values[i + 1], 16), int(values[i + 2], 16)
                codes = [(c, f"{start + c - lo:04X}") for c in range(lo, hi + 1)]
            for code, uni in codes:
                char = _unicode(uni)
                if len(char) == 1 and char != "\x00":
                    out.setdefault(char, code)
    return out


_BARE_CODEPOINT = re.compile(rb"(<[0-9A-Fa-f]{2}>\s*)<([0-9A-Fa-f]{5,6})>")


def _surrogates(match: re.Match[bytes]) -> bytes:
    code = int(match.group(2), 16)
    if code > 0x10FFFF:
        return match.group(0)
    utf16 = chr(code).encode("utf-16-be").hex().upper().encode()
    return match.group(1) + b"<" + utf16 + b">"


def repair_tounicode(pdf: pikepdf.Pdf) -> None:
    """reportlab writes characters beyond U+FFFF (emoji) as a bare code point, e.g. <1F600>;
    /ToUnicode must be UTF-16, so readers dropped or garbled them. Rewrite those entries."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == Name.Font:
            stream = obj.get("/ToUnicode")
            if isinstance(stream, pikepdf.Stream):
                data = stream.read_bytes()
                fixed = _BARE_CODEPOINT.sub(_surrogates, data)
                if fixed != data:
                    stream.write(fixed)


def _unicode(hexdigits: str) -> str:
    """UTF-16BE per the spec; some writers put a bare code point (e.g. <1F600>)."""
    try:
        if len(hexdigits) % 4 == 0:
            return bytes.fromhex(hexdigits).decode("utf-16-be")
        return chr(int(hexdigits, 16))
    except (ValueError, UnicodeDecodeError, OverflowError):
        return ""
