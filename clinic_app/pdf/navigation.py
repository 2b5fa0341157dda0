"""Index links, bookmarks, page labels and document metadata, all read from the plan.

Courts have dismissed motions over unusable, unlinked records: every index line links
to its tab, the bookmarks mirror the index, and /PageLabels show the stamped numbers
in the viewer's page box.
"""

from __future__ import annotations

import datetime as _dt

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

from clinic_app.domain.bundle import (
    COVER,
    INDEX,
    SEPARATOR,
    BundlePlan,
    BundleSpec,
    PageSlot,
    VolumePlan,
    section_letter,
)
from clinic_app.pdf import vocab as v
from clinic_app.pdf.front_matter import RowBox

Pages = list[pikepdf.Dictionary]  # the volume's pages in order (indexing pdf.pages is O(n))


def _dest(pages: Pages, page_index: int) -> Array:
    return Array([pages[page_index], Name.Fit])


def tab_target(plan: BundlePlan, pos: int, part: int | None = None) -> int | None:
    """0-based page a link or bookmark for the tab (or part) lands on, in its volume."""
    tab = plan.tabs[pos]
    if tab.volume is None:
        return None
    if part is not None and tab.first_physical is not None:
        prior = sum(len(p.source_pages) for p in tab.parts[:part])
        return tab.first_physical - 1 + prior
    first = tab.separator_physical or tab.first_physical
    return first - 1 if first else None


def add_links(
    pdf: pikepdf.Pdf, pages: Pages, plan: BundlePlan, volume: VolumePlan, rows: tuple[RowBox, ...]
) -> None:
    """A /Link on each index row to its tab or part, for tabs in this volume."""
    by_page: dict[int, list[Dictionary]] = {}
    for row in rows:
        if plan.tabs[row.tab].volume != volume.number:
            continue
        target = tab_target(plan, row.tab, row.part)
        if target is None:
            continue
        by_page.setdefault(row.page, []).append(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([round(c, 2) for c in row.rect]),
                Border=Array([0, 0, 0]),
                Dest=_dest(pages, target),
            )
        )
    for page, links in by_page.items():
        pages[page][Name.Annots] = pdf.make_indirect(Array(links))


def add_outline(
    pdf: pikepdf.Pdf,
    pages: Pages,
    spec: BundleSpec,
    plan: BundlePlan,
    volume: VolumePlan,
    rows: tuple[RowBox, ...],
) -> None:
    """Bookmarks: Index, then sections > tabs > parts for this volume, reference entries too."""
    lang = spec.language
    index_page = {row.tab: row.page for row in rows if row.part is None}
    items: list[OutlineItem] = [OutlineItem(v.index_title(lang, spec.settings.index_heading), _dest(pages, 1))]
    section_item: OutlineItem | None = None
    current = -1
    for tab in plan.tabs:
        in_volume = tab.volume == volume.number
        if not in_volume and not tab.reference_only:
            continue
        target = tab_target(plan, tab.position) if in_volume else index_page.get(tab.position, 1)
        title = f"{v.tab_title(lang, tab.label)} \u2013 {tab.title}"
        if tab.reference_only:
            title += f" ({v.tr(lang, 'Reference only')})"
        item = OutlineItem(title, _dest(pages, target if target is not None else 1))
        if len(tab.parts) > 1 and in_volume:
            for n, part in enumerate(tab.parts):
                where = tab_target(plan, tab.position, n)
                item.children.append(OutlineItem(
                    v.part_title(lang, part.label, n + 1, part.exhibit, part.starts_exhibit), _dest(pages, where or 0)))
        if tab.section != current:
            current = tab.section
            heading = plan.sections[tab.section]
            if spec.settings.section_prefixes:
                heading = f"{section_letter(tab.section)}. {heading}".strip()
            first_here = next(
                (
                    tab_target(plan, t.position)
                    for t in plan.tabs
                    if t.section == tab.section and t.volume == volume.number
                ),
                None,
            )
            landing = _dest(pages, first_here) if first_here is not None else item.destination
            section_item = OutlineItem(heading, landing) if heading.strip() else None
            if section_item is not None:
                items.append(section_item)
        (section_item.children if section_item is not None else items).append(item)
    with pdf.open_outline() as outline:
        outline.root.extend(items)
    pdf.Root[Name.PageMode] = Name.UseOutlines


def _label_spec(spec: BundleSpec, plan: BundlePlan, slot: PageSlot) -> tuple[str, str, int]:
    """(style, prefix, start) for one page: style D (decimal), r (roman) or "" (prefix only)."""
    lang = spec.language
    if slot.label:
        if slot.kind in (COVER, INDEX) and not slot.label.isdigit():
            return ("r", "", _roman_value(slot.label))
        return ("D", "", int(slot.label))
    if slot.kind == COVER:
        return ("", v.tr(lang, "Cover"), 0)
    if slot.kind == INDEX:
        return ("D", v.index_title(lang, spec.settings.index_heading) + " ", 0)
    if slot.kind == SEPARATOR and slot.tab is not None:
        return ("", v.tab_title(lang, plan.tabs[slot.tab].label), 0)
    return ("", "", 0)


def set_page_labels(
    pdf: pikepdf.Pdf, spec: BundleSpec, plan: BundlePlan, volume: VolumePlan
) -> None:
    """/PageLabels ranges that reproduce each page's stamp (or a name for unnumbered pages)."""
    nums: list[object] = []
    previous: tuple[str, str, int] | None = None
    index_count = 0
    for i, slot in enumerate(volume.pages):
        style, prefix, start = _label_spec(spec, plan, slot)
        if slot.kind == INDEX and not slot.label:
            index_count += 1
            start = index_count
        continues = (
            previous is not None
            and style == previous[0]
            and prefix == previous[1]
            and style in ("D", "r")
            and start == previous[2] + 1
        )
        previous = (style, prefix, start)
        if continues:
            continue
        entry = Dictionary()
        if style:
            entry[Name.S] = Name("/" + style)
            if start != 1:
                entry[Name.St] = start
        if prefix:
            entry[Name.P] = pikepdf.String(prefix)
        nums.extend([i, entry])
    pdf.Root[Name.PageLabels] = Dictionary(Nums=Array(nums))


def _roman_value(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for a, b in zip(text, text[1:] + " "):
        va, vb = values[a], values.get(b, 0)
        total += -va if va < vb else va
    return total


def set_metadata(
    pdf: pikepdf.Pdf, spec: BundleSpec, volume: VolumePlan, volumes: int, when: _dt.date | None
) -> None:
    """Title/author/subject and dates from the spec only, so builds are reproducible."""
    lang = spec.language
    title = spec.title
    if spec.file_number.strip():
        title = f"{spec.file_number} \u2013 {title}"
    if volumes > 1:
        title += f" ({v.volume_line(lang, volume.number, volumes)})"
    info = Dictionary(
        Title=pikepdf.String(title),
        Creator=pikepdf.String("Haven"),
        Producer=pikepdf.String("Haven"),
    )
    if spec.counsel.strip():
        info[Name.Author] = pikepdf.String(spec.counsel.strip().splitlines()[0])
    if spec.forum.strip():
        info[Name.Subject] = pikepdf.String(spec.forum.strip())
    if when is not None:
        stamp = pikepdf.String(f"D:{when:%Y%m%d}000000")
        info[Name.CreationDate] = stamp
        info[Name.ModDate] = stamp
    pdf.trailer[Name.Info] = pdf.make_indirect(info)
    pdf.Root[Name.Lang] = pikepdf.String(f"{lang}-CA")
    pdf.Root[Name.ViewerPreferences] = Dictionary(DisplayDocTitle=True)
