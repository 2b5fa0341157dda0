"""Tab separator pages: the printed tab a reader flips to, with the tab's title and date.

Drawn as a content stream with the bundle's embedded fonts (`stamp.TextKit`) rather
than a reportlab page each: a record with hundreds of tabs stays fast.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from clinic_app.domain.bundle import BundleSpec, TabPlan, section_letter
from clinic_app.typeset import fonts, textdraw
from clinic_app.pdf import vocab as v
from clinic_app.pdf.normalize import Frame
from clinic_app.pdf.stamp import TextKit

MARGIN = 72.0


def section_heading(spec: BundleSpec, tab: TabPlan) -> str:
    title = spec.sections[tab.section].title
    if spec.settings.section_prefixes:
        title = f"{section_letter(tab.section)}. {title}".strip()
    return title


def separator_lines(
    spec: BundleSpec, tab: TabPlan, paper: tuple[float, float]
) -> tuple[list[str], str, list[str], str]:
    """What a separator page prints, wrapped as it is drawn: section lines, tab label,
    title lines, date."""
    width = paper[0] - 2 * MARGIN
    section = section_heading(spec, tab)
    return (
        textdraw.wrap(section, fonts.SANS, 12, width) if section.strip() else [],
        v.tab_title(spec.language, tab.label),
        textdraw.wrap(tab.title, fonts.SANS_BOLD, 16, width),
        v.format_date(tab.date, spec.language),
    )


def separator_texts(spec: BundleSpec, tab: TabPlan, paper: tuple[float, float]) -> list[str]:
    """Every line a separator page prints (so the font subsets can include it)."""
    section, label, title, date = separator_lines(spec, tab, paper)
    return [*section, label, *title, date]


def separator_page(
    pdf: pikepdf.Pdf, kit: TextKit, spec: BundleSpec, tab: TabPlan, paper: tuple[float, float]
) -> pikepdf.Dictionary:
    """A new page object in `pdf` (not yet in its page tree) showing the tab."""
    w, h = paper
    frame = Frame(0, w, h)
    center = w / 2
    ops: list[bytes] = []
    lines, label, title, date = separator_lines(spec, tab, paper)
    y = h * 0.62
    if lines:
        top = y + 60 + 15 * (len(lines) - 1)
        ops += [
            kit.text_ops(frame, line, 12, center, top - 15 * n, "center")
            for n, line in enumerate(lines)
        ]
    ops.append(kit.text_ops(frame, label, 34, center, y, "center", bold=True))
    y -= 44
    for line in title:
        ops.append(kit.text_ops(frame, line, 16, center, y, "center", bold=True))
        y -= 21
    if date:
        ops.append(kit.text_ops(frame, date, 12, center, y - 6, "center"))
    page = pdf.make_indirect(
        Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, w, h]),
            Rotate=0,
            Contents=pdf.make_stream(b"0 g\n" + b"\n".join(ops)),
            Resources=Dictionary(),
        )
    )
    kit.install(page)
    return page
