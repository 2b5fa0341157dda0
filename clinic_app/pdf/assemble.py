"""Merge one volume: generated pages and source pages in plan order, stamped, then saved.

Pages are copied with qpdf (pikepdf), one source at a time; copying takes each page's
stream data along, so the source is closed before the next is fetched (see `pool`),
which keeps a 5,000-page bundle's memory to the output itself. Source pages are fitted inside the
stamps' margin; the generated pages (cover, index, tab pages) keep their own layout.
Saving uses a content-derived /ID and no clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable, Mapping
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Name

from clinic_app.domain.bundle import (
    BODY,
    PAPER_SIZES,
    SEPARATOR,
    BundlePlan,
    BundleSpec,
    PageSlot,
    VolumePlan,
)
from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.pdf import navigation, normalize, optional_content, sources
from clinic_app.pdf import vocab as v
from clinic_app.i18n import ngettext
from clinic_app.pdf.errors import SourceChanged, SourceUnreadable
from clinic_app.pdf.exhibit_stamps import Blocks, exhibit_blocks
from clinic_app.pdf.pool import SourcePool
from clinic_app.pdf.render import Rendered
from clinic_app.pdf.saving import save_with_content_id
from clinic_app.pdf.separators import separator_page
from clinic_app.pdf.stamp import TextKit
from clinic_app.pdf.stamp_area import StampArea, StampBlock, stamp_area

Tick = Callable[[], None]
_CONTENTS = Name.Contents  # Name.X builds a new Name on every use: 2 us a page


class _Writer:
    """Appends pages to `dest`, normalising and stamping each one.

    `pages` holds the page objects in order: pikepdf's `pdf.pages[i]`, `len(pdf.pages)`
    and `pdf.pages.append` cost time in proportion to the page count, which made
    5,000-page bundles quadratic.

    A page's stamps are drawn first, in the page's own state, then its old content, moved
    and clipped (`normalize.prefix_ops` ... `normalize.CLOSE`). Content that restores more
    states than it saved (stray `Q`s, which broken writers leave and hostile files add)
    can then neither move the stamps nor stop them: poppler stops drawing a page at the
    first `Q` with nothing to restore, and with the stamps last one stray `Q`, and a `cm`
    after it, lost every stamp of the page. Spare saved states keep such content inside
    its clip, out of the margin where the stamps are, so drawing them first changes
    nothing that is seen. (Content that restores more than GUARD spares can still paint
    over the margin; only parsing every page, at about 0.15 ms each, would stop that.)
    """

    def __init__(self, dest: pikepdf.Pdf, kit: TextKit, paper: tuple[float, float]) -> None:
        self.dest, self.kit, self.paper = dest, kit, paper
        self.pages: list[pikepdf.Dictionary] = []
        self.unseen: list[tuple[str, int, int]] = []  # (where, source page, annotations with nothing to draw)
        self._prefixes: dict[tuple[float, ...], pikepdf.Object] = {}
        self._closer: pikepdf.Object | None = None  # `normalize.CLOSE`, after the old content

    def add(self, page: pikepdf.Dictionary) -> pikepdf.Dictionary:
        """Append `page` (from another PDF, or new in `dest`); returns it as it is in `dest`."""
        local = page if page.is_owned_by(self.dest) else self.dest.copy_foreign(page)
        add_page = getattr(self.dest, "_add_page", None)
        if add_page is not None:  # qpdf's addPage: O(1); PageList.append calls len() first
            add_page(local, first=False)
        else:
            self.dest.pages.append(pikepdf.Page(local))
        self.pages.append(local)
        return local

    def place(
        self, page: pikepdf.Dictionary, stamp: str, header: str, inset: float = 0.0,
        block: StampBlock | None = None,
    ) -> None:
        """Fit `page` to the paper (inside `inset` points at every edge, and below an exhibit
        stamp's `block`) and stamp it."""
        keys = page.keys()  # asked once: each question to qpdf costs as much as the answer
        frame, placement = normalize.fit(page, self.paper, keys, inset, block.height if block else 0.0)
        normalize.apply_frame(page, frame, placement, keys)
        prefix = self._prefixes.get(placement)
        if prefix is None:  # pages of the same size share one prefix stream
            prefix = self._prefixes[placement] = self.dest.make_stream(normalize.prefix_ops(placement))
        ops = self.kit.stamp_ops(frame, stamp, header)
        if block is not None:
            ops += self.kit.block_ops(frame, block)
        stamps = self.dest.make_stream(ops)  # first: see `_Writer`'s docstring
        if self._closer is None:
            self._closer = self.dest.make_stream(normalize.CLOSE)
        contents = page.get("/Contents") if "/Contents" in keys else None
        if isinstance(contents, pikepdf.Array):
            page[_CONTENTS] = Array((stamps, prefix, *contents, self._closer))
        elif isinstance(contents, pikepdf.Stream):
            page[_CONTENTS] = Array((stamps, prefix, contents, self._closer))
        else:
            page[_CONTENTS] = Array((stamps, prefix, self._closer))
        self.kit.install(page)


def write_volume(
    out: BinaryIO,
    spec: BundleSpec,
    plan: BundlePlan,
    volume: VolumePlan,
    rendered: Rendered,
    pool: SourcePool,
    counts: Mapping[str, int],
    where: Callable[[int, int], str],
    when: _dt.date | None,
    tick: Tick,
    identity: str | None = None,
    draft: DraftNotice | None = None,
) -> list[str]:
    """Build the volume described by `volume` and save it to `out` (with /ID `identity`,
    or one hashed from the file's bytes when None); returns warnings for the person."""
    paper = PAPER_SIZES[spec.settings.paper]
    dest = pikepdf.new()
    try:
        with pikepdf.open(io.BytesIO(rendered.pdf)) as generated:
            pages, unseen = _fill(
                dest, generated, spec, plan, volume, rendered, pool, counts, where, tick, paper,
                _stamp_area(spec, plan, draft.mark if draft else ""),
                draft.mark if draft else "",
            )
        # the front matter's pages are copied: closed before the save, which is the peak
        navigation.add_links(dest, pages, plan, volume, rendered.rows)
        navigation.add_outline(dest, pages, spec, plan, volume, rendered.rows)
        navigation.set_page_labels(dest, spec, plan, volume)
        navigation.set_metadata(dest, spec, volume, len(plan.volumes), when)
        del pages
        save_with_content_id(dest, out, identity)
    finally:
        dest.close()
    return [unseen_warning(where, page, count) for where, page, count in unseen]


def unseen_warning(where: str, page: int, count: int) -> str:
    """What the person is told of annotations a source page shows but the bundle cannot."""
    return ngettext(
        "{where}, page {page}: {count} note or highlight has no drawn appearance in the document, so it is "
        "not in the bundle. To keep it, open the document in a PDF editor, save it (which draws it), and "
        "import it again.",
        "{where}, page {page}: {count} notes or highlights have no drawn appearance in the document, so they "
        "are not in the bundle. To keep them, open the document in a PDF editor, save it (which draws them), "
        "and import it again.", count).format(where=where, page=page, count=count)


def _stamp_area(spec: BundleSpec, plan: BundlePlan, mark: str = "") -> StampArea:
    """The stamps' margin, measured against every header of the bundle (the same in
    every volume, so every volume's pages are shrunk alike)."""
    header = spec.settings.header
    labels = [tab.label for tab in plan.tabs if tab.parts] if header else []
    headers = [v.header_text(spec.language, spec.file_number, label) for label in labels]
    if mark:  # a draft's mark prints in the bottom band: measured with the headers
        headers.append(mark)
    return stamp_area(spec.settings.margin_mm, headers)


def _fill(
    dest: pikepdf.Pdf,
    generated: pikepdf.Pdf,
    spec: BundleSpec,
    plan: BundlePlan,
    volume: VolumePlan,
    rendered: Rendered,
    pool: SourcePool,
    counts: Mapping[str, int],
    where: Callable[[int, int], str],
    tick: Tick,
    paper: tuple[float, float],
    area: StampArea,
    mark: str = "",
) -> tuple[list[pikepdf.Dictionary], list[tuple[str, int, int]]]:
    """Every page of the volume, in plan order, placed and stamped; returns the pages, and the
    source pages whose annotations had nothing to draw."""
    kit = TextKit(dest, generated, rendered.carrier_page, area, rendered.codes)
    writer = _Writer(dest, kit, paper)
    blocks = exhibit_blocks(spec, plan)
    if mark:
        writer.kit.set_mark(mark)
    slots = volume.pages
    i = 0
    while i < len(slots):
        slot = slots[i]
        if slot.kind == BODY:
            run = _run(slots, i)
            _copy_part(writer, spec, plan, run, pool, counts, where, tick, blocks)
            i += len(run)
            continue
        if slot.kind == SEPARATOR and slot.tab is not None:
            page = writer.add(separator_page(dest, writer.kit, spec, plan.tabs[slot.tab], paper))
        else:
            page = writer.add(generated.pages[i].obj)
        writer.place(page, slot.stamp, "")
        tick()
        i += 1
    return writer.pages, writer.unseen


def _run(slots: tuple[PageSlot, ...], start: int) -> list[PageSlot]:
    """The consecutive body slots of one part, starting at `start`."""
    first = slots[start]
    end = start
    while (
        end < len(slots)
        and slots[end].kind == BODY
        and slots[end].tab == first.tab
        and slots[end].part == first.part
    ):
        end += 1
    return list(slots[start:end])


def _copy_part(
    writer: _Writer,
    spec: BundleSpec,
    plan: BundlePlan,
    run: list[PageSlot],
    pool: SourcePool,
    counts: Mapping[str, int],
    where: Callable[[int, int], str],
    tick: Tick,
    blocks: Blocks | None = None,
) -> None:
    """Copy one part's pages from its source, close it, then place and stamp the pages; an
    exhibit's first page gets its exhibit stamp."""
    dest = writer.dest
    tab_pos, part_no = run[0].tab, run[0].part
    assert tab_pos is not None and part_no is not None
    tab = plan.tabs[tab_pos]
    part = tab.parts[part_no]
    label = where(tab_pos, part_no)
    header = (
        v.header_text(spec.language, spec.file_number, tab.label) if spec.settings.header else ""
    )
    opened = pool.take(part.document_id, label)
    try:
        src = opened.pdf
        src_pages = list(src.pages)  # one pass: indexing src.pages costs O(pages) each time
        if len(src_pages) != counts[part.document_id]:  # the plan was made for other pages
            raise SourceChanged(label)
        wanted = [src_pages[(slot.source_page or 1) - 1] for slot in run]
        hiding = optional_content.hider(src)  # None for nearly every source: no layer is off
        if hiding is not None:
            hiding.drop_annotations(wanted)
        for slot, page in zip(run, wanted):
            if missing := sources.undrawable_annotations(page.obj):
                writer.unseen.append((label, slot.source_page or 1, missing))
        sources.flatten_if_annotated(src, wanted)
        if hiding is not None:
            hiding.clean_pages(wanted)
        first = sources.marker(dest)
        added = []
        for page in wanted:
            sources.clean_page(page.obj)
            added.append(writer.add(page.obj))
        sources.defuse(dest, first + 1, sources.marker(dest))
    except SourceChanged:
        opened.close()
        raise
    except Exception as exc:  # a page tree qpdf could open but not copy
        opened.close()
        raise SourceUnreadable(label) from exc
    pool.copied(opened)
    inset = writer.kit.area.band
    block = (blocks or {}).get((tab_pos, part_no))
    for k, (page, slot) in enumerate(zip(added, run)):
        writer.place(page, slot.stamp, header, inset, block if k == 0 else None)
        tick()
