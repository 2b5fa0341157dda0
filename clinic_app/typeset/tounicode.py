"""Embedded fonts whose /ToUnicode maps give back the text, even for shaped glyphs.

reportlab draws characters: each one it meets gets a byte code in a font subset, and the
subset's /ToUnicode map sends the code back to the character. A shaped glyph (an Arabic
letter's joined form, a lam-alef ligature, a Devanagari conjunct) is not one character,
so each one gets a *key*: a private-use character that reportlab draws like any other
and that `MappedTTFont` maps to the glyph. When reportlab writes the subsets, the key's
/ToUnicode entry is rewritten to the text the glyph stands for, so search and copy-paste
give back what was typed. Keys are per (glyph, text) pair: the same glyph may stand for
different text in different places.

Characters beyond U+FFFF (emoji) are written as UTF-16 surrogate pairs, as the PDF
specification requires (reportlab writes the bare code point, which readers drop).
"""

from __future__ import annotations

import threading

from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

_PRIVATE = (0xE000, 0xF8FF)  # the BMP private-use area: one code unit in every subset


class MappedTTFont(TTFont):
    """A reportlab TrueType font that can draw any glyph by id, mapped back to its text."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._keys: dict[tuple[int, str], str] = {}
        self._texts: dict[int, str] = {}  # key code point -> the text it stands for
        self._next = _PRIVATE[0]
        self._lock = threading.Lock()

    def key(self, glyph: int, text: str, advance: float) -> str:
        """The character reportlab draws for `glyph` standing for `text`; `advance` is the
        glyph's own width in 1/1000 em (the subset's /Widths entry)."""
        face = self.face
        if len(text) == 1 and face.charToGlyph.get(ord(text)) == glyph:
            return text  # the glyph is the text's own: no key needed
        found = self._keys.get((glyph, text))
        if found is not None:
            return found
        with self._lock:
            found = self._keys.get((glyph, text))
            if found is None:
                code = self._next
                while code in face.charToGlyph and code <= _PRIVATE[1]:
                    code += 1
                if code > _PRIVATE[1]:  # 6,400 glyph/text pairs in one process: reuse the glyph's
                    return next((k for (g, _t), k in self._keys.items() if g == glyph), text[:1] or " ")
                self._next = code + 1
                face.charToGlyph[code] = glyph
                face.charWidths[code] = advance
                self._texts[code] = text
                found = self._keys[(glyph, text)] = chr(code)
        return found

    def addObjects(self, doc) -> None:  # type: ignore[no-untyped-def]
        """Write the subsets as reportlab does, then give each /ToUnicode map the real text."""
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, [self._texts.get(c, chr(c)) for c in subset])


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A /ToUnicode CMap sending byte code i to `texts[i]` (an empty text maps to nothing:
    the mark or piece of a cluster whose text went with the cluster's first glyph)."""
    entries = [f"<{i:02X}> <{_utf16(t)}>" for i, t in enumerate(texts) if t]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{max(len(texts) - 1, 0):02X}>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 entries per section (PDF spec)
        chunk = entries[start : start + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)
