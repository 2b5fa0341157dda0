"""Putting document files into the vault and getting them back out.

The original bytes are streamed into the encrypted database as received (never
whole in memory); what intake learned (working copy, text, pages) is stored
beside them in the same transaction, with the search entry and the audit row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from clinic_app.domain.display import display_name
from clinic_app.domain.document import DocumentMeta, normalise_tags
from clinic_app.domain.progress import CancelToken
from clinic_app.domain.roles import Permission
from clinic_app.output_files import output_writer
from clinic_app.services import indexing
from clinic_app.services.session import Session
from clinic_app.vault import blobs, records


@dataclass(frozen=True)
class Analysis:
    """What intake found in a file (all optional: plain storage needs none of it)."""

    working_pdf: bytes | None = None
    text: str = ""
    text_fingerprint: str = ""
    page_count: int | None = None
    pages_without_text: tuple[int, ...] = ()
    was_encrypted: bool = False
    language_guess: str = ""
    media_type: str = ""
    source_sha256: str = ""  # of the bytes intake read: the stored bytes must be the same


@dataclass(frozen=True)
class StoredDocument:
    document_id: int
    ref: str
    sha256: str
    size: int
    created: bool
    bytes_already_stored: bool
    likely_duplicate_of: str | None = None


def store_document(
    session: Session,
    source: Path | BinaryIO,
    meta: DocumentMeta,
    matter_refs: Sequence[str],
    *,
    analysis: Analysis | None = None,
    original_filename: str | None = None,
    cancel: CancelToken | None = None,
) -> StoredDocument:
    """Store one document and link it to matters; re-storing the same ref updates it.
    A path is opened as intake opens files (no link, no pipe, the file looked at)."""
    from clinic_app.intake.errors import ChangedWhileReading  # intake loads its sandbox: only when storing
    from clinic_app.intake.files import open_regular

    session.require(Permission.IMPORT_DOCUMENTS)
    analysis = analysis or Analysis()
    with session.transaction() as conn:
        if isinstance(source, Path):
            with open_regular(source) as fh:
                stored = blobs.put_stream(conn, fh, cancel=cancel)
            name = original_filename or display_name(source.name)
        else:
            stored = blobs.put_stream(conn, source, cancel=cancel)
            name = original_filename or meta.original_filename
        if analysis.source_sha256 and stored.sha256 != analysis.source_sha256:
            raise ChangedWhileReading(display_name(name))  # rolls the transaction back
        working_id = blobs.put_bytes(conn, analysis.working_pdf).blob_id if analysis.working_pdf else None
        meta = dataclasses.replace(
            meta,
            sha256=stored.sha256,
            size=stored.size,
            original_filename=name,
            page_count=analysis.page_count if analysis.page_count is not None else meta.page_count,
            pages_without_text=analysis.pages_without_text or meta.pages_without_text,
            was_encrypted=analysis.was_encrypted or meta.was_encrypted,
            language_guess=analysis.language_guess or meta.language_guess,
            media_type=analysis.media_type or meta.media_type,
        )
        doc_id, created = records.save_document(conn, meta, blob_id=stored.blob_id, working_blob_id=working_id,
                                                text_fingerprint=analysis.text_fingerprint)
        for ref in matter_refs:
            records.link_document(conn, doc_id, records.require_id(conn, "matters", ref))
        records.set_document_text(conn, doc_id, analysis.text)
        indexing.index_document(conn, doc_id, meta, analysis.text)
        likely = records.document_by_fingerprint(conn, analysis.text_fingerprint, exclude_id=doc_id)
        if not created:
            blobs.delete_unreferenced(conn)
        session.audit("document_imported" if created else "document_updated", target=f"document:{doc_id}",
                      detail={"sha256": stored.sha256, "size": stored.size, "matters": len(matter_refs)})
    return StoredDocument(doc_id, meta.ref, stored.sha256, stored.size, created, stored.already_stored, likely)


_EDITABLE = ("title", "source", "doc_date", "language", "category", "tags")


def update_metadata(session: Session, ref: str, **fields: object) -> DocumentMeta:
    """Change what a document is (title, source, date, language, category, tags),
    never its bytes or what intake found; re-indexed for search and audited."""
    from clinic_app.errors import UsageError

    session.require(Permission.EDIT_RECORDS)
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise UsageError(f"not editable: {', '.join(sorted(unknown))}")
    conn = session.vault.conn
    doc_id = records.require_id(conn, "documents", ref)
    current = records.load(conn, DocumentMeta, doc_id)
    updated = dataclasses.replace(current, **fields)  # type: ignore[arg-type]  # validated on construction
    with session.transaction():
        records.update_document_meta(conn, updated)
        indexing.index_document(conn, doc_id, updated, records.document_text(conn, doc_id))
        session.audit("document_updated", target=f"document:{doc_id}", detail={"fields": sorted(fields)})
    return updated


def retag(session: Session, ref: str, *, add: Sequence[str] = (), remove: Sequence[str] = (),
          category: str | None = None) -> DocumentMeta:
    """Add and remove tags (and set the category): `update_metadata` with the tags the
    document has now, for callers that name only what changes. Nothing to change: the
    document as it is, nothing written."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    current = records.load(conn, DocumentMeta, records.require_id(conn, "documents", ref))
    drop = {t.strip().casefold() for t in remove}
    fields: dict[str, object] = {}
    tags = normalise_tags(tuple(t for t in current.tags if t not in drop) + tuple(add))
    if tags != current.tags:
        fields["tags"] = tags
    if category is not None and category != current.category.value:
        fields["category"] = category
    return update_metadata(session, ref, **fields) if fields else current


def link_to_matter(session: Session, document_ref: str, matter_ref: str) -> bool:
    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        doc_id = records.require_id(conn, "documents", document_ref)
        added = records.link_document(conn, doc_id, records.require_id(conn, "matters", matter_ref))
        if added:
            session.audit("document_linked", target=f"document:{doc_id}")
    return added


def open_working(session: Session, ref: str) -> BinaryIO:
    """The sanitised working copy if intake made one, else the original."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    blob_id, working = records.document_blobs(conn, records.require_id(conn, "documents", ref))
    return blobs.open_reader(conn, working if working is not None else blob_id)


def read_working(session: Session, ref: str) -> bytes:
    """The whole working copy (or original) in memory: the bundle engine parses bytes
    far faster than a Python file object, and holds one source at a time."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    blob_id, working = records.document_blobs(conn, records.require_id(conn, "documents", ref))
    return blobs.read_all(conn, working if working is not None else blob_id)


def export_original(session: Session, ref: str, target: Path) -> int:
    """Write a document's original bytes to `target` (an export: audited)."""
    session.require(Permission.EXPORT)
    conn = session.vault.conn
    doc_id = records.require_id(conn, "documents", ref)
    blob_id, _working = records.document_blobs(conn, doc_id)
    size = 0
    with output_writer(Path(target)) as out:
        for chunk in blobs.iter_chunks(conn, blob_id):
            out.write(chunk)
            size += len(chunk)
    with session.transaction():
        session.audit("document_exported", target=f"document:{doc_id}", detail={"size": size})
    return size
