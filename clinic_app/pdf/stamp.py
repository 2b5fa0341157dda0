"""Page stamps and tab pages, drawn by small content streams with embedded fonts.

Measured by the product owner: merging an overlay page per page is about 4x slower
than appending a few bytes of content that draw the stamp with a font added to the
page's resources, so that is what this does. The stamps are drawn before the original
content, which is wrapped in q/Q with spare saved states (see `assemble._Writer` and
`normalize.prefix_ops`), so whatever graphics state it leaves behind cannot move, scale,
recolour or stop the stamp.

Fonts are the subsets reportlab embedded for the cover and index (`render`), which
told us the byte code of every character and shaped glyph the stamps need, so stamps
use the same embedded, extractable Unicode fonts and the same shaping (`shaping`). Tab separator pages are drawn the same way: a few text
lines need no reportlab page of their own. Where the stamps go is `stamp_area`'s to say.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Name

from clinic_app.typeset import fonts, shaping
from clinic_app.pdf.normalize import Frame, num
from clinic_app.pdf.stamp_area import (
    BLOCK_GAP,
    BLOCK_LEADING,
    BLOCK_PAD,
    BLOCK_SIZE,
    HEADER_SIZE,
    NUMBER_SIZE,
    SAFE_EDGE,
    StampArea,
    StampBlock,
    ink,
)
from clinic_app.typeset.textdraw import Codes

_STATE = b"q 0 g 0 G 0 Tr 0 Tc 0 Tw 100 Tz 0 Ts"  # known text state, whatever came before

_MARK_COLOUR = b"0.667 0 0 rg"
_RESOURCES, _FONT = Name.Resources, Name.Font  # Name.X builds a new Name on every use


class TextKit:
    """Fonts (copied into `dest`) and, per font, drawn character -> (resource, byte code)."""

    mark = ""  # a draft's mark, printed at the foot of every page (see `set_mark`)
    _mark_y = 0.0

    def __init__(
        self, dest: pikepdf.Pdf, rendered: pikepdf.Pdf, carrier_page: int, area: StampArea,
        codes: Codes,
    ) -> None:
        self.area = area
        resources = rendered.pages[carrier_page].obj.get("/Resources", Dictionary())
        font_dict = resources.get("/Font", Dictionary())
        self.resources: dict[str, pikepdf.Object] = {}
        self._sources: dict[str, tuple[int, int]] = {}
        self.codes: dict[str, dict[str, tuple[str, int]]] = {}
        for rl_name, table in codes.items():
            mine = self.codes.setdefault(rl_name, {})
            names: dict[str, str] = {}
            for key, (subset, code) in table.items():
                if subset not in names:
                    if subset not in font_dict:
                        continue
                    names[subset] = self._resource(dest, font_dict[subset])
                mine[key] = (names[subset], code)
        self._cache: dict[tuple[object, ...], bytes] = {}
        self._anchors: dict[tuple[object, ...], str] = {}
        # shared /Resources or /Font objects done already -> the source fonts renamed there
        self._installed: dict[tuple[int, int], dict[str, str]] = {}
        self._dest = dest

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
        return shaping.layout(text, fonts.SANS_BOLD if bold else fonts.SANS).points(size)

    def show(self, line: shaping.Line, size: float) -> str:
        """Tf/Tj operators for a laid-out line; glyphs not in the subsets are skipped."""
        out: list[str] = []
        current = ""
        for run in line.runs:
            table = self.codes.get(run.font, {})
            shape = run.shape
            codes: list[int] = []
            pending: list[str] = []  # TJ items of a shaped run: codes and adjustments
            for i, key in enumerate(run.keys):
                entry = table.get(key)
                if entry is None:
                    continue
                if entry[0] != current:
                    self._flush(out, codes, pending)
                    current = entry[0]
                    out.append(f"{current} {num(size)} Tf")
                if shape is None:
                    codes.append(entry[1])
                    continue
                glyph = shape[i]  # HarfBuzz's position: offset, glyph, then its own advance
                rise = glyph.y_offset * size / 1000.0
                if rise:
                    self._flush(out, codes, pending)
                    out.append(f"{num(rise)} Ts")
                pending += [num(-glyph.x_offset), f"<{entry[1]:02x}>",
                            num(glyph.width - glyph.x_advance + glyph.x_offset)]
                if rise:
                    self._flush(out, codes, pending)
                    out.append("0 Ts")
            self._flush(out, codes, pending)
        return " ".join(out)

    @staticmethod
    def _flush(out: list[str], codes: list[int], pending: list[str]) -> None:
        if codes:
            out.append(f"<{bytes(codes).hex()}> Tj")
            codes.clear()
        if pending:
            out.append(f"[{' '.join(pending)}] TJ")
            pending.clear()

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
        line = shaping.layout(text, fonts.SANS_BOLD if bold else fonts.SANS)
        shift = {"left": 0.0, "right": 1.0, "center": 0.5}[align] * line.points(size)
        anchor = self._anchor(frame, x, y)
        return f"{anchor} {num(-shift)} 0 Td {self.show(line, size)} ET".encode()

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
        area = self.area
        right = seen_w - area.right
        parts = [_STATE]
        if number:
            parts.append(self.text_ops(frame, number, NUMBER_SIZE, right, area.number_y, "right"))
        if header:
            key = (frame, header)
            ops = self._cache.get(key)
            if ops is None:  # the same header repeats on every page of a tab
                ops = self._cache[key] = self.text_ops(
                    frame, header, HEADER_SIZE, right, seen_h - area.header_drop, "right"
                )
            parts.append(ops)
        if self.mark:
            parts.append(self._mark_ops(frame))
        parts.append(b"Q\n")
        return b"\n".join(parts)

    def block_ops(self, frame: Frame, block: StampBlock) -> bytes:
        """An exhibit stamp: a framed block of lines at the top left of the page as seen, in
        the room `fit(top=block.height)` kept above the content, below the header's band."""
        seen_w, seen_h = frame.visible
        area = self.area
        left, top = area.band, seen_h - area.band - BLOCK_GAP
        bottom = top - block.height + BLOCK_GAP
        m = " ".join(num(v) for v in frame.matrix(0, 0))
        parts = [_STATE, f"q {m} cm 0.6 w {num(left)} {num(bottom)} {num(block.width)} "
                         f"{num(top - bottom)} re S Q".encode()]
        y = top - BLOCK_PAD - BLOCK_SIZE
        for text, bold in block.lines:
            if text:
                parts.append(self.text_ops(frame, text, BLOCK_SIZE, left + BLOCK_PAD, y, bold=bold))
            y -= BLOCK_LEADING
        parts.append(b"Q\n")
        return b"\n".join(parts)

    def set_mark(self, text: str) -> None:
        """Print `text` (a draft's "not ready to file") bottom left of every page, in red, in
        the bottom band: its ink centred there as the page number's is, never on the content.
        The band must have been measured with `text` among the headers (see stamp_area)."""
        low, high = ink(text, HEADER_SIZE)
        edge = min(SAFE_EDGE, (self.area.band - (high - low)) / 2)
        self.mark, self._mark_y = text, edge - low

    def _mark_ops(self, frame: Frame) -> bytes:
        key = (frame, "mark")
        ops = self._cache.get(key)
        if ops is None:  # the same on every page of the same size
            text = self.text_ops(frame, self.mark, HEADER_SIZE, self.area.right, self._mark_y)
            ops = self._cache[key] = _MARK_COLOUR + b" " + text
        return ops

    def install(self, page: pikepdf.Dictionary) -> None:
        """Add the fonts to the page's /Resources /Font under our names. A page that already
        uses one of those names for another font (a bundle Haven built, filed again as
        evidence) first has its own font renamed, in its resources and in its content, so its
        text keeps its glyphs. Call after `place` has set the page's content."""
        resources = page.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            page[_RESOURCES] = Dictionary()
            resources = page[_RESOURCES]
        elif self._done_with(resources, page):  # the pages of a document usually share one
            return
        font_dict = resources.get("/Font")
        if not isinstance(font_dict, pikepdf.Dictionary):
            resources[_FONT] = Dictionary()
            font_dict = resources[_FONT]
        elif self._done_with(font_dict, page):  # or share only their /Font (reportlab writes that)
            return
        renamed = self._make_room(font_dict)
        for shared in (resources, font_dict):
            if shared.is_indirect:
                self._installed[shared.objgen] = renamed
        for name, font in self.resources.items():
            font_dict[name] = font
        if renamed:
            self._rename_in_content(page, renamed)

    def _done_with(self, shared: pikepdf.Dictionary, page: pikepdf.Dictionary) -> bool:
        """Whether a shared /Resources or /Font was installed into already; if so, `page`'s own
        content is pointed at the fonts renamed there."""
        done = self._installed.get(shared.objgen) if shared.is_indirect else None
        if done:
            self._rename_in_content(page, done)
        return done is not None

    def _make_room(self, font_dict: pikepdf.Dictionary) -> dict[str, str]:
        """Move the page's own fonts off our names; returns {our name: its new name}."""
        renamed: dict[str, str] = {}
        for name, ours in self.resources.items():
            if name not in font_dict:
                continue
            theirs = font_dict[name]
            if theirs.is_indirect and theirs.objgen == ours.objgen:
                continue
            n = 0
            while f"/HvnSource{n}" in font_dict:
                n += 1
            font_dict[Name(f"/HvnSource{n}")] = theirs
            renamed[name] = f"/HvnSource{n}"
        return renamed

    def _rename_in_content(self, page: pikepdf.Dictionary, renamed: dict[str, str]) -> None:
        """Point the page's own content at the new names: what `place` put between its
        stamps and prefix, first, and the closing `Q`, last."""
        contents = page.get("/Contents")
        if not isinstance(contents, pikepdf.Array) or len(contents) < 4:
            return
        own = self._dest.make_stream(b"\n".join(contents[i].read_bytes() for i in range(2, len(contents) - 1)))
        instructions = []
        for ins in pikepdf.parse_content_stream(own):
            operands = getattr(ins, "operands", None)
            if str(ins.operator) == "Tf" and operands and str(operands[0]) in renamed:
                ins = pikepdf.ContentStreamInstruction(
                    [Name(renamed[str(operands[0])]), *list(operands)[1:]], ins.operator)
            instructions.append(ins)
        own.write(pikepdf.unparse_content_stream(instructions))
        page[Name.Contents] = pikepdf.Array([contents[0], contents[1], own, contents[len(contents) - 1]])
