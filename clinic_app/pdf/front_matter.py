"""Cover page and index (list of documents), drawn from the BundlePlan.

The index is laid out before the final plan is made: its page count decides where the
documents start, so `layout_index` is pure layout (rows and page breaks) and
`draw_index` records the rectangle of every row so the engine can link it to its tab.
Page ranges come only from the plan, the same numbers the stamps use.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from clinic_app.domain.bundle import BundlePlan, BundleSpec, section_letter
from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.pdf import textblock
from clinic_app.typeset import fonts, textdraw
from clinic_app.pdf import vocab as v

MARGIN = 54.0
SIZE, LEADING, PAD = 9.5, 12.0, 3.5


@dataclass(frozen=True)
class Row:
    kind: str  # section | tab | part | header
    cells: tuple[tuple[str, ...], ...]  # wrapped lines per column
    tab: int | None = None
    part: int | None = None

    @property
    def height(self) -> float:
        return max(len(c) for c in self.cells) * LEADING + 2 * PAD


@dataclass(frozen=True)
class IndexLayout:
    columns: tuple[tuple[float, float], ...]  # (x, width) per column
    pages: tuple[tuple[Row, ...], ...]
    header: Row


@dataclass(frozen=True)
class RowBox:
    page: int  # 0-based among index pages
    rect: tuple[float, float, float, float]
    tab: int
    part: int | None


def _date_width(lang: str) -> float:
    """Room for the longest date of `lang` on one line ("28 September 2026", "1er septembre
    2026"): a date broken over two lines ("7 December / 2026") reads as two entries."""
    longest = max(textdraw.width(v.format_date(_dt.date(2026, month, day), lang), fonts.SANS, SIZE)
                  for month in range(1, 13) for day in (1, 28))
    return max(92.0, longest + 2 * PAD + 1.0)


def _columns(page_w: float, volumes: bool, lang: str = "en") -> tuple[tuple[float, float], ...]:
    widths = [46.0, 0.0, _date_width(lang), 68.0] + ([34.0] if volumes else [])
    widths[1] = page_w - 2 * MARGIN - sum(widths)
    x, cols = MARGIN, []
    for w in widths:
        cols.append((x, w))
        x += w
    return tuple(cols)


def _cell(text: str, col: tuple[float, float], bold: bool = False) -> tuple[str, ...]:
    base = fonts.SANS_BOLD if bold else fonts.SANS
    return tuple(textdraw.wrap(text, base, SIZE, col[1] - 2 * PAD)) if text else ("",)


def layout_index(
    spec: BundleSpec, plan: BundlePlan, paper: tuple[float, float], show_volumes: bool
) -> IndexLayout:
    """Rows and page breaks. Depends on the numbers, never on the volume split."""
    lang = spec.language
    cols = _columns(paper[0], show_volumes, lang)
    head = [v.tr(lang, "Tab"), v.tr(lang, "Document"), v.tr(lang, "Date"), v.tr(lang, "Pages")]
    if show_volumes:
        head.append(v.tr(lang, "Vol."))
    header = Row("header", tuple(_cell(t, c, True) for t, c in zip(head, cols)))
    rows: list[Row] = []
    current_section = -1
    for tab in plan.tabs:
        if tab.section != current_section:
            current_section = tab.section
            title = plan.sections[tab.section]
            if spec.settings.section_prefixes:
                title = f"{section_letter(tab.section)}. {title}".strip()
            if title.strip():
                full = (cols[0][0], cols[-1][0] + cols[-1][1] - cols[0][0])
                rows.append(Row("section", (_cell(title, full, True),), tab.position))
        doc = tab.title + (f"\n{tab.reference}" if tab.reference_only else "")
        pages = (
            v.tr(lang, "Reference only")
            if tab.reference_only
            else v.page_range(tab.first_number, tab.last_number)
        )
        cells = [
            _cell(tab.label, cols[0]),
            _cell(doc, cols[1]),
            _cell(v.format_date(tab.date, lang), cols[2]),
            _cell(pages, cols[3]),
        ]
        if show_volumes:
            cells.append(("",))  # filled at draw time: the split may still change
        rows.append(Row("tab", tuple(cells), tab.position))
        for n, part in enumerate(tab.parts):
            if len(tab.parts) == 1 and not part.excerpt:
                break
            text = ""
            if len(tab.parts) > 1:  # an exhibit's own parts sit one step further in, under it
                indent = "\u2003\u2013 " if part.exhibit and not part.starts_exhibit else "\u2013 "
                text = indent + v.part_title(lang, part.label, n + 1, part.exhibit, part.starts_exhibit)
            if part.excerpt:
                note = v.excerpt_note(lang, part.source_pages)
                text = f"{text} ({note})" if text else f"({note})"
            sub = [
                ("",),
                _cell(text, cols[1]),
                _cell(v.format_date(part.date, lang), cols[2]) if part.starts_exhibit else ("",),
                _cell(v.page_range(part.first_number, part.last_number), cols[3]),
            ]
            rows.append(Row("part", tuple(sub + [("",)] * show_volumes), tab.position, n))
    return IndexLayout(cols, _paginate(rows, header, paper), header)


def _paginate(
    rows: list[Row], header: Row, paper: tuple[float, float]
) -> tuple[tuple[Row, ...], ...]:
    first_top = paper[1] - MARGIN - 30.0
    usable = first_top - MARGIN - header.height
    pages: list[list[Row]] = [[]]
    used = 0.0
    for i, row in enumerate(rows):
        need = row.height
        if row.kind == "section" and i + 1 < len(rows):
            need += rows[i + 1].height  # keep a heading with its first entry
        if pages[-1] and used + need > usable:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return tuple(tuple(p) for p in pages)


def draw_index(
    canvas: Canvas,
    layout: IndexLayout,
    spec: BundleSpec,
    plan: BundlePlan,
    paper: tuple[float, float],
    first_page: int,
) -> list[RowBox]:
    """Draw every index page (calls showPage); returns each linkable row's rectangle."""
    lang = spec.language
    boxes: list[RowBox] = []
    left = layout.columns[0][0]
    right = layout.columns[-1][0] + layout.columns[-1][1]
    for page_no, rows in enumerate(layout.pages):
        title = v.index_title(lang, spec.settings.index_heading, continued=page_no > 0)
        textdraw.draw(canvas, left, paper[1] - MARGIN - 16, title, fonts.SANS_BOLD, 15)
        y = paper[1] - MARGIN - 30.0
        y = _draw_row(canvas, layout.header, layout.columns, y, bold=True)
        canvas.setLineWidth(0.6)
        canvas.line(left, y, right, y)
        for row in rows:
            top = y
            if row.kind == "section":
                y = _draw_row(canvas, row, ((left, right - left),), y, bold=True)
                continue
            cells = row.cells
            if row.kind == "tab" and len(layout.columns) == 5:
                vol = plan.tabs[row.tab].volume if row.tab is not None else None
                cells = cells[:4] + ((str(vol) if vol else "",),)
            y = _draw_row(canvas, Row(row.kind, cells), layout.columns, y)
            if row.tab is not None and row.kind in ("tab", "part"):
                boxes.append(RowBox(first_page + page_no, (left, y, right, top), row.tab, row.part))
        canvas.showPage()
    return boxes


def _draw_row(
    canvas: Canvas, row: Row, cols: tuple[tuple[float, float], ...], top: float, bold: bool = False
) -> float:
    base = fonts.SANS_BOLD if bold else fonts.SANS
    for lines, (x, _w) in zip(row.cells, cols):
        textdraw.draw_block(canvas, x + PAD, top - PAD - SIZE, list(lines), base, SIZE, LEADING)
    return top - row.height


DRAFT_RED = colors.HexColor("#aa0000")
COVER_FOOT = 150.0  # the date and counsel block sits this far above the bottom margin
COVER_MIN_SIZE = 8.0  # the cover's text shrinks no smaller; past that, long texts are cut
COVER_SCALES = tuple(1.0 - 0.05 * step for step in range(14))  # 100 % down to 35 %
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class _CoverText:
    """One block of the cover at full size; text None: a blank of `gap` points."""

    text: str | None
    size: float = 11.0
    bold: bool = False
    align: int = TA_CENTER
    colour: object = colors.black
    gap: float = 8.0


@dataclass(frozen=True)
class _Laid:
    lines: tuple[str, ...]
    style: ParagraphStyle | None
    gap: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.style.leading if self.style else 0.0


def _cover_style(size: float, bold: bool = False, align: int = TA_CENTER, colour: object = colors.black,
                 ) -> ParagraphStyle:
    return ParagraphStyle("c", fontName=fonts.SANS_BOLD if bold else fonts.SANS, fontSize=size,
                          leading=size * 1.3, alignment=align, textColor=colour)


def _cover_texts(spec: BundleSpec, volume: int, volumes: int, draft: DraftNotice | None,
                 ) -> tuple[list[_CoverText], list[_CoverText]]:
    """The blocks from the top down, and the foot's (date and counsel)."""
    lang = spec.language
    top: list[_CoverText] = []
    if draft is not None:
        top.append(_CoverText(draft.mark, 20, True, colour=DRAFT_RED, gap=18))
    top.append(_CoverText(spec.forum, 14, True, gap=14))
    if spec.file_number.strip():
        top.append(_CoverText(v.file_line(lang, spec.file_number), 12, gap=36))
    if spec.parties:
        top.append(_CoverText(v.tr(lang, "Between"), 11, gap=6))
        top += [_CoverText(party, 13, gap=6) for party in spec.parties]
        top.append(_CoverText(None, gap=30))
    top.append(_CoverText(spec.title, 22, True, gap=10))
    if volumes > 1:
        top.append(_CoverText(v.volume_line(lang, volume, volumes), 14, gap=10))
    foot = [_CoverText(v.format_date(spec.date, lang), 11, align=TA_LEFT, gap=14)]
    if spec.counsel.strip():
        foot += [_CoverText(v.tr(lang, "Counsel"), 11, True, TA_LEFT, gap=2),
                 _CoverText(spec.counsel, 11, align=TA_LEFT, gap=4)]
    return ([t for t in top if t.text is None or t.text.strip()],
            [t for t in foot if t.text is not None and t.text.strip()])


def _lay(texts: list[_CoverText], scale: float, width: float) -> list[_Laid]:
    out = []
    for t in texts:
        if t.text is None:
            out.append(_Laid((), None, t.gap * scale))
            continue
        st = _cover_style(max(COVER_MIN_SIZE, t.size * scale), t.bold, t.align, t.colour)
        out.append(_Laid(tuple(textdraw.wrap(t.text, st.fontName, st.fontSize, width)), st, t.gap * scale))
    return out


def _span(laid: list[_Laid]) -> float:
    """From the first block's top to the last block's bottom."""
    return sum(b.height + b.gap for b in laid) - (laid[-1].gap if laid else 0.0)


def _total(top: list[_Laid], foot: list[_Laid]) -> float:
    """The height the blocks need: the top's with its last gap, then the foot's."""
    return sum(b.height + b.gap for b in top) + _span(foot)


def _cut(top: list[_Laid], foot: list[_Laid], room: float, width: float) -> None:
    """Drop lines from the longest blocks until everything fits in `room`, ending each
    shortened block with an ellipsis (in place). Every block keeps at least one line."""
    blocks = [b for b in top + foot if b.style is not None]
    keep = {id(b): len(b.lines) for b in blocks}
    over = _total(top, foot) - room
    while over > 0:
        longest = max(blocks, key=lambda b: (keep[id(b)], b.style.fontSize))
        if keep[id(longest)] <= 1:
            break  # one line each and still too much: cannot happen within the field limits
        keep[id(longest)] -= 1
        over -= longest.style.leading
    for laid in (top, foot):
        for n, b in enumerate(laid):
            if b.style is not None and keep[id(b)] < len(b.lines):
                lines = list(b.lines[: keep[id(b)]])
                lines[-1] = _with_ellipsis(lines[-1], b.style, width)
                laid[n] = _Laid(tuple(lines), b.style, b.gap)


def _with_ellipsis(line: str, st: ParagraphStyle, width: float) -> str:
    """`line` shortened (by words, else by characters) until it fits with "…" after it."""
    while line and textdraw.width(line + ELLIPSIS, st.fontName, st.fontSize) > width:
        body = line.rstrip()
        line = body.rsplit(" ", 1)[0] if " " in body.lstrip("\u200e\u200f") else body[:-1]
    return line.rstrip() + ELLIPSIS


def draw_cover(
    canvas: Canvas, spec: BundleSpec, paper: tuple[float, float], volume: int, volumes: int,
    draft: DraftNotice | None = None,
) -> None:
    """The cover: forum, file number, parties, title, volume, counsel and date (calls showPage);
    a draft's mark at the top and, under the title, what it still lacks.

    Everything stays inside the margins, whatever the lengths: the text shrinks step by
    step to `COVER_MIN_SIZE`, and only then are the longest blocks cut with an ellipsis."""
    w, h = paper
    avail = w - 2 * MARGIN
    body = _cover_style(10.5, colour=DRAFT_RED, align=TA_LEFT)
    head = _cover_style(11.5, True, TA_LEFT, DRAFT_RED)
    start = h - MARGIN - 20
    # a draft's list needs room for its heading and a line ("…" at least) above the foot
    need = 16 + 2 * head.leading + body.leading + 20 if draft is not None else 0.0
    top_texts, foot_texts = _cover_texts(spec, volume, volumes, draft)
    room = start - MARGIN - need
    for scale in COVER_SCALES:
        top, foot = _lay(top_texts, scale, avail), _lay(foot_texts, scale, avail)
        if _total(top, foot) <= room:
            break
    else:
        _cut(top, foot, room, avail)
    y = _put(canvas, top, start, avail, h)
    if draft is not None:
        y -= 16
    foot_top = min(y, MARGIN + max(COVER_FOOT, _span(foot)))
    if draft is not None:
        foot_top = min(foot_top, y - need + 16)
        _draft_list(canvas, draft, avail, body, head, y, foot_top + 20)
    _put(canvas, foot, foot_top, avail, h)
    canvas.showPage()


def _put(canvas: Canvas, laid: list[_Laid], y: float, width: float, h: float) -> float:
    """Draw the blocks downward from `y`; returns the position after the last one's gap."""
    for b in laid:
        if b.style is not None:
            para = textblock.TextBlock(" ".join(b.lines), b.style, list(b.lines))
            _w, ph = para.wrapOn(canvas, width, h)
            para.drawOn(canvas, MARGIN, y - ph)
            y -= ph
        y -= b.gap
    return y


def _draft_list(canvas: Canvas, draft: DraftNotice, width: float, body: ParagraphStyle,
                head: ParagraphStyle, top: float, floor: float) -> None:
    """The heading and one line per missing item, down to `floor`; "…" when more remain."""
    y = top
    lines = [(draft.heading, head)] + [(f"\u2022 {line}", body) for line in draft.lines]
    for n, (text, st) in enumerate(lines):
        if not text.strip():
            continue
        para = textblock.paragraph(text, st)
        _w, ph = para.wrapOn(canvas, width, top)
        if y - ph < floor + (st.leading if n + 1 < len(lines) else 0):
            more = textblock.paragraph("\u2026", body)
            more.wrapOn(canvas, width, top)
            more.drawOn(canvas, MARGIN, y - body.leading)
            return
        para.drawOn(canvas, MARGIN, y - ph)
        y -= ph + 3
