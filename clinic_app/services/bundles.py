"""Bundle projects: save and reload, pre-flight, build, serve (freezing pagination),
supplementary bundles and the service log.

A project is a BundleSpec saved as JSON in the vault. Building reads each
document's sanitised working copy from the vault, fills the cover from the matter,
and writes through the engine (temp file in the target folder, then rename). Once a
bundle is marked served, what that build read (the spec as drawn, its date, each
source's SHA-256) and its page map are frozen in the service log: every later build
of it reads that content, whatever happens to the documents (`served_content`). A
supplementary bundle continues the tabs and pages after everything served.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from clinic_app.domain.bundle import BundleSpec, Section, Tab
from clinic_app.domain.bundle_content import BundleContent
from clinic_app.domain.changes import Changes
from clinic_app.domain.client import Client
from clinic_app.domain.deadlines import compute_deadlines
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.ids import BundleId
from clinic_app.domain.matter import Matter
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput
from clinic_app.i18n import _
from clinic_app.pdf import engine
from clinic_app.pdf.engine import BuildResult
from clinic_app.pdf.preflight import DocumentFacts, Problem, preflight
from clinic_app.services import served_content
from clinic_app.services.bundle_specs import check_settings, fill_cover, tab_for_document, with_settings
from clinic_app.services.prefetch import Prefetcher, collector_paused, quick_handover
from clinic_app.services.session import Session
from clinic_app.vault import bundle_service, records
from clinic_app.vault.bundle_service import ServiceEntry
from clinic_app.vault.reader import ReaderSource

# the disclosure-type deadline that a bundle for this kind of matter must meet
DISCLOSURE_RULES = {"rpd_claim": "rpd.disclosure", "rad_appeal": "rad.record", "fc_jr": "fc.applicants_record",
                    "stay_motion": "fc.stay_motion_record", "prra": "prra.submissions"}


def load_project(session: Session, bundle_ref: str) -> tuple[str, BundleSpec]:
    """(matter ref, spec) of a saved project; volunteers may not."""
    session.require(Permission.BUILD)
    _bundle_id, matter_ref, data = records.load_bundle(session.vault.conn, bundle_ref)
    return matter_ref, BundleSpec.from_dict(data)


def tabs_for_documents(session: Session, refs: list[str], *, language: str = "en") -> list[Tab]:
    """One tab per document, its translation and translator's declaration travelling in it."""
    session.require(Permission.BUILD)
    return [tab_for_document(session.vault.conn, ref, language=language) for ref in refs]


def save_project(session: Session, bundle_ref: str, matter_ref: str, spec: BundleSpec) -> Changes:
    """Save (or replace) a project; a served bundle is frozen and refuses changes."""
    session.require(Permission.BUILD)
    conn = session.vault.conn
    existing = records.bundle_id(conn, bundle_ref)
    if existing is not None and bundle_service.entries(conn, bundle_id=existing):
        raise BadInput(_("Bundle {ref} has been served, so its pages are frozen. Create a supplementary "
                         "bundle instead.").format(ref=bundle_ref))
    with session.transaction():
        bundle_id, created = records.save_bundle(conn, bundle_ref, matter_ref, spec.to_dict())
        session.audit("bundle_created" if created else "bundle_updated", target=f"bundle:{bundle_id}")
    return Changes(bundles=frozenset({BundleId(bundle_id)}))


def change_settings(session: Session, bundle_ref: str, given: Mapping[str, Any]) -> BundleSpec:
    """Change the named settings of a project (manifest names: paper, header, tab_sheets...),
    checked by the domain's rules; a served bundle refuses, as every change to it does."""
    matter_ref, spec = load_project(session, bundle_ref)
    changed = with_settings(spec, given)
    check_settings(changed)
    save_project(session, bundle_ref, matter_ref, changed)
    return changed


def projects(session: Session, matter_ref: str) -> list[tuple[str, BundleSpec]]:
    session.require(Permission.BUILD)
    conn = session.vault.conn
    return [(ref, BundleSpec.from_dict(data))
            for ref, data in records.bundles_of_matter(conn, records.require_id(conn, "matters", matter_ref))]


def _matter_and_client(session: Session, matter_ref: str) -> tuple[Matter, Client]:
    conn = session.vault.conn
    matter = records.load(conn, Matter, records.require_id(conn, "matters", matter_ref))
    client = records.load(conn, Client, records.require_id(conn, "clients", matter.client_ref))
    return matter, client


