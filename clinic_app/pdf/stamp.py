"""Page stamps and tab pages, drawn by small content streams with embedded fonts.

Measured by the product owner: merging an overlay page per page is about 4x slower
than appending a few bytes of content that draw the stamp with a font added to the
page's resources, so that is what this does. The original content is wrapped in q/Q
(see `normalize.prefix_ops`) so whatever graphics state it leaves behind cannot move,
scale or recolour the stamp.

Fonts are the subsets reportlab embedded for the cover and index (`render`); their
/ToUnicode maps give each character's byte code, so stamps use the same embedded,
extractable Unicode fonts. Tab separator pages are drawn the same way: a few text
lines need no reportlab page of their own.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Name

from clinic_app.pdf import bidi, fonts
from clinic_app.pdf.normalize import Frame, num
from clinic_app.pdf.tounicode import char_codes

NUMBER_SIZE = 10.0
HEADER_SIZE = 8.5
EDGE = 36.0  # distance of the stamps from the right edge of the seen page
NUMBER_Y = 20.0
HEADER_DROP = 22.0  # header baseline below the top edge
_STATE = b"q 0 g 0 G 0 Tr 0 Tc 0 Tw 100 Tz 0 Ts"  # known text state, whatever came before

Entry = tuple[str, int, float]  # (font resource name, byte code, advance in 1/1000 em)


class TextKit:
    """Fonts (copied into `dest`) and, per style, char -> (resource, code, advance)."""

    def __init__(self, dest: pikepdf.Pdf, rendered: pikepdf.Pdf, carrier_page: int) -> None:
        resources = rendered.pages[carrier_page].obj.get("/Resources", Dictionary())
        font_dict = resources.get("/Font", Dictionary())
        faces = {fonts.face_name(f): f for f in (fonts.SANS, fonts.SANS_BOLD, fonts.CJK)}
        chains = {False: (fonts.SANS, fonts.CJK), True: (fonts.SANS_BOLD, fonts.CJK)}
        self.resources: dict[str, pikepdf.Object] = {}
        self._sources: dict[str, tuple[int, int]] = {}
        self.chars: dict[bool, dict[str, Entry]] = {False: {}, True: {}}
        found = []
        for key in sorted(font_dict.keys()):
            font = font_dict[key]
            face = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
            if face in faces:
                found.append((faces[face], font))
        for bold, chain in chains.items():
            for rl_name in chain:
                for font in (f for name, f in found if name == rl_name):
                    res = self._resource(dest, font)
                    widths, default = fonts.char_widths(rl_name)
                    for char, code in char_codes(font).items():
                        self.chars[bold].setdefault(
                            char, (res, code, widths.get(ord(char), default))
                        )
        self._cache: dict[tuple[object, ...], bytes] = {}
        self._anchors: dict[tuple[object, ...], str] = {}
        self._installed: set[tuple[int, int]] = set()  # shared /Resources objects done already

    def _resource(self, dest: pikepdf.Pdf, font: pikepdf.Object) -> str:
        """The resource name of `font` (one name per font, whatever style uses it)."""
        for name, source in self._sources.items():
            if source == font.objgen:
                return name
        name = f"/HvnStamp{len(self.resources)}"
        self.resources[name] = dest.copy_foreign(font)
        self._sources[name] = font.objgen
        return name

    def width(self, text: str, size: float, bold: bool = False) -> float:
        table = self.chars[bold]
        return sum(table[c][2] for c in text if c in table) * size / 1000.0

    def show(self, text: str, size: float, bold: bool = False) -> str:
        """Tf/Tj operators for `text` (already in visual order); unknown chars are skipped."""
        table = self.chars[bold]
        out: list[str] = []
        current = ""
        codes: list[int] = []
        for char in text:
            entry = table.get(char)
            if entry is None:
                continue
            if entry[0] != current:
                if codes:
                    out.append(f"<{bytes(codes).hex()}> Tj")
                    codes = []
                current = entry[0]
                out.append(f"{current} {num(size)} Tf")
            codes.append(entry[1])
        if codes:
            out.append(f"<{bytes(codes).hex()}> Tj")
        return " ".join(out)

    def text_ops(
        self,
        frame: Frame,
        text: str,
        size: float,
        x: float,
        y: float,
        align: str = "left",
        bold: bool = False,
    ) -> bytes:
        """BT..ET drawing `text` upright at seen-page point (x, y), aligned left/right/center."""
        text = bidi.visual(text)
        shift = {"left": 0.0, "right": 1.0, "center": 0.5}[align] * self.width(text, size, bold)
        anchor = self._anchor(frame, x, y)
        return f"{anchor} {num(-shift)} 0 Td {self.show(text, size, bold)} ET".encode()

    def _anchor(self, frame: Frame, x: float, y: float) -> str:
        """`BT` and the text matrix for an origin; shared by every page of the same frame."""
        key = (frame, x, y)
        found = self._anchors.get(key)
        if found is None:
            found = self._anchors[key] = f"BT {' '.join(num(v) for v in frame.matrix(x, y))} Tm"
        return found

    def stamp_ops(self, frame: Frame, number: str, header: str) -> bytes:
        """The page number (bottom right) and optional header (top right) of one page."""
        seen_w, seen_h = frame.visible
        parts = [_STATE]
        if number:
            parts.append(
                self.text_ops(frame, number, NUMBER_SIZE, seen_w - EDGE, NUMBER_Y, "right")
            )
        if header:
            key = (frame, header)
            ops = self._cache.get(key)
            if ops is None:  # the same header repeats on every page of a tab
                ops = self._cache[key] = self.text_ops(
                    frame, header, HEADER_SIZE, seen_w - EDGE, seen_h - HEADER_DROP, "right"
                )
            parts.append(ops)
        parts.append(b"Q\n")
        return b"\n".join(parts)

    def install(self, page: pikepdf.Dictionary) -> None:
        """Add the fonts to the page's /Resources /Font (our reserved names win)."""
        resources = page.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            page[Name.Resources] = Dictionary()
            resources = page[Name.Resources]
        elif resources.is_indirect:  # the pages of a document usually share one
            if resources.objgen in self._installed:
                return
            self._installed.add(resources.objgen)
        if not isinstance(resources.get("/Font"), pikepdf.Dictionary):
            resources[Name.Font] = Dictionary()
        font_dict = resources[Name.Font]
        for name, font in self.resources.items():
            font_dict[name] = font
