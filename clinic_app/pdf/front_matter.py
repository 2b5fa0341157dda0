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
from clinic_app.pdf import fonts, textblock, textdraw
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


def draw_cover(
    canvas: Canvas, spec: BundleSpec, paper: tuple[float, float], volume: int, volumes: int,
    draft: DraftNotice | None = None,
) -> None:
    """The cover: forum, file number, parties, title, volume, counsel and date (calls showPage);
    a draft's mark at the top and, under the title, what it still lacks."""
    lang = spec.language
    w, h = paper
    avail = w - 2 * MARGIN

    def style(
        size: float, bold: bool = False, align: int = TA_CENTER, colour: object = colors.black
    ) -> ParagraphStyle:
        return ParagraphStyle(
            "c",
            fontName=fonts.SANS_BOLD if bold else fonts.SANS,
            fontSize=size,
            leading=size * 1.3,
            alignment=align,
            textColor=colour,
        )

    y = h - MARGIN - 20

    def put(text: str, st: ParagraphStyle, gap: float = 8.0) -> None:
        nonlocal y
        if not text.strip():
            return
        para = textblock.paragraph(text, st)
        _w, ph = para.wrapOn(canvas, avail, h)
        para.drawOn(canvas, MARGIN, y - ph)
        y -= ph + gap

    if draft is not None:
        put(draft.mark, style(20, True, colour=DRAFT_RED), 18)
    put(spec.forum, style(14, True), 14)
    if spec.file_number.strip():
        put(v.file_line(lang, spec.file_number), style(12), 36)
    if spec.parties:
        put(v.tr(lang, "Between"), style(11), 6)
        for party in spec.parties:
            put(party, style(13), 6)
        y -= 30
    put(spec.title, style(22, True), 10)
    if volumes > 1:
        put(v.volume_line(lang, volume, volumes), style(14), 10)
    if draft is not None:
        y -= 16
        _draft_list(canvas, draft, avail, style(10.5, colour=DRAFT_RED, align=TA_LEFT),
                    style(11.5, True, TA_LEFT, DRAFT_RED), y, MARGIN + COVER_FOOT + 20)
    y = min(y, MARGIN + COVER_FOOT)
    put(v.format_date(spec.date, lang), style(11, align=TA_LEFT), 14)
    if spec.counsel.strip():
        put(v.tr(lang, "Counsel"), style(11, True, TA_LEFT), 2)
        put(spec.counsel, style(11, align=TA_LEFT), 4)
    canvas.showPage()


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