def disclosure_deadline(session: Session, matter: Matter) -> date | None:
    """The matter's disclosure deadline under the clinic's rules and province, if it has one."""
    rule_id = DISCLOSURE_RULES.get(matter.type.value)
    if rule_id is None:
        return None
    from clinic_app.services.deadlines import context_for

    context = context_for(session)
    dates = {k: v for k, v in dataclasses.asdict(matter.dates).items() if v}
    found = compute_deadlines(matter.type.value, dates, context.rules.rules, context.calendar)
    return next((d.due for d in found if d.rule_id == rule_id and d.kind == "due"), None)


def document_facts(session: Session, spec: BundleSpec) -> dict[str, DocumentFacts]:
    """What the vault knows of each source: present, pages, text layer, hash, language, size."""
    conn = session.vault.conn
    facts: dict[str, DocumentFacts] = {}
    for ref in spec.document_ids():
        doc_id = records.id_for(conn, "documents", ref)
        if doc_id is None:
            facts[ref] = DocumentFacts(present=False)
            continue
        doc = records.load(conn, DocumentMeta, doc_id)
        facts[ref] = DocumentFacts(present=True, page_count=doc.page_count or 0,
                                   pages_without_text=len(doc.pages_without_text), sha256=doc.sha256 or "",
                                   language=doc.language or doc.language_guess, size_bytes=doc.size or 0)
    return facts


def check(session: Session, bundle_ref: str, *, today: date | None = None) -> list[Problem]:
    """Pre-flight problems, by tab, before building."""
    matter_ref, spec = load_project(session, bundle_ref)
    matter, _client = _matter_and_client(session, matter_ref)
    today = today or date.today()
    return preflight(spec, document_facts(session, spec), deadline=disclosure_deadline(session, matter), today=today)


@dataclass(frozen=True)
class BuildOrder:
    """All a build needs from the vault except the documents' bytes: plain data, so the
    desktop app can hand it to a child process (see `services.build_process`)."""

    bundle_ref: str
    spec: BundleSpec  # cover filled from the matter, or the served snapshot
    blob_ids: dict[str, int]  # document ref -> blob of its working copy (or original)
    page_counts: dict[str, int]  # as recorded at import; checked again while copying
    today: date
    fingerprints: dict[str, str]  # ref -> SHA-256 of its blob, which the reader checks
    titles: dict[str, str]  # ref -> the document's title, to name it if its content is ever missing


@dataclass(frozen=True)
class BuiltBundle(BuildResult):
    """The engine's result with what the build read: serving freezes exactly this."""

    bundle_ref: str = ""
    content: BundleContent | None = None


def prepare_build(session: Session, bundle_ref: str, *, today: date | None = None) -> BuildOrder:
    """Read the project, the matter and each document's blob, checking who may build. A served
    bundle is read from the content it froze; `today` may only repeat its date."""
    matter_ref, spec = load_project(session, bundle_ref)
    session.require(Permission.READ_RECORDS)
    matter, client = _matter_and_client(session, matter_ref)
    conn = session.vault.conn
    served = bundle_service.entries(conn, bundle_id=records.bundle_id(conn, bundle_ref))
    if served:
        content = served_content.frozen_content(served[0], matter, client)
        served_content.check_date(bundle_ref, content.spec, today)
        blob_ids, page_counts, fingerprints = served_content.locate(conn, bundle_ref, served[0], content)
        titles = {ref: src.title for ref, src in content.sources.items()}
        return BuildOrder(bundle_ref, content.spec, blob_ids, page_counts, content.spec.date or date.today(),
                          fingerprints, titles)
    today = today or date.today()
    spec = fill_cover(spec, matter, client, today)
    blob_ids = {}
    page_counts = {}
    fingerprints = {}
    for ref, (blob_id, working, count, sha) in records.document_sources(conn, spec.document_ids()).items():
        blob_ids[ref] = working if working is not None else blob_id  # missing refs: the engine says which tab
        fingerprints[ref] = sha  # the reader checks each blob against it
        if count:
            page_counts[ref] = count
    titles = records.document_titles(conn, list(blob_ids))
    return BuildOrder(bundle_ref, spec, blob_ids, page_counts, today, fingerprints, titles)


