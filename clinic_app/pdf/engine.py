"""Build a hearing bundle: the one entry point services call.

1. Open each source to learn its page count and size, with clear errors up front
   (skipped when the caller passes the page counts recorded at import). Sources that
   fit the memory budget stay open for step 3 (see `pool`).
2. Lay out the index, then plan: its page count fixes where the documents start.
3. Per volume: draw cover and index, merge, normalise and stamp every page, add tab
   pages, links, bookmarks and page labels, and save through `output_writer`. All
   volumes are renamed into place only when all are written, so a cancel or an error
   leaves no output and no temp file.
4. With a size limit, a volume that came out larger than estimated triggers a re-plan
   with corrected estimates (at most twice), then a warning.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pikepdf
from reportlab import Version as _REPORTLAB_VERSION

from clinic_app import __version__ as _HAVEN_VERSION
from clinic_app.domain.bundle import (
    MB,
    PAPER_SIZES,
    BundlePlan,
    BundleSpec,
    plan_bundle,
    tab_labels,
    validate_spec,
)
from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.i18n import _
from clinic_app.output_files import check_target, output_writer
from clinic_app.pdf import vocab as v
from clinic_app.pdf.assemble import write_volume
from clinic_app.pdf.exhibit_stamps import block_texts, exhibit_blocks
from clinic_app.pdf.front_matter import IndexLayout, layout_index
from clinic_app.pdf.pool import SourcePool
from clinic_app.pdf.render import render_volume

FIXED_BYTES = 50_000.0  # embedded font subsets, outline, metadata
FRONT_PAGE_BYTES = 4_000.0
SEPARATOR_BYTES = 2_000.0
PAGE_OVERHEAD = 400.0  # stamp stream and page dictionary per page
_ATTEMPTS = 3


@dataclass(frozen=True)
class TabResult:
    label: str
    volume: int | None
    first_number: int | None  # stamped numbers of its document pages
    last_number: int | None
    first_physical: int | None  # 1-based page positions in its volume file
    last_physical: int | None
    separator_physical: int | None
    reference_only: bool


@dataclass(frozen=True)
class VolumeResult:
    number: int
    path: Path
    pages: int
    first_number: int | None
    last_number: int | None
    size_bytes: int


@dataclass(frozen=True)
class BuildResult:
    volumes: tuple[VolumeResult, ...]
    tabs: tuple[TabResult, ...]
    total_pages: int  # physical pages over all volumes
    numbered_pages: int
    warnings: tuple[str, ...] = ()

    @property
    def files(self) -> list[Path]:
        return [vol.path for vol in self.volumes]


class _TooLarge(Exception):
    def __init__(self, ratio: float) -> None:
        self.ratio = ratio


def volume_paths(out_path: Path, count: int) -> list[Path]:
    """`out.pdf` for one volume, else `out-vol1.pdf`, `out-vol2.pdf`..."""
    if count == 1:
        return [out_path]
    return [
        out_path.with_name(f"{out_path.stem}-vol{n}{out_path.suffix}") for n in range(1, count + 1)
    ]


def build_bundle(
    spec: BundleSpec,
    sources: Callable[[str], BinaryIO | bytes],
    out_path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    today: _dt.date | None = None,
    page_counts: Mapping[str, int] | None = None,
    fingerprints: Mapping[str, str] | None = None,
    draft: DraftNotice | None = None,
) -> BuildResult:
    """Build the bundle described by `spec` into `out_path` (or its volumes).

    `draft` marks a build that must never pass for a filing: its mark prints on every
    page and its cover lists what is missing.

    `page_counts` (document id -> pages, as recorded at import) lets the engine skip
    a first pass over the sources; every count is still checked when the source is
    copied, and a mismatch stops the build (SourceChanged) rather than let the index
    drift. With a size limit the first pass still runs, to learn the sizes.
    `fingerprints` (document id -> SHA-256 of the bytes `sources` returns, which the
    caller has checked) let each file's /ID be derived from its inputs rather than
    from a second pass over its own bytes (see `input_identity`).
    """
    validate_spec(spec)
    out_path = Path(out_path)
    check_target(out_path)  # before the work, and before volume names are made from it
    labels = tab_labels(spec)
    where_doc: dict[str, str] = {}
    for pos, (_s, tab) in enumerate(spec.iter_tabs()):
        for n, part in enumerate(tab.parts):
            where_doc.setdefault(part.document_id, _where(labels, pos, n))
    pool = SourcePool(sources)
    try:
        return _build(spec, pool, out_path, labels, where_doc, progress, cancel, today, page_counts,
                      fingerprints, draft)
    finally:
        pool.close()


def _build(
    spec: BundleSpec,
    pool: SourcePool,
    out_path: Path,
    labels: list[str],
    where_doc: dict[str, str],
    progress: Progress,
    cancel: CancelToken | None,
    today: _dt.date | None,
    page_counts: Mapping[str, int] | None,
    fingerprints: Mapping[str, str] | None,
    draft: DraftNotice | None = None,
) -> BuildResult:
    doc_ids = spec.document_ids()
    if page_counts is not None and spec.settings.max_mb is None:
        counts = {d: page_counts[d] for d in doc_ids if d in page_counts}
        per_page = {d: PAGE_OVERHEAD for d in counts}
    else:
        facts = {}
        for n, doc_id in enumerate(doc_ids, start=1):
            if cancel:
                cancel.raise_if_cancelled()
            facts[doc_id] = pool.inspect(doc_id, where_doc[doc_id])
            progress(
                n,
                len(doc_ids),
                _("Checking document {number} of {total}").format(number=n, total=len(doc_ids)),
            )
        counts = {d: f.page_count for d, f in facts.items()}
        per_page = {d: f.size / f.page_count + PAGE_OVERHEAD for d, f in facts.items()}
    paper = PAPER_SIZES[spec.settings.paper]
    limits = spec.settings.max_pages is not None or spec.settings.max_mb is not None
    first = plan_bundle(spec, counts, front_pages=1, page_bytes=per_page)
    layout = layout_index(spec, first, paper, show_volumes=limits)
    front = 1 + len(layout.pages)
    if spec.settings.front_matter_numbering == "arabic":  # the index's own pages move every number it shows
        for _attempt in range(_ATTEMPTS):
            planned = plan_bundle(spec, counts, front_pages=front, page_bytes=per_page)
            layout = layout_index(spec, planned, paper, show_volumes=limits)
            if 1 + len(layout.pages) == front:
                break
            front = 1 + len(layout.pages)
    when = spec.date or today
    identity = input_identity(spec, when, fingerprints, draft) if fingerprints is not None else None
    scale = 1.0
    for attempt in range(1, _ATTEMPTS + 1):
        plan = plan_bundle(
            spec,
            counts,
            front_pages=front,
            page_bytes={d: b * scale for d, b in per_page.items()},
            fixed_bytes=FIXED_BYTES + FRONT_PAGE_BYTES * front,
            separator_bytes=SEPARATOR_BYTES,
        )
        try:
            return _write_all(
                spec,
                plan,
                layout,
                pool,
                counts,
                out_path,
                labels,
                when,
                progress,
                cancel,
                identity,
                strict=attempt < _ATTEMPTS,
                draft=draft,
            )
        except _TooLarge as exc:
            scale *= exc.ratio * 1.05
    raise AssertionError("unreachable")  # the last attempt never raises _TooLarge


def input_identity(
    spec: BundleSpec, when: _dt.date | None, fingerprints: Mapping[str, str],
    draft: DraftNotice | None = None,
) -> str | None:
    """A digest of everything a build reads: the spec (cover, settings, tabs), the date,
    each source's SHA-256, and the versions of Haven and of the libraries that draw and
    write the file. Same inputs, same digest; None when a source has no fingerprint.
    Sources count by content, not by the vault's name for them: a served bundle imported
    under renamed refs is still the same file."""
    docs = spec.document_ids()
    if any(not fingerprints.get(doc) for doc in docs):
        return None
    drawn = spec.to_dict()
    for section in drawn["sections"]:
        for tab in section["tabs"]:
            for part in tab["parts"]:
                part["document_id"] = fingerprints[part["document_id"]]
    inputs = {
        "identity": 2,
        "haven": _HAVEN_VERSION,
        "pikepdf": pikepdf.__version__,
        "qpdf": pikepdf.__libqpdf_version__,
        "reportlab": _REPORTLAB_VERSION,
        "spec": drawn,
        "date": when.isoformat() if when else None,
    }
    if draft is not None:
        inputs["draft"] = [draft.mark, draft.heading, *draft.lines]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _volume_identity(identity: str | None, number: int, count: int) -> str | None:
    if identity is None:
        return None
    return hashlib.sha256(f"{identity} volume {number} of {count}".encode()).hexdigest()


def _where(labels: list[str], pos: int, part: int) -> str:
    return _("Tab {tab}, part {part}").format(tab=labels[pos], part=part + 1)


def _write_all(
    spec: BundleSpec,
    plan: BundlePlan,
    layout: IndexLayout,
    pool: SourcePool,
    counts: Mapping[str, int],
    out_path: Path,
    labels: list[str],
    when: _dt.date | None,
    progress: Progress,
    cancel: CancelToken | None,
    identity: str | None,
    strict: bool,
    draft: DraftNotice | None = None,
) -> BuildResult:
    paper = PAPER_SIZES[spec.settings.paper]
    paths = volume_paths(out_path, len(plan.volumes))
    total = sum(len(vol.pages) for vol in plan.volumes)
    done = 0

    adding = _("Adding page {number} of {total}")  # looked up once, not per page

    def tick() -> None:
        nonlocal done
        done += 1
        progress(done, total, adding.format(number=done, total=total))
        if cancel:
            cancel.raise_if_cancelled()

    stamp_texts = [v.header_text(spec.language, spec.file_number, label) for label in labels]
    if draft is not None:
        stamp_texts.append(draft.mark)
    stamp_texts += block_texts(exhibit_blocks(spec, plan))
    limit = spec.settings.max_mb * MB if spec.settings.max_mb else None
    sizes: list[int] = []
    warnings: list[str] = []
    with contextlib.ExitStack() as stack:
        for vol, path in zip(plan.volumes, paths):
            fh = stack.enter_context(output_writer(path))
            rendered = render_volume(spec, plan, vol, layout, paper, stamp_texts, draft)
            warnings += write_volume(
                fh,
                spec,
                plan,
                vol,
                rendered,
                pool,
                counts,
                lambda pos, part: _where(labels, pos, part),
                when,
                tick,
                _volume_identity(identity, vol.number, len(plan.volumes)),
                draft,
            )
            sizes.append(fh.tell())
        over = [(vol, size) for vol, size in zip(plan.volumes, sizes) if limit and size > limit]
        if over and strict:
            raise _TooLarge(max(size / max(vol.estimated_bytes, 1.0) for vol, size in over))
        for vol, size in over:
            warnings.append(
                _("Volume {number} is {size} MB, above the limit of {limit} MB.").format(
                    number=vol.number, size=round(size / MB, 1), limit=spec.settings.max_mb
                )
            )
        if cancel:
            cancel.raise_if_cancelled()
    return _result(plan, paths, sizes, warnings)


def _result(
    plan: BundlePlan, paths: list[Path], sizes: list[int], warnings: list[str]
) -> BuildResult:
    volumes = tuple(
        VolumeResult(vol.number, path, len(vol.pages), vol.first_number, vol.last_number, size)
        for vol, path, size in zip(plan.volumes, paths, sizes)
    )
    tabs = tuple(
        TabResult(
            t.label,
            t.volume,
            t.first_number,
            t.last_number,
            t.first_physical,
            t.last_physical,
            t.separator_physical,
            t.reference_only,
        )
        for t in plan.tabs
    )
    return BuildResult(
        volumes, tabs, sum(vol.pages for vol in volumes), plan.numbered_pages, tuple(warnings)
    )
