"""Writing a case file's records into the vault, inside the caller's transaction.

Runs after the conflicts were answered (transfer_conflicts.resolve). Records go
through the same services as manual edits (permissions, search entries, audit
rows); document bytes stream from the authenticated reader straight into blob
storage, and each stored file is checked against the SHA-256 the file promised.
A renamed document is renamed everywhere the file names it: translation links,
letters, bundle projects and the service log's snapshots. A served bundle keeps the
content it froze (carried in the file); one served before content was frozen is
frozen here, on the documents just imported, so it never reaches another document.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from clinic_app.domain.bundle_content import renamed_snapshot, sources_of
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.progress import CancelToken, Progress
from clinic_app.domain.translation import TranslationLink
from clinic_app.i18n import _
from clinic_app.services import bundles, case_record, evidence, served_content
from clinic_app.services.evidence import Analysis
from clinic_app.services.session import Session
from clinic_app.services.transfer_conflicts import Resolution, bundle_doc_refs, rename_in_spec
from clinic_app.services.transfer_format import LimitedReader, SealedReader
from clinic_app.services.transfer_payload import ServedEntry
from clinic_app.vault import blobs, bundle_service, codec, records
from clinic_app.vault.connection import Connection
from clinic_app.vault.errors import TransferInvalid

SERVICE_FIELDS = tuple(f.name for f in dataclasses.fields(ServedEntry))

if TYPE_CHECKING:
    from clinic_app.services.transfer import ImportResult


def _bump(counts: dict[str, int], kind: str) -> None:
    counts[kind] = counts.get(kind, 0) + 1


def apply(session: Session, payload: dict[str, Any], reader: SealedReader, res: Resolution,
          same: set[tuple[str, str]], result: ImportResult, *, progress: Progress,
          cancel: CancelToken | None) -> None:
    client = codec.from_plain(Client, payload["client"])
    matter = codec.from_plain(Matter, payload["matter"])
    nothing = ("matter", matter.ref) in res.dropped
    client_ref = res.ref("client", client.ref) or client.ref
    matter_ref = res.ref("matter", matter.ref) or matter.ref
    if not nothing:
        if ("client", client.ref) in same:
            _bump(result.reused, "client")
        else:
            case_record.save_client(session, dataclasses.replace(client, ref=client_ref))
            _bump(result.created, "client")
        if ("matter", matter.ref) in same:
            _bump(result.reused, "matter")
        else:
            case_record.save_matter(session, dataclasses.replace(matter, ref=matter_ref, client_ref=client_ref),
                                    check_rules=False)
            _bump(result.created, "matter")
    _documents(session, payload, reader, res, same, result, matter_ref, nothing, progress, cancel)
    _served_content(session, payload, reader, res, same, nothing, cancel)
    if nothing:
        return
    conn = session.vault.conn
    present = set(records.translations_of_matter(conn, records.require_id(conn, "matters", matter_ref)))
    for raw in payload["translations"]:
        if ("translation", raw["translation_ref"]) in res.dropped:
            continue
        link = codec.from_plain(TranslationLink, raw)
        link = TranslationLink(res.ref("document", link.original_ref) or link.original_ref,
                               res.ref("document", link.translation_ref) or link.translation_ref,
                               res.ref("document", link.declaration_ref))
        if link in present:
            _bump(result.reused, "translation")
            continue
        case_record.link_translation(session, link)
        _bump(result.created, "translation")
    for raw in payload["letters"]:
        letter = codec.from_plain(SupportLetter, raw)
        if not res.keeps("letter", letter.ref):
            continue
        if ("letter", letter.ref) in same:
            _bump(result.reused, "letter")
            continue
        case_record.save_letter(session, dataclasses.replace(
            letter, ref=res.ref("letter", letter.ref) or letter.ref, matter_ref=matter_ref,
            document_ref=res.ref("document", letter.document_ref)))
        _bump(result.created, "letter")
    for bundle in payload["bundles"]:
        ref = str(bundle["ref"])
        if not res.keeps("bundle", ref):
            continue
        if ("bundle", ref) in same:
            _bump(result.reused, "bundle")
            continue
        new_ref = res.ref("bundle", ref) or ref
        bundles.save_project(session, new_ref, matter_ref, rename_in_spec(bundle["spec"], res))
        for entry in bundle.get("served", []):  # the service log: served content and pages stay frozen
            fields = {k: entry[k] for k in SERVICE_FIELDS}
            fields["snapshot"] = _snapshot(conn, entry["snapshot"], res)
            bundle_service.record(conn, records.require_id(conn, "bundles", new_ref), **fields)
        _bump(result.created, "bundle")
    matter_id = records.require_id(conn, "matters", matter_ref)
    session.audit("matter_imported", target=f"matter:{matter_id}",
                  detail={"created": result.created, "reused": result.reused,
                          "renamed": len(result.renamed), "skipped": len(result.skipped)})


def _documents(session: Session, payload: dict[str, Any], reader: SealedReader, res: Resolution,
               same: set[tuple[str, str]], result: ImportResult, matter_ref: str, nothing: bool,
               progress: Progress, cancel: CancelToken | None) -> None:
    docs = payload["documents"]
    for i, doc in enumerate(docs):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(i, len(docs), _("Importing document {n} of {total}").format(n=i + 1, total=len(docs)))
        meta = codec.from_plain(DocumentMeta, doc["meta"])
        working = reader.read_exact(int(doc["working"]["size"])) if doc.get("working") else None
        if working is not None and hashlib.sha256(working).hexdigest() != doc["working"]["sha256"]:
            raise TransferInvalid(reader.name, "working copy checksum")
        original = LimitedReader(reader, int(doc["original"]["size"]))
        if nothing or not res.keeps("document", meta.ref):
            original.drain()
            continue
        if ("document", meta.ref) in same:
            original.drain()
            if doc.get("linked"):
                evidence.link_to_matter(session, meta.ref, matter_ref)
            _bump(result.reused, "document")
            continue
        new_ref = res.ref("document", meta.ref) or meta.ref
        stored = evidence.store_document(
            session, cast(BinaryIO, original), dataclasses.replace(meta, ref=new_ref),
            [matter_ref] if doc.get("linked") else [],
            analysis=Analysis(working_pdf=working, text=str(doc.get("text", ""))),
            original_filename=meta.original_filename or None, cancel=cancel)
        original.drain()
        if stored.sha256 != doc["original"]["sha256"]:
            raise TransferInvalid(reader.name, "document checksum")
        _bump(result.created, "document")


def _snapshot(conn: Connection, snapshot: dict[str, Any], res: Resolution) -> dict[str, Any]:
    """A served snapshot under this vault's refs; one that froze no content (served before
    content was frozen) freezes the documents imported with it."""
    renamed = renamed_snapshot(snapshot, res.renames("document"))
    if "sources" not in renamed:
        refs = bundle_doc_refs(renamed.get("spec") or {})
        renamed["sources"] = {ref: src.to_dict() for ref, src in served_content.current_sources(conn, refs).items()}
    return renamed


def _served_content(session: Session, payload: dict[str, Any], reader: SealedReader, res: Resolution,
                    same: set[tuple[str, str]], nothing: bool, cancel: CancelToken | None) -> None:
    """Store the content served bundles froze that no document of the file holds; every stream
    is read (the file authenticates to its end) even when nothing of it is needed."""
    conn = session.vault.conn
    wanted = set() if nothing else {
        src.sha256 for bundle in payload["bundles"]
        if res.keeps("bundle", str(bundle["ref"])) and ("bundle", str(bundle["ref"])) not in same
        for entry in bundle.get("served", []) for src in sources_of(entry.get("snapshot") or {}).values()}
    for item in payload["served_content"]:
        stream = LimitedReader(reader, int(item["size"]))
        sha = str(item["sha256"])
        if sha in wanted and blobs.find(conn, sha) is None:
            if blobs.put_stream(conn, cast(BinaryIO, stream), cancel=cancel).sha256 != sha:
                raise TransferInvalid(reader.name, "served content checksum")
        stream.drain()
