"""A small page kit for generated documents: styles, safe paragraphs, tables, rendering.

Every piece of text goes through `textblock.paragraph`, which wraps and draws it as
data (shaped for its script, never parsed): a client's name or a document title can
never become reportlab markup. Output is deterministic (reportlab `invariant=1`, fixed metadata, no clock),
so the same inputs give the same bytes and tests can compare them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from clinic_app.pdf import textblock, vocab
from clinic_app.typeset import fonts, shaping, textdraw
from clinic_app.pdf.generated.words import DRAFT_BANNER, tr

MARGIN = 66.0
BODY_SIZE = 11.0


def _style(name: str, size: float, bold: bool = False, align: int = TA_LEFT, space_after: float = 6.0,
           space_before: float = 0.0, indent: float = 0.0) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=fonts.SANS_BOLD if bold else fonts.SANS, fontSize=size,
                          leading=size * 1.35, alignment=align, spaceAfter=space_after,
                          spaceBefore=space_before, leftIndent=indent)


class Doc:
    """Collects flowables for one generated document, then renders it to PDF bytes."""

    def __init__(self, lang: str, title: str, *, draft: bool = False) -> None:
        """`title` (a message id) names the kind of document in the PDF metadata: never a name."""
        fonts.ensure_fonts()
        self.lang = lang
        self.draft = draft
        self.meta_title = tr(lang, title)
        self.story: list[Flowable] = []
        self.s_title = _style("title", 15, True, TA_CENTER, 12)
        self.s_h1 = _style("h1", 12.5, True, space_before=10)
        self.s_h2 = _style("h2", BODY_SIZE, True, space_before=6, space_after=3)
        self.s_body = _style("body", BODY_SIZE)
        self.s_center = _style("center", BODY_SIZE, align=TA_CENTER, space_after=3)
        self.s_right = _style("right", BODY_SIZE, align=TA_RIGHT)
        self.s_small = _style("small", 9, space_after=2)
        self.s_cell = _style("cell", 9.5, space_after=0)
        self.s_cell_bold = _style("cellb", 9.5, True, space_after=0)
        self.s_bullet = _style("bullet", BODY_SIZE, indent=14, space_after=3)

    def t(self, message: str, **values: object) -> str:
        """`message` in the document's language, placeholders filled. A sentence that
        opens with a name in another direction ("{title}, pages 3 to 5.") still reads in
        the language's direction: it starts with the mark that says so (never drawn)."""
        text = tr(self.lang, message)
        if not values:
            return text
        text = text.format(**values)
        way = vocab.direction(self.lang)
        return shaping.directed(text, way) if shaping.paragraph_direction(text) != way else text

    def add(self, text: str, style: ParagraphStyle | None = None) -> None:
        if text.strip():
            self.story.append(textblock.paragraph(text, style or self.s_body))

    def title(self, text: str) -> None:
        self.add(text, self.s_title)

    def h1(self, text: str) -> None:
        self.add(text, self.s_h1)

    def h2(self, text: str) -> None:
        self.add(text, self.s_h2)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.add(f"\u2022 {item}", self.s_bullet)

    def space(self, height: float = 10.0) -> None:
        self.story.append(Spacer(1, height))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def fields(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label / value lines (e.g. "UCI" / "1234-5678"), skipping empty values."""
        data = [[textblock.paragraph(label, self.s_cell_bold), textblock.paragraph(value, self.s_cell)]
                for label, value in rows if value.strip()]
        if data:
            table = Table(data, colWidths=[130, LETTER[0] - 2 * MARGIN - 130], hAlign="LEFT")
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
            self.story.append(table)
            self.space(8)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              section_rows: Sequence[int] = ()) -> None:
        """A grid with a repeated header row; rows listed in `section_rows` span all columns in bold."""
        usable = LETTER[0] - 2 * MARGIN
        scale = usable / sum(widths)
        data: list[list[object]] = [[textblock.paragraph(h, self.s_cell_bold) for h in header]]
        spans: list[tuple[object, ...]] = []
        for i, row in enumerate(rows, start=1):
            if i - 1 in section_rows:
                data.append([textblock.paragraph(row[0], self.s_cell_bold)] + [""] * (len(header) - 1))
                spans.append(("SPAN", (0, i), (-1, i)))
                spans.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#eeeeee")))
            else:
                data.append([textblock.paragraph(cell, self.s_cell) for cell in row])
        table = Table(data, colWidths=[w * scale for w in widths], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), *spans]))
        self.story.append(table)
        self.space(8)

    def signature(self, lines: Sequence[str]) -> None:
        """A signature line followed by the signer's name and capacity."""
        block: list[Flowable] = [Spacer(1, 28), textblock.paragraph("_" * 42, self.s_body)]
        block += [textblock.paragraph(line, self.s_small) for line in lines if line.strip()]
        self.story.append(KeepTogether(block))

    def render(self) -> bytes:
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN + (14 if self.draft else 0), bottomMargin=MARGIN,
                                invariant=1, title=self.meta_title, author="Haven", creator="Haven",
                                producer="Haven", subject="", lang=f"{self.lang}-CA")
        story = self.story or [Spacer(1, 1)]
        doc.build(story, onFirstPage=self._decorate, onLaterPages=self._decorate)
        return buf.getvalue()

    def _decorate(self, canvas: Canvas, _doc: object) -> None:
        if not self.draft:
            return
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#aa0000"))
        text = tr(self.lang, DRAFT_BANNER)
        lines = textdraw.wrap(text, fonts.SANS_BOLD, 9, LETTER[0] - 2 * MARGIN)
        textdraw.draw_block(canvas, MARGIN, LETTER[1] - MARGIN + 10, lines, fonts.SANS_BOLD, 9, 11)
        canvas.restoreState()