def run_build(order: BuildOrder, reader: ReaderSource, out_path: Path, *, progress: Progress = no_progress,
              cancel: CancelToken | None = None) -> BuiltBundle:
    """Build from a prepared order, reading working copies ahead on a second connection."""
    with collector_paused(), quick_handover(), Prefetcher(reader.connect, order.blob_ids,
                                                           order.spec.document_ids()) as ahead:
        result = engine.build_bundle(order.spec, ahead.get, Path(out_path), progress=progress, cancel=cancel,
                                     today=order.today, page_counts=order.page_counts,
                                     fingerprints=order.fingerprints)
    content = served_content.content_built(order.spec, order.fingerprints, order.page_counts, order.titles)
    fields = {f.name: getattr(result, f.name) for f in dataclasses.fields(BuildResult)}
    return BuiltBundle(**fields, bundle_ref=order.bundle_ref, content=content)


def record_build(session: Session, bundle_ref: str, result: BuildResult) -> None:
    conn = session.vault.conn
    with session.transaction():
        session.audit("bundle_built", target=f"bundle:{records.bundle_id(conn, bundle_ref)}",
                      detail={"pages": result.total_pages, "volumes": len(result.volumes)})


def build(
    session: Session,
    bundle_ref: str,
    out_path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    today: date | None = None,
) -> BuildResult:
    """Build a saved project to `out_path` (volumes beside it when split)."""
    order = prepare_build(session, bundle_ref, today=today)
    result = run_build(order, session.vault.reader_source(), out_path, progress=progress, cancel=cancel)
    record_build(session, bundle_ref, result)
    return result


def build_bundle_project(session: Session, matter_ref: str, bundle_ref: str, out_path: Path, *,
                         progress: Progress = no_progress, cancel: CancelToken | None = None,
                         today: date | None = None) -> BuildResult:
    """The CLI's `build MATTER --bundle REF [--today D]`: the bundle must belong to that matter."""
    owner, _spec = load_project(session, bundle_ref)
    conn = session.vault.conn
    if records.require_id(conn, "matters", matter_ref) != records.require_id(conn, "matters", owner):
        raise BadInput(_("Bundle {ref} belongs to matter {owner}, not {matter}.").format(
            ref=bundle_ref, owner=owner, matter=matter_ref))
    return build(session, bundle_ref, out_path, progress=progress, cancel=cancel, today=today)


# --- service: freezing content and pagination ---------------------------------------------


def is_served(session: Session, bundle_ref: str) -> bool:
    conn = session.vault.conn
    return bool(bundle_service.entries(conn, bundle_id=records.bundle_id(conn, bundle_ref)))


def mark_served(session: Session, bundle_ref: str, *, served_to: str, method: str, served_on: date,
                result: BuildResult) -> ServiceEntry:
    """Record service of a build of the bundle; from now on every build of it reads the content
    that build read (same pages, numbers, cover and date), whatever happens to the documents."""
    session.require(Permission.BUILD)
    if not served_to.strip() or not method.strip():
        raise BadInput(_("Say on whom the bundle was served and how."))
    content = getattr(result, "content", None)
    if content is None or getattr(result, "bundle_ref", "") != bundle_ref:
        raise BadInput(_("Build bundle {ref} again, then mark that build as served.").format(ref=bundle_ref))
    matter_ref, spec = load_project(session, bundle_ref)
    if not any(True for _tab in spec.iter_tabs()):
        raise BadInput(_("Bundle {ref} has no tabs: there is nothing to serve.").format(ref=bundle_ref))
    conn = session.vault.conn
    digest = hashlib.sha256()
    for volume in result.volumes:
        digest.update(volume.path.read_bytes())
    first = min((v.first_number for v in result.volumes if v.first_number), default=spec.settings.first_page_number)
    last = max((v.last_number or 0 for v in result.volumes), default=first)
    bundle_id = records.bundle_id(conn, bundle_ref)
    assert bundle_id is not None
    earlier = bundle_service.entries(conn, bundle_id=bundle_id)  # served again: the first freeze stands
    if not earlier and (content.spec.sections != spec.sections or content.spec.settings != spec.settings):
        raise BadInput(_("Bundle {ref} was changed after this build. Build it again, then mark that build as "
                         "served.").format(ref=bundle_ref))
    snapshot = earlier[0].snapshot if earlier else {
        **content.to_dict(), "tabs": [_plain(dataclasses.asdict(t)) for t in result.tabs]}
    with session.transaction():
        bundle_service.record(conn, bundle_id, served_on=served_on.isoformat(), served_to=served_to.strip(),
                              method=method.strip(), first_page=first, last_page=last,
                              output_sha256=digest.hexdigest(), snapshot=snapshot, recorded_by=session.user.name)
        session.audit("bundle_served", target=f"bundle:{bundle_id}", detail={"last_page": last})
    return bundle_service.entries(conn, bundle_id=bundle_id)[-1]


