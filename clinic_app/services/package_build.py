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
from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.domain.packages import (
    DOC,
    DRAFT_LABELS,
    DRAFTS,
    GEN,
    Enclosure,
    Forum,
    Generated,
    PackageDef,
    PackageNotReady,
    PackageProblem,
    display_name,
    evaluate,
    get_package,
    layout_package,
    output_context,
    packages_for,
)
from clinic_app.domain.packages.layout import reserve_item
from clinic_app.domain.packages.notice import forced_notice
from clinic_app.domain.packages.output import ExhibitLine
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput
from clinic_app.i18n import _, translate_for
from clinic_app.output_files import output_write_bytes
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
             cancel: CancelToken | None, today: date, page_counts: Mapping[str, int] | None = None,
             draft: DraftNotice | None = None) -> BuildResult:
    """The one call into the bundle engine (kept apart so it can be swapped or wrapped)."""
    from clinic_app.pdf.engine import build_bundle

    return build_bundle(spec, sources, out_path, progress=progress, cancel=cancel, today=today,
                        page_counts=page_counts, draft=draft)


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
    today: date | None = None, province: str | None = None, letter_themes: Iterable[str] | None = None,
    include_cover_letter: bool = True, withhold_name: bool | None = None,
    progress: Progress = no_progress, cancel: CancelToken | None = None,
) -> PackageBuild:
    """Build `package` for the matter into `out_path`.

    Raises PackageNotReady (listing every blocking problem) unless `force`; with
    `force` the package is built as it is, marked "DRAFT — not ready to file" on every
    page with what is missing on its cover, and the problems come back in the result.
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
                         enclosures=layout.enclosures, withhold_name=withhold_name, exhibits=layout.exhibits,
                         correspondence=rec.correspondence)
    generated = {GEN + kind.value: render(kind, ctx) for kind in layout.generated}

    def sources(doc_id: str) -> BinaryIO | bytes:
        if doc_id in generated:
            return generated[doc_id]
        if doc_id.startswith(DOC):
            return evidence.read_working(session, doc_id[len(DOC):])
        raise KeyError(doc_id)

    draft = None if report.ready else forced_notice(report.checklist, report.problems, lang)
    result = assemble(layout.spec, sources, Path(out_path), progress=progress, cancel=cancel, today=day,
                      page_counts=_page_counts(layout.spec, rec.documents, generated), draft=draft)
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
                    "deferral": Forum.CBSA, "ministerial_relief": Forum.CBSA, "stca": Forum.CBSA,
                    "mandamus": Forum.FC}


def render_document(
    session: Session, matter_ref: str, kind: Generated | str, out_path: Path, *, package: str | None = None,
    today: date | None = None, lang: str | None = None, withhold_name: bool | None = None,
) -> Path:
    """Render one generated document (a cover letter, a draft affidavit...) to `out_path`.

    With a package (by default the first that fits the matter) the document knows the
    package's tabs: a draft cites them as they will be once the signed document it
    becomes fills its item. Drafts come out with the DRAFT banner on every page and are
    not stored in the vault.
    """
    session.require(Permission.BUILD)
    kind = Generated(kind)
    day = today or date.today()
    rec = load_records(session, matter_ref)
    fits = packages_for(rec.matter.type)
    definition = get_package(package) if package else (fits[0] if fits else None)
    lang = lang or rec.matter.language.value
    tabs: dict[str, str] = {}
    items: dict[str, str] = {}
    enclosures: tuple[Enclosure, ...] = ()
    exhibits: tuple[ExhibitLine, ...] = ()
    if definition is not None:
        inputs = package_inputs(session, rec, definition)
        filled = evaluate(definition, inputs)
        becomes = next((item.id for _s, item in definition.items() if item.draft is kind), None)
        if becomes is not None:
            filled, inputs = reserve_item(filled, inputs, becomes, translate_for(lang, DRAFT_LABELS[kind]), day)
        name, _w = display_name(rec.client, withhold_name)
        layout = layout_package(filled, inputs, lang=lang, today=day, client_name=name)
        tabs, enclosures, items, exhibits = layout.tabs, layout.enclosures, layout.items, layout.exhibits
    forum = definition.forum if definition else _FORUM_OF_MATTER.get(rec.matter.type.value, Forum.IRCC)
    ctx = output_context(rec.matter, rec.client, forum=forum, today=day, package=definition, lang=lang,
                         documents=rec.documents, letters=rec.letters, links=rec.links, tabs=tabs,
                         enclosures=enclosures, withhold_name=withhold_name, items=items, exhibits=exhibits,
                         correspondence=rec.correspondence)
    output_write_bytes(Path(out_path), render(kind, ctx))
    with session.transaction():
        session.audit("document_generated", target=f"matter:{rec.matter_id}",
                      detail={"kind": kind.value, "package": definition.type.value if definition else None})
    return Path(out_path)


def draft_kinds(session: Session, matter_ref: str, package: str | None = None) -> list[Generated]:
    """The drafts Haven can write for the matter: those of `package`, or of every package
    that fits the matter's type, in checklist order."""
    return list(dict.fromkeys(kind for d in _packages_of(session, matter_ref, package) for kind in d.drafts()))


def _packages_of(session: Session, matter_ref: str, package: str | None) -> list[PackageDef]:
    return [get_package(package)] if package else packages_for(load_records(session, matter_ref).matter.type)


def write_draft(session: Session, matter_ref: str, kind: Generated | str, out_path: Path, *,
                package: str | None = None, today: date | None = None) -> Path:
    """A draft for a person to finish and sign (deferral request, H&C submissions, statement or
    affidavit of service, translator's declaration or affidavit, the applicant's affidavit listing
    its exhibits, a mandamus memorandum), in the matter's language,
    marked DRAFT on every page. Refuses a kind that is not a draft, or not one of the matter's."""
    value = str(getattr(kind, "value", kind))
    known = sorted(k.value for k in DRAFTS)
    if value not in known:
        raise BadInput(_("Haven cannot draft {kind}; it drafts: {kinds}.").format(kind=value, kinds=", ".join(known)))
    wanted = Generated(value)
    fitting = [d for d in _packages_of(session, matter_ref, package) if wanted in d.drafts()]
    if not fitting:
        offered = draft_kinds(session, matter_ref, package)
        raise BadInput(_("{kind} is not among the drafts for this matter; choose one of: {kinds}.").format(
            kind=value, kinds=", ".join(k.value for k in offered) or "-"))
    return render_document(session, matter_ref, wanted, out_path, package=fitting[0].type.value, today=today)
