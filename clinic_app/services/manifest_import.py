"""Importing a case manifest into the vault: all or nothing, re-import updates.

The manifest is fully checked first (services.manifest); then every file is
analysed by intake; only then is one transaction opened that writes clients,
matters, documents, translations, letters and bundle projects, with their
search entries and audit rows. An error or a cancel anywhere rolls all of it back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from clinic_app.domain.bundle import BundleSpec
from clinic_app.domain.changes import Changes
from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.ids import DocumentId, MatterId
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import ValidationError
from clinic_app.i18n import _, ngettext
from clinic_app.domain.matter import Matter
from clinic_app.domain.exhibits import exhibits_by_affidavit
from clinic_app.services import bundles, case_record, conflict_check, correspondence, evidence, letters_workflow
from clinic_app.services.bundle_specs import spec_from_manifest
from clinic_app.services.conflict_check import NameConflict
from clinic_app.services.evidence import Analysis
from clinic_app.services.manifest import BundleEntry, ExistingRefs, Manifest, load_manifest
from clinic_app.services.session import Session
from clinic_app.vault import records

Analyzer = Callable[[Path, str | None, str], Analysis]  # (file, password, item label) -> Analysis


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    bytes_already_stored: int = 0
    likely_duplicates: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[NameConflict] = field(default_factory=list)  # imported anyway (accept_conflicts)
    changes: Changes = field(default_factory=Changes)  # every record written, so a window refreshes them

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    def lines(self) -> list[str]:
        """What was created and updated, per kind; files already stored; likely duplicates
        (as `clinic-app import` prints them and the window's import dialog shows them)."""
        kinds = sorted(set(self.created) | set(self.updated))
        lines = [_("{kind}: {created} created, {updated} updated").format(
            kind=kind, created=self.created.get(kind, 0), updated=self.updated.get(kind, 0)) for kind in kinds]
        if self.bytes_already_stored:
            lines.append(ngettext("{count} file was already in the vault and was linked, not stored again.",
                                  "{count} files were already in the vault and were linked, not stored again.",
                                  self.bytes_already_stored).format(count=self.bytes_already_stored))
        lines += [_("Likely duplicate: {ref} has the same text as {other}.").format(ref=ref, other=other)
                  for ref, other in self.likely_duplicates]
        if not kinds:
            lines.append(_("The manifest was empty; nothing was imported."))
        return lines


def _existing(session: Session) -> ExistingRefs:
    conn = session.vault.conn
    return ExistingRefs(
        clients=frozenset(records.all_refs(conn, "clients")),
        matters=frozenset(records.all_refs(conn, "matters")),
        documents=frozenset(records.all_refs(conn, "documents")),
    )


def _require_permissions(session: Session, manifest: Manifest) -> None:
    if manifest.clients or manifest.matters or manifest.translations or manifest.exhibits:
        session.require(Permission.EDIT_RECORDS)
    if manifest.documents:
        session.require(Permission.IMPORT_DOCUMENTS)
    if manifest.letters:
        session.require(Permission.MANAGE_LETTERS)
    if manifest.bundles:
        session.require(Permission.BUILD)


def _scan_ref(session: Session, letter_ref: str, taken: frozenset[str]) -> str:
    """The document ref for a letter's scan: the one it already has on re-import, else a free one."""
    conn = session.vault.conn
    letter_id = records.id_for(conn, "letters", letter_ref)
    if letter_id is not None:
        existing = records.load(conn, SupportLetter, letter_id).document_ref
        if existing:
            return existing
    wanted = f"{letter_ref}-scan"
    ref, n = wanted, 1
    while ref in taken or records.id_for(session.vault.conn, "documents", ref) is not None:
        n += 1
        ref = f"{wanted}-{n}"
    return ref


def _supplement_base(session: Session, bundle: BundleEntry, served: str | None) -> BundleSpec | None:
    """The served bundle's settings with numbering continued, for a supplementary bundle."""
    served = bundle.supplement_to or served
    if served is None:
        return None
    owner, base = bundles.supplement_settings(session, served)
    if owner != bundle.matter_ref:
        raise ValidationError(_("bundle {ref} belongs to matter {owner}, not {matter}").format(
            ref=served, owner=owner, matter=bundle.matter_ref), item=f"bundles ({bundle.ref})", field="supplement_to")
    return base


def import_manifest(
    session: Session,
    path: Path,
    *,
    analyze: Analyzer | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    supplements: Mapping[str, str] | None = None,
    accept_conflicts: bool = False,
) -> ImportSummary:
    """`supplements` (bundle ref -> served bundle ref) makes those bundles of the manifest
    supplementary, as if they said `supplement_to` (the CLI's `supplement --manifest`).

    New or renamed clients and adverse parties go through the conflict check first: a
    name that resembles someone already known raises ConflictsFound (nothing written)
    unless `accept_conflicts`, which imports them and audits that decision."""
    manifest = load_manifest(Path(path), existing=_existing(session))
    for ref, served in (supplements or {}).items():
        entry = next((b for b in manifest.bundles if b.ref == ref), None)
        if entry is None:
            raise ValidationError(_("the manifest has no bundle with ref {ref}").format(ref=ref))
        if entry.supplement_to not in (None, served):
            raise ValidationError(_("supplements {other}, not {served}").format(other=entry.supplement_to,
                                                                                 served=served),
                                  item=f"bundles ({ref})", field="supplement_to")
    _require_permissions(session, manifest)
    conflicts = conflict_check.manifest_conflicts(session, list(manifest.clients), list(manifest.matters)) \
        if manifest.clients or manifest.matters else []
    if conflicts and not accept_conflicts:
        raise conflict_check.ConflictsFound(conflicts)
    cancel = cancel or CancelToken()
    letter_files = [(e.letter.ref, e.file) for e in manifest.letters if e.file is not None]
    total = len(manifest.documents) + len(letter_files)
    analyses: dict[str, Analysis] = {}
    ahead = getattr(analyze, "ahead", None)  # a batch analyzer parses them all at once, on every core
    if ahead is not None:
        ahead([(e.file, e.password) for e in manifest.documents] + [(file, None) for _ref, file in letter_files])
    for i, entry in enumerate(manifest.documents):
        cancel.raise_if_cancelled()
        progress(i, total, _("Checking file {n} of {total}").format(n=i + 1, total=total))
        if analyze is not None:
            analyses[entry.ref] = analyze(entry.file, entry.password, f"documents ({entry.ref})")
    for j, (ref, file) in enumerate(letter_files):
        cancel.raise_if_cancelled()
        progress(len(manifest.documents) + j, total,
                 _("Checking file {n} of {total}").format(n=len(manifest.documents) + j + 1, total=total))
        if analyze is not None and file is not None:
            analyses["letter:" + ref] = analyze(file, None, f"letters ({ref})")

    summary = ImportSummary(conflicts=conflicts)
    with session.transaction():
        if conflicts:
            conflict_check.record_decision(session, conflicts, conflict_check.IMPORTED_ANYWAY)
        for client in manifest.clients:
            cancel.raise_if_cancelled()
            created = records.id_for(session.vault.conn, "clients", client.ref) is None
            summary.changes |= case_record.save_client(session, client)
            summary.count("clients", created)
        for matter in manifest.matters:
            created = records.id_for(session.vault.conn, "matters", matter.ref) is None
            summary.changes |= case_record.save_matter(session, matter)
            summary.count("matters", created)
        for i, entry in enumerate(manifest.documents):
            progress(i, total, _("Storing file {n} of {total}").format(n=i + 1, total=total))
            stored = evidence.store_document(session, entry.file, entry.meta, entry.matter_refs,
                                             analysis=analyses.get(entry.ref), cancel=cancel)
            summary.count("documents", stored.created)
            summary.changes |= Changes(documents=frozenset({DocumentId(stored.document_id)}), links=True)
            summary.bytes_already_stored += int(stored.bytes_already_stored)
            if stored.likely_duplicate_of:
                summary.likely_duplicates.append((stored.ref, stored.likely_duplicate_of))
        for link in manifest.translations:
            summary.changes |= case_record.link_translation(session, link)
            summary.count("translations", True)
        linked_here = {link.translation_ref for link in manifest.translations}
        for entry in manifest.documents:
            if entry.declaration_for and entry.declaration_for not in linked_here:
                summary.changes |= case_record.attach_declaration(session, entry.declaration_for, entry.ref)
        for affidavit, exhibits in exhibits_by_affidavit(manifest.exhibits).items():
            summary.changes |= correspondence.set_exhibits(session, affidavit, exhibits)  # replaces the old list
            summary.count("exhibits", True)
        for matter_ref, items in manifest.correspondence:
            for _n in range(correspondence.import_entries(session, matter_ref, items)):
                summary.count("correspondence", True)
            if items:
                matter_id = records.require_id(session.vault.conn, "matters", matter_ref)
                summary.changes |= Changes(matters=frozenset({MatterId(matter_id)}))
        for entry in manifest.letters:
            cancel.raise_if_cancelled()
            letter = entry.letter
            if entry.file is not None and not letter.document_ref:
                doc_ref = _scan_ref(session, letter.ref, manifest.all_refs())
                meta = DocumentMeta(ref=doc_ref, title=_("Support letter from {writer}").format(writer=letter.writer),
                                    source=letter.writer, doc_date=letter.letter_date, language=letter.language,
                                    category=DocumentCategory.SUPPORT_LETTER)
                scan = evidence.store_document(session, entry.file, meta, (letter.matter_ref,),
                                               analysis=analyses.get("letter:" + letter.ref), cancel=cancel)
                summary.changes |= Changes(documents=frozenset({DocumentId(scan.document_id)}), links=True)
                letter = dataclasses.replace(letter, document_ref=doc_ref)
            created = records.id_for(session.vault.conn, "letters", letter.ref) is None
            summary.changes |= case_record.save_letter(session, letter)
            if letter.document_ref:  # the scan: linked to the letter's matter, and to one letter only
                summary.changes |= letters_workflow.link_scan(session, letter.ref, letter.document_ref)
            summary.count("letters", created)
        for bundle in manifest.bundles:
            conn = session.vault.conn
            created = records.id_for(conn, "bundles", bundle.ref) is None
            matter = records.load(conn, Matter, records.require_id(conn, "matters", bundle.matter_ref))
            spec = spec_from_manifest(conn, bundle, matter.language.value,
                                      _supplement_base(session, bundle, (supplements or {}).get(bundle.ref)))
            summary.changes |= bundles.save_project(session, bundle.ref, bundle.matter_ref, spec)
            summary.count("bundles", created)
        session.audit("manifest_imported", detail={"created": summary.created, "updated": summary.updated})
    progress(total, total, _("Import complete"))
    return summary