def changed_since_served(session: Session, matter_ref: str) -> dict[str, list[tuple[str, str]]]:
    """bundle ref -> (document ref, title) of each source whose current version is not the one
    served: those go in a supplementary bundle; the served bundle keeps what was served."""
    session.require(Permission.BUILD)
    conn = session.vault.conn
    matter, client = _matter_and_client(session, matter_ref)
    found: dict[str, list[tuple[str, str]]] = {}
    for entry in service_log(session, matter_ref):
        if entry.bundle_ref in found:
            continue
        try:
            content = served_content.frozen_content(entry, matter, client)
        except BadInput:  # a damaged snapshot: the build says so
            continue
        found[entry.bundle_ref] = served_content.changed_documents(conn, content)
    return {ref: docs for ref, docs in found.items() if docs}


def statement_of_service(session: Session, bundle_ref: str, out_path: Path) -> Path:
    """A statement of service for the latest recorded service of a bundle, ready to sign."""
    from clinic_app.pdf.service_statement import ServiceFacts, render

    matter_ref, spec = load_project(session, bundle_ref)
    conn = session.vault.conn
    entries = bundle_service.entries(conn, bundle_id=records.bundle_id(conn, bundle_ref))
    if not entries:
        raise BadInput(_("Bundle {ref} has not been served yet.").format(ref=bundle_ref))
    entry = entries[-1]
    matter, client = _matter_and_client(session, matter_ref)
    try:  # the cover as served (file number, parties, counsel), not as the matter reads today
        cover = served_content.frozen_content(entries[0], matter, client).spec
    except BadInput:
        cover = fill_cover(spec, matter, client, date.fromisoformat(entry.served_on))
    facts = ServiceFacts(forum=cover.forum, file_number=cover.file_number, parties=", ".join(cover.parties),
                         bundle_title=cover.title, first_page=entry.first_page, last_page=entry.last_page,
                         served_to=entry.served_to, method=entry.method,
                         served_on=date.fromisoformat(entry.served_on), counsel=cover.counsel,
                         language=cover.language)
    path = render(facts, Path(out_path))
    with session.transaction():
        session.audit("statement_of_service", target=f"bundle:{records.bundle_id(conn, bundle_ref)}")
    return path


def _plain(row: dict[str, object]) -> dict[str, object]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in row.items()}


def service_log(session: Session, matter_ref: str) -> list[ServiceEntry]:
    session.require(Permission.BUILD)
    conn = session.vault.conn
    return bundle_service.entries(conn, matter_id=records.require_id(conn, "matters", matter_ref))


def supplement_settings(session: Session, served_ref: str) -> tuple[str, BundleSpec]:
    """(matter ref, spec with no tabs) of a bundle that continues the served bundle: its settings,
    with tabs and pages numbered on after everything served for the matter."""
    matter_ref, spec = load_project(session, served_ref)
    if not is_served(session, served_ref):
        raise BadInput(_("Bundle {ref} has not been served yet; edit it instead.").format(ref=served_ref))
    first_page, first_tab = served_content.next_numbers(service_log(session, matter_ref))
    settings = dataclasses.replace(spec.settings, first_page_number=first_page, first_tab_number=first_tab)
    return matter_ref, BundleSpec(title=spec.title, language=spec.language, settings=settings, sections=[Section()])


def create_supplementary(session: Session, served_ref: str, new_ref: str, title: str,
                         documents: list[str] | None = None, settings: Mapping[str, Any] | None = None) -> BundleSpec:
    """A new project whose tabs and pages continue after everything served for the matter,
    holding `documents` (of the matter; translations travel with their originals), with the
    served bundle's settings but those named in `settings` (manifest names; not first_page)."""
    matter_ref, new = supplement_settings(session, served_ref)
    if settings:
        new = with_settings(new, {k: v for k, v in settings.items() if k != "first_page"})
        check_settings(new)
    conn = session.vault.conn
    if records.bundle_id(conn, new_ref) is not None:
        raise BadInput(_("There is already a bundle {ref}. Choose another ref for the supplementary "
                         "bundle.").format(ref=new_ref))
    for ref in documents or []:
        if matter_ref not in records.matters_of_document(conn, records.require_id(conn, "documents", ref)):
            raise BadInput(_("Document {doc} is not linked to matter {matter}; link it first.").format(
                doc=ref, matter=matter_ref))
    new = dataclasses.replace(new, title=title, sections=[Section(tabs=tabs_for_documents(
        session, list(documents or []), language=new.language))])
    save_project(session, new_ref, matter_ref, new)
    return new
