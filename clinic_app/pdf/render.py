"""The generated pages of one volume, drawn in a single reportlab document.

Cover, index and a last "carrier" page share one set of embedded font subsets. The
carrier page is never copied into the bundle: it only makes sure every character and
shaped glyph the stamps and tab pages need is in those subsets, and records their byte
codes, so `stamp.TextKit` can draw them with the same fonts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from clinic_app.domain.bundle import BundlePlan, BundleSpec, VolumePlan
from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.typeset import fonts, shaping, textdraw
from clinic_app.pdf.front_matter import IndexLayout, RowBox, draw_cover, draw_index
from clinic_app.pdf.separators import separator_texts

# qpdf passes our streams through untouched; ASCII85 would only make them 25% larger.
rl_config.useA85 = 0


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    front_pages: int  # cover + index
    carrier_page: int
    rows: tuple[RowBox, ...]  # page numbers are 0-based pages in `pdf`
    codes: textdraw.Codes  # where the carrier put what stamps and tab pages draw


def render_volume(
    spec: BundleSpec,
    plan: BundlePlan,
    volume: VolumePlan,
    layout: IndexLayout,
    paper: tuple[float, float],
    stamp_texts: list[str],
    draft: DraftNotice | None = None,
) -> Rendered:
    """Draw cover, index and the carrier page (separators are drawn at assembly)."""
    fonts.ensure_fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=paper, invariant=1, pageCompression=1, pdfVersion=(1, 7))
    # The creator fields are dropped by assembly anyway; keep them free of client data.
    canvas.setCreator("Haven")
    canvas.setProducer("Haven")
    draw_cover(canvas, spec, paper, volume.number, len(plan.volumes), draft)
    rows = draw_index(canvas, layout, spec, plan, paper, first_page=1)
    page = 1 + len(layout.pages)
    texts = list(stamp_texts)
    if spec.settings.separator_pages:
        for pos in volume.tabs:
            texts += separator_texts(spec, plan.tabs[pos], paper)
    codes = _draw_carrier(canvas, texts)
    canvas.save()
    return Rendered(buf.getvalue(), 1 + len(layout.pages), page, tuple(rows), codes)


def _draw_carrier(canvas: Canvas, texts: list[str]) -> textdraw.Codes:
    """Everything stamps and tab pages draw, regular and bold, on throw-away pages: the
    characters of plain text once each, and every line that needs shaping whole (its
    glyphs depend on their neighbours)."""
    chars = set("0123456789ivxlcdm ")
    shaped = set()
    for text in texts:
        if shaping.needs_shaping(text):
            shaped.add(text)
        else:
            chars.update(text)
    line = "".join(sorted(c for c in chars if not c.isspace() or c == " "))
    pieces = [line[start : start + 60] for start in range(0, len(line), 60)] + sorted(shaped)
    drawn = []
    y = 700.0
    for base in (fonts.SANS, fonts.SANS_BOLD):
        for piece in pieces:
            canvas.setFont(base, 10)  # the subset exists even for a line of marks only
            textdraw.draw(canvas, 40, y, piece, base, 10)
            drawn.append(shaping.layout(piece, base))
            y -= 14
            if y < 40:
                canvas.showPage()
                y = 700.0
    codes = textdraw.subset_codes(canvas, drawn)
    canvas.showPage()
    return codes
