"""Build a whole filing package, or render one generated document on its own.

Order of work: pre-flight (refuse unless forced), lay the package out (sections in
the required order), render the generated documents with the tab numbers they will
have, then hand everything to the bundle engine, which numbers the pages, draws the
index and writes the file atomically. Working copies come straight from the vault,
one at a time; nothing is written anywhere but the output.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pikepdf

from clinic_app.domain.bundle import BundleSpec
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.packages import (
    DOC,
    GEN,
    Enclosure,
    Forum,
    Generated,
    PackageNotReady,
    PackageProblem,
    display_name,
    evaluate,
    get_package,
    layout_package,
    output_context,
    packages_for,
)
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput
from clinic_app.fsutil import atomic_write_bytes
from clinic_app.i18n import _
from clinic_app.pdf.engine import BuildResult
from clinic_app.pdf.generated import render
from clinic_app.services import evidence
from clinic_app.services.package_records import load_records, package_inputs, prepare
from clinic_app.services.session import Session

Sources = Callable[[str], "BinaryIO | bytes"]


@dataclass(frozen=True)
class PackageBuild:
    package: str
    files: tuple[Path, ...]
    pages: int
    tabs: int
    sections: tuple[str, ...]  # section titles in the matter's language, in order
    problems: tuple[PackageProblem, ...]  # what pre-flight found (errors only when forced)
    forced: bool
    result: BuildResult

    @property
    def warnings(self) -> list[str]:
        return [p.message for p in self.problems]


def assemble(spec: BundleSpec, sources: Sources, out_path: Path, *, progress: Progress,
             cancel: CancelToken | None, today: date, page_counts: Mapping[str, int] | None = None) -> BuildResult:
    """The one call into the bundle engine (kept apart so it can be swapped or wrapped)."""
    from clinic_app.pdf.engine import build_bundle

    return build_bundle(spec, sources, out_path, progress=progress, cancel=cancel, today=today,
                        page_counts=page_counts)


def _page_counts(spec: BundleSpec, documents: Iterable[DocumentMeta],
                 generated: Mapping[str, bytes]) -> dict[str, int] | None:
    """Page counts recorded at import, so the engine need not read every source twice;
    None when any is unknown (the engine then counts them itself)."""
    known = {DOC + d.ref: d.page_count for d in documents if d.page_count}
    for doc_id, data in generated.items():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            known[doc_id] = len(pdf.pages)
    wanted = spec.document_ids()
    return {d: known[d] for d in wanted} if all(d in known for d in wanted) else None


def build_package(
    session: Session, matter_ref: str, package: str, out_path: Path, *, force: bool = False,
    today: date | None = None, province: str = "ON", letter_themes: Iterable[str] | None = None,
    include_cover_letter: bool = True, withhold_name: bool | None = None,
    progress: Progress = no_progress, cancel: CancelToken | None = None,
) -> PackageBuild:
    """Build `package` for the matter into `out_path`.

    Raises PackageNotReady (listing every blocking problem) unless `force`; with
    `force` the package is built as it is and the problems come back in the result.
    """
    session.require(Permission.BUILD)
    day = today or date.today()
    progress(0, 1, _("Checking the package"))
    prepared = prepare(session, matter_ref, package, today=day, province=province, letter_themes=letter_themes)
    report, rec, inputs = prepared.report, prepared.records, prepared.inputs
    if not report.ready and not force:
        raise PackageNotReady(list(report.problems))
    if cancel:
        cancel.raise_if_cancelled()
    lang = rec.matter.language.value
    name, _withheld = display_name(rec.client, withhold_name)
    layout = layout_package(report.checklist, inputs, lang=lang, today=day, client_name=name,
                            include_cover_letter=include_cover_letter)
    if not layout.spec.sections:
        raise BadInput(_("There is nothing to build: the package has no documents yet."))
    ctx = output_context(rec.matter, rec.client, forum=report.package.forum, today=day, package=report.package,
                         documents=rec.documents, letters=rec.letters, links=rec.links, tabs=layout.tabs,
                         enclosures=layout.enclosures, withhold_name=withhold_name)
    generated = {GEN + kind.value: render(kind, ctx) for kind in layout.generated}

    def sources(doc_id: str) -> BinaryIO | bytes:
        if doc_id in generated:
            return generated[doc_id]
        if doc_id.startswith(DOC):
            return evidence.read_working(session, doc_id[len(DOC):])
        raise KeyError(doc_id)

    result = assemble(layout.spec, sources, Path(out_path), progress=progress, cancel=cancel, today=day,
                      page_counts=_page_counts(layout.spec, rec.documents, generated))
    tabs = sum(len(s.tabs) for s in layout.spec.sections)
    with session.transaction():
        session.audit("package_built", target=f"matter:{rec.matter_id}", detail={
            "package": report.package.type.value, "tabs": tabs, "pages": result.total_pages,
            "forced": bool(force and not report.ready), "errors": len(report.errors),
            "warnings": len(report.warnings), "volumes": len(result.volumes)})
    return PackageBuild(report.package.type.value, tuple(result.files), result.total_pages, tabs,
                        tuple(s.title for s in layout.spec.sections), report.problems,
                        bool(force and not report.ready), result)


_FORUM_OF_MATTER = {"rpd_claim": Forum.RPD, "rad_appeal": Forum.RAD, "fc_jr": Forum.FC, "stay_motion": Forum.FC,
                    "deferral": Forum.CBSA, "ministerial_relief": Forum.CBSA, "stca": Forum.CBSA}


def render_document(
    session: Session, matter_ref: str, kind: Generated | str, out_path: Path, *, package: str | None = None,
    today: date | None = None, lang: str | None = None, withhold_name: bool | None = None,
) -> Path:
    """Render one generated document (a cover letter, a draft affidavit...) to `out_path`.

    With a package (by default the first that fits the matter) the document knows the
    package's tabs. Drafts come out with the DRAFT banner and are not stored in the vault.
    """
    session.require(Permission.BUILD)
    kind = Generated(kind)
    day = today or date.today()
    rec = load_records(session, matter_ref)
    fits = packages_for(rec.matter.type)
    definition = get_package(package) if package else (fits[0] if fits else None)
    tabs: dict[str, str] = {}
    enclosures: tuple[Enclosure, ...] = ()
    if definition is not None:
        inputs = package_inputs(session, rec, definition)
        name, _w = display_name(rec.client, withhold_name)
        layout = layout_package(evaluate(definition, inputs), inputs, lang=lang or rec.matter.language.value,
                                today=day, client_name=name)
        tabs, enclosures = layout.tabs, layout.enclosures
    forum = definition.forum if definition else _FORUM_OF_MATTER.get(rec.matter.type.value, Forum.IRCC)
    ctx = output_context(rec.matter, rec.client, forum=forum, today=day, package=definition, lang=lang,
                         documents=rec.documents, letters=rec.letters, links=rec.links, tabs=tabs,
                         enclosures=enclosures, withhold_name=withhold_name)
    atomic_write_bytes(Path(out_path), render(kind, ctx))
    with session.transaction():
        session.audit("document_generated", target=f"matter:{rec.matter_id}",
                      detail={"kind": kind.value, "package": definition.type.value if definition else None})
    return Path(out_path)
